//! Every line a reader sees in a code block fits the book's column.
//!
//! The page's content column holds about 84 characters of monospace text
//! at the default font size; a longer line scrolls sideways, and a listing
//! that scrolls is half read. The check runs on the chapters as the book
//! shows them: includes expanded, and the hidden lines of a `rust` block
//! (`# ` lines, as mdBook hides them) left out.
//!
//! Program output (`text` and `console` blocks: compiler errors, gdb
//! backtraces, tracebacks, quoted from real runs) is not measured: it cannot
//! be reflowed without changing it, so the book's stylesheet wraps its long
//! lines instead (`src/css/wrap-output.css`).

/// The widest line a code block may show, in characters.
const COLUMN: usize = 84;

/// The languages whose blocks the stylesheet wraps: program output.
const WRAPPED: &[&str] = &["text", "console"];

/// The expanded chapters (written by `build.rs`).
const CHAPTERS: &str = include_str!(concat!(env!("OUT_DIR"), "/chapters.txt"));

/// Whether mdBook hides `line` in a `rust` block: `#` alone, or `# ` before
/// the code (but not `#[attr]` or `#!`).
fn hidden(line: &str) -> bool {
    let trimmed = line.trim_start();
    trimmed == "#" || trimmed.starts_with("# ")
}

/// The visible lines wider than the column, as `line: text`, in the code
/// blocks of a chapter's `text`.
fn too_wide(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut fence: Option<(String, String)> = None; // (marker, language)
    for (i, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        match &fence {
            None => {
                if let Some(rest) = trimmed.strip_prefix("```") {
                    let lang =
                        rest.split([',', ' ']).next().unwrap_or("").to_owned();
                    let marker: String =
                        trimmed.chars().take_while(|&c| c == '`').collect();
                    fence = Some((marker, lang));
                }
            }
            Some((marker, lang)) => {
                if trimmed.starts_with(marker.as_str())
                    && trimmed.trim_end() == marker
                {
                    fence = None;
                } else if !(WRAPPED.contains(&lang.as_str())
                    || (lang == "rust" && hidden(line)))
                    && line.chars().count() > COLUMN
                {
                    found.push(format!("{}: {line}", i + 1));
                }
            }
        }
    }
    found
}

#[test]
fn no_visible_code_line_is_wider_than_the_column() {
    let mut report = Vec::new();
    let mut blocks_checked = 0;
    for path in CHAPTERS.lines() {
        let text =
            std::fs::read_to_string(path).expect("build.rs wrote the chapter");
        blocks_checked += text.matches("\n```").count();
        let name = std::path::Path::new(path)
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        for line in too_wide(&text) {
            report.push(format!("{name}:{line}"));
        }
    }
    assert!(
        blocks_checked > 100,
        "only {blocks_checked} fences found: is the book there?"
    );
    assert!(
        report.is_empty(),
        "{} visible lines are wider than {COLUMN} characters (line numbers are of the expanded chapter):\n{}",
        report.len(),
        report.join("\n")
    );
}

#[test]
fn hidden_lines_and_other_languages_are_measured_as_shown() {
    let long = "x".repeat(COLUMN + 1);
    let chapter = format!("```rust\n# {long}\nok\n```\n\n```c\n# {long}\n```\n");
    let found = too_wide(&chapter);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(found[0].starts_with("7: "), "{found:?}");
    assert!(
        too_wide(&format!("```text\n{long}\n```\n")).is_empty(),
        "output wraps"
    );
    assert!(
        too_wide(&format!("{long}\n```rust\nfn f() {{}}\n```\n")).is_empty(),
        "prose is not code"
    );
}
