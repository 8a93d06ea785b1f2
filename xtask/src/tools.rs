//! Installs the tools the commands need, quickly doing nothing when all are there.
//!
//! System packages come from Debian's archive through `apt-get` (which needs
//! root); the book's tools are built with `cargo install --locked`.

use std::process::Command;

use crate::process;

/// The Debian packages `test` needs: libclang for bindgen, the target
/// interpreter's headers, `venv`, the debug interpreter and CPython's own
/// tests for it (Debian ships `Lib/test` separately) for the refleak runs,
/// valgrind for the memory check, and gdb for the debugging chapter's sessions.
///
/// For the matrix (`xtask/src/provision.rs`): debootstrap, which makes the
/// Debian-unstable root, and what building CPython from source needs (the
/// libraries of the modules its tests and `pip` import).
const TEST_PACKAGES: &[&str] = &[
    "gdb",
    "libclang-dev",
    "libpython3.11-testsuite",
    "python3.11-dbg",
    "python3.11-dev",
    "python3.11-venv",
    "valgrind",
    "debootstrap",
    "build-essential",
    "libssl-dev",
    "zlib1g-dev",
    "libffi-dev",
    "libbz2-dev",
    "liblzma-dev",
    "libsqlite3-dev",
    "libreadline-dev",
    "uuid-dev",
    "xz-utils",
];

/// The Debian package that brings a C compiler and linker, needed only when `cc` is missing.
const COMPILER_PACKAGE: &str = "build-essential";

/// The mdBook release the book is written for.
const MDBOOK: CargoTool = CargoTool {
    krate: "mdbook",
    version: "0.5.4",
    binary: "mdbook",
    accepts: |version| version.starts_with("mdbook v0.5."),
};

/// The link checker the book's `book.toml` runs as a second output.
const LINKCHECK: CargoTool = CargoTool {
    krate: "mdbook-linkcheck2",
    version: "0.13.0",
    binary: "mdbook-linkcheck2",
    accepts: |_| true,
};

/// A tool installed with `cargo install --locked`.
struct CargoTool {
    /// The crate's name.
    krate: &'static str,
    /// The version installed when the tool is missing.
    version: &'static str,
    /// The executable it puts on `PATH`.
    binary: &'static str,
    /// Whether the first line of `binary --version` names a version that will do.
    accepts: fn(&str) -> bool,
}

/// What the tools are for, which decides which ones are needed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `cargo xtask serve`: the book's tools only.
    Serve,
    /// `cargo xtask test`: everything.
    Test,
}

/// Installs whatever `purpose` needs and is missing, one line per thing installed.
///
/// # Errors
///
/// A message saying what to install by hand, if something is missing and
/// this process cannot install it (not root), or if an install failed.
pub fn ensure(purpose: Purpose) -> Result<(), String> {
    if std::env::var_os(crate::matrix::PROVISIONED).is_some() {
        // A run of the matrix: its interpreter's root or cache was made with
        // everything it needs, and the host's run has installed the rest.
        return Ok(());
    }
    let packages = missing_packages(purpose)?;
    let tools: Vec<&CargoTool> =
        [&MDBOOK, &LINKCHECK].into_iter().filter(|t| !t.present()).collect();
    if packages.is_empty()
        && tools.is_empty()
        && (purpose == Purpose::Serve || components_present())
    {
        return Ok(());
    }
    if !packages.is_empty() {
        install_packages(&packages)?;
    }
    if purpose == Purpose::Test {
        ensure_components()?;
    }
    for tool in tools {
        tool.install()?;
    }
    Ok(())
}

/// The Debian packages `purpose` needs that are not installed.
///
/// # Errors
///
/// A message if packages are needed but `dpkg-query` is missing (not Debian).
fn missing_packages(purpose: Purpose) -> Result<Vec<&'static str>, String> {
    let mut wanted = Vec::new();
    if purpose == Purpose::Test {
        wanted.extend_from_slice(TEST_PACKAGES);
    }
    if process::which("cc").is_none() {
        // The linker for every Rust build, `cargo install` included.
        wanted.push(COMPILER_PACKAGE);
    }
    if wanted.is_empty() {
        return Ok(wanted);
    }
    if process::which("dpkg-query").is_none() {
        return Err(format!(
            "cannot check system packages (no dpkg-query, so not Debian): install the \
             equivalents of {} by hand",
            wanted.join(", ")
        ));
    }
    Ok(wanted.into_iter().filter(|p| !package_installed(p)).collect())
}

/// Installs those of the Debian `packages` that are missing (for a step
/// that needs more than the `tools` step installs).
///
/// # Errors
///
/// What to run by hand if this process is not root, or which command failed.
pub fn ensure_packages(packages: &[&str]) -> Result<(), String> {
    let missing: Vec<&str> =
        packages.iter().copied().filter(|p| !package_installed(p)).collect();
    if missing.is_empty() {
        return Ok(());
    }
    install_packages(&missing)
}

/// Whether dpkg reports the Debian package `name` as installed.
fn package_installed(name: &str) -> bool {
    Command::new("dpkg-query")
        .args(["-W", "-f=${Status}", name])
        .output()
        .is_ok_and(|out| {
            String::from_utf8_lossy(&out.stdout).trim() == "install ok installed"
        })
}

/// Installs Debian packages with `apt-get`, after one `apt-get update`.
///
/// # Errors
///
/// What to run by hand if this process is not root, or which command failed.
fn install_packages(packages: &[&str]) -> Result<(), String> {
    let list = packages.join(" ");
    if !is_root() {
        return Err(format!(
            "missing Debian packages: {list} (as root: apt-get update && \
             apt-get install -y --no-install-recommends {list})"
        ));
    }
    println!("xtask: installing Debian packages: {list}");
    let apt = || {
        let mut cmd = Command::new("apt-get");
        cmd.env("DEBIAN_FRONTEND", "noninteractive");
        cmd
    };
    process::run(apt().args(["update", "-q"]))?;
    process::run(
        apt()
            .args(["install", "-q", "-y", "--no-install-recommends"])
            .args(packages),
    )?;
    for package in packages {
        println!("xtask: installed {package} (apt-get)");
    }
    Ok(())
}

/// Whether `cargo fmt` and `cargo clippy` run.
fn components_present() -> bool {
    ["fmt", "clippy"].iter().all(|sub| {
        process::cargo()
            .args([sub, "--version"])
            .output()
            .is_ok_and(|out| out.status.success())
    })
}

/// Adds the rustfmt and clippy components with rustup if `cargo fmt` or
/// `cargo clippy` does not run.
///
/// # Errors
///
/// A message if they are missing and rustup cannot add them.
fn ensure_components() -> Result<(), String> {
    if components_present() {
        return Ok(());
    }
    if process::which("rustup").is_none() {
        return Err(
            "cargo fmt or cargo clippy is missing: install rustfmt and clippy"
                .to_owned(),
        );
    }
    println!("xtask: adding the rustfmt and clippy components (rustup)");
    process::run(Command::new("rustup").args([
        "component",
        "add",
        "rustfmt",
        "clippy",
    ]))
}

/// Whether this process runs as root.
fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
}

impl CargoTool {
    /// The first line of `binary --version`, if the binary runs.
    fn installed_version(&self) -> Option<String> {
        let out = Command::new(self.binary).arg("--version").output().ok()?;
        let text = String::from_utf8_lossy(&out.stdout);
        out.status
            .success()
            .then(|| text.lines().next().unwrap_or("").trim().to_owned())
    }

    /// Whether a version that will do is on `PATH`.
    fn present(&self) -> bool {
        self.installed_version().is_some_and(|v| (self.accepts)(&v))
    }

    /// Builds and installs the tool, then checks that `PATH` finds it.
    ///
    /// # Errors
    ///
    /// A message if `cargo install` fails or the installed binary is not the
    /// one `PATH` finds.
    fn install(&self) -> Result<(), String> {
        let spec = format!("{}@{}", self.krate, self.version);
        println!("xtask: installing {spec} (cargo install, a few minutes)");
        process::run(process::cargo().args(["install", "--locked", &spec]))?;
        match self.installed_version() {
            Some(v) if (self.accepts)(&v) => {
                println!("xtask: installed {spec} (cargo install)");
                Ok(())
            }
            found => Err(format!(
                "installed {spec}, but `{} --version` on PATH gives {}: put cargo's bin folder \
                 (usually ~/.cargo/bin) first on PATH",
                self.binary,
                found.as_deref().unwrap_or("nothing")
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_mdbook_0_5_is_accepted() {
        assert!((MDBOOK.accepts)("mdbook v0.5.4"));
        assert!(!(MDBOOK.accepts)("mdbook v0.4.52"));
        assert!(!(MDBOOK.accepts)(""));
    }
}
