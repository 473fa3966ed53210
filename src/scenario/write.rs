//! Writing a scenario as JSON, as serde_json's pretty printer writes it (two
//! spaces a level, every field in the order of the scenario's structs), from its
//! JSON tree along the table of knobs. Printing the tree, not the structs, spares
//! the page a second copy of every section's serialiser (the tree's is needed
//! anyway: links are made from it), about 1.5 KB of its gzipped wasm.

use super::knobs::knobs;
use crate::json::Value;

/// `tree` (a scenario's, from [`super::Scenario::to_tree`]) as pretty JSON: every
/// knob's field in the table's order, which is the structs' (the test
/// `the_json_is_serdes_pretty_print_to_the_byte` holds the two together, and
/// the table's own test that every field has its knob).
pub(super) fn pretty(tree: &Value) -> String {
    let mut out = String::from("{");
    // The objects open below the root, by name.
    let mut open: Vec<&str> = Vec::new();
    for k in knobs() {
        let parts: Vec<&str> = k.path.split('.').collect();
        let (groups, leaf) = parts.split_at(parts.len() - 1);
        let shared = open.iter().zip(groups).take_while(|(a, b)| a == b).count();
        while open.len() > shared {
            open.pop();
            line(&mut out, open.len() + 1);
            out.push('}');
        }
        for group in &groups[shared..] {
            item(&mut out, open.len() + 1, group);
            out.push('{');
            open.push(group);
        }
        item(&mut out, open.len() + 1, leaf[0]);
        let value = parts.iter().fold(tree, |v, p| &v[*p]);
        write(value, open.len() + 1, &mut out);
    }
    while open.pop().is_some() {
        line(&mut out, open.len() + 1);
        out.push('}');
    }
    line(&mut out, 0);
    out.push('}');
    out
}

/// A new line at `depth`.
fn line(out: &mut String, depth: usize) {
    out.push('\n');
    for _ in 0..depth {
        out.push_str("  ");
    }
}

/// The start of a field `key` at `depth`: after a comma unless it opens its object.
fn item(out: &mut String, depth: usize, key: &str) {
    if !out.ends_with('{') {
        out.push(',');
    }
    line(out, depth);
    out.push_str(&Value::String(key.to_string()).to_string());
    out.push_str(": ");
}

/// A field's value at `depth`: a list one item a line, anything else as JSON.
fn write(v: &Value, depth: usize, out: &mut String) {
    match v {
        Value::Array(items) if !items.is_empty() => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                line(out, depth + 1);
                out.push_str(&item.to_string());
            }
            line(out, depth);
            out.push(']');
        }
        leaf => out.push_str(&leaf.to_string()),
    }
}
