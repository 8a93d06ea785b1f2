//! The C oracle (`oracle.c`): the real macros and inline functions,
//! compiled by the C compiler against the target headers, for the oracle
//! tests of `cpython-sys` (`cpython-sys/tests/oracle.rs`) and nothing else.
//!
//! Each `oracle_X` is a one-line C function that expands the public macro or
//! inline function `X`, so a test can run the C and the Rust version of the
//! same item on the same live object and compare what they did.
#![no_std]
#![allow(non_snake_case, missing_docs)]

use core::ffi::{c_char, c_int, c_longlong, c_ulong, c_void};
use cpython_sys::{
    Py_ssize_t, PyModuleDef, PyObject, PyTypeObject, allocfunc, freefunc,
};

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
    pub fn oracle_PyObject_TypeCheck(
        op: *mut PyObject,
        ty: *mut PyTypeObject,
    ) -> c_int;
    pub fn oracle_PyModule_Check(op: *mut PyObject) -> c_int;
    pub safe fn oracle_Py_None() -> *mut PyObject;
    pub safe fn oracle_Py_True() -> *mut PyObject;
    pub safe fn oracle_Py_False() -> *mut PyObject;
    pub safe fn oracle_Py_NotImplemented() -> *mut PyObject;
    pub fn oracle_PyTuple_GET_SIZE(op: *mut PyObject) -> Py_ssize_t;
    pub fn oracle_PyTuple_GET_ITEM(
        op: *mut PyObject,
        i: Py_ssize_t,
    ) -> *mut PyObject;
    pub fn oracle_PyTuple_SET_ITEM(
        op: *mut PyObject,
        i: Py_ssize_t,
        v: *mut PyObject,
    );
    pub fn oracle_PyList_GET_SIZE(op: *mut PyObject) -> Py_ssize_t;
    pub fn oracle_PyList_GET_ITEM(
        op: *mut PyObject,
        i: Py_ssize_t,
    ) -> *mut PyObject;
    pub fn oracle_PyList_SET_ITEM(
        op: *mut PyObject,
        i: Py_ssize_t,
        v: *mut PyObject,
    );
    pub fn oracle_PyType_HasFeature(
        ty: *mut PyTypeObject,
        feature: c_ulong,
    ) -> c_int;
    pub fn oracle_PyType_FastSubclass(
        ty: *mut PyTypeObject,
        flag: c_ulong,
    ) -> c_int;
    pub fn oracle_PyType_Check(op: *mut PyObject) -> c_int;
    pub fn oracle_PyType_CheckExact(op: *mut PyObject) -> c_int;
    pub fn oracle_PyType_GetSlot_tp_alloc(ty: *mut PyTypeObject) -> allocfunc;
    pub fn oracle_PyType_GetSlot_tp_free(ty: *mut PyTypeObject) -> freefunc;
    pub fn oracle_PyLong_Check(op: *mut PyObject) -> c_int;
    pub fn oracle_PyLong_CheckExact(op: *mut PyObject) -> c_int;
    pub fn oracle_PyFloat_Check(op: *mut PyObject) -> c_int;
    pub fn oracle_PyFloat_CheckExact(op: *mut PyObject) -> c_int;
    pub fn oracle_PyFloat_AS_DOUBLE(op: *mut PyObject) -> f64;
    pub fn oracle_PyUnicode_Check(op: *mut PyObject) -> c_int;
    pub fn oracle_PyUnicode_CheckExact(op: *mut PyObject) -> c_int;
    #[cfg(not(Py_3_12))]
    pub fn oracle_PyUnicode_IS_READY(op: *mut PyObject) -> c_int;
    pub fn oracle_PyUnicode_IS_ASCII(op: *mut PyObject) -> c_int;
    pub fn oracle_PyUnicode_IS_COMPACT(op: *mut PyObject) -> c_int;
    pub fn oracle_PyUnicode_IS_COMPACT_ASCII(op: *mut PyObject) -> c_int;
    pub fn oracle__PyUnicode_COMPACT_DATA(op: *mut PyObject) -> *mut c_void;
    pub fn oracle__PyUnicode_NONCOMPACT_DATA(op: *mut PyObject) -> *mut c_void;
    pub fn oracle_PyUnicode_DATA(op: *mut PyObject) -> *mut c_void;
    pub fn oracle_PyUnicode_GET_LENGTH(op: *mut PyObject) -> Py_ssize_t;
    pub fn oracle_PyBytes_Check(op: *mut PyObject) -> c_int;
    pub fn oracle_PyBytes_CheckExact(op: *mut PyObject) -> c_int;
    pub fn oracle_PyByteArray_Check(op: *mut PyObject) -> c_int;
    pub fn oracle_PyByteArray_CheckExact(op: *mut PyObject) -> c_int;
    pub fn oracle_PyTuple_Check(op: *mut PyObject) -> c_int;
    pub fn oracle_PyTuple_CheckExact(op: *mut PyObject) -> c_int;
    pub fn oracle_PyList_Check(op: *mut PyObject) -> c_int;
    pub fn oracle_PyList_CheckExact(op: *mut PyObject) -> c_int;
    pub fn oracle_PyDict_Check(op: *mut PyObject) -> c_int;
    pub fn oracle_PyDict_CheckExact(op: *mut PyObject) -> c_int;
    pub safe fn oracle_module_def() -> *const PyModuleDef;
    pub safe fn oracle_object_head() -> *const PyObject;
    /// Terminated by an entry whose `name` is NULL.
    pub static oracle_facts: [Fact; 0];
}
