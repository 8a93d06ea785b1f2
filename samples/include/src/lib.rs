//! mdBook's `{{#include file:anchor}}` and `{{#rustdoc_include file:anchor}}`,
//! expanded the way mdBook expands them, for the book's samples: the
//! samples' build script runs every ```rust fence of the expanded chapters,
//! so that code a chapter includes from a file is compiled and run as the
//! reader sees it.
//!
//! One difference from mdBook, on purpose: where mdBook quietly includes
//! nothing (a missing file, an anchor the file does not have, a range that
//! selects no line), this is an error, because an empty sample would pass.

use std::path::{Path, PathBuf};

/// The anchors a file defines: the name after each start marker, found as
/// mdBook finds them.
pub fn anchors(text: &str) -> Vec<String> {
    text.lines()
        .filter_map(|line| marker(line, "ANCHOR:"))
        .map(str::to_owned)
        .collect()
}

/// Expands mdBook's include directives in a chapter, as mdBook does, and
/// records each file it read and the anchor it took from it in `used`, as
/// `(canonical path, anchor or "")`.
///
/// # Errors
///
/// A one-line message for a file that cannot be read, an anchor it does not
/// have (or that has no end, or holds no line), or a line range that
/// selects no line.
pub fn expand_includes(
    text: &str,
    dir: &Path,
    used: &mut Vec<(PathBuf, String)>,
) -> Result<String, String> {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match parse_include(line) {
            Some((hide_rest, file, anchor)) => {
                let path = dir.join(file);
                let source = std::fs::read_to_string(&path).map_err(|e| {
                    format!("cannot include {}: {e}", path.display())
                })?;
                let selected = select_anchor(&source, anchor, hide_rest).map_err(
                    |problem| format!("{{{{#include {file}}}}}: {problem}"),
                )?;
                out.push_str(&selected);
                let canonical = path.canonicalize().unwrap_or(path);
                used.push((canonical, anchor.unwrap_or("").to_owned()));
            }
            None => out.push_str(line),
        }
    }
    Ok(out)
}

/// `"3:10"`, `"3:"`, `":10"` or `"3"` as a line range (from, to), if it is one.
fn line_range(anchor: &str) -> Option<(Option<usize>, Option<usize>)> {
    let num = |s: &str| if s.is_empty() { Ok(None) } else { s.parse().map(Some) };
    match anchor.split_once(':') {
        Some((a, b)) => Some((num(a).ok()?, num(b).ok()?)),
        None => num(anchor).ok().map(|n| (n, n)),
    }
}

/// `{{#include file:anchor}}` or `{{#rustdoc_include file:anchor}}` on a
/// line of its own: (whether lines outside the anchor are kept hidden, the
/// file, the anchor).
fn parse_include(line: &str) -> Option<(bool, &str, Option<&str>)> {
    let inner = line.trim().strip_prefix("{{#")?.strip_suffix("}}")?;
    let (hide_rest, arg) = if let Some(arg) = inner.strip_prefix("rustdoc_include ")
    {
        (true, arg)
    } else {
        (false, inner.strip_prefix("include ")?)
    };
    let arg = arg.trim();
    Some(match arg.split_once(':') {
        Some((file, anchor)) => (hide_rest, file, Some(anchor)),
        None => (hide_rest, arg, None),
    })
}

/// The lines of `source` between the anchor's start and end markers
/// (all lines without an anchor; lines `a` to `b` for `a:b`, 1-based,
/// either end optional), dropping every anchor line. With `hide_rest`, the
/// lines outside are kept behind `# `, as rustdoc hides them.
///
/// # Errors
///
/// A message if the anchor is not in `source`, has no end or selects no
/// line, or if the line range selects no line.
pub fn select_anchor(
    source: &str,
    anchor: Option<&str>,
    hide_rest: bool,
) -> Result<String, String> {
    if let Some((from, to)) = anchor.and_then(line_range) {
        let lines: Vec<&str> = source.lines().collect();
        // As mdBook does, a range may run past the end; it may not be empty.
        let to = to.unwrap_or(lines.len()).min(lines.len());
        let from = from.unwrap_or(1).max(1);
        if from > to {
            return Err(format!(
                "the line range selects nothing (the file has {} lines)",
                lines.len()
            ));
        }
        return Ok(lines[from - 1..to].iter().map(|l| format!("{l}\n")).collect());
    }
    let mut out = String::new();
    let mut inside = anchor.is_none();
    let (mut opened, mut closed, mut selected) = (false, false, 0);
    for line in source.lines() {
        if let Some(name) = marker(line, "ANCHOR:") {
            if Some(name) == anchor {
                inside = true;
                opened = true;
            }
            continue;
        }
        if let Some(name) = marker(line, "ANCHOR_END:") {
            if Some(name) == anchor {
                inside = false;
                closed = true;
            }
            continue;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
            selected += 1;
        } else if hide_rest {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    if let Some(name) = anchor {
        if !opened {
            return Err(format!("no `ANCHOR: {name}` in the file"));
        }
        if !closed {
            return Err(format!("`ANCHOR: {name}` has no `ANCHOR_END: {name}`"));
        }
        if selected == 0 {
            return Err(format!("the anchor `{name}` holds no line"));
        }
    }
    Ok(out)
}

/// The anchor name after `keyword` anywhere in `line`, as mdBook finds it
/// (the regex `ANCHOR:\s*([\w_-]+)`): mdBook drops every such line from
/// what it includes, whichever anchor it names.
pub fn marker<'a>(line: &'a str, keyword: &str) -> Option<&'a str> {
    let (_, rest) = line.split_once(keyword)?;
    let rest = rest.trim_start();
    let end = rest
        .find(|c: char| !(c.is_alphanumeric() || c == '_' || c == '-'))
        .unwrap_or(rest.len());
    (end > 0).then(|| &rest[..end])
}

#[cfg(test)]
mod tests {
    use super::*;

    const SOURCE: &str = "a\n// ANCHOR: part\nb\nc\n// ANCHOR_END: part\nd\n";

    #[test]
    fn an_anchor_selects_its_lines_and_rustdoc_include_hides_the_rest() {
        assert_eq!(
            select_anchor(SOURCE, Some("part"), false),
            Ok("b\nc\n".to_owned())
        );
        assert_eq!(
            select_anchor(SOURCE, Some("part"), true),
            Ok("# a\nb\nc\n# d\n".to_owned())
        );
        assert_eq!(
            select_anchor(SOURCE, None, false),
            Ok("a\nb\nc\nd\n".to_owned())
        );
        assert_eq!(
            select_anchor(SOURCE, Some("2:3"), false),
            Ok("// ANCHOR: part\nb\n".to_owned())
        );
    }

    #[test]
    fn a_misspelt_anchor_is_an_error_not_an_empty_sample() {
        let err =
            select_anchor(SOURCE, Some("prat"), false).expect_err("no such anchor");
        assert_eq!(err, "no `ANCHOR: prat` in the file");
        let unclosed = "// ANCHOR: open\nx\n";
        assert!(
            select_anchor(unclosed, Some("open"), false)
                .expect_err("no end")
                .contains("no `ANCHOR_END")
        );
        let empty = "// ANCHOR: e\n// ANCHOR_END: e\n";
        assert!(
            select_anchor(empty, Some("e"), false)
                .expect_err("empty")
                .contains("holds no line")
        );
        assert!(
            select_anchor(SOURCE, Some("9:12"), false).is_err(),
            "a range past the end selects nothing"
        );
    }

    #[test]
    fn a_missing_file_or_anchor_fails_the_chapter() {
        let dir = std::env::temp_dir()
            .join(format!("book-include-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        std::fs::write(dir.join("code.rs"), SOURCE).expect("write");
        let mut used = Vec::new();
        let ok =
            expand_includes("x\n{{#include code.rs:part}}\ny\n", &dir, &mut used);
        assert_eq!(ok, Ok("x\nb\nc\ny\n".to_owned()));
        assert_eq!(used.len(), 1);
        assert_eq!(used[0].1, "part");
        let misspelt =
            expand_includes("{{#rustdoc_include code.rs:prat}}\n", &dir, &mut used);
        assert!(misspelt.expect_err("misspelt").contains("no `ANCHOR: prat`"));
        let missing = expand_includes("{{#include nowhere.rs}}\n", &dir, &mut used);
        assert!(missing.expect_err("missing").contains("cannot include"));
        std::fs::remove_dir_all(&dir).expect("clean up");
    }

    #[test]
    fn anchors_are_found_where_mdbook_finds_them() {
        let text = "// ANCHOR: a\nx\n// ANCHOR_END: a\n# ANCHOR: b-c\n<!-- ANCHOR: d -->\n";
        assert_eq!(anchors(text), ["a", "b-c", "d"]);
        assert!(anchors("the `ANCHOR:` marker\n").is_empty());
        // mdBook drops such a line from what it includes, whatever it says.
        assert_eq!(marker("see `// ANCHOR: name` above", "ANCHOR:"), Some("name"));
    }
}
