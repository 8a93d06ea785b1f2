//! Checks that every in-book link to a fragment (`page.html#frag`) lands on an `id`.
//!
//! The link checker proves that pages exist; this proves the headings they
//! point into do too, which breaks silently when a heading is reworded.

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};

/// A link whose fragment does not resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    /// The page holding the link, relative to the checked folder.
    pub file: PathBuf,
    /// The link as written.
    pub href: String,
}

impl std::fmt::Display for Broken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.file.display(), self.href)
    }
}

/// What a check found: how much it looked at, and what is broken.
#[derive(Debug)]
pub struct Checked {
    /// The number of HTML pages read.
    pub pages: usize,
    /// The number of in-book fragment links checked.
    pub links: usize,
    /// The links whose page or id does not exist, sorted.
    pub broken: Vec<Broken>,
}

/// Checks every fragment link in every `.html` file under `root`.
///
/// # Errors
///
/// A one-line message if a folder or file cannot be read.
pub fn check(root: &Path) -> Result<Checked, String> {
    let mut pages = HashMap::new();
    for file in crate::process::files_with_extension(root, "html")? {
        let text = std::fs::read_to_string(&file)
            .map_err(|e| format!("cannot read {}: {e}", file.display()))?;
        let relative = file.strip_prefix(root).unwrap_or(&file).to_path_buf();
        pages.insert(relative, text);
    }
    let ids: HashMap<&Path, HashSet<String>> = pages
        .iter()
        .map(|(path, text)| {
            (path.as_path(), attribute_values(text, "id").collect())
        })
        .collect();
    let mut links = 0;
    let mut broken = Vec::new();
    for (file, text) in &pages {
        for href in attribute_values(text, "href") {
            let Some((page, fragment)) = target(file, &href) else { continue };
            links += 1;
            if !ids
                .get(page.as_path())
                .is_some_and(|found| found.contains(&fragment))
            {
                broken.push(Broken { file: file.clone(), href });
            }
        }
    }
    broken.sort_by(|a, b| (&a.file, &a.href).cmp(&(&b.file, &b.href)));
    Ok(Checked { pages: pages.len(), links, broken })
}

/// The page (relative to the book's root) and decoded id that `href`, found in `file`, points to.
///
/// `None` for a link that is not an in-book fragment link: no fragment, an
/// empty one (`#`, the top of the page), a URL with a scheme (`https:`), or
/// an absolute path (which depends on where the book is hosted).
fn target(file: &Path, href: &str) -> Option<(PathBuf, String)> {
    let (page, fragment) = href.split_once('#')?;
    if fragment.is_empty() || page.starts_with('/') || has_scheme(page) {
        return None;
    }
    let page = page.split_once('?').map_or(page, |(path, _query)| path);
    let target = if page.is_empty() {
        file.to_path_buf()
    } else {
        let joined = normalize(
            &file.parent().unwrap_or(Path::new("")).join(percent_decode(page)),
        );
        if page.ends_with('/') { joined.join("index.html") } else { joined }
    };
    Some((target, percent_decode(fragment)))
}

/// Whether a link starts with a URL scheme (`https:`, `mailto:`).
fn has_scheme(link: &str) -> bool {
    link.split_once(':').is_some_and(|(scheme, _)| {
        !scheme.is_empty()
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    })
}

/// Removes `.` and resolves `..` without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => {
                // Above the book's root: leave a `..` so that nothing matches.
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other),
        }
    }
    out
}

/// The values of every `name="..."` (or `'...'`) attribute in `html`, entities decoded.
///
/// The name must follow whitespace, so `id` does not match `data-id`.
fn attribute_values<'a>(
    html: &'a str,
    name: &'a str,
) -> impl Iterator<Item = String> + 'a {
    html.match_indices(name).filter_map(move |(at, _)| {
        let before = html[..at].chars().next_back()?;
        if !before.is_ascii_whitespace() {
            return None;
        }
        let rest = html[at + name.len()..].strip_prefix('=')?;
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let value = &rest[1..];
        let end = value.find(quote)?;
        Some(decode_entities(&value[..end]))
    })
}

/// Decodes the entities an attribute value may hold (`&amp;`, `&quot;`, ...).
fn decode_entities(value: &str) -> String {
    value
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// Decodes `%XX` escapes; a malformed escape is kept as written.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let escaped =
            (bytes[i] == b'%').then(|| bytes.get(i + 1..i + 3)).flatten().and_then(
                |hex| u8::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok(),
            );
        match escaped {
            Some(byte) => {
                out.push(byte);
                i += 3;
            }
            None => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::process::TempDir;

    fn write(root: &Path, path: &str, text: &str) {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a file has a folder"))
            .expect("writable");
        std::fs::write(path, text).expect("writable");
    }

    #[test]
    fn a_broken_fragment_is_reported_and_a_good_one_is_not() {
        let book = TempDir::new("fragments").expect("the temp folder is writable");
        let root = book.path();
        write(
            root,
            "index.html",
            r##"<h1 id="intro">Intro</h1><a href="guide/refs.html#borrowed">ok</a>"##,
        );
        write(
            root,
            "guide/refs.html",
            r##"<h2 id="borrowed">Borrowed</h2>
               <a href="#borrowed">same page</a>
               <a href="../index.html#intro">up</a>
               <a href="../index.html#introduction">reworded heading</a>
               <a href="https://example.org/x.html#nowhere">outside</a>
               <a href="#">top</a>"##,
        );
        let checked = check(root).expect("the tree is readable");
        assert_eq!((checked.pages, checked.links), (2, 4));
        let broken = checked.broken;
        assert_eq!(
            broken,
            vec![Broken {
                file: "guide/refs.html".into(),
                href: "../index.html#introduction".into()
            }]
        );
        assert_eq!(
            broken[0].to_string(),
            "guide/refs.html: ../index.html#introduction"
        );
    }

    #[test]
    fn a_fragment_on_a_missing_page_is_broken() {
        let book = TempDir::new("fragments").expect("the temp folder is writable");
        write(book.path(), "a.html", r##"<a href="b.html#x">gone</a>"##);
        assert_eq!(check(book.path()).expect("readable").broken.len(), 1);
    }

    #[test]
    fn only_whole_attribute_names_count() {
        let html =
            r##"<p data-id="no" id="yes" class='c' href='#x' data-href="#y">"##;
        assert_eq!(attribute_values(html, "id").collect::<Vec<_>>(), ["yes"]);
        assert_eq!(attribute_values(html, "href").collect::<Vec<_>>(), ["#x"]);
    }

    #[test]
    fn escapes_in_links_are_decoded() {
        assert_eq!(percent_decode("caf%C3%A9-%zz"), "café-%zz");
        assert_eq!(decode_entities("a&amp;b&quot;"), "a&b\"");
    }

    #[test]
    fn paths_are_normalized_lexically() {
        assert_eq!(normalize(Path::new("a/./b/../c.html")), Path::new("a/c.html"));
        assert_eq!(normalize(Path::new("../x.html")), Path::new("../x.html"));
    }

    #[test]
    fn schemes_are_recognized() {
        assert!(has_scheme("https://example.org/"));
        assert!(has_scheme("mailto:someone"));
        assert!(!has_scheme("page.html"));
        assert!(!has_scheme("dir/page.html"));
    }
}
