//! The `explain` command: the forensics of the elastic world's decision at one
//! step.

use super::args::ExplainArgs;
use super::output::print_out;
use super::trained::session;
use super::Failure;

pub fn run(args: &ExplainArgs) -> Result<(), Failure> {
    let session = session(&args.common, args.q.as_deref())?;
    let f = session.explain(args.step, args.horizon)?;
    print_out(&format!("{}\n", f.text()))
}
