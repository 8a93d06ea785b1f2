//! `bytes` (`Include/bytesobject.h`).

use super::PyBytes;
use crate::err::PyResult;
use crate::ffi;
use crate::instance::Bound;
use crate::python::Python;

impl PyBytes {
    /// A new `bytes` holding a copy of `data`: `PyBytes_FromStringAndSize`.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn new<'py>(py: Python<'py>, data: &[u8]) -> PyResult<Bound<'py, PyBytes>> {
        // SAFETY: attached; pointer and length describe `data`, which the
        // call copies; a new reference or NULL with an exception.
        unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyBytes_FromStringAndSize(
                    data.as_ptr().cast(),
                    data.len() as ffi::Py_ssize_t,
                ),
            )
        }
    }
}

impl PyBytes {
    /// A new `bytes` of at most `capacity` bytes, written in place by
    /// `fill`: the C idiom `PyBytes_FromStringAndSize(NULL, n)`, write
    /// through `PyBytes_AS_STRING`, then `_PyBytes_Resize` to the length
    /// actually written, without the intermediate `Vec` and copy.
    ///
    /// `fill` gets the object's memory, zeroed, and returns how many bytes
    /// at the front it used; the object is shrunk to that length. The new
    /// object is reachable from nowhere else while `fill` runs (its count is
    /// 1), so the `&mut [u8]` is the only access to that memory even if
    /// `fill` runs Python code.
    ///
    /// # Errors
    ///
    /// `MemoryError`, or the error `fill` returns (the object is released).
    ///
    /// # Panics
    ///
    /// If `fill` returns a length greater than `capacity`.
    #[cfg(not(Py_3_15))]
    pub fn new_with<'py>(
        py: Python<'py>,
        capacity: usize,
        fill: impl FnOnce(&mut [u8]) -> PyResult<usize>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        // SAFETY: attached; a NULL source makes a new object of `capacity`
        // uninitialised bytes (the shared empty object for 0); a new
        // reference or NULL with an exception.
        let bytes: Bound<'py, PyBytes> = unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyBytes_FromStringAndSize(
                    core::ptr::null(),
                    capacity as ffi::Py_ssize_t,
                ),
            )?
        };
        // SAFETY: for a capacity above 0, a new bytes object of `capacity`
        // bytes (not the shared empty one), owned only by `bytes`, so nothing
        // else reads or writes its memory while `fill_zeroed` runs.
        let used = unsafe {
            fill_zeroed(capacity, fill, || {
                ffi::PyBytes_AsString(bytes.as_ptr()).cast::<u8>()
            })?
        };
        if used == capacity {
            return Ok(bytes);
        }
        let mut ptr = bytes.into_ptr();
        // SAFETY: attached; `ptr` is our only reference to a bytes object
        // (count 1, as _PyBytes_Resize requires); on success it holds the
        // (possibly moved) resized object, on failure NULL, the old object
        // released and an exception set.
        unsafe {
            crate::err::check_status(
                py,
                ffi::_PyBytes_Resize(&mut ptr, used as ffi::Py_ssize_t),
            )?;
            Ok(Bound::from_owned_ptr(py, ptr))
        }
    }
}

// ANCHOR: bytes_writer
impl PyBytes {
    /// [`PyBytes::new_with`] on 3.15, through PEP 782's `PyBytesWriter`:
    /// `PyBytesWriter_Create(capacity)`, write through
    /// `PyBytesWriter_GetData`, then `PyBytesWriter_FinishWithSize` to the
    /// length actually written (`PyBytesWriter_Discard` on an error or a
    /// panic). 3.15 made this the public way to build a `bytes` in place;
    /// the older idiom relies on `_PyBytes_Resize`, a private function.
    ///
    /// # Errors
    ///
    /// `MemoryError`, or the error `fill` returns (the writer is discarded).
    ///
    /// # Panics
    ///
    /// If `fill` returns a length greater than `capacity`.
    #[cfg(Py_3_15)]
    pub fn new_with<'py>(
        py: Python<'py>,
        capacity: usize,
        fill: impl FnOnce(&mut [u8]) -> PyResult<usize>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        /// The writer, discarded if it is dropped unfinished.
        ///
        /// # Invariants
        ///
        /// `0` is a writer made by `PyBytesWriter_Create`, neither finished
        /// nor discarded, owned by this value alone.
        struct Writer(*mut ffi::PyBytesWriter);
        impl Drop for Writer {
            fn drop(&mut self) {
                // SAFETY: attached (dropped inside `new_with`, which the
                // token proves attached); the writer is live and ours
                // (invariant), and is not used after this.
                unsafe { ffi::PyBytesWriter_Discard(self.0) }
            }
        }
        // SAFETY: attached; a new writer of `capacity` bytes, or NULL with
        // an exception.
        let raw = unsafe { ffi::PyBytesWriter_Create(capacity as ffi::Py_ssize_t) };
        if raw.is_null() {
            return Err(crate::err::PyErr::already_set(py));
        }
        // INVARIANT: just created, owned by nobody else.
        let writer = Writer(raw);
        // SAFETY: the writer's buffer holds `capacity` bytes, reachable only
        // through the writer, which is ours and is neither finished nor
        // discarded while `fill_zeroed` runs.
        let used = unsafe {
            fill_zeroed(capacity, fill, || {
                ffi::PyBytesWriter_GetData(writer.0).cast::<u8>()
            })?
        };
        let raw = writer.0;
        core::mem::forget(writer);
        // SAFETY: attached; the writer is live and ours, and `used` is at
        // most its size; the call consumes the writer (also on failure) and
        // returns a new reference or NULL with an exception.
        unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyBytesWriter_FinishWithSize(raw, used as ffi::Py_ssize_t),
            )
        }
    }
}
// ANCHOR_END: bytes_writer

/// Runs `fill` on `capacity` zeroed bytes at `data()` (an empty slice for a
/// capacity of 0, where `data` is not called), and checks the length it
/// reports: the part both versions of [`PyBytes::new_with`] share.
///
/// # Safety
///
/// For a capacity above 0, `data()` must return memory of at least
/// `capacity` writable bytes that nothing else reads or writes until this
/// returns.
///
/// # Panics
///
/// If `fill` returns a length greater than `capacity`.
unsafe fn fill_zeroed(
    capacity: usize,
    fill: impl FnOnce(&mut [u8]) -> PyResult<usize>,
    data: impl FnOnce() -> *mut u8,
) -> PyResult<usize> {
    let used = if capacity == 0 {
        fill(&mut [])?
    } else {
        // SAFETY: the caller's contract; the memory is zeroed before a slice
        // is made of it, and the slice does not outlive this call.
        let buf = unsafe {
            let data = data();
            core::ptr::write_bytes(data, 0, capacity);
            core::slice::from_raw_parts_mut(data, capacity)
        };
        fill(buf)?
    };
    assert!(used <= capacity, "PyBytes::new_with: {used} bytes used of {capacity}");
    Ok(used)
}

impl<'py> Bound<'py, PyBytes> {
    /// The bytes, borrowed from the object (immutable, so no copy is needed).
    pub fn as_bytes(&self) -> &[u8] {
        // SAFETY: the object is a bytes (invariant): AS_STRING and SIZE
        // cannot fail, and the buffer lives, unchanged, as long as `self`.
        unsafe {
            let data = ffi::PyBytes_AsString(self.as_ptr());
            core::slice::from_raw_parts(
                data.cast(),
                ffi::Py_SIZE(self.as_ptr()) as usize,
            )
        }
    }
}

impl super::PyByteArray {
    /// A new `bytearray` holding a copy of `data`: `PyByteArray_FromStringAndSize`.
    ///
    /// # Errors
    ///
    /// `MemoryError`.
    pub fn new<'py>(
        py: Python<'py>,
        data: &[u8],
    ) -> PyResult<Bound<'py, super::PyByteArray>> {
        // SAFETY: attached; pointer and length describe `data`, which the
        // call copies; a new reference or NULL with an exception.
        unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyByteArray_FromStringAndSize(
                    data.as_ptr().cast(),
                    data.len() as ffi::Py_ssize_t,
                ),
            )
        }
    }
}

impl<'py> Bound<'py, super::PyByteArray> {
    /// Resizes in place: `PyByteArray_Resize`.
    ///
    /// # Errors
    ///
    /// `BufferError: Existing exports of data: object cannot be re-sized`
    /// while a buffer of it is held.
    pub fn resize(&self, len: usize) -> PyResult<()> {
        // SAFETY: attached; the object is a bytearray (invariant).
        let status = unsafe {
            ffi::PyByteArray_Resize(self.as_ptr(), len as ffi::Py_ssize_t)
        };
        crate::err::check_status(self.py(), status)
    }
}
