//! The decisions, natively: the decision makers (Static, the Rule, the Oracle,
//! Predictive) and the Q-learning agent, the forecasters (classical and learned)
//! and their direction skill, proactivity, the judge with training and
//! forensics, and the cost-reliability frontier.
//!
//! One test binary for everything that decides or judges a decision, so that it
//! is built and linked once; each subject is a module.

#[path = "../common/mod.rs"]
mod common;

mod agent;
mod event_recall;
mod floor;
mod forecast;
mod forecast_skill;
mod frontier;
mod frontier_shards;
mod judge;
mod learned_forecasters;
mod mutants_agent;
mod mutants_frontier;
mod mutants_policy;
mod mutants_proactivity;
mod oracle;
mod policy;
mod proactivity;
mod residual;
mod tuned;
mod util;
