//! Sets the interpreter cfgs, so that a module can follow the C module of
//! the version it is built for, and gives this crate's test binaries an
//! rpath to the target's libpython.

fn main() {
    let python = match cpython_build_config::Forwarded::from_env() {
        Ok(python) => python,
        Err(problem) => {
            eprintln!("error: examples: {problem}");
            std::process::exit(1);
        }
    };
    python.emit_cfgs();
    python.rpath_for_tests();
    bisect_docs(&python.executable);
}

/// `bisect_docs_rewrapped`: the interpreter's `_bisect` docstrings break
/// "a.insert(i, x) will insert" after `x)` rather than after `will`. 3.13.0
/// has the old break and 3.13.15, 3.14.10 and 3.15.2 the new one; the 3.13
/// patch release in between that changed it was not identified, so the
/// new break is assumed from 3.13.15.
fn bisect_docs(python: &std::path::Path) {
    println!("cargo::rustc-check-cfg=cfg(bisect_docs_rewrapped)");
    let out = std::process::Command::new(python)
        .args(["-c", "import sys; print(sys.hexversion)"])
        .output();
    let hexversion = out
        .ok()
        .and_then(|out| String::from_utf8(out.stdout).ok())
        .and_then(|text| text.trim().parse::<u32>().ok());
    match hexversion {
        Some(version) if version >= 0x030D_0F00 => {
            println!("cargo::rustc-cfg=bisect_docs_rewrapped");
        }
        Some(_) => {}
        None => {
            eprintln!(
                "error: examples: cannot read sys.hexversion from {}",
                python.display()
            );
            std::process::exit(1);
        }
    }
}
