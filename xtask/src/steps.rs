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
    let interp = probe::probe(DEBUG_PYTHON)
        .map_err(|problem| format!("the debug interpreter: {problem}"))?;
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
        0 if checked.links == 0 => {
            Err("the book has no fragment links: is the HTML there?".to_owned())
        }
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
        println!(
            "note: book.toml has only the HTML output (no link checker), so the HTML is in book/"
        );
        Ok(book)
    } else {
        Err(format!("no HTML in {}: the book was not built", book.display()))
    }
}
