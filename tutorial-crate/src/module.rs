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
use core::cell::UnsafeCell;
use core::ffi::{CStr, c_int, c_void};
use core::mem::MaybeUninit;

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

    /// Visits one object: `Py_VISIT(obj)`.
    ///
    /// # Errors
    ///
    /// The visitor's non-zero result, to be passed on with `?`.
    pub fn call<T>(&mut self, obj: &Py<T>) -> Result<(), TraverseError> {
        let Some(visit) = self.visit else { return Ok(()) };
        // SAFETY: the collector gave us `visit` and `arg` for this traversal,
        // and `obj` is a live object this state owns.
        match unsafe { visit(obj.as_ptr(), self.arg) } {
            0 => Ok(()),
            n => Err(TraverseError(n)),
        }
    }
}

// ANCHOR: state_cell
/// Where the state lives: the module's `md_state` memory, which CPython
/// allocates (zero-filled) when the module is created, before exec runs.
///
/// # Invariants
///
/// `value` is initialised exactly when `ready` is true. Zeroed memory is a
/// valid, empty cell (`ready == false`).
#[repr(C)]
pub struct StateCell<S> {
    ready: bool,
    /// Which Rust type `value` is ([`type_tag`]): checked by [`state`], so
    /// that asking a module for the state of another type is an error,
    /// not a misread.
    tag: u64,
    value: MaybeUninit<S>,
}

/// A number that identifies the type `S` within this program.
fn type_tag<S: 'static>() -> u64 {
    use std::hash::{Hash, Hasher};
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    core::any::TypeId::of::<S>().hash(&mut hasher);
    // Never 0, the tag of zeroed (not yet initialised) memory.
    hasher.finish() | 1
}
// ANCHOR_END: state_cell

/// Borrows the state of `module`.
///
/// # Errors
///
/// `SystemError` if the module was not made from a definition with this
/// state type, or its state was cleared (the module is being destroyed).
pub fn state<'a, S: ModuleState>(module: &'a Bound<'_, PyModule>) -> PyResult<&'a S> {
    let py = module.py();
    // SAFETY: attached; the object is a module (type invariant).
    let def = unsafe { ffi::PyModule_GetDef(module.as_ptr()) };
    // SAFETY: as above; NULL if the module has no state.
    let cell = unsafe { ffi::PyModule_GetState(module.as_ptr()) }.cast::<StateCell<S>>();
    // SAFETY: a non-NULL `def` is a live PyModuleDef.
    let sized = !def.is_null() && unsafe { (*def).m_size } as usize == core::mem::size_of::<StateCell<S>>();
    if cell.is_null() || !sized {
        return Err(crate::exceptions::SystemError::new_err(py, "module state missing or of another type"));
    }
    // SAFETY: the memory is at least a StateCell<S> (size checked), and
    // `ready` and `tag` are plain data valid in any state it can be in
    // (zeroed, or written by exec for some state type); it lives as long as
    // the module, borrowed for 'a. The value is read only once `tag` says it
    // is an S.
    let cell = unsafe { &*cell };
    if !cell.ready {
        return Err(crate::exceptions::SystemError::new_err(py, "module state is not initialised"));
    }
    if cell.tag != type_tag::<S>() {
        return Err(crate::exceptions::SystemError::new_err(py, "module state is of another type"));
    }
    // SAFETY: ready, so initialised (StateCell invariant), and an S (tag).
    Ok(unsafe { cell.value.assume_init_ref() })
}

/// Runs the module's exec function and stores the state it returns: the
/// `Py_mod_exec` slot.
///
/// # Safety
///
/// Called by CPython (through the `module!` macro's slot) with an attached
/// thread and a module created from a definition whose state is a
/// `StateCell<S>`.
pub unsafe fn exec<S: ModuleState>(
    module: *mut ffi::PyObject,
    body: for<'py> fn(&Bound<'py, PyModule>) -> PyResult<S>,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        crate::trampoline::run(|py| {
            // SAFETY: CPython passes the new module, alive for the call.
            let module = crate::Borrowed::<PyModule>::from_ptr_unchecked(py, module);
            let state = body(&module)?;
            let cell = ffi::PyModule_GetState(module.as_ptr()).cast::<StateCell<S>>();
            if cell.is_null() {
                return Err(crate::exceptions::SystemError::new_err(py, "module has no state memory"));
            }
            // SAFETY: the definition reserved a StateCell<S>, zero-filled:
            // not ready. Drop an old value if exec runs twice.
            let cell = &mut *cell;
            if cell.ready {
                cell.value.assume_init_drop();
            }
            cell.value.write(state);
            cell.tag = type_tag::<S>();
            // INVARIANT: written just now.
            cell.ready = true;
            Ok(0)
        })
    }
}

/// Drops the state: `m_clear` and `m_free`.
///
/// # Safety
///
/// Called by CPython with an attached thread, for a module whose state is a
/// `StateCell<S>` (or NULL).
pub unsafe fn clear<S: ModuleState>(module: *mut ffi::PyObject) -> c_int {
    // SAFETY: the caller's contract.
    let cell = unsafe { ffi::PyModule_GetState(module) }.cast::<StateCell<S>>();
    if cell.is_null() {
        return 0;
    }
    // SAFETY: a StateCell<S> owned by the module.
    let cell = unsafe { &mut *cell };
    if cell.ready {
        // INVARIANT: not ready from here on, before the drop runs code
        // (decrefs) that might look at the state again.
        cell.ready = false;
        // SAFETY: was ready, so initialised; dropped once.
        let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| unsafe {
            cell.value.assume_init_drop()
        }));
        if result.is_err() {
            // A panicking Drop cannot be reported from m_clear/m_free:
            // they return nothing the interpreter checks. Abort loudly.
            eprintln!("fatal: a module state's Drop panicked");
            std::process::abort();
        }
    }
    0
}

/// Visits the state's objects: `m_traverse`.
///
/// # Safety
///
/// Called by the garbage collector with an attached thread, for a module
/// whose state is a `StateCell<S>` (or NULL).
pub unsafe fn traverse<S: ModuleState>(
    module: *mut ffi::PyObject,
    visit: ffi::visitproc,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: the caller's contract.
    let cell = unsafe { ffi::PyModule_GetState(module) }.cast::<StateCell<S>>();
    if cell.is_null() {
        return 0;
    }
    // SAFETY: a StateCell<S> owned by the module.
    let cell = unsafe { &*cell };
    if !cell.ready {
        return 0;
    }
    let mut visitor = Visit { visit, arg, _marker: core::marker::PhantomData };
    // SAFETY: ready, so initialised.
    let state = unsafe { cell.value.assume_init_ref() };
    // A panic here cannot become an exception (the collector is running and
    // has no error path): abort loudly instead of unwinding into C.
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| state.traverse(&mut visitor))) {
        Ok(Ok(())) => 0,
        Ok(Err(TraverseError(n))) => n,
        Err(_) => {
            eprintln!("fatal: a module state's traverse panicked");
            std::process::abort();
        }
    }
}

/// The C signature of a `METH_FASTCALL | METH_KEYWORDS` function.
pub type FastcallKeywords = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

/// A `PyMethodDef` made by one of the `meth_*!` macros.
#[repr(transparent)]
pub struct MethodDef(ffi::PyMethodDef);

impl MethodDef {
    /// The end marker of a method table.
    pub const SENTINEL: MethodDef = MethodDef(ffi::PyMethodDef {
        ml_name: core::ptr::null(),
        ml_meth: None,
        ml_flags: 0,
        ml_doc: core::ptr::null(),
    });

    /// A `METH_O` function: `f(module, arg)`.
    pub const fn meth_o(name: &'static CStr, f: ffi::PyCFunction, doc: &'static CStr) -> MethodDef {
        MethodDef(ffi::PyMethodDef {
            ml_name: name.as_ptr(),
            ml_meth: f,
            ml_flags: ffi::METH_O,
            ml_doc: doc.as_ptr(),
        })
    }

    /// A `METH_FASTCALL | METH_KEYWORDS` function, already cast to the
    /// table's pointer type.
    pub const fn meth_fastcall_keywords(
        name: &'static CStr,
        f: FastcallKeywords,
        doc: &'static CStr,
    ) -> MethodDef {
        // SAFETY: CPython calls a METH_FASTCALL | METH_KEYWORDS function with
        // exactly this signature, which the flags below declare; the cast to
        // the table's PyCFunction type is how C spells it too
        // (_PyCFunction_CAST). Both are `extern "C"` function pointers.
        let f = unsafe { core::mem::transmute::<Option<FastcallKeywords>, ffi::PyCFunction>(Some(f)) };
        MethodDef(ffi::PyMethodDef {
            ml_name: name.as_ptr(),
            ml_meth: f,
            ml_flags: ffi::METH_FASTCALL | ffi::METH_KEYWORDS,
            ml_doc: doc.as_ptr(),
        })
    }

    /// A `METH_NOARGS` function: `f(module)`.
    pub const fn meth_noargs(name: &'static CStr, f: ffi::PyCFunction, doc: &'static CStr) -> MethodDef {
        MethodDef(ffi::PyMethodDef {
            ml_name: name.as_ptr(),
            ml_meth: f,
            ml_flags: ffi::METH_NOARGS,
            ml_doc: doc.as_ptr(),
        })
    }
}

/// A static table for CPython to read (`PyMethodDef[]`, `PyModuleDef_Slot[]`,
/// `PyModuleDef`): data behind raw pointers that CPython may write to (the
/// module definition's header), so it lives in an `UnsafeCell`.
///
/// # Invariants
///
/// After the `static` is made, Rust code only takes its address; the
/// interpreter alone reads and writes it, with the thread attached.
#[repr(transparent)]
pub struct Static<T>(UnsafeCell<T>);

// SAFETY: Rust never reads or writes the contents (invariant); CPython does,
// serialised by the thread state it requires.
unsafe impl<T> Sync for Static<T> {}

impl<T> Static<T> {
    /// Wraps the table.
    pub const fn new(value: T) -> Self {
        Static(UnsafeCell::new(value))
    }

    /// The address to give to CPython.
    pub const fn get(&self) -> *mut T {
        self.0.get()
    }
}

/// One `PyModuleDef_Slot`.
pub const fn slot(id: c_int, value: *mut c_void) -> ffi::PyModuleDef_Slot {
    ffi::PyModuleDef_Slot { slot: id, value }
}

/// The slot list's end marker.
pub const SLOT_END: ffi::PyModuleDef_Slot = slot(0, core::ptr::null_mut());

/// A `PyModuleDef` for a module with state `S`.
pub const fn module_def<S: ModuleState>(
    name: &'static CStr,
    doc: &'static CStr,
    methods: *mut ffi::PyMethodDef,
    slots: *mut ffi::PyModuleDef_Slot,
    traverse: ffi::traverseproc,
    clear: ffi::inquiry,
    free: ffi::freefunc,
) -> ffi::PyModuleDef {
    ffi::PyModuleDef {
        m_base: ffi::PyModuleDef_HEAD_INIT,
        m_name: name.as_ptr(),
        m_doc: doc.as_ptr(),
        m_size: core::mem::size_of::<StateCell<S>>() as ffi::Py_ssize_t,
        m_methods: methods,
        m_slots: slots,
        m_traverse: traverse,
        m_clear: clear,
        m_free: free,
    }
}

/// `PyModuleDef_Init(def)`: what `PyInit_<name>` returns under multi-phase
/// initialisation.
///
/// # Safety
///
/// `def` must be a module definition in static memory, and the thread
/// attached (CPython calls `PyInit_*` so).
pub unsafe fn init(def: *mut ffi::PyModuleDef) -> *mut ffi::PyObject {
    // SAFETY: the caller's contract.
    unsafe { ffi::PyModuleDef_Init(def) }
}

/// Raises `ty` (a module's own exception class, kept in its state).
pub fn raise<T>(ty: &Py<T>, py: Python<'_>, msg: &str) -> PyErr {
    match ty.bind(py).as_any().downcast::<crate::types::PyType>() {
        Ok(ty) => PyErr::new_from_type(ty, msg),
        Err(e) => e,
    }
}
