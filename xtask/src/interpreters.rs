//! The interpreters the steps run on: the target (`preflight`), the debug
//! interpreter, the other CPython versions the bindings are checked
//! against, and the older ones the build must refuse.

use std::path::PathBuf;
use std::process::Command;

use cpython_build_config::{Interpreter, SUPPORTED, parse_version, probe};

use crate::process;
use crate::runner::Ctx;

/// The host's debug interpreter (`Py_DEBUG`, with `sys.gettotalrefcount`),
/// from Debian's `python3.11-dbg`.
pub const DEBUG_PYTHON: &str = "python3.11-dbg";

/// The debug interpreter the steps use: `PYTHON_DEBUG` (set by the matrix
/// steps to the debug build of their target, `python3.15d`), else
/// [`DEBUG_PYTHON`].
pub fn debug_python() -> String {
    std::env::var("PYTHON_DEBUG").unwrap_or_else(|_| DEBUG_PYTHON.to_owned())
}

/// Probes the target interpreter as the build script will, and keeps its facts.
///
/// # Errors
///
/// The build script's own message, printed as `error: cpython-sys: ...`.
pub fn preflight(ctx: &mut Ctx) -> Result<(), String> {
    match probe(&ctx.python) {
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
            Err(format!(
                "no usable interpreter at `{}` (see the error above)",
                ctx.python
            ))
        }
    }
}

/// The debug interpreter's facts.
///
/// # Errors
///
/// A message if it does not run or is not a debug build.
pub fn debug() -> Result<Interpreter, String> {
    let python = debug_python();
    let interp = probe(&python)
        .map_err(|problem| format!("the debug interpreter: {problem}"))?;
    if interp.py_debug {
        Ok(interp)
    } else {
        Err(format!("`{python}` is not a debug build (Py_DEBUG is not set)"))
    }
}

/// CPython 3.12 and 3.13 interpreters on this machine, one per minor
/// version: pyenv's newest of each, else `python3.12`/`python3.13` on `PATH`.
pub fn other_cpythons() -> Vec<String> {
    let pyenv = pyenv_versions();
    let mut found = Vec::new();
    for minor in [12, 13] {
        let mut versions: Vec<PathBuf> = pyenv
            .iter()
            .filter(|dir| is_version(dir, minor))
            .map(|dir| dir.join("bin/python3"))
            .filter(|p| p.is_file())
            .collect();
        versions.sort();
        let from_pyenv = versions.pop().map(|p| p.display().to_string());
        let on_path = || {
            let name = format!("python3.{minor}");
            process::succeeds(Command::new(&name).args(["-c", "pass"]))
                .then_some(name)
        };
        if let Some(python) = from_pyenv.or_else(on_path) {
            found.push(python);
        }
    }
    found
}

/// A real interpreter older than the oldest supported one, if this machine has one.
pub fn older() -> Option<PathBuf> {
    older_candidates().into_iter().find(|candidate| {
        let out = Command::new(candidate)
            .args(["-c", "import sys; print('%d.%d' % sys.version_info[:2])"])
            .output();
        // A pyenv shim for a version that is not selected fails to run: skip it.
        out.ok()
            .filter(|out| out.status.success())
            .and_then(|out| parse_version(&String::from_utf8_lossy(&out.stdout)))
            .is_some_and(|(major, minor)| major == 3 && minor < SUPPORTED.0)
    })
}

/// Where an older interpreter may be: for 3.10, 3.9, 3.8 (newest first),
/// pyenv's `versions/3.N.*/bin/python3`, then `python3.N` on `PATH`.
fn older_candidates() -> Vec<PathBuf> {
    let oldest = SUPPORTED.0;
    let pyenv = pyenv_versions();
    let mut found = Vec::new();
    for minor in (oldest.saturating_sub(3)..oldest).rev() {
        found.extend(
            pyenv
                .iter()
                .filter(|dir| is_version(dir, minor))
                .map(|dir| dir.join("bin/python3")),
        );
        found.extend(process::which(&format!("python3.{minor}")));
    }
    found
}

/// Whether a folder of pyenv's `versions/` holds a CPython 3.`minor` (`3.12.4`).
fn is_version(dir: &std::path::Path, minor: u32) -> bool {
    dir.file_name()
        .is_some_and(|n| n.to_string_lossy().starts_with(&format!("3.{minor}.")))
}

/// The folders under pyenv's `versions/` (`$PYENV_ROOT`, else `~/.pyenv`), if any.
fn pyenv_versions() -> Vec<PathBuf> {
    let root = std::env::var_os("PYENV_ROOT").map(PathBuf::from).or_else(|| {
        std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".pyenv"))
    });
    let entries =
        root.and_then(|root| std::fs::read_dir(root.join("versions")).ok());
    entries
        .into_iter()
        .flatten()
        .filter_map(|entry| Some(entry.ok()?.path()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pyenv_folders_are_matched_by_minor_version() {
        assert!(is_version(std::path::Path::new("/p/versions/3.12.4"), 12));
        assert!(!is_version(std::path::Path::new("/p/versions/3.1.4"), 12));
        assert!(!is_version(std::path::Path::new("/p/versions/3.13.0"), 12));
    }
}
