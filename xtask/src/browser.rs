//! The `browser` step: the built book read in headless Chromium, as a
//! reader meets it, at desktop and phone width (`xtask/browser/check.mjs`).
//!
//! It installs what it needs: Debian's `chromium` (and Node.js with npm,
//! where `node` is missing) with `apt-get`, and `playwright-core` from npm
//! into the target folder. Playwright drives the Chromium Debian ships
//! (`executablePath`); it downloads no browser of its own, and starts each
//! run with a fresh profile (its own temporary `--user-data-dir`).

use std::path::Path;
use std::process::Command;

use crate::runner::Ctx;
use crate::{book, process, tools};

/// The driver, pinned: the npm package and its version.
const PLAYWRIGHT: (&str, &str) = ("playwright-core", "1.57.0");

/// The check itself, run with Node from the target folder (where
/// `playwright-core` is installed, so that its `import` resolves).
const SCRIPT: &str = "xtask/browser/check.mjs";

/// Serves the built book under `/devguide/` and checks every page in
/// Chromium: console errors, images, widths, search, the 404 page.
///
/// # Errors
///
/// A message if Chromium, Node or the driver cannot be installed, or the
/// check fails (the script prints each failure).
pub fn check(ctx: &mut Ctx) -> Result<(), String> {
    let mut packages = Vec::new();
    if process::which("chromium").is_none() {
        packages.push("chromium");
    }
    if process::which("node").is_none() {
        packages.push("nodejs");
    }
    if process::which("npm").is_none() {
        packages.push("npm");
    }
    tools::ensure_packages(&packages)?;
    let chromium = process::which("chromium")
        .ok_or("`chromium` is not on PATH after installing it")?;
    let dir = ctx.target_dir().join("browser");
    install_driver(&dir)?;
    let script = dir.join("check.mjs");
    std::fs::copy(ctx.root.join(SCRIPT), &script)
        .map_err(|e| format!("cannot copy {SCRIPT} to {}: {e}", dir.display()))?;
    let html = book::html_dir(&ctx.root)?;
    let shots = dir.join("screenshots");
    process::run(
        Command::new("node").arg(&script).arg(&html).arg(&shots).arg(&chromium),
    )
}

/// Installs the pinned `playwright-core` into `dir` with npm, unless it is there.
///
/// # Errors
///
/// A message if the folder cannot be written or npm fails.
fn install_driver(dir: &Path) -> Result<(), String> {
    let (name, version) = PLAYWRIGHT;
    let installed = dir.join("node_modules").join(name).join("package.json");
    let wanted = format!("\"version\": \"{version}\"");
    if std::fs::read_to_string(&installed).is_ok_and(|text| text.contains(&wanted))
    {
        return Ok(());
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let manifest = format!(
        "{{\n  \"private\": true,\n  \"dependencies\": {{ \"{name}\": \"{version}\" }}\n}}\n"
    );
    std::fs::write(dir.join("package.json"), manifest).map_err(|e| {
        format!("cannot write {}: {e}", dir.join("package.json").display())
    })?;
    println!("xtask: installing {name}@{version} (npm)");
    process::run(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--no-package-lock"])
            .current_dir(dir),
    )
}
