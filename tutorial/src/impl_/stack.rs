//! A check of the C stack before the safe layer calls out to Python.
//!
//! The interpreter raises `RecursionError` by counting: Python frames up
//! to `sys.getrecursionlimit()`, and (3.12 and 3.13) C calls up to a fixed
//! count. How many bytes of C stack a level takes is not counted. A C
//! function between two Python frames takes a few hundred bytes; the Rust
//! functions of a port (trampoline, argument unpacking, the body) can take
//! ten times that in a debug build. A key function that calls
//! `bisect_left` again then overflows a 1 MiB thread stack long before the
//! count reaches the limit (SIGSEGV, where C raises `RecursionError`).
//! From 3.14 the interpreter compares the stack pointer with the thread's
//! bounds instead of counting; this does the same on every version, at
//! each outgoing call of the safe layer (`call`, `call_one_arg`,
//! `vectorcall`, the slow path of a comparison): the call raises
//! `RecursionError` when less than [`MARGIN`] bytes of the thread's stack
//! are left.

use crate::err::PyErr;
use crate::python::Python;
use core::cell::Cell;

/// How much stack must be left to call out: more than one level of a
/// port's recursion takes in a debug build (6 KiB measured, see
/// `examples/tests/recursion_depth.rs`) and more than the 32 KiB that
/// 3.14's own check keeps (`_PyOS_STACK_MARGIN_BYTES` twice), so that the
/// interpreter's code that runs after the last check has room.
pub const MARGIN: usize = 64 * 1024;

std::thread_local! {
    /// The lowest address this thread's stack may reach before a call out
    /// raises: the stack's low end plus [`MARGIN`]; `usize::MAX` until
    /// first computed (so that the first check takes the slow path, which
    /// computes it), and `0` where the bounds are unknown (no check).
    static LIMIT: Cell<usize> = const { Cell::new(usize::MAX) };
}

/// Where the stack is now: the address of a local.
#[inline(always)]
fn here() -> usize {
    let local = 0u8;
    core::hint::black_box(&raw const local) as usize
}

/// `Err(RecursionError)` if less than [`MARGIN`] bytes of this thread's C
/// stack are left; the cost is one thread-local read and a compare.
///
/// # Errors
///
/// `RecursionError` naming how much stack is in use.
#[inline(always)]
pub fn check(py: Python<'_>) -> Result<(), PyErr> {
    let limit = LIMIT.try_with(Cell::get).unwrap_or(0);
    if here() > limit { Ok(()) } else { slow(py, limit) }
}

/// The first check on a thread (which finds the bounds), or a failed one.
#[cold]
#[inline(never)]
fn slow(py: Python<'_>, limit: usize) -> Result<(), PyErr> {
    let limit = if limit == usize::MAX {
        let computed = bounds().map_or(0, |(low, _)| low.saturating_add(MARGIN));
        let _ = LIMIT.try_with(|l| l.set(computed));
        computed
    } else {
        limit
    };
    if here() > limit {
        return Ok(());
    }
    let used =
        bounds().map_or(0, |(low, size)| (low + size).saturating_sub(here()));
    let msg = format!(
        "maximum recursion depth exceeded: {} KiB of this thread's {} KiB C \
         stack in use, before calling a Python object",
        used / 1024,
        bounds().map_or(0, |(_, size)| size / 1024),
    );
    // SAFETY: PyExc_RecursionError holds a reference to a built-in type for
    // the life of the interpreter; only the pointer is read.
    let ty = unsafe {
        crate::Borrowed::<crate::types::PyType>::from_ptr_unchecked(
            py,
            crate::ffi::PyExc_RecursionError,
        )
    };
    Err(PyErr::new_from_type(&ty, &msg))
}

/// This thread's stack: its lowest address and its size, from the
/// thread's attributes (`pthread_getattr_np`, which for the main thread
/// reads the stack's mapping and its resource limit).
#[cfg(target_os = "linux")]
fn bounds() -> Option<(usize, usize)> {
    let mut attr = core::mem::MaybeUninit::<libc::pthread_attr_t>::uninit();
    // SAFETY: `attr` is written by pthread_getattr_np before it is read,
    // and destroyed once after; `addr` and `size` are plain out-values.
    unsafe {
        if libc::pthread_getattr_np(libc::pthread_self(), attr.as_mut_ptr()) != 0 {
            return None;
        }
        let mut addr = core::ptr::null_mut();
        let mut size = 0;
        let got = libc::pthread_attr_getstack(attr.as_ptr(), &mut addr, &mut size);
        libc::pthread_attr_destroy(attr.as_mut_ptr());
        (got == 0 && !addr.is_null()).then_some((addr as usize, size))
    }
}

/// This thread's stack: its lowest address and its size
/// (`pthread_get_stackaddr_np` gives the highest).
#[cfg(target_os = "macos")]
fn bounds() -> Option<(usize, usize)> {
    // SAFETY: both only read the calling thread's own record.
    unsafe {
        let thread = libc::pthread_self();
        let top = libc::pthread_get_stackaddr_np(thread) as usize;
        let size = libc::pthread_get_stacksize_np(thread);
        Some((top.checked_sub(size)?, size))
    }
}

/// Unknown elsewhere: no check beyond the interpreter's own.
#[cfg(not(any(target_os = "linux", target_os = "macos")))]
fn bounds() -> Option<(usize, usize)> {
    None
}
