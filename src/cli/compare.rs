//! The `compare` command: the agent trained (or loaded), the worlds judged on one
//! trace, and the page's scoreboard printed as a table or JSON, with the
//! forecast's skill at foreseeing a rise.

use super::args::CompareArgs;
use super::input::shown_path;
use super::output::{print_out, CsvOut};
use super::progress::Progress;
use super::render::name;
use super::trained::{session, Judged};
use super::Failure;
use autoscale_playground::forensics::absurd;
use autoscale_playground::judge::results_table;
use autoscale_playground::link;
use autoscale_playground::math::Figure;
use autoscale_playground::scenario::Scenario;
use autoscale_playground::session::Session;
use autoscale_playground::StepReport;

/// Steps of the judged run played between two looks at the clock.
const PROGRESS_CHUNK: usize = 4096;

pub fn run(args: &CompareArgs) -> Result<(), Failure> {
    // A page's link with "No forecast" switched on asks for the ablation too.
    let linked = match &args.common.scenario.link {
        Some(link) => link::decode(after_hash(link))?.1.show_no_forecast,
        None => false,
    };
    let ablation = args.ablation || linked;
    let mut want = None;
    let judged = |s: &Scenario| {
        let steps = args.steps.unwrap_or(s.steps as usize);
        if steps > s.steps as usize {
            return Err(Failure::Input(format!(
                "--steps {steps}: the run has {} steps; give a step from 0 to {}",
                s.steps, s.steps
            )));
        }
        want = Some(steps);
        let worlds = 5 + u64::from(ablation);
        Ok(Judged { worlds, share: steps as f64 / f64::from(s.steps) })
    };
    // Opened before training, so that a bad path fails before a long run does;
    // the file is replaced only once written whole.
    let mut out = args.out.as_deref().map(CsvOut::open).transpose()?;
    let mut session = session(&args.common, args.q.as_deref(), judged)?;
    if ablation {
        session.set_ablation(true);
        let left = session.blind.as_ref().map_or(0, |t| t.episodes.saturating_sub(t.episode));
        let steps = session.trace.len() as u64;
        let mut progress =
            Progress::on_terminal("training without the forecast", left as u64 * steps);
        for e in 0..left {
            progress.update(e as u64 * steps);
            if let Some(t) = &mut session.blind {
                t.run(1)?;
            }
        }
        progress.finish();
        session.restart();
    }
    // Only the CSV needs every step's report; the results are running sums,
    // and the absurd decisions are counted as the run plays.
    session.keep_reports(out.is_some());
    let want = want.unwrap_or(usize::MAX).min(session.trace.len());
    let mut progress = Progress::on_terminal("judged run", want as u64);
    let mut done = 0;
    let mut absurd = Absurd::new(&session);
    while done < want {
        if done % PROGRESS_CHUNK == 0 {
            progress.update(done as u64);
        }
        if session.step(1) == 0 {
            break;
        }
        absurd.count(&session);
        done += 1;
    }
    progress.finish();
    if let Some(mut out) = out.take() {
        // The page's CSV export writes the same text (Judge::csv).
        out.text(&session.judge.csv())?;
        out.finish()?;
    }
    // A loaded table's training is not in its file: it is named, not counted.
    let q_table = args.q.as_deref().map(shown_path);
    if args.json {
        // serde_json writes each f64 so that it reads back to the same bits:
        // the figures can be compared exactly with the page's.
        let episodes = q_table.is_none().then_some(session.trainer.episode);
        let absurd: serde_json::Map<String, serde_json::Value> =
            absurd.by_key(&session).into_iter().map(|(k, n)| (k.into(), n.into())).collect();
        let mut results = serde_json::json!({ "step": session.judge.step_index(), "episodes": episodes, "worlds": session.results(), "absurd_decisions": absurd });
        if let Some(path) = &q_table {
            results["q_table"] = path.as_str().into();
        }
        return print_out(&format!("{results}\n"));
    }
    let s = &session.scenario;
    let agent = match &q_table {
        Some(path) => {
            let table = &session.trainer.agent.table;
            format!(
                "agent loaded from the Q-table file '{path}' ({} of {} states visited; how long it trained is not in the file)",
                table.visited_states(),
                table.q.len()
            )
        }
        None => format!(
            "agent trained {} episodes (fluid), final episode reward {:.0}",
            session.trainer.episode,
            Figure(session.trainer.curve.last().copied().unwrap_or(0.0))
        ),
    };
    print_out(&format!(
        "{} steps of {} s, {} workload, seed {}, {} physics; {agent}\n",
        s.steps,
        s.dt_s,
        name(&s.workload.family),
        s.seed,
        name(&s.queue.physics),
    ))?;
    print_out(&results_table(&session.results()))?;
    print_out(&absurd.line(&session))?;
    print_out(&forecast_skill(&session))
}

/// Each world's decisions that left its fleet short of the need at over
/// 100 % utilisation while it could still grow ([`absurd`]), counted as the
/// run plays: each lane's last report against the one before.
struct Absurd {
    last: Vec<Option<StepReport>>,
    counts: Vec<usize>,
}

impl Absurd {
    fn new(session: &Session) -> Absurd {
        let n = session.judge.lanes.len();
        Absurd { last: vec![None; n], counts: vec![0; n] }
    }

    /// After one more step of the run.
    fn count(&mut self, session: &Session) {
        let judge = &session.judge;
        for (i, lane) in judge.lanes.iter().enumerate() {
            if let (Some(before), Some(now)) = (&self.last[i], &lane.last) {
                self.counts[i] +=
                    usize::from(absurd(before, now, &lane.world.config, judge.sizer()));
            }
            self.last[i] = lane.last;
        }
    }

    fn by_key(&self, session: &Session) -> Vec<(&'static str, usize)> {
        session
            .judge
            .lanes
            .iter()
            .map(|l| l.kind().key())
            .zip(self.counts.iter().copied())
            .collect()
    }

    fn line(&self, session: &Session) -> String {
        let counts: Vec<String> = session
            .judge
            .lanes
            .iter()
            .zip(&self.counts)
            .map(|(l, n)| format!("{} {n}", l.kind().label()))
            .collect();
        format!(
            "absurd decisions (the fleet over 100 % utilisation and short of its need, below its most replicas, and no scale-up): {}\n",
            counts.join(", ")
        )
    }
}

/// The part of a page's address after '#' (the link), or all of it.
pub fn after_hash(link: &str) -> &str {
    link.split_once('#').map_or(link, |(_, hash)| hash)
}

/// How often the forecast direction "rising" of the agent's forecaster was
/// followed by a real rise over its horizon, on this run's trace; and its event
/// recall: the repeating rises it saw a boot delay ahead.
fn forecast_skill(session: &Session) -> String {
    use autoscale_playground::forecast::{direction_skill, event_skill, Rises};
    let Some(agent) = session.agent() else { return String::new() };
    let mut f = agent.forecaster().clone_box();
    let s = session.run_scenario();
    let h = agent.horizon();
    let k = direction_skill(f.as_mut(), &session.trace.rates, h, s.agent.forecast_threshold);
    let pct = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{:.0} %", 100.0 * x));
    let rises = Rises::of(s);
    let e = event_skill(f.as_mut(), &session.trace.rates, &rises, rises.period);
    format!(
        "forecast direction ({}, {h} step{} ahead, {:.0} % band): \"rising\" said {} times, {} followed by a real rise (precision {}); {} real rises, {} foreseen (recall {})\n\
         forecast events (from day 2, rises of more than the Rule's headroom at {:.0} % within a boot delay): {} rises, {} repeating the day or week before, {} foreseen a boot delay ahead (event recall {}); \"rising\" said {} times, {} right (precision {})\n",
        f.name(),
        if h == 1 { "" } else { "s" },
        100.0 * s.agent.forecast_threshold,
        k.predicted,
        k.hits,
        pct(k.precision()),
        k.real,
        k.hits,
        pct(k.recall()),
        100.0 * rises.target,
        e.rises,
        e.repeating,
        e.foreseen,
        pct(e.recall()),
        e.said,
        e.said_right,
        pct(e.precision())
    )
}
