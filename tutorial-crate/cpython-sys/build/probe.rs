//! Finds the target interpreter and reads the facts the bindings depend on.
//!
//! Shared by the build script and by `xtask` (which runs the same checks
//! before it starts a long build, so a reader sees the one-line message
//! first).

use std::path::{Path, PathBuf};
use std::process::Command;

/// The oldest and newest CPython minor versions (3.x) these bindings support.
pub const SUPPORTED: (u32, u32) = (11, 13);

/// What the build needs to know about the target interpreter.
#[derive(Debug, Clone)]
pub struct Interpreter {
    /// `sys.executable`.
    pub executable: PathBuf,
    /// `sys.version_info[:2]`.
    pub version: (u32, u32),
    /// `sys.hexversion`.
    pub hexversion: u32,
    /// The directories holding `Python.h` and `pyconfig.h`.
    pub include_dirs: Vec<PathBuf>,
    /// `sysconfig.get_config_var("LIBDIR")`.
    pub libdir: PathBuf,
    /// The library to link for embedding, as `-l` takes it (`python3.11d`).
    pub libname: String,
    /// Whether `libpython` is a shared library (`Py_ENABLE_SHARED`).
    pub shared: bool,
    /// `Py_DEBUG` (implies `Py_REF_DEBUG`).
    pub py_debug: bool,
    /// `Py_GIL_DISABLED`: a free-threaded build.
    pub gil_disabled: bool,
    /// `EXT_SUFFIX`, the file name ending of an extension module.
    pub ext_suffix: String,
}

/// A build problem with a one-line explanation of what to do.
#[derive(Debug)]
pub struct Problem(pub String);

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

const PROBE: &str = r#"
import sys, sysconfig
v = sysconfig.get_config_var
p = sysconfig.get_paths()
print("executable", sys.executable, sep="=")
print("version", "%d.%d" % sys.version_info[:2], sep="=")
print("hexversion", sys.hexversion, sep="=")
print("include", p["include"], sep="=")
print("platinclude", p["platinclude"], sep="=")
print("libdir", v("LIBDIR"), sep="=")
print("ldlibrary", v("LDLIBRARY"), sep="=")
print("shared", v("Py_ENABLE_SHARED"), sep="=")
print("py_debug", v("Py_DEBUG"), sep="=")
print("gil_disabled", v("Py_GIL_DISABLED"), sep="=")
print("ext_suffix", v("EXT_SUFFIX"), sep="=")
"#;

/// The interpreter named by `PYTHON`, else by `PYO3_PYTHON` (which maturin
/// sets to the interpreter it builds a wheel for), else `python3` on `PATH`.
pub fn python_command() -> String {
    for var in ["PYTHON", "PYO3_PYTHON"] {
        match std::env::var(var) {
            Ok(p) if !p.is_empty() => return p,
            _ => {}
        }
    }
    "python3".to_owned()
}

/// Runs the probe script under `python` and checks the answers.
///
/// # Errors
///
/// A [`Problem`] naming what is missing and how to install it: no
/// interpreter, not an interpreter, an unsupported version, or no headers.
pub fn probe(python: &str) -> Result<Interpreter, Problem> {
    let output = Command::new(python).arg("-c").arg(PROBE).output().map_err(|e| {
        let hint = if python == "python3" {
            "install it (apt-get install python3) or set PYTHON=/path/to/python3"
        } else {
            "check the PYTHON environment variable"
        };
        Problem(format!("no Python interpreter at `{python}` ({e}): {hint}"))
    })?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let last = stderr.lines().last().unwrap_or("no output").trim().to_owned();
        return Err(Problem(format!(
            "`{python}` did not run as a Python 3 interpreter ({last}): set PYTHON=/path/to/python3"
        )));
    }
    let text = String::from_utf8_lossy(&output.stdout);
    let get = |key: &str| -> String {
        text.lines()
            .find_map(|l| l.strip_prefix(key).and_then(|r| r.strip_prefix('=')))
            .unwrap_or("None")
            .to_owned()
    };
    let version = parse_version(&get("version"))
        .ok_or_else(|| Problem(format!("`{python}` printed no version: is it CPython 3?")))?;
    check_version(python, version)?;
    let flag = |key: &str| matches!(get(key).as_str(), "1" | "True");
    // CPYTHON_SYS_INCLUDE_DIR overrides the interpreter's own answer (for a
    // cross build, or for the test that shows the missing-headers message).
    let include_dirs = match std::env::var_os("CPYTHON_SYS_INCLUDE_DIR") {
        Some(dir) => vec![PathBuf::from(dir)],
        None => {
            let mut dirs = vec![PathBuf::from(get("include"))];
            let plat = PathBuf::from(get("platinclude"));
            if !dirs.contains(&plat) {
                dirs.push(plat);
            }
            dirs
        }
    };
    check_headers(&include_dirs[0], version)?;
    let ldlibrary = get("ldlibrary");
    let libname = ldlibrary
        .strip_prefix("lib")
        .map(|s| s.split(".so").next().unwrap_or(s))
        .map(|s| s.strip_suffix(".a").unwrap_or(s))
        .unwrap_or("python3")
        .to_owned();
    Ok(Interpreter {
        executable: PathBuf::from(get("executable")),
        version,
        hexversion: get("hexversion").parse().unwrap_or(0),
        include_dirs,
        libdir: PathBuf::from(get("libdir")),
        libname,
        shared: flag("shared"),
        py_debug: flag("py_debug"),
        gil_disabled: flag("gil_disabled"),
        ext_suffix: get("ext_suffix"),
    })
}

/// Parses `"3.11"` into `(3, 11)`.
pub fn parse_version(s: &str) -> Option<(u32, u32)> {
    let (major, minor) = s.trim().split_once('.')?;
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Refuses versions the hand-written parts of the bindings were not checked on.
///
/// # Errors
///
/// A [`Problem`] for anything outside [`SUPPORTED`].
pub fn check_version(python: &str, (major, minor): (u32, u32)) -> Result<(), Problem> {
    if major != 3 || minor < SUPPORTED.0 || minor > SUPPORTED.1 {
        return Err(Problem(format!(
            "Python {major}.{minor} at `{python}` is not supported: use CPython 3.{} to 3.{} \
             (set PYTHON=/path/to/python3.{})",
            SUPPORTED.0, SUPPORTED.1, SUPPORTED.0
        )));
    }
    Ok(())
}

/// Checks that `Python.h` is where the interpreter says its headers are.
///
/// # Errors
///
/// A [`Problem`] naming the Debian package that holds the headers.
pub fn check_headers(include: &Path, (major, minor): (u32, u32)) -> Result<(), Problem> {
    if include.join("Python.h").is_file() {
        Ok(())
    } else {
        Err(Problem(format!(
            "Python.h not found in {}: install the headers (apt-get install python{major}.{minor}-dev)",
            include.display()
        )))
    }
}
