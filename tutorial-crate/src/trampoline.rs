//! The functions between CPython and Rust: every C entry point runs its
//! Rust body through [`run`], which turns errors and panics into the C
//! convention, so that a panic never unwinds into C.
//!
//! Unwinding out of an `extern "C"` function aborts the process (Rust 1.81
//! and later), and unwinding through C frames would skip CPython's own
//! cleanup. So a panic is caught at the boundary and raised as
//! `SystemError`, CPython's exception for "a bug in the interpreter or an
//! extension", with the panic message.

use crate::err::PyResult;
use crate::ffi;
use crate::python::Python;
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

impl ErrorReturn for core::ffi::c_int {
    const ERROR: Self = -1;
}

// ANCHOR: run
/// Runs the Rust body of a C entry point: `Ok(v)` returns `v`, `Err` returns
/// the error value with the exception set, and a panic becomes a
/// `SystemError` (chained to any exception already set) and the error value.
///
/// # Safety
///
/// Call only from a function that CPython calls with an attached thread
/// state (a module function, a slot, an exec function).
pub unsafe fn run<R: ErrorReturn>(body: impl for<'py> FnOnce(Python<'py>) -> PyResult<R>) -> R {
    // SAFETY: the caller's contract: CPython attached this thread.
    let py = unsafe { Python::assume_attached() };
    // The body gets the token only; objects it creates are dropped during
    // the unwind, which is sound: the thread stays attached.
    match catch_unwind(AssertUnwindSafe(|| body(py))) {
        Ok(Ok(value)) => value,
        Ok(Err(_exception_set)) => R::ERROR,
        Err(payload) => {
            raise_panic(py, payload.as_ref());
            R::ERROR
        }
    }
}
// ANCHOR_END: run

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

fn raise_panic(py: Python<'_>, payload: &(dyn Any + Send)) {
    let previous = crate::err::take_raised(py);
    let msg = format!("Rust panic: {}", panic_message(payload));
    let err = crate::exceptions::SystemError::new_err(py, &msg);
    if let Some(previous) = previous {
        // Keep what was set as __context__, as `raise` inside `except` does.
        let new = err.take(py);
        // SAFETY: attached; both are exception instances; SetContext steals
        // the reference to `previous`.
        unsafe { ffi::PyException_SetContext(new.as_ptr(), previous.into_ptr()) };
        let _ = crate::err::restore_raised(new);
    }
}
