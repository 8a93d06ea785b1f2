//! `planted`: an extension module whose functions have, on purpose, the
//! bugs that the book's checks exist to catch.
//!
//! A check that has never failed proves nothing: the refleak harness, the
//! memory check, the fuzzer and the book's debugging and troubleshooting
//! chapters each run one of these functions and must see the bug. The
//! module is built only for those runs (`cargo build -p tutorial-planted`)
//! and is never installed with the real modules.
//!
//! Each function names its bug. The memory bugs are `unsafe` code written to
//! be wrong; their `// SAFETY:` comments say so instead of arguing the
//! opposite. The leaks need no `unsafe` at all: forgetting a reference is
//! safe Rust, which is why leaks are checked at run time.

use core::ffi::{c_int, c_void};
use tutorial::ffi;
use tutorial::impl_::module::Static;
use tutorial::prelude::*;

// ANCHOR: leak_reference
/// `leak_reference(obj)`: takes a new reference to `obj` and never releases
/// it, like C code that forgets a `Py_DECREF`.
fn leak_reference(
    _module: &Bound<'_, PyModule>,
    obj: &Bound<'_, PyAny>,
) -> PyResult<()> {
    std::mem::forget(obj.clone_ref()); // the Py_INCREF without its Py_DECREF
    Ok(())
}
// ANCHOR_END: leak_reference

/// `leak_list()`: makes a list and never releases it: one reference and one
/// memory block per call.
fn leak_list(module: &Bound<'_, PyModule>) -> PyResult<()> {
    std::mem::forget(PyList::empty(module.py())?);
    Ok(())
}

/// `leak_rust_memory()`: allocates 100 bytes on the Rust heap and forgets
/// them: invisible to the interpreter's counts, a definite leak to valgrind.
fn leak_rust_memory(_module: &Bound<'_, PyModule>) -> PyResult<()> {
    std::mem::forget(vec![0_u8; 100]);
    Ok(())
}

// ANCHOR: read_past_end
/// `read_past_end()`: reads the byte just after a 24-byte heap block, an
/// off-by-one that returns garbage instead of crashing.
fn read_past_end(_module: &Bound<'_, PyModule>) -> PyResult<i64> {
    let block = vec![7_u8; 24].into_boxed_slice();
    // SAFETY: deliberately unsound, for the memory check's own test: offset
    // 24 is one past the end of the block, so this reads memory the block
    // does not own.
    let byte = unsafe { block.as_ptr().add(block.len()).read_volatile() };
    Ok(i64::from(byte))
}
// ANCHOR_END: read_past_end

/// `read_freed()`: reads a heap block after freeing it (use after free).
fn read_freed(_module: &Bound<'_, PyModule>) -> PyResult<i64> {
    let block = vec![7_u8; 32].into_boxed_slice();
    let ptr = block.as_ptr();
    drop(block);
    // SAFETY: deliberately unsound, for the memory check's own test: the
    // block was freed on the line above.
    let byte = unsafe { ptr.add(8).read_volatile() };
    Ok(i64::from(byte))
}

// ANCHOR: decref_borrowed
/// `decref_borrowed(obj)`: releases a reference it does not own (its
/// argument is borrowed), the classic C bug. The object is freed while the
/// caller still uses it, and the crash comes later, somewhere else.
fn decref_borrowed(
    _module: &Bound<'_, PyModule>,
    obj: &Bound<'_, PyAny>,
) -> PyResult<()> {
    // SAFETY: deliberately unsound, for the debugging chapter: `obj` is a
    // borrowed reference (a METH_O argument), so this Py_DECREF releases a
    // reference that belongs to the caller.
    unsafe { ffi::Py_DECREF(obj.as_ptr()) };
    Ok(())
}
// ANCHOR_END: decref_borrowed

/// `crash_if_negative(n)`: writes to an invalid address when `n < 0`, so
/// the process dies with SIGSEGV: a crash for the fuzzer to find.
fn crash_if_negative(
    _module: &Bound<'_, PyModule>,
    n: &Bound<'_, PyAny>,
) -> PyResult<i64> {
    let n: i64 = n.extract()?;
    if n < 0 {
        // SAFETY: deliberately unsound, for the fuzzer's own test: address
        // 0x10 is never mapped, so the write faults.
        unsafe {
            core::ptr::with_exposed_provenance_mut::<u8>(0x10).write_volatile(0)
        };
    }
    Ok(n)
}

/// `panic_if_odd(n)`: panics when `n` is odd, which the trampoline turns
/// into `SystemError`: the fuzzer reports that as a bug too.
fn panic_if_odd(
    _module: &Bound<'_, PyModule>,
    n: &Bound<'_, PyAny>,
) -> PyResult<i64> {
    let n: i64 = n.extract()?;
    assert!(n % 2 == 0, "odd: {n}");
    Ok(n)
}

/// `already_set()`: reports failure although nothing failed. The safe
/// layer's `PyErr::already_set` finds no exception and raises the
/// `SystemError` CPython raises for the same bug in C.
fn already_set(module: &Bound<'_, PyModule>) -> PyResult<()> {
    Err(PyErr::already_set(module.py()))
}

// ANCHOR: return_null
/// `return_null()`: a raw `METH_NOARGS` function that returns NULL without
/// setting an exception, bypassing the safe layer.
unsafe extern "C" fn return_null(
    _module: *mut ffi::PyObject,
    _unused: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    core::ptr::null_mut() // the bug: "return NULL;" with no PyErr_Set*
}
// ANCHOR_END: return_null

/// The getter of `NullGetter.value`: returns NULL without an exception.
unsafe extern "C" fn null_getter(
    _obj: *mut ffi::PyObject,
    _closure: *mut c_void,
) -> *mut ffi::PyObject {
    core::ptr::null_mut()
}

static NULL_GETSETS: Static<[ffi::PyGetSetDef; 2]> = Static::new([
    ffi::PyGetSetDef {
        name: c"value".as_ptr(),
        get: Some(null_getter),
        set: None,
        doc: c"Fails without an exception.".as_ptr(),
        closure: core::ptr::null_mut(),
    },
    tutorial::impl_::class::GETSET_END,
]);

static NULL_SLOTS: Static<[ffi::PyType_Slot; 2]> = Static::new([
    ffi::PyType_Slot {
        slot: ffi::Py_tp_getset as c_int,
        pfunc: NULL_GETSETS.get().cast(),
    },
    ffi::PyType_Slot { slot: 0, pfunc: core::ptr::null_mut() },
]);

static NULL_SPEC: Static<ffi::PyType_Spec> = Static::new(ffi::PyType_Spec {
    name: c"planted.NullGetter".as_ptr(),
    basicsize: core::mem::size_of::<ffi::PyObject>() as c_int,
    itemsize: 0,
    flags: ffi::Py_TPFLAGS_DEFAULT as _,
    slots: NULL_SLOTS.get().cast(),
});

/// Adds `NullGetter`, a type written with raw calls because the safe
/// layer cannot express a getter that fails without an exception.
fn exec(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = module.py();
    // SAFETY: attached (the token); the spec and its tables are static and
    // well formed; the result is a new reference or NULL with an exception.
    let ty = unsafe {
        Bound::<PyAny>::from_owned_ptr_or_err(
            py,
            ffi::PyType_FromSpec(NULL_SPEC.get()),
        )?
    };
    module.add("NullGetter", &ty)?;
    Ok(())
}

tutorial::module! {
    name: planted,
    doc: "Functions with planted bugs, for testing the checks. Never shipped.",
    exec: exec,
    methods: [
        tutorial::meth_o!(leak_reference(obj), "Leak a reference to obj."),
        tutorial::meth_noargs!(leak_list, "Leak a new list."),
        tutorial::meth_noargs!(leak_rust_memory, "Leak 100 bytes of Rust heap."),
        tutorial::meth_noargs!(read_past_end, "Read one byte past the end of a heap block."),
        tutorial::meth_noargs!(read_freed, "Read a freed heap block."),
        tutorial::meth_o!(decref_borrowed(obj), "Release a reference the function does not own."),
        tutorial::meth_o!(crash_if_negative(n), "Crash (SIGSEGV) if n is negative."),
        tutorial::meth_o!(panic_if_odd(n), "Panic if n is odd."),
        tutorial::meth_noargs!(already_set, "Fail without an exception, through the safe layer."),
        MethodDef::meth_noargs(c"return_null", Some(return_null), c"return_null($module, /)\n--\n\nReturn NULL without an exception."),
    ],
}

// The shared library CPython loads exports the init function as PyInit_planted.
tutorial::export_modules! {
    planted => planted,
}
