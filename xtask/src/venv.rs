//! Virtual environments of the interpreters, and the packages pip installs in them.

use std::path::{Path, PathBuf};
use std::process::Command;

use cpython_build_config::Interpreter;

use crate::process;

/// The Python packages the pytest suites and the harnesses import.
pub const TEST_PACKAGES: &[&str] = &["pytest", "hypothesis"];

/// The interpreter of a virtual environment at `dir` made from `base`,
/// with `packages` installed: made (or made anew) if no matching one is
/// there, and given whichever of the packages it cannot import.
///
/// An environment whose interpreter does not run, or builds extensions with
/// another `EXT_SUFFIX` (it was made from another interpreter), is made anew.
///
/// # Errors
///
/// A message if `python -m venv` or pip fails.
pub fn ensure(
    dir: &Path,
    base: &Interpreter,
    packages: &[&str],
) -> Result<PathBuf, String> {
    let python = dir.join("bin/python");
    let query = "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))";
    let current = process::output(Command::new(&python).args(["-c", query]))
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned());
    if current.as_deref() != Some(base.ext_suffix.as_str()) {
        if dir.exists() {
            println!(
                "{} was made from another interpreter: making it anew",
                dir.display()
            );
            std::fs::remove_dir_all(dir)
                .map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
        }
        process::run(Command::new(&base.executable).args(["-m", "venv"]).arg(dir))?;
    }
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| {
            !process::succeeds(
                Command::new(&python).args(["-c", &format!("import {p}")]),
            )
        })
        .collect();
    if !missing.is_empty() {
        // Wheels only, for hypothesis: its newer releases are built with
        // Rust (an abi3 wheel, which a free-threaded interpreter cannot
        // load), and pip would otherwise try to build one from source there;
        // this way it takes the newest wheel that fits (6.155.7, the last in
        // pure Python, on 3.13t).
        process::run(
            Command::new(&python)
                .args(["-m", "pip", "install", "-q", "--only-binary=hypothesis"])
                .args(&missing),
        )?;
        for package in missing {
            println!("xtask: installed {package} (pip, in {})", dir.display());
        }
    }
    Ok(python)
}
