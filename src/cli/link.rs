//! The `link` command: the page's share link of a scenario, with the view asked
//! for (the controls shown, a guided lesson, autoplay, the step it opens at);
//! from a `--link`, that link's view with only the flags given changed.

use super::args::{ControlsArg, LinkArgs};
use super::compare::after_hash;
use super::input::scenario;
use super::output::print_out;
use super::Failure;
use autoscale_playground::link;

/// The `link` command: the scenario's share link with the view asked for.
pub fn run(args: &LinkArgs) -> Result<(), Failure> {
    let s = scenario(&args.scenario)?;
    link::check_carried(&s).map_err(|e| e.context("the link's scenario"))?;
    let mut view = match &args.scenario.link {
        Some(given) => link::decode(after_hash(given))?.1,
        None => link::Presentation::default(),
    };
    if let Some(controls) = args.controls {
        view.controls = match controls {
            ControlsArg::Full => link::Controls::Full,
            ControlsArg::Charts => link::Controls::Charts,
            ControlsArg::Playback => link::Controls::Playback,
        };
        // The older flag would read as Charts over a Full chosen here.
        view.hide_controls = false;
    }
    view.lesson |= args.lesson;
    view.autoplay |= args.autoplay;
    view.presenter |= args.presenter;
    if let Some(at) = args.at {
        view.start_step = at;
    }
    // A replay's length is its file's, which the link does not carry.
    if s.workload.family != autoscale_playground::scenario::Family::Replay
        && view.start_step > s.steps
    {
        return Err(Failure::Input(format!(
            "--at {}: the run has {} steps; give a step from 0 to {}",
            view.start_step, s.steps, s.steps
        )));
    }
    let hash = link::encode(&s, &view);
    let page = args.page.as_deref().map(|p| p.split_once('#').map_or(p, |(before, _)| before));
    print_out(&format!("{}#{hash}\n", page.unwrap_or("")))
}
