//! The search's text: an mdBook renderer that reads the HTML pages mdBook
//! wrote and keeps, section by section, the text a reader sees.
//!
//! mdBook's own index (elasticlunr's format) was 6.5 times the size of the
//! text the pages show: every word is a key of a trie, with a score for
//! each section it occurs in, besides the text itself kept for the
//! teasers. This file holds only the text, split at the headings mdBook
//! splits at (levels 1 to 3), without the lines mdBook hides in code
//! blocks (`<span class="boring">`) and without scripts; the page's
//! search (`src/js/search.js`) builds its word index from it in the
//! browser, when the search is first opened.
//!
//! It runs as the renderer `[output.html-search]` in `book.toml`. mdBook
//! runs renderers in the order of their names, so it runs after `html`
//! (and before the link checker, so that a broken link under `mdbook serve`
//! does not leave the served book without its search). It writes into the
//! HTML renderer's folder, which is the one served and published.

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

/// The file the page's search loads, in the HTML folder.
pub const FILE: &str = "searchtext.js";

/// The deepest heading that starts a section of its own (mdBook's
/// `heading-split-level`, whose default is 3).
const SPLIT_LEVEL: u8 = 3;

/// Writes the search text of the book mdBook sent (its `RenderContext`).
///
/// # Errors
///
/// A message if the input is not a render context, a chapter's page is
/// missing, or the file cannot be written.
pub fn render(input: &str) -> Result<(), String> {
    let context: Value = serde_json::from_str(input)
        .map_err(|e| format!("mdBook's render context is not JSON: {e}"))?;
    let destination = context["destination"]
        .as_str()
        .ok_or("mdBook's render context has no destination")?;
    // With more than one output, mdBook gives each its own folder under
    // the build folder; the HTML is in `html`.
    let html = Path::new(destination)
        .parent()
        .ok_or("the renderer's destination has no parent folder")?
        .join("html");
    let mut pages = Vec::new();
    let mut chapters = Vec::new();
    chapter_paths(&context["book"]["items"], &mut chapters);
    let mut sections = 0;
    for (path, title) in chapters {
        let file = html.join(&path);
        let text = std::fs::read_to_string(&file).map_err(|e| {
            format!("cannot read {} (was the HTML written?): {e}", file.display())
        })?;
        let found = page_sections(&text);
        sections += found.len();
        let rows: Vec<Value> = found
            .into_iter()
            .map(|s| json!([s.id, s.level, s.title, s.body]))
            .collect();
        pages.push(json!({ "path": path, "title": title, "sections": rows }));
    }
    let data = json!({ "pages": pages });
    let script = format!(
        "// The book's search text, section by section (cargo xtask mdbook search).\n\
         window.searchText = {data};\n"
    );
    let out = html.join(FILE);
    std::fs::write(&out, &script)
        .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
    eprintln!(
        "xtask mdbook search: {} sections of {} pages, {} bytes in {}",
        sections,
        pages.len(),
        script.len(),
        out.display()
    );
    Ok(())
}

/// The HTML page and the name of every chapter of `items` (an mdBook
/// `items` array), nested ones too, in the book's order; drafts (chapters
/// without a file) have no page.
fn chapter_paths(items: &Value, out: &mut Vec<(String, String)>) {
    let Some(items) = items.as_array() else {
        return;
    };
    for item in items {
        if let Some(chapter) = item.get("Chapter") {
            if let Some(path) = chapter["path"].as_str() {
                let html = PathBuf::from(path).with_extension("html");
                let name = chapter["name"].as_str().unwrap_or("").to_owned();
                out.push((html.to_string_lossy().replace('\\', "/"), name));
            }
            chapter_paths(&chapter["sub_items"], out);
        }
    }
}

/// One section of a page: a heading and the text up to the next one.
#[derive(Debug, PartialEq, Eq)]
struct Section {
    /// The heading's `id` (empty for text before the first heading).
    id: String,
    /// The heading's level, 1 to 3 (0 for text before the first heading).
    level: u8,
    /// The heading's text.
    title: String,
    /// The text shown under it, whitespace collapsed.
    body: String,
}

/// Elements whose edges separate words when shown (the others, such as
/// `code`, `em` or `a`, run on into the text around them).
const BLOCKS: &[&str] = &[
    "address",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// Elements that have no end tag.
const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
    "source", "track", "wbr",
];

/// The sections of the text inside a page's `<main>`.
fn page_sections(html: &str) -> Vec<Section> {
    let start = html.find("<main>").map_or(0, |i| i + "<main>".len());
    let end = html.rfind("</main>").filter(|&e| e >= start).unwrap_or(html.len());
    let html = &html[start..end];
    let mut sections = vec![Section {
        id: String::new(),
        level: 0,
        title: String::new(),
        body: String::new(),
    }];
    // The open elements, each with whether its text is hidden.
    let mut open: Vec<(String, bool)> = Vec::new();
    // Whether the text read goes to the last section's heading.
    let mut in_heading = false;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            text(&mut sections, in_heading, &open, rest);
            break;
        };
        text(&mut sections, in_heading, &open, &rest[..lt]);
        rest = &rest[lt..];
        if let Some(comment) = rest.strip_prefix("<!--") {
            rest = comment.find("-->").map_or("", |e| &comment[e + 3..]);
            continue;
        }
        let tag = tag_end(rest).map(|gt| (&rest[1..gt], gt));
        let parsed = tag.map(|(tag, gt)| (parse_tag(tag), tag, gt));
        let Some(((closing, name, attributes), tag, gt)) =
            parsed.filter(|((_, name, _), _, _)| !name.is_empty())
        else {
            // Not a tag (a `<` the HTML left unescaped): it is text.
            text(&mut sections, in_heading, &open, "<");
            rest = &rest[1..];
            continue;
        };
        rest = &rest[gt + 1..];
        if BLOCKS.contains(&name.as_str()) {
            space(&mut sections, in_heading);
        }
        if closing {
            if let Some(i) = open.iter().rposition(|(n, _)| *n == name) {
                open.truncate(i);
            }
            if in_heading && heading_level(&name).is_some() {
                in_heading = false;
                let section = sections.last_mut().expect("one section at least");
                section.title = collapse(&section.title);
            }
            continue;
        }
        if matches!(name.as_str(), "script" | "style") {
            let close = format!("</{name}");
            rest = rest.find(&close).map_or("", |e| &rest[e..]);
            continue;
        }
        if let Some(level) = heading_level(&name) {
            let id = attribute(attributes, "id");
            if level <= SPLIT_LEVEL && !id.is_empty() && !in_heading {
                sections.push(Section {
                    id,
                    level,
                    title: String::new(),
                    body: String::new(),
                });
                in_heading = true;
            }
        }
        if !VOID.contains(&name.as_str()) && !tag.ends_with('/') {
            let hidden = attribute(attributes, "class")
                .split_whitespace()
                .any(|c| c == "boring" || c == "hidden")
                || open.last().is_some_and(|(_, hidden)| *hidden);
            open.push((name, hidden));
        }
    }
    for section in &mut sections {
        section.body = collapse(&section.body);
    }
    sections.retain(|s| s.level > 0 || !s.body.is_empty());
    sections
}

/// Adds the text between two tags to the heading being read or to the
/// current section, unless an open element hides it.
fn text(
    sections: &mut [Section],
    in_heading: bool,
    open: &[(String, bool)],
    raw: &str,
) {
    if raw.is_empty() || open.last().is_some_and(|(_, hidden)| *hidden) {
        return;
    }
    let decoded = decode(raw);
    let section = sections.last_mut().expect("one section at least");
    if in_heading {
        section.title.push_str(&decoded);
    } else {
        section.body.push_str(&decoded);
    }
}

/// A word break where a block element starts or ends.
fn space(sections: &mut [Section], in_heading: bool) {
    let section = sections.last_mut().expect("one section at least");
    if in_heading {
        section.title.push(' ');
    } else {
        section.body.push(' ');
    }
}

/// Where the tag starting `html` (at its `<`) ends: its `>`, outside quotes.
fn tag_end(html: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in html.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return Some(i),
            (None, '<') => return None,
            _ => {}
        }
    }
    None
}

/// A tag's parts: whether it closes an element, its name (lower case;
/// empty if it is not a tag) and its attributes' text.
fn parse_tag(tag: &str) -> (bool, String, &str) {
    let (closing, tag) = match tag.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, tag),
    };
    let end = tag
        .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
        .unwrap_or(tag.len());
    let name = &tag[..end];
    let is_name = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    if !is_name {
        return (closing, String::new(), "");
    }
    (closing, name.to_ascii_lowercase(), &tag[end..])
}

/// The level of a heading element (`h1` to `h6`).
fn heading_level(name: &str) -> Option<u8> {
    match name.as_bytes() {
        [b'h', d @ b'1'..=b'6'] => Some(d - b'0'),
        _ => None,
    }
}

/// The value of the attribute `name` in a tag's attribute text (empty if
/// it has none).
fn attribute(attributes: &str, name: &str) -> String {
    let mut rest = attributes;
    while let Some(i) = rest.find(name) {
        let before = rest[..i].chars().next_back();
        let after = rest[i + name.len()..].trim_start();
        rest = &rest[i + name.len()..];
        if before.is_some_and(|c| !c.is_whitespace()) {
            continue;
        }
        let Some(value) = after.strip_prefix('=') else {
            continue;
        };
        let value = value.trim_start();
        let quoted = value.chars().next().filter(|c| *c == '"' || *c == '\'');
        let raw = match quoted {
            Some(q) => value[1..].split(q).next().unwrap_or(""),
            None => value
                .split(|c: char| c.is_whitespace() || c == '>')
                .next()
                .unwrap_or(""),
        };
        return decode(raw);
    }
    String::new()
}

/// HTML text with its character references replaced.
fn decode(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_owned();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let reference =
            rest[1..].find(';').filter(|&e| e <= 10).map(|e| (&rest[1..=e], e + 2));
        let decoded = reference.and_then(|(name, len)| {
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .map(|hex| u32::from_str_radix(hex, 16))
                    .or_else(|| name.strip_prefix('#').map(str::parse))
                    .and_then(Result::ok)
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, len))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// `text` with each run of whitespace made one space, trimmed.
fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sections(main: &str) -> Vec<(String, u8, String, String)> {
        page_sections(&format!(
            "<nav>menu</nav><main>{main}</main><footer>x</footer>"
        ))
        .into_iter()
        .map(|s| (s.id, s.level, s.title, s.body))
        .collect()
    }

    fn row(
        id: &str,
        level: u8,
        title: &str,
        body: &str,
    ) -> (String, u8, String, String) {
        (id.to_owned(), level, title.to_owned(), body.to_owned())
    }

    #[test]
    fn a_page_is_split_at_headings_down_to_level_3() {
        let got = sections(
            "<h1 id=\"t\"><a class=\"header\" href=\"#t\">Title</a></h1><p>One.</p>\
             <h2 id=\"a\">A</h2><p>Two.</p><h3 id=\"b\">B</h3><p>Three.</p>\
             <h4 id=\"c\">C</h4><p>Four.</p>",
        );
        assert_eq!(
            got,
            vec![
                row("t", 1, "Title", "One."),
                row("a", 2, "A", "Two."),
                row("b", 3, "B", "Three. C Four."),
            ]
        );
    }

    #[test]
    fn hidden_lines_and_scripts_are_left_out() {
        let got = sections(
            "<h1 id=\"t\">T</h1><pre><code class=\"language-rust\"><span class=\"boring\">fn \
             main() {\n<span class=\"x\">nested</span></span>shown();\n</code></pre>\
             <script type=\"application/json\">{\"a\": \"</p>\"}</script><p>after</p>",
        );
        assert_eq!(got, vec![row("t", 1, "T", "shown(); after")]);
    }

    #[test]
    fn inline_elements_do_not_split_words_and_blocks_do() {
        let got = sections(
            "<h2 id=\"x\">The <code>Py_INCREF</code> macro</h2><p>un<em>safe</em></p><p>next</p>\
             <ul><li>a</li><li>b</li></ul>",
        );
        assert_eq!(
            got,
            vec![row("x", 2, "The Py_INCREF macro", "unsafe next a b")]
        );
    }

    #[test]
    fn references_are_decoded_and_unknown_ones_kept() {
        assert_eq!(
            decode("a &lt;b&gt; &amp;c &#x27;d&#39; &bogus; & e"),
            "a <b> &c 'd' &bogus; & e"
        );
        let got = sections("<p>fn f() -&gt; Result&lt;(), String&gt;</p>");
        assert_eq!(got, vec![row("", 0, "", "fn f() -> Result<(), String>")]);
    }

    #[test]
    fn attributes_are_read_with_either_quote_and_only_by_full_name() {
        assert_eq!(attribute(" data-id=\"no\" id='yes'", "id"), "yes");
        assert_eq!(attribute(" class=boring", "class"), "boring");
        assert_eq!(attribute(" href=\"#x\"", "id"), "");
    }

    #[test]
    fn comments_and_text_outside_main_are_left_out() {
        let got = sections("<!-- a <p>comment</p> --><p>kept</p>");
        assert_eq!(got, vec![row("", 0, "", "kept")]);
    }

    #[test]
    fn a_heading_without_an_id_stays_in_its_section() {
        let got = sections("<h2 id=\"a\">A</h2><p>x</p><h2>B</h2><p>y</p>");
        assert_eq!(got, vec![row("a", 2, "A", "x B y")]);
    }

    #[test]
    fn the_renderer_writes_each_chapter_s_sections_into_the_html_folder() {
        let build = std::env::temp_dir()
            .join(format!("xtask-search-{}", std::process::id()));
        let html = build.join("html");
        std::fs::create_dir_all(&html).expect("a temporary folder");
        std::fs::write(
            html.join("a.html"),
            "<main><h1 id=\"a\">A</h1><p>Shown <span class=\"boring\">hidden</span></p></main>",
        )
        .expect("a page");
        let context = json!({
            "destination": build.join("html-search"),
            "book": { "items": [
                { "Chapter": { "name": "A", "path": "a.md", "sub_items": [] } } ] },
        });
        render(&context.to_string()).expect("renders");
        let written = std::fs::read_to_string(html.join(FILE)).expect("written");
        std::fs::remove_dir_all(&build).expect("cleaned up");
        let data = written
            .split_once("window.searchText = ")
            .and_then(|(_, rest)| rest.trim_end().strip_suffix(';'))
            .expect("one assignment");
        let value: Value = serde_json::from_str(data).expect("JSON");
        assert_eq!(
            value,
            json!({ "pages": [ { "path": "a.html", "title": "A",
                "sections": [["a", 1, "A", "Shown"]] } ] })
        );
    }

    #[test]
    fn a_missing_page_is_an_error_naming_it() {
        let build = std::env::temp_dir()
            .join(format!("xtask-search-missing-{}", std::process::id()));
        let context = json!({
            "destination": build.join("html-search"),
            "book": { "items": [
                { "Chapter": { "name": "A", "path": "a.md", "sub_items": [] } } ] },
        });
        let error = render(&context.to_string()).expect_err("no page");
        assert!(error.contains("a.html"), "{error}");
    }

    #[test]
    fn chapters_are_listed_in_the_book_s_order_with_their_pages() {
        let items = json!([
            { "Chapter": { "name": "A", "path": "a.md", "sub_items": [
                { "Chapter": { "name": "B", "path": "part/b.md", "sub_items": [] } } ] } },
            { "Chapter": { "name": "Draft", "path": null, "sub_items": [] } },
            "Separator"
        ]);
        let mut out = Vec::new();
        chapter_paths(&items, &mut out);
        assert_eq!(
            out,
            vec![
                ("a.html".to_owned(), "A".to_owned()),
                ("part/b.html".to_owned(), "B".to_owned())
            ]
        );
    }
}
