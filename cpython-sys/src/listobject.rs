//! Hand-written parts of `Include/listobject.h` (the type checks) and
//! `Include/cpython/listobject.h` (the unchecked accessors): macros in C.

use crate::bindings::{Py_ssize_t, PyListObject, PyObject};
use core::ffi::c_ulong;

/// `PyList_Check(op)`: whether `op` is a `list` (or a subclass instance).
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyList_Check(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract), so its type is too.
    unsafe {
        crate::object::PyType_FastSubclass(
            crate::object::Py_TYPE(op),
            crate::bindings::Py_TPFLAGS_LIST_SUBCLASS as c_ulong,
        )
    }
}

/// `PyList_CheckExact(op)`: whether the type of `op` is exactly `list`.
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyList_CheckExact(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract); PyList_Type is a static type.
    unsafe { crate::object::Py_IS_TYPE(op, &raw mut crate::bindings::PyList_Type) }
}

/// `PyList_GET_SIZE(op)`.
///
/// # Safety
///
/// `op` must point to a live list (or list subclass instance).
#[inline(always)]
pub unsafe fn PyList_GET_SIZE(op: *mut PyObject) -> Py_ssize_t {
    // On a free-threaded build another thread may resize the list while
    // this one reads: C reads the size with a relaxed atomic load there.
    #[cfg(Py_GIL_DISABLED)]
    {
        // SAFETY: a list has a PyVarObject header (caller's contract), whose
        // aligned `ob_size` CPython itself changes atomically.
        unsafe {
            let size =
                &raw mut (*op.cast::<crate::bindings::PyVarObject>()).ob_size;
            core::sync::atomic::AtomicIsize::from_ptr(size.cast())
                .load(core::sync::atomic::Ordering::Relaxed)
        }
    }
    #[cfg(not(Py_GIL_DISABLED))]
    // SAFETY: a list has a PyVarObject header (caller's contract).
    unsafe {
        crate::object::Py_SIZE(op)
    }
}

/// `PyList_GET_ITEM(op, i)`: item `i`, a borrowed reference; no bounds check.
///
/// The reference is only good until Python code runs: any call that can run
/// Python code (a comparison, `__del__`) can mutate the list.
///
/// # Safety
///
/// `op` must point to a live list and `0 <= i < PyList_GET_SIZE(op)`.
#[inline(always)]
pub unsafe fn PyList_GET_ITEM(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject {
    // SAFETY: `ob_item` points to at least PyList_GET_SIZE(op) items and `i`
    // is in bounds (caller's contract).
    unsafe { *(*op.cast::<PyListObject>()).ob_item.offset(i) }
}

/// `PyList_SET_ITEM(op, i, v)`: store `v`, stealing the reference; no bounds
/// check, and the old item is not released.
///
/// # Safety
///
/// As [`PyList_GET_ITEM`]; the caller gives up its reference to `v`, and the
/// slot must be empty (a freshly made list) or the old item leaks.
#[inline(always)]
pub unsafe fn PyList_SET_ITEM(op: *mut PyObject, i: Py_ssize_t, v: *mut PyObject) {
    // SAFETY: as PyList_GET_ITEM.
    unsafe { *(*op.cast::<PyListObject>()).ob_item.offset(i) = v }
}
