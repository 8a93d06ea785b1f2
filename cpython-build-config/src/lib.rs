//! The build configuration of every crate that talks to CPython: which
//! interpreter is the target, which cfgs select its version and build, where
//! its headers are, and how a program links its `libpython`.
//!
//! One crate for these facts, as PyO3 has `pyo3-build-config` and the Rust
//! for CPython proposal `cpython-build-helper`:
//!
//! - `cpython-sys`'s build script calls [`probe`] on [`python_command`],
//!   generates the bindings, and forwards the facts to the build scripts of
//!   the crates that depend on it with [`Interpreter::emit_metadata`]
//!   (Cargo's `links` metadata, read back as `DEP_PYTHON_*`).
//! - Those build scripts read them with [`Forwarded::from_env`], declare and
//!   set the cfgs with [`emit_cfgs`], and, where the crate's own binaries
//!   embed the interpreter, link it with [`Forwarded::link_libpython`] or
//!   give their test binaries an rpath with [`Forwarded::rpath_for_tests`].
//! - `xtask` calls [`probe`] itself before a long build, so that a reader
//!   sees the build's one-line message first.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The oldest and newest CPython minor versions (3.x) these bindings support.
pub const SUPPORTED: (u32, u32) = (11, 15);

/// Every cfg the crates may test, named after the C macros they stand for:
/// `Py_3_12` is `PY_VERSION_HEX >= 0x030C0000`, the others are the
/// `pyconfig.h` macros of the same name.
pub const CFG_NAMES: &[&str] = &[
    "Py_3_12",
    "Py_3_13",
    "Py_3_14",
    "Py_3_15",
    "Py_DEBUG",
    "Py_REF_DEBUG",
    "Py_GIL_DISABLED",
];

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

impl Interpreter {
    /// The cfgs that select version- and build-specific code for this interpreter.
    pub fn cfgs(&self) -> Vec<&'static str> {
        let mut cfgs = Vec::new();
        for (minor, cfg) in
            [(12, "Py_3_12"), (13, "Py_3_13"), (14, "Py_3_14"), (15, "Py_3_15")]
        {
            if self.version >= (3, minor) {
                cfgs.push(cfg);
            }
        }
        if self.py_debug {
            // Py_DEBUG implies Py_REF_DEBUG (Include/pyport.h).
            cfgs.push("Py_DEBUG");
            cfgs.push("Py_REF_DEBUG");
        }
        if self.gil_disabled {
            cfgs.push("Py_GIL_DISABLED");
        }
        cfgs
    }

    /// For the build script of the crate with `links = "python"`: hands the
    /// facts to its dependents' build scripts, as `DEP_PYTHON_<KEY>`.
    pub fn emit_metadata(&self) {
        let include = std::env::join_paths(&self.include_dirs).unwrap_or_default();
        println!("cargo::metadata=executable={}", self.executable.display());
        println!("cargo::metadata=include={}", include.to_string_lossy());
        println!("cargo::metadata=libdir={}", self.libdir.display());
        println!("cargo::metadata=libname={}", self.libname);
        println!("cargo::metadata=shared={}", u8::from(self.shared));
        println!("cargo::metadata=ext_suffix={}", self.ext_suffix);
        println!("cargo::metadata=cfgs={}", self.cfgs().join(","));
    }
}

/// For a build script: declares every cfg in [`CFG_NAMES`] (so that
/// `check-cfg` knows them) and sets those in `cfgs`.
pub fn emit_cfgs(cfgs: &[impl AsRef<str>]) {
    for name in CFG_NAMES {
        println!("cargo::rustc-check-cfg=cfg({name})");
    }
    for cfg in cfgs {
        println!("cargo::rustc-cfg={}", cfg.as_ref());
    }
}

/// The facts `cpython-sys` forwards to the build scripts of the crates that
/// depend on it directly (`DEP_PYTHON_*`).
#[derive(Debug, Clone)]
pub struct Forwarded {
    /// The interpreter's `sys.executable`.
    pub executable: PathBuf,
    /// The directories holding `Python.h` and `pyconfig.h`.
    pub include_dirs: Vec<PathBuf>,
    /// Where its `libpython` is.
    pub libdir: PathBuf,
    /// The library to link, as `-l` takes it (`python3.11d`).
    pub libname: String,
    /// Whether `libpython` is a shared library.
    pub shared: bool,
    /// The cfgs of [`Interpreter::cfgs`].
    pub cfgs: Vec<String>,
}

impl Forwarded {
    /// Reads the forwarded facts, or probes the interpreter when the crate
    /// does not depend on `cpython-sys` directly (no `DEP_PYTHON_*`).
    ///
    /// # Errors
    ///
    /// The probe's [`Problem`].
    pub fn from_env() -> Result<Forwarded, Problem> {
        let var = |key: &str| std::env::var(format!("DEP_PYTHON_{key}")).ok();
        if let (
            Some(executable),
            Some(include),
            Some(libdir),
            Some(libname),
            Some(shared),
            Some(cfgs),
        ) = (
            var("EXECUTABLE"),
            var("INCLUDE"),
            var("LIBDIR"),
            var("LIBNAME"),
            var("SHARED"),
            var("CFGS"),
        ) {
            return Ok(Forwarded {
                executable: executable.into(),
                include_dirs: std::env::split_paths(&include).collect(),
                libdir: libdir.into(),
                libname,
                shared: shared == "1",
                cfgs: cfgs
                    .split(',')
                    .filter(|c| !c.is_empty())
                    .map(str::to_owned)
                    .collect(),
            });
        }
        rerun_if_python_changes();
        let interp = probe(&python_command())?;
        Ok(Forwarded {
            cfgs: interp.cfgs().into_iter().map(str::to_owned).collect(),
            executable: interp.executable,
            include_dirs: interp.include_dirs,
            libdir: interp.libdir,
            libname: interp.libname,
            shared: interp.shared,
        })
    }

    /// Declares and sets the cfgs ([`emit_cfgs`]).
    pub fn emit_cfgs(&self) {
        emit_cfgs(&self.cfgs);
    }

    /// Links `libpython` into every binary that uses this crate: for a crate
    /// whose code starts an interpreter (an embedding program's library).
    /// An extension module must never depend on such a crate: the
    /// interpreter that imports it already provides every symbol.
    ///
    /// # Errors
    ///
    /// A [`Problem`] if the interpreter has no shared `libpython`.
    pub fn link_libpython(&self) -> Result<(), Problem> {
        if !self.shared {
            return Err(Problem(format!(
                "{} has no shared libpython (Py_ENABLE_SHARED=0), which embedding needs: \
                 use an interpreter configured with --enable-shared",
                self.executable.display()
            )));
        }
        println!("cargo::rustc-link-search=native={}", self.libdir.display());
        println!("cargo::rustc-link-lib=dylib={}", self.libname);
        Ok(())
    }

    /// Gives this crate's own test binaries an rpath to the target's
    /// `libpython`, so that they load that library and not another with the
    /// same soname (the system's). (`rustc-link-arg` reaches a library's
    /// unit-test binary, which `rustc-link-arg-tests` does not.)
    pub fn rpath_for_tests(&self) {
        println!("cargo::rustc-link-arg=-Wl,-rpath,{}", self.libdir.display());
    }
}

/// For a build script that probes: run again when the target can change.
pub fn rerun_if_python_changes() {
    for var in ["PYTHON", "PYO3_PYTHON", "CPYTHON_SYS_INCLUDE_DIR"] {
        println!("cargo::rerun-if-env-changed={var}");
    }
    if std::env::var_os("PYTHON").is_none()
        && std::env::var_os("PYO3_PYTHON").is_none()
    {
        // `python3` is looked up on PATH, so a new PATH can mean a new target.
        println!("cargo::rerun-if-env-changed=PATH");
    }
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
    let version = parse_version(&get("version")).ok_or_else(|| {
        Problem(format!("`{python}` printed no version: is it CPython 3?"))
    })?;
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
pub fn check_version(
    python: &str,
    (major, minor): (u32, u32),
) -> Result<(), Problem> {
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
pub fn check_headers(
    include: &Path,
    (major, minor): (u32, u32),
) -> Result<(), Problem> {
    if include.join("Python.h").is_file() {
        Ok(())
    } else {
        Err(Problem(format!(
            "Python.h not found in {}: install the headers (apt-get install python{major}.{minor}-dev)",
            include.display()
        )))
    }
}
