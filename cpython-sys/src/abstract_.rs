//! Hand-written parts of `Include/internal/pycore_abstract.h`: `_PyIndex_Check`.
//!
//! The module is named `abstract_` because `abstract` is a reserved word in
//! Rust. The header is internal (it needs `Py_BUILD_CORE`), so an extension
//! module written in C calls the exported function `PyIndex_Check` (in the
//! generated bindings) instead; this is its inline body, which the core uses.

use crate::bindings::PyObject;

/// `_PyIndex_Check(obj)`: whether the object's type has an `nb_index` slot
/// (`__index__`), the inline version of `PyIndex_Check`.
///
/// # Safety
///
/// `obj` must point to a live object.
#[inline(always)]
pub unsafe fn _PyIndex_Check(obj: *mut PyObject) -> bool {
    // SAFETY: `obj` is live (caller's contract), so its type is, and the
    // type's `tp_as_number`, when not NULL, points to its number methods.
    unsafe {
        let numbers = (*crate::object::Py_TYPE(obj)).tp_as_number;
        !numbers.is_null() && (*numbers).nb_index.is_some()
    }
}
