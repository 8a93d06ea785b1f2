//! Hand-written parts of `Include/bytearrayobject.h`: the type checks (macros
//! in C).
//!
//! `bytearray` has no `Py_TPFLAGS_*_SUBCLASS` bit, so `PyByteArray_Check`
//! walks the type's MRO (`PyObject_TypeCheck`), as in C.

use crate::bindings::PyObject;

/// `PyByteArray_Check(op)`: whether `op` is a `bytearray` (or a subclass
/// instance).
///
/// # Safety
///
/// `op` must point to a live object; the thread must be attached.
#[inline]
pub unsafe fn PyByteArray_Check(op: *mut PyObject) -> bool {
    // SAFETY: the caller's contract; PyByteArray_Type is a static type.
    unsafe {
        crate::object::PyObject_TypeCheck(
            op,
            &raw mut crate::bindings::PyByteArray_Type,
        )
    }
}

/// `PyByteArray_CheckExact(op)`: whether the type of `op` is exactly
/// `bytearray`.
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyByteArray_CheckExact(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract); PyByteArray_Type is a static
    // type.
    unsafe {
        crate::object::Py_IS_TYPE(op, &raw mut crate::bindings::PyByteArray_Type)
    }
}
