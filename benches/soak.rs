//! `make soak`, natively: fast-forwards the page's engine (four worlds on one
//! trace, the agent learning live, no per-step reports kept) for SOAK_STEPS steps
//! (default 10 M) and reports the peak resident memory after the first 1 M steps
//! (and the restart that ends them) and at the end,
//! and that every figure stayed finite. A run is at most a million steps (the
//! largest trace a scenario allows), so 10 M steps are ten runs of that trace,
//! each restarted from step 0 with the same session, as the page's reset does.
//! Exits non-zero if memory grew (by more than 1 MB) after the first million
//! steps, if the memory was never compared (fewer than 1 M steps, or no figures
//! from /proc), or if a figure was not finite.

use autoscale_playground::agent::Mode;
use autoscale_playground::scenario::{Scenario, MAX_STEPS};
use autoscale_playground::session::Session;
use std::time::Instant;

/// A field of /proc/self/status in kB (VmRSS: now; VmHWM: the peak so far).
fn status_kb(field: &str) -> Option<u64> {
    let text = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = text.lines().find(|l| l.starts_with(field))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

/// The agent explores a little and updates its table, as with Live learning on,
/// so that the fleets move and every state of the table may be visited.
fn learn_live(session: &mut Session) {
    if let Some(agent) = session.judge.lanes.iter_mut().find_map(|l| l.agent_mut()) {
        agent.mode = Mode::Learning;
        agent.epsilon = 0.05;
    }
}

/// Whether every figure of the results is finite.
fn finite(session: &Session) -> bool {
    session.results().iter().all(|r| {
        [
            r.cost,
            r.replica_hours,
            r.dropped,
            r.mean_utilisation,
            r.total_reward,
            r.sla_violation_pct,
        ]
        .iter()
        .all(|v| v.is_finite())
            && r.p95_s.is_none_or(f64::is_finite)
            && r.saving_pct.is_none_or(f64::is_finite)
    })
}

fn main() {
    let total: u64 =
        std::env::var("SOAK_STEPS").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000_000);
    let mut s = Scenario { steps: MAX_STEPS, ..Scenario::default() };
    s.agent.episodes = 0;
    let mut session = match Session::new(s, None) {
        Ok(session) => session,
        Err(e) => {
            eprintln!("soak: {e}");
            std::process::exit(2);
        }
    };
    // SOAK_KEEP=1 keeps every step's report, as the judge did before it kept
    // running sums: the memory that change saves.
    session.keep_reports(std::env::var_os("SOAK_KEEP").is_some());
    learn_live(&mut session);
    let start = Instant::now();
    let (mut played, mut all_finite, mut at_1m) = (0u64, true, None);
    println!(
        "{:>12} {:>10} {:>10} {:>10} {:>8}",
        "steps", "seconds", "VmRSS kB", "VmHWM kB", "finite"
    );
    while played < total {
        let chunk = (total - played).min(100_000) as usize;
        let n = session.step(chunk);
        if n == 0 {
            // The run is over: restart it, as the page's reset does. The first
            // million steps include the first restart (its memory is part of
            // the steady state), so the figure after 1 M is taken after it.
            all_finite &= finite(&session);
            session.restart();
            learn_live(&mut session);
            if played == 1_000_000 {
                at_1m = status_kb("VmHWM:");
                println!(
                    "{:>12} {:>10.1} {:>10} {:>10} {:>8}",
                    "restarted",
                    start.elapsed().as_secs_f64(),
                    status_kb("VmRSS:").unwrap_or(0),
                    at_1m.unwrap_or(0),
                    ""
                );
            }
            continue;
        }
        played += n as u64;
        if played % 1_000_000 == 0 || played == total {
            let ok = finite(&session);
            all_finite &= ok;
            let (rss, hwm) = (status_kb("VmRSS:").unwrap_or(0), status_kb("VmHWM:").unwrap_or(0));
            println!(
                "{played:>12} {:>10.1} {rss:>10} {hwm:>10} {ok:>8}",
                start.elapsed().as_secs_f64()
            );
            if played == 1_000_000 && total == played {
                at_1m = Some(hwm);
            }
        }
    }
    let end = status_kb("VmHWM:");
    // Resident memory moves by a few pages with the allocator's whims (16 kB over
    // 9 M steps here); a leak of one byte a step would add 9 MB. 1 MB tells them
    // apart. Without both figures (fewer than 1 M steps played, or no
    // /proc/self/status) nothing was compared, and the soak says so and fails:
    // "flat" only when measured.
    let memory = match (at_1m, end) {
        (Some(m), Some(e)) if e <= m + 1024 => format!("peak RSS {m} kB after 1 M steps, {e} kB at the end: flat (within 1 MB)"),
        (Some(m), Some(e)) => format!("peak RSS {m} kB after 1 M steps, {e} kB at the end: GREW (more than 1 MB)"),
        (None, _) => "memory NOT COMPARED: the 1 M-step mark was never reached (SOAK_STEPS must be over 1000000)".into(),
        (_, None) => "memory NOT COMPARED: /proc/self/status has no VmHWM".into(),
    };
    let flat = matches!((at_1m, end), (Some(m), Some(e)) if e <= m + 1024);
    println!(
        "soak: {played} steps in {:.0} s; {memory}; figures {}",
        start.elapsed().as_secs_f64(),
        if all_finite { "all finite" } else { "NOT ALL FINITE" }
    );
    if !flat || !all_finite {
        std::process::exit(1);
    }
}
