//! Running Python inside a Rust program, with extension modules built in.
//!
//! This crate is apart from the safe layer because it links `libpython`
//! (its build script does): a program that starts an interpreter must bring
//! one, and an extension module must not, since the interpreter that imports
//! it provides every symbol.
//!
//! The book's samples and the tests use this to run real Python
//! against a module: [`doctest`] runs a Python session (`>>>` lines and the
//! output expected) and fails if any output differs.
//!
//! The interpreter is the one the bindings were generated for
//! ([`ffi::build_info`]). Before starting it, [`attach`] checks that the
//! process loaded *that* interpreter's `libpython`: two libraries with the
//! same soname (say, pyenv's and the system's `libpython3.11.so.1.0`) are
//! interchangeable to the dynamic loader, and a binary without the right
//! rpath silently runs the wrong one.

use std::ffi::{CStr, CString};
use std::path::Path;
use std::sync::Mutex;
use tutorial::ffi;
use tutorial::types::{PyAny, PyModule, PyStr};
use tutorial::{Bound, PyErr, PyResult, Python};

pub use tutorial::module::InitFn;

/// The modules known so far, once the interpreter runs: those registered
/// with the inittab at start-up, then those added later.
static STARTED: Mutex<Option<Vec<(String, InitFn)>>> = Mutex::new(None);

/// Runs `f` on an attached thread, starting the interpreter on first use
/// with `modules` importable as built-in modules.
///
/// The first call registers the modules with `PyImport_AppendInittab`, as
/// an application embedding Python does. The inittab cannot change once the
/// interpreter runs, so a later call (another test in the same process)
/// makes the modules it adds importable through a finder on
/// `sys.meta_path` that does what the import system does for a built-in
/// module: create the module from its definition and spec, then execute it
/// (`PyModule_FromDefAndSpec`, `PyModule_ExecDef`). The finder comes first
/// and knows every registered module, so that a module registered here is
/// the one imported even where the interpreter has a built-in module of
/// that name (the inittab, searched in order, would give the interpreter's
/// own). Either way, `import` runs the module's exec function, and its
/// errors surface there.
///
/// Calls must not nest.
///
/// # Panics
///
/// If the process loaded another interpreter's `libpython`, or the
/// interpreter fails to start: both are set-up errors, with a message that
/// says what to fix.
pub fn attach<R>(
    modules: &[(&str, InitFn)],
    f: impl for<'py> FnOnce(Python<'py>) -> R,
) -> R {
    {
        let mut started = STARTED.lock().unwrap_or_else(|e| e.into_inner());
        match started.as_mut() {
            None => {
                start(modules);
                *started = Some(
                    modules.iter().map(|(n, i)| (n.to_string(), *i)).collect(),
                );
            }
            Some(known) => {
                for (name, init) in modules {
                    if !known.iter().any(|(k, _)| k == name) {
                        known.push((name.to_string(), *init));
                    }
                }
            }
        }
    }
    let attached = Attached::new();
    // SAFETY: attached just now, until `attached` is dropped after `f`; the
    // token does not escape `f` (it is bound to the closure's higher-ranked
    // lifetime).
    let result = f(unsafe { Python::assume_attached() });
    drop(attached);
    result
}

/// This thread attached to the main interpreter, for as long as the guard
/// lives.
///
/// On 3.15 and later this is PEP 788's `PyThreadState_EnsureFromView` on a
/// view of the main interpreter, which also keeps the interpreter from
/// finalizing meanwhile; before, `PyGILState_Ensure`, which PEP 788
/// replaces: it always attaches to the main interpreter and cannot report
/// that the interpreter is gone.
///
/// # Invariants
///
/// The thread is attached from `new` until `drop`, by the call `token`
/// comes from.
struct Attached {
    #[cfg(Py_3_15)]
    token: *mut ffi::PyThreadStateToken,
    #[cfg(not(Py_3_15))]
    token: ffi::PyGILState_STATE,
}

/// The main interpreter's view (3.15+), made once it runs: see [`Attached`].
#[cfg(Py_3_15)]
static MAIN_VIEW: std::sync::atomic::AtomicPtr<ffi::PyInterpreterView> =
    std::sync::atomic::AtomicPtr::new(std::ptr::null_mut());

impl Attached {
    /// Attaches this thread.
    ///
    /// # Panics
    ///
    /// On 3.15+, if the interpreter is finalizing, or no memory is left for
    /// a thread state.
    fn new() -> Self {
        #[cfg(Py_3_15)]
        {
            let view = MAIN_VIEW.load(std::sync::atomic::Ordering::Acquire);
            assert!(!view.is_null(), "attach() before the interpreter started");
            // SAFETY: `view` came from PyInterpreterView_FromMain and is
            // never closed; Ensure needs no attached thread state.
            let token = unsafe { ffi::PyThreadState_EnsureFromView(view) };
            assert!(
                !token.is_null(),
                "cannot attach to the interpreter: it is finalizing, or out of memory"
            );
            // INVARIANT: attached by Ensure, until the matching Release.
            Self { token }
        }
        #[cfg(not(Py_3_15))]
        {
            // SAFETY: the interpreter is initialised (attach starts it first).
            // INVARIANT: attached by Ensure, until the matching Release.
            Self { token: unsafe { ffi::PyGILState_Ensure() } }
        }
    }
}

impl Drop for Attached {
    fn drop(&mut self) {
        // SAFETY: pairs with the Ensure in `new` (invariant), on the same
        // thread (the guard lives in one call of `attach`).
        unsafe {
            #[cfg(Py_3_15)]
            ffi::PyThreadState_Release(self.token);
            #[cfg(not(Py_3_15))]
            ffi::PyGILState_Release(self.token);
        }
    }
}

/// The init function of a registered module.
fn late_module(name: &str) -> Option<InitFn> {
    let started = STARTED.lock().unwrap_or_else(|e| e.into_inner());
    started.as_ref()?.iter().find(|(n, _)| n == name).map(|(_, init)| *init)
}

/// Checks the loaded libpython, registers the modules, starts the
/// interpreter and detaches the main thread from it.
fn start(modules: &[(&str, InitFn)]) {
    if let Err(msg) = check_libpython() {
        panic!("{msg}");
    }
    let helper: [(&str, InitFn); 1] = [("_tutorial_embed", _tutorial_embed::init)];
    for (name, init) in helper.iter().chain(modules) {
        // The inittab keeps the pointer: the name must live for ever.
        let name: &'static CStr =
            Box::leak(CString::new(*name).expect("module name").into_boxed_c_str());
        // SAFETY: before Py_Initialize, as required; `name` is static.
        let status =
            unsafe { ffi::PyImport_AppendInittab(name.as_ptr(), Some(*init)) };
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
        let status = ffi::PyConfig_SetBytesString(
            config,
            &mut config.program_name,
            executable.as_ptr(),
        );
        check_pystatus(status, "PyConfig_SetBytesString");
        config.install_signal_handlers = 0;
        let status = ffi::Py_InitializeFromConfig(config);
        ffi::PyConfig_Clear(config);
        check_pystatus(status, "Py_InitializeFromConfig");
    }
    // SAFETY: initialised just now, on this thread, which is attached.
    let py = unsafe { Python::assume_attached() };
    if let Err(msg) = exec_code(py, FINDER) {
        panic!("cannot install the finder for modules added later: {msg}");
    }
    // The view every later attach() uses (3.15+).
    #[cfg(Py_3_15)]
    {
        // SAFETY: the interpreter runs; the view is kept for the process's
        // life (NULL, if no memory was left, is refused by Attached::new).
        let view = unsafe { ffi::PyInterpreterView_FromMain() };
        MAIN_VIEW.store(view, std::sync::atomic::Ordering::Release);
    }
    // SAFETY: attached; detach the main thread for good: every attach()
    // attaches again (see Attached).
    unsafe { ffi::PyEval_SaveThread() };
}

/// A finder for the modules added after start-up, appended to `sys.meta_path`.
const FINDER: &str = r#"
import sys, importlib.machinery, _tutorial_embed

class TutorialEmbedFinder:
    """Imports the modules registered with tutorial_embed."""

    @classmethod
    def find_spec(cls, name, path=None, target=None):
        if path is None and _tutorial_embed.known(name):
            return importlib.machinery.ModuleSpec(name, cls, origin="built-in")
        return None

    @staticmethod
    def create_module(spec):
        return _tutorial_embed.create_module(spec)

    @staticmethod
    def exec_module(module):
        _tutorial_embed.exec_module(module)

# First: a module registered here wins over a built-in module of the same
# name (Debian's interpreters build zlib, _bisect and _heapq in).
sys.meta_path.insert(0, TutorialEmbedFinder)
"#;

/// `known(name)`: whether `name` is a module registered with this crate.
fn known(_module: &Bound<'_, PyModule>, name: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(late_module(name.downcast::<PyStr>()?.to_str()?).is_some())
}

/// `create_module(spec)`: the module object, made from the definition that the
/// module's init function returns: `PyModule_FromDefAndSpec`.
fn create_module<'py>(
    module: &Bound<'py, PyModule>,
    spec: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let py = module.py();
    let name: String = spec.getattr("name")?.extract()?;
    let Some(init) = late_module(&name) else {
        return Err(tutorial::exceptions::ValueError::new_err(
            py,
            &format!("unknown module {name}"),
        ));
    };
    let def = init();
    if def.is_null() {
        return Err(PyErr::already_set(py));
    }
    // SAFETY: attached; under multi-phase initialisation PyInit_* returns
    // its PyModuleDef (through PyModuleDef_Init), which is static; the spec
    // is alive. The result is a new reference or NULL with an exception.
    unsafe {
        Bound::from_owned_ptr_or_err(
            py,
            ffi::PyModule_FromDefAndSpec2(
                def.cast(),
                spec.as_ptr(),
                ffi::PYTHON_API_VERSION as core::ffi::c_int,
            ),
        )
    }
}

/// `exec_module(module)`: runs the definition's exec slots: `PyModule_ExecDef`.
fn exec_module(
    _helper: &Bound<'_, PyModule>,
    module: &Bound<'_, PyAny>,
) -> PyResult<()> {
    let py = module.py();
    let module = module.downcast::<PyModule>()?;
    // SAFETY: attached; a module object; NULL if it has no definition.
    let def = unsafe { ffi::PyModule_GetDef(module.as_ptr()) };
    if def.is_null() {
        return Err(tutorial::exceptions::ValueError::new_err(
            py,
            "module has no definition",
        ));
    }
    // SAFETY: attached; the module was made from `def`.
    if unsafe { ffi::PyModule_ExecDef(module.as_ptr(), def) } != 0 {
        return Err(PyErr::already_set(py));
    }
    Ok(())
}

tutorial::module! {
    name: _tutorial_embed,
    doc: "Helpers of tutorial_embed: imports modules added after start-up.",
    methods: [
        tutorial::meth_o!(known(name), "Whether name is a module added after start-up."),
        tutorial::meth_o!(create_module(spec), "Create the module for spec from its definition."),
        tutorial::meth_o!(exec_module(module), "Execute the module's definition."),
    ],
}

/// Panics with the message of a failed `PyStatus`.
///
/// # Safety
///
/// `status` must come from a PyConfig API call.
unsafe fn check_pystatus(status: ffi::PyStatus, what: &str) {
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
    let Some(loaded) =
        maps.lines().filter_map(|l| l.split_whitespace().nth(5)).find(|p| {
            Path::new(p)
                .file_name()
                .is_some_and(|f| f.to_string_lossy().starts_with(&want))
        })
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

/// Runs `code` in a fresh namespace and returns the namespace.
fn exec_code<'py>(
    py: Python<'py>,
    code: &str,
) -> Result<tutorial::Bound<'py, tutorial::types::PyDict>, String> {
    let code =
        CString::new(code).map_err(|_| "code with a NUL character".to_owned())?;
    let globals =
        tutorial::types::PyDict::new(py).map_err(|e| format_exception(py, e))?;
    let builtins = py.import("builtins").map_err(|e| format_exception(py, e))?;
    globals
        .set_item("__builtins__", builtins.as_any())
        .map_err(|e| format_exception(py, e))?;
    // SAFETY: attached; `code` is NUL-terminated; globals is a dict used as
    // both namespaces; the result is a new reference or NULL.
    let result = unsafe {
        tutorial::Bound::<tutorial::types::PyAny>::from_owned_ptr_or_err(
            py,
            ffi::PyRun_StringFlags(
                code.as_ptr(),
                ffi::Py_file_input as i32,
                globals.as_ptr(),
                globals.as_ptr(),
                core::ptr::null_mut(),
            ),
        )
    };
    result.map_err(|e| format_exception(py, e))?;
    Ok(globals)
}

/// The exception of `err`, formatted as Python prints it (with traceback).
pub fn format_exception(py: Python<'_>, err: tutorial::PyErr) -> String {
    let exc = err.take(py);
    let formatted = py
        .import("traceback")
        .and_then(|tb| tb.getattr("format_exception"))
        .and_then(|f| f.call(&[&exc]))
        .and_then(|lines| {
            tutorial::types::PyStr::new(py, "")?.getattr("join")?.call(&[&lines])
        })
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
pub fn run_python(modules: &[(&str, InitFn)], code: &str) -> Result<(), String> {
    attach(modules, |py| exec_code(py, code).map(drop))
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
    // doctest swaps the process-wide sys.stdout while it runs: two sessions
    // on two threads (cargo runs tests in parallel) would capture each
    // other's output. One session at a time; this lock is always taken
    // before the interpreter's, so the two cannot deadlock.
    static ONE_SESSION: Mutex<()> = Mutex::new(());
    let _one = ONE_SESSION.lock().unwrap_or_else(|e| e.into_inner());
    attach(modules, |py| {
        let ns = exec_code(py, RUNNER)?;
        let result = (|| {
            let run = ns.get_item("run_session")?.ok_or_else(|| {
                tutorial::exceptions::KeyError::new_err(py, "run_session")
            })?;
            let r =
                run.call(&[&tutorial::types::PyStr::new(py, session)?.into_any()])?;
            let r = r.downcast::<tutorial::types::PyTuple>()?;
            let get = |i| {
                r.get(i).map(|o| o.to_owned()).ok_or_else(|| {
                    tutorial::exceptions::IndexError::new_err(py, "result")
                })
            };
            Ok((
                get(0)?.extract::<i64>()?,
                get(1)?.extract::<i64>()?,
                get(2)?.extract::<String>()?,
            ))
        })();
        let (tries, failures, report) =
            result.map_err(|e| format_exception(py, e))?;
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
