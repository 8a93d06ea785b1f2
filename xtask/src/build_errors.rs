//! The `errors` step: each broken setup gives the build's one-line message.
//!
//! The book's troubleshooting section is headed by these messages, so each
//! is reproduced here by breaking the setup on purpose and building.

use std::ffi::OsString;

use cpython_build_config::SUPPORTED;

use crate::interpreters;
use crate::process::{self, TempDir};
use crate::runner::Ctx;

/// The prefix of the build script's one error line.
const PREFIX: &str = "error: cpython-sys:";

/// A broken setup and the words its message must contain.
struct Case {
    /// The environment that breaks the build.
    env: Vec<(&'static str, OsString)>,
    /// Text the message must contain.
    expect: &'static str,
}

/// Builds `cpython-sys` once per broken setup and checks each message.
///
/// The builds share the normal target folder, so only the build script runs.
///
/// # Errors
///
/// A message counting the setups whose message was wrong or missing.
pub fn check_all(ctx: &mut Ctx) -> Result<(), String> {
    let empty_include = TempDir::new("empty-include")?;
    let mut cases = vec![
        Case {
            env: vec![("PYTHON", "/nonexistent/python3".into())],
            expect: "no Python interpreter at",
        },
        Case {
            env: vec![("PYTHON", "/bin/false".into())],
            expect: "did not run as a Python 3 interpreter",
        },
        Case {
            env: vec![("CPYTHON_SYS_INCLUDE_DIR", empty_include.path().into())],
            expect: "Python.h not found in",
        },
        Case {
            env: vec![("LIBCLANG_PATH", "/nonexistent".into())],
            expect: "libclang not found",
        },
    ];
    match interpreters::older() {
        Some(old) => cases.push(Case {
            env: vec![("PYTHON", old.into())],
            expect: "is not supported",
        }),
        None => println!(
            "no interpreter older than 3.{} found (pyenv's 3.10 or python3.10/python3.9 on PATH): \
             the version check is covered by xtask's unit tests only",
            SUPPORTED.0
        ),
    }
    let failures = cases.iter().filter(|case| !check_case(ctx, case)).count();
    match failures {
        0 => Ok(()),
        n => Err(format!(
            "{n} of {} broken setups gave the wrong message",
            cases.len()
        )),
    }
}

/// Builds with one broken setup, prints the verdict, and says whether it held.
fn check_case(ctx: &Ctx, case: &Case) -> bool {
    let mut cmd = process::cargo();
    cmd.args(["build", "-p", "cpython-sys"]).current_dir(&ctx.root);
    for (key, value) in &case.env {
        cmd.env(key, value);
    }
    let setting = case
        .env
        .iter()
        .map(|(key, value)| format!("{key}={}", value.to_string_lossy()))
        .collect::<Vec<_>>()
        .join(" ");
    let verdict = process::output(&mut cmd).and_then(|out| {
        if out.status.success() {
            return Err("the build succeeded".to_owned());
        }
        let stderr = String::from_utf8_lossy(&out.stderr);
        judge(&stderr, case.expect).inspect_err(|_| {
            let tail: Vec<&str> = stderr.lines().rev().take(15).collect();
            for line in tail.iter().rev() {
                println!("      | {line}");
            }
        })
    });
    match verdict {
        Ok(line) => {
            println!("  ok      {setting}\n          {line}");
            true
        }
        Err(reason) => {
            println!("  FAILED  {setting}: {reason}");
            false
        }
    }
}

/// Checks a failed build's stderr: one error line, with `expect` in it, and no panic.
///
/// # Errors
///
/// What is wrong with the output.
fn judge(stderr: &str, expect: &str) -> Result<String, String> {
    for noise in ["panicked", "stack backtrace"] {
        if stderr.contains(noise) {
            return Err(format!("the output contains `{noise}`"));
        }
    }
    // Cargo indents a build script's stderr under `--- stderr`.
    let lines: Vec<&str> = stderr
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with(PREFIX))
        .collect();
    match lines.as_slice() {
        [line] if line.contains(expect) => Ok((*line).to_owned()),
        [line] => Err(format!("expected `{expect}` in `{line}`")),
        [] => Err(format!("no line starts with `{PREFIX}`")),
        many => {
            Err(format!("{} lines start with `{PREFIX}`, expected one", many.len()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use cpython_build_config as probe;

    const NOT_FOUND: &str = "   Compiling cpython-sys v0.1.0\n\
        error: failed to run custom build command for `cpython-sys v0.1.0`\n\
        \n  --- stderr\n  error: cpython-sys: no Python interpreter at `/x`: check PYTHON\n";

    #[test]
    fn the_one_indented_error_line_is_found() {
        let line = judge(NOT_FOUND, "no Python interpreter at")
            .expect("the message is right");
        assert!(line.starts_with("error: cpython-sys: no Python"), "{line}");
    }

    #[test]
    fn a_wrong_message_a_second_error_or_a_panic_is_refused() {
        assert!(judge(NOT_FOUND, "libclang not found").is_err());
        assert!(
            judge(&format!("{NOT_FOUND}error: cpython-sys: again\n"), "no Python")
                .is_err()
        );
        assert!(
            judge("thread 'main' panicked at build/main.rs", "anything").is_err()
        );
        assert!(
            judge(&format!("{NOT_FOUND}stack backtrace:\n"), "no Python").is_err()
        );
        assert!(judge("error: could not compile", "anything").is_err());
    }

    #[test]
    fn versions_parse_from_what_the_probe_prints() {
        assert_eq!(probe::parse_version("3.11"), Some((3, 11)));
        assert_eq!(probe::parse_version(" 3.13\n"), Some((3, 13)));
        assert_eq!(probe::parse_version("3"), None);
        assert_eq!(probe::parse_version("three.eleven"), None);
        assert_eq!(probe::parse_version(""), None);
    }

    #[test]
    fn supported_versions_pass_the_check() {
        let (oldest, newest) = probe::SUPPORTED;
        for minor in oldest..=newest {
            assert!(
                probe::check_version("python3", (3, minor)).is_ok(),
                "3.{minor}"
            );
        }
    }

    #[test]
    fn unsupported_versions_are_refused_with_the_documented_message() {
        let (oldest, newest) = probe::SUPPORTED;
        for version in [(3, oldest - 1), (3, newest + 1), (2, 7), (4, oldest)] {
            let problem = probe::check_version("/usr/bin/python", version)
                .expect_err("unsupported");
            let text = problem.to_string();
            assert!(text.contains("is not supported"), "{text}");
            assert!(text.contains("`/usr/bin/python`"), "{text}");
        }
    }
}
