//! Every `ANCHOR:` in the repository marks code a chapter shows: an anchor
//! that no chapter includes is a listing the book has lost.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The `file#anchor` pairs the chapters include (written by `build.rs`).
const USED: &str = include_str!(concat!(env!("OUT_DIR"), "/used-anchors.txt"));

/// Folders that hold no source a chapter could include.
const SKIP: &[&str] =
    &["target", "book", ".git", "node_modules", "__pycache__", ".hypothesis"];

fn files(dir: &Path, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            if !SKIP.contains(&name.as_str()) {
                files(&path, found);
            }
        } else {
            found.push(path);
        }
    }
}

#[test]
fn every_anchor_is_included_by_a_chapter() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("samples/ is in the repository");
    let root = root.canonicalize().expect("the repository exists");
    let used: BTreeSet<&str> = USED.lines().collect();
    let mut all = Vec::new();
    files(&root, &mut all);
    let (mut defined, mut unused) = (0, Vec::new());
    for path in all {
        // The chapters, and the samples' own tooling (whose tests write
        // anchors on purpose), only talk about anchors.
        if path.starts_with(root.join("src"))
            || path.starts_with(root.join("samples"))
        {
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&path) else { continue };
        for anchor in book_include::anchors(&text) {
            defined += 1;
            let key = format!("{}#{anchor}", path.display());
            if !used.contains(key.as_str()) {
                unused.push(key);
            }
        }
    }
    assert!(
        defined > 0,
        "no anchor found under {}: is the walk broken?",
        root.display()
    );
    assert!(
        unused.is_empty(),
        "{} of {defined} anchors are included by no chapter:\n{}",
        unused.len(),
        unused.join("\n")
    );
}
