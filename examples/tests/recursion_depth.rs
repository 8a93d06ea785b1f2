//! A key function that calls `bisect_left` again, recursing through the
//! Rust port (issue 12, item 6). Each level nests the port's frames between
//! the interpreter's; in this debug build they take several times C's
//! stack, and with the recursion limit raised a thread's C stack ran out
//! first: the child died of `SIGSEGV` where C raises `RecursionError`. The
//! safe layer's debug-build stack check (`tutorial::impl_::stack`, at every
//! entry from C) now raises `RecursionError` with the stack nearly full.
//! The case runs in a child process (this binary again, with
//! `RECURSION_DEPTH_CHILD` set), so that a crash fails the test instead of
//! ending the test run.

use std::process::Command;

const MODULES: [(&str, tutorial_embed::InitFn); 1] =
    [("_bisect", examples::_bisect::init)];

/// The recursion, on a thread with a 4 MiB stack, the limit out of reach.
const CASE: &str = r#"
import sys, threading, _bisect
sys.setrecursionlimit(1_000_000)
threading.stack_size(4 << 20)
depth = 0
def key(item):
    global depth
    depth += 1
    return _bisect.bisect_left([item], 0, key=key)
outcome = []
def main():
    try:
        key(1)
    except RecursionError as e:
        outcome.append(f"RecursionError at depth {depth}: {e}")
t = threading.Thread(target=main)
t.start()
t.join()
print(outcome[0])
sys.stdout.flush()  # the embedded interpreter is not finalized at exit
"#;

#[test]
fn a_key_function_recursing_through_the_port_raises_recursion_error() {
    if std::env::var_os("RECURSION_DEPTH_CHILD").is_some() {
        tutorial_embed::run_python(&MODULES, CASE)
            .unwrap_or_else(|tb| panic!("{tb}"));
        return;
    }
    let out = Command::new(std::env::current_exe().expect("this test binary"))
        .args([
            "--exact",
            "a_key_function_recursing_through_the_port_raises_recursion_error",
            "--nocapture",
        ])
        .env("RECURSION_DEPTH_CHILD", "1")
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        // Before 3.14 the check is the safe layer's ("the C stack is nearly
        // full"); from 3.14 the interpreter measures the stack itself, and
        // either may be first.
        out.status.success() && stdout.contains("RecursionError at depth "),
        "{:?}\n{stdout}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr),
    );
    println!(
        "{}",
        stdout.lines().find(|l| l.starts_with("RecursionError")).unwrap_or("")
    );
}
