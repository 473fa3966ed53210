//! The traces shipped with the project: the only files a share link may name.
//! A link is pasted from others, so it names a trace as the project knows it
//! (the preset's name, the path in the repository, or the file's name), never a
//! path of the machine that opens it. Here, below the link and the presets, so
//! that both read the one list.

/// Each shipped trace: the name of its preset and its path from the
/// repository's root (which the page serves at the same path from `www/`).
pub const SHIPPED_TRACES: [(&str, &str); 2] = [
    ("azure-conv", "traces/azure-llm-2023/AzureLLMInferenceTrace_conv.csv"),
    ("azure-code", "traces/azure-llm-2023/AzureLLMInferenceTrace_code.csv"),
];

/// The path of the shipped trace that `source` names, by its preset's name, its
/// path or its file's name; `None` for anything else.
pub fn shipped_trace(source: &str) -> Option<&'static str> {
    SHIPPED_TRACES
        .iter()
        .find(|(name, path)| {
            let file = path.strip_suffix(source).is_some_and(|folder| folder.ends_with('/'));
            source == *name || source == *path || file
        })
        .map(|t| t.1)
}
