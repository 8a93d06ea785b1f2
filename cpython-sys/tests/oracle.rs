//! Tests the hand-written Rust parts of the bindings against the C originals.
//!
//! Each check runs the C macro (through `oracle/oracle.c`, compiled against the
//! target headers) and the Rust re-implementation on the same real objects of
//! an embedded interpreter, and compares what they did: the object's count,
//! the interpreter's total count on a debug build, deallocation.
#![allow(unsafe_op_in_unsafe_fn)]

use core::ffi::{c_int, c_ulong};
use core::mem::{offset_of, size_of};
use cpython_sys::*;
use cpython_sys_oracle::*;
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
    /// Releases the thread state on drop, so that a failing test (a panic)
    /// detaches too, and the other tests, waiting to attach, run and report.
    struct Attached(PyGILState_STATE);
    impl Drop for Attached {
        fn drop(&mut self) {
            // SAFETY: pairs with the PyGILState_Ensure that made `self`.
            unsafe { PyGILState_Release(self.0) }
        }
    }
    // SAFETY: the interpreter is initialised; Ensure/Release pair up.
    let _attached = Attached(unsafe { PyGILState_Ensure() });
    f()
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
unsafe fn effect(
    op: *mut PyObject,
    f: impl FnOnce(*mut PyObject),
) -> (isize, isize) {
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
        let dir =
            std::fs::canonicalize(std::path::Path::new(lib).parent().unwrap())
                .unwrap();
        assert_eq!(
            dir,
            std::fs::canonicalize(build_info::LIBDIR).unwrap(),
            "loaded {lib}"
        );
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
        assert_eq!(
            c, r,
            "Py_INCREF: C changed (count, total) by {c:?}, Rust by {r:?}"
        );
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

/// On a free-threaded build: the thread id, and which of the two counts
/// each function changes, from the owning thread and from another one.
#[cfg(free_threaded_fast_path)]
#[test]
fn free_threaded_counts_match_c() {
    unsafe extern "C" {
        fn oracle__Py_ThreadId() -> usize;
    }
    /// (local, shared) of `op`.
    unsafe fn counts(op: *mut PyObject) -> (u32, isize) {
        // SAFETY: the caller's object is live; no other thread runs here.
        unsafe { ((*op).ob_ref_local, (*op).ob_ref_shared) }
    }
    // SAFETY: attached (with_python); the object is created here and
    // released at the end; the other thread only changes counts of a
    // reference this thread keeps alive, and is joined before that.
    with_python(|| unsafe {
        assert_eq!(_Py_ThreadId(), oracle__Py_ThreadId());
        let op = fresh();
        assert!(_Py_IsOwnedByCurrentThread(op));
        let before = counts(op);
        oracle_Py_INCREF(op);
        let c = counts(op);
        Py_DECREF(op);
        Py_INCREF(op);
        assert_eq!(counts(op), c, "the owner's Py_INCREF: local + 1, as C");
        assert_eq!(c.0, before.0 + 1);
        Py_DECREF(op);
        assert_eq!(counts(op), before);
        // From another thread: the shared count, in units of 4.
        let addr = op as usize;
        let from_other = std::thread::spawn(move || {
            let op = addr as *mut PyObject;
            // Inside the test's unsafe block: only the count is touched,
            // atomically, as C does from any thread, and the owner holds a
            // reference all along.
            assert_eq!(_Py_ThreadId(), oracle__Py_ThreadId());
            assert!(!_Py_IsOwnedByCurrentThread(op));
            oracle_Py_INCREF(op);
            let c = counts(op);
            Py_INCREF(op);
            (c, counts(op))
        });
        let (c, r) = from_other.join().expect("the thread ran");
        assert_eq!(c.1 - before.1, 4, "C adds 1 << _Py_REF_SHARED_SHIFT");
        assert_eq!(r.1 - c.1, 4, "Rust adds what C adds");
        assert_eq!(r.0, before.0, "neither touched the local count");
        // The owner gives both back through the shared count's path.
        oracle_Py_DECREF(op);
        Py_DECREF(op);
        assert_eq!(Py_REFCNT(op), oracle_Py_REFCNT(op));
        Py_DECREF(op);
    })
}

/// Counts deallocations of instances of a Python class with `__del__`.
unsafe fn dealloc_counter() -> (*mut PyObject, *mut PyObject) {
    let code =
        c"class C:\n    n = 0\n    def __del__(self):\n        type(self).n += 1\n";
    let globals = PyDict_New();
    let builtins = PyEval_GetBuiltins();
    PyDict_SetItemString(globals, c"__builtins__".as_ptr(), builtins);
    let r = PyRun_StringFlags(
        code.as_ptr(),
        Py_file_input as i32,
        globals,
        globals,
        std::ptr::null_mut(),
    );
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
            for ty in [
                &raw mut PyTuple_Type,
                &raw mut PyLong_Type,
                &raw mut PyModule_Type,
            ] {
                assert_eq!(
                    PyObject_TypeCheck(op, ty),
                    oracle_PyObject_TypeCheck(op, ty) != 0
                );
            }
            assert_eq!(PyModule_Check(op), oracle_PyModule_Check(op) != 0);
        }
        assert!(
            PyModule_Check(module)
                && PyObject_TypeCheck(Py_True(), &raw mut PyLong_Type)
        );
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

/// Python code making the objects the type checks are compared on: one or
/// more of each kind the checks tell apart, subclass instances included.
const ZOO: &CStr = cr#"
class StrSub(str): pass
class FloatSub(float): pass
class IntSub(int): pass
class BytesSub(bytes): pass
class ByteArraySub(bytearray): pass
class TupleSub(tuple): pass
class ListSub(list): pass
class DictSub(dict): pass
class Meta(type): pass
class WithMeta(metaclass=Meta): pass
class Heap: pass
class Index:
    def __index__(self):
        return 7
import sys
zoo = [
    ("int", 7),
    ("big int", 2**100),
    ("bool", True),
    ("int subclass", IntSub(3)),
    ("ascii str", "spam"),
    ("latin-1 str", "caf\xe9"),
    ("ucs-2 str", "\u20ac 5"),
    ("ucs-4 str", "snake \U0001f40d"),
    ("str subclass", StrSub("eggs")),
    ("non-ascii str subclass", StrSub("\u20ac\xe9")),
    ("empty str", ""),
    ("bytes", b"ab"),
    ("bytes subclass", BytesSub(b"cd")),
    ("bytearray", bytearray(b"ab")),
    ("bytearray subclass", ByteArraySub(b"cd")),
    ("tuple", (1, 2)),
    ("empty tuple", ()),
    ("tuple subclass", TupleSub((1,))),
    ("list", [1]),
    ("list subclass", ListSub([2])),
    ("dict", {1: 2}),
    ("dict subclass", DictSub(a=1)),
    ("float", 0.1),
    ("float subclass", FloatSub(-1e300)),
    ("type", int),
    ("type type", type),
    ("heap type", Heap),
    ("metaclass instance", WithMeta),
    ("instance", Heap()),
    ("__index__", Index()),
    ("module", sys),
    ("None", None),
]
"#;

/// The objects of [`ZOO`], by name, and the namespace that keeps them alive
/// (a new reference, for the caller to release).
unsafe fn zoo() -> (*mut PyObject, Vec<(String, *mut PyObject)>) {
    let globals = PyDict_New();
    PyDict_SetItemString(globals, c"__builtins__".as_ptr(), PyEval_GetBuiltins());
    let r = PyRun_StringFlags(
        ZOO.as_ptr(),
        Py_file_input as i32,
        globals,
        globals,
        std::ptr::null_mut(),
    );
    if r.is_null() {
        PyErr_Print();
        panic!("the zoo's code failed");
    }
    Py_DECREF(r);
    let list = PyDict_GetItemString(globals, c"zoo".as_ptr());
    let objects = (0..PyList_GET_SIZE(list))
        .map(|i| {
            let pair = PyList_GET_ITEM(list, i);
            let name = CStr::from_ptr(PyUnicode_AsUTF8(PyTuple_GET_ITEM(pair, 0)));
            (name.to_str().unwrap().to_owned(), PyTuple_GET_ITEM(pair, 1))
        })
        .collect();
    (globals, objects)
}

/// The object of the zoo named `name`.
fn pick(zoo: &[(String, *mut PyObject)], name: &str) -> *mut PyObject {
    zoo.iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in the zoo"))
        .1
}

type Check = (
    &'static str,
    unsafe fn(*mut PyObject) -> bool,
    unsafe extern "C" fn(*mut PyObject) -> c_int,
);

#[test]
fn type_checks_match_c() {
    let checks: &[Check] = &[
        ("PyType_Check", PyType_Check, oracle_PyType_Check),
        ("PyType_CheckExact", PyType_CheckExact, oracle_PyType_CheckExact),
        ("PyLong_Check", PyLong_Check, oracle_PyLong_Check),
        ("PyLong_CheckExact", PyLong_CheckExact, oracle_PyLong_CheckExact),
        ("PyFloat_Check", PyFloat_Check, oracle_PyFloat_Check),
        ("PyFloat_CheckExact", PyFloat_CheckExact, oracle_PyFloat_CheckExact),
        ("PyUnicode_Check", PyUnicode_Check, oracle_PyUnicode_Check),
        ("PyUnicode_CheckExact", PyUnicode_CheckExact, oracle_PyUnicode_CheckExact),
        ("PyBytes_Check", PyBytes_Check, oracle_PyBytes_Check),
        ("PyBytes_CheckExact", PyBytes_CheckExact, oracle_PyBytes_CheckExact),
        ("PyByteArray_Check", PyByteArray_Check, oracle_PyByteArray_Check),
        (
            "PyByteArray_CheckExact",
            PyByteArray_CheckExact,
            oracle_PyByteArray_CheckExact,
        ),
        ("PyTuple_Check", PyTuple_Check, oracle_PyTuple_Check),
        ("PyTuple_CheckExact", PyTuple_CheckExact, oracle_PyTuple_CheckExact),
        ("PyList_Check", PyList_Check, oracle_PyList_Check),
        ("PyList_CheckExact", PyList_CheckExact, oracle_PyList_CheckExact),
        ("PyDict_Check", PyDict_Check, oracle_PyDict_Check),
        ("PyDict_CheckExact", PyDict_CheckExact, oracle_PyDict_CheckExact),
        ("PyModule_Check", PyModule_Check, oracle_PyModule_Check),
        // The internal inline check against the exported function.
        ("_PyIndex_Check", _PyIndex_Check, PyIndex_Check),
    ];
    // SAFETY: attached (with_python); the zoo's objects live in its
    // namespace until it is released at the end.
    with_python(|| unsafe {
        let (globals, zoo) = zoo();
        let mut seen = vec![(false, false); checks.len()];
        for (name, op) in &zoo {
            for ((check, rust, c), seen) in checks.iter().zip(&mut seen) {
                let (r, c) = (rust(*op), c(*op) != 0);
                assert_eq!(r, c, "{check} of the {name}: Rust says {r}, C {c}");
                if r {
                    seen.0 = true;
                } else {
                    seen.1 = true;
                }
            }
        }
        // Each check is true of some object and false of another, so a
        // check that always answers the same cannot pass.
        for ((check, ..), seen) in checks.iter().zip(&seen) {
            assert_eq!(
                *seen,
                (true, true),
                "{check} (true of some, false of some)"
            );
        }
        // The distinctions the checks exist for.
        let is = |check: &str, name: &str| {
            let f = checks.iter().find(|c| c.0 == check).unwrap().1;
            f(pick(&zoo, name))
        };
        assert!(is("PyLong_Check", "bool") && !is("PyLong_CheckExact", "bool"));
        assert!(
            is("PyFloat_Check", "float subclass")
                && !is("PyFloat_CheckExact", "float subclass")
        );
        assert!(
            is("PyUnicode_Check", "str subclass")
                && !is("PyUnicode_CheckExact", "str subclass")
        );
        assert!(
            is("PyType_Check", "metaclass instance")
                && !is("PyType_CheckExact", "metaclass instance")
        );
        assert!(
            is("PyType_CheckExact", "heap type") && !is("PyType_Check", "instance")
        );
        assert!(
            is("PyByteArray_Check", "bytearray subclass")
                && !is("PyBytes_Check", "bytearray")
        );
        assert!(is("_PyIndex_Check", "__index__") && is("_PyIndex_Check", "bool"));
        assert!(!is("_PyIndex_Check", "float") && !is("_PyIndex_Check", "None"));
        Py_DECREF(globals);
    })
}

#[test]
fn type_features_match_c() {
    // SAFETY: attached (with_python); the zoo's objects, and so their types,
    // live in its namespace until it is released at the end.
    with_python(|| unsafe {
        let (globals, zoo) = zoo();
        let mut types: Vec<*mut PyTypeObject> =
            zoo.iter().map(|(_, op)| Py_TYPE(*op)).collect();
        types.extend(
            zoo.iter()
                .filter(|(_, op)| PyType_Check(*op))
                .map(|(_, op)| op.cast::<PyTypeObject>()),
        );
        // Every single bit of an unsigned long, none, and all of them.
        let features = (0..c_ulong::BITS).map(|b| 1 << b).chain([0, c_ulong::MAX]);
        for feature in features {
            for &ty in &types {
                let name = CStr::from_ptr((*ty).tp_name).to_string_lossy();
                let (r, c) = (
                    PyType_HasFeature(ty, feature),
                    oracle_PyType_HasFeature(ty, feature) != 0,
                );
                assert_eq!(
                    r, c,
                    "PyType_HasFeature({name}, {feature:#x}): Rust says {r}, C {c}"
                );
                let (r, c) = (
                    PyType_FastSubclass(ty, feature),
                    oracle_PyType_FastSubclass(ty, feature) != 0,
                );
                assert_eq!(
                    r, c,
                    "PyType_FastSubclass({name}, {feature:#x}): Rust says {r}, C {c}"
                );
            }
        }
        let heap = pick(&zoo, "heap type").cast::<PyTypeObject>();
        assert!(PyType_HasFeature(heap, Py_TPFLAGS_HEAPTYPE as c_ulong));
        assert!(!PyType_HasFeature(
            &raw mut PyList_Type,
            Py_TPFLAGS_HEAPTYPE as c_ulong
        ));
        assert!(PyType_FastSubclass(
            &raw mut PyBool_Type,
            Py_TPFLAGS_LONG_SUBCLASS as c_ulong
        ));
        Py_DECREF(globals);
    })
}

#[test]
fn unicode_accessors_match_c() {
    // SAFETY: attached (with_python); the zoo's objects live in its
    // namespace until it is released at the end; the accessors are called
    // on strs only, and the characters read are within their length.
    with_python(|| unsafe {
        let (globals, zoo) = zoo();
        let mut compact_ascii = Vec::new();
        let mut checked = 0;
        for (name, op) in
            zoo.iter().filter(|(_, op)| oracle_PyUnicode_Check(*op) != 0)
        {
            let op = *op;
            #[cfg(not(Py_3_12))]
            {
                assert_eq!(
                    PyUnicode_IS_READY(op),
                    oracle_PyUnicode_IS_READY(op) != 0,
                    "IS_READY of {name}"
                );
                assert!(
                    PyUnicode_IS_READY(op),
                    "every str made by Python code is ready: {name}"
                );
            }
            assert_eq!(
                PyUnicode_IS_ASCII(op),
                oracle_PyUnicode_IS_ASCII(op) != 0,
                "IS_ASCII of {name}"
            );
            assert_eq!(
                PyUnicode_IS_COMPACT(op),
                oracle_PyUnicode_IS_COMPACT(op) != 0,
                "IS_COMPACT of {name}"
            );
            assert_eq!(
                PyUnicode_IS_COMPACT_ASCII(op),
                oracle_PyUnicode_IS_COMPACT_ASCII(op) != 0,
                "IS_COMPACT_ASCII of {name}"
            );
            let len = PyUnicode_GET_LENGTH(op);
            assert_eq!(
                len,
                oracle_PyUnicode_GET_LENGTH(op),
                "GET_LENGTH of {name}"
            );
            assert_eq!(len, PyObject_Length(op), "GET_LENGTH of {name} is len()");
            let data = PyUnicode_DATA(op);
            assert_eq!(data, oracle_PyUnicode_DATA(op), "DATA of {name}");
            if PyUnicode_IS_COMPACT(op) {
                assert_eq!(
                    _PyUnicode_COMPACT_DATA(op),
                    oracle__PyUnicode_COMPACT_DATA(op),
                    "{name}"
                );
            } else {
                assert_eq!(
                    _PyUnicode_NONCOMPACT_DATA(op),
                    oracle__PyUnicode_NONCOMPACT_DATA(op),
                    "{name}"
                );
            }
            if PyUnicode_IS_ASCII(op) {
                // One byte a character: the same bytes as the UTF-8 the
                // interpreter converts to.
                let chars =
                    std::slice::from_raw_parts(data.cast::<u8>(), len as usize);
                let mut size = 0;
                let utf8 = PyUnicode_AsUTF8AndSize(op, &mut size);
                assert!(!utf8.is_null());
                assert_eq!(
                    chars,
                    std::slice::from_raw_parts(utf8.cast::<u8>(), size as usize),
                    "{name}"
                );
            }
            if PyUnicode_IS_COMPACT_ASCII(op) {
                compact_ascii.push(name.as_str());
                let chars =
                    std::slice::from_raw_parts(data.cast::<u8>(), len as usize);
                assert_eq!(
                    chars,
                    if name == "ascii str" { &b"spam"[..] } else { b"" },
                    "{name}"
                );
            }
            checked += 1;
        }
        assert_eq!(checked, 7, "the zoo's strs");
        // A subclass instance is not compact, though ASCII; the other
        // kinds are compact, not ASCII.
        assert_eq!(compact_ascii, ["ascii str", "empty str"]);
        let sub = pick(&zoo, "str subclass");
        assert!(PyUnicode_IS_ASCII(sub) && !PyUnicode_IS_COMPACT(sub));
        let chars = std::slice::from_raw_parts(
            PyUnicode_DATA(sub).cast::<u8>(),
            PyUnicode_GET_LENGTH(sub) as usize,
        );
        assert_eq!(chars, b"eggs");
        assert_eq!(PyUnicode_GET_LENGTH(pick(&zoo, "ucs-4 str")), 7);
        Py_DECREF(globals);
    })
}

#[test]
fn float_value_matches_c() {
    // SAFETY: attached (with_python); the zoo's objects live in its
    // namespace until it is released at the end; AS_DOUBLE is called on
    // floats only.
    with_python(|| unsafe {
        let (globals, zoo) = zoo();
        let mut values = Vec::new();
        for (name, op) in
            zoo.iter().filter(|(_, op)| oracle_PyFloat_Check(*op) != 0)
        {
            let (r, c) = (PyFloat_AS_DOUBLE(*op), oracle_PyFloat_AS_DOUBLE(*op));
            assert_eq!(
                r.to_bits(),
                c.to_bits(),
                "PyFloat_AS_DOUBLE of the {name}: Rust {r}, C {c}"
            );
            assert_eq!(r.to_bits(), PyFloat_AsDouble(*op).to_bits(), "{name}");
            values.push(r);
        }
        assert_eq!(values, [0.1, -1e300]);
        Py_DECREF(globals);
    })
}

#[test]
fn typed_slots_match_c() {
    // SAFETY: attached (with_python); the zoo's heap type lives in its
    // namespace until it is released at the end, the static types always;
    // the instance made with the heap type's tp_alloc is released by
    // Py_DECREF, as any instance of it.
    with_python(|| unsafe {
        let (globals, zoo) = zoo();
        let heap = pick(&zoo, "heap type").cast::<PyTypeObject>();
        assert!(PyType_HasFeature(heap, Py_TPFLAGS_HEAPTYPE as c_ulong));
        let types = [
            heap,
            Py_TYPE(pick(&zoo, "metaclass instance")),
            &raw mut PyList_Type,
            &raw mut PyLong_Type,
            &raw mut PyUnicode_Type,
            &raw mut PyFloat_Type,
            &raw mut PyBaseObject_Type,
            &raw mut PyType_Type,
        ];
        for ty in types {
            let name = CStr::from_ptr((*ty).tp_name).to_string_lossy();
            let r = PyType_GetSlot_tp_alloc(ty).map(|f| f as *const ());
            assert_eq!(
                r,
                oracle_PyType_GetSlot_tp_alloc(ty).map(|f| f as *const ()),
                "tp_alloc of {name}"
            );
            assert_eq!(
                r,
                (*ty).tp_alloc.map(|f| f as *const ()),
                "tp_alloc of {name} is the field"
            );
            assert!(r.is_some(), "{name} has a tp_alloc");
            let r = PyType_GetSlot_tp_free(ty).map(|f| f as *const ());
            assert_eq!(
                r,
                oracle_PyType_GetSlot_tp_free(ty).map(|f| f as *const ()),
                "tp_free of {name}"
            );
            assert_eq!(
                r,
                (*ty).tp_free.map(|f| f as *const ()),
                "tp_free of {name} is the field"
            );
            assert!(r.is_some(), "{name} has a tp_free");
            assert!(PyErr_Occurred().is_null());
        }
        // The typed pointer is callable as what it is.
        let alloc = PyType_GetSlot_tp_alloc(heap).unwrap();
        let op = alloc(heap, 0);
        assert!(!op.is_null());
        assert!(Py_IS_TYPE(op, heap));
        assert_eq!(Py_REFCNT(op), 1);
        Py_DECREF(op);
        Py_DECREF(globals);
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
    #[cfg(all(Py_3_12, not(Py_GIL_DISABLED)))]
    let refcnt_offset = offset_of!(PyObject, __bindgen_anon_1);
    let rust: &[(&str, i64)] = &[
        ("sizeof(PyObject)", size_of::<PyObject>() as i64),
        #[cfg(not(Py_GIL_DISABLED))]
        ("offsetof(PyObject, ob_refcnt)", refcnt_offset as i64),
        #[cfg(Py_GIL_DISABLED)]
        ("offsetof(PyObject, ob_tid)", offset_of!(PyObject, ob_tid) as i64),
        #[cfg(Py_GIL_DISABLED)]
        (
            "offsetof(PyObject, ob_ref_local)",
            offset_of!(PyObject, ob_ref_local) as i64,
        ),
        #[cfg(Py_GIL_DISABLED)]
        (
            "offsetof(PyObject, ob_ref_shared)",
            offset_of!(PyObject, ob_ref_shared) as i64,
        ),
        ("offsetof(PyObject, ob_type)", offset_of!(PyObject, ob_type) as i64),
        ("sizeof(PyVarObject)", size_of::<PyVarObject>() as i64),
        ("offsetof(PyVarObject, ob_size)", offset_of!(PyVarObject, ob_size) as i64),
        ("sizeof(PyTupleObject)", size_of::<PyTupleObject>() as i64),
        (
            "offsetof(PyTupleObject, ob_item)",
            offset_of!(PyTupleObject, ob_item) as i64,
        ),
        ("sizeof(PyListObject)", size_of::<PyListObject>() as i64),
        (
            "offsetof(PyListObject, ob_item)",
            offset_of!(PyListObject, ob_item) as i64,
        ),
        (
            "offsetof(PyListObject, allocated)",
            offset_of!(PyListObject, allocated) as i64,
        ),
        ("sizeof(PyBytesObject)", size_of::<PyBytesObject>() as i64),
        (
            "offsetof(PyBytesObject, ob_sval)",
            offset_of!(PyBytesObject, ob_sval) as i64,
        ),
        ("sizeof(PyTypeObject)", size_of::<PyTypeObject>() as i64),
        (
            "offsetof(PyTypeObject, tp_name)",
            offset_of!(PyTypeObject, tp_name) as i64,
        ),
        (
            "offsetof(PyTypeObject, tp_basicsize)",
            offset_of!(PyTypeObject, tp_basicsize) as i64,
        ),
        (
            "offsetof(PyTypeObject, tp_dealloc)",
            offset_of!(PyTypeObject, tp_dealloc) as i64,
        ),
        (
            "offsetof(PyTypeObject, tp_flags)",
            offset_of!(PyTypeObject, tp_flags) as i64,
        ),
        (
            "offsetof(PyTypeObject, tp_traverse)",
            offset_of!(PyTypeObject, tp_traverse) as i64,
        ),
        (
            "offsetof(PyTypeObject, tp_free)",
            offset_of!(PyTypeObject, tp_free) as i64,
        ),
        (
            "offsetof(PyTypeObject, tp_as_number)",
            offset_of!(PyTypeObject, tp_as_number) as i64,
        ),
        (
            "offsetof(PyTypeObject, tp_alloc)",
            offset_of!(PyTypeObject, tp_alloc) as i64,
        ),
        (
            "offsetof(PyNumberMethods, nb_index)",
            offset_of!(PyNumberMethods, nb_index) as i64,
        ),
        ("sizeof(PyFloatObject)", size_of::<PyFloatObject>() as i64),
        (
            "offsetof(PyFloatObject, ob_fval)",
            offset_of!(PyFloatObject, ob_fval) as i64,
        ),
        ("sizeof(PyASCIIObject)", size_of::<PyASCIIObject>() as i64),
        (
            "offsetof(PyASCIIObject, length)",
            offset_of!(PyASCIIObject, length) as i64,
        ),
        ("offsetof(PyASCIIObject, state)", offset_of!(PyASCIIObject, state) as i64),
        (
            "sizeof(PyCompactUnicodeObject)",
            size_of::<PyCompactUnicodeObject>() as i64,
        ),
        ("sizeof(PyUnicodeObject)", size_of::<PyUnicodeObject>() as i64),
        (
            "offsetof(PyUnicodeObject, data)",
            offset_of!(PyUnicodeObject, data) as i64,
        ),
        ("sizeof(PyMethodDef)", size_of::<PyMethodDef>() as i64),
        ("offsetof(PyMethodDef, ml_meth)", offset_of!(PyMethodDef, ml_meth) as i64),
        (
            "offsetof(PyMethodDef, ml_flags)",
            offset_of!(PyMethodDef, ml_flags) as i64,
        ),
        ("offsetof(PyMethodDef, ml_doc)", offset_of!(PyMethodDef, ml_doc) as i64),
        ("sizeof(PyModuleDef_Base)", size_of::<PyModuleDef_Base>() as i64),
        ("sizeof(PyModuleDef)", size_of::<PyModuleDef>() as i64),
        ("offsetof(PyModuleDef, m_name)", offset_of!(PyModuleDef, m_name) as i64),
        ("offsetof(PyModuleDef, m_size)", offset_of!(PyModuleDef, m_size) as i64),
        (
            "offsetof(PyModuleDef, m_methods)",
            offset_of!(PyModuleDef, m_methods) as i64,
        ),
        ("offsetof(PyModuleDef, m_slots)", offset_of!(PyModuleDef, m_slots) as i64),
        (
            "offsetof(PyModuleDef, m_traverse)",
            offset_of!(PyModuleDef, m_traverse) as i64,
        ),
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
        (
            "offsetof(PyConfig, program_name)",
            offset_of!(PyConfig, program_name) as i64,
        ),
        (
            "offsetof(PyConfig, module_search_paths)",
            offset_of!(PyConfig, module_search_paths) as i64,
        ),
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
        ("PY_VECTORCALL_ARGUMENTS_OFFSET", PY_VECTORCALL_ARGUMENTS_OFFSET as i64),
        ("T_PYSSIZET", T_PYSSIZET as i64),
        ("READONLY", READONLY as i64),
        ("Py_mod_create", Py_mod_create as i64),
        ("Py_mod_exec", Py_mod_exec as i64),
        #[cfg(Py_3_12)]
        ("Py_mod_multiple_interpreters", Py_mod_multiple_interpreters as i64),
        #[cfg(Py_3_12)]
        (
            "(intptr_t)Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED",
            Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED as i64,
        ),
        #[cfg(Py_3_12)]
        (
            "(intptr_t)Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED",
            Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED as i64,
        ),
        #[cfg(Py_3_12)]
        (
            "(intptr_t)Py_MOD_PER_INTERPRETER_GIL_SUPPORTED",
            Py_MOD_PER_INTERPRETER_GIL_SUPPORTED as i64,
        ),
        #[cfg(Py_3_13)]
        ("Py_mod_gil", Py_mod_gil as i64),
        #[cfg(Py_3_13)]
        ("(intptr_t)Py_MOD_GIL_USED", Py_MOD_GIL_USED as i64),
        #[cfg(Py_3_13)]
        ("(intptr_t)Py_MOD_GIL_NOT_USED", Py_MOD_GIL_NOT_USED as i64),
        #[cfg(Py_3_15)]
        ("Py_mod_name", Py_mod_name as i64),
        #[cfg(Py_3_15)]
        ("Py_mod_doc", Py_mod_doc as i64),
        #[cfg(Py_3_15)]
        ("Py_mod_state_size", Py_mod_state_size as i64),
        #[cfg(Py_3_15)]
        ("Py_mod_methods", Py_mod_methods as i64),
        #[cfg(Py_3_15)]
        ("Py_mod_state_traverse", Py_mod_state_traverse as i64),
        #[cfg(Py_3_15)]
        ("Py_mod_state_clear", Py_mod_state_clear as i64),
        #[cfg(Py_3_15)]
        ("Py_mod_state_free", Py_mod_state_free as i64),
        #[cfg(Py_3_15)]
        ("Py_mod_abi", Py_mod_abi as i64),
        #[cfg(Py_3_15)]
        ("Py_mod_token", Py_mod_token as i64),
        #[cfg(Py_3_15)]
        ("sizeof(PySlot)", size_of::<PySlot>() as i64),
        #[cfg(Py_3_15)]
        ("offsetof(PySlot, sl_ptr)", offset_of!(PySlot, __bindgen_anon_2) as i64),
        #[cfg(Py_3_15)]
        ("sizeof(PyABIInfo)", size_of::<PyABIInfo>() as i64),
        #[cfg(Py_3_15)]
        ("PySlot_STATIC", PySlot_STATIC as i64),
        #[cfg(Py_3_15)]
        ("PySlot_INTPTR", PySlot_INTPTR as i64),
        #[cfg(Py_3_15)]
        ("PyABIInfo_DEFAULT_FLAGS", PyABIInfo_DEFAULT_FLAGS as i64),
        #[cfg(Py_3_15)]
        ("PyABIInfo_DEFAULT_ABI_VERSION", PyABIInfo_DEFAULT_ABI_VERSION as i64),
        ("Py_tp_alloc", Py_tp_alloc as i64),
        ("Py_tp_free", Py_tp_free as i64),
        ("Py_TPFLAGS_HEAPTYPE", Py_TPFLAGS_HEAPTYPE as i64),
        ("Py_TPFLAGS_LONG_SUBCLASS", Py_TPFLAGS_LONG_SUBCLASS as i64),
        ("Py_TPFLAGS_LIST_SUBCLASS", Py_TPFLAGS_LIST_SUBCLASS as i64),
        ("Py_TPFLAGS_TUPLE_SUBCLASS", Py_TPFLAGS_TUPLE_SUBCLASS as i64),
        ("Py_TPFLAGS_BYTES_SUBCLASS", Py_TPFLAGS_BYTES_SUBCLASS as i64),
        ("Py_TPFLAGS_UNICODE_SUBCLASS", Py_TPFLAGS_UNICODE_SUBCLASS as i64),
        ("Py_TPFLAGS_DICT_SUBCLASS", Py_TPFLAGS_DICT_SUBCLASS as i64),
        ("Py_TPFLAGS_TYPE_SUBCLASS", Py_TPFLAGS_TYPE_SUBCLASS as i64),
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
                .unwrap_or_else(|| {
                    panic!("the C oracle has {name}, the Rust table does not")
                })
                .1;
            assert_eq!(got, want, "{name}: Rust says {got}, the C compiler {want}");
            checked += 1;
            fact = fact.add(1);
        }
    }
    assert_eq!(checked, rust.len(), "every Rust entry has a C counterpart");
}
