//! The C oracle (`oracle/oracle.c`): the real macros and inline functions,
//! compiled by the C compiler against the target headers. Used by the tests
//! only; see the crate documentation.

use crate::bindings::{Py_ssize_t, PyModuleDef, PyObject, PyTypeObject};
use core::ffi::{c_char, c_int, c_longlong};

/// One `sizeof`, `offsetof` or macro value, as the C compiler sees it.
#[repr(C)]
pub struct Fact {
    /// `"sizeof(PyObject)"`, `"offsetof(PyObject, ob_type)"`, `"METH_O"`, ...
    pub name: *const c_char,
    /// Its value.
    pub value: c_longlong,
}

unsafe extern "C" {
    pub fn oracle_Py_INCREF(op: *mut PyObject);
    pub fn oracle_Py_DECREF(op: *mut PyObject);
    pub fn oracle_Py_XINCREF(op: *mut PyObject);
    pub fn oracle_Py_XDECREF(op: *mut PyObject);
    pub fn oracle_Py_REFCNT(op: *mut PyObject) -> Py_ssize_t;
    pub fn oracle_Py_TYPE(op: *mut PyObject) -> *mut PyTypeObject;
    pub fn oracle_Py_IS_TYPE(op: *mut PyObject, ty: *mut PyTypeObject) -> c_int;
    pub fn oracle_Py_SIZE(op: *mut PyObject) -> Py_ssize_t;
    pub fn oracle_PyObject_TypeCheck(op: *mut PyObject, ty: *mut PyTypeObject) -> c_int;
    pub fn oracle_PyModule_Check(op: *mut PyObject) -> c_int;
    pub safe fn oracle_Py_None() -> *mut PyObject;
    pub safe fn oracle_Py_True() -> *mut PyObject;
    pub safe fn oracle_Py_False() -> *mut PyObject;
    pub safe fn oracle_Py_NotImplemented() -> *mut PyObject;
    pub fn oracle_PyTuple_GET_SIZE(op: *mut PyObject) -> Py_ssize_t;
    pub fn oracle_PyTuple_GET_ITEM(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject;
    pub fn oracle_PyTuple_SET_ITEM(op: *mut PyObject, i: Py_ssize_t, v: *mut PyObject);
    pub fn oracle_PyList_GET_SIZE(op: *mut PyObject) -> Py_ssize_t;
    pub fn oracle_PyList_GET_ITEM(op: *mut PyObject, i: Py_ssize_t) -> *mut PyObject;
    pub fn oracle_PyList_SET_ITEM(op: *mut PyObject, i: Py_ssize_t, v: *mut PyObject);
    pub safe fn oracle_module_def() -> *const PyModuleDef;
    pub safe fn oracle_object_head() -> *const PyObject;
    /// Terminated by an entry whose `name` is NULL.
    pub static oracle_facts: [Fact; 0];
}
