//! Conversions between Rust values and Python objects.

use crate::err::{PyErr, PyResult};
use crate::ffi;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::{PyAny, PyLong, PyStr};

/// A Rust value that can become a Python object (a function's result).
pub trait IntoPyObject<'py> {
    /// Makes (or hands over) the object.
    ///
    /// # Errors
    ///
    /// `MemoryError`, or what the conversion raises.
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>>;
}

/// A Rust value that can be read from a Python object (an argument).
pub trait FromPyObject<'py>: Sized {
    /// Reads the value.
    ///
    /// # Errors
    ///
    /// `TypeError` for an object of the wrong type, `OverflowError` for a
    /// number out of range, ...
    fn extract(obj: &Bound<'py, PyAny>) -> PyResult<Self>;
}

impl<'py, T> IntoPyObject<'py> for Bound<'py, T> {
    #[inline]
    fn into_pyobject(self, _py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.into_any())
    }
}

impl<'py, T> IntoPyObject<'py> for &Bound<'py, T> {
    #[inline]
    fn into_pyobject(self, _py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.clone_ref().into_any())
    }
}

impl<'py, T> IntoPyObject<'py> for Borrowed<'_, 'py, T> {
    #[inline]
    fn into_pyobject(self, _py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.to_owned().into_any())
    }
}

impl<'py> IntoPyObject<'py> for () {
    #[inline]
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(py.None().to_owned())
    }
}

impl<'py> IntoPyObject<'py> for bool {
    #[inline]
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        let ptr = if self { ffi::Py_True() } else { ffi::Py_False() };
        // SAFETY: True and False live as long as the interpreter.
        Ok(unsafe { Borrowed::<PyAny>::from_ptr_unchecked(py, ptr) }.to_owned())
    }
}

impl<'py> IntoPyObject<'py> for i64 {
    #[inline]
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyLong::new(py, self)?.into_any())
    }
}

impl<'py> IntoPyObject<'py> for i32 {
    #[inline]
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        i64::from(self).into_pyobject(py)
    }
}

impl<'py> IntoPyObject<'py> for usize {
    #[inline]
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // SAFETY: attached; a new reference or NULL with an exception.
        unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyLong_FromSize_t(self)) }
    }
}

impl<'py> IntoPyObject<'py> for f64 {
    #[inline]
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // SAFETY: attached; a new reference or NULL with an exception.
        unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyFloat_FromDouble(self)) }
    }
}

impl<'py> IntoPyObject<'py> for &str {
    #[inline]
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(PyStr::new(py, self)?.into_any())
    }
}

impl<'py> IntoPyObject<'py> for String {
    #[inline]
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.as_str().into_pyobject(py)
    }
}

impl<'py, T: IntoPyObject<'py>> IntoPyObject<'py> for Option<T> {
    #[inline]
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        match self {
            Some(v) => v.into_pyobject(py),
            None => Ok(py.None().to_owned()),
        }
    }
}

impl<'py> FromPyObject<'py> for i64 {
    fn extract(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        // SAFETY: attached; PyLong_AsLongLong accepts any object (calling
        // __index__), returning -1 with an exception on failure.
        let v = unsafe { ffi::PyLong_AsLongLong(obj.as_ptr()) };
        crate::err::check_number(obj.py(), v, -1)
    }
}

impl<'py> FromPyObject<'py> for f64 {
    fn extract(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        // SAFETY: attached; -1.0 with an exception on failure.
        let v = unsafe { ffi::PyFloat_AsDouble(obj.as_ptr()) };
        crate::err::check_number(obj.py(), v, -1.0)
    }
}

impl<'py> FromPyObject<'py> for bool {
    fn extract(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        // SAFETY: attached; -1 with an exception on failure.
        match unsafe { ffi::PyObject_IsTrue(obj.as_ptr()) } {
            -1 => Err(PyErr::already_set(obj.py())),
            v => Ok(v != 0),
        }
    }
}

impl<'py> FromPyObject<'py> for String {
    fn extract(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        Ok(obj.downcast::<PyStr>()?.to_str()?.to_owned())
    }
}

impl<'py> FromPyObject<'py> for Bound<'py, PyAny> {
    fn extract(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        Ok(obj.clone_ref())
    }
}

impl<'py> FromPyObject<'py> for isize {
    /// As Argument Clinic's `Py_ssize_t` converter: `__index__`, then
    /// `PyLong_AsSsize_t` (so `OverflowError: Python int too large to
    /// convert to C ssize_t`).
    fn extract(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        let py = obj.py();
        // An int (or int subclass) is its own index, as `_PyNumber_Index`
        // says: no new reference to make and drop.
        let index: Bound<'py, PyAny> = if obj.is_instance_of::<PyLong>() {
            obj.clone_ref()
        } else {
            // SAFETY: attached; a new reference or NULL with an exception.
            unsafe {
                Bound::from_owned_ptr_or_err(py, ffi::PyNumber_Index(obj.as_ptr()))?
            }
        };
        // SAFETY: attached; `index` is an int.
        let v = unsafe { ffi::PyLong_AsSsize_t(index.as_ptr()) };
        crate::err::check_number(py, v, -1)
    }
}

impl<'py> FromPyObject<'py> for usize {
    /// As Argument Clinic's `size_t` converter (`_PyLong_Size_t_Converter`)
    /// in 3.15: `__index__`, then `ValueError: Cannot convert negative int`
    /// for a negative value and `OverflowError: Python int too large for C
    /// size_t` for one too large (checked against 3.15.2).
    fn extract(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        let py = obj.py();
        // SAFETY: attached; a new reference or NULL with an exception.
        let index: Bound<'py, PyAny> = unsafe {
            Bound::from_owned_ptr_or_err(py, ffi::PyNumber_Index(obj.as_ptr()))?
        };
        let mut overflow = 0;
        // SAFETY: attached; `index` is an int, so the only failure is
        // overflow, reported in `overflow` (-1 below the range of `long`).
        let small =
            unsafe { ffi::PyLong_AsLongAndOverflow(index.as_ptr(), &mut overflow) };
        if overflow < 0 || (overflow == 0 && small < 0) {
            return Err(crate::exceptions::ValueError::new_err(
                py,
                "Cannot convert negative int",
            ));
        }
        // SAFETY: attached; `index` is a non-negative int, so the only
        // failure is overflow, reported in Clinic's words below.
        let v = unsafe { ffi::PyLong_AsSize_t(index.as_ptr()) };
        crate::err::check_number(py, v, usize::MAX).map_err(|_| {
            crate::exceptions::OverflowError::new_err(
                py,
                "Python int too large for C size_t",
            )
        })
    }
}

impl<'py> IntoPyObject<'py> for isize {
    #[inline]
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // SAFETY: attached; a new reference or NULL with an exception.
        unsafe { Bound::from_owned_ptr_or_err(py, ffi::PyLong_FromSsize_t(self)) }
    }
}

impl<'py> IntoPyObject<'py> for u64 {
    #[inline]
    fn into_pyobject(self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // SAFETY: attached; a new reference or NULL with an exception.
        unsafe {
            Bound::from_owned_ptr_or_err(py, ffi::PyLong_FromUnsignedLongLong(self))
        }
    }
}

impl<'py> FromPyObject<'py> for i32 {
    /// As Argument Clinic's `int` converter (`_PyLong_AsInt`): `__index__`,
    /// then `OverflowError: Python int too large to convert to C int`
    /// outside the range of a C `int`, however far outside (going through
    /// `i64` would say `int too big to convert` past 2**63).
    fn extract(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        let py = obj.py();
        let mut overflow = 0;
        // SAFETY: attached; PyLong_AsLongAndOverflow accepts any object
        // (calling __index__), reports a value out of `long` range through
        // `overflow`, and returns -1 with an exception for other failures.
        let wide =
            unsafe { ffi::PyLong_AsLongAndOverflow(obj.as_ptr(), &mut overflow) };
        if overflow == 0 {
            crate::err::check_number(py, wide, -1)?;
        }
        match i32::try_from(wide) {
            Ok(value) if overflow == 0 => Ok(value),
            _ => Err(crate::exceptions::OverflowError::new_err(
                py,
                "Python int too large to convert to C int",
            )),
        }
    }
}
