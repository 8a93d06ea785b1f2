//! The project's task runner: `cargo xtask serve` and `cargo xtask test`.
//!
//! Both commands first install what is missing (Debian packages, `mdbook`),
//! so a fresh machine needs nothing but Rust and these two commands.

mod bench;
mod checks;
mod errors;
mod fragments;
mod process;
mod python;
mod steps;
mod test;
mod tools;

// The build script's own probe: xtask checks the interpreter exactly as the
// build will, and so prints the same one-line message before a long build.
#[allow(dead_code, reason = "xtask reads only some of the facts the build script needs")]
#[path = "../../tutorial-crate/cpython-sys/build/probe.rs"]
mod probe;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [--port N]   install what is missing, then build and serve the book
                     at http://127.0.0.1:3000 (or the given port)
  test               install what is missing, then run every test
  bench              build the extension in release mode, benchmark the Rust
                     ports against the C modules (pyperf, about half an hour)
                     and regenerate the book's benchmark page
";

/// The port `mdbook serve` listens on unless `--port` says otherwise.
const DEFAULT_PORT: u16 = 3000;

/// A command line, parsed.
#[derive(Debug, PartialEq, Eq)]
enum Task {
    /// `serve [--port N]`.
    Serve { port: u16 },
    /// `test`.
    Test,
    /// `bench`.
    Bench,
    /// `help`, `-h`, `--help`.
    Help,
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let task = match parse_args(&args) {
        Ok(task) => task,
        Err(msg) => {
            eprintln!("xtask: {msg}\n\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let result = match task {
        Task::Serve { port } => serve(port),
        Task::Test => test::run(&repo_root()),
        Task::Bench => bench::run(&repo_root()),
        Task::Help => {
            print!("{USAGE}");
            Ok(())
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            if !msg.is_empty() {
                eprintln!("xtask: {msg}");
            }
            ExitCode::FAILURE
        }
    }
}

/// Parses the arguments after `cargo xtask`.
fn parse_args(args: &[String]) -> Result<Task, String> {
    let (command, rest) = match args.split_first() {
        Some((command, rest)) => (command.as_str(), rest),
        None => return Err("no command given".to_owned()),
    };
    match (command, rest) {
        ("serve", rest) => parse_serve(rest),
        ("test", []) => Ok(Task::Test),
        ("bench", []) => Ok(Task::Bench),
        ("help" | "-h" | "--help", _) => Ok(Task::Help),
        ("test", [extra, ..]) => Err(format!("`test` takes no arguments, got `{extra}`")),
        ("bench", [extra, ..]) => Err(format!("`bench` takes no arguments, got `{extra}`")),
        (other, _) => Err(format!("unknown command `{other}`")),
    }
}

/// Parses the options of `serve`: `--port N` or `--port=N`.
fn parse_serve(args: &[String]) -> Result<Task, String> {
    let mut port = DEFAULT_PORT;
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        let value = if arg == "--port" {
            args.next().ok_or("`--port` needs a number")?.as_str()
        } else if let Some(value) = arg.strip_prefix("--port=") {
            value
        } else {
            return Err(format!("unknown option `{arg}` for `serve`"));
        };
        port = value.parse().map_err(|_| format!("`--port {value}`: not a port number (1 to 65535)"))?;
        if port == 0 {
            return Err("`--port 0`: choose a port from 1 to 65535".to_owned());
        }
    }
    Ok(Task::Serve { port })
}

/// The repository's root: the folder above `xtask/`.
fn repo_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// Installs what the book needs, then becomes `mdbook serve` until interrupted.
///
/// xtask replaces itself with mdBook (`exec`), so a signal that stops the
/// server (Ctrl-C, or `kill` of the process `cargo xtask serve` started)
/// reaches mdBook directly and leaves nothing behind.
fn serve(port: u16) -> Result<(), String> {
    use std::os::unix::process::CommandExt as _;

    let root = repo_root();
    tools::ensure(tools::Purpose::Serve)?;
    if !root.join("book.toml").is_file() {
        return Err(format!("no book.toml in {}: the book is not there yet", root.display()));
    }
    let mut mdbook = std::process::Command::new("mdbook");
    mdbook.args(["serve", "--hostname", "127.0.0.1", "--port"]).arg(port.to_string()).current_dir(&root);
    println!("xtask: serving the book at http://127.0.0.1:{port}/ (Ctrl-C stops it)");
    println!("$ {}", process::describe(&mdbook));
    // `exec` returns only if mdBook could not be started.
    let error = mdbook.exec();
    Err(format!("cannot run `mdbook serve`: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_owned).collect()
    }

    #[test]
    fn serve_defaults_to_port_3000() {
        assert_eq!(parse_args(&args("serve")), Ok(Task::Serve { port: 3000 }));
    }

    #[test]
    fn serve_takes_a_port_in_either_spelling() {
        assert_eq!(parse_args(&args("serve --port 8080")), Ok(Task::Serve { port: 8080 }));
        assert_eq!(parse_args(&args("serve --port=8081")), Ok(Task::Serve { port: 8081 }));
    }

    #[test]
    fn bad_ports_and_unknown_commands_are_refused() {
        assert!(parse_args(&args("serve --port")).is_err());
        assert!(parse_args(&args("serve --port 0")).is_err());
        assert!(parse_args(&args("serve --port 70000")).is_err());
        assert!(parse_args(&args("serve --portal")).is_err());
        assert!(parse_args(&args("test now")).is_err());
        assert!(parse_args(&args("build")).is_err());
        assert!(parse_args(&[]).is_err());
    }
}
