//! Turns every ```rust fence of the book into a test (skeptic), and gives
//! this crate's test binaries an rpath to the target interpreter's libpython.
//!
//! mdBook's `{{#include file:anchor}}` and `{{#rustdoc_include file:anchor}}`
//! are expanded here first, the way mdBook expands them, so that code a
//! chapter includes from a file is compiled and run as the reader sees it.

use std::path::{Path, PathBuf};

fn main() {
    let out = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let book = Path::new("../src");
    // A new chapter changes the directory; an edited one, its own file.
    println!("cargo::rerun-if-changed=../src");
    let mut expanded = Vec::new();
    for chapter in skeptic::markdown_files_of_directory("../src/") {
        println!("cargo::rerun-if-changed={}", chapter.display());
        let rel = chapter.strip_prefix(book).unwrap_or(&chapter);
        let dest = out.join("book").join(rel);
        std::fs::create_dir_all(dest.parent().expect("a file has a parent")).expect("OUT_DIR is writable");
        let text = std::fs::read_to_string(&chapter).expect("a chapter is UTF-8 text");
        let dir = chapter.parent().expect("a file has a parent");
        std::fs::write(&dest, expand_includes(&text, dir)).expect("OUT_DIR is writable");
        // A chapter's skeptic templates (`chapter.md.skt.md`) go along.
        let skt = PathBuf::from(format!("{}.skt.md", chapter.display()));
        if skt.exists() {
            println!("cargo::rerun-if-changed={}", skt.display());
            let text = std::fs::read_to_string(&skt).expect("UTF-8");
            std::fs::write(format!("{}.skt.md", dest.display()), text).expect("OUT_DIR is writable");
        }
        expanded.push(dest);
    }
    skeptic::generate_doc_tests(&expanded);

    // DEP_PYTHON_LIBDIR comes from cpython-sys (`links = "python"`). Without
    // the rpath a test binary can load another libpython with the same
    // soname (the system's), and run against the wrong interpreter.
    if let Ok(libdir) = std::env::var("DEP_PYTHON_LIBDIR") {
        println!("cargo::rustc-link-arg=-Wl,-rpath,{libdir}");
    }
    // Re-export the interpreter cfgs, so this crate can select code the way
    // cpython-sys does.
    for name in ["Py_3_12", "Py_3_13", "Py_DEBUG", "Py_REF_DEBUG", "Py_GIL_DISABLED"] {
        println!("cargo::rustc-check-cfg=cfg({name})");
    }
    if let Ok(cfgs) = std::env::var("DEP_PYTHON_CFGS") {
        for cfg in cfgs.split(',').filter(|c| !c.is_empty()) {
            println!("cargo::rustc-cfg={cfg}");
        }
    }
}

/// Expands mdBook's include directives in a chapter, as mdBook does.
fn expand_includes(text: &str, dir: &Path) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        match parse_include(line) {
            Some((hide_rest, file, anchor)) => {
                let path = dir.join(file);
                println!("cargo::rerun-if-changed={}", path.display());
                let source = std::fs::read_to_string(&path)
                    .unwrap_or_else(|e| panic!("{}: cannot include {}: {e}", dir.display(), path.display()));
                out.push_str(&select_anchor(&source, anchor, hide_rest));
            }
            None => out.push_str(line),
        }
    }
    out
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
    let (hide_rest, arg) = if let Some(arg) = inner.strip_prefix("rustdoc_include ") {
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

/// The lines of `source` inside `ANCHOR: name` ... `ANCHOR_END: name`
/// (all lines without an anchor; lines `a` to `b` for `a:b`, 1-based,
/// either end optional), dropping every anchor line. With `hide_rest`, the
/// lines outside are kept behind `# `, as rustdoc hides them.
fn select_anchor(source: &str, anchor: Option<&str>, hide_rest: bool) -> String {
    if let Some((from, to)) = anchor.and_then(line_range) {
        let lines: Vec<&str> = source.lines().collect();
        let to = to.unwrap_or(lines.len()).min(lines.len());
        let from = from.unwrap_or(1).max(1);
        return lines.get(from - 1..to).unwrap_or(&[]).iter().map(|l| format!("{l}\n")).collect();
    }
    let mut out = String::new();
    let mut inside = anchor.is_none();
    for line in source.lines() {
        let marker = line.trim_start().trim_start_matches("//").trim();
        if let Some(name) = marker.strip_prefix("ANCHOR:") {
            if Some(name.trim()) == anchor {
                inside = true;
            }
            continue;
        }
        if let Some(name) = marker.strip_prefix("ANCHOR_END:") {
            if Some(name.trim()) == anchor {
                inside = false;
            }
            continue;
        }
        if inside {
            out.push_str(line);
            out.push('\n');
        } else if hide_rest {
            out.push_str("# ");
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}
