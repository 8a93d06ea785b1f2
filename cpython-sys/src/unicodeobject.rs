//! Hand-written parts of `Include/unicodeobject.h` (the type checks, macros
//! in C) and `Include/cpython/unicodeobject.h` (the PEP 393 accessors, static
//! inline functions).
//!
//! A `str` is one of three layouts, told apart by its `state` bits:
//! compact ASCII (`PyASCIIObject`, the characters right after it), compact
//! (`PyCompactUnicodeObject`, likewise) and non-compact (`PyUnicodeObject`,
//! the characters in a separate block, as for instances of `str`
//! subclasses). On 3.11 a non-compact string may also not be "ready" yet
//! (created by the deprecated `Py_UNICODE` API, its characters only in
//! `wstr`); 3.12 removed that state and the `ready` bit.
//!
//! To read an ASCII `str`'s characters without conversion: check
//! [`PyUnicode_IS_COMPACT_ASCII`], then read [`PyUnicode_GET_LENGTH`] bytes
//! at [`PyUnicode_DATA`].
//!
//! The C functions assert (on a debug build) that their argument is a `str`
//! and, on 3.11, ready where it matters; these do not check, and make those
//! conditions part of their contracts.

use crate::bindings::{
    Py_ssize_t, PyASCIIObject, PyCompactUnicodeObject, PyObject, PyUnicodeObject,
};
use core::ffi::{c_ulong, c_void};

/// `PyUnicode_Check(op)`: whether `op` is a `str` (or a subclass instance).
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyUnicode_Check(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract), so its type is too.
    unsafe {
        crate::object::PyType_FastSubclass(
            crate::object::Py_TYPE(op),
            crate::bindings::Py_TPFLAGS_UNICODE_SUBCLASS as c_ulong,
        )
    }
}

/// `PyUnicode_CheckExact(op)`: whether the type of `op` is exactly `str`.
///
/// # Safety
///
/// `op` must point to a live object.
#[inline(always)]
pub unsafe fn PyUnicode_CheckExact(op: *mut PyObject) -> bool {
    // SAFETY: `op` is live (caller's contract); PyUnicode_Type is a static
    // type.
    unsafe {
        crate::object::Py_IS_TYPE(op, &raw mut crate::bindings::PyUnicode_Type)
    }
}

/// `PyUnicode_IS_READY(op)` (3.11 only): whether the string's canonical
/// representation (`length`, `kind`, the data pointer) is filled in.
///
/// Compact strings are always ready; 3.12 removed the state.
///
/// # Safety
///
/// `op` must point to a live `str` (or subclass instance).
#[cfg(not(Py_3_12))]
#[inline(always)]
pub unsafe fn PyUnicode_IS_READY(op: *mut PyObject) -> bool {
    // SAFETY: a str starts with a PyASCIIObject header (caller's contract).
    unsafe { (*op.cast::<PyASCIIObject>()).state.ready() != 0 }
}

/// `PyUnicode_IS_ASCII(op)`: whether the string holds only ASCII characters
/// (compact or not).
///
/// # Safety
///
/// `op` must point to a live `str` (or subclass instance), ready on 3.11.
#[inline(always)]
pub unsafe fn PyUnicode_IS_ASCII(op: *mut PyObject) -> bool {
    // SAFETY: a str starts with a PyASCIIObject header (caller's contract).
    unsafe { (*op.cast::<PyASCIIObject>()).state.ascii() != 0 }
}

/// `PyUnicode_IS_COMPACT(op)`: whether the characters follow the header in
/// the same block.
///
/// # Safety
///
/// `op` must point to a live `str` (or subclass instance).
#[inline(always)]
pub unsafe fn PyUnicode_IS_COMPACT(op: *mut PyObject) -> bool {
    // SAFETY: a str starts with a PyASCIIObject header (caller's contract).
    unsafe { (*op.cast::<PyASCIIObject>()).state.compact() != 0 }
}

/// `PyUnicode_IS_COMPACT_ASCII(op)`: whether the string is laid out as a
/// `PyASCIIObject`, its one-byte ASCII characters right after the header.
///
/// As in the C (3.11 included), the `ready` bit is not read: a compact
/// string is always ready.
///
/// # Safety
///
/// `op` must point to a live `str` (or subclass instance).
#[inline(always)]
pub unsafe fn PyUnicode_IS_COMPACT_ASCII(op: *mut PyObject) -> bool {
    // SAFETY: a str starts with a PyASCIIObject header (caller's contract).
    unsafe {
        (*op.cast::<PyASCIIObject>()).state.ascii() != 0 && PyUnicode_IS_COMPACT(op)
    }
}

/// `_PyUnicode_COMPACT_DATA(op)`: the characters of a compact string, right
/// after its `PyASCIIObject` or `PyCompactUnicodeObject` header.
///
/// # Safety
///
/// `op` must point to a live compact `str` ([`PyUnicode_IS_COMPACT`]).
#[inline(always)]
pub unsafe fn _PyUnicode_COMPACT_DATA(op: *mut PyObject) -> *mut c_void {
    // SAFETY: a compact str is ready; the characters start right after the
    // header its `ascii` bit names, within the same allocation.
    unsafe {
        if PyUnicode_IS_ASCII(op) {
            return op.cast::<PyASCIIObject>().add(1).cast();
        }
        op.cast::<PyCompactUnicodeObject>().add(1).cast()
    }
}

/// `_PyUnicode_NONCOMPACT_DATA(op)`: the characters of a non-compact string,
/// in their own block (`data.any`).
///
/// # Safety
///
/// `op` must point to a live non-compact `str`, ready on 3.11 (else the
/// pointer is NULL, which the C asserts against).
#[inline(always)]
pub unsafe fn _PyUnicode_NONCOMPACT_DATA(op: *mut PyObject) -> *mut c_void {
    // SAFETY: a non-compact str is a whole PyUnicodeObject (caller's
    // contract); every member of the `data` union is a pointer.
    unsafe { (*op.cast::<PyUnicodeObject>()).data.any }
}

/// `PyUnicode_DATA(op)`: the string's characters, `PyUnicode_GET_LENGTH(op)`
/// of them, of the width its kind says (all one-byte for an ASCII string).
///
/// The characters are not NUL-terminated in general. They live as long as
/// the string; a `str` is immutable once it has been shared.
///
/// # Safety
///
/// `op` must point to a live `str` (or subclass instance), ready on 3.11.
#[inline(always)]
pub unsafe fn PyUnicode_DATA(op: *mut PyObject) -> *mut c_void {
    // SAFETY: the caller's contract; each branch is taken only for the
    // layout the callee requires.
    unsafe {
        if PyUnicode_IS_COMPACT(op) {
            return _PyUnicode_COMPACT_DATA(op);
        }
        _PyUnicode_NONCOMPACT_DATA(op)
    }
}

/// `PyUnicode_GET_LENGTH(op)`: the string's length in code points.
///
/// # Safety
///
/// `op` must point to a live `str` (or subclass instance), ready on 3.11.
#[inline(always)]
pub unsafe fn PyUnicode_GET_LENGTH(op: *mut PyObject) -> Py_ssize_t {
    // SAFETY: a str starts with a PyASCIIObject header (caller's contract).
    unsafe { (*op.cast::<PyASCIIObject>()).length }
}
