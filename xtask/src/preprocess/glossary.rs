//! The glossary's terms, linked from their first use in each chapter.
//!
//! The terms are the glossary's `###` headings. A term written as code in
//! its heading (`` `Bound` ``) is matched in code spans (`` `Bound<'py, T>` ``
//! too); any other is matched in prose, whole words, in any case, plural
//! included. Headings, table headers, links, images, code blocks and HTML
//! are left alone, and only the first use of each term in a chapter gets a
//! link.

use std::path::Path;

use pulldown_cmark::{Event, Options, Parser, Tag};

/// The glossary's page, inside `src/`.
pub const PAGE: &str = "glossary.md";

/// One glossary entry, as the chapters refer to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// The spellings that refer to it: `Borrowed reference`, or for a code
    /// term its code (`Bound`).
    pub names: Vec<String>,
    /// Whether it is matched in code spans rather than in prose.
    pub code: bool,
    /// The heading's id on the glossary page.
    pub id: String,
}

/// The terms of the glossary page `text`.
pub fn terms(text: &str) -> Vec<Term> {
    text.lines()
        .filter_map(|line| line.strip_prefix("### "))
        .filter_map(|heading| {
            let (title, id) = match heading.rsplit_once("{#") {
                Some((title, id)) => {
                    (title.trim(), id.trim_end_matches('}').to_owned())
                }
                None => (heading.trim(), heading_id(heading)),
            };
            let code = title.starts_with('`')
                && title.ends_with('`')
                && title.matches('`').count() == 2;
            let title = title.strip_prefix("The ").unwrap_or(title);
            let names: Vec<String> = if code {
                vec![title.trim_matches('`').to_owned()]
            } else if title.contains('`') {
                // A heading mixing code and prose (the `'py` lifetime) is
                // too loose to find in prose: it is linked by hand.
                Vec::new()
            } else {
                title.split(", ").map(str::to_owned).collect()
            };
            (!names.is_empty()).then_some(Term { names, code, id })
        })
        .collect()
}

/// mdBook's id for a heading: lower case, spaces as `-`, other punctuation dropped.
fn heading_id(heading: &str) -> String {
    heading
        .trim()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => {
                Some(c.to_ascii_lowercase())
            }
            _ => None,
        })
        .collect()
}

/// `content` (the chapter at `chapter`, inside `src/`) with the first use
/// of each term linked to its entry, and the number of links added.
pub fn link(content: &str, chapter: &Path, terms: &[Term]) -> (String, usize) {
    if chapter == Path::new(PAGE) {
        return (content.to_owned(), 0);
    }
    let up = "../".repeat(chapter.components().count().saturating_sub(1));
    // A term the chapter links by hand is linked already.
    let mut linked: Vec<bool> = terms
        .iter()
        .map(|t| content.contains(&format!("{PAGE}#{})", t.id)))
        .collect();
    let mut edits: Vec<(std::ops::Range<usize>, String)> = Vec::new();
    let mut skip = 0usize;
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_HEADING_ATTRIBUTES;
    for (event, range) in Parser::new_ext(content, options).into_offset_iter() {
        match event {
            Event::Start(
                Tag::Heading(..)
                | Tag::TableHead
                | Tag::Link(..)
                | Tag::Image(..)
                | Tag::CodeBlock(_),
            ) => skip += 1,
            Event::End(
                Tag::Heading(..)
                | Tag::TableHead
                | Tag::Link(..)
                | Tag::Image(..)
                | Tag::CodeBlock(_),
            ) => skip = skip.saturating_sub(1),
            Event::Text(_) if skip == 0 => {
                let source = &content[range.clone()];
                let mut taken: Vec<std::ops::Range<usize>> = Vec::new();
                for (i, term) in terms.iter().enumerate() {
                    if linked[i] || term.code {
                        continue;
                    }
                    let found =
                        term.names.iter().find_map(|name| find_word(source, name));
                    if let Some(at) = found {
                        if taken
                            .iter()
                            .any(|t| t.start < at.end && at.start < t.end)
                        {
                            continue;
                        }
                        linked[i] = true;
                        let text = &source[at.clone()];
                        let href = format!("{up}{PAGE}#{}", term.id);
                        edits.push((
                            range.start + at.start..range.start + at.end,
                            format!("[{text}]({href})"),
                        ));
                        taken.push(at);
                    }
                }
            }
            Event::Code(code) if skip == 0 => {
                let base = code.split('<').next().unwrap_or(&code);
                let found = terms.iter().enumerate().find(|(i, t)| {
                    !linked[*i] && t.code && t.names.iter().any(|n| n == base)
                });
                if let Some((i, term)) = found {
                    linked[i] = true;
                    let text = &content[range.clone()];
                    edits
                        .push((range, format!("[{text}]({up}{PAGE}#{})", term.id)));
                }
            }
            _ => {}
        }
    }
    edits.sort_by_key(|(range, _)| range.start);
    let mut out = String::with_capacity(content.len() + edits.len() * 32);
    let mut at = 0;
    for (range, replacement) in &edits {
        out.push_str(&content[at..range.start]);
        out.push_str(replacement);
        at = range.end;
    }
    out.push_str(&content[at..]);
    (out, edits.len())
}

/// Where `name` occurs in `text` as a whole word (any case, an `s` or `es`
/// plural allowed).
fn find_word(text: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let lower = text.to_lowercase();
    let wanted = name.to_lowercase();
    if lower.len() != text.len() {
        // Lower-casing changed the byte offsets: match the case as written.
        return find_word_exact(text, name);
    }
    find_word_exact(&lower, &wanted)
}

/// [`find_word`] without folding the case.
fn find_word_exact(text: &str, name: &str) -> Option<std::ops::Range<usize>> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    let mut from = 0;
    while let Some(i) = text[from..].find(name) {
        let start = from + i;
        let mut end = start + name.len();
        for plural in ["es", "s"] {
            if text[end..].starts_with(plural)
                && !text[end + plural.len()..].starts_with(is_word)
            {
                end += plural.len();
                break;
            }
        }
        let before_ok = !text[..start].ends_with(is_word);
        let after_ok = !text[end..].starts_with(is_word);
        if before_ok && after_ok {
            return Some(start..end);
        }
        from = start + name.len();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    const GLOSSARY: &str = "# Glossary\n\n## B\n\n### Borrowed reference\n\ntext\n\n### `Bound`\n\n\
        ### cdylib, rlib, staticlib {#crate-type}\n\n### The `'py` lifetime {#py-lifetime}\n\n\
        ### GIL\n";

    #[test]
    fn terms_are_the_third_level_headings() {
        let terms = terms(GLOSSARY);
        let names: Vec<(&[String], bool, &str)> = terms
            .iter()
            .map(|t| (t.names.as_slice(), t.code, t.id.as_str()))
            .collect();
        assert_eq!(names.len(), 4, "{names:?}");
        assert_eq!(
            names[0],
            (&["Borrowed reference".to_owned()][..], false, "borrowed-reference")
        );
        assert_eq!(names[1], (&["Bound".to_owned()][..], true, "bound"));
        assert_eq!(names[2].0, ["cdylib", "rlib", "staticlib"]);
        assert_eq!(names[2].2, "crate-type");
        assert_eq!(names[3], (&["GIL".to_owned()][..], false, "gil"));
    }

    #[test]
    fn the_first_use_in_prose_and_in_code_is_linked_once() {
        let chapter = "# The GIL\n\nHolding the gil, a borrowed\nreference is not\n\
            one: Borrowed references and `Bound<'py, T>` and `Bound`, the GIL.\n";
        let (text, n) = link(chapter, Path::new("a.md"), &terms(GLOSSARY));
        assert_eq!(n, 3, "{text}");
        assert_eq!(
            text,
            "# The GIL\n\nHolding the [gil](glossary.md#gil), a borrowed\nreference is not\n\
             one: [Borrowed references](glossary.md#borrowed-reference) and \
             [`Bound<'py, T>`](glossary.md#bound) and `Bound`, the GIL.\n"
        );
    }

    #[test]
    fn links_code_blocks_and_parts_of_words_are_left_alone() {
        let chapter = "[the GIL](x.md) and ENGIL, GILX\n\n```rust\nlet gil = 1;\n```\n\n\
            <p>GIL</p>\n";
        let (text, n) = link(chapter, Path::new("a.md"), &terms(GLOSSARY));
        assert_eq!((text.as_str(), n), (chapter, 0));
    }

    #[test]
    fn a_term_linked_by_hand_is_not_linked_again() {
        let chapter = "The GIL, and [the GIL](glossary.md#gil).\n";
        assert_eq!(
            link(chapter, Path::new("a.md"), &terms(GLOSSARY)),
            (chapter.to_owned(), 0)
        );
    }

    #[test]
    fn the_glossary_itself_is_not_linked_and_depth_is_kept() {
        let (text, n) = link("GIL", Path::new(PAGE), &terms(GLOSSARY));
        assert_eq!((text.as_str(), n), ("GIL", 0));
        let (text, _) = link("GIL", Path::new("sub/a.md"), &terms(GLOSSARY));
        assert_eq!(text, "[GIL](../glossary.md#gil)");
    }
}
