//! The layers point one way. The README's "Layers" table (in its "Layout"
//! section) is the one statement of them: each row a layer, lowest first, each
//! naming its top-level modules of `src/`. This reads every file of `src/` and
//! fails when code of a module names (`crate::x`) a module of its own or a higher
//! layer other than itself. Comments are not code: a doc link upwards is allowed.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");

/// The layers of the README's table: module name to its layer (0 = the floor).
fn layers_from_readme(readme: &str) -> BTreeMap<String, usize> {
    let section = readme.split("\n### Layers\n").nth(1).expect("README has a '### Layers' section");
    let mut layers = BTreeMap::new();
    let rows =
        section.lines().skip_while(|l| !l.starts_with('|')).take_while(|l| l.starts_with('|'));
    for row in rows.skip(2) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        let layer: usize = cells[0].parse().unwrap_or_else(|_| panic!("layer number in row {row}"));
        for module in cells[1].split(',') {
            let name = module.trim().trim_matches('`').to_string();
            assert!(layers.insert(name.clone(), layer).is_none(), "{name} is in two rows");
        }
    }
    layers
}

/// The code of a file without its comments (line comments, doc comments
/// included; string contents are kept, which is harmless for `crate::` paths).
fn code_of(text: &str) -> String {
    text.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The top-level modules that `code` names through `crate::`, with grouped
/// imports (`use crate::{a::B, c};`) read item by item.
fn named_modules(code: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let before = rest[..at].chars().last();
        rest = &rest[at + "crate::".len()..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            continue; // `$crate::` or a longer name ending in "crate"
        }
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map_or(group.len(), |(i, _)| i);
            let mut depth = 0;
            let mut item = String::new();
            for c in group[..end].chars().chain([',']) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        found.push(first_ident(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        } else {
            found.push(first_ident(rest));
        }
    }
    found.retain(|m| !m.is_empty() && m.chars().next().is_some_and(|c| c.is_ascii_lowercase()));
    found
}

fn first_ident(s: &str) -> String {
    s.trim_start().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect()
}

/// The top-level module a file of `src/` belongs to: `src/x.rs` and `src/x/…`
/// are `x`; the crate roots and the CLI (`src/main.rs`, `src/cli/`: the binary,
/// which sees only the library's public surface) are `None`.
fn module_of(relative: &Path) -> Option<String> {
    let mut parts = relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned());
    let first = parts.next()?;
    let is_file = parts.next().is_none();
    match first.strip_suffix(".rs") {
        Some("lib" | "main") if is_file => None,
        None if first == "cli" => None,
        Some(name) if is_file => Some(name.to_string()),
        _ => Some(first),
    }
}

/// Every import of a module from its own or a higher layer, as readable lines.
fn violations(files: &[(PathBuf, String)], layers: &BTreeMap<String, usize>) -> Vec<String> {
    let mut found = Vec::new();
    for (path, text) in files {
        let Some(module) = module_of(path) else { continue };
        let Some(&own) = layers.get(&module) else {
            found
                .push(format!("{}: module `{module}` is in no layer of the table", path.display()));
            continue;
        };
        for named in named_modules(&code_of(text)) {
            if named == module {
                continue;
            }
            match layers.get(&named) {
                Some(&layer) if layer < own => {}
                Some(&layer) => found.push(format!(
                    "{}: `{module}` (layer {own}) imports `{named}` (layer {layer})",
                    path.display()
                )),
                None => found.push(format!("{}: `{named}` is in no layer", path.display())),
            }
        }
    }
    found
}

fn rust_files(dir: &Path, base: &Path, out: &mut Vec<(PathBuf, String)>) {
    for entry in fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, base, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            let text = fs::read_to_string(&path).expect("a Rust file is text");
            out.push((path.strip_prefix(base).expect("below src/").to_path_buf(), text));
        }
    }
}

fn readme_layers() -> BTreeMap<String, usize> {
    layers_from_readme(&fs::read_to_string(Path::new(ROOT).join("README.md")).expect("README"))
}

#[test]
fn no_module_of_src_imports_its_own_or_a_higher_layer() {
    let src = Path::new(ROOT).join("src");
    let mut files = Vec::new();
    rust_files(&src, &src, &mut files);
    assert!(files.len() > 50, "read {} files", files.len());
    let layers = readme_layers();
    let problems = violations(&files, &layers);
    assert!(problems.is_empty(), "imports against the layers:\n{}", problems.join("\n"));
}

#[test]
fn every_top_level_module_of_the_library_is_in_the_table_once() {
    let lib = fs::read_to_string(Path::new(ROOT).join("src/lib.rs")).expect("lib.rs");
    let declared: Vec<String> = lib
        .lines()
        .filter_map(|l| l.trim().strip_prefix("pub mod ").or_else(|| l.trim().strip_prefix("mod ")))
        .map(|m| m.trim_end_matches(';').to_string())
        .collect();
    let layers = readme_layers();
    assert!(declared.len() >= 20, "{declared:?}");
    for m in &declared {
        assert!(layers.contains_key(m), "src/lib.rs declares `{m}`, which no layer names");
    }
}

#[test]
fn an_import_from_a_higher_layer_is_named_with_both_layers() {
    let layers = readme_layers();
    let world = layers["world"];
    let agent = layers["agent"];
    assert!(world < agent, "the table puts the world below the agent");
    let files = vec![
        (PathBuf::from("world/mod.rs"), "use crate::agent::QAgent;\n".to_string()),
        (PathBuf::from("world/fluid.rs"), "use crate::{math::x, agent::{Mode, QAgent}};\n".into()),
        (PathBuf::from("world/exact.rs"), "/// See [`crate::agent`].\nuse crate::math;\n".into()),
    ];
    let found = violations(&files, &layers);
    assert_eq!(
        found,
        [
            format!("world/mod.rs: `world` (layer {world}) imports `agent` (layer {agent})"),
            format!("world/fluid.rs: `world` (layer {world}) imports `agent` (layer {agent})"),
        ]
    );
}

#[test]
fn modules_of_one_layer_do_not_import_each_other() {
    let layers = readme_layers();
    assert_eq!(layers["judge"], layers["train"], "the table puts judge and train side by side");
    let files = vec![(PathBuf::from("judge.rs"), "use crate::train::Trainer;\n".to_string())];
    assert_eq!(violations(&files, &layers).len(), 1);
}
