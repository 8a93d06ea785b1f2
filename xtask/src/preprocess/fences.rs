//! Finding the fenced code blocks of a chapter's Markdown, line by line.

/// One fenced code block: where it is and what it says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fence {
    /// The index of the opening fence's line.
    pub open: usize,
    /// The index of the closing fence's line (the last line if unclosed).
    pub close: usize,
    /// The opening line's indentation.
    pub indent: String,
    /// The fence itself: three or more backticks or tildes.
    pub marker: String,
    /// The info string after the fence (`rust,no_run`), trimmed.
    pub info: String,
}

impl Fence {
    /// The info string's words: `rust,no_run` gives `rust` and `no_run`.
    pub fn attributes(&self) -> impl Iterator<Item = &str> {
        self.info.split([',', ' ']).map(str::trim).filter(|w| !w.is_empty())
    }

    /// Whether the block is Rust that skeptic compiles and runs (`rust`,
    /// without `no_run`, `ignore` or `compile_fail`).
    pub fn is_tested_rust(&self) -> bool {
        self.attributes().next() == Some("rust")
            && !self
                .attributes()
                .any(|a| matches!(a, "no_run" | "ignore" | "compile_fail"))
    }
}

/// The fenced code blocks of `lines`, outermost only (a block shown inside a
/// longer fence, as a chapter about Markdown does, is the longer fence's text).
pub fn find(lines: &[&str]) -> Vec<Fence> {
    let mut fences = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        if let Some((indent, marker, info)) = opening(lines[i]) {
            let close = (i + 1..lines.len())
                .find(|&j| closes(lines[j], &marker))
                .unwrap_or(lines.len() - 1);
            fences.push(Fence { open: i, close, indent, marker, info });
            i = close + 1;
        } else {
            i += 1;
        }
    }
    fences
}

/// The indentation, fence and info string of an opening fence line.
fn opening(line: &str) -> Option<(String, String, String)> {
    let rest = line.trim_start();
    let indent = &line[..line.len() - rest.len()];
    let ch = rest.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let count = rest.chars().take_while(|c| *c == ch).count();
    if count < 3 {
        return None;
    }
    let info = rest[count..].trim();
    if ch == '`' && info.contains('`') {
        return None;
    }
    Some((indent.to_owned(), rest[..count].to_owned(), info.to_owned()))
}

/// Whether `line` closes a block opened with `marker`.
fn closes(line: &str, marker: &str) -> bool {
    let rest = line.trim();
    let ch = marker.chars().next().unwrap_or('`');
    rest.len() >= marker.len() && rest.chars().all(|c| c == ch)
}

/// Whether mdBook hides `line` of a Rust block: a `#` alone or followed by a
/// space, after any indentation (`#[derive]` and `##` are shown).
pub fn is_hidden_rust(line: &str) -> bool {
    let rest = line.trim_start();
    rest == "#" || rest.starts_with("# ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_longer_fence_contains_the_shorter_one() {
        let text = "````markdown\n```rust\nx\n```\n````\n```c\ny\n```\n";
        let lines: Vec<&str> = text.lines().collect();
        let fences = find(&lines);
        assert_eq!(fences.len(), 2, "{fences:?}");
        assert_eq!((fences[0].open, fences[0].close), (0, 4));
        assert_eq!(fences[0].info, "markdown");
        assert_eq!(
            (fences[1].open, fences[1].close, fences[1].info.as_str()),
            (5, 7, "c")
        );
    }

    #[test]
    fn only_rust_that_runs_is_tested_rust() {
        let fence = |info: &str| Fence {
            open: 0,
            close: 1,
            indent: String::new(),
            marker: "```".to_owned(),
            info: info.to_owned(),
        };
        assert!(fence("rust").is_tested_rust());
        assert!(fence("rust,should_panic").is_tested_rust());
        assert!(!fence("rust,no_run").is_tested_rust());
        assert!(!fence("rust,ignore").is_tested_rust());
        assert!(!fence("text").is_tested_rust());
    }

    #[test]
    fn hidden_lines_follow_mdbook() {
        assert!(is_hidden_rust("# fn main() {"));
        assert!(is_hidden_rust("    # }"));
        assert!(is_hidden_rust("#"));
        assert!(!is_hidden_rust("#[derive(Debug)]"));
        assert!(!is_hidden_rust("## escaped"));
        assert!(!is_hidden_rust("let x = 1; # no"));
    }
}
