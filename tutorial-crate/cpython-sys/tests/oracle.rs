//! Tests the hand-written Rust parts of the bindings against the C originals.
//!
//! Each check runs the C macro (through `oracle/oracle.c`, compiled against the
//! target headers) and the Rust re-implementation on the same real objects of
//! an embedded interpreter, and compares what they did: the object's count,
//! the interpreter's total count on a debug build, deallocation.
#![allow(unsafe_op_in_unsafe_fn)]

use core::mem::{offset_of, size_of};
use cpython_sys::oracle::*;
use cpython_sys::*;
use std::ffi::CStr;
use std::sync::Once;

/// Starts the interpreter once, then runs `f` with this thread attached.
fn with_python<R>(f: impl FnOnce() -> R) -> R {
    static INIT: Once = Once::new();
    INIT.call_once(|| {
        // SAFETY: first and only initialisation; the main thread state is
        // then released so that any test thread can attach with PyGILState.
        unsafe {
            Py_InitializeEx(0);
            PyEval_SaveThread();
        }
    });
    // SAFETY: the interpreter is initialised; Ensure/Release pair up.
    unsafe {
        let state = PyGILState_Ensure();
        let r = f();
        PyGILState_Release(state);
        r
    }
}

/// `sys.gettotalrefcount()` on a debug build, else 0.
unsafe fn total_refs() -> isize {
    #[cfg(all(Py_REF_DEBUG, not(Py_3_12)))]
    return _Py_GetRefTotal();
    #[cfg(all(Py_REF_DEBUG, Py_3_12))]
    return _Py_GetGlobalRefTotal();
    #[cfg(not(Py_REF_DEBUG))]
    0
}

/// What an operation changed: (the object's count, the total count).
unsafe fn effect(op: *mut PyObject, f: impl FnOnce(*mut PyObject)) -> (isize, isize) {
    let (c0, t0) = (oracle_Py_REFCNT(op), total_refs());
    f(op);
    (oracle_Py_REFCNT(op) - c0, total_refs() - t0)
}

/// A fresh object with count 1 (a float is not cached or immortal).
unsafe fn fresh() -> *mut PyObject {
    let op = PyFloat_FromDouble(12345.678);
    assert!(!op.is_null());
    op
}

#[test]
fn the_interpreter_is_the_target_one() {
    with_python(|| {
        // SAFETY: attached; the version string is static.
        let version = unsafe { CStr::from_ptr(Py_GetVersion()) }.to_str().unwrap();
        let want = format!("{}.{}.", build_info::VERSION.0, build_info::VERSION.1);
        assert!(version.starts_with(&want), "running {version}, built for {want}");
        let maps = std::fs::read_to_string("/proc/self/maps").unwrap();
        let lib = maps
            .lines()
            .filter_map(|l| l.split_whitespace().nth(5))
            .find(|p| p.contains(&format!("lib{}.so", build_info::LIBNAME)))
            .expect("libpython is mapped");
        let dir = std::fs::canonicalize(std::path::Path::new(lib).parent().unwrap()).unwrap();
        assert_eq!(dir, std::fs::canonicalize(build_info::LIBDIR).unwrap(), "loaded {lib}");
    })
}

#[test]
fn incref_and_decref_match_c() {
    // SAFETY: attached (with_python); every object used is created here and
    // alive, and each reference taken is released before the block ends.
    with_python(|| unsafe {
        let op = fresh();
        let c = effect(op, |o| oracle_Py_INCREF(o));
        let r = effect(op, |o| Py_INCREF(o));
        assert_eq!(c, r, "Py_INCREF: C changed (count, total) by {c:?}, Rust by {r:?}");
        assert_eq!(c.0, 1);
        // On a debug interpreter both also count in the total (_Py_RefTotal).
        assert_eq!(c.1, if cfg!(Py_REF_DEBUG) { 1 } else { 0 });
        let c = effect(op, |o| oracle_Py_DECREF(o));
        let r = effect(op, |o| Py_DECREF(o));
        assert_eq!(c, r, "Py_DECREF");
        assert_eq!(c.0, -1);
        let c = effect(op, |o| oracle_Py_XINCREF(o));
        let r = effect(op, |o| Py_XINCREF(o));
        assert_eq!(c, r, "Py_XINCREF");
        let c = effect(op, |o| oracle_Py_XDECREF(o));
        let r = effect(op, |o| Py_XDECREF(o));
        assert_eq!(c, r, "Py_XDECREF");
        assert_eq!(Py_REFCNT(op), oracle_Py_REFCNT(op));
        assert_eq!(Py_REFCNT(op), 1);
        Py_DECREF(op);
        // The X variants accept NULL, as in C.
        Py_XINCREF(std::ptr::null_mut());
        Py_XDECREF(std::ptr::null_mut());
        oracle_Py_XINCREF(std::ptr::null_mut());
        oracle_Py_XDECREF(std::ptr::null_mut());
    })
}

/// Counts deallocations of instances of a Python class with `__del__`.
unsafe fn dealloc_counter() -> (*mut PyObject, *mut PyObject) {
    let code = c"class C:\n    n = 0\n    def __del__(self):\n        type(self).n += 1\n";
    let globals = PyDict_New();
    let builtins = PyEval_GetBuiltins();
    PyDict_SetItemString(globals, c"__builtins__".as_ptr(), builtins);
    let r = PyRun_StringFlags(code.as_ptr(), Py_file_input as i32, globals, globals, std::ptr::null_mut());
    assert!(!r.is_null());
    Py_DECREF(r);
    let class = PyDict_GetItemString(globals, c"C".as_ptr());
    Py_INCREF(class);
    Py_DECREF(globals);
    (class, PyObject_CallNoArgs(class))
}

unsafe fn deletions(class: *mut PyObject) -> i64 {
    let n = PyObject_GetAttrString(class, c"n".as_ptr());
    let v = PyLong_AsLongLong(n);
    Py_DECREF(n);
    v
}

#[test]
fn decref_to_zero_deallocates_like_c() {
    // SAFETY: attached (with_python); every object used is created here and
    // alive, and each reference taken is released before the block ends.
    with_python(|| unsafe {
        let (class, a) = dealloc_counter();
        oracle_Py_DECREF(a);
        assert_eq!(deletions(class), 1, "the C Py_DECREF deallocated");
        let b = PyObject_CallNoArgs(class);
        Py_DECREF(b);
        assert_eq!(deletions(class), 2, "the Rust Py_DECREF deallocated");
        Py_DECREF(class);
    })
}

#[test]
fn immortal_and_singleton_objects_match_c() {
    // SAFETY: attached (with_python); every object used is created here and
    // alive, and each reference taken is released before the block ends.
    with_python(|| unsafe {
        assert_eq!(Py_None(), oracle_Py_None());
        assert_eq!(Py_True(), oracle_Py_True());
        assert_eq!(Py_False(), oracle_Py_False());
        assert_eq!(Py_NotImplemented(), oracle_Py_NotImplemented());
        for op in [Py_None(), Py_True(), Py_False()] {
            let c = effect(op, |o| oracle_Py_INCREF(o));
            let r = effect(op, |o| Py_INCREF(o));
            assert_eq!(c, r, "Py_INCREF of a singleton");
            // Immortal from 3.12: the count does not move.
            assert_eq!(c.0, if cfg!(Py_3_12) { 0 } else { 1 });
            let c = effect(op, |o| oracle_Py_DECREF(o));
            let r = effect(op, |o| Py_DECREF(o));
            assert_eq!(c, r, "Py_DECREF of a singleton");
            assert_eq!(_Py_IsImmortal(op), cfg!(Py_3_12));
        }
    })
}

#[test]
fn type_and_size_accessors_match_c() {
    // SAFETY: attached (with_python); every object used is created here and
    // alive, and each reference taken is released before the block ends.
    with_python(|| unsafe {
        let t = PyTuple_New(3);
        let l = PyList_New(3);
        for i in 0..3 {
            let (a, b) = (PyLong_FromSsize_t(i), PyLong_FromSsize_t(10 + i));
            PyTuple_SET_ITEM(t, i, a);
            oracle_PyList_SET_ITEM(l, i, b);
        }
        for op in [t, l, Py_None()] {
            assert_eq!(Py_TYPE(op), oracle_Py_TYPE(op));
            assert_eq!(
                Py_IS_TYPE(op, &raw mut PyTuple_Type),
                oracle_Py_IS_TYPE(op, &raw mut PyTuple_Type) != 0
            );
        }
        let module = PyImport_ImportModule(c"sys".as_ptr());
        for op in [t, l, module, Py_True()] {
            for ty in [&raw mut PyTuple_Type, &raw mut PyLong_Type, &raw mut PyModule_Type] {
                assert_eq!(PyObject_TypeCheck(op, ty), oracle_PyObject_TypeCheck(op, ty) != 0);
            }
            assert_eq!(PyModule_Check(op), oracle_PyModule_Check(op) != 0);
        }
        assert!(PyModule_Check(module) && PyObject_TypeCheck(Py_True(), &raw mut PyLong_Type));
        Py_DECREF(module);
        assert_eq!(Py_SIZE(t), oracle_Py_SIZE(t));
        assert_eq!(PyTuple_GET_SIZE(t), oracle_PyTuple_GET_SIZE(t));
        assert_eq!(PyList_GET_SIZE(l), oracle_PyList_GET_SIZE(l));
        assert_eq!(PyTuple_GET_SIZE(t), 3);
        for i in 0..3 {
            assert_eq!(PyTuple_GET_ITEM(t, i), oracle_PyTuple_GET_ITEM(t, i));
            assert_eq!(PyList_GET_ITEM(l, i), oracle_PyList_GET_ITEM(l, i));
            assert_eq!(PyLong_AsSsize_t(PyList_GET_ITEM(l, i)), 10 + i);
        }
        // SET_ITEM from Rust, read back from C, and the other way round.
        let x = PyLong_FromSsize_t(99);
        let old = PyList_GET_ITEM(l, 1);
        PyList_SET_ITEM(l, 1, x);
        Py_DECREF(old);
        assert_eq!(oracle_PyList_GET_ITEM(l, 1), x);
        let y = PyLong_FromSsize_t(98);
        let old = PyTuple_GET_ITEM(t, 2);
        oracle_PyTuple_SET_ITEM(t, 2, y);
        Py_DECREF(old);
        assert_eq!(PyTuple_GET_ITEM(t, 2), y);
        Py_DECREF(t);
        Py_DECREF(l);
    })
}

#[test]
fn static_initialisers_match_c() {
    // SAFETY: the oracle returns pointers to its own static data.
    unsafe {
        let c = &*oracle_module_def();
        let r = PyModuleDef_HEAD_INIT;
        assert_eq!(
            oracle_Py_REFCNT(&raw const c.m_base.ob_base as *mut _),
            Py_REFCNT(&raw const r.ob_base as *mut _)
        );
        assert_eq!(c.m_base.ob_base.ob_type, r.ob_base.ob_type);
        assert_eq!(c.m_base.m_init.is_none(), r.m_init.is_none());
        assert_eq!(c.m_base.m_index, r.m_index);
        assert_eq!(c.m_base.m_copy, r.m_copy);
        let head = PyObject_HEAD_INIT(std::ptr::null_mut());
        let c_head = oracle_object_head() as *mut PyObject;
        assert_eq!(oracle_Py_REFCNT(c_head), Py_REFCNT(&raw const head as *mut _));
        assert_eq!((*c_head).ob_type, head.ob_type);
    }
}

#[test]
fn layouts_and_macro_values_match_the_c_compiler() {
    #[cfg(not(Py_3_12))]
    let refcnt_offset = offset_of!(PyObject, ob_refcnt);
    #[cfg(Py_3_12)]
    let refcnt_offset = offset_of!(PyObject, __bindgen_anon_1);
    let rust: &[(&str, i64)] = &[
        ("sizeof(PyObject)", size_of::<PyObject>() as i64),
        ("offsetof(PyObject, ob_refcnt)", refcnt_offset as i64),
        ("offsetof(PyObject, ob_type)", offset_of!(PyObject, ob_type) as i64),
        ("sizeof(PyVarObject)", size_of::<PyVarObject>() as i64),
        ("offsetof(PyVarObject, ob_size)", offset_of!(PyVarObject, ob_size) as i64),
        ("sizeof(PyTupleObject)", size_of::<PyTupleObject>() as i64),
        ("offsetof(PyTupleObject, ob_item)", offset_of!(PyTupleObject, ob_item) as i64),
        ("sizeof(PyListObject)", size_of::<PyListObject>() as i64),
        ("offsetof(PyListObject, ob_item)", offset_of!(PyListObject, ob_item) as i64),
        ("offsetof(PyListObject, allocated)", offset_of!(PyListObject, allocated) as i64),
        ("sizeof(PyBytesObject)", size_of::<PyBytesObject>() as i64),
        ("offsetof(PyBytesObject, ob_sval)", offset_of!(PyBytesObject, ob_sval) as i64),
        ("sizeof(PyTypeObject)", size_of::<PyTypeObject>() as i64),
        ("offsetof(PyTypeObject, tp_name)", offset_of!(PyTypeObject, tp_name) as i64),
        ("offsetof(PyTypeObject, tp_basicsize)", offset_of!(PyTypeObject, tp_basicsize) as i64),
        ("offsetof(PyTypeObject, tp_dealloc)", offset_of!(PyTypeObject, tp_dealloc) as i64),
        ("offsetof(PyTypeObject, tp_flags)", offset_of!(PyTypeObject, tp_flags) as i64),
        ("offsetof(PyTypeObject, tp_traverse)", offset_of!(PyTypeObject, tp_traverse) as i64),
        ("offsetof(PyTypeObject, tp_free)", offset_of!(PyTypeObject, tp_free) as i64),
        ("sizeof(PyMethodDef)", size_of::<PyMethodDef>() as i64),
        ("offsetof(PyMethodDef, ml_meth)", offset_of!(PyMethodDef, ml_meth) as i64),
        ("offsetof(PyMethodDef, ml_flags)", offset_of!(PyMethodDef, ml_flags) as i64),
        ("offsetof(PyMethodDef, ml_doc)", offset_of!(PyMethodDef, ml_doc) as i64),
        ("sizeof(PyModuleDef_Base)", size_of::<PyModuleDef_Base>() as i64),
        ("sizeof(PyModuleDef)", size_of::<PyModuleDef>() as i64),
        ("offsetof(PyModuleDef, m_name)", offset_of!(PyModuleDef, m_name) as i64),
        ("offsetof(PyModuleDef, m_size)", offset_of!(PyModuleDef, m_size) as i64),
        ("offsetof(PyModuleDef, m_methods)", offset_of!(PyModuleDef, m_methods) as i64),
        ("offsetof(PyModuleDef, m_slots)", offset_of!(PyModuleDef, m_slots) as i64),
        ("offsetof(PyModuleDef, m_traverse)", offset_of!(PyModuleDef, m_traverse) as i64),
        ("offsetof(PyModuleDef, m_free)", offset_of!(PyModuleDef, m_free) as i64),
        ("sizeof(PyModuleDef_Slot)", size_of::<PyModuleDef_Slot>() as i64),
        ("sizeof(PyMemberDef)", size_of::<PyMemberDef>() as i64),
        ("sizeof(PyGetSetDef)", size_of::<PyGetSetDef>() as i64),
        ("sizeof(PyType_Slot)", size_of::<PyType_Slot>() as i64),
        ("sizeof(PyType_Spec)", size_of::<PyType_Spec>() as i64),
        ("sizeof(Py_buffer)", size_of::<Py_buffer>() as i64),
        ("offsetof(Py_buffer, len)", offset_of!(Py_buffer, len) as i64),
        ("offsetof(Py_buffer, shape)", offset_of!(Py_buffer, shape) as i64),
        ("sizeof(PyConfig)", size_of::<PyConfig>() as i64),
        ("offsetof(PyConfig, program_name)", offset_of!(PyConfig, program_name) as i64),
        ("offsetof(PyConfig, module_search_paths)", offset_of!(PyConfig, module_search_paths) as i64),
        ("sizeof(PyStatus)", size_of::<PyStatus>() as i64),
        ("sizeof(PyCompilerFlags)", size_of::<PyCompilerFlags>() as i64),
        ("METH_VARARGS", METH_VARARGS as i64),
        ("METH_KEYWORDS", METH_KEYWORDS as i64),
        ("METH_NOARGS", METH_NOARGS as i64),
        ("METH_O", METH_O as i64),
        ("METH_CLASS", METH_CLASS as i64),
        ("METH_STATIC", METH_STATIC as i64),
        ("METH_COEXIST", METH_COEXIST as i64),
        ("METH_FASTCALL", METH_FASTCALL as i64),
        ("METH_METHOD", METH_METHOD as i64),
        ("Py_mod_create", Py_mod_create as i64),
        ("Py_mod_exec", Py_mod_exec as i64),
        #[cfg(Py_3_12)]
        ("Py_mod_multiple_interpreters", Py_mod_multiple_interpreters as i64),
        #[cfg(Py_3_13)]
        ("Py_mod_gil", Py_mod_gil as i64),
        ("Py_file_input", Py_file_input as i64),
        ("Py_eval_input", Py_eval_input as i64),
        ("Py_single_input", Py_single_input as i64),
    ];
    let mut checked = 0;
    // SAFETY: the table is a static array terminated by a NULL name.
    unsafe {
        let mut fact = oracle_facts.as_ptr();
        while !(*fact).name.is_null() {
            let name = CStr::from_ptr((*fact).name).to_str().unwrap();
            let want = (*fact).value;
            let got = rust
                .iter()
                .find(|(n, _)| *n == name)
                .unwrap_or_else(|| panic!("the C oracle has {name}, the Rust table does not"))
                .1;
            assert_eq!(got, want, "{name}: Rust says {got}, the C compiler {want}");
            checked += 1;
            fact = fact.add(1);
        }
    }
    assert_eq!(checked, rust.len(), "every Rust entry has a C counterpart");
}
