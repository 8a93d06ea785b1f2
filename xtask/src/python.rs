//! The steps that test the extension module from Python: pytest, and the wheel.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process;
use crate::test::Ctx;

/// The Python packages the pytest suite imports.
const PYTEST_PACKAGES: &[&str] = &["pytest", "hypothesis"];

/// pytest's exit code when it collected no tests.
const PYTEST_NO_TESTS: i32 = 5;

/// Builds the extension, puts it where Python finds each module, and runs the pytest suite.
///
/// # Errors
///
/// A message if the build, the virtual environment, or a test fails, or if
/// pytest found no tests.
pub fn extension_pytest(ctx: &mut Ctx) -> Result<(), String> {
    let ext_suffix = ctx.interp()?.ext_suffix.clone();
    let executable = ctx.interp()?.executable.clone();
    let tests = ctx.root.join("tutorial-crate/tests/python");
    if !tests.is_dir() {
        return Err(format!("no pytest suite: {} does not exist yet", tests.display()));
    }
    process::run(process::cargo().args(["build", "-p", "tutorial-ext"]).current_dir(&ctx.root))?;
    let modules = ctx.target_dir().join("python");
    let names = exported_modules(&ctx.root)?;
    install_modules(&ctx.target_dir().join("debug/libtutorial_ext.so"), &modules, &ext_suffix, &names)?;
    let python = ensure_venv(&ctx.target_dir().join("venv"), &executable, &ext_suffix)?;
    ensure_packages(&python, PYTEST_PACKAGES)?;
    let mut pytest = Command::new(&python);
    pytest.args(["-m", "pytest", "-q"]).arg(&tests).env("PYTHONPATH", &modules).current_dir(&ctx.root);
    println!("$ {}", process::describe(&pytest));
    let status = pytest.status().map_err(|e| format!("cannot run pytest: {e}"))?;
    match status.code() {
        Some(0) => Ok(()),
        Some(PYTEST_NO_TESTS) => Err(format!("pytest collected no tests in {}", tests.display())),
        _ => Err(format!("pytest failed ({status})")),
    }
}

/// The modules the extension library exports: one `NAME => path,` line each
/// in the `export_modules!` block of `tutorial-crate/ext/src/lib.rs`.
///
/// # Errors
///
/// A message if the file cannot be read or names no module.
pub fn exported_modules(root: &Path) -> Result<Vec<String>, String> {
    let lib = root.join("tutorial-crate/ext/src/lib.rs");
    let text = std::fs::read_to_string(&lib).map_err(|e| format!("cannot read {}: {e}", lib.display()))?;
    let names: Vec<String> = text
        .split_once("export_modules!")
        .map_or("", |(_, rest)| rest)
        .lines()
        .filter_map(|l| l.trim().split_once("=>"))
        .map(|(name, _)| name.trim().to_owned())
        .filter(|name| !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || c == '_'))
        .collect();
    if names.is_empty() {
        return Err(format!("{} exports no module", lib.display()));
    }
    Ok(names)
}

/// Copies the built library to `dir/NAME{ext_suffix}` for each module name:
/// the file name `import NAME` looks for. One library exports every
/// module's `PyInit_NAME`; the import system calls the one of the file's name.
pub fn install_modules(lib: &Path, dir: &Path, ext_suffix: &str, names: &[String]) -> Result<(), String> {
    if !lib.is_file() {
        return Err(format!("the build made no {}", lib.display()));
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for name in names {
        let dest = dir.join(format!("{name}{ext_suffix}"));
        std::fs::copy(lib, &dest)
            .map_err(|e| format!("cannot copy {} to {}: {e}", lib.display(), dest.display()))?;
    }
    println!("copied {} to {} as: {}", lib.display(), dir.display(), names.join(", "));
    Ok(())
}

/// Builds the tutorial crate's wheel with pip (PEP 517, maturin) and imports it.
///
/// # Errors
///
/// A message if there is no `pyproject.toml` yet, the wheel does not build
/// or install, or the installed module misbehaves.
pub fn wheel(ctx: &mut Ctx) -> Result<(), String> {
    let ext_suffix = ctx.interp()?.ext_suffix.clone();
    let executable = ctx.interp()?.executable.clone();
    let project = ctx.root.join("tutorial-crate");
    if !project.join("pyproject.toml").is_file() {
        return Err(format!("no {} yet", project.join("pyproject.toml").display()));
    }
    let venv = ctx.target_dir().join("venv-wheel");
    let python = ensure_venv(&venv, &executable, &ext_suffix)?;
    // PYTHON makes the build script target this interpreter whatever PATH
    // pip's isolated build sets up.
    process::run(
        Command::new(&python)
            .args(["-m", "pip", "install", "-q", "--force-reinstall", "--no-deps", "./tutorial-crate"])
            .env("PYTHON", &executable)
            .current_dir(&ctx.root),
    )?;
    let script = "import spam, sys; assert spam.__file__.startswith(sys.prefix), spam.__file__; \
                  print(spam.system('exit 3'))";
    let mut check = Command::new(&python);
    // Run from the venv, with no PYTHONPATH, so only the installed wheel can be imported.
    check.args(["-c", script]).env_remove("PYTHONPATH").current_dir(&venv);
    println!("$ {}", process::describe(&check));
    let out = process::output(&mut check)?;
    let printed = String::from_utf8_lossy(&out.stdout).trim().to_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprint!("{stderr}");
    if out.status.success() && printed == "768" {
        println!("{printed}");
        Ok(())
    } else {
        Err(format!("the installed wheel printed `{printed}` ({}), expected 768", out.status))
    }
}

/// Makes a virtual environment at `dir` from `base` unless a matching one is there.
///
/// An environment whose interpreter does not run, or builds extensions with
/// another `EXT_SUFFIX` (it was made from another interpreter), is made anew.
///
/// # Errors
///
/// A message if `python -m venv` fails.
pub fn ensure_venv(dir: &Path, base: &Path, ext_suffix: &str) -> Result<PathBuf, String> {
    let python = dir.join("bin/python");
    let query = "import sysconfig; print(sysconfig.get_config_var('EXT_SUFFIX'))";
    let current = process::output(Command::new(&python).args(["-c", query]))
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned());
    if current.as_deref() == Some(ext_suffix) {
        return Ok(python);
    }
    if dir.exists() {
        println!("{} was made from another interpreter: making it anew", dir.display());
        std::fs::remove_dir_all(dir).map_err(|e| format!("cannot remove {}: {e}", dir.display()))?;
    }
    process::run(Command::new(base).args(["-m", "venv"]).arg(dir))?;
    Ok(python)
}

/// Installs with pip whichever of `packages` `python` cannot import.
///
/// # Errors
///
/// A message if pip fails.
pub fn ensure_packages(python: &Path, packages: &[&str]) -> Result<(), String> {
    let missing: Vec<&str> = packages
        .iter()
        .copied()
        .filter(|p| !process::succeeds(Command::new(python).args(["-c", &format!("import {p}")])))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    process::run(Command::new(python).args(["-m", "pip", "install", "-q"]).args(&missing))?;
    for package in missing {
        println!("xtask: installed {package} (pip, in {})", python.display());
    }
    Ok(())
}

/// The ported modules' CPython test files, run by `regrtest` against the Rust extension.
const PORTED_TESTS: &[&str] = &["test_bisect", "test_heapq"];

/// Runs CPython's own tests of the ported modules against the Rust ports,
/// then the benchmarks' smoke run and the check of the benchmark page.
///
/// `extension + pytest` has put the extension in `target/python` under each
/// module name; with that folder first on `sys.path`, `import _bisect` and
/// `import _heapq` find the Rust modules instead of the interpreter's C
/// ones. The runner (`tutorial-crate/tests/python/run_cpython_tests.py`)
/// proves it while the tests run: it records every extension module loaded
/// and counts the calls into the Rust functions.
///
/// # Errors
///
/// A message if a test fails, the record shows a C module ran, the smoke run
/// fails, or the benchmark page disagrees with its data.
pub fn cpython_ports(ctx: &mut Ctx) -> Result<(), String> {
    let ext_suffix = ctx.interp()?.ext_suffix.clone();
    let executable = ctx.interp()?.executable.clone();
    let python = ensure_venv(&ctx.target_dir().join("venv"), &executable, &ext_suffix)?;
    let modules = ctx.target_dir().join("python");
    let runner = ctx.root.join("tutorial-crate/tests/python/run_cpython_tests.py");
    let bench = ctx.root.join("tutorial-crate/bench");
    let with_modules = |cmd: &mut Command| {
        cmd.env("PYTHONPATH", &modules).current_dir(&ctx.root);
    };
    let mut regrtest = Command::new(&python);
    regrtest.arg(&runner).arg("regrtest").arg(&modules).args(PORTED_TESTS);
    with_modules(&mut regrtest);
    process::run(&mut regrtest)?;
    let mut base64 = Command::new(&python);
    base64.arg(&runner).arg("base64").arg(&modules);
    with_modules(&mut base64);
    process::run(&mut base64)?;
    let mut smoke = Command::new(&python);
    smoke.arg(bench.join("bench_ports.py")).arg("--rust-dir").arg(&modules).arg("--smoke");
    with_modules(&mut smoke);
    process::run(&mut smoke)?;
    process::run(
        Command::new(&python)
            .arg(bench.join("bench_page.py"))
            .args(["check", "--book"])
            .arg(ctx.root.join("src"))
            .current_dir(&ctx.root),
    )
}
