//! `cargo xtask test [STEP...]`: the table of steps, and the runner that
//! runs them (all, or the named ones and the steps they need), times each,
//! and closes with a count.
//!
//! A step that fails does not stop the others; only the steps that need it
//! are left out (counted as failed, marked "not run").

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use cpython_build_config::Interpreter;

use crate::{
    book, browser, build_errors, callgrind, cargo_steps, dates, extension, hunts,
    interpreters, matrix, messages, tested_on, tools,
};

/// What the steps share: where the repository is and which interpreter they target.
pub struct Ctx {
    /// The repository's root.
    pub root: PathBuf,
    /// The target interpreter as named by `PYTHON`, else `python3`.
    pub python: String,
    /// The target interpreter's facts, once `preflight` has found them.
    pub interp: Option<Interpreter>,
    /// The steps that have passed so far.
    pub passed: Vec<&'static str>,
    /// Rows of the "Tested on" table that steps recorded (the matrix's
    /// interpreters, the other interpreters' oracle tests).
    pub tested: Vec<tested_on::Row>,
    /// Whether this run runs every step (only such a run rewrites the table).
    pub full_run: bool,
}

impl Ctx {
    /// A context for the repository at `root`, its interpreter not probed yet.
    pub fn new(root: &Path) -> Self {
        Self {
            root: root.to_path_buf(),
            python: cpython_build_config::python_command(),
            interp: None,
            passed: Vec::new(),
            tested: Vec::new(),
            full_run: false,
        }
    }

    /// The target interpreter's facts.
    ///
    /// # Errors
    ///
    /// A message if `preflight` has not found them (a step declared no need of it).
    pub fn interp(&self) -> Result<&Interpreter, String> {
        self.interp
            .as_ref()
            .ok_or_else(|| "the interpreter was not probed (preflight)".to_owned())
    }

    /// The folder cargo builds into: `CARGO_TARGET_DIR`, else `target/`.
    pub fn target_dir(&self) -> PathBuf {
        match std::env::var_os("CARGO_TARGET_DIR") {
            Some(dir) => self.root.join(dir),
            None => self.root.join("target"),
        }
    }
}

/// One step: its name, what it does, the steps it needs, and the code.
pub struct Step {
    /// The name on the command line and in the report.
    pub name: &'static str,
    /// One line for `cargo xtask test --list`.
    pub about: &'static str,
    /// The steps that must have passed for this one to run (each needs its own too).
    pub needs: &'static [&'static str],
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

/// Every step, in the order they run.
pub const STEPS: &[Step] = &[
    Step {
        name: "tools",
        about: "install what is missing (Debian packages, rustfmt, clippy, mdBook)",
        needs: &[],
        run: |_| tools::ensure(tools::Purpose::Test),
    },
    Step {
        name: "preflight",
        about: "probe the target interpreter ($PYTHON, else python3)",
        needs: &["tools"],
        run: interpreters::preflight,
    },
    Step {
        name: "errors",
        about: "the build's one-line error messages, each on a broken setup",
        needs: &["preflight"],
        run: build_errors::check_all,
    },
    Step {
        name: "format",
        about: "cargo fmt --all --check",
        needs: &["tools"],
        run: cargo_steps::format,
    },
    Step {
        name: "clippy",
        about: "cargo clippy --workspace --all-targets -- -D warnings",
        needs: &["preflight"],
        run: cargo_steps::clippy,
    },
    Step {
        name: "build",
        about: "cargo test --workspace --no-run: compile every test target",
        needs: &["preflight"],
        run: cargo_steps::build,
    },
    Step {
        name: "tests",
        about: "cargo test --workspace: every crate's tests and the book's samples",
        needs: &["build"],
        run: cargo_steps::tests,
    },
    Step {
        name: "tests-debug",
        about: "the crates' tests and samples on the debug interpreter ($PYTHON_DEBUG)",
        needs: &["build"],
        run: cargo_steps::tests_debug,
    },
    Step {
        name: "other-interpreters",
        about: "the bindings' oracle tests and CPython's tests of the ports on each other CPython 3.12 or 3.13 found",
        needs: &["build"],
        run: cargo_steps::other_interpreters,
    },
    Step {
        name: "pytest",
        about: "install the extension under each module name; pytest examples/python",
        needs: &["build"],
        run: extension::pytest,
    },
    Step {
        name: "cpython-tests",
        about: "CPython's tests of the ports, on the Rust modules; benchmark smoke run",
        needs: &["pytest"],
        run: extension::cpython_tests,
    },
    Step {
        name: "refleaks",
        about: "reference leaks, on the debug interpreter (--refleak=3:3, regrtest -R 3:3)",
        needs: &["build"],
        run: hunts::refleaks,
    },
    Step {
        name: "memcheck",
        about: "the modules' Python tests under valgrind's memcheck",
        needs: &["pytest"],
        run: hunts::memcheck,
    },
    Step {
        name: "fuzz",
        about: "everything each module exports, called with hostile arguments",
        needs: &["pytest"],
        run: hunts::fuzz,
    },
    Step {
        name: "callgrind",
        about: "instructions per call (callgrind): trampolines and ports against C, with bounds",
        needs: &["preflight"],
        run: callgrind::check,
    },
    Step {
        name: "messages",
        about: "each message the book quotes, reproduced, against checks/messages/",
        needs: &["pytest", "refleaks"],
        run: messages::check_all,
    },
    Step {
        name: "wheel",
        about: "pip install ./examples, then import every module from the wheel",
        needs: &["build"],
        run: extension::wheel,
    },
    Step {
        name: "py3.15",
        about: "the steps that run code, on Debian unstable's CPython 3.15 and 3.15d",
        needs: &["tools"],
        run: |ctx| matrix::on_sid(ctx, 15, matrix::STEPS),
    },
    Step {
        name: "py3.14",
        about: "build, tests, pytest and cpython-tests on Debian unstable's CPython 3.14",
        needs: &["tools"],
        run: |ctx| matrix::on_sid(ctx, 14, matrix::LIGHT_STEPS),
    },
    Step {
        name: "py3.13t",
        about: "the steps that run code, on a free-threaded CPython 3.13 built here",
        needs: &["tools"],
        run: matrix::free_threaded,
    },
    Step {
        name: "book",
        about: "mdbook build, with the link checker",
        needs: &["tools"],
        run: book::build,
    },
    Step {
        name: "fragments",
        about: "every #fragment link in the built book names an existing id",
        needs: &["book"],
        run: book::fragments,
    },
    Step {
        name: "browser",
        about: "every page in headless Chromium at 1280x900 and 390x844 (target/browser/)",
        needs: &["book"],
        run: browser::check,
    },
    Step {
        name: "dates",
        about: "every date-check marker in the book is at most six months old",
        needs: &["tools"],
        run: dates::check,
    },
    Step {
        name: "tested-on",
        about: "a run of every step writes the book's Tested on table (src/tested-on.md)",
        needs: &[],
        run: tested_on::write,
    },
];

/// The step called `name`.
pub fn step(name: &str) -> Option<&'static Step> {
    STEPS.iter().find(|step| step.name == name)
}

/// The steps' names, in order, for messages: `tools, preflight, ...`.
fn names() -> String {
    STEPS.iter().map(|step| step.name).collect::<Vec<_>>().join(", ")
}

/// The steps to run for `names`: each named step and every step it needs,
/// transitively, in the table's order; every step when `names` is empty.
///
/// # Errors
///
/// A message naming an unknown step and listing the known ones.
pub fn select(names: &[String]) -> Result<Vec<&'static Step>, String> {
    if names.is_empty() {
        return Ok(STEPS.iter().collect());
    }
    let mut wanted: Vec<&str> = Vec::new();
    let mut todo: Vec<&str> = names.iter().map(String::as_str).collect();
    while let Some(name) = todo.pop() {
        let step = step(name).ok_or_else(|| {
            format!("unknown step `{name}`; the steps are: {}", self::names())
        })?;
        if !wanted.contains(&step.name) {
            wanted.push(step.name);
            todo.extend_from_slice(step.needs);
        }
    }
    Ok(STEPS.iter().filter(|step| wanted.contains(&step.name)).collect())
}

/// [`select`], less the steps named in `skip`.
///
/// # Errors
///
/// A message naming an unknown step, or a skipped step that a selected one
/// needs.
pub fn select_skipping(
    names: &[String],
    skip: &[String],
) -> Result<Vec<&'static Step>, String> {
    for name in skip {
        step(name).ok_or_else(|| {
            format!("unknown step `{name}`; the steps are: {}", self::names())
        })?;
    }
    let steps: Vec<&'static Step> = select(names)?
        .into_iter()
        .filter(|step| !skip.iter().any(|name| name == step.name))
        .collect();
    for step in &steps {
        if let Some(need) =
            step.needs.iter().find(|need| skip.iter().any(|s| s == *need))
        {
            return Err(format!("cannot skip `{need}`: `{}` needs it", step.name));
        }
    }
    Ok(steps)
}

/// The text of `cargo xtask test --list`: one line per step.
pub fn list() -> String {
    let width = STEPS.iter().map(|step| step.name.len()).max().unwrap_or(0);
    let mut text =
        String::from("The steps of `cargo xtask test`, in the order they run:\n\n");
    for step in STEPS {
        let needs = if step.needs.is_empty() {
            String::new()
        } else {
            format!(" [needs {}]", step.needs.join(", "))
        };
        text.push_str(&format!("  {:width$}  {}{needs}\n", step.name, step.about));
    }
    text.push_str("\n`cargo xtask test STEP...` runs the named steps and, first, the steps they need.\n");
    text
}

/// Runs `steps` (from [`select`]) and prints the report.
///
/// # Errors
///
/// An empty message (the report has said it all) if any step did not pass.
pub fn run(root: &Path, steps: &[&'static Step]) -> Result<(), String> {
    let mut ctx = Ctx::new(root);
    ctx.full_run = steps.len() == STEPS.len()
        && std::env::var_os("XTASK_MATRIX_STEPS").is_none();
    let mut results: Vec<(&Step, Outcome, Duration)> = Vec::new();
    for (i, step) in steps.iter().enumerate() {
        let unmet = step.needs.iter().copied().find(|need| {
            !results.iter().any(|(done, outcome, _)| {
                done.name == *need && matches!(outcome, Outcome::Passed)
            })
        });
        if unmet.is_none() {
            println!("\nxtask: [{}/{}] {}", i + 1, steps.len(), step.name);
        }
        let start = Instant::now();
        let outcome = match unmet {
            Some(need) => Outcome::NotRun(need),
            None => match (step.run)(&mut ctx) {
                Ok(()) => {
                    ctx.passed.push(step.name);
                    Outcome::Passed
                }
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

/// The commands that re-run what did not pass: one per failed step, and
/// one for all the steps left out.
fn rerun_commands(results: &[(&Step, Outcome, Duration)]) -> Vec<String> {
    let mut commands: Vec<String> = results
        .iter()
        .filter(|(_, outcome, _)| matches!(outcome, Outcome::Failed(_)))
        .map(|(step, _, _)| format!("cargo xtask test {}", step.name))
        .collect();
    let not_run: Vec<&str> = results
        .iter()
        .filter(|(_, outcome, _)| matches!(outcome, Outcome::NotRun(_)))
        .map(|(step, _, _)| step.name)
        .collect();
    if !not_run.is_empty() {
        commands.push(format!(
            "cargo xtask test {}   (the steps not run)",
            not_run.join(" ")
        ));
    }
    commands
}

/// Prints every step's line again, the commands that re-run what failed,
/// then the closing count.
fn print_summary(results: &[(&Step, Outcome, Duration)]) -> Result<(), String> {
    println!("\nxtask: summary");
    for (step, outcome, elapsed) in results {
        println!("  {}", report_line(step.name, outcome, *elapsed));
    }
    let rerun = rerun_commands(results);
    if !rerun.is_empty() {
        println!("xtask: to re-run what failed (each with the steps it needs):");
        for command in rerun {
            println!("  {command}");
        }
    }
    let passed = results
        .iter()
        .filter(|(_, outcome, _)| matches!(outcome, Outcome::Passed))
        .count();
    let failed = results.len() - passed;
    println!("xtask: {passed} passed, {failed} failed");
    if failed == 0 { Ok(()) } else { Err(String::new()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_of(steps: &[&Step]) -> Vec<&'static str> {
        steps.iter().map(|step| step.name).collect()
    }

    fn strings(names: &[&str]) -> Vec<String> {
        names.iter().map(|&name| name.to_owned()).collect()
    }

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
    fn names_are_unique_short_and_typeable() {
        for (i, step) in STEPS.iter().enumerate() {
            assert!(
                !STEPS[..i].iter().any(|earlier| earlier.name == step.name),
                "{} twice",
                step.name
            );
            assert!(
                step.name.len() <= 18
                    && step.name.chars().all(|c| {
                        c.is_ascii_lowercase()
                            || c.is_ascii_digit()
                            || c == '-'
                            || c == '.'
                    }),
                "`{}` is not a short lowercase name",
                step.name
            );
            assert!(
                !step.about.is_empty() && !step.about.contains('\n'),
                "{}: one line",
                step.name
            );
        }
    }

    #[test]
    fn no_names_select_every_step() {
        assert_eq!(select(&[]).map(|s| s.len()), Ok(STEPS.len()));
    }

    #[test]
    fn a_step_brings_the_steps_it_needs_transitively_in_order() {
        let steps = select(&strings(&["fuzz", "format"])).expect("known steps");
        assert_eq!(
            names_of(&steps),
            ["tools", "preflight", "format", "build", "pytest", "fuzz"]
        );
        let steps = select(&strings(&["messages"])).expect("known steps");
        assert_eq!(
            names_of(&steps),
            ["tools", "preflight", "build", "pytest", "refleaks", "messages"]
        );
        let steps = select(&strings(&["tools", "tools"])).expect("known steps");
        assert_eq!(names_of(&steps), ["tools"]);
    }

    #[test]
    fn the_build_runs_after_clippy_and_before_every_test_run() {
        let at =
            |name| STEPS.iter().position(|step| step.name == name).expect("a step");
        assert_eq!(at("build"), at("clippy") + 1);
        for name in ["tests", "tests-debug", "pytest", "refleaks", "wheel"] {
            assert!(
                step(name).is_some_and(|step| step.needs.contains(&"build")),
                "{name} needs build"
            );
        }
    }

    #[test]
    fn an_unknown_step_is_refused_with_the_list() {
        let error = select(&strings(&["pytest", "tset"])).err().expect("refused");
        assert!(
            error.starts_with(
                "unknown step `tset`; the steps are: tools, preflight, "
            ),
            "{error}"
        );
        assert!(
            error.ends_with(", book, fragments, browser, dates, tested-on"),
            "{error}"
        );
    }

    #[test]
    fn the_list_has_one_line_per_step() {
        let list = list();
        for step in STEPS {
            assert_eq!(
                list.lines()
                    .filter(|l| l
                        .trim_start()
                        .starts_with(&format!("{} ", step.name)))
                    .count(),
                1
            );
        }
        assert!(list.contains("  fuzz                "), "{list}");
    }

    #[test]
    fn report_lines_say_why_a_step_failed() {
        let line = report_line(
            "clippy",
            &Outcome::Failed("2 warnings".into()),
            Duration::from_millis(1500),
        );
        assert_eq!(line, "FAILED      1.5 s  clippy: 2 warnings");
        let line =
            report_line("wheel", &Outcome::NotRun("preflight"), Duration::ZERO);
        assert!(
            line.ends_with("wheel: not run (preflight did not pass)"),
            "{line}"
        );
    }

    #[test]
    fn the_summary_says_how_to_re_run_each_failure() {
        let [tools, clippy, book, fragments] =
            ["tools", "clippy", "book", "fragments"]
                .map(|name| step(name).expect("a step"));
        let results = [
            (tools, Outcome::Passed, Duration::ZERO),
            (clippy, Outcome::Failed("1 warning".into()), Duration::ZERO),
            (book, Outcome::Failed("a broken link".into()), Duration::ZERO),
            (fragments, Outcome::NotRun("book"), Duration::ZERO),
        ];
        assert_eq!(
            rerun_commands(&results),
            [
                "cargo xtask test clippy",
                "cargo xtask test book",
                "cargo xtask test fragments   (the steps not run)"
            ]
        );
        assert!(rerun_commands(&results[..1]).is_empty());
    }
}
