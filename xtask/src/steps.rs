//! The steps of `cargo xtask test` that are one cargo or mdBook run each.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::test::Ctx;
use crate::{fragments, probe, process};

/// The debug interpreter (`Py_DEBUG`, with `sys.gettotalrefcount`) from Debian's `python3.11-dbg`.
pub const DEBUG_PYTHON: &str = "python3.11-dbg";

/// Probes the target interpreter as the build script will, and keeps its facts.
///
/// # Errors
///
/// The build script's own message, printed as `error: cpython-sys: ...`.
pub fn preflight(ctx: &mut Ctx) -> Result<(), String> {
    match probe::probe(&ctx.python) {
        Ok(interp) => {
            println!(
                "target interpreter: {} (Python {}.{}{}), libpython in {}",
                interp.executable.display(),
                interp.version.0,
                interp.version.1,
                if interp.py_debug { ", debug build" } else { "" },
                interp.libdir.display()
            );
            ctx.interp = Some(interp);
            Ok(())
        }
        Err(problem) => {
            eprintln!("error: cpython-sys: {problem}");
            Err(format!("no usable interpreter at `{}` (see the error above)", ctx.python))
        }
    }
}

/// Checks that every crate is formatted as `rustfmt.toml` says.
///
/// # Errors
///
/// A message if `cargo fmt` would change a file.
pub fn format(ctx: &mut Ctx) -> Result<(), String> {
    process::run(process::cargo().args(["fmt", "--all", "--check"]).current_dir(&ctx.root))
}

/// Lints every crate and target, warnings included.
///
/// # Errors
///
/// A message if clippy reports anything.
pub fn clippy(ctx: &mut Ctx) -> Result<(), String> {
    process::run(
        process::cargo()
            .args(["clippy", "--workspace", "--all-targets", "--", "-D", "warnings"])
            .current_dir(&ctx.root),
    )
}

/// Runs every crate's tests (the book's samples included) against the target interpreter.
///
/// # Errors
///
/// A message if a test fails.
pub fn tests_release(ctx: &mut Ctx) -> Result<(), String> {
    let libdir = ctx.interp()?.libdir.clone();
    let mut cmd = process::cargo();
    cmd.args(["test", "--workspace"]).current_dir(&ctx.root);
    process::run(with_libpython(&mut cmd, &libdir)?)
}

/// Runs the bindings' and the safe layer's tests against the debug interpreter.
///
/// A debug build checks reference counts (`sys.gettotalrefcount`) and
/// asserts inside the C API, so it catches a missing or extra incref that a
/// release build lets pass. It has its own ABI, hence its own target folder.
///
/// # Errors
///
/// A message if the debug interpreter is unusable or a test fails.
pub fn tests_debug(ctx: &mut Ctx) -> Result<(), String> {
    let interp = probe::probe(DEBUG_PYTHON).map_err(|problem| format!("the debug interpreter: {problem}"))?;
    if !interp.py_debug {
        return Err(format!("`{DEBUG_PYTHON}` is not a debug build (Py_DEBUG is not set)"));
    }
    let mut cmd = process::cargo();
    cmd.args(["test", "-p", "cpython-sys", "-p", "tutorial"])
        .env("PYTHON", DEBUG_PYTHON)
        .env("CARGO_TARGET_DIR", ctx.target_dir().join("dbg"))
        .current_dir(&ctx.root);
    process::run(with_libpython(&mut cmd, &interp.libdir)?)
}

/// Lets programs built by `cmd` link and load the libpython in `libdir`.
///
/// Cargo's own test binaries get `-L` and an rpath from the build scripts,
/// but skeptic compiles each book sample by calling rustc itself, without
/// either. `LIBRARY_PATH` is where the linker (through cc) looks for
/// `-lpython3.x`, and `LD_LIBRARY_PATH` is where the loader finds it when
/// the sample runs; without them a sample links against no libpython, or
/// loads another one with the same soname (such as the system's).
fn with_libpython<'a>(cmd: &'a mut Command, libdir: &Path) -> Result<&'a mut Command, String> {
    for var in ["LIBRARY_PATH", "LD_LIBRARY_PATH"] {
        cmd.env(var, process::prepend_paths(var, &[libdir])?);
    }
    Ok(cmd)
}

/// Builds the book with every output `book.toml` configures (the link checker included).
///
/// # Errors
///
/// A message if there is no book yet or mdBook (or a link check) fails.
pub fn book(ctx: &mut Ctx) -> Result<(), String> {
    if !ctx.root.join("book.toml").is_file() {
        return Err("no book.toml at the repository's root: the book is not there yet".to_owned());
    }
    process::run(Command::new("mdbook").arg("build").current_dir(&ctx.root))
}

/// Checks that every fragment link in the built book names an existing id.
///
/// # Errors
///
/// A message counting the broken links, each printed as `file: href`.
pub fn fragments(ctx: &mut Ctx) -> Result<(), String> {
    let html = html_dir(&ctx.root)?;
    println!("checking fragment links under {}", html.display());
    let checked = fragments::check(&html)?;
    println!("checked {} fragment links in {} pages", checked.links, checked.pages);
    for link in &checked.broken {
        println!("  broken fragment: {link}");
    }
    match checked.broken.len() {
        0 if checked.links == 0 => Err("the book has no fragment links: is the HTML there?".to_owned()),
        0 => Ok(()),
        1 => Err("1 link names a missing id".to_owned()),
        n => Err(format!("{n} links name missing ids")),
    }
}

/// Where mdBook put the HTML: `book/html` when there are several outputs, else `book/`.
fn html_dir(root: &Path) -> Result<PathBuf, String> {
    let book = root.join("book");
    if book.join("html").is_dir() {
        Ok(book.join("html"))
    } else if book.join("index.html").is_file() {
        println!("note: book.toml has only the HTML output (no link checker), so the HTML is in book/");
        Ok(book)
    } else {
        Err(format!("no HTML in {}: the book was not built", book.display()))
    }
}

/// Runs the bindings' oracle tests against every other CPython 3.12 or 3.13
/// found here (pyenv's versions, or `python3.12`/`python3.13` on `PATH`), so
/// that the version cfgs (`Py_3_12`, `Py_3_13`: immortal objects, the new
/// `PyObject_HEAD_INIT`) are checked against real headers, not only
/// written. Each gets its own target folder.
///
/// # Errors
///
/// A message if a test fails. Finding no such interpreter is not an error:
/// the step says so and passes, as the target and debug runs still ran.
pub fn other_interpreters(ctx: &mut Ctx) -> Result<(), String> {
    let found = other_cpythons();
    if found.is_empty() {
        println!("no CPython 3.12 or 3.13 found besides the target: nothing more to check");
        return Ok(());
    }
    for python in found {
        let interp = match probe::probe(&python) {
            Ok(interp) => interp,
            Err(problem) => {
                println!("skipping {python}: {problem}");
                continue;
            }
        };
        let dir = ctx.target_dir().join(format!("py{}.{}", interp.version.0, interp.version.1));
        println!(
            "bindings against {} (Python {}.{})",
            interp.executable.display(),
            interp.version.0,
            interp.version.1
        );
        let mut cmd = process::cargo();
        cmd.args(["test", "-p", "cpython-sys", "--test", "oracle"])
            .env("PYTHON", &python)
            .env("CARGO_TARGET_DIR", dir)
            .current_dir(&ctx.root);
        process::run(with_libpython(&mut cmd, &interp.libdir)?)?;
    }
    Ok(())
}

/// CPython 3.12 and 3.13 interpreters on this machine, one per minor version.
fn other_cpythons() -> Vec<String> {
    let mut found = Vec::new();
    for minor in [12, 13] {
        let pyenv = std::env::var_os("PYENV_ROOT")
            .map(PathBuf::from)
            .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".pyenv")));
        let from_pyenv = pyenv.and_then(|root| {
            let mut versions: Vec<PathBuf> = std::fs::read_dir(root.join("versions"))
                .ok()?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| {
                    p.file_name().is_some_and(|n| n.to_string_lossy().starts_with(&format!("3.{minor}.")))
                })
                .map(|p| p.join("bin/python3"))
                .filter(|p| p.is_file())
                .collect();
            versions.sort();
            versions.pop().map(|p| p.display().to_string())
        });
        let on_path = || {
            let name = format!("python3.{minor}");
            let works = Command::new(&name).arg("-c").arg("pass").output().is_ok_and(|o| o.status.success());
            works.then_some(name)
        };
        if let Some(python) = from_pyenv.or_else(on_path) {
            found.push(python);
        }
    }
    found
}
