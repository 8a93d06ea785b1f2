//! `cargo xtask test`: runs every step, times each, and closes with a count.
//!
//! A step that fails does not stop the others; only the steps that need it
//! are left out (counted as failed, marked "not run").

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use crate::{checks, errors, probe, python, steps, tools};

/// What the steps share: where the repository is and which interpreter they target.
pub struct Ctx {
    /// The repository's root.
    pub root: PathBuf,
    /// The target interpreter as named by `PYTHON`, else `python3`.
    pub python: String,
    /// The target interpreter's facts, once `preflight` has found them.
    pub interp: Option<probe::Interpreter>,
}

impl Ctx {
    /// The target interpreter's facts.
    ///
    /// # Errors
    ///
    /// A message if `preflight` has not found them (a step declared no need of it).
    pub fn interp(&self) -> Result<&probe::Interpreter, String> {
        self.interp.as_ref().ok_or_else(|| "the interpreter was not probed (preflight)".to_owned())
    }

    /// The folder cargo builds into: `CARGO_TARGET_DIR`, else `target/`.
    pub fn target_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => self.root.join(dir),
            None => self.root.join("target"),
        }
    }
}

/// One step: a name for the report, the steps it needs, and what it does.
struct Step {
    /// The name shown in the report.
    name: &'static str,
    /// The steps that must have passed for this one to run.
    needs: &'static [&'static str],
    /// The step itself; its error is a one-line reason for the report.
    run: fn(&mut Ctx) -> Result<(), String>,
}

/// How a step ended.
enum Outcome {
    /// It passed.
    Passed,
    /// It failed, for this one-line reason.
    Failed(String),
    /// It did not run, because this step it needs did not pass.
    NotRun(&'static str),
}

/// The steps needing the target interpreter need these.
const INTERP: &[&str] = &["tools", "preflight"];

/// Every step, in the order they run.
const STEPS: &[Step] = &[
    Step { name: "tools", needs: &[], run: |_| tools::ensure(tools::Purpose::Test) },
    Step { name: "preflight", needs: &["tools"], run: steps::preflight },
    Step { name: "error messages", needs: INTERP, run: errors::check_all },
    Step { name: "format", needs: &["tools"], run: steps::format },
    Step { name: "clippy", needs: INTERP, run: steps::clippy },
    Step { name: "tests (release interpreter)", needs: INTERP, run: steps::tests_release },
    Step { name: "tests (debug interpreter)", needs: INTERP, run: steps::tests_debug },
    Step { name: "bindings on other interpreters", needs: INTERP, run: steps::other_interpreters },
    Step { name: "extension + pytest", needs: INTERP, run: python::extension_pytest },
    Step { name: "cpython tests (ports)", needs: &["extension + pytest"], run: python::cpython_ports },
    Step { name: "refleaks (debug interpreter)", needs: INTERP, run: checks::refleaks },
    Step { name: "memory (valgrind)", needs: &["extension + pytest"], run: checks::memcheck },
    Step { name: "fuzzing (hypothesis)", needs: &["extension + pytest"], run: checks::fuzz },
    Step {
        name: "messages (book)",
        needs: &["extension + pytest", "refleaks (debug interpreter)"],
        run: checks::messages,
    },
    Step { name: "wheel", needs: INTERP, run: python::wheel },
    Step { name: "book", needs: &["tools"], run: steps::book },
    Step { name: "fragments", needs: &["book"], run: steps::fragments },
];

/// Runs every step and prints the report.
///
/// # Errors
///
/// An empty message (the report has said it all) if any step did not pass.
pub fn run(root: &Path) -> Result<(), String> {
    let mut ctx = Ctx { root: root.to_path_buf(), python: probe::python_command(), interp: None };
    let mut results: Vec<(&Step, Outcome, Duration)> = Vec::new();
    for (i, step) in STEPS.iter().enumerate() {
        let unmet = step.needs.iter().copied().find(|need| {
            !results.iter().any(|(done, outcome, _)| done.name == *need && matches!(outcome, Outcome::Passed))
        });
        if unmet.is_none() {
            println!("\nxtask: [{}/{}] {}", i + 1, STEPS.len(), step.name);
        }
        let start = Instant::now();
        let outcome = match unmet {
            Some(need) => Outcome::NotRun(need),
            None => match (step.run)(&mut ctx) {
                Ok(()) => Outcome::Passed,
                Err(reason) => Outcome::Failed(reason),
            },
        };
        let elapsed = start.elapsed();
        println!("xtask: {}", report_line(step.name, &outcome, elapsed));
        results.push((step, outcome, elapsed));
    }
    print_summary(&results)
}

/// One line of the report: the verdict, the time, the name, and why.
fn report_line(name: &str, outcome: &Outcome, elapsed: Duration) -> String {
    let time = format!("{:7.1} s", elapsed.as_secs_f64());
    match outcome {
        Outcome::Passed => format!("ok      {time}  {name}"),
        Outcome::Failed(reason) => format!("FAILED  {time}  {name}: {reason}"),
        Outcome::NotRun(need) => {
            format!("FAILED  {:>9}  {name}: not run ({need} did not pass)", "-")
        }
    }
}

/// Prints every step's line again, then the closing count.
fn print_summary(results: &[(&Step, Outcome, Duration)]) -> Result<(), String> {
    println!("\nxtask: summary");
    for (step, outcome, elapsed) in results {
        println!("  {}", report_line(step.name, outcome, *elapsed));
    }
    let passed = results.iter().filter(|(_, outcome, _)| matches!(outcome, Outcome::Passed)).count();
    let failed = results.len() - passed;
    println!("xtask: {passed} passed, {failed} failed");
    if failed == 0 { Ok(()) } else { Err(String::new()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_need_names_an_earlier_step() {
        for (i, step) in STEPS.iter().enumerate() {
            for need in step.needs {
                assert!(
                    STEPS[..i].iter().any(|earlier| earlier.name == *need),
                    "{} needs {need}, which does not run before it",
                    step.name
                );
            }
        }
    }

    #[test]
    fn report_lines_say_why_a_step_failed() {
        let line = report_line("clippy", &Outcome::Failed("2 warnings".into()), Duration::from_millis(1500));
        assert_eq!(line, "FAILED      1.5 s  clippy: 2 warnings");
        let line = report_line("wheel", &Outcome::NotRun("preflight"), Duration::ZERO);
        assert!(line.ends_with("wheel: not run (preflight did not pass)"), "{line}");
    }
}
