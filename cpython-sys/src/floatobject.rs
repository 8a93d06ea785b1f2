//! Hand-written parts of `Include/floatobject.h` (the type checks, macros in
//! C) and `Include/cpython/floatobject.h` (`PyFloat_AS_DOUBLE`, a macro on
//! 3.11, a static inline function from 3.12).
//!
//! `float` has no `Py_TPFLAGS_*_SUBCLASS` bit, so `PyFloat_Check` walks the
//! type's MRO (`PyObject_TypeCheck`), as in C.

use crate::bindings::{PyFloatObject, PyObject};

/// `PyFloat_Check(op)`: whether `op` is a `float` (or a subclass instance).
///
/// # Safety
///
/// `op` must point to a live object; the thread must be attached.
#[inline]
pub unsafe fn PyFloat_Check(op: *mut PyObject) -> bool {
    // SAFETY: the caller's contract; PyFloat_Type is a static type.
    unsafe {
        crate::object::PyObject_TypeCheck(
            op,
            &raw mut crate::bindings::PyFloat_Type,
        )
    }
}

/// `PyFloat_CheckExact(op)`: whether the type of `op` is exactly `float`.
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyFloat_CheckExact(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract); PyFloat_Type is a static type.
    unsafe { crate::object::Py_IS_TYPE(op, &raw mut crate::bindings::PyFloat_Type) }
}

/// `PyFloat_AS_DOUBLE(op)`: the value of a `float`, unchecked.
///
/// # Safety
///
/// `op` must point to a live `float` (or subclass instance): nothing checks
/// it, as in C.
#[inline(always)]
pub unsafe fn PyFloat_AS_DOUBLE(op: *mut PyObject) -> f64 {
    // SAFETY: a float starts with a PyFloatObject (caller's contract).
    unsafe { (*op.cast::<PyFloatObject>()).ob_fval }
}
