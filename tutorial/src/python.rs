//! The token that proves the current thread is attached to the interpreter.

use crate::ffi;
use core::marker::PhantomData;

// ANCHOR: token
/// Proof that the calling thread is attached to the interpreter (holds the
/// GIL, in a build that has one) for the lifetime `'py`.
///
/// Every safe function that touches Python objects takes a `Python<'py>`, or
/// a handle that carries one. The token is `Copy` but neither `Send` nor
/// `Sync`: it cannot leave the thread whose attachment it proves, and no
/// handle bound to `'py` can outlive the attachment.
///
/// # Invariants
///
/// While a `Python<'py>` exists, the thread that created it has an attached
/// thread state, and keeps it for all of `'py`.
#[derive(Clone, Copy)]
pub struct Python<'py>(PhantomData<(&'py (), *mut ())>);
// ANCHOR_END: token

impl<'py> Python<'py> {
    // ANCHOR: assume_attached
    /// Makes a token for the current thread.
    ///
    /// # Safety
    ///
    /// The calling thread must have an attached thread state, and keep it
    /// for all of `'py`. A C entry point called by CPython (a module
    /// function, a slot) may assume this for the duration of the call.
    #[inline]
    pub unsafe fn assume_attached() -> Python<'py> {
        // INVARIANT: the caller guarantees the attachment.
        Python(PhantomData)
    }
    // ANCHOR_END: assume_attached

    // ANCHOR: detach
    /// Runs `f` with this thread detached from the interpreter, so that
    /// other threads can run Python code meanwhile: the C
    /// `Py_BEGIN_ALLOW_THREADS ... Py_END_ALLOW_THREADS` block.
    ///
    /// `f` must be `Send`, and so must its result: a `Python` token, and
    /// every handle bound to one, is not, so the closure cannot touch Python
    /// objects while detached. The thread is attached again when `f`
    /// returns or panics.
    pub fn detach<T, F>(self, f: F) -> T
    where
        F: Send + FnOnce() -> T,
        T: Send,
    {
        /// Re-attaches on drop, including during a panic.
        struct Restore(*mut ffi::PyThreadState);
        impl Drop for Restore {
            fn drop(&mut self) {
                // SAFETY: `self.0` is the state this thread saved below, and
                // the thread is detached now.
                unsafe { ffi::PyEval_RestoreThread(self.0) }
            }
        }
        // SAFETY: the token proves this thread is attached, which
        // PyEval_SaveThread requires; the state it returns is restored by
        // the guard before this function returns or unwinds.
        let _restore = Restore(unsafe { ffi::PyEval_SaveThread() });
        f()
    }
    // ANCHOR_END: detach

    /// The `None` singleton (`Py_None`; named as in C and in PyO3).
    #[inline]
    #[allow(non_snake_case)]
    pub fn None(self) -> crate::Borrowed<'py, 'py, crate::types::PyAny> {
        // SAFETY: Py_None is a valid object for the life of the interpreter.
        unsafe { crate::Borrowed::from_ptr_unchecked(self, ffi::Py_None()) }
    }

    /// `import name`: `PyImport_ImportModule`.
    ///
    /// # Errors
    ///
    /// The import's exception (`ModuleNotFoundError`, ...).
    pub fn import(
        self,
        name: &str,
    ) -> crate::PyResult<crate::Bound<'py, crate::types::PyModule>> {
        let name = crate::types::PyStr::new(self, name)?;
        // SAFETY: attached (token); `name` is a valid str.
        let module: crate::Bound<'py, crate::types::PyAny> = unsafe {
            crate::Bound::from_owned_ptr_or_err(
                self,
                ffi::PyImport_Import(name.as_ptr()),
            )?
        };
        module.downcast_into::<crate::types::PyModule>()
    }
}

// ANCHOR: attached
/// The calling thread's attached thread state, or NULL when it has none.
///
/// This is the one reliable test of attachment. `PyGILState_Check()` is
/// not: it answers 1 on a detached thread once any subinterpreter exists
/// (it gives up checking then), and it only knows the main interpreter.
#[inline]
pub(crate) fn current_thread_state() -> *mut ffi::PyThreadState {
    #[cfg(Py_3_13)]
    // SAFETY: reads this thread's current-state variable; never fails.
    let state = unsafe { ffi::PyThreadState_GetUnchecked() };
    #[cfg(not(Py_3_13))]
    // SAFETY: as above, under the function's name before 3.13.
    let state = unsafe { ffi::_PyThreadState_UncheckedGet() };
    state
}
// ANCHOR_END: attached

// ANCHOR: interpreter_id
/// The ID of an interpreter (`PyInterpreterState_GetID`): 0 for the main
/// one, and never reused, unlike the address of a finished interpreter's
/// state. A [`Py`](crate::Py) records the one it belongs to.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) struct InterpreterId(pub(crate) i64);

impl InterpreterId {
    /// The interpreter the thread is attached to.
    #[inline]
    pub(crate) fn current(_py: Python<'_>) -> InterpreterId {
        // SAFETY: attached (token), so there is a current interpreter.
        InterpreterId(unsafe {
            ffi::PyInterpreterState_GetID(ffi::PyInterpreterState_Get())
        })
    }

    /// The interpreter of a thread state.
    ///
    /// # Safety
    ///
    /// `state` must be the calling thread's attached thread state.
    #[inline]
    pub(crate) unsafe fn of(state: *mut ffi::PyThreadState) -> InterpreterId {
        // SAFETY: the caller's contract: a live thread state, whose
        // interpreter is live while the thread is attached to it.
        InterpreterId(unsafe {
            ffi::PyInterpreterState_GetID(ffi::PyThreadState_GetInterpreter(state))
        })
    }
}
// ANCHOR_END: interpreter_id

/// References leaked by [`decref_if_attached_to`], for tests and diagnostics.
static LEAKED: core::sync::atomic::AtomicUsize =
    core::sync::atomic::AtomicUsize::new(0);

impl Python<'_> {
    /// How many references this process has leaked rather than release them
    /// on a thread with no attached thread state, or one attached to another
    /// interpreter (a [`crate::Py`] or a [`crate::PyErr`] dropped there):
    /// each leak also prints a line to
    /// stderr.
    pub fn leaked_references() -> usize {
        LEAKED.load(core::sync::atomic::Ordering::Relaxed)
    }
}

// ANCHOR: decref_if_attached
/// `Py_DECREF(ptr)` if this thread is attached to the object's interpreter
/// `interp`; otherwise the reference is leaked, with a line on stderr that
/// names `what`.
///
/// A decref needs an attached thread state: without one it races with
/// the threads that have one (on every build), and a deallocation would run
/// Python code with no thread state. Attaching here instead
/// (`PyGILState_Ensure`) would attach to the main interpreter, whatever
/// interpreter the object belongs to, and could deadlock a thread that
/// detached around a lock. Attached to *another* interpreter is no better:
/// with a GIL per interpreter, the object's own interpreter may be using it
/// at the same moment, and freeing it would hand its memory to the wrong
/// allocator. The leak is the proposal's choice: visible, and never
/// undefined behaviour. After `Py_Finalize` the object is gone, and
/// nothing is printed.
pub(crate) fn decref_if_attached_to(
    ptr: *mut ffi::PyObject,
    interp: InterpreterId,
    what: &str,
) {
    let state = current_thread_state();
    // SAFETY: `state` is this thread's attached thread state, checked
    // non-NULL.
    let here = (!state.is_null()).then(|| unsafe { InterpreterId::of(state) });
    if here == Some(interp) {
        // SAFETY: the caller owns this reference, and the thread is attached
        // to the object's interpreter.
        unsafe { ffi::Py_DECREF(ptr) };
        return;
    }
    // SAFETY: Py_IsInitialized only reads a flag.
    if unsafe { ffi::Py_IsInitialized() } == 0 {
        return;
    }
    LEAKED.fetch_add(1, core::sync::atomic::Ordering::Relaxed);
    match here {
        None => eprintln!(
            "tutorial: a {what} was dropped on a thread with no attached thread \
             state; its reference to {ptr:p} is leaked (drop it while attached)"
        ),
        Some(here) => eprintln!(
            "tutorial: a {what} of interpreter {} was dropped in interpreter {}; \
             its reference to {ptr:p} is leaked (drop it in its own interpreter)",
            interp.0, here.0,
        ),
    }
}
// ANCHOR_END: decref_if_attached
