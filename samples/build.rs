//! Turns every ```rust fence of the book into a test (skeptic).
//!
//! mdBook's include directives are expanded first (`book-include`, the
//! crate in `include/`), so that code a chapter includes from a file is
//! compiled and run as the reader sees it; a missing file or anchor is a
//! build error.
//!
//! This is the only crate whose build reads the book, so an edit to a
//! chapter rebuilds this crate and nothing else.

use std::path::{Path, PathBuf};

fn main() {
    let out =
        PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let book = Path::new("../src");
    // A new chapter changes the directory; an edited one, its own file.
    println!("cargo::rerun-if-changed=../src");
    let mut expanded = Vec::new();
    let mut used = Vec::new();
    for chapter in skeptic::markdown_files_of_directory("../src/") {
        println!("cargo::rerun-if-changed={}", chapter.display());
        let rel = chapter.strip_prefix(book).unwrap_or(&chapter);
        let dest = out.join("book").join(rel);
        std::fs::create_dir_all(dest.parent().expect("a file has a parent"))
            .expect("OUT_DIR is writable");
        let text =
            std::fs::read_to_string(&chapter).expect("a chapter is UTF-8 text");
        let dir = chapter.parent().expect("a file has a parent");
        let first_new = used.len();
        let expanded_text = book_include::expand_includes(&text, dir, &mut used);
        for (path, _) in &used[first_new..] {
            println!("cargo::rerun-if-changed={}", path.display());
        }
        match expanded_text {
            Ok(text) => std::fs::write(&dest, text).expect("OUT_DIR is writable"),
            Err(problem) => {
                eprintln!("error: {}: {problem}", chapter.display());
                std::process::exit(1);
            }
        }
        // A chapter's skeptic templates (`chapter.md.skt.md`) go along.
        let skt = PathBuf::from(format!("{}.skt.md", chapter.display()));
        if skt.exists() {
            println!("cargo::rerun-if-changed={}", skt.display());
            let text = std::fs::read_to_string(&skt).expect("UTF-8");
            std::fs::write(format!("{}.skt.md", dest.display()), text)
                .expect("OUT_DIR is writable");
        }
        expanded.push(dest);
    }
    skeptic::generate_doc_tests(&expanded);

    // Every (file, anchor) a chapter includes, for the test that reports
    // anchors no chapter uses (tests/anchors.rs).
    let mut used: Vec<String> = used
        .iter()
        .map(|(path, anchor)| format!("{}#{anchor}", path.display()))
        .collect();
    used.sort();
    used.dedup();
    std::fs::write(out.join("used-anchors.txt"), used.join("\n"))
        .expect("OUT_DIR is writable");
    // The expanded chapters, for the test that measures what a reader sees
    // (tests/width.rs).
    let listed: Vec<String> =
        expanded.iter().map(|p| p.display().to_string()).collect();
    std::fs::write(out.join("chapters.txt"), listed.join("\n"))
        .expect("OUT_DIR is writable");
}
