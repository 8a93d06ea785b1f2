//! Diagrams with a narrow version: on a phone, a figure drawn for the
//! desktop column would shrink its text to 6 px, so a diagram
//! `images/NAME.svg` that has a `images/NAME-narrow.svg` beside it is shown
//! in a `<picture>` that takes the narrow one on a narrow screen.
//!
//! The narrow versions are drawn for a column of about 350 px (a 390 px
//! phone); below [`NARROW`] the wide ones would be drawn at less than 0.9
//! of their size.

use std::path::Path;

/// The media query under which the narrow version is shown.
pub const NARROW: &str = "(max-width: 700px)";

/// The start of an image tag, as the chapters write it.
const IMG: &str = "<img src=\"";

/// `content` (a chapter in `src/`, at `chapter`) with every SVG image that
/// has a narrow version wrapped in a `<picture>` choosing it, and the
/// number of images wrapped. `exists` says whether a file under `src/` is
/// there.
pub fn convert(
    content: &str,
    chapter: &Path,
    exists: &dyn Fn(&Path) -> bool,
) -> (String, usize) {
    let dir = chapter.parent().unwrap_or(Path::new(""));
    let mut out = String::with_capacity(content.len());
    let mut count = 0;
    let mut rest = content;
    while let Some(i) = rest.find(IMG) {
        let after = &rest[i + IMG.len()..];
        let Some(end) = after.find('"') else {
            break;
        };
        let src = &after[..end];
        let Some(tag_end) = after.find('>') else {
            break;
        };
        let tag = &rest[i..i + IMG.len() + tag_end + 1];
        out.push_str(&rest[..i]);
        rest = &rest[i + tag.len()..];
        let narrow = src
            .strip_suffix(".svg")
            .filter(|stem| !stem.ends_with("-narrow") && !src.contains("://"))
            .map(|stem| format!("{stem}-narrow.svg"));
        match narrow {
            Some(narrow) if exists(&dir.join(&narrow)) => {
                count += 1;
                out.push_str(&format!(
                    "<picture><source media=\"{NARROW}\" srcset=\"{narrow}\">{tag}</picture>"
                ));
            }
            _ => out.push_str(tag),
        }
    }
    out.push_str(rest);
    (out, count)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn convert_with(content: &str, files: &[&str]) -> (String, usize) {
        convert(content, Path::new("chapter.md"), &|p: &Path| {
            files.iter().any(|f| Path::new(f) == p)
        })
    }

    #[test]
    fn a_diagram_with_a_narrow_version_gets_a_picture() {
        let (out, n) = convert_with(
            "Text.\n\n<img src=\"images/a.svg\" alt=\"A\" width=\"100%\">\n\nMore.\n",
            &["images/a-narrow.svg"],
        );
        assert_eq!(n, 1);
        assert_eq!(
            out,
            "Text.\n\n<picture><source media=\"(max-width: 700px)\" \
             srcset=\"images/a-narrow.svg\"><img src=\"images/a.svg\" alt=\"A\" \
             width=\"100%\"></picture>\n\nMore.\n"
        );
    }

    #[test]
    fn other_images_are_left_as_they_are() {
        let text = "<img src=\"images/b.svg\" alt=\"B\">\n<img src=\"images/c.png\" alt=\"C\">\n\
                    <img src=\"https://example.org/d.svg\" alt=\"D\">\n";
        let (out, n) = convert_with(
            text,
            &["images/c-narrow.png", "https://example.org/d-narrow.svg"],
        );
        assert_eq!((out.as_str(), n), (text, 0));
    }

    #[test]
    fn the_narrow_file_is_found_next_to_the_chapter() {
        let (_, n) = convert(
            "<img src=\"../images/a.svg\">",
            Path::new("part/chapter.md"),
            &|p: &Path| p == Path::new("part/../images/a-narrow.svg"),
        );
        assert_eq!(n, 1);
    }
}
