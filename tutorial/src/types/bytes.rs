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
    /// `fill` without being zeroed first: the C idiom
    /// `PyBytes_FromStringAndSize(NULL, n)`, write through
    /// `PyBytes_AS_STRING`, then `_PyBytes_Resize` to the length actually
    /// written.
    ///
    /// `fill` gets the object's memory as a [`BytesOut`], which lends the
    /// part not yet written as `&mut [MaybeUninit<u8>]` and takes back proof
    /// of what was written; the object is shrunk to what `fill` wrote. The
    /// new object is reachable from nowhere else while `fill` runs (its
    /// count is 1), so the memory is `fill`'s alone even if it runs Python
    /// code.
    ///
    /// # Errors
    ///
    /// `MemoryError`, or the error `fill` returns (the object is released).
    #[cfg(not(Py_3_15))]
    pub fn new_uninit<'py>(
        py: Python<'py>,
        capacity: usize,
        fill: impl FnOnce(&mut BytesOut<'_>) -> PyResult<()>,
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
        // else reads or writes its memory while `fill_out` runs.
        let used = unsafe {
            fill_out(capacity, fill, || {
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
    /// [`PyBytes::new_uninit`] on 3.15, through PEP 782's `PyBytesWriter`:
    /// `PyBytesWriter_Create(capacity)`, write through
    /// `PyBytesWriter_GetData`, then `PyBytesWriter_FinishWithSize` to the
    /// length actually written (`PyBytesWriter_Discard` on an error or a
    /// panic). 3.15 made this the public way to build a `bytes` in place;
    /// the older idiom relies on `_PyBytes_Resize`, a private function.
    ///
    /// # Errors
    ///
    /// `MemoryError`, or the error `fill` returns (the writer is discarded).
    #[cfg(Py_3_15)]
    pub fn new_uninit<'py>(
        py: Python<'py>,
        capacity: usize,
        fill: impl FnOnce(&mut BytesOut<'_>) -> PyResult<()>,
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
                // SAFETY: attached (dropped inside `new_uninit`, which the
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
        // discarded while `fill_out` runs.
        let used = unsafe {
            fill_out(capacity, fill, || {
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

impl PyBytes {
    /// [`PyBytes::new_uninit`] for code that writes the bytes in any order:
    /// `fill` gets all `capacity` of them, zeroed, and returns how many at
    /// the front it used.
    ///
    /// The zeroing is what makes the `&mut [u8]` sound (no slice of `u8`
    /// may cover uninitialised memory); it costs a `memset` of the whole
    /// capacity, which `new_uninit` does not pay.
    ///
    /// # Errors
    ///
    /// `MemoryError`, or the error `fill` returns (the object is released).
    ///
    /// # Panics
    ///
    /// If `fill` returns a length greater than `capacity`.
    pub fn new_with<'py>(
        py: Python<'py>,
        capacity: usize,
        fill: impl FnOnce(&mut [u8]) -> PyResult<usize>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        PyBytes::new_uninit(py, capacity, |out| {
            let buf = out.zeroed();
            let used = fill(buf)?;
            assert!(
                used <= capacity,
                "PyBytes::new_with: {used} bytes used of {capacity}"
            );
            out.advance_zeroed(used);
            Ok(())
        })
    }
}

/// The memory of a `bytes` object being built: the front [`len`] bytes
/// written, the rest not yet (it is not zeroed).
///
/// [`len`]: BytesOut::len
///
/// # Invariants
///
/// `buf[..len]` is initialised, and so is `buf[..zeroed]`; `len` and
/// `zeroed` are at most `buf.len()`.
pub struct BytesOut<'b> {
    buf: &'b mut [core::mem::MaybeUninit<u8>],
    len: usize,
    zeroed: usize,
}

impl<'b> BytesOut<'b> {
    /// How many bytes have been written: the length the object will have.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether nothing has been written yet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// How many more bytes fit.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.len
    }

    /// Writes the next bytes through `write`, which gets the memory not yet
    /// written and returns the part at its front it wrote, as a `&[u8]`:
    /// the proof that those bytes are initialised (a byte slice never covers
    /// anything else). `base64-simd`'s `Out::from_uninit_slice`, for one,
    /// returns exactly that.
    ///
    /// # Panics
    ///
    /// If the slice `write` returns is not at the front of the memory it was
    /// given (a slice of other memory proves nothing about this one).
    pub fn write_with(
        &mut self,
        write: impl for<'s> FnOnce(&'s mut [core::mem::MaybeUninit<u8>]) -> &'s [u8],
    ) {
        let spare = &mut self.buf[self.len..];
        let start = spare.as_ptr().cast::<u8>();
        let room = spare.len();
        let written = write(spare);
        assert!(
            written.is_empty()
                || (written.as_ptr() == start && written.len() <= room),
            "BytesOut::write_with: the bytes returned are not the ones lent"
        );
        // INVARIANT: `written`, a live `&[u8]`, covers the `written.len()`
        // bytes from `start`, which are therefore initialised, and fit.
        self.len += written.len();
    }

    /// Appends `data`.
    ///
    /// # Panics
    ///
    /// If it does not fit.
    pub fn extend_from_slice(&mut self, data: &[u8]) {
        self.write_with(|spare| {
            let spare = &mut spare[..data.len()];
            for (slot, &byte) in spare.iter_mut().zip(data) {
                slot.write(byte);
            }
            // SAFETY: every one of the `data.len()` bytes was written just now.
            unsafe {
                core::slice::from_raw_parts(spare.as_ptr().cast::<u8>(), data.len())
            }
        });
    }

    /// Appends one byte.
    ///
    /// # Panics
    ///
    /// If it does not fit.
    pub fn push(&mut self, byte: u8) {
        self.extend_from_slice(&[byte]);
    }

    /// The bytes written so far, to change in place.
    pub fn written(&mut self) -> &mut [u8] {
        // SAFETY: `buf[..len]` is initialised (invariant), and `self` is
        // borrowed mutably for as long as the slice lives.
        unsafe {
            core::slice::from_raw_parts_mut(
                self.buf.as_mut_ptr().cast::<u8>(),
                self.len,
            )
        }
    }

    /// All the memory past what is written, zeroed: for [`PyBytes::new_with`].
    fn zeroed(&mut self) -> &mut [u8] {
        // INVARIANT: everything from `len` on is initialised just below.
        self.zeroed = self.buf.len();
        let spare = &mut self.buf[self.len..];
        for slot in spare.iter_mut() {
            slot.write(0);
        }
        let len = spare.len();
        // SAFETY: every byte of `spare` was written just now; the slice
        // borrows `self` mutably.
        unsafe {
            core::slice::from_raw_parts_mut(spare.as_mut_ptr().cast::<u8>(), len)
        }
    }

    /// Counts `n` more bytes as written, after [`BytesOut::zeroed`].
    ///
    /// # Panics
    ///
    /// If they were not zeroed.
    fn advance_zeroed(&mut self, n: usize) {
        assert!(
            self.len + n <= self.zeroed,
            "BytesOut: {n} bytes past the zeroed ones"
        );
        // INVARIANT: initialised, by `zeroed` or since.
        self.len += n;
    }
}

/// Runs `fill` on the `capacity` bytes at `data()` (none for a capacity of
/// 0, where `data` is not called), and returns how many it wrote: the part
/// both versions of [`PyBytes::new_uninit`] share.
///
/// # Safety
///
/// For a capacity above 0, `data()` must return memory of at least
/// `capacity` writable bytes that nothing else reads or writes until this
/// returns.
unsafe fn fill_out(
    capacity: usize,
    fill: impl FnOnce(&mut BytesOut<'_>) -> PyResult<()>,
    data: impl FnOnce() -> *mut u8,
) -> PyResult<usize> {
    let buf: &mut [core::mem::MaybeUninit<u8>] = if capacity == 0 {
        &mut []
    } else {
        // SAFETY: the caller's contract; `MaybeUninit<u8>` asks nothing of
        // the bytes, and the slice does not outlive this call.
        unsafe { core::slice::from_raw_parts_mut(data().cast(), capacity) }
    };
    // INVARIANT: nothing written, nothing claimed.
    let mut out = BytesOut { buf, len: 0, zeroed: 0 };
    fill(&mut out)?;
    Ok(out.len)
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
