//! The interpreters a Debian 12 host cannot install, made once and kept in a
//! cache folder outside the repository:
//!
//! - CPython 3.14 and 3.15 (with their debug builds, headers and test
//!   packages) from Debian unstable. They need a newer C library than
//!   Debian 12's, so they live in a Debian-unstable root made by
//!   `debootstrap`, and the steps run there under `chroot`, with the
//!   repository and the Rust toolchain bind-mounted at their own paths.
//! - A free-threaded CPython 3.13 (`--disable-gil`), built from Debian's
//!   source package of 3.13: the newest free-threaded source the package
//!   archive serves (those of 3.14 and 3.15 are not there).
//!
//! The cache is `$RUST_FOR_CPYTHON_CACHE`, else `/var/cache/rust-for-cpython`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::process;

/// What the Debian-unstable root holds: the interpreters, their debug
/// builds, headers, `venv` and test packages; a C compiler and libclang for
/// the build; valgrind; certificates for `pip`.
const ROOT_PACKAGES: &[&str] = &[
    "python3.14",
    "python3.14-dbg",
    "python3.14-dev",
    "python3.14-venv",
    "libpython3.14-testsuite",
    "python3.15",
    "python3.15-dbg",
    "python3.15-dev",
    "python3.15-venv",
    "libpython3.15-testsuite",
    "gcc",
    "libc6-dev",
    "libclang-dev",
    "valgrind",
    "ca-certificates",
];

/// The Debian source package the free-threaded interpreter is built from.
const FREE_THREADED_SOURCE: (&str, &str) = ("python3.13", "3.13.15-1");

/// The cache folder.
pub fn cache_dir() -> PathBuf {
    std::env::var_os("RUST_FOR_CPYTHON_CACHE")
        .map_or_else(|| PathBuf::from("/var/cache/rust-for-cpython"), PathBuf::from)
}

/// The package archive the host's apt uses: the first `URIs:` of
/// `/etc/apt/sources.list.d/debian.sources`, else the first `deb` line of
/// `/etc/apt/sources.list`.
fn archive() -> Result<String, String> {
    let deb822 = std::fs::read_to_string("/etc/apt/sources.list.d/debian.sources")
        .unwrap_or_default();
    let one_line =
        std::fs::read_to_string("/etc/apt/sources.list").unwrap_or_default();
    archive_of(&deb822, &one_line).ok_or_else(|| {
        "cannot find the Debian archive in /etc/apt/sources.list.d/debian.sources \
         or /etc/apt/sources.list"
            .to_owned()
    })
}

/// The archive named by apt's sources: see [`archive`].
fn archive_of(deb822: &str, one_line: &str) -> Option<String> {
    let from_deb822 = deb822
        .lines()
        .find_map(|l| l.strip_prefix("URIs:"))
        .and_then(|uris| uris.split_whitespace().next());
    let from_list = || {
        one_line.lines().find_map(|l| {
            let mut words = l.split_whitespace().filter(|w| !w.starts_with('['));
            (words.next() == Some("deb")).then(|| words.next()).flatten()
        })
    };
    from_deb822
        .or_else(from_list)
        .filter(|uri| !uri.contains("security"))
        .map(|uri| uri.trim_end_matches('/').to_owned())
}

/// A Debian-unstable root with [`ROOT_PACKAGES`].
///
/// # Invariants
///
/// `dir` holds a finished root: `debootstrap` completed and every package
/// of [`ROOT_PACKAGES`] is installed in it.
pub struct SidRoot {
    dir: PathBuf,
}

/// The file in the root that records which packages were installed.
const READY: &str = ".rust-for-cpython-ready";

impl SidRoot {
    /// The root, made with `debootstrap` if it is missing (about three
    /// minutes), with missing packages added if the list grew.
    ///
    /// # Errors
    ///
    /// A message naming the command that failed.
    pub fn ensure() -> Result<Self, String> {
        let dir = cache_dir().join("sid");
        let wanted = ROOT_PACKAGES.join("\n");
        let recorded = std::fs::read_to_string(dir.join(READY)).ok();
        if recorded.as_deref() == Some(wanted.as_str()) {
            return Ok(Self { dir });
        }
        if recorded.is_none() {
            Self::bootstrap(&dir)?;
        }
        let root = Self { dir };
        // A root made with an older list: add what is missing.
        root.apt(
            &["install", "-q", "-y", "--no-install-recommends"],
            ROOT_PACKAGES,
        )?;
        std::fs::write(root.dir.join(READY), wanted).map_err(|e| {
            format!("cannot write {}: {e}", root.dir.join(READY).display())
        })?;
        Ok(root)
    }

    /// Makes a new root at `dir` (in a temporary folder beside it, renamed
    /// when complete, so that an interrupted run leaves nothing half-made).
    fn bootstrap(dir: &Path) -> Result<(), String> {
        let mirror = archive()?;
        if process::which("debootstrap").is_none() {
            return Err(
                "debootstrap is missing (the tools step installs it)".to_owned()
            );
        }
        let tmp = dir.with_extension("tmp");
        let _ = std::fs::remove_dir_all(&tmp);
        std::fs::create_dir_all(dir.parent().unwrap_or(dir))
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        println!(
            "xtask: making a Debian-unstable root for CPython 3.14 and 3.15 in {} \
             (debootstrap, a few minutes, once)",
            dir.display()
        );
        process::run(
            Command::new("debootstrap")
                .args(["--variant=minbase"])
                .arg(format!("--include={}", ROOT_PACKAGES.join(",")))
                .arg("sid")
                .arg(&tmp)
                .arg(&mirror),
        )?;
        // The archive this machine reaches is a frozen copy, whose Release
        // file has expired: apt in the root must not refuse it.
        write(
            &tmp.join("etc/apt/apt.conf.d/99frozen-archive"),
            "Acquire::Check-Valid-Until \"false\";\n",
        )?;
        std::fs::rename(&tmp, dir).map_err(|e| {
            format!("cannot rename {} to {}: {e}", tmp.display(), dir.display())
        })
    }

    /// Runs `apt-get ARGS PACKAGES` in the root.
    fn apt(&self, args: &[&str], packages: &[&str]) -> Result<(), String> {
        let _mounts = self.mount(&[])?;
        process::run(self.command("apt-get").args(["update", "-q"]))?;
        process::run(self.command("apt-get").args(args).args(packages))
    }

    /// Mounts what a command in the root needs (`/proc`, `/dev`, the host's
    /// DNS settings) and `binds`, each at its own path; all are unmounted
    /// when the guard is dropped.
    ///
    /// # Errors
    ///
    /// A message if a mount fails (not root, or no mount privilege).
    pub fn mount(&self, binds: &[&Path]) -> Result<Mounts, String> {
        // One run at a time: a second run's mounts would be stacked on the
        // first's, and whichever ended first would unmount the other's.
        let proc = self.dir.join("proc");
        let mounted = std::fs::read_to_string("/proc/mounts").unwrap_or_default();
        if mounted.lines().any(|l| l.split_whitespace().nth(1) == proc.to_str()) {
            return Err(format!(
                "{} is in use by another run (its /proc is mounted): wait for it to end, \
                 or unmount what is mounted under the root",
                self.dir.display()
            ));
        }
        let mut mounts = Mounts(Vec::new());
        write(
            &self.dir.join("etc/resolv.conf"),
            &std::fs::read_to_string("/etc/resolv.conf").unwrap_or_default(),
        )?;
        mount(Command::new("mount").args(["-t", "proc", "proc"]).arg(&proc))?;
        mounts.0.push(proc);
        // The host's certificates: a proxy or a private package index that
        // the host trusts is trusted in the root too (for `pip`).
        let certs = Path::new("/etc/ssl/certs");
        for dir in [Path::new("/dev"), certs].iter().chain(binds) {
            let target = self.dir.join(dir.strip_prefix("/").unwrap_or(dir));
            std::fs::create_dir_all(&target)
                .map_err(|e| format!("cannot create {}: {e}", target.display()))?;
            mount(Command::new("mount").arg("--bind").arg(dir).arg(&target))?;
            mounts.0.push(target);
        }
        Ok(mounts)
    }

    /// `program` run in the root, with a clean environment (`HOME`, a
    /// `PATH` with cargo's bin folder first, `LANG`): set the rest with
    /// `.env`.
    pub fn command(&self, program: &str) -> Command {
        let mut cmd = Command::new("chroot");
        cmd.arg(&self.dir).arg(program).env_clear();
        let home = std::env::var_os("HOME").unwrap_or_else(|| "/root".into());
        let cargo_bin = cargo_home().join("bin");
        cmd.env("HOME", &home)
            .env(
                "PATH",
                format!("{}:/usr/sbin:/usr/bin:/sbin:/bin", cargo_bin.display()),
            )
            .env("LANG", "C.UTF-8")
            .env("DEBIAN_FRONTEND", "noninteractive");
        for var in ["CARGO_HOME", "RUSTUP_HOME", "CI", "RUST_BACKTRACE"] {
            if let Some(value) = std::env::var_os(var) {
                cmd.env(var, value);
            }
        }
        // How the host reaches the package indexes: pip's settings, the
        // certificate bundle, proxies.
        for (var, value) in std::env::vars_os() {
            let name = var.to_string_lossy().to_ascii_lowercase();
            let passed = name.starts_with("pip_")
                || name.starts_with("ssl_cert_")
                || name == "requests_ca_bundle"
                || name.ends_with("_proxy");
            if passed {
                cmd.env(var, value);
            }
        }
        cmd
    }
}

/// `$CARGO_HOME`, else `~/.cargo`.
pub fn cargo_home() -> PathBuf {
    std::env::var_os("CARGO_HOME")
        .map_or_else(|| home().join(".cargo"), PathBuf::from)
}

/// `$RUSTUP_HOME`, else `~/.rustup`.
pub fn rustup_home() -> PathBuf {
    std::env::var_os("RUSTUP_HOME")
        .map_or_else(|| home().join(".rustup"), PathBuf::from)
}

/// `$HOME`.
fn home() -> PathBuf {
    std::env::var_os("HOME").map_or_else(|| PathBuf::from("/root"), PathBuf::from)
}

/// Mounts made by [`SidRoot::mount`], unmounted (newest first) when dropped.
pub struct Mounts(Vec<PathBuf>);

impl Drop for Mounts {
    fn drop(&mut self) {
        for target in self.0.iter().rev() {
            // Lazily: a process the step left behind must not keep the
            // repository mounted inside the cache.
            let _ = Command::new("umount").arg("-l").arg(target).status();
        }
    }
}

/// Runs a `mount` command quietly, as one step of [`SidRoot::mount`].
fn mount(cmd: &mut Command) -> Result<(), String> {
    let out = process::output(cmd)?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "`{}` failed: {} (making the Debian-unstable root usable needs root and \
             mount privileges)",
            process::describe(cmd),
            String::from_utf8_lossy(&out.stderr).trim()
        ))
    }
}

/// Writes `text` to `path`.
fn write(path: &Path, text: &str) -> Result<(), String> {
    std::fs::write(path, text)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

/// The free-threaded interpreter, built from [`FREE_THREADED_SOURCE`] if it
/// is not in the cache yet (about ten minutes on two cores, once).
///
/// # Errors
///
/// A message naming the command that failed.
pub fn free_threaded() -> Result<PathBuf, String> {
    let (package, version) = FREE_THREADED_SOURCE;
    let upstream = version.split('-').next().unwrap_or(version);
    let prefix = cache_dir().join(format!("{package}t"));
    let python = prefix.join(format!("bin/{package}t"));
    if process::succeeds(
        Command::new(&python).args(["-c", "import sys; sys._is_gil_enabled"]),
    ) {
        return Ok(python);
    }
    let work = cache_dir().join("build");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)
        .map_err(|e| format!("cannot create {}: {e}", work.display()))?;
    println!(
        "xtask: building a free-threaded CPython {upstream} from Debian's source \
         package into {} (about ten minutes, once)",
        prefix.display()
    );
    let tarball = download_source(package, version, upstream, &work)?;
    process::run(Command::new("tar").arg("xf").arg(&tarball).current_dir(&work))?;
    let src = work.join(format!("Python-{upstream}"));
    process::run(
        Command::new("./configure")
            .args(["--disable-gil", "--enable-shared"])
            .arg(format!("--prefix={}", prefix.display()))
            .arg(format!("LDFLAGS=-Wl,-rpath,{}", prefix.join("lib").display()))
            .current_dir(&src),
    )?;
    let jobs = std::thread::available_parallelism().map_or(2, usize::from);
    process::run(Command::new("make").arg(format!("-j{jobs}")).current_dir(&src))?;
    process::run(Command::new("make").arg("install").current_dir(&src))?;
    let _ = std::fs::remove_dir_all(&work);
    Ok(python)
}

/// Downloads the upstream tarball of Debian's source package
/// `package=version` with apt, using a private apt folder so that the
/// host's sources are not changed; returns its path.
fn download_source(
    package: &str,
    version: &str,
    upstream: &str,
    work: &Path,
) -> Result<PathBuf, String> {
    let apt_dir = cache_dir().join("apt-src");
    for sub in ["lists/partial", "cache/archives/partial"] {
        std::fs::create_dir_all(apt_dir.join(sub))
            .map_err(|e| format!("cannot create {}: {e}", apt_dir.display()))?;
    }
    let sources = apt_dir.join("sources.list");
    write(&sources, &format!("deb-src [trusted=yes] {} sid main\n", archive()?))?;
    let apt = || {
        let mut cmd = Command::new("apt-get");
        cmd.arg(format!("-oDir::Etc::SourceList={}", sources.display()))
            .arg("-oDir::Etc::SourceParts=/dev/null")
            .arg(format!("-oDir::State::Lists={}", apt_dir.join("lists").display()))
            .arg(format!("-oDir::Cache={}", apt_dir.join("cache").display()))
            .arg("-oAcquire::Check-Valid-Until=false")
            .current_dir(work);
        cmd
    };
    process::run(apt().args(["update", "-q"]))?;
    process::run(
        apt()
            .args(["source", "--download-only", "-q"])
            .arg(format!("{package}={version}")),
    )?;
    let tarball = work.join(format!("{package}_{upstream}.orig.tar.xz"));
    if tarball.is_file() {
        Ok(tarball)
    } else {
        Err(format!("apt-get source did not bring {}", tarball.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_archive_is_read_from_either_sources_format() {
        let deb822 = "Types: deb\n# a comment\nURIs: http://archive.test/debian\n\
                      Suites: bookworm\n";
        assert_eq!(
            archive_of(deb822, "").as_deref(),
            Some("http://archive.test/debian")
        );
        let list = "# comment\ndeb [arch=amd64] http://archive.test/debian/ bookworm main\n";
        assert_eq!(
            archive_of("", list).as_deref(),
            Some("http://archive.test/debian")
        );
        assert_eq!(archive_of("", ""), None);
        assert_eq!(
            archive_of("URIs: http://archive.test/debian-security\n", ""),
            None
        );
    }
}
