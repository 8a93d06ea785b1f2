//! The demonstration of "The thread state and the GIL" (issue 12, item 7):
//! a list whose items' `__eq__` empties it and returns `NotImplemented`.
//! The C `count_equal` (`tests/c/count_equal.c`, which the chapter shows)
//! keeps a borrowed item across the comparison, and CPython's comparison
//! then uses the freed item for the reflected `x.__eq__(item)`: the child
//! interpreter that runs it dies of a signal. The Rust `count_equal` owns
//! each item it compares, and answers.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use tutorial::prelude::*;

/// The hostile list, as the chapter shows it.
const HOSTILE: &str = r#"
class Hostile:
    def __init__(self, victim): self.victim = victim
    def __eq__(self, other):
        self.victim.clear()     # drops every item, this one included
        return NotImplemented   # so Python tries other.__eq__(self) next
victim = []
victim.extend(Hostile(victim) for _ in range(3))
"#;

fn count_equal(
    _module: &Bound<'_, PyModule>,
    list: &Bound<'_, PyAny>,
    x: &Bound<'_, PyAny>,
) -> PyResult<usize> {
    let list = list.downcast::<PyList>()?;
    let mut count = 0;
    let mut i = 0;
    while let Some(item) = list.get(i) {
        if item.eq(x)? {
            count += 1;
        }
        i += 1;
    }
    Ok(count)
}

tutorial::module! {
    name: reentrant,
    doc: "",
    methods: [tutorial::meth_fastcall!(count_equal(list, x), "")],
}

/// Compiles `tests/c/count_equal.c` as the module `c_reentrant` into `dir`.
fn build_c_module(dir: &std::path::Path) {
    let python = tutorial::ffi::build_info::EXECUTABLE;
    let include = Command::new(python)
        .args(["-c", "import sysconfig; print(sysconfig.get_paths()['include'])"])
        .output()
        .expect("the target interpreter runs");
    let include = String::from_utf8(include.stdout).expect("a path");
    let source = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/c/count_equal.c");
    let out =
        dir.join(format!("c_reentrant{}", tutorial::ffi::build_info::EXT_SUFFIX));
    let status = Command::new("cc")
        .args(["-shared", "-fPIC", "-O1", "-I", include.trim(), source, "-o"])
        .arg(&out)
        .status()
        .expect("a C compiler (cc) is installed");
    assert!(status.success(), "compiling {source} failed");
}

#[test]
fn the_c_count_equal_crashes_on_the_hostile_list() {
    let dir =
        std::env::temp_dir().join(format!("c_reentrant-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary folder");
    build_c_module(&dir);
    let script = format!(
        "{HOSTILE}\nimport c_reentrant\nprint(c_reentrant.count_equal(victim, 0))\n"
    );
    // PYTHONMALLOC=debug poisons freed memory on a release interpreter too,
    // as a debug interpreter always does, so the use after free is seen.
    let child = Command::new(tutorial::ffi::build_info::EXECUTABLE)
        .args(["-c", &script])
        .env("PYTHONPATH", &dir)
        .env("PYTHONMALLOC", "debug")
        .env("PYTHONFAULTHANDLER", "1")
        .output()
        .expect("the target interpreter runs");
    let _ = std::fs::remove_dir_all(&dir);
    let stderr = String::from_utf8_lossy(&child.stderr);
    assert!(
        child.status.signal().is_some(),
        "the C version survived ({:?}): stdout {:?}, stderr {stderr}",
        child.status,
        String::from_utf8_lossy(&child.stdout),
    );
}

#[test]
fn the_rust_count_equal_survives_the_hostile_list() {
    let session = format!(
        "{HOSTILE}\nimport reentrant\nresult = reentrant.count_equal(victim, 0)\n\
         assert (result, victim) == (0, []), (result, victim)\n"
    );
    tutorial_embed::run_python(&[("reentrant", reentrant::init)], &session)
        .unwrap_or_else(|traceback| panic!("{traceback}"));
}
