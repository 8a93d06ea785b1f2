//! `spam`, the first module of CPython's "Extending and Embedding" tutorial,
//! in Rust: `spam.system(command)` runs a shell command and returns its exit
//! status, and raises `spam.SpamError` if the command could not be run.

// ANCHOR: all
use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use tutorial::prelude::*;

/// What each `spam` module object keeps: its exception class.
pub struct SpamState {
    /// `spam.SpamError`.
    error: Py<PyType>,
}

impl ModuleState for SpamState {
    fn traverse(
        &self,
        visit: &mut Visit<'_>,
    ) -> Result<(), tutorial::module::TraverseError> {
        visit.call(&self.error)
    }
}

/// Runs when the module is imported: creates `SpamError`, adds it to the
/// module, and keeps it in the module's state.
fn exec(module: &Bound<'_, PyModule>) -> PyResult<SpamState> {
    let error = PyType::new_exception(module.py(), "spam.SpamError", None)?;
    module.add("SpamError", &error)?;
    Ok(SpamState { error: error.unbind() })
}

// ANCHOR: system
/// `spam.system(command, /)`: runs `command` with `/bin/sh -c` and returns
/// its wait status, as C's `system()` does (the exit code times 256).
fn system(
    module: &Bound<'_, PyModule>,
    command: &Bound<'_, PyAny>,
) -> PyResult<i64> {
    let py = module.py();
    // The `str` converter of Argument Clinic: a str without NUL characters.
    if !command.is_instance_of::<PyStr>() {
        return Err(bad_argument(command));
    }
    let command = command.downcast::<PyStr>()?.to_str_no_nul()?;
    // Let other threads run Python code while the command runs (the C
    // version's Py_BEGIN_ALLOW_THREADS). The closure gets a &str, which is
    // Send; it could not capture a Python object.
    let status =
        py.detach(|| Command::new("/bin/sh").arg("-c").arg(command).status());
    match status {
        Ok(status) => Ok(i64::from(status.into_raw())),
        Err(_) => {
            let state = tutorial::module::state::<SpamState>(module)?;
            Err(tutorial::module::raise(&state.error, py, "System command failed"))
        }
    }
}
// ANCHOR_END: system

/// CPython's message for an argument of the wrong type, as Argument Clinic
/// generates it: `system() argument must be str, not int`.
fn bad_argument(arg: &Bound<'_, PyAny>) -> PyErr {
    // `tp_name`, as Argument Clinic's `_PyArg_BadArgument` prints it: it
    // cannot fail, so no error is made and dropped on the way.
    let got = arg.tp_name();
    exceptions::TypeError::new_err(
        arg.py(),
        &format!("system() argument must be str, not {got}"),
    )
}

tutorial::module! {
    name: spam,
    doc: "The example module of CPython's extending tutorial, in Rust.",
    state: SpamState,
    exec: exec,
    methods: [
        tutorial::meth_o!(
            system(command),
            "Execute a shell command and return its wait status."
        ),
    ],
}
// ANCHOR_END: all

#[cfg(test)]
mod tests {
    use tutorial_embed::doctest;

    #[test]
    fn system_returns_the_wait_status_and_checks_its_argument() {
        doctest(
            &[("spam", super::spam::init)],
            r#"
>>> import spam
>>> spam.system("exit 0"), spam.system("exit 3")
(0, 768)
>>> spam.system(42)
Traceback (most recent call last):
  ...
TypeError: system() argument must be str, not int
>>> spam.system("echo\0")
Traceback (most recent call last):
  ...
ValueError: embedded null character
>>> issubclass(spam.SpamError, Exception), spam.SpamError.__module__
(True, 'spam')
>>> import inspect; str(inspect.signature(spam.system))
'(command, /)'
"#,
        )
        .unwrap_or_else(|report| panic!("{report}"));
    }
}
