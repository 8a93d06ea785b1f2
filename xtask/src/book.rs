//! The book's steps: `book` builds it with every output `book.toml`
//! configures, `fragments` checks the links into headings in the HTML.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::runner::Ctx;
use crate::{fragments, process};

/// Builds the book with every output `book.toml` configures (the link checker included).
///
/// # Errors
///
/// A message if there is no book yet or mdBook (or a link check) fails.
pub fn build(ctx: &mut Ctx) -> Result<(), String> {
    if !ctx.root.join("book.toml").is_file() {
        return Err(
            "no book.toml at the repository's root: the book is not there yet"
                .to_owned(),
        );
    }
    process::run(Command::new("mdbook").arg("build").current_dir(&ctx.root))
}

/// Checks that every fragment link in the built book names an existing id.
///
/// # Errors
///
/// A message counting the broken links, each printed as `file: href`.
pub fn fragments(ctx: &mut Ctx) -> Result<(), String> {
    let html = html_dir(&ctx.root)?;
    println!("checking fragment links under {}", html.display());
    let checked = fragments::check(&html)?;
    println!("checked {} fragment links in {} pages", checked.links, checked.pages);
    for link in &checked.broken {
        println!("  broken fragment: {link}");
    }
    match checked.broken.len() {
        0 if checked.links == 0 => {
            Err("the book has no fragment links: is the HTML there?".to_owned())
        }
        0 => Ok(()),
        1 => Err("1 link names a missing id".to_owned()),
        n => Err(format!("{n} links name missing ids")),
    }
}

/// Where mdBook put the HTML: `book/html` when there are several outputs, else `book/`.
///
/// # Errors
///
/// A message if the book has not been built.
pub fn html_dir(root: &Path) -> Result<PathBuf, String> {
    let book = root.join("book");
    if book.join("html").is_dir() {
        Ok(book.join("html"))
    } else if book.join("index.html").is_file() {
        println!(
            "note: book.toml has only the HTML output (no link checker), so the HTML is in book/"
        );
        Ok(book)
    } else {
        Err(format!("no HTML in {}: the book was not built", book.display()))
    }
}
