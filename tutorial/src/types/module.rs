//! `module` objects (`Include/moduleobject.h`).

use crate::err::PyResult;
use crate::err::check_status;
use crate::ffi;
use crate::instance::Bound;
use crate::types::{PyAny, PyTypeCheck};

/// A module object.
pub enum PyModule {}

impl PyTypeCheck for PyModule {
    const NAME: &'static str = "module";
    fn type_check(obj: &Bound<'_, PyAny>) -> bool {
        // SAFETY: live object, attached thread (Bound invariant).
        unsafe { ffi::PyModule_Check(obj.as_ptr()) }
    }
}

impl<'py> Bound<'py, PyModule> {
    /// `module.name = value`: `PyModule_AddObjectRef`, which (unlike
    /// `PyModule_AddObject`) never steals the reference.
    ///
    /// # Errors
    ///
    /// What setting the attribute raises.
    pub fn add<T>(&self, name: &str, value: &Bound<'py, T>) -> PyResult<()> {
        let name = std::ffi::CString::new(name).map_err(|_| {
            crate::exceptions::ValueError::new_err(
                self.py(),
                "embedded null character",
            )
        })?;
        // SAFETY: attached; all live for the call; AddObjectRef takes its own reference.
        check_status(self.py(), unsafe {
            ffi::PyModule_AddObjectRef(self.as_ptr(), name.as_ptr(), value.as_ptr())
        })
    }

    /// `module.__name__`.
    ///
    /// # Errors
    ///
    /// `SystemError` for a module without a name.
    pub fn name(&self) -> PyResult<String> {
        self.getattr("__name__")?.extract()
    }
}
