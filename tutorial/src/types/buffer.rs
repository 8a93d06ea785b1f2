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
/// The bytes are lent to a closure rather than returned as a slice, and
/// only the bytes of an immutable exporter (`bytes`) are lent in place:
/// any other exporter's memory can be written while this thread holds it,
/// by C code on another thread that detached around a system call
/// (`readinto`), or by any thread on a free-threaded build, so its bytes
/// are copied out first ([`PyBuffer::with_bytes`]). The closure must be
/// `Send`, so it cannot capture the token or a handle and therefore cannot
/// run Python code.
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

    // ANCHOR: with_bytes
    /// Lends the bytes to `f`: in place when the exporter is a `bytes`
    /// (whose memory never changes), else a snapshot copied first.
    ///
    /// A `&[u8]` promises that nothing writes to the memory while it lives.
    /// Only an immutable exporter can keep that promise: a `bytearray`, a
    /// `memoryview` or an `array` can be written by C code that detached
    /// (`FileIO.readinto`, `socket.recv_into`, `os.readv`), on another thread,
    /// while this one holds the GIL, and on a free-threaded build by any
    /// thread at all. For those the bytes are copied out (see
    /// [`copy_racy`]), and `f` gets the copy: a snapshot, as consistent as
    /// a C `memcpy` of the same memory would be, and never undefined
    /// behaviour to read.
    pub fn with_bytes<R: Send>(&self, f: impl Send + FnOnce(&[u8]) -> R) -> R {
        if self.view.buf.is_null() || self.is_empty() {
            return f(&[]);
        }
        if self.exporter_is_bytes() {
            // SAFETY: a successful simple request describes `len` contiguous
            // bytes at `buf`, kept in place while the export lasts (self is
            // borrowed for the call); the exporter is an exact `bytes`, whose
            // contents nobody writes once it has been shared.
            let bytes = unsafe {
                core::slice::from_raw_parts(self.view.buf.cast::<u8>(), self.len())
            };
            return f(bytes);
        }
        let mut copy = vec![0; self.len()];
        // SAFETY: `len` bytes at `buf`, in place while the export lasts.
        unsafe { copy_racy(self.view.buf.cast::<u8>(), &mut copy) };
        f(&copy)
    }
    // ANCHOR_END: with_bytes

    // ANCHOR: with_bytes_detached
    /// As [`with_bytes`](Self::with_bytes), with the thread detached while
    /// `f` runs: what C does around long work on a `Py_buffer`
    /// (`Py_BEGIN_ALLOW_THREADS` around `deflate`), so that other threads
    /// run Python code meanwhile.
    ///
    /// An exact `bytes` is lent in place: its memory never changes, and this
    /// export keeps the object alive until the call returns, attached or
    /// not. Any other exporter's bytes are copied first, while attached, as
    /// for `with_bytes`.
    pub fn with_bytes_detached<R: Send>(
        &self,
        py: Python<'py>,
        f: impl Send + FnOnce(&[u8]) -> R,
    ) -> R {
        if self.view.buf.is_null() || self.is_empty() {
            return py.detach(|| f(&[]));
        }
        if self.exporter_is_bytes() {
            // SAFETY: as in `with_bytes`: `len` bytes at `buf` that nobody
            // writes, kept in place and alive by the export, which `self`
            // holds (borrowed) until `detach` has returned.
            let bytes = unsafe {
                core::slice::from_raw_parts(self.view.buf.cast::<u8>(), self.len())
            };
            return py.detach(|| f(bytes));
        }
        let mut copy = vec![0; self.len()];
        // SAFETY: `len` bytes at `buf`, in place while the export lasts.
        unsafe { copy_racy(self.view.buf.cast::<u8>(), &mut copy) };
        py.detach(|| f(&copy))
    }
    // ANCHOR_END: with_bytes_detached

    /// Whether the exporter is an exact `bytes` (not a subclass, which could
    /// export other memory).
    fn exporter_is_bytes(&self) -> bool {
        let obj = self.view.obj;
        // SAFETY: `view.obj` holds a reference to the exporter (invariant);
        // Py_IS_TYPE only reads its type pointer.
        !obj.is_null()
            && unsafe { ffi::Py_IS_TYPE(obj, &raw mut ffi::PyBytes_Type) }
    }

    /// Lets `f` change the bytes: they are copied out, changed in the copy,
    /// and copied back.
    ///
    /// No `&mut [u8]` into the exporter's memory is ever made: another
    /// thread may read or write it meanwhile (see [`PyBuffer::with_bytes`]),
    /// which a `&mut` forbids. A write by another thread between the two
    /// copies is overwritten, as it would be by C code that writes the
    /// same bytes without a lock.
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
        if self.view.buf.is_null() || self.is_empty() {
            return Ok(f(&mut []));
        }
        let buf = self.view.buf.cast::<u8>();
        let mut copy = vec![0; self.len()];
        // SAFETY: `len` bytes at `buf`, in place while the export lasts;
        // writable (checked above).
        unsafe { copy_racy(buf, &mut copy) };
        let result = f(&mut copy);
        // SAFETY: as above.
        unsafe { store_racy(&copy, buf) };
        Ok(result)
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

// ANCHOR: copy_racy
/// Copies `dst.len()` bytes from `src`, memory that other threads may write
/// meanwhile: every read is an atomic (relaxed) load, so a concurrent
/// write is a race on values (the copy may mix old and new bytes), not
/// undefined behaviour. Word-sized loads do the aligned middle, as fast as
/// `memcpy` on x86-64 and AArch64, where a relaxed load is a plain load.
///
/// # Safety
///
/// `src` must be valid for reads of `dst.len()` bytes for the call, and
/// written by others, if at all, only through atomic or C writes (which
/// CPython's exporters and the kernel do).
unsafe fn copy_racy(src: *const u8, dst: &mut [u8]) {
    use core::sync::atomic::{AtomicU8, AtomicUsize, Ordering::Relaxed};
    const WORD: usize = core::mem::size_of::<usize>();
    let len = dst.len();
    let head = src.align_offset(WORD).min(len);
    let words = (len - head) / WORD;
    for (i, out) in dst[..head].iter_mut().enumerate() {
        // SAFETY: in bounds (the caller's contract); u8 has no alignment.
        *out = unsafe { (*src.add(i).cast::<AtomicU8>()).load(Relaxed) };
    }
    for w in 0..words {
        let at = head + w * WORD;
        // SAFETY: in bounds, and aligned: `src + head` is word-aligned.
        let word = unsafe { (*src.add(at).cast::<AtomicUsize>()).load(Relaxed) };
        dst[at..at + WORD].copy_from_slice(&word.to_ne_bytes());
    }
    for (i, out) in dst.iter_mut().enumerate().skip(head + words * WORD) {
        // SAFETY: in bounds.
        *out = unsafe { (*src.add(i).cast::<AtomicU8>()).load(Relaxed) };
    }
}
// ANCHOR_END: copy_racy

/// Copies `src` to `dst`, memory that other threads may read or write
/// meanwhile, with atomic (relaxed) byte stores: the mirror of [`copy_racy`].
///
/// # Safety
///
/// `dst` must be valid for writes of `src.len()` bytes for the call.
unsafe fn store_racy(src: &[u8], dst: *mut u8) {
    use core::sync::atomic::{AtomicU8, Ordering::Relaxed};
    for (i, &byte) in src.iter().enumerate() {
        // SAFETY: in bounds (the caller's contract).
        unsafe { (*dst.add(i).cast::<AtomicU8>()).store(byte, Relaxed) };
    }
}
