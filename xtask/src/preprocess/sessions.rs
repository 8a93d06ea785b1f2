//! Python sessions shown as Python: a `rust` fence's visible
//! `tutorial_embed::doctest(..., r#"` call is shown as a `pycon` block of
//! the session it runs.
//!
//! The chapter's source keeps the Rust fence, which skeptic compiles and
//! runs (the samples' build script reads `src/`, not this output), so the
//! session on the page is, character for character, the one the test runs:
//! `doctest` fails unless every `>>>` line prints what follows it.

use super::fences::{self, Fence};

/// The line that opens a shown session, after its indentation.
const CALL: &str = "tutorial_embed::doctest(";

/// The end of that line: a raw string, so the session is the text as written.
const RAW_OPEN: &str = "r#\"";

/// How the raw string closes, at the start of a line.
const RAW_CLOSE: &str = "\"#)";

/// A chapter's Markdown with each shown session as a `pycon` block, and
/// the number of sessions converted.
///
/// # Errors
///
/// A message naming the line of a session skeptic would not run (in a
/// `no_run` or `ignore` fence) or one whose raw string never closes.
pub fn convert(content: &str) -> Result<(String, usize), String> {
    let lines: Vec<&str> = content.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut count = 0;
    let mut next = 0;
    for fence in fences::find(&lines) {
        let Some(parts) = split(&lines, &fence)? else {
            continue;
        };
        out.extend(lines[next..fence.open].iter().map(|l| (*l).to_owned()));
        for part in parts {
            match part {
                Part::Rust(body) => {
                    if body
                        .iter()
                        .any(|l| !l.trim().is_empty() && !fences::is_hidden_rust(l))
                    {
                        out.push(format!(
                            "{}{}{}",
                            fence.indent, fence.marker, fence.info
                        ));
                        out.extend(body.iter().map(|l| (*l).to_owned()));
                        out.push(format!("{}{}", fence.indent, fence.marker));
                    }
                }
                Part::Session(body) => {
                    count += 1;
                    if out.last().is_some_and(|l| !l.trim().is_empty()) {
                        out.push(String::new());
                    }
                    out.push(format!("{}{}pycon", fence.indent, fence.marker));
                    out.extend(body.iter().map(|l| format!("{}{l}", fence.indent)));
                    out.push(format!("{}{}", fence.indent, fence.marker));
                }
            }
        }
        next = fence.close + 1;
    }
    out.extend(lines[next..].iter().map(|l| (*l).to_owned()));
    let mut text = out.join("\n");
    if content.ends_with('\n') {
        text.push('\n');
    }
    Ok((text, count))
}

/// A piece of a Rust fence: Rust lines, or a session's lines.
enum Part<'a> {
    /// Lines of Rust, hidden ones included.
    Rust(Vec<&'a str>),
    /// The lines of one session (`>>>` lines and their output).
    Session(Vec<&'a str>),
}

/// The pieces of `fence`, or `None` if it shows no session.
fn split<'a>(
    lines: &[&'a str],
    fence: &Fence,
) -> Result<Option<Vec<Part<'a>>>, String> {
    if fence.attributes().next() != Some("rust") || fence.close <= fence.open {
        return Ok(None);
    }
    let body = &lines[fence.open + 1..fence.close];
    let mut parts = Vec::new();
    let mut rust = Vec::new();
    let mut i = 0;
    while i < body.len() {
        let line = body[i];
        let trimmed = line.trim();
        if !fences::is_hidden_rust(line)
            && trimmed.starts_with(CALL)
            && trimmed.ends_with(RAW_OPEN)
        {
            let at = fence.open + 2 + i;
            if !fence.is_tested_rust() {
                return Err(format!(
                    "line {at}: a session in a `{}` fence is shown but not run; \
                     sessions go in a `rust` fence that skeptic runs",
                    fence.info
                ));
            }
            let end = (i + 1..body.len())
                .find(|&j| body[j].starts_with(RAW_CLOSE))
                .ok_or_else(|| {
                    format!("line {at}: the session's raw string does not close")
                })?;
            parts.push(Part::Rust(std::mem::take(&mut rust)));
            parts.push(Part::Session(body[i + 1..end].to_vec()));
            i = end + 1;
        } else {
            rust.push(line);
            i += 1;
        }
    }
    if parts.is_empty() {
        return Ok(None);
    }
    parts.push(Part::Rust(rust));
    Ok(Some(parts))
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAPTER: &str = "Text.\n\n```rust\n# use tutorial::prelude::*;\n\
        fn shown() {}\n# fn main() -> Result<(), String> {\n\
        tutorial_embed::doctest(&[(\"spam\", spam::init)], r#\"\n\
        >>> import spam\n>>> spam.f()\n1\n\"#)\n# }\n```\n\nAfter.\n";

    #[test]
    fn the_session_becomes_a_pycon_block_after_the_shown_rust() {
        let (text, count) = convert(CHAPTER).expect("converts");
        assert_eq!(count, 1);
        assert_eq!(
            text,
            "Text.\n\n```rust\n# use tutorial::prelude::*;\nfn shown() {}\n\
             # fn main() -> Result<(), String> {\n```\n\n\
             ```pycon\n>>> import spam\n>>> spam.f()\n1\n```\n\nAfter.\n"
        );
    }

    #[test]
    fn a_fence_of_hidden_lines_only_is_dropped() {
        let chapter = "```rust\n# fn main() -> Result<(), String> {\n\
            tutorial_embed::doctest(&[], r#\"\n>>> 1 + 1\n2\n\"#)\n# }\n```\n";
        let (text, count) = convert(chapter).expect("converts");
        assert_eq!((text.as_str(), count), ("```pycon\n>>> 1 + 1\n2\n```\n", 1));
    }

    #[test]
    fn the_session_text_is_kept_exactly() {
        let (text, _) = convert(CHAPTER).expect("converts");
        let session = ">>> import spam\n>>> spam.f()\n1\n";
        assert!(CHAPTER.contains(session) && text.contains(session));
    }

    #[test]
    fn hidden_sessions_and_other_fences_are_left_alone() {
        let chapter = "```rust\n# tutorial_embed::doctest(&[], r#\"\n# >>> 1\n# \"#)\n```\n\
            ````markdown\n```rust\ntutorial_embed::doctest(&[], r#\"\n>>> 1\n1\n\"#)\n```\n````\n";
        assert_eq!(convert(chapter).expect("converts"), (chapter.to_owned(), 0));
    }

    #[test]
    fn a_session_that_would_not_run_is_refused() {
        let chapter = "```rust,no_run\ntutorial_embed::doctest(&[], r#\"\n>>> 1\n1\n\"#)\n```\n";
        let error = convert(chapter).expect_err("refused");
        assert!(
            error.starts_with("line 2: a session in a `rust,no_run` fence"),
            "{error}"
        );
        let unclosed = "```rust\ntutorial_embed::doctest(&[], r#\"\n>>> 1\n```\n";
        assert!(convert(unclosed).is_err());
    }

    #[test]
    fn every_session_in_the_book_is_shown_as_python() {
        let src = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../src");
        let mut sessions = 0;
        for path in crate::process::files_with_extension(&src, "md").expect("src/")
        {
            let text = std::fs::read_to_string(&path).expect("a chapter");
            let (out, n) = convert(&text)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            sessions += n;
            let lines: Vec<&str> = out.lines().collect();
            for fence in fences::find(&lines) {
                if fence.attributes().next() != Some("rust") {
                    continue;
                }
                for line in &lines[fence.open + 1..fence.close] {
                    let trimmed = line.trim();
                    assert!(
                        fences::is_hidden_rust(line)
                            || !(trimmed.starts_with(CALL)
                                && trimmed.ends_with(RAW_OPEN)),
                        "{}: a session still shown as Rust: {line}",
                        path.display()
                    );
                }
            }
        }
        assert!(
            sessions >= 40,
            "only {sessions} sessions found in {}",
            src.display()
        );
    }

    #[test]
    fn two_sessions_in_one_fence_keep_the_rust_between_them() {
        let chapter = "```rust\nfn a() {}\ntutorial_embed::doctest(&[], r#\"\n>>> 1\n1\n\"#)?;\n\
            let x = 2;\ntutorial_embed::doctest(&[], r#\"\n>>> 2\n2\n\"#)\n```\n";
        let (text, count) = convert(chapter).expect("converts");
        assert_eq!(count, 2);
        assert_eq!(
            text,
            "```rust\nfn a() {}\n```\n\n```pycon\n>>> 1\n1\n```\n```rust\nlet x = 2;\n```\n\n\
             ```pycon\n>>> 2\n2\n```\n"
        );
    }
}
