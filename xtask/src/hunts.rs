//! The steps that hunt bugs the ordinary tests miss: reference leaks on the
//! debug interpreter (`refleaks`), memory errors under valgrind
//! (`memcheck`), crashes under hostile input (`fuzz`). Each runs its check
//! on every module the extension exports, then on the `planted` module
//! (`checks/planted`), whose bugs it must find: a check that never fails
//! proves nothing.
//!
//! The harnesses are Python files in `checks/`, which a reader can run by
//! hand; the book's Testing chapter gives the commands.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::extension::{self, CHECKS, PYTHON_TESTS};
use crate::process::{self, run_captured};
use crate::runner::Ctx;
use crate::{interpreters, messages, modules, venv};

/// pytest with the refleak plugin (`checks/refleak.py`) and no cache: the
/// start of every harness command that runs module tests.
const PYTEST_REFLEAK: &[&str] =
    &["-m", "pytest", "-q", "-p", "refleak", "-p", "no:cacheprovider"];

/// Test files of `examples/python` that the leak and memory checks leave
/// out, and why: their coverage of the ports is `checks/test_ports_calls.py`.
const NOT_REPEATABLE: &[(&str, &str)] = &[
    (
        "test_ports_differential.py",
        "hypothesis examples differ from run to run, and it loads the C modules from lib-dynload, \
         which the debug interpreter builds in",
    ),
    (
        "test_ports_versions.py",
        "it loads the C modules from lib-dynload, which the debug interpreter builds in",
    ),
];

/// The builds a check needs: the modules and the planted module, each in a folder.
pub struct Built {
    /// The interpreter, in a virtual environment with the harnesses' packages.
    pub python: PathBuf,
    /// The exported modules, one file per module name.
    pub modules: PathBuf,
    /// The `planted` module.
    pub planted: PathBuf,
}

/// Builds the extension and the planted module for the debug interpreter
/// (against its headers: a release build loads there too, but its inline
/// increfs are not counted, so `sys.gettotalrefcount` would be wrong), and
/// installs them under `target/dbg`, the extension under every module name.
///
/// # Errors
///
/// A message if the debug interpreter is unusable or a build fails.
pub fn debug_build(ctx: &Ctx) -> Result<Built, String> {
    let interp = interpreters::debug()?;
    let target = ctx.target_dir().join("dbg");
    process::run(
        process::cargo()
            .args(["build", "-p", "tutorial-ext", "-p", "tutorial-planted"])
            .env("PYTHON", interpreters::debug_python())
            .env("CARGO_TARGET_DIR", &target)
            .current_dir(&ctx.root),
    )?;
    let built = Built {
        python: venv::ensure(&target.join("venv"), &interp, venv::TEST_PACKAGES)?,
        modules: target.join("python"),
        planted: target.join("planted"),
    };
    let libs = target.join("debug");
    let names = modules::exported(&ctx.root)?;
    modules::install(
        &libs.join("libtutorial_ext.so"),
        &built.modules,
        &interp.ext_suffix,
        &names,
    )?;
    install_planted(&libs, &built, &interp.ext_suffix)?;
    Ok(built)
}

/// Builds the planted module for the target interpreter; the modules and
/// the virtual environment are those the `pytest` step made.
///
/// # Errors
///
/// A message if the build fails.
pub fn release_build(ctx: &Ctx) -> Result<Built, String> {
    let interp = ctx.interp()?;
    process::run(
        process::cargo()
            .args(["build", "-p", "tutorial-planted"])
            .current_dir(&ctx.root),
    )?;
    let built = Built {
        python: venv::ensure(
            &ctx.target_dir().join("venv"),
            interp,
            venv::TEST_PACKAGES,
        )?,
        modules: extension::installed(ctx),
        planted: ctx.target_dir().join("planted"),
    };
    install_planted(&ctx.target_dir().join("debug"), &built, &interp.ext_suffix)?;
    Ok(built)
}

/// Copies `libplanted.so` from `libs` to `planted{ext_suffix}` in the planted folder of `built`.
fn install_planted(
    libs: &Path,
    built: &Built,
    ext_suffix: &str,
) -> Result<(), String> {
    modules::install(
        &libs.join("libplanted.so"),
        &built.planted,
        ext_suffix,
        &["planted".to_owned()],
    )
}

/// The Python-side tests of every module that can run again and again:
/// `examples/python/test_*.py` but [`NOT_REPEATABLE`], and the ports' calls.
fn repeatable_tests(root: &Path) -> Result<Vec<PathBuf>, String> {
    let dir = root.join(PYTHON_TESTS);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            let name = p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            name.starts_with("test_")
                && name.ends_with(".py")
                && !NOT_REPEATABLE.iter().any(|(n, _)| *n == name)
        })
        .collect();
    files.sort();
    for (name, why) in NOT_REPEATABLE {
        println!("leaving out {PYTHON_TESTS}/{name}: {why}");
    }
    files.push(root.join(CHECKS).join("test_ports_calls.py"));
    Ok(files)
}

/// A command running a harness on `python`, with `path` first on `sys.path`.
pub fn harness(
    ctx: &Ctx,
    python: &Path,
    path: &[&Path],
) -> Result<Command, String> {
    let mut cmd = Command::new(python);
    cmd.env(
        "PYTHONPATH",
        std::env::join_paths(path).map_err(|e| format!("PYTHONPATH: {e}"))?,
    )
    .env("RUST_BACKTRACE", "0")
    .current_dir(&ctx.root);
    Ok(cmd)
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
/// CPython's tests of the ports under `python -m test -R 3:3` (the harness
/// runs those of every port it finds in the folder; `checks/ports.py`
/// says which tests those are).
///
/// # Errors
///
/// A message if a test leaks or fails, or the hunter misses a planted leak.
pub fn refleaks(ctx: &mut Ctx) -> Result<(), String> {
    let built = debug_build(ctx)?;
    let checks = ctx.root.join(CHECKS);
    let mut hunt = harness(ctx, &built.python, &[&built.modules, &checks])?;
    hunt.args(PYTEST_REFLEAK)
        .arg("--refleak=3:3")
        .args(repeatable_tests(&ctx.root)?);
    let (text, code) = run_captured(&mut hunt)?;
    if code != Some(0) {
        return Err(
            "a test leaked or failed under --refleak=3:3 (see `refleak:` above)"
                .to_owned(),
        );
    }
    expect_all(&text, &[", 0 leaking"], "refleak")?;

    println!("\nthe hunter's own test: the planted leaks must be found");
    let mut planted = harness(ctx, &built.python, &[&built.planted, &checks])?;
    planted.args(PYTEST_REFLEAK).arg("--refleak=3:3").arg(checks.join("planted"));
    let (text, code) = run_captured(&mut planted)?;
    if code != Some(1) {
        return Err(format!(
            "the planted leaks: pytest exited with {code:?}, expected 1 (two tests fail)"
        ));
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

    println!("\nCPython's own tests of the ports, under -R 3:3");
    let mut regrtest = harness(ctx, &built.python, &[&checks])?;
    regrtest
        .arg(checks.join("cpython_tests.py"))
        .arg(&built.modules)
        .args(["-R", "3:3"]);
    let (text, code) = run_captured(&mut regrtest)?;
    if code != Some(0) {
        return Err(format!(
            "CPython's tests of the ports failed under -R 3:3 (exit {code:?})"
        ));
    }
    if std::env::var_os("PYTHON_DEBUG").is_some() {
        // A matrix run: the book quotes the host's run (python3.11-dbg),
        // and each version's regrtest words its progress differently.
        return Ok(());
    }
    messages::check(&ctx.root, "cpython_tests_proof", &text)
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
        return Err(
            "valgrind is not installed (apt-get install valgrind)".to_owned()
        );
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
        .args(PYTEST_REFLEAK)
        .arg("--skip-hypothesis")
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
    if code == Some(0) {
        Ok(())
    } else {
        Err("memcheck missed a planted bug".to_owned())
    }
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
    all.arg(&fuzzer).args(modules::exported(&ctx.root)?);
    let (text, code) = run_captured(&mut all)?;
    if code != Some(0) {
        return Err("the fuzzer found a failure (see `fuzz:` above)".to_owned());
    }
    let calls: usize = text
        .lines()
        .filter_map(|l| {
            l.strip_prefix("fuzz: ")?
                .split(", ")
                .nth(1)?
                .strip_suffix(" calls")
                .map(str::to_owned)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_harnesses_named_here_exist() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask is in the repository");
        for file in [
            "refleak.py",
            "memcheck.py",
            "fuzz_modules.py",
            "cpython_tests.py",
            "test_ports_calls.py",
            "ports.py",
        ] {
            assert!(
                root.join(CHECKS).join(file).is_file(),
                "{CHECKS}/{file} is missing"
            );
        }
        for (name, _) in NOT_REPEATABLE {
            let path = root.join(PYTHON_TESTS).join(name);
            assert!(
                path.is_file(),
                "NOT_REPEATABLE names {} , which does not exist",
                path.display()
            );
        }
    }

    #[test]
    fn expect_all_names_what_is_missing() {
        assert_eq!(expect_all("a b c", &["a", "c"], "x"), Ok(()));
        assert_eq!(
            expect_all("a b c", &["a", "d"], "x"),
            Err("x: expected `d` in the output".to_owned())
        );
    }
}
