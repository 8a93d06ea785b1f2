//! The matrix: the suite again on each interpreter the host does not have,
//! which `provision` makes. Each run is `cargo xtask test STEPS` itself, with
//! `PYTHON` (and `PYTHON_DEBUG`) naming that interpreter and a target folder
//! of its own, so that every step means the same on every interpreter.
//!
//! - `py3.15`, `py3.14`: in the Debian-unstable root, under `chroot`, with
//!   the repository and the Rust toolchain bind-mounted at their own paths.
//! - `py3.13t`: the free-threaded build, on the host.

use std::path::Path;

use crate::provision::{self, SidRoot};
use crate::runner::Ctx;
use crate::{process, tested_on};

/// The steps each interpreter of the matrix runs: everything that builds or
/// runs code against an interpreter. Left out: the checks that do not depend
/// on it (format, clippy, the build's error messages, the book, the quoted
/// messages, which quote the host's runs).
pub const STEPS: &[&str] = &[
    "build",
    "tests",
    "tests-debug",
    "pytest",
    "cpython-tests",
    "refleaks",
    "memcheck",
    "fuzz",
    "wheel",
];

/// What 3.14, the release before the primary target, runs: the build, the
/// Rust tests with every book sample, pytest and CPython's own tests of the
/// ports. The hunts and the debug build run on 3.15 only: with them, a cold
/// run of the whole matrix on a 2-core CI machine took 3,595 s (commit
/// ad9586c), too close to CI's 90-minute limit to add 3.14's hunts.
pub const LIGHT_STEPS: &[&str] = &["build", "tests", "pytest", "cpython-tests"];

/// The free-threaded interpreter has no debug build here: no `tests-debug`
/// or `refleaks` (which need `sys.gettotalrefcount`); the other hunts
/// (valgrind, fuzzing) run on 3.15, for time's sake.
pub const FREE_THREADED_STEPS: &[&str] =
    &["build", "tests", "pytest", "cpython-tests", "wheel"];

/// The steps a matrix run runs: `XTASK_MATRIX_STEPS` (names separated by
/// spaces, for re-running a few while fixing them), else `all`.
fn steps(all: &[&'static str]) -> Vec<String> {
    match std::env::var("XTASK_MATRIX_STEPS") {
        Ok(names) if !names.trim().is_empty() => {
            names.split_whitespace().map(str::to_owned).collect()
        }
        _ => all.iter().map(|&name| name.to_owned()).collect(),
    }
}

/// The steps of [`steps`], as the step table names them.
fn ran(all: &[&'static str]) -> Vec<&'static str> {
    steps(all)
        .iter()
        .filter_map(|name| crate::runner::step(name).map(|step| step.name))
        .collect()
}

/// Set in the environment of a matrix run: its `tools` step has nothing to
/// install (the root was provisioned with its own packages).
pub const PROVISIONED: &str = "XTASK_PROVISIONED";

/// The suite on Debian unstable's CPython 3.`minor` and its debug build.
///
/// # Errors
///
/// A message if the root cannot be made or mounted, or the run fails.
pub fn on_sid(
    ctx: &mut Ctx,
    minor: u32,
    all: &[&'static str],
) -> Result<(), String> {
    let root = SidRoot::ensure()?;
    let cargo = provision::cargo_home();
    let rustup = provision::rustup_home();
    let binds: Vec<&Path> = vec![&ctx.root, &cargo, &rustup];
    let _mounts = root.mount(&binds)?;
    let python = format!("python3.{minor}");
    let target = ctx.target_dir().join(&python);
    // Temporary files on the repository's file system: setuptools renames
    // its build files from the source folder into pip's temporary folder,
    // which fails across the bind mount's boundary.
    let tmp = target.join("tmp");
    std::fs::create_dir_all(&tmp)
        .map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    let mut cmd = root.command("sh");
    cmd.args(["-c", "cd \"$0\" && exec cargo xtask test \"$@\""])
        .arg(&ctx.root)
        .args(steps(all))
        .env("PYTHON", &python)
        .env("PYTHON_DEBUG", format!("python3.{minor}d"))
        .env("CARGO_TARGET_DIR", &target)
        .env("TMPDIR", &tmp)
        .env(PROVISIONED, "1");
    process::run(&mut cmd)?;
    let place = "Debian unstable root";
    let ran = ran(all);
    record(ctx, place, &mut root.command(&python), &ran, false)?;
    if ran.iter().any(|step| DEBUG_STEPS.contains(step)) {
        record(
            ctx,
            place,
            &mut root.command(&format!("python3.{minor}d")),
            &ran,
            true,
        )?;
    }
    Ok(())
}

/// The steps that run on a matrix run's debug interpreter.
const DEBUG_STEPS: &[&str] = &["tests-debug", "refleaks"];

/// Adds the row of `python` to the run's "Tested on" table: the steps of
/// `steps` that ran on it (those of the debug interpreter, or the others).
fn record(
    ctx: &mut Ctx,
    place: &str,
    python: &mut std::process::Command,
    steps: &[&'static str],
    debug: bool,
) -> Result<(), String> {
    let (version, build) = tested_on::describe(python)?;
    let steps = steps
        .iter()
        .copied()
        .filter(|step| DEBUG_STEPS.contains(step) == debug)
        .collect();
    ctx.tested.push(tested_on::Row {
        place: place.to_owned(),
        version,
        build,
        steps,
    });
    Ok(())
}

/// The suite on the free-threaded CPython 3.13 that `provision` builds.
///
/// The run keeps the interpreter's default: every module states
/// `Py_mod_gil = Py_MOD_GIL_NOT_USED`, so the GIL stays off when they are
/// imported (the pytest suite checks that, and its thread stress tests set
/// `PYTHON_GIL=0` so that nothing else can turn it on).
///
/// # Errors
///
/// A message if the build or the run fails.
pub fn free_threaded(ctx: &mut Ctx) -> Result<(), String> {
    let python = provision::free_threaded()?;
    let mut cmd = process::cargo();
    cmd.args(["xtask", "test"])
        .args(steps(FREE_THREADED_STEPS))
        .env("PYTHON", &python)
        .env("CARGO_TARGET_DIR", ctx.target_dir().join("python3.13t"))
        .env(PROVISIONED, "1")
        .current_dir(&ctx.root);
    process::run(&mut cmd)?;
    record(
        ctx,
        "host",
        &mut std::process::Command::new(&python),
        FREE_THREADED_STEPS,
        false,
    )
}
