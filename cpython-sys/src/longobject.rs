//! Hand-written parts of `Include/longobject.h`: the type checks (macros in
//! C).

use crate::bindings::PyObject;
use core::ffi::c_ulong;

/// `PyLong_Check(op)`: whether `op` is an `int` (or a subclass instance,
/// such as a `bool`).
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyLong_Check(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract), so its type is too.
    unsafe {
        crate::object::PyType_FastSubclass(
            crate::object::Py_TYPE(op),
            crate::bindings::Py_TPFLAGS_LONG_SUBCLASS as c_ulong,
        )
    }
}

/// `PyLong_CheckExact(op)`: whether the type of `op` is exactly `int`.
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyLong_CheckExact(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract); PyLong_Type is a static type.
    unsafe { crate::object::Py_IS_TYPE(op, &raw mut crate::bindings::PyLong_Type) }
}
