//! Outgoing calls through the vectorcall protocol (`Include/abstract.h`,
//! [PEP 590](https://peps.python.org/pep-0590/)): C arrays of arguments,
//! no tuple or dict built for the call.
//!
//! `PyObject_Call(callable, args, kwargs)` needs a tuple, and a dict for
//! keywords, made and freed on every call; a callee that implements
//! vectorcall (functions, methods, types, `functools.partial`) then reads
//! them back out. `PyObject_Vectorcall` passes a pointer to the arguments,
//! their count, and a tuple of the keyword names (the keyword values follow
//! the positional ones in the same array), which is what CPython's own C
//! code uses to call out.

use super::{PyAny, PyStr, PyTuple};
use crate::err::PyResult;
use crate::ffi;
use crate::instance::Bound;

// ANCHOR: vectorcall
impl<'py> Bound<'py, PyAny> {
    /// `obj()`: `PyObject_CallNoArgs`.
    ///
    /// # Errors
    ///
    /// What the call raises.
    pub fn call_no_args(&self) -> PyResult<Bound<'py, PyAny>> {
        // SAFETY: attached; the callable is live for the call; the result
        // is a new reference or NULL with an exception set.
        unsafe {
            Bound::from_owned_ptr_or_err(
                self.py(),
                ffi::PyObject_CallNoArgs(self.as_ptr()),
            )
        }
    }

    /// `obj(*args, **kwargs)` with the keywords given as names and values:
    /// `PyObject_Vectorcall`.
    ///
    /// # Errors
    ///
    /// `MemoryError` making the names' tuple; what the call raises
    /// (`TypeError` for a keyword the callee does not take).
    pub fn vectorcall(
        &self,
        args: &[&Bound<'py, PyAny>],
        kwargs: &[(&str, &Bound<'py, PyAny>)],
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py();
        // A free slot, then the positional values, then the keyword values,
        // in one array; the names go in a tuple of str (NULL when there is
        // none, as C passes it).
        let mut stack: Vec<*mut ffi::PyObject> =
            Vec::with_capacity(1 + args.len() + kwargs.len());
        stack.push(core::ptr::null_mut());
        stack.extend(args.iter().map(|a| a.as_ptr()));
        stack.extend(kwargs.iter().map(|(_, v)| v.as_ptr()));
        let names = kwargs
            .iter()
            .map(|(name, _)| Ok(PyStr::new(py, name)?.into_any()))
            .collect::<PyResult<Vec<_>>>()?;
        let kwnames = if names.is_empty() {
            None
        } else {
            Some(PyTuple::new(py, &names.iter().collect::<Vec<_>>())?)
        };
        // SAFETY: attached; after its first slot `stack` holds
        // `args.len() + kwargs.len()` borrowed references, all kept alive by
        // the caller's handles for the call, and `kwnames` (or NULL) the
        // names of the last `kwargs.len()` of them. With
        // PY_VECTORCALL_ARGUMENTS_OFFSET the callee may use the slot before
        // the arguments, `stack[0]`, which is ours and writable (a bound
        // method puts `self` there instead of copying the array), and puts
        // it back before returning. The result is a new reference or NULL
        // with an exception set.
        unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyObject_Vectorcall(
                    self.as_ptr(),
                    stack.as_mut_ptr().add(1),
                    args.len() | ffi::PY_VECTORCALL_ARGUMENTS_OFFSET,
                    kwnames.as_ref().map_or(core::ptr::null_mut(), |k| k.as_ptr()),
                ),
            )
        }
    }

    /// `obj.name(*args)`: `PyObject_VectorcallMethod`, which looks the
    /// method up and calls it without making a bound-method object.
    ///
    /// # Errors
    ///
    /// `AttributeError` if there is no such attribute; what the call raises.
    pub fn vectorcall_method(
        &self,
        name: &str,
        args: &[&Bound<'py, PyAny>],
    ) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py();
        let name = PyStr::new(py, name)?;
        // A free slot, then `self` as the first argument, as for an unbound
        // method.
        let mut stack = Vec::with_capacity(args.len() + 2);
        stack.push(core::ptr::null_mut());
        stack.push(self.as_ptr());
        stack.extend(args.iter().map(|a| a.as_ptr()));
        // SAFETY: attached; the name and every object in `stack` after its
        // first slot live for the call (held by handles here or the
        // caller's); no keywords (NULL names). With
        // PY_VECTORCALL_ARGUMENTS_OFFSET the callee may use `stack[0]`,
        // ours and writable, and restores it. The result is a new
        // reference or NULL with an exception set.
        unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyObject_VectorcallMethod(
                    name.as_ptr(),
                    stack.as_mut_ptr().add(1),
                    (stack.len() - 1) | ffi::PY_VECTORCALL_ARGUMENTS_OFFSET,
                    core::ptr::null_mut(),
                ),
            )
        }
    }
}
// ANCHOR_END: vectorcall
