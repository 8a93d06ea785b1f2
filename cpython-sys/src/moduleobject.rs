//! Hand-written parts of `Include/moduleobject.h`: `PyModuleDef_HEAD_INIT`
//! and the `Py_mod_*` slot ids of multi-phase initialisation (PEP 489).

use crate::bindings::{PyModuleDef_Base, PyObject};
use core::ffi::c_int;

/// `PyModuleDef_HEAD_INIT`: the header every `PyModuleDef` starts with.
pub const PyModuleDef_HEAD_INIT: PyModuleDef_Base = PyModuleDef_Base {
    ob_base: crate::object::PyObject_HEAD_INIT(core::ptr::null_mut()),
    m_init: None,
    m_index: 0,
    m_copy: core::ptr::null_mut::<PyObject>(),
};

/// `Py_mod_create`: a slot whose value is a `create_module` function.
pub const Py_mod_create: c_int = 1;
/// `Py_mod_exec`: a slot whose value is an exec function, run on the new module.
pub const Py_mod_exec: c_int = 2;
/// `Py_mod_multiple_interpreters` (3.12+): how the module supports subinterpreters.
#[cfg(Py_3_12)]
pub const Py_mod_multiple_interpreters: c_int = 3;
/// `Py_mod_gil` (3.13+): whether the module needs the GIL on a free-threaded build.
#[cfg(Py_3_13)]
pub const Py_mod_gil: c_int = 4;

/// `PyModule_Check(op)`: whether `op` is a module (or a subclass instance).
///
/// # Safety
///
/// `op` must point to a live object; the thread must be attached.
#[inline]
pub unsafe fn PyModule_Check(op: *mut PyObject) -> bool {
    // SAFETY: the caller's contract; PyModule_Type is a static type.
    unsafe {
        crate::object::PyObject_TypeCheck(
            op,
            &raw mut crate::bindings::PyModule_Type,
        )
    }
}
