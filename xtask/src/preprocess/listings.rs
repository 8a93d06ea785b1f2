//! Listings from files: a fence that includes a file shows only the part it
//! names, numbered and captioned with the file's path.
//!
//! This runs before mdBook's own `links` preprocessor. A
//! `{{#rustdoc_include file.rs:anchor}}` there would embed the whole file,
//! the lines outside the anchor hidden; hidden lines are not shown but are
//! indexed by the search, so a page that discusses three functions of a
//! module would be found by every word of the module. The page gets
//! `{{#include file.rs:anchor}}` (the anchored lines, which are the visible
//! ones), and the fence's own hidden lines (a `main` running a session) are
//! left out too. The samples' build script expands the chapter from `src/`
//! itself, as `rustdoc_include`, so the test still compiles the whole file.

use std::path::{Component, Path, PathBuf};

use super::fences;

/// The include directives a listing is made of.
const DIRECTIVES: [&str; 2] = ["{{#rustdoc_include ", "{{#include "];

/// A chapter's Markdown with each listing from a file captioned and
/// reduced to what it shows, and the number of listings.
///
/// `chapter` is the chapter's path inside `src/`, `number` its section
/// number (`3` or `3.1`, empty for an unnumbered chapter).
pub fn convert(content: &str, chapter: &Path, number: &str) -> (String, usize) {
    let lines: Vec<&str> = content.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut count = 0;
    let mut next = 0;
    for fence in fences::find(&lines) {
        if fence.close <= fence.open {
            continue;
        }
        let body = &lines[fence.open + 1..fence.close];
        let Some(file) = body.iter().find_map(|l| included_file(l)) else {
            continue;
        };
        count += 1;
        let label = if number.is_empty() {
            format!("{count}")
        } else {
            format!("{number}-{count}")
        };
        let path = repository_path(chapter, file);
        out.extend(lines[next..fence.open].iter().map(|l| (*l).to_owned()));
        out.push(format!(
            "{}<p class=\"listing-caption\" id=\"listing-{label}\"><a href=\"#listing-{label}\">\
             Listing {label}</a>: <code>{path}</code></p>",
            fence.indent
        ));
        out.push(String::new());
        out.push(lines[fence.open].to_owned());
        let rust = fence.attributes().next() == Some("rust");
        for line in body {
            if rust && fences::is_hidden_rust(line) {
                continue;
            }
            out.push(line.replacen(DIRECTIVES[0], DIRECTIVES[1], 1));
        }
        out.push(lines[fence.close].to_owned());
        next = fence.close + 1;
    }
    out.extend(lines[next..].iter().map(|l| (*l).to_owned()));
    let mut text = out.join("\n");
    if content.ends_with('\n') {
        text.push('\n');
    }
    (text, count)
}

/// The file a line's include directive names (without its anchor or line
/// range), if the line is one.
fn included_file(line: &str) -> Option<&str> {
    let rest = line.trim();
    let spec = DIRECTIVES.iter().find_map(|d| rest.strip_prefix(d))?;
    let spec = spec.strip_suffix("}}")?.trim();
    Some(spec.split(':').next().unwrap_or(spec))
}

/// `file`, written relative to the chapter, as a path from the repository's
/// root (the book's `src/` is one level down).
fn repository_path(chapter: &Path, file: &str) -> String {
    let joined =
        Path::new("src").join(chapter.parent().unwrap_or(Path::new(""))).join(file);
    let mut parts: Vec<Component<'_>> = Vec::new();
    for part in joined.components() {
        match part {
            Component::ParentDir if !parts.is_empty() => {
                parts.pop();
            }
            Component::CurDir => {}
            other => parts.push(other),
        }
    }
    parts.iter().collect::<PathBuf>().display().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_listing_shows_its_anchor_only_under_a_caption() {
        let chapter = "Intro.\n\n```rust\n{{#rustdoc_include ../examples/src/_heapqmodule.rs:push}}\n\
            # fn main() -> Result<(), String> {\n#     tutorial_embed::doctest(&[], \"\")\n# }\n```\n";
        let (text, count) = convert(chapter, Path::new("porting-heapq.md"), "9");
        assert_eq!(count, 1);
        assert_eq!(
            text,
            "Intro.\n\n<p class=\"listing-caption\" id=\"listing-9-1\"><a href=\"#listing-9-1\">\
             Listing 9-1</a>: <code>examples/src/_heapqmodule.rs</code></p>\n\n\
             ```rust\n{{#include ../examples/src/_heapqmodule.rs:push}}\n```\n"
        );
    }

    #[test]
    fn listings_are_numbered_in_order_and_other_fences_are_untouched() {
        let chapter = "```c\nint x;\n```\n```text\n{{#include ../tutorial/src/python.rs:token}}\n```\n\
            ```toml\n{{#include ../rustfmt.toml}}\n```\n";
        let (text, count) = convert(chapter, Path::new("safety.md"), "");
        assert_eq!(count, 2);
        assert!(text.starts_with("```c\nint x;\n```\n<p"), "{text}");
        assert!(
            text.contains("Listing 1</a>: <code>tutorial/src/python.rs</code>"),
            "{text}"
        );
        assert!(
            text.contains("Listing 2</a>: <code>rustfmt.toml</code>"),
            "{text}"
        );
    }

    #[test]
    fn an_include_outside_a_fence_is_not_a_listing() {
        let chapter = "{{#include ../CONTRIBUTING.md:workflow}}\n";
        assert_eq!(
            convert(chapter, Path::new("contributing.md"), "3"),
            (chapter.to_owned(), 0)
        );
    }

    #[test]
    fn paths_are_from_the_repository_root() {
        assert_eq!(
            repository_path(Path::new("a.md"), "../tutorial/src/x.rs"),
            "tutorial/src/x.rs"
        );
        assert_eq!(repository_path(Path::new("a.md"), "notes.md"), "src/notes.md");
        assert_eq!(repository_path(Path::new("sub/a.md"), "../x.rs"), "src/x.rs");
    }
}
