//! The Rule at other targets: the run's trace played by the Rule at every target
//! utilisation from 40 % to 95 % (step 5 %), twelve lanes of one judge, for the
//! verdict's sentence on the Rule's frontier and the frontier panel. It does not
//! depend on the agent, so a page computes it once for its scenario, with its
//! first lookahead, a piece per frame ([`RuleSweep::run`]). A whole sweep of a 4,320-step run takes
//! well under a frame budget natively (`cargo bench --bench budgets` prints it;
//! eight times more with the judge's full latency tracking, which it leaves out),
//! so a page plays it in pieces beside the run rather than in one frame.

use crate::judge::{Judge, RuleTarget};
use crate::policy::{DecisionMaker, Rule};
use crate::session::Session;

/// The target utilisations played: 0.40, 0.45, ..., 0.95.
pub fn targets() -> impl Iterator<Item = f64> {
    (8..=19).map(|i| f64::from(i * 5) / 100.0)
}

/// A sweep under way: one judge, a Rule lane per target.
#[derive(Debug, Clone)]
pub struct RuleSweep {
    judge: Judge,
    targets: Vec<f64>,
}

impl RuleSweep {
    /// The Rule at each target on the session's trace, each from a copy of the
    /// run's scenario with its `rule.target_utilisation` set; nothing played yet.
    pub fn new(session: &Session) -> RuleSweep {
        let run = session.run_scenario();
        let targets: Vec<f64> = targets().collect();
        let makers = targets
            .iter()
            .map(|&t| {
                let mut s = run.clone();
                s.rule.target_utilisation = t;
                Box::new(Rule::from_scenario(&s)) as Box<dyn DecisionMaker>
            })
            .collect();
        let mut judge =
            Judge::sharing(run, session.trace.clone(), makers, session.trainer.tables());
        judge.keep_reports(false);
        // Cost and violation steps are all the frontier needs.
        judge.cost_and_violations_only();
        RuleSweep { judge, targets }
    }

    /// Plays up to `steps` more steps; true once the whole trace is played.
    pub fn run(&mut self, steps: usize) -> bool {
        self.judge.run(steps);
        self.judge.finished()
    }

    /// Each target's cost and violation steps over the steps played so far.
    pub fn points(&self) -> Vec<RuleTarget> {
        self.targets
            .iter()
            .zip(self.judge.results())
            .map(|(&target, r)| RuleTarget {
                target,
                cost: r.cost,
                sla_violation_steps: r.sla_violation_steps,
            })
            .collect()
    }
}

/// The whole sweep at once (the CLI's and the tests' way; a page plays it in
/// pieces).
pub fn sweep(session: &Session) -> Vec<RuleTarget> {
    let mut s = RuleSweep::new(session);
    s.run(usize::MAX);
    s.points()
}
