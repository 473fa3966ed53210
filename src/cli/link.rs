//! The `link` command: the page's share link of a scenario, with the view asked
//! for (the controls shown, a guided lesson, autoplay, the step it opens at).

use super::args::{ControlsArg, LinkArgs};
use super::input::scenario;
use super::output::print_out;
use super::Failure;
use autoscale_playground::link;

/// The `link` command: the scenario's share link with the view asked for.
pub fn run(args: &LinkArgs) -> Result<(), Failure> {
    let s = scenario(&args.scenario)?;
    link::check_carried(&s).map_err(|e| e.context("the link's scenario"))?;
    // A replay's length is its file's, which the link does not carry.
    if s.workload.family != autoscale_playground::scenario::Family::Replay && args.at > s.steps {
        return Err(Failure::Input(format!(
            "--at {}: the run has {} steps; give a step from 0 to {}",
            args.at, s.steps, s.steps
        )));
    }
    let view = link::Presentation {
        controls: match args.controls {
            ControlsArg::Full => link::Controls::Full,
            ControlsArg::Charts => link::Controls::Charts,
            ControlsArg::Playback => link::Controls::Playback,
        },
        lesson: args.lesson,
        autoplay: args.autoplay,
        start_step: args.at,
        ..link::Presentation::default()
    };
    let hash = link::encode(&s, &view);
    let page = args.page.as_deref().map(|p| p.split_once('#').map_or(p, |(before, _)| before));
    print_out(&format!("{}#{hash}\n", page.unwrap_or("")))
}
