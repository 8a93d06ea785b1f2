//! Hand-written parts of `Include/tupleobject.h` (the type checks) and
//! `Include/cpython/tupleobject.h` (the unchecked accessors): macros in C.

use crate::bindings::{Py_ssize_t, PyObject, PyTupleObject};
use core::ffi::c_ulong;

/// `PyTuple_Check(op)`: whether `op` is a `tuple` (or a subclass instance).
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyTuple_Check(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract), so its type is too.
    unsafe {
        crate::object::PyType_FastSubclass(
            crate::object::Py_TYPE(op),
            crate::bindings::Py_TPFLAGS_TUPLE_SUBCLASS as c_ulong,
        )
    }
}

/// `PyTuple_CheckExact(op)`: whether the type of `op` is exactly `tuple`.
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyTuple_CheckExact(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract); PyTuple_Type is a static type.
    unsafe { crate::object::Py_IS_TYPE(op, &raw mut crate::bindings::PyTuple_Type) }
}

/// `PyTuple_GET_SIZE(op)`.
///
/// # Safety
///
/// `op` must point to a live tuple (or tuple subclass instance).
#[inline(always)]
pub unsafe fn PyTuple_GET_SIZE(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a tuple has a PyVarObject header (caller's contract).
    unsafe { crate::object::Py_SIZE(op) }
}

/// `PyTuple_GET_ITEM(op, i)`: item `i`, a borrowed reference; no bounds check.
///
/// # Safety
///
/// `op` must point to a live tuple and `0 <= i < PyTuple_GET_SIZE(op)`.
#[inline(always)]
pub unsafe fn PyTuple_GET_ITEM(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: `ob_item` is a trailing array of PyTuple_GET_SIZE(op) items and
    // `i` is in bounds (caller's contract).
    unsafe {
        *(&raw mut (*op.cast::<PyTupleObject>()).ob_item)
            .cast::<*mut PyObject>()
            .offset(i)
    }
}

/// `PyTuple_SET_ITEM(op, i, v)`: store `v`, stealing the reference; no bounds
/// check, and the old item is not released.
///
/// # Safety
///
/// As [`PyTuple_GET_ITEM`]; the caller gives up its reference to `v`, and the
/// slot must be empty (a freshly made tuple) or the old item leaks.
#[inline(always)]
pub unsafe fn PyTuple_SET_ITEM(op: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) {
    // SAFETY: as PyTuple_GET_ITEM.
    unsafe {
        *(&raw mut (*op.cast::<PyTupleObject>()).ob_item)
            .cast::<*mut PyObject>()
            .offset(i) = v;
    }
}
