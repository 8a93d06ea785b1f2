//! The arguments of a `METH_FASTCALL` function, whose parameters are all
//! positional-only and required, and their check (`_PyArg_CheckPositional`).

use super::convert::truncated;
use crate::err::PyResult;
use crate::ffi;
use crate::instance::Borrowed;
use crate::python::Python;
use crate::types::PyAny;

/// Borrows the positional arguments of a `METH_FASTCALL` call in place, as
/// a slice of handles: no copy, no allocation.
///
/// # Safety
///
/// `args` and `nargs` must be those CPython passed to a `METH_FASTCALL`
/// function: `nargs` live objects (`args` may dangle when `nargs` is 0),
/// alive for `'a`.
#[inline(always)]
pub unsafe fn positional_slice<'a, 'py>(
    _py: Python<'py>,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
) -> &'a [Borrowed<'a, 'py, PyAny>] {
    // `args` may be NULL when there are no arguments, and no slice may
    // point at NULL; a select, not a branch.
    let args = if args.is_null() {
        core::ptr::NonNull::dangling().as_ptr()
    } else {
        args.cast::<Borrowed<'a, 'py, PyAny>>()
    };
    // SAFETY: `args` points to `nargs` non-NULL object pointers alive for
    // 'a (the caller's contract), or dangles for none; a Borrowed is a
    // transparent non-NULL object pointer, so the array is a slice of them.
    unsafe { core::slice::from_raw_parts(args, nargs as usize) }
}

/// Checks the count of arguments of a function whose parameters are all
/// positional-only and required, as Argument Clinic's code for a
/// `METH_FASTCALL` function does (`_PyArg_CheckPositional`). Used by
/// [`meth_fastcall_positional!`](crate::meth_fastcall_positional!); CPython
/// itself refuses keywords for such a function, with `TypeError:
/// _heapq.heappush() takes no keyword arguments`.
///
/// # Errors
///
/// `TypeError: heappush expected 2 arguments, got 1`.
#[inline(always)]
pub fn check_positional(
    py: Python<'_>,
    fname: &str,
    nargs: usize,
    expected: usize,
) -> PyResult<()> {
    if nargs == expected {
        return Ok(());
    }
    Err(positional_error(py, fname, nargs, expected))
}

/// The error [`check_positional`] raises.
///
/// An `extern "C"` function cannot unwind (a panic in it ends the process,
/// and this one can only panic if formatting fails to allocate, which ends
/// it anyway), so a caller needs no landing pad for this call: with it, the
/// no-op `meth_fastcall_positional!` function saved and restored two
/// registers on every call, which C's does not. It is never called from C.
#[cold]
#[inline(never)]
#[allow(improper_ctypes_definitions)]
extern "C" fn positional_error(
    py: Python<'_>,
    fname: &str,
    nargs: usize,
    expected: usize,
) -> crate::err::PyErr {
    let plural = if expected == 1 { "" } else { "s" };
    let msg = format!(
        "{} expected {expected} argument{plural}, got {nargs}",
        truncated(fname, 200)
    );
    crate::exceptions::TypeError::new_err(py, &msg)
}
