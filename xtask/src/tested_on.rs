//! The book's "Tested on" table, written by a full run of `cargo xtask test`
//! from what that run did: each interpreter it ran code on, its build, and
//! the steps that passed there. The table is never typed: the `tested-on`
//! step rewrites it between two markers in `src/tested-on.md`.

use std::path::Path;
use std::process::Command;

use crate::process;
use crate::runner::Ctx;

/// The page the table is on.
pub const PAGE: &str = "src/tested-on.md";

/// The markers the table goes between.
const BEGIN: &str = "<!-- tested-on: begin (written by `cargo xtask test`) -->";
/// See [`BEGIN`].
const END: &str = "<!-- tested-on: end -->";

/// One row: an interpreter and what ran on it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// Where it runs: `host`, or the Debian-unstable root.
    pub place: String,
    /// `sys.version`'s first word (`3.15.2`).
    pub version: String,
    /// The build: `release`, `debug (Py_DEBUG)`, `free-threaded`.
    pub build: String,
    /// The steps that passed with it as their interpreter.
    pub steps: Vec<&'static str>,
}

/// `sys.version`'s first word and the build, as `python` reports them.
///
/// # Errors
///
/// A message if the interpreter does not run.
pub fn describe(python: &mut Command) -> Result<(String, String), String> {
    let out = process::output(python.args([
        "-c",
        "import sys, sysconfig; print(sys.version.split()[0]); \
         print('free-threaded' if sysconfig.get_config_var('Py_GIL_DISABLED') \
         else 'debug (Py_DEBUG)' if hasattr(sys, 'gettotalrefcount') else 'release')",
    ]))?;
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut lines = text.lines();
    match (lines.next(), lines.next()) {
        (Some(version), Some(build)) if out.status.success() => {
            Ok((version.to_owned(), build.to_owned()))
        }
        _ => Err(format!(
            "cannot ask {} for its version: {}",
            process::short(python),
            String::from_utf8_lossy(&out.stderr).trim()
        )),
    }
}

/// The table's Markdown, for `rows`, dated `date` (`2026-12-01`), of the
/// commit `commit`.
pub fn render(rows: &[Row], date: &str, commit: &str, machine: &str) -> String {
    let mut text = format!(
        "{BEGIN}\n\nLast full run: {date}, commit {commit}, on {machine}.\n\n\
         | CPython | build | where | steps passed |\n| --- | --- | --- | --- |\n"
    );
    for row in rows {
        let steps: Vec<String> =
            row.steps.iter().map(|s| format!("`{s}`")).collect();
        text.push_str(&format!(
            "| {} | {} | {} | {} |\n",
            row.version,
            row.build,
            row.place,
            steps.join(", ")
        ));
    }
    text.push('\n');
    text.push_str(END);
    text
}

/// `page` with the text between the markers replaced by `table` (which
/// carries the markers itself).
///
/// # Errors
///
/// A message if the page lacks a marker.
pub fn replace_table(page: &str, table: &str) -> Result<String, String> {
    let start =
        page.find(BEGIN).ok_or_else(|| format!("{PAGE} has no `{BEGIN}`"))?;
    let end = page[start..]
        .find(END)
        .map(|i| start + i + END.len())
        .ok_or_else(|| format!("{PAGE} has no `{END}` after the begin marker"))?;
    Ok(format!("{}{table}{}", &page[..start], &page[end..]))
}

/// The `tested-on` step: writes the rows the run collected into the page.
/// Only a run of every step does (a partial run would leave rows out).
///
/// # Errors
///
/// A message if the page cannot be read or written.
pub fn write(ctx: &mut Ctx) -> Result<(), String> {
    if !ctx.full_run {
        println!("not a run of every step: {PAGE} left as it is");
        return Ok(());
    }
    let mut rows = host_rows(ctx)?;
    rows.extend(ctx.tested.iter().cloned());
    let path = ctx.root.join(PAGE);
    let page = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let table = render(&rows, &today()?, &commit(&ctx.root), &machine());
    let new = replace_table(&page, &table)?;
    if new != page {
        std::fs::write(&path, new)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    }
    println!("{PAGE}: {} interpreters", rows.len());
    Ok(())
}

/// The steps that run on the host's target interpreter.
const TARGET_STEPS: &[&str] =
    &["tests", "pytest", "cpython-tests", "memcheck", "fuzz", "messages", "wheel"];

/// The steps that run on the host's debug interpreter.
const DEBUG_STEPS: &[&str] = &["tests-debug", "refleaks"];

/// The rows of the host's target and debug interpreters, from the steps
/// that passed.
fn host_rows(ctx: &Ctx) -> Result<Vec<Row>, String> {
    let mut rows = Vec::new();
    let interpreters = [
        (ctx.python.clone(), TARGET_STEPS),
        (crate::interpreters::debug_python(), DEBUG_STEPS),
    ];
    for (python, steps) in interpreters {
        let passed: Vec<&'static str> =
            ctx.passed.iter().copied().filter(|s| steps.contains(s)).collect();
        if passed.is_empty() {
            continue;
        }
        let (version, build) = describe(&mut Command::new(&python))?;
        rows.push(Row { place: "host".to_owned(), version, build, steps: passed });
    }
    Ok(rows)
}

/// What a recorded table says, for the book's "Tested on" box.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// Each row's interpreter, as `3.11.7 (release)`.
    pub interpreters: Vec<String>,
    /// The run's date and commit, as `2026-12-01, commit abc1234`.
    pub when: String,
}

/// The run the table on `page` records, or `None` if none is recorded yet
/// (the page says so, or has no table between its markers).
pub fn recorded(page: &str) -> Option<Recorded> {
    let start = page.find(BEGIN)? + BEGIN.len();
    let table = &page[start..start + page[start..].find(END)?];
    let when = table
        .lines()
        .find_map(|l| l.strip_prefix("Last full run: "))?
        .split(", on ")
        .next()?
        .trim_end_matches('.')
        .to_owned();
    let interpreters: Vec<String> = table
        .lines()
        .filter_map(|l| {
            let cells: Vec<&str> =
                l.trim().trim_matches('|').split('|').map(str::trim).collect();
            let version = cells.first()?;
            (cells.len() >= 3 && version.starts_with(|c: char| c.is_ascii_digit()))
                .then(|| format!("{version} ({})", cells[1]))
        })
        .collect();
    (!interpreters.is_empty()).then_some(Recorded { interpreters, when })
}

/// The abbreviated hash of the commit checked out in `root`, or `unknown`.
fn commit(root: &Path) -> String {
    Command::new("git")
        .args(["rev-parse", "--short", "HEAD"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map_or_else(
            || "unknown".to_owned(),
            |out| String::from_utf8_lossy(&out.stdout).trim().to_owned(),
        )
}

/// Today's date, `YYYY-MM-DD` (UTC), from `date`.
fn today() -> Result<String, String> {
    let out = process::output(Command::new("date").args(["-u", "+%Y-%m-%d"]))?;
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

/// What the machine is: its core count and the host's OS, as
/// `/etc/os-release` names it.
fn machine() -> String {
    let cores = std::thread::available_parallelism().map_or(0, usize::from);
    let os = std::fs::read_to_string(Path::new("/etc/os-release"))
        .ok()
        .and_then(|text| {
            text.lines()
                .find_map(|l| l.strip_prefix("PRETTY_NAME="))
                .map(|name| name.trim_matches('"').to_owned())
        })
        .unwrap_or_else(|| "an unknown OS".to_owned());
    format!("{os}, x86-64, {cores} cores")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(version: &str) -> Row {
        Row {
            place: "host".to_owned(),
            version: version.to_owned(),
            build: "release".to_owned(),
            steps: vec!["tests", "pytest"],
        }
    }

    #[test]
    fn the_table_has_a_line_per_interpreter_between_the_markers() {
        let table = render(
            &[row("3.11.7"), row("3.15.2")],
            "2026-12-01",
            "abc1234",
            "a box",
        );
        assert!(table.starts_with(BEGIN) && table.ends_with(END), "{table}");
        assert!(
            table.contains("| 3.11.7 | release | host | `tests`, `pytest` |\n")
        );
        assert!(table.contains("| 3.15.2 |"));
        assert!(
            table.contains("Last full run: 2026-12-01, commit abc1234, on a box.")
        );
    }

    #[test]
    fn a_recorded_run_is_read_back_and_an_empty_table_is_none() {
        let table =
            render(&[row("3.11.7"), row("3.15.2")], "2026-12-01", "abc1234", "m");
        let run = recorded(&table).expect("a run");
        assert_eq!(run.interpreters, ["3.11.7 (release)", "3.15.2 (release)"]);
        assert_eq!(run.when, "2026-12-01, commit abc1234");
        let empty = format!(
            "{BEGIN}\n\nNo run of every step has written this table.\n\n{END}"
        );
        assert_eq!(recorded(&empty), None);
    }

    #[test]
    fn only_the_table_is_replaced() {
        let page =
            format!("# Tested on\n\nBefore.\n\n{BEGIN}\nold\n{END}\n\nAfter.\n");
        let new = replace_table(&page, &render(&[row("3.15.2")], "d", "c", "m"))
            .expect("markers");
        assert!(new.starts_with("# Tested on\n\nBefore.\n\n"));
        assert!(new.ends_with("\n\nAfter.\n"));
        assert!(!new.contains("old"));
        assert!(replace_table("no markers", "x").is_err());
    }
}
