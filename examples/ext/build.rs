//! Writes the export list: one `NAME => examples::NAME` line per module
//! file `../src/NAMEmodule.rs`, so that the files are the one list of
//! modules (`cargo xtask test` reads the same files).

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let src = Path::new("../src");
    println!("cargo::rerun-if-changed={}", src.display());
    let mut names: Vec<String> = std::fs::read_dir(src)
        .expect("examples/src exists")
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .filter_map(|file| file.strip_suffix("module.rs").map(str::to_owned))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no module file in {}", src.display());
    // ANCHOR: list
    let mut list = String::from("tutorial::export_modules! {\n");
    for name in &names {
        let _ = writeln!(list, "    {name} => examples::{name},");
    }
    list.push_str("}\n");
    // ANCHOR_END: list
    let out = Path::new(&std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"))
        .join("exports.rs");
    std::fs::write(out, list).expect("OUT_DIR is writable");
}
