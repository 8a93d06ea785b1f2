//! The steps that hunt bugs the ordinary tests miss: reference leaks on the
//! debug interpreter, memory errors under valgrind, crashes under hostile
//! input, and the exact messages the book quotes. Each runs its check on
//! every module the extension exports, then on the `planted` module
//! (`tutorial-crate/tests/planted`), whose bugs it must find: a check that
//! never fails proves nothing.
//!
//! The harnesses are Python files in `tutorial-crate/tests/checks/`, which
//! a reader can run by hand; the book's Testing chapter gives the commands.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::test::Ctx;
use crate::{probe, process, python, steps};

/// Where the harnesses are.
const CHECKS: &str = "tutorial-crate/tests/checks";

/// The Python packages the harnesses import.
const PACKAGES: &[&str] = &["pytest", "hypothesis"];

/// Test files of `tests/python` that the leak and memory checks leave out,
/// and why: their coverage of the ports is `tests/checks/test_ports_calls.py`.
const NOT_REPEATABLE: &[(&str, &str)] = &[(
    "test_ports_differential.py",
    "hypothesis examples differ from run to run, and it loads the C modules from lib-dynload, \
     which the debug interpreter builds in",
)];

/// CPython's own test files for the ports, run under `-R 3:3`: (port, test).
const CPYTHON_TESTS: &[(&str, &str)] = &[("_bisect", "test_bisect"), ("_heapq", "test_heapq")];

/// The builds a check needs: the modules and the planted module, each in a folder.
struct Built {
    /// The interpreter, in a virtual environment with the harnesses' packages.
    python: PathBuf,
    /// The exported modules, one file per module name.
    modules: PathBuf,
    /// The `planted` module.
    planted: PathBuf,
}

/// Builds the extension and the planted module for the debug interpreter
/// (against its headers: a release build loads there too, but its inline
/// increfs are not counted, so `sys.gettotalrefcount` would be wrong), and
/// installs them under `target/dbg`.
///
/// # Errors
///
/// A message if the debug interpreter is unusable or a build fails.
fn debug_build(ctx: &Ctx) -> Result<Built, String> {
    let interp =
        probe::probe(steps::DEBUG_PYTHON).map_err(|problem| format!("the debug interpreter: {problem}"))?;
    let target = ctx.target_dir().join("dbg");
    process::run(
        process::cargo()
            .args(["build", "-p", "tutorial-ext", "-p", "tutorial-planted"])
            .env("PYTHON", steps::DEBUG_PYTHON)
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&ctx.root),
    )?;
    let built = Built {
        python: venv(&target.join("venv"), &interp.executable, &interp.ext_suffix)?,
        modules: target.join("python"),
        planted: target.join("planted"),
    };
    install(&ctx.root, &target.join("debug"), &built, &interp.ext_suffix)?;
    Ok(built)
}

/// Builds the planted module for the target interpreter; the modules and
/// the virtual environment are those the "extension + pytest" step made.
///
/// # Errors
///
/// A message if the build fails.
fn release_build(ctx: &Ctx) -> Result<Built, String> {
    let interp = ctx.interp()?;
    process::run(process::cargo().args(["build", "-p", "tutorial-planted"]).current_dir(&ctx.root))?;
    let built = Built {
        python: venv(&ctx.target_dir().join("venv"), &interp.executable, &interp.ext_suffix)?,
        modules: ctx.target_dir().join("python"),
        planted: ctx.target_dir().join("planted"),
    };
    install(&ctx.root, &ctx.target_dir().join("debug"), &built, &interp.ext_suffix)?;
    Ok(built)
}

/// Copies the libraries in `lib_dir` to `NAME{ext_suffix}` in the folders of `built`.
fn install(root: &Path, lib_dir: &Path, built: &Built, ext_suffix: &str) -> Result<(), String> {
    let copy = |lib: &str, dir: &Path, name: &str| {
        let from = lib_dir.join(lib);
        let to = dir.join(format!("{name}{ext_suffix}"));
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        std::fs::copy(&from, &to)
            .map(drop)
            .map_err(|e| format!("cannot copy {} to {}: {e}", from.display(), to.display()))
    };
    for name in python::exported_modules(root)? {
        copy("libtutorial_ext.so", &built.modules, &name)?;
    }
    copy("libplanted.so", &built.planted, "planted")
}

/// A virtual environment at `dir` made from `base`, with the harnesses' packages.
fn venv(dir: &Path, base: &Path, ext_suffix: &str) -> Result<PathBuf, String> {
    let python = dir.join("bin/python");
    let query = "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))";
    let current = process::output(Command::new(&python).args(["-c", query]))
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned());
    if current.as_deref() != Some(ext_suffix) {
        if dir.exists() {
            std::fs::remove_dir_all(dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
        }
        process::run(Command::new(base).args(["-m", "venv"]).arg(dir))?;
    }
    let missing: Vec<&str> = PACKAGES
        .iter()
        .copied()
        .filter(|p| !process::succeeds(Command::new(&python).args(["-c", &format!("import {p}")])))
        .collect();
    if !missing.is_empty() {
        process::run(Command::new(&python).args(["-m", "pip", "install", "-q"]).args(&missing))?;
    }
    Ok(python)
}

/// The Python-side tests of every module that can run again and again:
/// `tests/python/test_*.py` but [`NOT_REPEATABLE`], and the ports' calls.
fn repeatable_tests(root: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = root.join("tutorial-crate/tests/python");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
            name.starts_with("test_")
                && name.ends_with(".py")
                && !NOT_REPEATABLE.iter().any(|(n, _)| *n == name)
        })
        .collect();
    files.sort();
    for (name, why) in NOT_REPEATABLE {
        println!("leaving out tests/python/{name}: {why}");
    }
    files.push(root.join(CHECKS).join("test_ports_calls.py"));
    Ok(files)
}

/// Runs `cmd` with its standard output and error going to one file, as a
/// terminal would interleave them, then shows that output and returns it
/// with the exit code.
fn run_captured(cmd: &mut Command) -> Result<(String, Option<i32>), String> {
    println!("$ {}", process::describe(cmd));
    let dir = process::TempDir::new("checks")?;
    let path = dir.path().join("output");
    let file = std::fs::File::create(&path).map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let second = file.try_clone().map_err(|e| format!("cannot share {}: {e}", path.display()))?;
    let status = cmd
        .stdout(file)
        .stderr(second)
        .status()
        .map_err(|e| format!("cannot run `{}`: {e}", process::short(cmd)))?;
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    print!("{text}");
    Ok((text, status.code()))
}

/// A command running the harness `script` (or `-m module`) on `python`, with `path` first on `sys.path`.
fn harness(ctx: &Ctx, python: &Path, path: &[&Path]) -> Result<Command, String> {
    let mut cmd = Command::new(python);
    cmd.env("PYTHONPATH", std::env::join_paths(path).map_err(|e| format!("PYTHONPATH: {e}"))?)
        .env("RUST_BACKTRACE", "0")
        .current_dir(&ctx.root);
    Ok(cmd)
}

/// Whether `actual` holds every non-blank line of `expected` in order, where
/// `...` in an expected line matches any text: how the book's quoted output
/// (`tests/checks/messages/*.txt`) is compared with a real run.
fn matches(expected: &str, actual: &str) -> bool {
    let mut lines = actual.lines();
    expected
        .lines()
        .filter(|l| !l.trim().is_empty())
        .all(|want| lines.by_ref().any(|got| line_matches(want, got)))
}

/// One line against one pattern line (see [`matches`]).
fn line_matches(pattern: &str, line: &str) -> bool {
    let mut pieces = pattern.split("...");
    let Some(mut rest) = line.strip_prefix(pieces.next().unwrap_or("")) else { return false };
    let pieces: Vec<&str> = pieces.collect();
    for (i, piece) in pieces.iter().enumerate() {
        if i + 1 == pieces.len() {
            return rest.ends_with(piece);
        }
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// Checks `text` against the book's copy in `tests/checks/messages/{name}.txt`.
fn check_message(root: &Path, name: &str, text: &str) -> Result<(), String> {
    let path = root.join(CHECKS).join("messages").join(format!("{name}.txt"));
    let expected =
        std::fs::read_to_string(&path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if matches(&expected, text) {
        Ok(())
    } else {
        Err(format!(
            "the output no longer matches the book's {} (update it with the new output)",
            path.display()
        ))
    }
}

/// Whether every expected piece is in `text`; a message naming the first missing one.
fn expect_all(text: &str, pieces: &[&str], what: &str) -> Result<(), String> {
    match pieces.iter().find(|p| !text.contains(**p)) {
        None => Ok(()),
        Some(missing) => Err(format!("{what}: expected `{missing}` in the output")),
    }
}

/// The refleak hunt: each module's Python tests under `--refleak=3:3` on
/// the debug interpreter, the hunter's own test on the planted leaks, and
/// CPython's tests of the ports under `python -m test -R 3:3`.
///
/// # Errors
///
/// A message if a test leaks or fails, or the hunter misses a planted leak.
pub fn refleaks(ctx: &mut Ctx) -> Result<(), String> {
    let built = debug_build(ctx)?;
    let checks = ctx.root.join(CHECKS);
    let mut hunt = harness(ctx, &built.python, &[&built.modules, &checks])?;
    hunt.args(["-m", "pytest", "-q", "-p", "refleak", "-p", "no:cacheprovider", "--refleak=3:3"])
        .args(repeatable_tests(&ctx.root)?);
    let (text, code) = run_captured(&mut hunt)?;
    if code != Some(0) {
        return Err("a test leaked or failed under --refleak=3:3 (see `refleak:` above)".to_owned());
    }
    expect_all(&text, &[", 0 leaking"], "refleak")?;

    println!("\nthe hunter's own test: the planted leaks must be found");
    let mut planted = harness(ctx, &built.python, &[&built.planted, &checks])?;
    planted
        .args(["-m", "pytest", "-q", "-p", "refleak", "-p", "no:cacheprovider", "--refleak=3:3"])
        .arg(checks.join("planted"));
    let (text, code) = run_captured(&mut planted)?;
    if code != Some(1) {
        return Err(format!("the planted leaks: pytest exited with {code:?}, expected 1 (two tests fail)"));
    }
    expect_all(
        &text,
        &[
            "test_leaks_one_reference_per_call leaked [",
            "test_leaks_one_list_per_call leaked [",
            "refleak: 3 tests run 3:3 (3 warm-ups, 3 measured), 2 leaking",
            "2 failed, 1 passed",
        ],
        "the planted leaks",
    )?;

    let exported = python::exported_modules(&ctx.root)?;
    let tests: Vec<&str> = CPYTHON_TESTS
        .iter()
        .filter(|(port, _)| exported.iter().any(|m| m == port))
        .map(|(_, t)| *t)
        .collect();
    if tests.is_empty() {
        println!("no port with CPython tests is exported yet");
        return Ok(());
    }
    println!("\nCPython's own tests of the ports, under -R 3:3");
    let mut regrtest = harness(ctx, &built.python, &[&checks])?;
    regrtest.arg(checks.join("cpython_tests.py")).arg(&built.modules).args(["-R", "3:3"]).args(&tests);
    let (text, code) = run_captured(&mut regrtest)?;
    if code != Some(0) {
        return Err(format!("python -m test -R 3:3 {} failed (exit {code:?})", tests.join(" ")));
    }
    check_message(&ctx.root, "cpython_tests_proof", &text)
}

/// valgrind's memcheck over the Python tests of every module (with
/// `PYTHONMALLOC=malloc`), then over the planted memory bugs.
///
/// # Errors
///
/// A message if valgrind reports a memory error or a leak in the modules,
/// a test fails, or a planted bug goes unreported.
pub fn memcheck(ctx: &mut Ctx) -> Result<(), String> {
    if process::which("valgrind").is_none() {
        return Err("valgrind is not installed (apt-get install valgrind)".to_owned());
    }
    let built = release_build(ctx)?;
    let checks = ctx.root.join(CHECKS);
    let mut check = harness(ctx, &built.python, &[&built.modules, &checks])?;
    check
        .arg(checks.join("memcheck.py"))
        .arg("--modules")
        .arg(&built.modules)
        .arg("--")
        .arg(&built.python)
        .args(["-m", "pytest", "-q", "-p", "refleak", "-p", "no:cacheprovider", "--skip-hypothesis"])
        .args(repeatable_tests(&ctx.root)?);
    let (text, code) = run_captured(&mut check)?;
    if code != Some(0) {
        return Err(
            "memcheck reported errors in the modules, or a test failed (see `memcheck:` above)".to_owned()
        );
    }
    expect_all(&text, &["memcheck: no report about the modules"], "memcheck")?;

    println!("\nthe check's own test: the planted memory bugs must be found");
    let mut planted = harness(ctx, &built.python, &[&built.planted])?;
    planted
        .arg(checks.join("memcheck.py"))
        .arg("--modules")
        .arg(&built.planted)
        .args([
            "--expect",
            "InvalidRead:read_past_end",
            "--expect",
            "InvalidRead:read_freed",
            "--expect",
            "Leak_DefinitelyLost:leak_rust_memory",
            "--",
        ])
        .arg(&built.python)
        .args([
            "-c",
            "import planted; planted.read_past_end(); planted.read_freed(); planted.leak_rust_memory()",
        ]);
    let (_, code) = run_captured(&mut planted)?;
    if code == Some(0) { Ok(()) } else { Err("memcheck missed a planted bug".to_owned()) }
}

/// The fuzzer over every exported module, each in its own process, then on
/// the planted crash and panic.
///
/// # Errors
///
/// A message if a call crashed, raised `SystemError`, or a port raised
/// another exception type than the C original; or if a planted bug was missed.
pub fn fuzz(ctx: &mut Ctx) -> Result<(), String> {
    let built = release_build(ctx)?;
    let fuzzer = ctx.root.join(CHECKS).join("fuzz_modules.py");
    let mut all = harness(ctx, &built.python, &[&built.modules])?;
    all.arg(&fuzzer).args(python::exported_modules(&ctx.root)?);
    let (text, code) = run_captured(&mut all)?;
    if code != Some(0) {
        return Err("the fuzzer found a failure (see `fuzz:` above)".to_owned());
    }
    let calls: usize = text
        .lines()
        .filter_map(|l| {
            l.strip_prefix("fuzz: ")?.split(", ").nth(1)?.strip_suffix(" calls").map(str::to_owned)
        })
        .filter_map(|n| n.parse::<usize>().ok())
        .sum();
    println!("fuzz: {calls} calls in all");

    println!("\nthe fuzzer's own test: the planted crash and panic must be found");
    for (target, found) in [
        ("planted.crash_if_negative", "the interpreter died with SIGSEGV"),
        ("planted.panic_if_odd", "SystemError from planted.panic_if_odd"),
    ] {
        let mut planted = harness(ctx, &built.python, &[&built.planted])?;
        planted.arg(&fuzzer).args(["--only", target, "planted"]);
        let (text, code) = run_captured(&mut planted)?;
        if code != Some(1) || !text.contains(found) {
            return Err(format!("the fuzzer missed the planted bug in {target}"));
        }
    }
    Ok(())
}

/// The messages the book quotes, each reproduced and compared with the
/// file the chapter includes (`tests/checks/test_messages.py`).
///
/// # Errors
///
/// A message if a message changed or could not be reproduced.
pub fn messages(ctx: &mut Ctx) -> Result<(), String> {
    let debug = debug_build(ctx)?;
    let release = release_build(ctx)?;
    let checks = ctx.root.join(CHECKS);
    let mut cmd = harness(ctx, &release.python, &[&checks])?;
    cmd.args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs"])
        .arg(checks.join("test_messages.py"))
        .env("CHECKS_MODULES", &release.modules)
        .env("CHECKS_PLANTED", &release.planted)
        .env("CHECKS_DBG_MODULES", &debug.modules)
        .env("CHECKS_DBG_PLANTED", &debug.planted)
        .env("CHECKS_DBG_PYTHON", &debug.python);
    let (text, code) = run_captured(&mut cmd)?;
    if code != Some(0) {
        return Err("a message the book quotes changed (see the pytest report above)".to_owned());
    }
    if text.contains(" skipped") {
        return Err("a message test was skipped (a tool is missing?)".to_owned());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_harnesses_named_here_exist() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is in the repository");
        for file in ["refleak.py", "memcheck.py", "fuzz_modules.py", "cpython_tests.py", "test_messages.py"] {
            assert!(root.join(CHECKS).join(file).is_file(), "{CHECKS}/{file} is missing");
        }
        for (name, _) in NOT_REPEATABLE {
            let path = root.join("tutorial-crate/tests/python").join(name);
            assert!(path.is_file(), "NOT_REPEATABLE names {} , which does not exist", path.display());
        }
    }

    #[test]
    fn quoted_output_matches_with_dots_standing_for_any_text() {
        assert!(matches("a ... c\n\nz\n", "a b c\nx\nz\n"));
        assert!(matches("...\n", "anything\n"));
        assert!(!matches("a ... c\n", "a b d\n"));
        assert!(!matches("b\na\n", "a\nb\n"));
    }

    #[test]
    fn expect_all_names_what_is_missing() {
        assert_eq!(expect_all("a b c", &["a", "c"], "x"), Ok(()));
        assert_eq!(expect_all("a b c", &["a", "d"], "x"), Err("x: expected `d` in the output".to_owned()));
    }
}
