//! The functions between CPython and Rust: one per C calling convention.
//!
//! Every C entry point the macros write is a two-line `unsafe extern "C"`
//! function that calls one of these with its raw arguments and a safe Rust
//! function (the *body*) that does the work. The trampoline turns the raw
//! pointers into handles, runs the body through [`run`], and turns the
//! result into the C convention: the object, or NULL (or -1) with the
//! exception set. User code is in the body, never in an `unsafe` block.
//!
//! Unwinding out of an `extern "C"` function aborts the process (Rust 1.81
//! and later), and unwinding through C frames would skip CPython's own
//! cleanup. So a panic is caught at the boundary and raised as
//! `SystemError`, CPython's exception for "a bug in the interpreter or an
//! extension", with the panic message. Where C gives no way to report an
//! error (a deallocator, a traversal), [`abort_on_panic`] ends the process
//! with a message instead.

use crate::args::{FastcallArgs, OwnedArgs};
use crate::conversion::IntoPyObject;
use crate::err::PyResult;
use crate::ffi;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::PyAny;
use core::ffi::c_int;
use std::any::Any;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// The value a C entry point returns to signal "exception set".
pub trait ErrorReturn: Copy {
    /// NULL for functions returning an object, -1 for status codes.
    const ERROR: Self;
}

impl ErrorReturn for *mut ffi::PyObject {
    const ERROR: Self = core::ptr::null_mut();
}

impl ErrorReturn for c_int {
    const ERROR: Self = -1;
}

// ANCHOR: run
/// Runs the Rust body of a C entry point: `Ok(v)` returns `v`, `Err(e)`
/// sets `e`'s exception and returns the error value, and a panic becomes a
/// `SystemError` (chained to any exception already set) and the error value.
///
/// `Ok` means "no exception set". A `PyErr` owns its exception, so safe code
/// cannot break that; a raw call in `unsafe` code that fails and is not
/// checked can. Debug builds check: such an `Ok` becomes `SystemError:
/// Rust function returned Ok with an exception set`, the stale exception
/// as its `__context__`. Release builds leave the check to CPython, which
/// makes it for every call of a built-in function
/// (`_Py_CheckFunctionResult`), and add no work per call.
///
/// Debug builds also check the C stack before the body runs, and raise
/// `RecursionError` when it is nearly full ([`super::stack`]): their frames
/// are large enough for a recursion through Rust to overflow the stack
/// before the interpreter's recursion limit is reached.
///
/// # Safety
///
/// Call only from a function that CPython calls with an attached thread
/// state (a module function, a slot, an exec function).
#[inline(always)]
pub unsafe fn run<R: ErrorReturn>(
    body: impl for<'py> FnOnce(Python<'py>) -> PyResult<R>,
) -> R {
    // SAFETY: the caller's contract: CPython attached this thread.
    let py = unsafe { Python::assume_attached() };
    // Debug builds only: see `stack`; release builds have no check here.
    #[cfg(debug_assertions)]
    if let Err(err) = super::stack::check(py) {
        err.restore(py);
        return R::ERROR;
    }
    // The body gets the token only; objects it creates are dropped during
    // the unwind, which is sound: the thread stays attached.
    match catch_unwind(AssertUnwindSafe(|| body(py))) {
        Ok(Ok(value)) if !cfg!(debug_assertions) => value,
        Ok(Ok(value)) => match crate::err::take_raised(py) {
            None => value,
            Some(stale) => {
                let msg = "Rust function returned Ok with an exception set";
                let err = crate::exceptions::SystemError::new_err(py, msg);
                err.with_context(py, stale).restore(py);
                R::ERROR
            }
        },
        Ok(Err(exception)) => {
            exception.restore(py);
            R::ERROR
        }
        Err(payload) => {
            raise_panic(py, payload.as_ref());
            R::ERROR
        }
    }
}
// ANCHOR_END: run

/// Runs `f` where C has no error path (`tp_dealloc`, `tp_traverse`,
/// `tp_clear`, `m_clear`, ...): a panic cannot become an exception there,
/// and must not unwind into C, so it ends the process with a message naming
/// `what` (the slot and the Rust type).
pub fn abort_on_panic<R>(
    what: impl FnOnce() -> String,
    f: impl FnOnce() -> R,
) -> R {
    match catch_unwind(AssertUnwindSafe(f)) {
        Ok(value) => value,
        Err(payload) => {
            eprintln!(
                "fatal: {} panicked: {}",
                what(),
                panic_message(payload.as_ref())
            );
            std::process::abort();
        }
    }
}

/// The message of a panic payload (`panic!("...")` makes a `&str` or a `String`).
pub fn panic_message(payload: &(dyn Any + Send)) -> &str {
    if let Some(s) = payload.downcast_ref::<&str>() {
        s
    } else if let Some(s) = payload.downcast_ref::<String>() {
        s
    } else {
        "(a panic with a non-string payload)"
    }
}

/// Raises the `SystemError` for a caught panic, chained to any exception
/// already set.
pub(crate) fn raise_panic(py: Python<'_>, payload: &(dyn Any + Send)) {
    let previous = crate::err::take_raised(py);
    let msg = format!("Rust panic: {}", panic_message(payload));
    let err = crate::exceptions::SystemError::new_err(py, &msg);
    // Keep what was set as __context__, as `raise` inside `except` does.
    // Either way the SystemError is set, to be returned to CPython.
    let err = match previous {
        Some(previous) => err.with_context(py, previous),
        None => err,
    };
    err.restore(py);
}

/// A body's result as the object pointer a C function returns: the value
/// converted to a new reference, handed over to the caller.
///
/// # Errors
///
/// The body's error, or what the conversion raises.
#[inline(always)]
pub fn into_ptr<'py, R: IntoPyObject<'py>>(
    py: Python<'py>,
    result: PyResult<R>,
) -> PyResult<*mut ffi::PyObject> {
    Ok(result?.into_pyobject(py)?.into_ptr())
}

/// `METH_O`: `f(self, arg)`, where `self` is the module (`m_self`) or the
/// instance.
///
/// # Safety
///
/// CPython's call of a `METH_O` function: attached, with `slf` an object of
/// type `S` and `arg` a live object, both alive for the call.
#[inline(always)]
pub unsafe fn meth_o<S>(
    slf: *mut ffi::PyObject,
    arg: *mut ffi::PyObject,
    f: impl for<'py> FnOnce(
        &Bound<'py, S>,
        &Bound<'py, PyAny>,
    ) -> PyResult<*mut ffi::PyObject>,
) -> *mut ffi::PyObject {
    // SAFETY: the caller's contract; CPython never passes NULL for either
    // (telling the optimiser so drops the handles' NULL checks, which are
    // a third of what a no-op costs beyond C's).
    unsafe {
        core::hint::assert_unchecked(!slf.is_null() && !arg.is_null());
        run(|py| {
            let slf = Borrowed::<S>::from_ptr_unchecked(py, slf);
            let arg = Borrowed::<PyAny>::from_ptr_unchecked(py, arg);
            f(&slf, &arg)
        })
    }
}

/// `METH_NOARGS`: `f(self)`.
///
/// # Safety
///
/// CPython's call of a `METH_NOARGS` function: attached, with `slf` an
/// object of type `S`, alive for the call.
#[inline(always)]
pub unsafe fn meth_noargs<S>(
    slf: *mut ffi::PyObject,
    f: impl for<'py> FnOnce(&Bound<'py, S>) -> PyResult<*mut ffi::PyObject>,
) -> *mut ffi::PyObject {
    // SAFETY: the caller's contract; CPython never passes a NULL self.
    unsafe {
        core::hint::assert_unchecked(!slf.is_null());
        run(|py| {
            let slf = Borrowed::<S>::from_ptr_unchecked(py, slf);
            f(&slf)
        })
    }
}

/// `METH_FASTCALL`: `f(self, args)`, the positional arguments borrowed in
/// place from the caller's array (CPython itself refuses keywords, with
/// `TypeError: m.f() takes no keyword arguments`).
///
/// # Safety
///
/// CPython's call of a `METH_FASTCALL` function: attached, with `slf` an
/// object of type `S` and `args` pointing to `nargs` live objects (or
/// dangling when `nargs` is 0), all alive for the call.
#[inline(always)]
pub unsafe fn meth_fastcall_positional<S>(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    f: impl for<'a, 'py> FnOnce(
        &Bound<'py, S>,
        &'a [Borrowed<'a, 'py, PyAny>],
    ) -> PyResult<*mut ffi::PyObject>,
) -> *mut ffi::PyObject {
    // SAFETY: the caller's contract; CPython never passes a NULL self.
    unsafe {
        core::hint::assert_unchecked(!slf.is_null());
        run(|py| {
            let slf = Borrowed::<S>::from_ptr_unchecked(py, slf);
            let args = crate::args::positional_slice(py, args, nargs);
            f(&slf, args)
        })
    }
}

/// `METH_FASTCALL | METH_KEYWORDS`: `f(self, args)`, the arguments borrowed
/// in place from the caller's vector.
///
/// # Safety
///
/// CPython's call of such a function: attached, with `slf` an object of
/// type `S`, and `args`, `nargs` and `kwnames` as
/// [`FastcallArgs::new`] requires, all alive for the call.
#[inline(always)]
pub unsafe fn meth_fastcall<S>(
    slf: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
    f: impl for<'a, 'py> FnOnce(
        &Bound<'py, S>,
        &FastcallArgs<'a, 'py>,
    ) -> PyResult<*mut ffi::PyObject>,
) -> *mut ffi::PyObject {
    // SAFETY: the caller's contract; CPython never passes a NULL self.
    unsafe {
        core::hint::assert_unchecked(!slf.is_null());
        run(|py| {
            let slf = Borrowed::<S>::from_ptr_unchecked(py, slf);
            let args = FastcallArgs::new(py, args, nargs, kwnames);
            f(&slf, &args)
        })
    }
}

// ANCHOR: meth_method
/// `METH_METHOD | METH_FASTCALL | METH_KEYWORDS`: `f(self, cls, args)`,
/// where `cls` is the class whose method table holds the method (not
/// `type(self)`, which may be a Python subclass).
///
/// # Safety
///
/// CPython's call of such a method: attached, with `slf` an object of
/// type `S` (the method descriptor checked it), `cls` the type that defines
/// the method (the descriptor's, alive as long as the descriptor), and
/// `args`, `nargsf` and `kwnames` as for a vectorcall, all alive for the
/// call.
#[inline(always)]
pub unsafe fn meth_method<S>(
    slf: *mut ffi::PyObject,
    cls: *mut ffi::PyTypeObject,
    args: *const *mut ffi::PyObject,
    nargsf: usize,
    kwnames: *mut ffi::PyObject,
    f: impl for<'a, 'py> FnOnce(
        &Bound<'py, S>,
        &Bound<'py, crate::types::PyType>,
        &FastcallArgs<'a, 'py>,
    ) -> PyResult<*mut ffi::PyObject>,
) -> *mut ffi::PyObject {
    // SAFETY: the caller's contract; CPython never passes a NULL self or
    // class. The count is PyVectorcall_NARGS(nargsf): CPython passes a
    // plain count today, but the signature allows the offset flag.
    unsafe {
        core::hint::assert_unchecked(!slf.is_null() && !cls.is_null());
        run(|py| {
            let slf = Borrowed::<S>::from_ptr_unchecked(py, slf);
            let cls = Borrowed::<crate::types::PyType>::from_ptr_unchecked(
                py,
                cls.cast(),
            );
            let nargs =
                (nargsf & !ffi::PY_VECTORCALL_ARGUMENTS_OFFSET) as ffi::Py_ssize_t;
            let args = FastcallArgs::new(py, args, nargs, kwnames);
            f(&slf, &cls, &args)
        })
    }
}
// ANCHOR_END: meth_method

/// `tp_init`: `f(self, args)`, with the tuple and dict as fastcall arguments.
///
/// # Safety
///
/// CPython's call of `tp_init`: attached, with `slf` an instance of `S`'s
/// type (or a subtype) made by its `tp_new`, `args` a tuple and `kwargs` a
/// dict or NULL, all alive for the call.
#[inline(always)]
pub unsafe fn tp_init<S>(
    slf: *mut ffi::PyObject,
    args: *mut ffi::PyObject,
    kwargs: *mut ffi::PyObject,
    f: impl for<'a, 'py> FnOnce(&Bound<'py, S>, &FastcallArgs<'a, 'py>) -> PyResult<()>,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        run(|py| {
            let slf = Borrowed::<S>::from_ptr_unchecked(py, slf);
            let args = OwnedArgs::from_tuple_dict(py, args, kwargs);
            f(&slf, &args.as_args()).map(|()| 0)
        })
    }
}

/// A getter (`PyGetSetDef.get`): `f(self)`.
///
/// # Safety
///
/// CPython's call of a getter: attached, after the descriptor checked that
/// `slf` is an instance of `S`'s type, alive for the call.
#[inline(always)]
pub unsafe fn getter<S>(
    slf: *mut ffi::PyObject,
    f: impl for<'py> FnOnce(&Bound<'py, S>) -> PyResult<*mut ffi::PyObject>,
) -> *mut ffi::PyObject {
    // SAFETY: the caller's contract.
    unsafe { meth_noargs(slf, f) }
}

/// A setter (`PyGetSetDef.set`): `f(self, Some(value))`, or `f(self, None)`
/// for `del obj.attr`.
///
/// # Safety
///
/// CPython's call of a setter: attached, after the descriptor checked that
/// `slf` is an instance of `S`'s type; `value` is NULL or a live object;
/// both alive for the call.
#[inline(always)]
pub unsafe fn setter<S>(
    slf: *mut ffi::PyObject,
    value: *mut ffi::PyObject,
    f: impl for<'py> FnOnce(&Bound<'py, S>, Option<&Bound<'py, PyAny>>) -> PyResult<()>,
) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        run(|py| {
            let slf = Borrowed::<S>::from_ptr_unchecked(py, slf);
            let value = (!value.is_null())
                .then(|| Borrowed::<PyAny>::from_ptr_unchecked(py, value));
            f(&slf, value.as_deref()).map(|()| 0)
        })
    }
}
