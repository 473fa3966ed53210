//! A frontier sweep cut into shards and merged: the merge equals the whole sweep
//! byte for byte whatever the order of its parts, the one-machine recipe
//! (scripts/shards/local.sh) gives the same, and every malformed merge is
//! refused with a message that names the problem.

use crate::common::cli::{run, temp_path, text, BIN};
use autoscale_playground::frontier::{self, merge, play_part, Frontier, Part, Plan, Shard};
use autoscale_playground::Scenario;
use std::sync::OnceLock;

/// Two hours of one-minute steps, agents trained for 2 episodes: 20 units.
fn tiny() -> Scenario {
    Scenario::default()
        .with_overrides(&["steps=120".to_string(), "agent.episodes=2".to_string()])
        .expect("a valid scenario")
}

const ARGS: [&str; 9] = [
    "--set",
    "steps=120",
    "--set",
    "agent.episodes=2",
    "--seeds",
    "2",
    "--quick",
    "--threads",
    "1",
];

fn part(s: &Scenario, plan: &Plan, shard: &str) -> Part {
    let shard = Shard::parse(shard).expect("a shard");
    play_part(s, None, plan, shard, "custom", 2, &|_, _| {}).expect("the part plays")
}

/// The tiny sweep whole, and its three parts.
fn played() -> &'static (Frontier, Vec<Part>) {
    static PLAYED: OnceLock<(Frontier, Vec<Part>)> = OnceLock::new();
    PLAYED.get_or_init(|| {
        let s = tiny();
        let plan = Plan::quick(&s, 2);
        let whole = frontier::sweep(&s, None, &plan, 2, &|_, _| {}).expect("the sweep plays");
        let parts = ["1/3", "2/3", "3/3"].iter().map(|k| part(&s, &plan, k)).collect();
        (whole, parts)
    })
}

fn named(parts: &[&Part]) -> Vec<(String, Part)> {
    parts.iter().map(|p| (format!("part{}.csv", p.shard.index), (*p).clone())).collect()
}

fn merge_err(parts: &[(String, Part)]) -> String {
    merge(parts).expect_err("the merge is refused").to_string()
}

#[test]
fn merged_shards_equal_the_whole_sweep_in_every_order() {
    let (whole, parts) = played();
    // Each unit is in exactly one slice, and the slices deal the units in turn.
    let sizes: Vec<usize> = parts.iter().map(|p| p.units.len()).collect();
    assert_eq!(sizes, [7, 7, 6]);
    let mut all: Vec<usize> = parts.iter().flat_map(|p| p.units.iter().map(|u| u.0)).collect();
    all.sort_unstable();
    assert_eq!(all, (0..20).collect::<Vec<_>>());
    let [a, b, c] = [&parts[0], &parts[1], &parts[2]];
    for order in [[a, b, c], [c, b, a], [b, a, c], [b, c, a], [a, c, b], [c, a, b]] {
        // Through the text, as the parts travel between machines.
        let read: Vec<Part> =
            order.iter().map(|p| Part::read(&p.to_text()).expect("the part reads back")).collect();
        let merged = merge(&named(&read.iter().collect::<Vec<_>>())).expect("the parts merge");
        assert_eq!(&merged.frontier, whole);
        assert_eq!(merged.frontier.csv("custom"), whole.csv("custom"));
        assert_eq!(merged.frontier.table(), whole.table());
        assert_eq!(merged.frontier.verdicts(), whole.verdicts());
        assert_eq!(merged.plan, Plan::quick(&tiny(), 2));
    }
    // One shard is the whole sweep.
    let s = tiny();
    let one = part(&s, &Plan::quick(&s, 2), "1/1");
    assert_eq!(one.units.len(), 20);
    assert_eq!(&merge(&named(&[&one])).expect("one part merges").frontier, whole);
}

#[test]
fn a_part_reads_back_to_the_same_bits() {
    let (_, parts) = played();
    for p in parts {
        let back = Part::read(&p.to_text()).expect("reads");
        assert_eq!(&back, p);
        for ((_, mine), (_, theirs)) in p.units.iter().zip(&back.units) {
            for (x, y) in mine.iter().zip(theirs) {
                assert_eq!(x.cost.to_bits(), y.cost.to_bits());
                assert_eq!(x.violation_steps.to_bits(), y.violation_steps.to_bits());
            }
        }
    }
}

#[test]
fn missing_or_duplicate_slices_are_refused() {
    let (_, parts) = played();
    let [a, b, c] = [&parts[0], &parts[1], &parts[2]];
    let e = merge_err(&named(&[a, c]));
    assert_eq!(e, "shard 2/3 missing: the sweep has 3 slices and 2 were given");
    let e = merge_err(&named(&[b]));
    assert_eq!(e, "shards 1/3, 3/3 missing: the sweep has 3 slices and 1 was given");
    let e = merge_err(&named(&[a, b, a, c]));
    assert_eq!(e, "shard 1/3 is given twice, as 'part1.csv' and 'part1.csv'");
    assert_eq!(merge_err(&[]), "a merge needs the parts of a sweep; none was given");
}

#[test]
fn parts_of_different_sweeps_are_refused() {
    let (_, parts) = played();
    let s = tiny();
    // Another seed count: another plan.
    let other = part(&s, &Plan::quick(&s, 3), "2/3");
    let e = merge_err(&named(&[&parts[0], &other, &parts[2]]));
    assert!(e.starts_with("'part2.csv' is a part of another sweep (plan "), "{e}");
    assert!(e.contains(&format!("than 'part1.csv' (plan {})", parts[0].plan_id)), "{e}");
    // Another scenario, same plan lists.
    let s2 = s.with_overrides(&["seed=7".to_string()]).expect("valid");
    let shifted = Plan { seeds: vec![42, 43], ..Plan::quick(&s2, 2) };
    let other = part(&s2, &shifted, "3/3");
    assert_ne!(other.plan_id, parts[0].plan_id);
    let e = merge_err(&named(&[&parts[0], &parts[1], &other]));
    assert!(e.contains("is a part of another sweep"), "{e}");
    // The same sweep cut into another number of slices.
    let halves = part(&s, &Plan::quick(&s, 2), "2/2");
    let e = merge_err(&named(&[&parts[0], &halves]));
    assert_eq!(e, "'part2.csv' is shard 2/2 and 'part1.csv' shard 1/3: one sweep's parts are cut into one number of slices");
    // The trace is part of the sweep: the same plan on another replay differs.
    let plan = Plan::quick(&s, 2);
    assert_ne!(
        plan.fingerprint(&s, "-", "custom"),
        plan.fingerprint(&s, "0123456789abcdef", "custom")
    );
    assert_ne!(plan.fingerprint(&s, "-", "custom"), plan.fingerprint(&s, "-", "diurnal"));
}

/// The part's text with line `key,...` replaced by `line`.
fn edited(p: &Part, key: &str, line: &str) -> String {
    p.to_text()
        .lines()
        .map(|l| if l.starts_with(&format!("{key},")) { line.to_string() } else { l.to_string() })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn parts_of_another_version_or_format_or_changed_are_refused() {
    let p = &played().1[0];
    let read_err = |text: &str| Part::read(text).expect_err("refused").to_string();
    let e = read_err(&edited(p, "version", "version,0.0.9"));
    assert_eq!(e, format!("written by version 0.0.9 of the program, this is version {}: play every part and merge them with one version", frontier::VERSION));
    let e = read_err(&p.to_text().replacen("frontier part,1", "frontier part,2", 1));
    assert_eq!(e, "line 1: part format 2, this build reads format 1: play every part and merge them with one build");
    let e = read_err("preset,world,knob\n");
    assert!(
        e.starts_with("line 1: not a part of a frontier sweep (it starts 'preset,world,knob'"),
        "{e}"
    );
    // A header changed after the part was written: the fingerprint no longer matches.
    let e = read_err(&edited(p, "seeds", "seeds,42 44"));
    assert!(e.contains("do not give its plan's fingerprint") && e.contains(&p.plan_id), "{e}");
    let e = read_err(&edited(p, "label", "label,diurnal"));
    assert!(e.contains("do not give its plan's fingerprint"), "{e}");
    // A header line under another name, its value as it was, is no header.
    let e = read_err(&edited(p, "label", "lable,custom"));
    assert!(e.ends_with("expected 'label,...', found 'lable,custom'"), "{e}");
    // Cut short: its last row gone, or its table.
    let text = p.to_text();
    let cut: Vec<&str> = text.lines().collect();
    // The last rows are of units judging one world each (the Rule's, the
    // shortest, dealt last).
    let e = read_err(&cut[..cut.len() - 1].join("\n"));
    let s = tiny();
    let slice = Plan::quick(&s, 2).slice(&s, p.shard);
    let last = slice.last().expect("a unit");
    assert!(
        e.starts_with(&format!(
            "shard 1/3 holds 6 units where its slice has 7 (units missing: {last}):"
        )),
        "{e}"
    );
    let e = read_err(&cut[..cut.len() - 3].join("\n"));
    assert!(e.starts_with("shard 1/3 holds 4 units where its slice has 7"), "{e}");
    let e = read_err(&cut[..11].join("\n"));
    assert_eq!(e, "the part ends before its table");
    let e = read_err(&cut[..5].join("\n"));
    assert_eq!(e, "the part ends before its 'trace' line");
    // A figure that does not read, a world unknown.
    let row = cut[12];
    let bad = text.replacen(row, &row.replacen(",static,", ",statik,", 1), 1);
    assert_eq!(read_err(&bad), "line 13: 'statik' is not a world's key");
    let cells: Vec<&str> = row.split(',').collect();
    let bad = text.replacen(
        row,
        &format!("{},{},x{}", cells[0], cells[1], &row[cells[0].len() + cells[1].len() + 2..]),
        1,
    );
    assert!(read_err(&bad).starts_with("line 13: 'x"), "{}", read_err(&bad));
    assert!(read_err(&text.replacen(row, "0,static,1", 1))
        .starts_with("line 13: 3 fields, a row has 7"));
}

#[test]
fn bad_shards_are_refused_naming_k_and_n() {
    for (text, want) in [
        ("0/3", "shard '0/3': K = 0 must be from 1 to N = 3"),
        ("4/3", "shard '4/3': K = 4 must be from 1 to N = 3"),
        ("1/0", "shard '1/0': N must be at least 1"),
        ("3", "shard '3': must be K/N, e.g. 2/8 (the second of eight slices)"),
        ("a/3", "shard 'a/3': K must be a whole number (K/N, e.g. 2/8)"),
        ("1/-2", "shard '1/-2': N must be a whole number (K/N, e.g. 2/8)"),
    ] {
        assert_eq!(Shard::parse(text).expect_err(text).to_string(), want);
    }
    assert_eq!(Shard::parse("2/8"), Ok(Shard { index: 2, count: 8 }));
    let e = Shard { index: 1, count: 21 }.check(20).expect_err("more slices than units");
    assert_eq!(e.to_string(), "shard 1/21: this sweep has 20 units, so N must be from 1 to 20");
    // As many slices as units: one unit each, none empty.
    assert_eq!(Shard { index: 20, count: 20 }.check(20), Ok(()));
}

fn frontier_cli(args: &[&str]) -> std::process::Output {
    run(&[&["frontier"], args].concat())
}

#[test]
fn the_one_machine_recipe_merges_to_the_whole_sweeps_output_byte_for_byte() {
    let dir = temp_path("shards");
    let whole_csv = temp_path("whole.csv");
    let whole = frontier_cli(&[&ARGS[..], &["--out", whole_csv.to_str().expect("UTF-8")]].concat());
    assert_eq!(whole.status.code(), Some(0), "{}", text(&whole.stderr));
    let script = concat!(env!("CARGO_MANIFEST_DIR"), "/scripts/shards/local.sh");
    let o = std::process::Command::new("sh")
        .arg(script)
        .args(["4", "2", dir.to_str().expect("UTF-8")])
        .args(ARGS)
        .env("AUTOSCALE_PLAYGROUND", BIN)
        .output()
        .expect("the recipe runs");
    let merged_csv = std::fs::read_to_string(dir.join("frontier.csv"));
    let parts = std::fs::read_dir(&dir).map(|d| d.count()).unwrap_or(0);
    let _ = std::fs::remove_dir_all(&dir);
    let whole_text = std::fs::read_to_string(&whole_csv).expect("the whole CSV");
    let _ = std::fs::remove_file(&whole_csv);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(parts, 5, "four parts and the merged CSV");
    assert_eq!(o.stdout, whole.stdout, "{}", text(&o.stdout));
    assert_eq!(merged_csv.expect("the merged CSV"), whole_text);
    for k in 1..=4 {
        assert!(
            text(&o.stderr).contains(&format!("shard {k}/4 of the frontier of the scenario: ")),
            "{}",
            text(&o.stderr)
        );
    }
}

#[test]
fn the_command_refuses_bad_shards_and_merges_naming_the_file() {
    let o = frontier_cli(&[&ARGS[..], &["--shard", "5/4", "--out", "/dev/null"]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr).starts_with("error: --shard '5/4': K = 5 must be from 1 to N = 4"),
        "{}",
        text(&o.stderr)
    );
    let o = frontier_cli(&[&ARGS[..], &["--shard", "1/21", "--out", "/dev/null"]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        text(&o.stderr)
            .starts_with("error: --shard 1/21: this sweep has 20 units, so N must be from 1 to 20"),
        "{}",
        text(&o.stderr)
    );
    // A shard writes its part: --out is required.
    let o = frontier_cli(&[&ARGS[..], &["--shard", "1/2"]].concat());
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--out"), "{}", text(&o.stderr));
    // The merge takes its settings from the parts, not from flags.
    let o = frontier_cli(&["--merge", "a.csv", "--preset", "diurnal"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("cannot be used with"), "{}", text(&o.stderr));
    // A part from another version, named by its file.
    let path = temp_path("old-part.csv");
    std::fs::write(&path, edited(&played().1[0], "version", "version,0.0.9")).expect("written");
    let o = frontier_cli(&["--merge", path.to_str().expect("UTF-8")]);
    let _ = std::fs::remove_file(&path);
    assert_eq!(o.status.code(), Some(2));
    let e = text(&o.stderr);
    assert!(
        e.starts_with("error: --merge part '")
            && e.contains("old-part.csv': written by version 0.0.9"),
        "{e}"
    );
    assert!(o.stdout.is_empty());
    // A missing slice: nothing printed, nothing written.
    let (one, out) = (temp_path("one-part.csv"), temp_path("never.csv"));
    std::fs::write(&one, played().1[0].to_text()).expect("written");
    let o = frontier_cli(&[
        "--merge",
        one.to_str().expect("UTF-8"),
        "--out",
        out.to_str().expect("UTF-8"),
    ]);
    let _ = std::fs::remove_file(&one);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).starts_with("error: shards 2/3, 3/3 missing"), "{}", text(&o.stderr));
    assert!(o.stdout.is_empty() && !out.exists());
}

/// A replayed trace's fingerprint reads every figure of what is replayed: the
/// same data gives the same 16 hex digits, and any request's time or tokens (a
/// count of 0 apart from none), a count, the interval or the kind of trace
/// changes it.
#[test]
fn a_traces_fingerprint_changes_with_any_figure_of_the_trace() {
    use autoscale_playground::frontier::trace_fingerprint;
    use autoscale_playground::workload::replay::{ReplayData, RequestRow};
    let row = |time_ns, context_tokens, generated_tokens| RequestRow {
        time_ns,
        context_tokens,
        generated_tokens,
    };
    let base = vec![row(0, Some(100), Some(20)), row(1_500_000_000, None, Some(7))];
    let with = |i: usize, r: RequestRow| {
        let mut rows = base.clone();
        rows[i] = r;
        ReplayData::Requests(rows)
    };
    let counts = |counts: Vec<f64>, interval_s| ReplayData::Counts { counts, interval_s };
    let traces = [
        ReplayData::Requests(base.clone()),
        with(1, row(1_500_000_001, None, Some(7))),
        with(0, row(0, Some(101), Some(20))),
        with(0, row(0, Some(100), Some(21))),
        with(1, row(1_500_000_000, Some(0), Some(7))),
        with(0, row(0, Some(100), None)),
        counts(vec![3.0, 0.0, 5.0], 60.0),
        counts(vec![3.0, 0.0, 5.5], 60.0),
        counts(vec![3.0, 0.0, 5.0], 30.0),
        counts(vec![3.0, 0.0], 60.0),
    ];
    let prints: Vec<String> = traces.iter().map(|t| trace_fingerprint(Some(t))).collect();
    for (i, p) in prints.iter().enumerate() {
        assert!(p.len() == 16 && p.chars().all(|c| c.is_ascii_hexdigit()), "{p}");
        assert_eq!(
            *p,
            trace_fingerprint(Some(&traces[i].clone())),
            "the same data, the same print"
        );
        for (j, q) in prints.iter().enumerate().skip(i + 1) {
            assert_ne!(p, q, "traces {i} and {j}: {:?} and {:?}", traces[i], traces[j]);
        }
    }
    assert_eq!(trace_fingerprint(None), "-");
}
