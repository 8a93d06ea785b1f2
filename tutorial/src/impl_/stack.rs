//! The C stack check of debug builds, made at every entry from C into
//! Rust (the trampolines' [`run`](super::trampoline::run)).
//!
//! CPython raises `RecursionError` when Python code recurses too deeply,
//! by counting calls (3.11-3.13) or by measuring the C stack (3.14+). A
//! Rust function that calls back into Python (a `key` function that calls
//! `bisect_left` again, say) nests its own frames between the counted
//! ones. In a release build they are close to the C function's: a level of
//! that recursion (the interpreter's frames included) took 708 bytes of C
//! stack against C `_bisect`'s 563 (CPython 3.11.7, x86-64; the deepest
//! recursion that survives on a 1 MiB thread, 1,481 levels against 1,862),
//! so with the default limit and stack size the interpreter's limit fires
//! first, for both. In a debug build (no optimisation, every temporary in
//! its own stack slot) a level takes about 6.5 KB, and the C stack runs out
//! before the counted limit is reached: a `SIGSEGV` where C raises
//! `RecursionError`. So debug builds check the stack left at each entry and
//! raise `RecursionError` with less than [`MARGIN`] left. Release builds do
//! not check, and pay nothing per call (the callgrind step counts release
//! builds against C): a check there costs about 5 instructions per call,
//! more than the bound of a method call allows.

use crate::err::PyErr;
use crate::python::Python;

/// The stack an entry needs left: room for the debug build's deepest
/// Rust frames and the interpreter's frames of one more level.
pub const MARGIN: usize = 256 * 1024;

/// `Err(RecursionError)` if this thread's C stack has less than
/// [`MARGIN`] bytes left below the caller's frame; `Ok` where the stack's
/// bounds cannot be read (not Linux, or the query failed).
///
/// # Errors
///
/// `RecursionError: maximum recursion depth exceeded (the C stack is
/// nearly full)`.
#[inline]
pub fn check(py: Python<'_>) -> Result<(), PyErr> {
    let here = core::hint::black_box(0u8);
    let sp = (&raw const here) as usize;
    match bottom() {
        Some(bottom) if sp.saturating_sub(bottom) < MARGIN => {
            Err(crate::exceptions::RecursionError::new_err(
                py,
                "maximum recursion depth exceeded (the C stack is nearly full)",
            ))
        }
        _ => Ok(()),
    }
}

/// The lowest address of this thread's stack (stacks grow down on every
/// platform CPython supports with Rust), read once per thread.
#[cfg(target_os = "linux")]
fn bottom() -> Option<usize> {
    use core::cell::Cell;
    std::thread_local! {
        /// 0: not read yet; 1: unreadable; else the bottom.
        static BOTTOM: Cell<usize> = const { Cell::new(0) };
    }
    let cached = BOTTOM.try_with(Cell::get).ok()?;
    let bottom = if cached == 0 {
        let read = read_bottom().unwrap_or(1);
        let _ = BOTTOM.try_with(|b| b.set(read));
        read
    } else {
        cached
    };
    (bottom > 1).then_some(bottom)
}

/// No bounds to read: no check.
#[cfg(not(target_os = "linux"))]
fn bottom() -> Option<usize> {
    None
}

/// The calling thread's stack bounds from `pthread_getattr_np`: the main
/// thread's as the kernel's limit for it (`ulimit -s`) allows, another's
/// as it was created (`threading.stack_size`).
#[cfg(target_os = "linux")]
fn read_bottom() -> Option<usize> {
    let mut attr = core::mem::MaybeUninit::<libc::pthread_attr_t>::uninit();
    // SAFETY: `attr` is written by pthread_getattr_np before it is read,
    // and destroyed once, only if it was initialised.
    unsafe {
        if libc::pthread_getattr_np(libc::pthread_self(), attr.as_mut_ptr()) != 0 {
            return None;
        }
        let mut addr = core::ptr::null_mut();
        let mut size = 0;
        let status =
            libc::pthread_attr_getstack(attr.as_ptr(), &mut addr, &mut size);
        libc::pthread_attr_destroy(attr.as_mut_ptr());
        (status == 0 && !addr.is_null()).then_some(addr as usize)
    }
}
