//! The project's task runner: `cargo xtask serve`, `cargo xtask test` and
//! `cargo xtask bench`; this file is the command line.
//!
//! Each command first installs what is missing (Debian packages, `mdbook`),
//! so a fresh machine needs nothing but Rust and these commands.

mod bench;
mod book;
mod browser;
mod build_errors;
mod callgrind;
mod cargo_steps;
mod dates;
mod extension;
mod fragments;
mod hunts;
mod interpreters;
mod matrix;
mod messages;
mod modules;
mod preprocess;
mod process;
mod provision;
mod runner;
mod tested_on;
mod tools;
mod venv;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

const USAGE: &str = "\
usage: cargo xtask <command>

commands:
  serve [--port N]   install what is missing, then build and serve the book
                     at http://127.0.0.1:3000 (or the given port)
  test [STEP...]     install what is missing, then run every step, or only
                     the named steps and the steps they need
  test --skip STEP   (repeatable) leave a step out, where it cannot run: the
                     matrix steps py3.15 and py3.14 need root and `mount`
  test --list        list the steps, each with what it runs
  bench              build the extension in release mode, benchmark the Rust
                     ports against the C modules (pyperf, about half an hour)
                     and regenerate the book's benchmark page
  mdbook STAGE       the book's preprocessors and renderer, run by `mdbook
                     build` (see book.toml): `listings`, `pages`, `search`
";

/// The port `mdbook serve` listens on unless `--port` says otherwise.
const DEFAULT_PORT: u16 = 3000;

/// A command line, parsed.
#[derive(Debug, PartialEq, Eq)]
enum Task {
    /// `serve [--port N]`.
    Serve { port: u16 },
    /// `test [--skip STEP]... [STEP...]`: the named steps (all when none is
    /// named), less the skipped ones.
    Test { steps: Vec<String>, skip: Vec<String> },
    /// `test --list`.
    ListSteps,
    /// `bench`.
    Bench,
    /// `mdbook STAGE [supports RENDERER]`: a preprocessor mdBook runs.
    Preprocess { stage: String, args: Vec<String> },
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
        Task::Test { steps, skip } => runner::select_skipping(&steps, &skip)
            .and_then(|steps| runner::run(&repo_root(), &steps)),
        Task::ListSteps => {
            print!("{}", runner::list());
            Ok(())
        }
        Task::Bench => bench::run(&repo_root()),
        Task::Preprocess { stage, args } => preprocess::run(&stage, &args),
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
        ("test", rest) => parse_test(rest),
        ("bench", []) => Ok(Task::Bench),
        ("mdbook", [stage, args @ ..]) => {
            Ok(Task::Preprocess { stage: stage.clone(), args: args.to_vec() })
        }
        ("help" | "-h" | "--help", _) => Ok(Task::Help),
        ("bench", [extra, ..]) => {
            Err(format!("`bench` takes no arguments, got `{extra}`"))
        }
        (other, _) => Err(format!("unknown command `{other}`")),
    }
}

/// Parses the arguments of `test`: step names and `--skip STEP` options, or
/// `--list` alone.
fn parse_test(args: &[String]) -> Result<Task, String> {
    if args == ["--list"] {
        return Ok(Task::ListSteps);
    }
    let mut steps = Vec::new();
    let mut skip = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--skip" {
            skip.push(args.next().ok_or("`--skip` needs a step name")?.clone());
        } else if arg.starts_with('-') {
            return Err(format!(
                "unknown option `{arg}` for `test` (`--list` stands alone)"
            ));
        } else {
            steps.push(arg.clone());
        }
    }
    runner::select_skipping(&steps, &skip)?;
    Ok(Task::Test { steps, skip })
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
        port = value.parse().map_err(|_| {
            format!("`--port {value}`: not a port number (1 to 65535)")
        })?;
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
        return Err(format!(
            "no book.toml in {}: the book is not there yet",
            root.display()
        ));
    }
    let mut mdbook = std::process::Command::new("mdbook");
    mdbook
        .args(["serve", "--hostname", "127.0.0.1", "--port"])
        .arg(port.to_string())
        .current_dir(&root);
    println!(
        "xtask: serving the book at http://127.0.0.1:{port}/ (Ctrl-C stops it)"
    );
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
        assert_eq!(
            parse_args(&args("serve --port 8080")),
            Ok(Task::Serve { port: 8080 })
        );
        assert_eq!(
            parse_args(&args("serve --port=8081")),
            Ok(Task::Serve { port: 8081 })
        );
    }

    #[test]
    fn test_takes_step_names_or_list() {
        assert_eq!(
            parse_args(&args("test")),
            Ok(Task::Test { steps: vec![], skip: vec![] })
        );
        assert_eq!(
            parse_args(&args("test pytest fuzz")),
            Ok(Task::Test {
                steps: vec!["pytest".to_owned(), "fuzz".to_owned()],
                skip: vec![]
            })
        );
        assert_eq!(
            parse_args(&args("test --skip py3.15 --skip py3.14")),
            Ok(Task::Test {
                steps: vec![],
                skip: vec!["py3.15".to_owned(), "py3.14".to_owned()]
            })
        );
        assert!(parse_args(&args("test --skip")).is_err());
        assert!(parse_args(&args("test --skip pyy")).is_err());
        // A step another selected step needs cannot be skipped.
        assert!(parse_args(&args("test --skip build pytest")).is_err());
        assert_eq!(parse_args(&args("test --list")), Ok(Task::ListSteps));
    }

    #[test]
    fn an_unknown_step_is_a_usage_error_listing_the_steps() {
        let error = parse_args(&args("test pytest now")).expect_err("refused");
        assert!(
            error.starts_with(
                "unknown step `now`; the steps are: tools, preflight,"
            ),
            "{error}"
        );
        assert!(parse_args(&args("test --list pytest")).is_err());
        assert!(parse_args(&args("test pytest --list")).is_err());
    }

    #[test]
    fn bad_ports_and_unknown_commands_are_refused() {
        assert!(parse_args(&args("serve --port")).is_err());
        assert!(parse_args(&args("serve --port 0")).is_err());
        assert!(parse_args(&args("serve --port 70000")).is_err());
        assert!(parse_args(&args("serve --portal")).is_err());
        assert!(parse_args(&args("test --now")).is_err());
        assert!(parse_args(&args("build")).is_err());
        assert!(parse_args(&[]).is_err());
    }
}
