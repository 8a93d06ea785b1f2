//! Hand-written parts of `Include/internal/pycore_abstract.h`
//! (`_PyIndex_Check`) and of `Include/cpython/abstract.h`
//! (`PY_VECTORCALL_ARGUMENTS_OFFSET`, whose `sizeof` bindgen cannot
//! evaluate).
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

/// `PY_VECTORCALL_ARGUMENTS_OFFSET` (`Include/cpython/abstract.h`): the
/// flag a caller ORs into a vectorcall's `nargsf` to say that `args[-1]`
/// is writable scratch space, so that the callee (a bound method) can put
/// `self` there instead of copying the arguments.
pub const PY_VECTORCALL_ARGUMENTS_OFFSET: usize = 1 << (usize::BITS - 1);
