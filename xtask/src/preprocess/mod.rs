//! The book's mdBook preprocessors, run by `mdbook build` as
//! `cargo xtask mdbook STAGE` (see `book.toml`).
//!
//! mdBook runs a preprocessor command once with `supports RENDERER`, then
//! with the book as JSON (`[context, book]`) on its standard input, and reads
//! the changed book from its standard output. Two stages:
//!
//! - `listings`, before mdBook's `links`: listings from files show only the
//!   part they include, captioned with the file's path ([`listings`]).
//! - `pages`, after `links`: Python sessions shown as `pycon` blocks
//!   ([`sessions`]), the glossary's terms linked at their first use in each
//!   chapter ([`glossary`]), diagrams given their narrow version on a
//!   phone ([`figures`]), and the data of the "Tested on" box.
//!
//! Neither changes what is tested: the samples' build script reads the
//! chapters from `src/`, not from mdBook.
//!
//! The same command runs one renderer, `search`, after mdBook's HTML: it
//! writes the text the page's search looks in ([`search`]).

mod fences;
mod figures;
mod glossary;
mod listings;
mod search;
mod sessions;

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};

use serde_json::Value;

/// Runs the preprocessor `stage` with the arguments mdBook gave.
///
/// # Errors
///
/// A message if the stage is unknown, the input is not a book, or a
/// chapter cannot be converted (naming the chapter).
pub fn run(stage: &str, args: &[String]) -> Result<(), String> {
    if !matches!(stage, "listings" | "pages" | "search") {
        return Err(format!(
            "unknown stage `{stage}` (the preprocessors listings and pages, \
             the renderer search)"
        ));
    }
    if stage == "search" {
        // A renderer: mdBook sends its render context, and reads nothing back.
        let mut input = String::new();
        std::io::stdin().read_to_string(&mut input).map_err(|e| {
            format!("cannot read the render context from mdBook: {e}")
        })?;
        return search::render(&input);
    }
    if let [supports, renderer] = args {
        if supports == "supports" {
            // The HTML and the link checker read the same text; the search
            // renderer reads the HTML, not the chapters (a failure with no
            // message tells mdBook to skip this preprocessor for it).
            return if renderer == "html-search" {
                Err(String::new())
            } else {
                Ok(())
            };
        }
    }
    let mut input = String::new();
    std::io::stdin()
        .read_to_string(&mut input)
        .map_err(|e| format!("cannot read the book from mdBook: {e}"))?;
    let output = process(stage, &input)?;
    std::io::stdout()
        .write_all(output.as_bytes())
        .map_err(|e| format!("cannot give the book back to mdBook: {e}"))
}

/// The book mdBook sent (`[context, book]`), changed by `stage`, as JSON.
fn process(stage: &str, input: &str) -> Result<String, String> {
    let value: Value = serde_json::from_str(input)
        .map_err(|e| format!("mdBook's input is not JSON: {e}"))?;
    let Value::Array(mut pair) = value else {
        return Err("mdBook's input is not [context, book]".to_owned());
    };
    if pair.len() != 2 {
        return Err("mdBook's input is not [context, book]".to_owned());
    }
    let mut book = pair.pop().unwrap_or(Value::Null);
    let context = pair.pop().unwrap_or(Value::Null);
    let root = PathBuf::from(context["root"].as_str().unwrap_or("."));
    let src = root.join(context["config"]["book"]["src"].as_str().unwrap_or("src"));
    let mut stats = Stats::default();
    let page = match stage {
        "pages" => Some(PageData {
            terms: glossary::terms(&read(&src.join(glossary::PAGE))?),
            tested_on: tested_on_json(&read(&src.join("tested-on.md"))?),
        }),
        _ => None,
    };
    for_each_chapter(&mut book["items"], &mut |chapter| {
        let path = PathBuf::from(chapter["path"].as_str().unwrap_or(""));
        let number = chapter["number"]
            .as_array()
            .map(|n| n.iter().map(Value::to_string).collect::<Vec<_>>().join("."))
            .unwrap_or_default();
        let content = chapter["content"].as_str().unwrap_or("").to_owned();
        let new = match &page {
            None => {
                let (text, n) = listings::convert(&content, &path, &number);
                stats.listings += n;
                text
            }
            Some(data) => {
                let (text, n) = sessions::convert(&content).map_err(|e| {
                    format!("{}: {e}", Path::new("src").join(&path).display())
                })?;
                stats.sessions += n;
                let (text, n) = glossary::link(&text, &path, &data.terms);
                stats.terms += n;
                let (mut text, n) = figures::convert(&text, &path, &|file| {
                    src.join(file).is_file()
                });
                stats.figures += n;
                text.push_str(&data.tested_on);
                text
            }
        };
        chapter["content"] = Value::String(new);
        Ok(())
    })?;
    if page.is_none() {
        eprintln!("xtask mdbook listings: {} listings captioned", stats.listings);
    } else {
        eprintln!(
            "xtask mdbook pages: {} sessions shown as Python, {} glossary links, \
             {} diagrams with a narrow version",
            stats.sessions, stats.terms, stats.figures
        );
    }
    serde_json::to_string(&book)
        .map_err(|e| format!("cannot write the book as JSON: {e}"))
}

/// What the `pages` stage adds to every chapter.
struct PageData {
    /// The glossary's terms.
    terms: Vec<glossary::Term>,
    /// The "Tested on" box's data, as a `<script>` block (which search skips).
    tested_on: String,
}

/// What a stage changed, for its one line on the console.
#[derive(Default)]
struct Stats {
    /// Listings captioned.
    listings: usize,
    /// Sessions converted.
    sessions: usize,
    /// Glossary links added.
    terms: usize,
    /// Diagrams given their narrow version.
    figures: usize,
}

/// Calls `f` on every chapter of `items` (an mdBook `items` array), nested ones too.
fn for_each_chapter(
    items: &mut Value,
    f: &mut dyn FnMut(&mut Value) -> Result<(), String>,
) -> Result<(), String> {
    let Some(items) = items.as_array_mut() else {
        return Ok(());
    };
    for item in items {
        if let Some(chapter) = item.get_mut("Chapter") {
            f(chapter)?;
            for_each_chapter(&mut chapter["sub_items"], f)?;
        }
    }
    Ok(())
}

/// The text of `path`.
fn read(path: &Path) -> Result<String, String> {
    std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// The "Tested on" box's data, from the table the `tested-on` step wrote:
/// a line saying when and where the last full run was and on which
/// interpreters, or that no run has been recorded.
fn tested_on_json(page: &str) -> String {
    let table = crate::tested_on::recorded(page);
    let summary = match &table {
        None => "Tested on: no full test run has been recorded yet".to_owned(),
        Some(run) => format!(
            "Tested on CPython {} · {}",
            run.interpreters.join(", "),
            run.when
        ),
    };
    let data =
        serde_json::json!({ "summary": summary, "recorded": table.is_some() });
    // `</` cannot end the script early: JSON lets `/` be escaped.
    let json = data.to_string().replace("</", "<\\/");
    format!(
        "\n\n<script type=\"application/json\" class=\"tested-on-data\">{json}</script>\n"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(content: &str) -> String {
        serde_json::json!([
            { "root": "/nonexistent", "config": { "book": { "src": "src" } } },
            { "items": [
                { "Chapter": { "name": "A", "content": content, "number": [3],
                  "path": "a.md", "sub_items": [
                    { "Chapter": { "name": "B", "content": content, "number": [3, 1],
                      "path": "b.md", "sub_items": [] } } ] } },
                "Separator",
                { "PartTitle": "Part" }
            ] }
        ])
        .to_string()
    }

    #[test]
    fn listings_reach_nested_chapters_and_keep_the_book_s_shape() {
        let out =
            process("listings", &book("```text\n{{#include ../x.rs:a}}\n```\n"))
                .expect("runs");
        let value: Value = serde_json::from_str(&out).expect("JSON");
        let a = &value["items"][0]["Chapter"];
        assert!(
            a["content"].as_str().expect("text").contains("Listing 3-1"),
            "{a}"
        );
        let b = &a["sub_items"][0]["Chapter"];
        assert!(
            b["content"].as_str().expect("text").contains("Listing 3.1-1"),
            "{b}"
        );
        assert_eq!(value["items"][1], "Separator");
    }

    #[test]
    fn a_chapter_that_cannot_be_converted_is_named() {
        let input = book(
            "```rust,no_run\ntutorial_embed::doctest(&[], r#\"\n>>> 1\n1\n\"#)\n```\n",
        );
        // The pages stage reads the glossary first; without one it says so.
        assert!(
            process("pages", &input).expect_err("no src").contains("glossary.md")
        );
    }

    #[test]
    fn the_box_says_when_nothing_was_recorded() {
        let page = "<!-- tested-on: begin (written by `cargo xtask test`) -->\n\nNo run.\n\n\
                    <!-- tested-on: end -->\n";
        let html = tested_on_json(page);
        assert!(html.contains("no full test run has been recorded yet"), "{html}");
        assert!(html.contains("\"recorded\":false"), "{html}");
    }

    #[test]
    fn the_box_names_the_interpreters_and_the_run() {
        let table = crate::tested_on::render(
            &[crate::tested_on::Row {
                place: "host".to_owned(),
                version: "3.11.7".to_owned(),
                build: "release".to_owned(),
                steps: vec!["tests"],
            }],
            "2026-12-02",
            "abc1234",
            "a box",
        );
        let html = tested_on_json(&table);
        assert!(
            html.contains(
                "Tested on CPython 3.11.7 (release) · 2026-12-02, commit abc1234"
            ),
            "{html}"
        );
    }
}
