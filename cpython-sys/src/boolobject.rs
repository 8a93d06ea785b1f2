//! Hand-written parts of `Include/boolobject.h`.

use crate::bindings::PyObject;

/// `Py_True` (`(PyObject *) &_Py_TrueStruct`), a borrowed reference.
#[inline(always)]
pub fn Py_True() -> *mut PyObject {
    // Taking the address of an extern static is safe; nothing is read.
    (&raw mut crate::bindings::_Py_TrueStruct).cast()
}

/// `Py_False` (`(PyObject *) &_Py_FalseStruct`), a borrowed reference.
#[inline(always)]
pub fn Py_False() -> *mut PyObject {
    // Taking the address of an extern static is safe; nothing is read.
    (&raw mut crate::bindings::_Py_FalseStruct).cast()
}
