//! The `presets` command: the preset names, one per line, each with what it is
//! when asked.

use super::output::print_out;
use super::Failure;
use autoscale_playground::presets;

pub fn run(describe: bool) -> Result<(), Failure> {
    presets::NAMES.iter().try_for_each(|name| {
        if describe {
            print_out(&format!("{name}: {}\n", presets::describe(name)))
        } else {
            print_out(&format!("{name}\n"))
        }
    })
}
