//! Small helpers for running commands and saying what ran.

use std::ffi::{OsStr, OsString};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// A `cargo` command, using the same cargo that runs xtask.
pub fn cargo() -> Command {
    Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
}

/// Runs `cmd` with its output shown, after printing it as a shell line.
///
/// # Errors
///
/// A one-line message if the command cannot start or exits unsuccessfully.
pub fn run(cmd: &mut Command) -> Result<(), String> {
    let line = describe(cmd);
    println!("$ {line}");
    let status = cmd.status().map_err(|e| format!("cannot run `{line}`: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", short(cmd)))
    }
}

/// Runs `cmd` with its output captured.
///
/// # Errors
///
/// A one-line message if the command cannot start; its exit status is the
/// caller's to judge.
pub fn output(cmd: &mut Command) -> Result<Output, String> {
    cmd.output().map_err(|e| format!("cannot run `{}`: {e}", describe(cmd)))
}

/// Runs `cmd` with its standard output and error going to one file, as a
/// terminal would interleave them, then shows that output and returns it
/// with the exit code.
///
/// # Errors
///
/// A one-line message if the command cannot start or its output cannot be kept.
pub fn run_captured(cmd: &mut Command) -> Result<(String, Option<i32>), String> {
    println!("$ {}", describe(cmd));
    let dir = TempDir::new("output")?;
    let path = dir.path().join("output");
    let file = std::fs::File::create(&path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    let second = file
        .try_clone()
        .map_err(|e| format!("cannot share {}: {e}", path.display()))?;
    let status = cmd
        .stdout(file)
        .stderr(second)
        .status()
        .map_err(|e| format!("cannot run `{}`: {e}", short(cmd)))?;
    let bytes = std::fs::read(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let text = String::from_utf8_lossy(&bytes).into_owned();
    print!("{text}");
    Ok((text, status.code()))
}

/// Whether `cmd` starts and exits successfully, its output discarded.
pub fn succeeds(cmd: &mut Command) -> bool {
    cmd.output().is_ok_and(|out| out.status.success())
}

/// The program and its arguments, without the environment: for short messages.
pub fn short(cmd: &Command) -> String {
    // The cargo running xtask is named by its full path; a reader types `cargo`.
    let program = cmd.get_program();
    let program = if std::env::var_os("CARGO").is_some_and(|c| c == program) {
        OsStr::new("cargo")
    } else {
        program
    };
    std::iter::once(program)
        .chain(cmd.get_args())
        .map(|word| quote(&word.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The command as a shell line a reader can paste, with the variables it sets.
pub fn describe(cmd: &Command) -> String {
    let mut words = Vec::new();
    let mut unset = Vec::new();
    for (key, value) in cmd.get_envs() {
        match value {
            Some(value) => words.push(assignment(key, value)),
            None => unset.push(format!("-u {}", key.to_string_lossy())),
        }
    }
    if !unset.is_empty() {
        words.insert(0, format!("env {}", unset.join(" ")));
    }
    words.push(short(cmd));
    let line = words.join(" ");
    match cmd.get_current_dir() {
        Some(dir) if std::env::current_dir().ok().as_deref() != Some(dir) => {
            format!("(cd {} && {line})", quote(&dir.to_string_lossy()))
        }
        _ => line,
    }
}

/// `KEY=value`, shortened to `KEY=new:"$KEY"` when the value extends the current one.
fn assignment(key: &OsStr, value: &OsStr) -> String {
    let key = key.to_string_lossy();
    let value = value.to_string_lossy();
    let old = std::env::var(&*key).unwrap_or_default();
    match value.strip_suffix(old.as_str()).and_then(|new| new.strip_suffix(':')) {
        Some(new) if !old.is_empty() => format!("{key}={}:\"${key}\"", quote(new)),
        _ => format!("{key}={}", quote(&value)),
    }
}

/// Quotes a word for a POSIX shell when it needs it.
fn quote(word: &str) -> String {
    let plain = |c: char| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c);
    if !word.is_empty() && word.chars().all(plain) {
        word.to_owned()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// `dirs` put before the current value of the path-list variable `var`.
///
/// # Errors
///
/// A one-line message if a directory holds the list separator (`:`).
pub fn prepend_paths(var: &str, dirs: &[&Path]) -> Result<OsString, String> {
    let old = std::env::var_os(var).unwrap_or_default();
    let paths = dirs
        .iter()
        .map(|d| d.to_path_buf())
        .chain(std::env::split_paths(&old).filter(|p| !p.as_os_str().is_empty()));
    std::env::join_paths(paths)
        .map_err(|e| format!("cannot add {dirs:?} to {var}: {e}"))
}

/// The full path of `program` if an executable of that name is on `PATH`.
pub fn which(program: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|candidate| is_executable(candidate))
}

/// Whether `path` is a file with an execute bit set.
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt as _;
    path.metadata()
        .is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

/// Every file under `dir`, at any depth, whose name ends in `.ext`.
///
/// # Errors
///
/// A message naming a folder that cannot be read.
pub fn files_with_extension(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, String> {
    let mut files = Vec::new();
    let mut folders = vec![dir.to_path_buf()];
    while let Some(folder) = folders.pop() {
        let entries = std::fs::read_dir(&folder)
            .map_err(|e| format!("cannot read {}: {e}", folder.display()))?;
        for entry in entries {
            let path = entry
                .map_err(|e| format!("cannot read {}: {e}", folder.display()))?
                .path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|found| found == ext) {
                files.push(path);
            }
        }
    }
    Ok(files)
}

/// A folder under the system's temporary directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates an empty folder whose name starts with `xtask-{label}`.
    ///
    /// # Errors
    ///
    /// A one-line message if the folder cannot be created.
    pub fn new(label: &str) -> Result<Self, String> {
        static COUNT: std::sync::atomic::AtomicUsize =
            std::sync::atomic::AtomicUsize::new(0);
        let n = COUNT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let path = std::env::temp_dir()
            .join(format!("xtask-{label}-{}-{n}", std::process::id()));
        // A folder left by an earlier process with the same id is stale.
        let _ = std::fs::remove_dir_all(&path);
        std::fs::create_dir_all(&path)
            .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
        Ok(Self(path))
    }

    /// The folder's path.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_gives_a_line_a_shell_can_run() {
        let mut cmd = Command::new("cargo");
        cmd.args(["build", "-p", "cpython-sys"])
            .env("PYTHON", "/bin/false")
            .env("MSG", "it's")
            .env_remove("PYTHONPATH");
        assert_eq!(
            describe(&cmd),
            r"env -u PYTHONPATH MSG='it'\''s' PYTHON=/bin/false cargo build -p cpython-sys"
        );
    }

    #[test]
    fn an_extended_path_list_is_shown_as_an_extension() {
        let path = std::env::var("PATH").expect("tests run with a PATH");
        let line =
            assignment(OsStr::new("PATH"), OsStr::new(&format!("/opt/x:{path}")));
        assert_eq!(line, r#"PATH=/opt/x:"$PATH""#);
    }

    #[test]
    fn prepend_paths_puts_new_directories_first() {
        let joined = prepend_paths(
            "XTASK_SURELY_UNSET_VARIABLE",
            &[Path::new("/a"), Path::new("/b")],
        );
        assert_eq!(joined, Ok("/a:/b".into()));
    }

    #[test]
    fn temp_dir_is_removed_when_dropped() {
        let dir = TempDir::new("selftest").expect("the temp folder is writable");
        let path = dir.path().to_path_buf();
        assert!(path.is_dir());
        drop(dir);
        assert!(!path.exists());
    }
}
