//! The argument check of a function whose parameters are all
//! positional-only and required (`_PyArg_CheckPositional`).

use super::convert::truncated;
use crate::err::PyResult;
use crate::python::Python;

/// Checks the arguments of a function whose parameters are all
/// positional-only and required, as Argument Clinic's code for a
/// `METH_FASTCALL` function does (`_PyArg_CheckPositional`), and CPython
/// for a function that takes no keywords. Used by
/// [`meth_fastcall_positional!`](crate::meth_fastcall_positional!).
///
/// `module` is the name of the function's module as the function was
/// created with it (its `__module__`), which C's message names: a fixed
/// string, not the module's `__name__` at the time of the call, which
/// Python code may have changed or deleted.
///
/// # Errors
///
/// `TypeError: _heapq.heappush() takes no keyword arguments`, or
/// `TypeError: heappush expected 2 arguments, got 1`.
#[inline]
pub fn check_positional(
    py: Python<'_>,
    module: &str,
    fname: &str,
    nargs: usize,
    nkw: usize,
    expected: usize,
) -> PyResult<()> {
    if nkw == 0 && nargs == expected {
        return Ok(());
    }
    positional_error(py, module, fname, nargs, nkw, expected)
}

/// The error [`check_positional`] raises.
#[cold]
fn positional_error(
    py: Python<'_>,
    module: &str,
    fname: &str,
    nargs: usize,
    nkw: usize,
    expected: usize,
) -> PyResult<()> {
    if nkw > 0 {
        // CPython names the function by its module and qualified name
        // (`_PyObject_FunctionStr`), as for any C function without keywords.
        let qualified = if module == "builtins" {
            format!("{fname}()")
        } else {
            format!("{module}.{fname}()")
        };
        let msg = format!("{qualified} takes no keyword arguments");
        return Err(crate::exceptions::TypeError::new_err(py, &msg));
    }
    if nargs != expected {
        let plural = if expected == 1 { "" } else { "s" };
        let msg = format!(
            "{} expected {expected} argument{plural}, got {nargs}",
            truncated(fname, 200)
        );
        return Err(crate::exceptions::TypeError::new_err(py, &msg));
    }
    Ok(())
}
