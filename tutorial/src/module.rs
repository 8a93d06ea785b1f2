//! Defining a module with multi-phase initialisation (PEP 489), with its
//! state kept in the module object rather than in C globals.
//!
//! The [`module!`](crate::module!) macro writes the C side: the method
//! table, the `Py_mod_exec` slot, the `PyModuleDef` and the `PyInit_<name>`
//! function, which only returns the definition (`PyModuleDef_Init`). The
//! import system then creates the module and runs the exec function, which
//! builds the module's state. Functions reach the state through the module
//! object they are called with, so that every module object (one per
//! (sub)interpreter, or after a reload) has its own.

use crate::err::{PyErr, PyResult};
use crate::ffi;
use crate::instance::{Bound, Py};
use crate::python::Python;
use crate::types::PyModule;
use core::ffi::{c_int, c_void};

/// A module's `PyInit_<name>` function, as [`module!`](crate::module!)
/// writes it: what the import system (or an embedding program's inittab)
/// calls to get the module's definition.
pub type InitFn = extern "C" fn() -> *mut ffi::PyObject;

/// The Rust data of a module object, created by its exec function.
///
/// Python objects it holds are [`Py`] handles; [`ModuleState::traverse`]
/// must visit each of them, so that the garbage collector can see cycles
/// through the module (the module's `m_traverse`).
pub trait ModuleState: Sized + 'static {
    /// Visits every Python object the state holds: `Py_VISIT` in C.
    ///
    /// # Errors
    ///
    /// Return the visitor's error as it comes (`?`).
    fn traverse(&self, visit: &mut Visit<'_>) -> Result<(), TraverseError> {
        let _ = visit;
        Ok(())
    }
}

/// A module without state.
impl ModuleState for () {}

/// The garbage collector's visitor, passed to [`ModuleState::traverse`].
pub struct Visit<'a> {
    visit: ffi::visitproc,
    arg: *mut c_void,
    _marker: core::marker::PhantomData<&'a ()>,
}

/// A non-zero result of a visit: stop and return it to the collector.
#[derive(Debug)]
pub struct TraverseError(c_int);

impl TraverseError {
    /// The visitor's result, to return to the collector.
    pub(crate) fn code(&self) -> c_int {
        self.0
    }
}

impl Visit<'_> {
    /// A visitor for the collector's `visit` function and argument.
    pub(crate) fn new(visit: ffi::visitproc, arg: *mut c_void) -> Self {
        Visit { visit, arg, _marker: core::marker::PhantomData }
    }

    /// Visits one object: `Py_VISIT(obj)`. An object of another
    /// interpreter (a `Py` that crossed over) is not visited: it is not this
    /// collector's to read, and not visiting it only keeps it alive.
    ///
    /// # Errors
    ///
    /// The visitor's non-zero result, to be passed on with `?`.
    pub fn call<T>(&mut self, obj: &Py<T>) -> Result<(), TraverseError> {
        let Some(visit) = self.visit else { return Ok(()) };
        if !obj.is_of_this_interpreter() {
            return Ok(());
        }
        // SAFETY: the collector gave us `visit` and `arg` for this traversal,
        // and `obj` is a live object this state owns.
        match unsafe { visit(obj.as_ptr(), self.arg) } {
            0 => Ok(()),
            n => Err(TraverseError(n)),
        }
    }
}

/// Borrows the state of `module`.
///
/// # Errors
///
/// `SystemError` if the module was not made from a definition with this
/// state type, or its state was cleared (the module is being destroyed).
pub fn state<'a, S: ModuleState>(
    module: &'a Bound<'_, PyModule>,
) -> PyResult<&'a S> {
    crate::impl_::module::StateCell::<S>::get(module)
}

/// Raises `ty` (a module's own exception class, kept in its state).
pub fn raise<T>(ty: &Py<T>, py: Python<'_>, msg: &str) -> PyErr {
    match ty.bind(py).as_any().downcast::<crate::types::PyType>() {
        Ok(ty) => PyErr::new_from_type(ty, msg),
        Err(e) => e,
    }
}
