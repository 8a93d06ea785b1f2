//! The "wrong libpython" message of `tutorial_embed`, reproduced: this
//! test binary runs itself again with `LD_LIBRARY_PATH` pointing at another
//! interpreter's library of the same soname (Debian's
//! `/usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0` next to pyenv's), which
//! the loader then prefers to the one the binary's rpath names. The book's
//! Troubleshooting chapter shows the message from
//! `checks/messages/wrong_libpython.txt`: with `WRONG_LIBPYTHON_MESSAGE`
//! set, this test writes what the child printed to that file, and xtask's
//! `messages` step compares it with the book's copy.

use std::path::{Path, PathBuf};
use std::process::Command;

use tutorial::ffi::build_info;

/// Set in the child: start the interpreter, which must refuse.
const CHILD: &str = "WRONG_LIBPYTHON_CHILD";

/// A folder holding a library with the target's soname, other than the target's own.
fn other_libpython() -> Option<PathBuf> {
    let soname = format!("lib{}.so.1.0", build_info::LIBNAME);
    let ours = Path::new(build_info::LIBDIR).canonicalize().ok();
    [
        "/usr/lib/x86_64-linux-gnu",
        "/usr/lib/aarch64-linux-gnu",
        "/usr/lib64",
        "/usr/lib",
        "/usr/local/lib",
    ]
    .iter()
    .map(Path::new)
    .filter(|dir| dir.join(&soname).is_file())
    .find(|dir| dir.canonicalize().ok() != ours)
    .map(Path::to_path_buf)
}

#[test]
fn a_program_that_loaded_another_libpython_stops_with_wrong_libpython() {
    if std::env::var_os(CHILD).is_some() {
        tutorial_embed::attach(&[], |_py| ());
        return;
    }
    let Some(other) = other_libpython() else {
        println!(
            "no second lib{}.so.1.0 on this machine: nothing to load by mistake",
            build_info::LIBNAME
        );
        return;
    };
    let exe = std::env::current_exe().expect("the test binary's path");
    let test = "a_program_that_loaded_another_libpython_stops_with_wrong_libpython";
    let out = Command::new(exe)
        .args([test, "--exact", "--nocapture"])
        .env(CHILD, "1")
        .env("LD_LIBRARY_PATH", &other)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the test binary runs again");
    let stderr = String::from_utf8_lossy(&out.stderr);
    // For xtask's `messages` step, which compares it with the book's copy.
    if let Some(path) = std::env::var_os("WRONG_LIBPYTHON_MESSAGE") {
        std::fs::write(path, stderr.as_bytes())
            .expect("WRONG_LIBPYTHON_MESSAGE names a writable file");
    }
    let loaded = other.join(format!("lib{}.so.1.0", build_info::LIBNAME));
    let exact = format!(
        "wrong libpython: this program loaded {}, but the bindings were generated for {} (libpython in {}); \
         link with -Wl,-rpath,{} or run with LD_LIBRARY_PATH={}",
        loaded.display(),
        build_info::EXECUTABLE,
        build_info::LIBDIR,
        build_info::LIBDIR,
        build_info::LIBDIR,
    );
    assert!(
        !out.status.success(),
        "the child started an interpreter from {}",
        other.display()
    );
    assert!(stderr.contains(&exact), "expected\n{exact}\nin\n{stderr}");
}
