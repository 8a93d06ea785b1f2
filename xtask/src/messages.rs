//! The messages the book quotes (`checks/messages/*.txt`), each reproduced
//! and compared with the file the chapter includes, and the one matcher
//! that compares them: `...` in a quoted line stands for any text.
//!
//! `checks/test_messages.py` reproduces most of them (imports of misbuilt
//! extensions, the planted bugs, gdb sessions); the Rust test
//! `tutorial/tests/wrong_libpython.rs` produces the wrong-libpython message
//! of an embedding program, and the refleak hunt the proof of CPython's
//! tests (`cpython_tests_proof`).

use std::path::Path;

use crate::cargo_steps::with_libpython;
use crate::extension::CHECKS;
use crate::hunts::{self, debug_build, release_build};
use crate::process::{self, TempDir, run_captured};
use crate::runner::Ctx;

/// The variable naming the file that `tutorial/tests/wrong_libpython.rs`
/// writes the child's standard error to, when it found a second libpython.
const WRONG_LIBPYTHON_OUT: &str = "WRONG_LIBPYTHON_MESSAGE";

/// Whether `actual` holds every non-blank line of `expected` in order, where
/// `...` in an expected line matches any text: how the book's quoted output
/// (`checks/messages/*.txt`) is compared with a real run.
pub fn matches(expected: &str, actual: &str) -> bool {
    let mut lines = actual.lines();
    expected
        .lines()
        .filter(|l| !l.trim().is_empty())
        .all(|want| lines.by_ref().any(|got| line_matches(want, got)))
}

/// One line against one pattern line (see [`matches`]).
fn line_matches(pattern: &str, line: &str) -> bool {
    let mut pieces = pattern.split("...");
    let Some(mut rest) = line.strip_prefix(pieces.next().unwrap_or("")) else {
        return false;
    };
    let pieces: Vec<&str> = pieces.collect();
    for (i, piece) in pieces.iter().enumerate() {
        if i + 1 == pieces.len() {
            return rest.ends_with(piece);
        }
        match rest.find(piece) {
            Some(at) => rest = &rest[at + piece.len()..],
            None => return false,
        }
    }
    rest.is_empty()
}

/// Checks `text` against the book's copy in `checks/messages/{name}.txt`.
///
/// # Errors
///
/// A message naming the file if `text` no longer matches it.
pub fn check(root: &Path, name: &str, text: &str) -> Result<(), String> {
    let path = root.join(CHECKS).join("messages").join(format!("{name}.txt"));
    let expected = std::fs::read_to_string(&path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    if matches(&expected, text) {
        Ok(())
    } else {
        Err(format!(
            "the output no longer matches the book's {} (update it with the new output)",
            path.display()
        ))
    }
}

/// The `messages` step: `checks/test_messages.py`, then the wrong-libpython message.
///
/// # Errors
///
/// A message if a message changed or could not be reproduced.
pub fn check_all(ctx: &mut Ctx) -> Result<(), String> {
    let debug = debug_build(ctx)?;
    let release = release_build(ctx)?;
    let checks = ctx.root.join(CHECKS);
    let mut cmd = hunts::harness(ctx, &release.python, &[&checks])?;
    cmd.args(["-m", "pytest", "-q", "-p", "no:cacheprovider", "-rs"])
        .arg(checks.join("test_messages.py"))
        .env("CHECKS_MODULES", &release.modules)
        .env("CHECKS_PLANTED", &release.planted)
        .env("CHECKS_DBG_MODULES", &debug.modules)
        .env("CHECKS_DBG_PLANTED", &debug.planted)
        .env("CHECKS_DBG_PYTHON", &debug.python);
    let (text, code) = run_captured(&mut cmd)?;
    let quoted = if code != Some(0) {
        Err("a message the book quotes changed (see the pytest report above)"
            .to_owned())
    } else if text.contains(" skipped") {
        Err("a message test was skipped (a tool is missing?)".to_owned())
    } else {
        Ok(())
    };
    // Both halves run, so that one report shows every changed message.
    match (quoted, wrong_libpython(ctx)) {
        (Ok(()), Ok(())) => Ok(()),
        (Err(problem), Ok(())) | (Ok(()), Err(problem)) => Err(problem),
        (Err(first), Err(second)) => Err(format!("{first}; {second}")),
    }
}

/// The wrong-libpython message: the Rust test runs itself with another
/// interpreter's libpython of the same soname first on `LD_LIBRARY_PATH`
/// and writes what the child printed to the file [`WRONG_LIBPYTHON_OUT`]
/// names; this compares it with `checks/messages/wrong_libpython.txt`.
/// A machine with one libpython cannot show the message: the step says so.
fn wrong_libpython(ctx: &Ctx) -> Result<(), String> {
    println!("\nthe wrong-libpython message of a program that embeds Python");
    let libdir = ctx.interp()?.libdir.clone();
    let out = TempDir::new("wrong-libpython")?;
    let file = out.path().join("stderr.txt");
    let mut cmd = process::cargo();
    // `--workspace`, as in the `build` step, so that nothing is built again.
    cmd.args(["test", "--workspace", "--test", "wrong_libpython"])
        .env(WRONG_LIBPYTHON_OUT, &file)
        .current_dir(&ctx.root);
    process::run(with_libpython(&mut cmd, &libdir)?)?;
    match std::fs::read_to_string(&file) {
        Ok(text) => {
            print!("{text}");
            check(&ctx.root, "wrong_libpython", &text)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            println!(
                "note: the test wrote no message to ${WRONG_LIBPYTHON_OUT} (it does only where a second \
                 libpython with the target's soname is installed): wrong_libpython.txt was not compared"
            );
            Ok(())
        }
        Err(e) => Err(format!("cannot read {}: {e}", file.display())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_output_matches_with_dots_standing_for_any_text() {
        assert!(matches("a ... c\n\nz\n", "a b c\nx\nz\n"));
        assert!(matches("...\n", "anything\n"));
        assert!(matches("a ...\n...z\n", "a b\ny z\n"));
        assert!(!matches("a ... c\n", "a b d\n"));
        assert!(!matches("b\na\n", "a\nb\n"));
    }

    #[test]
    fn the_book_quotes_the_wrong_libpython_message_with_its_paths_left_out() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask is in the repository");
        let printed = "wrong libpython: this program loaded /usr/lib/x86_64-linux-gnu/libpython3.11.so.1.0, \
            but the bindings were generated for /opt/py/bin/python3.11 (libpython in /opt/py/lib); \
            link with -Wl,-rpath,/opt/py/lib or run with LD_LIBRARY_PATH=/opt/py/lib\n";
        assert_eq!(check(root, "wrong_libpython", printed), Ok(()));
        assert!(
            check(root, "wrong_libpython", "wrong libpython: something else\n")
                .is_err()
        );
    }
}
