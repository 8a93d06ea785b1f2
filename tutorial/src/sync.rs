//! Synchronisation that is correct with a GIL and without one.
//!
//! Two tools, for two needs, as CPython's own C has them:
//!
//! - [`critical_section`]: a per-object critical section (PEP 703's
//!   `Py_BEGIN_CRITICAL_SECTION`). On a free-threaded build it locks the
//!   object's own mutex (`ob_mutex`) for the closure; on a build with a GIL
//!   it is nothing at all, since holding the GIL already excludes other
//!   threads. CPython suspends the section whenever the thread detaches or
//!   waits for another lock, and resumes it when the thread attaches again,
//!   so sections cannot deadlock; the price is that a section protects only
//!   code that neither detaches nor runs Python code that might.
//! - [`Mutex`]: a lock held across work that detaches (C's `zlib` holds one
//!   per object around `deflate`). A thread that must wait detaches while
//!   it waits, as `PyMutex_Lock` does, so the holder (which may need the GIL,
//!   or a stop-the-world pause may need every thread) can go on.

use crate::err::PyResult;
#[cfg(Py_GIL_DISABLED)]
use crate::ffi;
use crate::instance::Bound;
use crate::python::Python;
use crate::types::PyAny;

// ANCHOR: critical_section
/// Runs `f` inside a critical section on `obj`: `Py_BEGIN_CRITICAL_SECTION(obj)`
/// ... `Py_END_CRITICAL_SECTION()`.
///
/// On a free-threaded build, no other thread is inside a section on `obj`
/// while `f` runs and does not detach; CPython's own objects (`list`,
/// `dict`, ...) take the same lock in their methods, so a run of
/// `PyList_GET_ITEM` calls inside the section sees a list no other thread
/// resizes. With a GIL this costs nothing: the GIL already excludes them.
///
/// The section is a closure, not a guard, because CPython keeps a thread's
/// sections in a stack and they must end in the reverse order they began:
/// a guard could be dropped out of order, or forgotten; a closure cannot.
pub fn critical_section<R>(obj: &Bound<'_, PyAny>, f: impl FnOnce() -> R) -> R {
    #[cfg(Py_GIL_DISABLED)]
    {
        /// Ends the section when `f` returns or unwinds.
        struct End(*mut ffi::PyCriticalSection);
        impl Drop for End {
            fn drop(&mut self) {
                // SAFETY: begun below on this thread, and every section
                // begun inside `f` has ended (they are closures too).
                unsafe { ffi::PyCriticalSection_End(self.0) }
            }
        }
        let mut section =
            core::mem::MaybeUninit::<ffi::PyCriticalSection>::uninit();
        // SAFETY: attached (the handle's invariant), `obj` alive; the
        // section's memory stays where it is until `End` drops, in this
        // frame.
        unsafe { ffi::PyCriticalSection_Begin(section.as_mut_ptr(), obj.as_ptr()) };
        let _end = End(section.as_mut_ptr());
        f()
    }
    #[cfg(not(Py_GIL_DISABLED))]
    {
        let _ = obj;
        f()
    }
}
// ANCHOR_END: critical_section

// ANCHOR: mutex
/// A lock for a value that is used across work that detaches.
///
/// [`Mutex::lock`] never blocks while attached: if another thread holds the
/// lock, the waiting thread detaches until it gets it (`PyMutex_Lock` does
/// the same), so the holder can attach again to finish. If *this* thread
/// holds the lock already (a callback re-entered the object), `lock` raises
/// `RuntimeError` instead of waiting for ever.
pub struct Mutex<T> {
    inner: std::sync::Mutex<T>,
    /// The thread holding the lock ([`thread_key`]), or 0.
    owner: core::sync::atomic::AtomicUsize,
}

/// Access to a [`Mutex`]'s value; the lock is released when it drops.
pub struct MutexGuard<'a, T> {
    guard: std::sync::MutexGuard<'a, T>,
    owner: &'a core::sync::atomic::AtomicUsize,
}

/// An address unique to the running thread among live threads (never 0).
fn thread_key() -> usize {
    std::thread_local! {
        static KEY: u8 = const { 0 };
    }
    KEY.with(|key| core::ptr::from_ref(key) as usize)
}

/// Carries a value out of [`Python::detach`], whose result must be `Send`,
/// back to the same thread.
///
/// # Invariants
///
/// The value never leaves the thread that made it.
struct SameThread<T>(T);
// SAFETY: `detach` runs its closure on the calling thread and returns the
// result to it; the value never reaches another thread (invariant).
unsafe impl<T> Send for SameThread<T> {}

impl<T> Mutex<T> {
    /// A new, unlocked mutex.
    pub const fn new(value: T) -> Self {
        Mutex {
            inner: std::sync::Mutex::new(value),
            owner: core::sync::atomic::AtomicUsize::new(0),
        }
    }

    /// Locks, detaching while another thread holds the lock.
    ///
    /// A panic while the lock was held does not poison it: the value is
    /// handed out as the panic left it, as C's lock would.
    ///
    /// # Errors
    ///
    /// `RuntimeError` if this thread holds the lock already.
    pub fn lock(&self, py: Python<'_>) -> PyResult<MutexGuard<'_, T>>
    where
        T: Send,
    {
        use core::sync::atomic::Ordering::Relaxed;
        use std::sync::TryLockError;
        let me = thread_key();
        // Only this thread ever stores `me`, so a relaxed load sees it if
        // and only if this thread holds the lock.
        if self.owner.load(Relaxed) == me {
            return Err(crate::exceptions::RuntimeError::new_err(
                py,
                "re-entrant call: this thread already holds the object's lock",
            ));
        }
        let guard = match self.inner.try_lock() {
            Ok(guard) => guard,
            Err(TryLockError::Poisoned(poisoned)) => poisoned.into_inner(),
            Err(TryLockError::WouldBlock) => {
                let inner = &self.inner;
                // INVARIANT: made and unwrapped on this thread.
                py.detach(|| {
                    SameThread(
                        inner
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner),
                    )
                })
                .0
            }
        };
        self.owner.store(me, Relaxed);
        Ok(MutexGuard { guard, owner: &self.owner })
    }
}

impl<T> core::ops::Deref for MutexGuard<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.guard
    }
}

impl<T> core::ops::DerefMut for MutexGuard<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.guard
    }
}

impl<T> Drop for MutexGuard<'_, T> {
    fn drop(&mut self) {
        // Before the lock itself is released (when `guard` drops, after
        // this): the next holder stores its own key.
        self.owner.store(0, core::sync::atomic::Ordering::Relaxed);
    }
}
// ANCHOR_END: mutex
