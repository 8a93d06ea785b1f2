//! A key function that calls `bisect_left` again (issue 12, item 6):
//! `bisect_left(a, x, key=lambda v: bisect_left(a, x, key=...))`. Each
//! level is a Python frame and the port's Rust frames; the interpreter
//! counts the Python frames and raises `RecursionError` at its limit, but
//! it cannot see how much C stack the Rust frames between two of them take.
//! Each case runs in a child process (this test binary again, with
//! `RECURSION_DEPTH_CHILD` naming the case), so that a crash is a failed
//! test, not a lost run.

use std::process::Command;

use tutorial::types::PyModule;
use tutorial::{Bound, PyResult};

/// The address of a local variable of a Rust function called from Python:
/// where the C stack is at that moment (it grows down on every platform
/// this runs on). Safe code: the address is only printed, never used.
fn sp(_module: &Bound<'_, PyModule>) -> PyResult<usize> {
    let local = 0u8;
    Ok(std::hint::black_box(&local) as *const u8 as usize)
}

tutorial::module! {
    name: probe,
    doc: "The stack pointer, for the recursion tests.",
    methods: [tutorial::meth_noargs!(sp, "Return the address of a local.")],
}

const MODULES: [(&str, tutorial_embed::InitFn); 2] =
    [("_bisect", examples::_bisect::init), ("probe", probe::init)];

/// Loads the interpreter's own (C) `_bisect` from its file, by the path
/// finder: `import _bisect` finds the Rust one, registered as built-in.
const PRELUDE: &str = r#"
import importlib.machinery, importlib.util, sys, sysconfig, threading
# Debian builds _bisect into the interpreter, and its built-in entry comes
# before the embedded Rust one: `import _bisect` would give the C module
# there, so the cases say so and measure nothing.
SKIP = "_bisect" in (sysconfig.get_config_var("MODBUILT_NAMES") or "").split()
import probe
if not SKIP:
    import _bisect as rust
    spec = importlib.machinery.PathFinder.find_spec("_bisect")
    c = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(c)
    assert type(c.bisect_left).__name__ == "builtin_function_or_method"
    assert c is not rust

def per_level(mod, levels=40):
    """Bytes of C stack one level of the recursion takes."""
    sps = []
    def key(v):
        sps.append(probe.sp())
        if len(sps) < levels:
            mod.bisect_left([0], 0, key=key)
        return v
    mod.bisect_left([0], 0, key=key)
    return (sps[1] - sps[-1]) // (levels - 2)

def depth(mod):
    """How deep the recursion gets before RecursionError."""
    n = 0
    def key(v):
        nonlocal n
        n += 1
        mod.bisect_left([0], 0, key=key)
        return v
    try:
        mod.bisect_left([0], 0, key=key)
    except RecursionError:
        return n
    raise AssertionError("no RecursionError")

def on_thread(f, stack):
    """f() on a thread with a C stack of `stack` bytes."""
    out = []
    threading.stack_size(stack)
    t = threading.Thread(target=lambda: out.append(f()))
    t.start()
    t.join()
    threading.stack_size(0)
    return out[0]
"#;

/// The cases, each run in a child: (name, code after the prelude).
const CASES: [(&str, &str); 3] = [
    (
        "measure",
        "print('per level: C', per_level(c), 'Rust', per_level(rust), \
         'limit', sys.getrecursionlimit())\n",
    ),
    (
        "c-on-small-thread",
        "print('C: RecursionError after', on_thread(lambda: depth(c), 1 << 20))\n",
    ),
    (
        "rust-on-small-thread",
        "print('Rust: RecursionError after', \
         on_thread(lambda: depth(rust), 1 << 20))\n",
    ),
];

/// In the child: run the case named by the variable, then say so.
fn child() -> bool {
    let Ok(name) = std::env::var("RECURSION_DEPTH_CHILD") else { return false };
    let (_, code) = CASES.iter().find(|(n, _)| *n == name).expect("a known case");
    let code = format!(
        "{PRELUDE}\nif SKIP:\n    print('skipped: _bisect is built in')\nelse:\n    {code}"
    );
    tutorial_embed::run_python(&MODULES, &code)
        .unwrap_or_else(|traceback| panic!("{traceback}"));
    println!("done {name}");
    true
}

/// Runs case `name` in a child process: its output, or the way it died.
fn run_case(name: &str) -> Result<String, String> {
    let out = Command::new(std::env::current_exe().expect("this test binary"))
        .args([
            "--exact",
            "a_key_that_recurses_raises_recursion_error",
            "--nocapture",
        ])
        .env("RECURSION_DEPTH_CHILD", name)
        .output()
        .expect("the test binary runs");
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    if out.status.success() && stdout.contains(&format!("done {name}")) {
        Ok(stdout)
    } else {
        Err(format!(
            "{name}: {:?}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ))
    }
}

#[test]
fn a_key_that_recurses_raises_recursion_error() {
    if child() {
        return;
    }
    let mut failures = Vec::new();
    for (name, _) in CASES {
        match run_case(name) {
            Ok(out) => println!("{out}"),
            Err(e) => failures.push(e),
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
