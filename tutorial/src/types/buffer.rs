//! The buffer protocol (PEP 3118, `Include/cpython/object.h`'s `Py_buffer`):
//! borrowing the memory of `bytes`, `bytearray`, `memoryview`, `array`, ...
//! without copying it.

use crate::err::PyResult;
use crate::ffi;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::PyAny;
use core::marker::PhantomData;

/// A buffer exported by an object, released (`PyBuffer_Release`) on drop.
///
/// While it exists, the exporter keeps the memory where it is: a
/// `bytearray` with an export refuses to be resized (`BufferError`).
///
/// The bytes are lent to a closure rather than returned as a slice: the
/// exporter may be mutable (a `bytearray`), and Python code could write to it
/// through another reference. The closure must be `Send`, so it cannot
/// capture the token or a handle and therefore cannot run Python code; with
/// the GIL held, no other thread runs Python code either. (On a
/// free-threaded build that second argument fails, and this API would have
/// to copy or lock: see the thread-state chapter.)
///
/// # Invariants
///
/// `view` was filled by a successful `PyObject_GetBuffer` on a thread
/// attached for `'py`, describes C-contiguous bytes (`PyBUF_SIMPLE` or
/// `PyBUF_WRITABLE` requests, which imply it), and is released exactly once,
/// in `Drop`. `view.obj` holds a reference to the exporter.
pub struct PyBuffer<'py> {
    view: Box<ffi::Py_buffer>,
    _py: PhantomData<Python<'py>>,
}

impl<'py> PyBuffer<'py> {
    fn request(obj: &Bound<'py, PyAny>, flags: u32) -> PyResult<Self> {
        // Boxed: CPython may keep pointers into the struct (view.shape can
        // point at view.len), so it must not move.
        let mut view = Box::new(ffi::Py_buffer::default());
        // SAFETY: attached; `obj` is live; `view` is writable memory that
        // outlives the export (it is released in Drop).
        let status = unsafe {
            ffi::PyObject_GetBuffer(
                obj.as_ptr(),
                &mut *view,
                flags as core::ffi::c_int,
            )
        };
        crate::err::check_status(obj.py(), status)?;
        // INVARIANT: filled by a successful call; released in Drop.
        Ok(PyBuffer { view, _py: PhantomData })
    }

    /// Borrows the object's bytes for reading: `PyObject_GetBuffer(obj,
    /// &view, PyBUF_SIMPLE)`.
    ///
    /// # Errors
    ///
    /// `TypeError: a bytes-like object is required, not 'str'` for an
    /// object without the buffer protocol.
    pub fn get(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        Self::request(obj, ffi::PyBUF_SIMPLE)
    }

    /// Borrows the object's bytes for writing: `PyBUF_WRITABLE`.
    ///
    /// # Errors
    ///
    /// `BufferError: Object is not writable.` for read-only exporters
    /// (`bytes`), `TypeError` without the buffer protocol.
    pub fn get_writable(obj: &Bound<'py, PyAny>) -> PyResult<Self> {
        Self::request(obj, ffi::PyBUF_WRITABLE)
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        self.view.len as usize
    }

    /// Whether the buffer is empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether the exporter refuses writes through this buffer.
    pub fn readonly(&self) -> bool {
        self.view.readonly != 0
    }

    /// Lends the bytes to `f`, without copying.
    ///
    /// On a free-threaded build another thread could write to a mutable
    /// exporter meanwhile, so there the bytes are copied first.
    pub fn with_bytes<R: Send>(&self, f: impl Send + FnOnce(&[u8]) -> R) -> R {
        #[cfg(Py_GIL_DISABLED)]
        if !self.view.buf.is_null() && !self.is_empty() {
            // SAFETY: as below, for the copy itself; a racing writer can
            // make the copy inconsistent, not unsound to read afterwards.
            let copy = unsafe {
                core::slice::from_raw_parts(self.view.buf.cast::<u8>(), self.len())
            }
            .to_vec();
            return f(&copy);
        }
        let bytes = if self.view.buf.is_null() || self.is_empty() {
            &[][..]
        } else {
            // SAFETY: a successful simple request describes `len` contiguous
            // bytes at `buf`, kept in place while the export lasts (self is
            // borrowed for the call); no Python code runs during `f` (see the
            // type's documentation), so nothing writes to them meanwhile.
            unsafe {
                core::slice::from_raw_parts(self.view.buf.cast::<u8>(), self.len())
            }
        };
        f(bytes)
    }

    /// Lends the bytes to `f` for writing.
    ///
    /// # Errors
    ///
    /// `BufferError` if the buffer is read-only.
    pub fn with_bytes_mut<R: Send>(
        &mut self,
        py: Python<'py>,
        f: impl Send + FnOnce(&mut [u8]) -> R,
    ) -> PyResult<R> {
        if self.readonly() {
            return Err(crate::exceptions::BufferError::new_err(
                py,
                "buffer is read-only",
            ));
        }
        let bytes = if self.view.buf.is_null() || self.is_empty() {
            &mut [][..]
        } else {
            // SAFETY: as with_bytes; writable (checked), and `&mut self`
            // makes this the only slice made from this export.
            unsafe {
                core::slice::from_raw_parts_mut(
                    self.view.buf.cast::<u8>(),
                    self.len(),
                )
            }
        };
        Ok(f(bytes))
    }

    /// A copy of the bytes.
    pub fn to_vec(&self) -> Vec<u8> {
        self.with_bytes(<[u8]>::to_vec)
    }
}

impl Drop for PyBuffer<'_> {
    fn drop(&mut self) {
        // SAFETY: filled by a successful GetBuffer and released only here
        // (invariant); the thread is attached for 'py.
        unsafe { ffi::PyBuffer_Release(&mut *self.view) }
    }
}
