//! `type` (`Include/object.h`): type objects and new exception types.

use super::{PyAny, PyType};
use crate::err::PyResult;
use crate::ffi;
use crate::instance::Bound;
use crate::python::Python;
use std::ffi::CString;

impl PyType {
    /// A new exception class, `PyErr_NewException(name, base, NULL)`.
    ///
    /// `name` is dotted, `module.Class`, as the C function wants; `base`
    /// defaults to `Exception`.
    ///
    /// # Errors
    ///
    /// `ValueError` for a name with a NUL character or no dot, as CPython
    /// raises `SystemError` for the latter.
    pub fn new_exception<'py>(
        py: Python<'py>,
        name: &str,
        base: Option<&Bound<'py, PyType>>,
    ) -> PyResult<Bound<'py, PyType>> {
        let name = CString::new(name).map_err(|_| {
            crate::exceptions::ValueError::new_err(py, "embedded null character")
        })?;
        let base = base.map_or(core::ptr::null_mut(), |b| b.as_ptr());
        // SAFETY: attached; `name` is NUL-terminated and `base` NULL or a
        // live type; the result is a new reference or NULL with an exception.
        unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyErr_NewException(name.as_ptr(), base, core::ptr::null_mut()),
            )
        }
    }
}

impl<'py> Bound<'py, PyType> {
    /// `type.__name__`.
    ///
    /// # Errors
    ///
    /// What getting the attribute raises.
    pub fn name(&self) -> PyResult<String> {
        let name: Bound<'py, PyAny> = self.getattr("__name__")?;
        Ok(name.downcast::<super::PyStr>()?.to_str()?.to_owned())
    }

    /// `type.__qualname__` of the type with its module: `module.Class`, as
    /// tracebacks print it (built-in types print without `builtins.`).
    ///
    /// # Errors
    ///
    /// What getting the attributes raises.
    pub fn fully_qualified_name(&self) -> PyResult<String> {
        let qual: String = self.getattr("__qualname__")?.extract()?;
        let module: String = self.getattr("__module__")?.extract()?;
        Ok(if module == "builtins" { qual } else { format!("{module}.{qual}") })
    }
}
