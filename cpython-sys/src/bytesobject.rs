//! Hand-written parts of `Include/bytesobject.h`: the type checks (macros in
//! C).

use crate::bindings::PyObject;
use core::ffi::c_ulong;

/// `PyBytes_Check(op)`: whether `op` is a `bytes` (or a subclass instance).
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyBytes_Check(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract), so its type is too.
    unsafe {
        crate::object::PyType_FastSubclass(
            crate::object::Py_TYPE(op),
            crate::bindings::Py_TPFLAGS_BYTES_SUBCLASS as c_ulong,
        )
    }
}

/// `PyBytes_CheckExact(op)`: whether the type of `op` is exactly `bytes`.
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyBytes_CheckExact(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract); PyBytes_Type is a static type.
    unsafe { crate::object::Py_IS_TYPE(op, &raw mut crate::bindings::PyBytes_Type) }
}
