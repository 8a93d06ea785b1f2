//! The machinery behind [`module!`](crate::module!): where a module's state
//! lives, the `Py_mod_exec`, `m_traverse`, `m_clear` and `m_free` functions,
//! and the static tables CPython reads. The user API is `crate::module`.

use crate::err::PyResult;
use crate::ffi;
use crate::impl_::trampoline::{abort_on_panic, run};
use crate::instance::{Borrowed, Bound};
use crate::module::{ModuleState, Visit};
use crate::types::PyModule;
use core::cell::UnsafeCell;
use core::ffi::{CStr, c_int, c_void};
use core::mem::MaybeUninit;

// ANCHOR: state_cell
/// Where the state lives: the module's `md_state` memory, which CPython
/// allocates (zero-filled) just before the exec slot runs
/// (`PyModule_ExecDef`).
///
/// # Invariants
///
/// `value` is initialised exactly when `ready` is true. Zeroed memory is a
/// valid, empty cell (`ready == false`).
#[repr(C)]
pub struct StateCell<S> {
    ready: bool,
    /// Which Rust type `value` is ([`type_tag`]): checked by
    /// [`StateCell::get`], so that asking a module for the state of another
    /// type is an error, not a misread.
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

impl<S: ModuleState> StateCell<S> {
    /// Borrows the state of `module`: [`crate::module::state`].
    ///
    /// # Errors
    ///
    /// `SystemError` if the module was not made from a definition with this
    /// state type, or its state was cleared (the module is being destroyed).
    pub fn get<'a>(module: &'a Bound<'_, PyModule>) -> PyResult<&'a S> {
        let py = module.py();
        let error = |msg| Err(crate::exceptions::SystemError::new_err(py, msg));
        // SAFETY: attached; the object is a module (type invariant); NULL
        // if the module has no state.
        let cell = unsafe { ffi::PyModule_GetState(module.as_ptr()) }
            .cast::<StateCell<S>>();
        let sized =
            state_size(module) == Some(core::mem::size_of::<StateCell<S>>());
        if cell.is_null() || !sized {
            return error("module state missing or of another type");
        }
        // SAFETY: the memory is at least a StateCell<S> (size checked), and
        // `ready` and `tag` are plain data valid in any state it can be in
        // (zeroed, or written by exec for some state type); it lives as long
        // as the module, borrowed for 'a. The value is read only once `tag`
        // says it is an S.
        let cell = unsafe { &*cell };
        if !cell.ready {
            return error("module state is not initialised");
        }
        if cell.tag != type_tag::<S>() {
            return error("module state is of another type");
        }
        // SAFETY: ready, so initialised (StateCell invariant), and an S (tag).
        Ok(unsafe { cell.value.assume_init_ref() })
    }

    /// The cell of `module`, if it has state memory.
    ///
    /// # Safety
    ///
    /// Attached; `module` is a live module made from a definition whose
    /// state is a `StateCell<S>`, and no other reference to the cell exists.
    unsafe fn of<'a>(module: *mut ffi::PyObject) -> Option<&'a mut StateCell<S>> {
        // SAFETY: the caller's contract; NULL when there is no state memory.
        unsafe { ffi::PyModule_GetState(module).cast::<StateCell<S>>().as_mut() }
    }
}

/// The size of the module's state memory, as its definition or its slots
/// gave it; `None` for a module made without one (by Python code, or by a
/// `PyModuleDef` with no state on 3.14 and older).
fn state_size(module: &Bound<'_, PyModule>) -> Option<usize> {
    #[cfg(Py_3_15)]
    {
        let mut size: ffi::Py_ssize_t = 0;
        // SAFETY: attached, the object is a module (type invariant), and
        // `size` is writable. It fails only for a non-module.
        let status =
            unsafe { ffi::PyModule_GetStateSize(module.as_ptr(), &mut size) };
        (status == 0).then_some(size as usize)
    }
    #[cfg(not(Py_3_15))]
    {
        // SAFETY: attached; the object is a module (type invariant).
        let def = unsafe { ffi::PyModule_GetDef(module.as_ptr()) };
        // SAFETY: a non-NULL `def` is a live PyModuleDef.
        (!def.is_null()).then(|| unsafe { (*def).m_size } as usize)
    }
}

/// The exec function of a module whose `module!` names none: its state is
/// the state type's default (`()` for a module without state).
///
/// # Errors
///
/// None; the signature is an exec function's.
pub fn default_exec<S: Default>(_module: &Bound<'_, PyModule>) -> PyResult<S> {
    Ok(S::default())
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
    body: impl for<'py> FnOnce(&Bound<'py, PyModule>) -> PyResult<S>,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        run(|py| {
            let module_ref = Borrowed::<PyModule>::from_ptr_unchecked(py, module);
            let state = body(&module_ref)?;
            let Some(cell) = StateCell::<S>::of(module) else {
                return Err(crate::exceptions::SystemError::new_err(
                    py,
                    "module has no state memory",
                ));
            };
            if cell.ready {
                // INVARIANT: not ready while the old value is dropped.
                cell.ready = false;
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

/// Drops the state: `m_clear`.
///
/// # Safety
///
/// Called by CPython with an attached thread, for a module whose state is a
/// `StateCell<S>` (or NULL).
pub unsafe fn clear<S: ModuleState>(module: *mut ffi::PyObject) -> c_int {
    // SAFETY: the caller's contract.
    let Some(cell) = (unsafe { StateCell::<S>::of(module) }) else { return 0 };
    if cell.ready {
        // INVARIANT: not ready from here on, before the drop runs code
        // (decrefs) that might look at the state again.
        cell.ready = false;
        let drop_value = || {
            // SAFETY: was ready, so initialised; dropped once.
            unsafe { cell.value.assume_init_drop() }
        };
        abort_on_panic(
            || format!("the Drop of module state {}", core::any::type_name::<S>()),
            drop_value,
        );
    }
    0
}

/// Drops the state: `m_free`, which CPython calls with the module object.
///
/// # Safety
///
/// As [`clear`].
pub unsafe fn free<S: ModuleState>(module: *mut c_void) {
    // SAFETY: the caller's contract.
    unsafe { clear::<S>(module.cast()) };
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
    let Some(cell) = (unsafe { StateCell::<S>::of(module) }) else { return 0 };
    if !cell.ready {
        return 0;
    }
    // SAFETY: ready, so initialised.
    let state = unsafe { cell.value.assume_init_ref() };
    let mut visitor = Visit::new(visit, arg);
    let visited = || state.traverse(&mut visitor);
    match abort_on_panic(
        || format!("traverse of module state {}", core::any::type_name::<S>()),
        visited,
    ) {
        Ok(()) => 0,
        Err(e) => e.code(),
    }
}

/// The C signature of a `METH_FASTCALL | METH_KEYWORDS` function.
pub type FastcallKeywords = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
    *mut ffi::PyObject,
) -> *mut ffi::PyObject;

/// The C signature of a `METH_FASTCALL` function (positional arguments only).
pub type Fastcall = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *const *mut ffi::PyObject,
    ffi::Py_ssize_t,
) -> *mut ffi::PyObject;

/// The C signature of a `METH_METHOD | METH_FASTCALL | METH_KEYWORDS`
/// method: C's `PyCMethod`, which also receives the class that defines the
/// method.
pub type CMethod = unsafe extern "C" fn(
    *mut ffi::PyObject,
    *mut ffi::PyTypeObject,
    *const *mut ffi::PyObject,
    usize,
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

    /// A method that receives its defining class (`METH_METHOD |
    /// METH_FASTCALL | METH_KEYWORDS`, PEP 573); only a type's method table
    /// may hold one.
    pub const fn meth_method(
        name: &'static CStr,
        f: CMethod,
        doc: &'static CStr,
    ) -> MethodDef {
        // SAFETY: CPython calls a METH_METHOD | METH_FASTCALL |
        // METH_KEYWORDS function with exactly this signature, which the
        // flags below declare; the cast to the table's PyCFunction type is
        // how C spells it too (_PyCFunction_CAST). Both are `extern "C"`
        // function pointers.
        let f = unsafe {
            core::mem::transmute::<Option<CMethod>, ffi::PyCFunction>(Some(f))
        };
        MethodDef(ffi::PyMethodDef {
            ml_name: name.as_ptr(),
            ml_meth: f,
            ml_flags: ffi::METH_METHOD | ffi::METH_FASTCALL | ffi::METH_KEYWORDS,
            ml_doc: doc.as_ptr(),
        })
    }

    /// A `METH_O` function: `f(module, arg)`.
    pub const fn meth_o(
        name: &'static CStr,
        f: ffi::PyCFunction,
        doc: &'static CStr,
    ) -> MethodDef {
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
        let f = unsafe {
            core::mem::transmute::<Option<FastcallKeywords>, ffi::PyCFunction>(
                Some(f),
            )
        };
        MethodDef(ffi::PyMethodDef {
            ml_name: name.as_ptr(),
            ml_meth: f,
            ml_flags: ffi::METH_FASTCALL | ffi::METH_KEYWORDS,
            ml_doc: doc.as_ptr(),
        })
    }

    /// A `METH_FASTCALL` function (no keywords: CPython itself raises
    /// `TypeError: m.f() takes no keyword arguments`), already cast to the
    /// table's pointer type.
    pub const fn meth_fastcall(
        name: &'static CStr,
        f: Fastcall,
        doc: &'static CStr,
    ) -> MethodDef {
        // SAFETY: CPython calls a METH_FASTCALL function with exactly this
        // signature, which the flags below declare; the cast to the table's
        // PyCFunction type is how C spells it too (_PyCFunction_CAST).
        let f = unsafe {
            core::mem::transmute::<Option<Fastcall>, ffi::PyCFunction>(Some(f))
        };
        MethodDef(ffi::PyMethodDef {
            ml_name: name.as_ptr(),
            ml_meth: f,
            ml_flags: ffi::METH_FASTCALL,
            ml_doc: doc.as_ptr(),
        })
    }

    /// A `METH_NOARGS` function: `f(module)`.
    pub const fn meth_noargs(
        name: &'static CStr,
        f: ffi::PyCFunction,
        doc: &'static CStr,
    ) -> MethodDef {
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

/// The number of slots [`def_slots`] returns, the end marker included.
pub const DEF_SLOTS: usize = 2 + cfg!(Py_3_12) as usize + cfg!(Py_3_13) as usize;

// ANCHOR: def_slots
/// The `m_slots` of a `module!` module's `PyModuleDef`: its exec function;
/// from 3.12, `Py_mod_multiple_interpreters` stated as
/// `Py_MOD_PER_INTERPRETER_GIL_SUPPORTED`; from 3.13, `Py_mod_gil` stated
/// as `Py_MOD_GIL_NOT_USED`.
///
/// Without the GIL: everything a module can reach through the safe layer
/// is synchronised (class values behind the object's critical section and
/// an atomic borrow flag, list items read inside the list's section or
/// with `PyList_GetItemRef`, buffers copied with atomic loads), so a
/// free-threaded interpreter keeps the GIL off when it imports one.
///
/// Subinterpreters, each with its own GIL: a module keeps its types and
/// state per module object, so each interpreter gets its own, and the
/// only way safe code can carry an object out of its interpreter is a
/// `'static` handle ([`Py`](crate::Py), [`PyErr`](crate::PyErr)) kept in
/// a `static` or a `thread_local!`. Each records its interpreter and is
/// used only there (`bind` elsewhere panics, a drop elsewhere leaks), so
/// no interpreter can reach another's objects.
pub const fn def_slots(
    exec: unsafe extern "C" fn(*mut ffi::PyObject) -> c_int,
) -> [ffi::PyModuleDef_Slot; DEF_SLOTS] {
    let exec = slot(ffi::Py_mod_exec, exec as *mut c_void);
    #[cfg(Py_3_13)]
    {
        [
            exec,
            slot(
                ffi::Py_mod_multiple_interpreters,
                ffi::Py_MOD_PER_INTERPRETER_GIL_SUPPORTED,
            ),
            slot(ffi::Py_mod_gil, ffi::Py_MOD_GIL_NOT_USED),
            SLOT_END,
        ]
    }
    #[cfg(all(Py_3_12, not(Py_3_13)))]
    {
        [
            exec,
            slot(
                ffi::Py_mod_multiple_interpreters,
                ffi::Py_MOD_PER_INTERPRETER_GIL_SUPPORTED,
            ),
            SLOT_END,
        ]
    }
    #[cfg(not(Py_3_12))]
    {
        [exec, SLOT_END]
    }
}
// ANCHOR_END: def_slots

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

/// The functions of a module that both of its definitions name: the
/// `PyModuleDef` of `PyInit_<name>` and the slots of `PyModExport_<name>`.
#[cfg(Py_3_15)]
pub struct ModuleFns {
    /// `Py_mod_exec`.
    pub exec: unsafe extern "C" fn(*mut ffi::PyObject) -> c_int,
    /// `m_traverse`, `Py_mod_state_traverse`.
    pub traverse: unsafe extern "C" fn(
        *mut ffi::PyObject,
        ffi::visitproc,
        *mut c_void,
    ) -> c_int,
    /// `m_clear`, `Py_mod_state_clear`.
    pub clear: unsafe extern "C" fn(*mut ffi::PyObject) -> c_int,
    /// `m_free`, `Py_mod_state_free`.
    pub free: unsafe extern "C" fn(*mut c_void),
}

/// The `PyABIInfo` every module of this crate puts in its `Py_mod_abi` slot
/// (`PyABIInfo_VAR`): CPython checks it before it reads any other slot.
#[cfg(Py_3_15)]
static ABI_INFO: Static<ffi::PyABIInfo> = Static::new(ffi::PyABIInfo_DEFAULT);

/// One `PySlot` holding a pointer to static data (`PySlot_PTR_STATIC`).
#[cfg(Py_3_15)]
const fn data_slot(id: u16, ptr: *mut c_void) -> ffi::PySlot {
    ffi::PySlot {
        sl_id: id,
        sl_flags: (ffi::PySlot_INTPTR | ffi::PySlot_STATIC) as u16,
        __bindgen_anon_1: ffi::PySlot__bindgen_ty_1 { sl_reserved: 0 },
        __bindgen_anon_2: ffi::PySlot__bindgen_ty_2 { sl_ptr: ptr },
    }
}

/// One `PySlot` holding a size (`PySlot_SIZE`).
#[cfg(Py_3_15)]
const fn size_slot(id: u16, size: usize) -> ffi::PySlot {
    ffi::PySlot {
        sl_id: id,
        sl_flags: 0,
        __bindgen_anon_1: ffi::PySlot__bindgen_ty_1 { sl_reserved: 0 },
        __bindgen_anon_2: ffi::PySlot__bindgen_ty_2 {
            sl_size: size as ffi::Py_ssize_t,
        },
    }
}

/// The number of slots [`export_slots`] returns, the end marker included.
#[cfg(Py_3_15)]
pub const EXPORT_SLOTS: usize = 12;

/// The slot array a `PyModExport_<name>` function returns (PEP 793), for a
/// module with state `S`: the same module as [`module_def`] describes.
///
/// The functions are given as data pointers (`PySlot_PTR_STATIC`), as
/// CPython's own modules give them: a C function pointer and `void *` have
/// the same size on every platform CPython supports.
#[cfg(Py_3_15)]
pub const fn export_slots<S: ModuleState>(
    name: &'static CStr,
    doc: &'static CStr,
    methods: *mut ffi::PyMethodDef,
    fns: ModuleFns,
) -> [ffi::PySlot; EXPORT_SLOTS] {
    [
        data_slot(ffi::Py_mod_abi, ABI_INFO.get().cast()),
        data_slot(ffi::Py_mod_name, name.as_ptr().cast_mut().cast()),
        data_slot(ffi::Py_mod_doc, doc.as_ptr().cast_mut().cast()),
        size_slot(ffi::Py_mod_state_size, core::mem::size_of::<StateCell<S>>()),
        data_slot(ffi::Py_mod_methods, methods.cast()),
        data_slot(ffi::Py_mod_exec as u16, fns.exec as *mut c_void),
        data_slot(ffi::Py_mod_state_traverse, fns.traverse as *mut c_void),
        data_slot(ffi::Py_mod_state_clear, fns.clear as *mut c_void),
        data_slot(ffi::Py_mod_state_free, fns.free as *mut c_void),
        // As `def_slots` states them, and why.
        data_slot(
            ffi::Py_mod_multiple_interpreters as u16,
            ffi::Py_MOD_PER_INTERPRETER_GIL_SUPPORTED,
        ),
        data_slot(ffi::Py_mod_gil as u16, ffi::Py_MOD_GIL_NOT_USED),
        // PySlot_END.
        ffi::PySlot {
            sl_id: 0,
            sl_flags: 0,
            __bindgen_anon_1: ffi::PySlot__bindgen_ty_1 { sl_reserved: 0 },
            __bindgen_anon_2: ffi::PySlot__bindgen_ty_2 {
                sl_ptr: core::ptr::null_mut(),
            },
        },
    ]
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
