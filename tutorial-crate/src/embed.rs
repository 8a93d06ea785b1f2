//! Running Python inside a Rust program, with extension modules built in.
//!
//! The book's samples and this crate's tests use this to run real Python
//! against a module: [`doctest`] runs a Python session (`>>>` lines and the
//! output expected) and fails if any output differs.
//!
//! The interpreter is the one the bindings were generated for
//! ([`ffi::build_info`]). Before starting it, [`attach`] checks that the
//! process loaded *that* interpreter's `libpython`: two libraries with the
//! same soname (say, pyenv's and the system's `libpython3.11.so.1.0`) are
//! interchangeable to the dynamic loader, and a binary without the right
//! rpath silently runs the wrong one.

use crate::ffi;
use crate::python::Python;
use std::ffi::{CStr, CString};
use std::path::Path;
use std::sync::Mutex;

/// A module's `PyInit_<name>` function.
pub type InitFn = extern "C" fn() -> *mut ffi::PyObject;

/// The modules registered so far (name, init), once the interpreter runs.
static STARTED: Mutex<Option<Vec<String>>> = Mutex::new(None);

/// Runs `f` on an attached thread, starting the interpreter on first use
/// with `modules` importable as built-in modules.
///
/// The first call registers the modules with `PyImport_AppendInittab`, as
/// an application embedding Python does. A later call (another test in the
/// same process) adds the modules it names that are not known yet, by the
/// same steps the import system takes for a built-in module: create it from
/// its definition and spec, execute it, put it in `sys.modules`.
///
/// # Panics
///
/// If the process loaded another interpreter's `libpython`, or the
/// interpreter fails to start: both are set-up errors, with a message that
/// says what to fix.
pub fn attach<R>(modules: &[(&str, InitFn)], f: impl for<'py> FnOnce(Python<'py>) -> R) -> R {
    let mut started = STARTED.lock().unwrap_or_else(|e| e.into_inner());
    let late: Vec<(&str, InitFn)> = match started.as_mut() {
        None => {
            start(modules);
            *started = Some(modules.iter().map(|(n, _)| n.to_string()).collect());
            Vec::new()
        }
        Some(known) => {
            let late: Vec<_> = modules.iter().copied().filter(|(n, _)| !known.iter().any(|k| k == n)).collect();
            known.extend(late.iter().map(|(n, _)| n.to_string()));
            late
        }
    };
    // SAFETY: the interpreter is initialised; Ensure attaches this thread
    // and Release below detaches it again, around a token that does not
    // escape `f` (it is bound to the closure's higher-ranked lifetime).
    let gil = unsafe { ffi::PyGILState_Ensure() };
    // SAFETY: attached just now.
    let py = unsafe { Python::assume_attached() };
    for (name, init) in late {
        if let Err(msg) = add_module(py, name, init) {
            // SAFETY: pairs with the Ensure above.
            unsafe { ffi::PyGILState_Release(gil) };
            panic!("cannot add module {name}: {msg}");
        }
    }
    drop(started);
    let result = f(py);
    // SAFETY: pairs with the Ensure above; no handle outlives `f`.
    unsafe { ffi::PyGILState_Release(gil) };
    result
}

/// Checks the loaded libpython, registers the modules, starts the
/// interpreter and detaches the main thread from it.
fn start(modules: &[(&str, InitFn)]) {
    if let Err(msg) = check_libpython() {
        panic!("{msg}");
    }
    for (name, init) in modules {
        // The inittab keeps the pointer: the name must live for ever.
        let name: &'static CStr = Box::leak(CString::new(*name).expect("module name").into_boxed_c_str());
        // SAFETY: before Py_Initialize, as required; `name` is static.
        let status = unsafe { ffi::PyImport_AppendInittab(name.as_ptr(), Some(*init)) };
        assert_eq!(status, 0, "PyImport_AppendInittab failed");
    }
    let executable = CString::new(ffi::build_info::EXECUTABLE).expect("path");
    // SAFETY: the PyConfig API used as documented: Init, set a field, use,
    // Clear; the status of each step is checked.
    unsafe {
        let mut config = std::mem::MaybeUninit::<ffi::PyConfig>::uninit();
        ffi::PyConfig_InitPythonConfig(config.as_mut_ptr());
        let config = config.assume_init_mut();
        // sys.executable and the prefix come from the target interpreter,
        // not from wherever this test binary happens to be.
        let status = ffi::PyConfig_SetBytesString(config, &mut config.program_name, executable.as_ptr());
        check_status(status, "PyConfig_SetBytesString");
        config.install_signal_handlers = 0;
        let status = ffi::Py_InitializeFromConfig(config);
        ffi::PyConfig_Clear(config);
        check_status(status, "Py_InitializeFromConfig");
        // Detach the main thread; every attach() uses PyGILState_Ensure.
        ffi::PyEval_SaveThread();
    }
}

/// Panics with the message of a failed `PyStatus`.
///
/// # Safety
///
/// `status` must come from a PyConfig API call.
unsafe fn check_status(status: ffi::PyStatus, what: &str) {
    // SAFETY: the caller's contract.
    if unsafe { ffi::PyStatus_Exception(status) } != 0 {
        let msg = if status.err_msg.is_null() {
            "unknown error".into()
        } else {
            // SAFETY: a static C string set by CPython.
            unsafe { CStr::from_ptr(status.err_msg) }.to_string_lossy()
        };
        panic!("{what} failed: {msg}");
    }
}

/// Checks that the `libpython` this process loaded is the target
/// interpreter's (see the module documentation).
///
/// # Errors
///
/// A message naming both libraries and the fix.
pub fn check_libpython() -> Result<(), String> {
    let Ok(maps) = std::fs::read_to_string("/proc/self/maps") else {
        return Ok(()); // Not Linux: nothing to check this way.
    };
    let want = format!("lib{}.so", ffi::build_info::LIBNAME);
    let Some(loaded) = maps
        .lines()
        .filter_map(|l| l.split_whitespace().nth(5))
        .find(|p| Path::new(p).file_name().is_some_and(|f| f.to_string_lossy().starts_with(&want)))
    else {
        return Ok(()); // Statically linked: the interpreter is this binary.
    };
    let dir = Path::new(loaded).parent().and_then(|d| d.canonicalize().ok());
    let expected = Path::new(ffi::build_info::LIBDIR).canonicalize().ok();
    if dir.is_some() && dir == expected {
        Ok(())
    } else {
        Err(format!(
            "wrong libpython: this program loaded {loaded}, but the bindings were generated for {} \
             (libpython in {}); link with -Wl,-rpath,{} or run with LD_LIBRARY_PATH={}",
            ffi::build_info::EXECUTABLE,
            ffi::build_info::LIBDIR,
            ffi::build_info::LIBDIR,
            ffi::build_info::LIBDIR,
        ))
    }
}

/// Creates, executes and registers a multi-phase module after start-up.
fn add_module(py: Python<'_>, name: &str, init: InitFn) -> Result<(), String> {
    let code = format!(
        "import importlib.machinery as m, sys\nspec = m.ModuleSpec({name:?}, None, origin='built-in')\n"
    );
    let globals = run_code(py, &code)?;
    let spec = match globals.get_item("spec") {
        Ok(Some(spec)) => spec,
        Ok(None) => return Err("no spec".to_owned()),
        Err(e) => return Err(format_exception(py, e)),
    };
    let def = init();
    // SAFETY: attached; `def` is what PyInit_* returned under multi-phase
    // init (a PyModuleDef, as PyModuleDef_Init returns it); the spec is
    // live. FromDefAndSpec2 returns a new reference or NULL.
    let module = unsafe {
        crate::Bound::<crate::types::PyAny>::from_owned_ptr_or_err(
            py,
            ffi::PyModule_FromDefAndSpec2(def.cast(), spec.as_ptr(), ffi::PYTHON_API_VERSION as i32),
        )
    }
    .map_err(|e| format_exception(py, e))?;
    // SAFETY: attached; the module was made from `def` just now.
    if unsafe { ffi::PyModule_ExecDef(module.as_ptr(), def.cast()) } != 0 {
        return Err(format_exception(py, crate::PyErr::already_set(py)));
    }
    let sys = py.import("sys").map_err(|e| format_exception(py, e))?;
    let modules = sys.getattr("modules").map_err(|e| format_exception(py, e))?;
    let setitem = modules.getattr("__setitem__").map_err(|e| format_exception(py, e))?;
    setitem
        .call(&[&crate::types::PyStr::new(py, name).map_err(|e| format_exception(py, e))?.into_any(), &module])
        .map_err(|e| format_exception(py, e))?;
    Ok(())
}

/// Runs `code` in a fresh namespace and returns the namespace.
fn run_code<'py>(py: Python<'py>, code: &str) -> Result<crate::Bound<'py, crate::types::PyDict>, String> {
    let code = CString::new(code).map_err(|_| "code with a NUL character".to_owned())?;
    let globals = crate::types::PyDict::new(py).map_err(|e| format_exception(py, e))?;
    let builtins = py.import("builtins").map_err(|e| format_exception(py, e))?;
    globals.set_item("__builtins__", builtins.as_any()).map_err(|e| format_exception(py, e))?;
    // SAFETY: attached; `code` is NUL-terminated; globals is a dict used as
    // both namespaces; the result is a new reference or NULL.
    let result = unsafe {
        crate::Bound::<crate::types::PyAny>::from_owned_ptr_or_err(
            py,
            ffi::PyRun_StringFlags(code.as_ptr(), ffi::Py_file_input as i32, globals.as_ptr(), globals.as_ptr(), core::ptr::null_mut()),
        )
    };
    result.map_err(|e| format_exception(py, e))?;
    Ok(globals)
}

/// The exception of `err`, formatted as Python prints it (with traceback).
pub fn format_exception(py: Python<'_>, err: crate::PyErr) -> String {
    let exc = err.take(py);
    let formatted = py
        .import("traceback")
        .and_then(|tb| tb.getattr("format_exception"))
        .and_then(|f| f.call(&[&exc]))
        .and_then(|lines| crate::types::PyStr::new(py, "")?.getattr("join")?.call(&[&lines]))
        .and_then(|s| s.extract::<String>());
    match formatted {
        Ok(s) => s,
        Err(e) => {
            let _ = e.take(py);
            "(an exception that could not be formatted)".to_owned()
        }
    }
}

/// Runs Python `code` (statements) with `modules` importable.
///
/// # Errors
///
/// The exception the code raised, formatted with its traceback.
pub fn run(modules: &[(&str, InitFn)], code: &str) -> Result<(), String> {
    attach(modules, |py| run_code(py, code).map(drop))
}

/// Runs a Python session given as doctest text (`>>> ` lines followed by
/// the output they print) with `modules` importable, and compares every
/// output, exceptions included, as the `doctest` module does.
///
/// # Errors
///
/// The doctest report of every example whose output differed, or an error
/// if the text holds no example at all (a test that runs nothing must not
/// pass).
pub fn doctest(modules: &[(&str, InitFn)], session: &str) -> Result<(), String> {
    const RUNNER: &str = r#"
import doctest
def run_session(text):
    test = doctest.DocTestParser().get_doctest(text, {"__name__": "__main__"}, "session", None, 0)
    out = []
    runner = doctest.DocTestRunner(verbose=False, optionflags=doctest.ELLIPSIS)
    runner.run(test, out=out.append, clear_globs=True)
    return runner.tries, runner.failures, "".join(out)
"#;
    attach(modules, |py| {
        let ns = run_code(py, RUNNER)?;
        let result = (|| {
            let run = ns.get_item("run_session")?.ok_or_else(|| crate::exceptions::KeyError::new_err(py, "run_session"))?;
            let r = run.call(&[&crate::types::PyStr::new(py, session)?.into_any()])?;
            let r = r.downcast::<crate::types::PyTuple>()?;
            let get = |i| r.get(i).map(|o| o.to_owned()).ok_or_else(|| crate::exceptions::IndexError::new_err(py, "result"));
            Ok((get(0)?.extract::<i64>()?, get(1)?.extract::<i64>()?, get(2)?.extract::<String>()?))
        })();
        let (tries, failures, report) = result.map_err(|e| format_exception(py, e))?;
        if tries == 0 {
            Err("the session has no `>>> ` example: nothing was tested".to_owned())
        } else if failures > 0 {
            Err(format!("{failures} of {tries} examples failed:\n{report}"))
        } else {
            Ok(())
        }
    })
}

#[cfg(test)]
mod tests {
    use super::doctest;

    #[test]
    fn a_session_whose_output_differs_fails() {
        let report = doctest(&[], ">>> 1 + 1\n3\n").expect_err("1 + 1 is not 3");
        assert!(report.contains("1 of 1 examples failed"), "{report}");
        assert!(report.contains("Expected:\n    3\nGot:\n    2"), "{report}");
    }

    #[test]
    fn a_session_with_no_example_fails() {
        let report = doctest(&[], "no prompt here\n").expect_err("nothing to run");
        assert!(report.contains("nothing was tested"), "{report}");
    }

    #[test]
    fn an_unexpected_exception_fails_and_an_expected_one_passes() {
        assert!(doctest(&[], ">>> int('x')\n").is_err());
        doctest(
            &[],
            ">>> int('x')\nTraceback (most recent call last):\n  ...\nValueError: invalid literal for int() with base 10: 'x'\n",
        )
        .unwrap_or_else(|r| panic!("{r}"));
    }

    #[test]
    fn the_loaded_libpython_is_the_target_one() {
        super::check_libpython().unwrap_or_else(|msg| panic!("{msg}"));
    }
}
