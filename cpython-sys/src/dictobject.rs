//! Hand-written parts of `Include/dictobject.h`: the type checks (macros in
//! C).

use crate::bindings::PyObject;
use core::ffi::c_ulong;

/// `PyDict_Check(op)`: whether `op` is a `dict` (or a subclass instance).
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyDict_Check(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract), so its type is too.
    unsafe {
        crate::object::PyType_FastSubclass(
            crate::object::Py_TYPE(op),
            crate::bindings::Py_TPFLAGS_DICT_SUBCLASS as c_ulong,
        )
    }
}

/// `PyDict_CheckExact(op)`: whether the type of `op` is exactly `dict`.
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyDict_CheckExact(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract); PyDict_Type is a static type.
    unsafe { crate::object::Py_IS_TYPE(op, &raw mut crate::bindings::PyDict_Type) }
}
