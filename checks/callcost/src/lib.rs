//! `_callcost_rs`: no-op functions in each calling convention, written
//! with the safe layer's `meth_*!` macros and with raw `cpython-sys`, for
//! the callgrind step (`cargo xtask test callgrind`), which counts the
//! instructions of a call of each against the C functions of the same
//! shape in `callcost_c.c`.
//!
//! The module also has `raw_bisect_left` and `raw_heappush`
//! (`raw_ports.rs`), the ports' algorithm in raw `cpython-sys`, for the
//! bindings comparison of `cargo xtask bench` (`bench/layers.py`).
//!
//! Built only for that step, in release mode, and never installed with the
//! real modules.

use tutorial::class::{Class, ObjectBase, PyClass, TypeState, add_type};
use tutorial::ffi;
use tutorial::prelude::*;

mod raw_ports;

/// `noop_o(arg, /)`: `METH_O`, through `meth_o!`.
fn noop_o(_module: &Bound<'_, PyModule>, _arg: &Bound<'_, PyAny>) -> PyResult<()> {
    Ok(())
}

/// `noop_noargs()`: `METH_NOARGS`, through `meth_noargs!`.
fn noop_noargs(_module: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}

/// `noop_fastcall(a, b, /)`: through `meth_fastcall_positional!`.
fn noop_fastcall(
    _module: &Bound<'_, PyModule>,
    _a: &Bound<'_, PyAny>,
    _b: &Bound<'_, PyAny>,
) -> PyResult<()> {
    Ok(())
}

/// `noop_keywords(a, x, lo=None, hi=None, *, key=None)`: bisect_left's
/// shape, through `meth_fastcall!`.
fn noop_keywords(
    _module: &Bound<'_, PyModule>,
    _a: &Bound<'_, PyAny>,
    _x: &Bound<'_, PyAny>,
    _lo: Option<&Bound<'_, PyAny>>,
    _hi: Option<&Bound<'_, PyAny>>,
    _key: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    Ok(())
}

/// `Py_RETURN_NONE`, in raw `cpython-sys`.
///
/// # Safety
///
/// Attached.
unsafe fn return_none() -> *mut ffi::PyObject {
    let none = ffi::Py_None();
    // SAFETY: attached (the caller's contract); None lives forever.
    unsafe { ffi::Py_INCREF(none) };
    none
}

/// `raw_o(arg, /)`: `METH_O` in raw `cpython-sys`, as C writes it.
///
/// # Safety
///
/// CPython's call of a `METH_O` function.
unsafe extern "C" fn raw_o(
    _module: *mut ffi::PyObject,
    _arg: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls it attached.
    unsafe { return_none() }
}

/// `raw_noargs()`: `METH_NOARGS` in raw `cpython-sys`.
///
/// # Safety
///
/// CPython's call of a `METH_NOARGS` function.
unsafe extern "C" fn raw_noargs(
    _module: *mut ffi::PyObject,
    _unused: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: CPython calls it attached.
    unsafe { return_none() }
}

/// `raw_fastcall(a, b, /)`: `METH_FASTCALL` in raw `cpython-sys`, the count
/// checked as Clinic checks it.
///
/// # Safety
///
/// CPython's call of a `METH_FASTCALL` function.
unsafe extern "C" fn raw_fastcall(
    _module: *mut ffi::PyObject,
    _args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
) -> *mut ffi::PyObject {
    if nargs != 2 {
        // SAFETY: attached; the exception type and the message are valid.
        unsafe {
            ffi::PyErr_SetString(
                ffi::PyExc_TypeError,
                c"raw_fastcall expected 2 arguments".as_ptr(),
            );
        }
        return core::ptr::null_mut();
    }
    // SAFETY: CPython calls it attached.
    unsafe { return_none() }
}

/// `Counter`: a class whose method `incr()` adds one to its value, the
/// Rust side of the C `Counter` in `callcost_c.c`: what reaching a value
/// through `with_mut` costs.
pub struct Counter {
    value: i64,
}

impl PyClass for Counter {
    type Base = ObjectBase;

    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(Counter { value: 0 })
    }
}

fn incr(slf: &Bound<'_, Class<Counter>>) -> PyResult<()> {
    slf.with_mut(|this| this.value += 1)
}

fn get_value(slf: &Bound<'_, Class<Counter>>) -> PyResult<i64> {
    slf.with(|this| this.value)
}

tutorial::class! {
    type: Counter,
    name: "_callcost_rs.Counter",
    doc: "",
    methods: [incr(): ""],
    getset: [value: { get: get_value, doc: "" }],
}

fn exec(module: &Bound<'_, PyModule>) -> PyResult<TypeState> {
    add_type::<Counter>(module, "Counter")
}

tutorial::module! {
    name: _callcost_rs,
    doc: "No-op functions in each calling convention, in Rust.",
    state: TypeState,
    exec: exec,
    methods: [
        tutorial::meth_o!(noop_o(arg), ""),
        tutorial::meth_noargs!(noop_noargs, ""),
        tutorial::meth_fastcall_positional!(noop_fastcall(a, b), ""),
        tutorial::meth_fastcall!(
            noop_keywords(a, x, lo = None, hi = None, *, key = None), ""
        ),
        MethodDef::meth_o(c"raw_o", Some(raw_o), c"raw_o($module, arg, /)\n--\n\n"),
        MethodDef::meth_noargs(
            c"raw_noargs", Some(raw_noargs), c"raw_noargs($module, /)\n--\n\n"
        ),
        MethodDef::meth_fastcall(
            c"raw_fastcall", raw_fastcall, c"raw_fastcall($module, a, b, /)\n--\n\n"
        ),
        MethodDef::meth_fastcall_keywords(
            c"raw_bisect_left",
            raw_ports::raw_bisect_left,
            c"raw_bisect_left($module, /, a, x, lo=0, hi=None, *, key=None)\n--\n\n"
        ),
        MethodDef::meth_fastcall(
            c"raw_heappush",
            raw_ports::raw_heappush,
            c"raw_heappush($module, heap, item, /)\n--\n\n"
        ),
    ],
}

// The library exports the init function as PyInit__callcost_rs.
tutorial::export_modules! {
    _callcost_rs => _callcost_rs,
}
