//! The `keys` command: every scenario key with its default and allowed values,
//! from the library's table of knobs.

use super::output::print_out;
use super::Failure;
use autoscale_playground::scenario::Scenario;

pub fn run() -> Result<(), Failure> {
    print_out(&keys())
}

/// Every scenario key with its default and what it allows, from the table of
/// knobs, one per line.
fn keys() -> String {
    let defaults = serde_json::to_value(Scenario::default()).expect("a scenario always serialises");
    let rows: Vec<[String; 3]> = autoscale_playground::scenario::knobs()
        .iter()
        .map(|k| {
            let default = match defaults.pointer(&format!("/{}", k.path.replace('.', "/"))) {
                Some(serde_json::Value::String(s)) if s.is_empty() => "\"\"".to_string(),
                Some(serde_json::Value::String(s)) => s.clone(),
                Some(v) => v.to_string(),
                None => String::new(),
            };
            [k.path.to_string(), default, format!("{}  -- {}", k.allowed(), k.label)]
        })
        .collect();
    let width = |i: usize| rows.iter().map(|r| r[i].len()).max().unwrap_or(0) + 2;
    let (w0, w1) = (width(0), width(1));
    let mut text = format!("{:<w0$}{:<w1$}{}\n", "KEY", "DEFAULT", "ALLOWED");
    for [path, default, allowed] in rows {
        text.push_str(&format!("{path:<w0$}{default:<w1$}{allowed}\n"));
    }
    text
}
