//! Object handles: owned ([`Bound`], [`Py`]) and borrowed ([`Borrowed`]).
//!
//! The C API has one pointer type, `PyObject *`, and a convention in the
//! documentation of every function: the result is a *new* reference (the
//! caller must `Py_DECREF` it) or a *borrowed* one (the caller must not).
//! Here the convention is a type: a [`Bound`] owns its reference and
//! releases it on drop; a [`Borrowed`] does not and cannot outlive what it
//! borrows from. Taking a new reference is explicit ([`Bound::clone_ref`]):
//! there is no `Clone`.

use crate::err::{PyErr, PyResult};
use crate::ffi;
use crate::python::Python;
use crate::types::{PyAny, PyTypeCheck};
use core::fmt;
use core::marker::PhantomData;
use core::ops::Deref;
use core::ptr::NonNull;

// ANCHOR: bound
/// An owned (strong) reference to a Python object of type `T`, usable while
/// the thread is attached (`'py`).
///
/// Dropping it is `Py_DECREF`. Methods of [`PyAny`] work on every `Bound`;
/// each type in [`crate::types`] adds its own.
///
/// # Invariants
///
/// `ptr` is a strong reference owned by this value, to a live object that is
/// an instance of `T` (checked when the handle was made), and the thread is
/// attached for `'py`.
#[repr(transparent)]
pub struct Bound<'py, T = PyAny> {
    ptr: NonNull<ffi::PyObject>,
    _marker: PhantomData<(Python<'py>, T)>,
}
// ANCHOR_END: bound

/// A borrowed reference to a Python object of type `T`: valid for `'a`,
/// while its owner keeps the object alive, on a thread attached for `'py`.
///
/// It is `Copy` and never changes the reference count; it dereferences to a
/// `&Bound`, so every method of [`Bound`] works on it. [`Borrowed::to_owned`]
/// takes a new reference.
///
/// # Invariants
///
/// `ptr` points to a live object of type `T`, kept alive by a reference
/// someone else owns for at least `'a`; the thread is attached for `'py`.
#[repr(transparent)]
pub struct Borrowed<'a, 'py, T = PyAny> {
    ptr: NonNull<ffi::PyObject>,
    _marker: PhantomData<(&'a ffi::PyObject, Python<'py>, T)>,
}

/// An owned reference to a Python object of type `T` that is not bound to
/// an attachment: it can be stored in module state or an object, and sent
/// between threads. [`Py::bind`] borrows it as a [`Bound`] for use.
///
/// A `Py` also records the interpreter the object belongs to (the one the
/// thread was attached to when the `Py` was made), and is used only there:
/// [`Py::bind`] in another interpreter panics, and a drop in another one
/// leaks. An object belongs to one interpreter; with a GIL per interpreter
/// (3.12+), another interpreter's threads use it concurrently with its own,
/// and freeing it there would return its memory to the wrong allocator.
///
/// # Invariants
///
/// `ptr` is a strong reference owned by this value, to an instance of `T`
/// that belongs to the interpreter whose ID is `interp`. It is released
/// only on a thread with an attached thread state of that interpreter:
/// dropped anywhere else, the reference is leaked with a message on stderr
/// (see `decref_if_attached_to` in `python.rs`). `ptr` is the first field, so
/// that a `&Py<T>` is also a `&NonNull` that a `&Bound` can view.
#[repr(C)]
pub struct Py<T = PyAny> {
    ptr: NonNull<ffi::PyObject>,
    interp: crate::python::InterpreterId,
    _marker: PhantomData<T>,
}

// ANCHOR: py_send_sync
// SAFETY: a `Py` is a counted reference; the count is only changed by a
// thread attached to the object's own interpreter (Drop leaks anywhere
// else, `bind` panics), which is what makes sharing references between
// threads sound in CPython, with one GIL, a GIL per interpreter or none.
unsafe impl<T> Send for Py<T> {}
// SAFETY: `&Py<T>` gives access only to the pointer; using the object needs
// a `Python` token of the using thread, checked against the interpreter.
unsafe impl<T> Sync for Py<T> {}
// ANCHOR_END: py_send_sync

impl<'py, T> Bound<'py, T> {
    /// Takes ownership of a new reference returned by a C API call.
    ///
    /// # Safety
    ///
    /// `ptr` must be a strong reference the caller owns (it is consumed), to
    /// an instance of `T`, and the thread attached (as `py` proves).
    #[inline]
    pub unsafe fn from_owned_ptr(
        _py: Python<'py>,
        ptr: *mut ffi::PyObject,
    ) -> Self {
        // INVARIANT: the caller's contract.
        Bound {
            ptr: NonNull::new(ptr).expect("NULL passed to Bound::from_owned_ptr"),
            _marker: PhantomData,
        }
    }

    /// Takes ownership of the result of a C API call that returns a new
    /// reference, or NULL with an exception set.
    ///
    /// # Safety
    ///
    /// A non-NULL `ptr` must meet [`Bound::from_owned_ptr`]'s contract.
    ///
    /// # Errors
    ///
    /// The exception that the NULL signals.
    #[inline]
    pub unsafe fn from_owned_ptr_or_err(
        py: Python<'py>,
        ptr: *mut ffi::PyObject,
    ) -> PyResult<Self> {
        match NonNull::new(ptr) {
            // INVARIANT: the caller's contract.
            Some(ptr) => Ok(Bound { ptr, _marker: PhantomData }),
            None => Err(PyErr::already_set(py)),
        }
    }

    /// The token this handle is bound to.
    #[inline]
    pub fn py(&self) -> Python<'py> {
        // SAFETY: the invariant says the thread is attached for 'py.
        unsafe { Python::assume_attached() }
    }

    /// The raw pointer, still owned by this handle.
    #[inline]
    pub fn as_ptr(&self) -> *mut ffi::PyObject {
        self.ptr.as_ptr()
    }

    /// Gives up ownership: the caller now owns the reference (for example,
    /// to return it to C, which takes a new reference from a function).
    #[inline]
    pub fn into_ptr(self) -> *mut ffi::PyObject {
        let ptr = self.ptr.as_ptr();
        core::mem::forget(self);
        ptr
    }

    /// A borrowed handle to the same object.
    #[inline]
    pub fn as_borrowed<'a>(&'a self) -> Borrowed<'a, 'py, T> {
        // INVARIANT: `self` keeps the object alive for 'a.
        Borrowed { ptr: self.ptr, _marker: PhantomData }
    }

    /// A new strong reference to the same object: `Py_INCREF`, spelt out.
    // ANCHOR: clone_ref
    #[inline]
    pub fn clone_ref(&self) -> Self {
        // SAFETY: the object is live and the thread attached (invariant).
        unsafe { ffi::Py_INCREF(self.as_ptr()) };
        // INVARIANT: the incref above is the new handle's reference.
        Bound { ptr: self.ptr, _marker: PhantomData }
    }
    // ANCHOR_END: clone_ref

    /// Detaches the reference from the attachment, to store it.
    #[inline]
    pub fn unbind(self) -> Py<T> {
        let interp = crate::python::InterpreterId::current(self.py());
        // INVARIANT: ownership moves from `self` to the Py; the thread is
        // attached (as `'py` proves) to the object's interpreter.
        Py {
            ptr: NonNull::new(self.into_ptr()).expect("a Bound is never NULL"),
            interp,
            _marker: PhantomData,
        }
    }

    /// The same handle, typed as [`PyAny`].
    #[inline]
    pub fn into_any(self) -> Bound<'py, PyAny> {
        // INVARIANT: every object is a PyAny.
        Bound {
            ptr: NonNull::new(self.into_ptr()).expect("a Bound is never NULL"),
            _marker: PhantomData,
        }
    }

    /// The same handle, typed as [`PyAny`], by reference.
    #[inline]
    pub fn as_any(&self) -> &Bound<'py, PyAny> {
        // SAFETY: Bound is repr(transparent) over the pointer whatever T is,
        // and every object is a PyAny.
        unsafe { &*(self as *const Self).cast::<Bound<'py, PyAny>>() }
    }

    /// Checks the type and, if it fits, gives the handle as a `U`.
    ///
    /// # Errors
    ///
    /// `TypeError` if the object is not an instance of `U`.
    pub fn downcast<U: PyTypeCheck>(&self) -> PyResult<&Bound<'py, U>> {
        if U::type_check(self.as_any()) {
            // SAFETY: checked just now; same repr as above.
            Ok(unsafe { &*(self as *const Self).cast::<Bound<'py, U>>() })
        } else {
            Err(crate::types::downcast_error(self.as_any(), U::NAME))
        }
    }

    /// As [`Bound::downcast`], consuming the handle.
    ///
    /// # Errors
    ///
    /// `TypeError` if the object is not an instance of `U`.
    pub fn downcast_into<U: PyTypeCheck>(self) -> PyResult<Bound<'py, U>> {
        if U::type_check(self.as_any()) {
            // INVARIANT: the type was checked just now.
            Ok(Bound {
                ptr: NonNull::new(self.into_ptr()).expect("never NULL"),
                _marker: PhantomData,
            })
        } else {
            Err(crate::types::downcast_error(self.as_any(), U::NAME))
        }
    }
}

impl<T> Drop for Bound<'_, T> {
    #[inline]
    fn drop(&mut self) {
        // SAFETY: the handle owns this reference and the thread is attached
        // (invariant); nothing uses the pointer after this.
        unsafe { ffi::Py_DECREF(self.ptr.as_ptr()) }
    }
}

impl<'a, 'py, T> Borrowed<'a, 'py, T> {
    /// Borrows a reference that the caller knows to be valid and of type `T`.
    ///
    /// # Safety
    ///
    /// `ptr` must be non-NULL and point to an instance of `T` that stays
    /// alive for `'a` (someone else owns a reference for that long), and the
    /// thread must be attached (as `py` proves).
    #[inline]
    pub unsafe fn from_ptr_unchecked(
        _py: Python<'py>,
        ptr: *mut ffi::PyObject,
    ) -> Self {
        // INVARIANT: the caller's contract.
        Borrowed {
            ptr: NonNull::new(ptr)
                .expect("NULL passed to Borrowed::from_ptr_unchecked"),
            _marker: PhantomData,
        }
    }

    /// A new strong reference to the object: `Py_INCREF`.
    #[inline]
    pub fn to_owned(self) -> Bound<'py, T> {
        // SAFETY: the object is live and the thread attached (invariant).
        unsafe { ffi::Py_INCREF(self.ptr.as_ptr()) };
        // INVARIANT: the incref above is the new handle's reference.
        Bound { ptr: self.ptr, _marker: PhantomData }
    }
}

impl<'py, T> Deref for Borrowed<'_, 'py, T> {
    type Target = Bound<'py, T>;
    #[inline]
    fn deref(&self) -> &Bound<'py, T> {
        // SAFETY: Bound and Borrowed are both repr(transparent) over the
        // same pointer; the `&Bound` lives no longer than `&self`, during
        // which the object is alive, and a `&Bound` cannot be dropped.
        unsafe {
            &*(&self.ptr as *const NonNull<ffi::PyObject>).cast::<Bound<'py, T>>()
        }
    }
}

impl<T> Clone for Borrowed<'_, '_, T> {
    #[inline]
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for Borrowed<'_, '_, T> {}

impl<T> Py<T> {
    /// Borrows the object for use on this (attached) thread.
    ///
    /// # Panics
    ///
    /// If the thread is attached to another interpreter than the object's
    /// (a `Py` kept in a `static` and used from a subinterpreter, say): a
    /// bug in the caller, which the trampolines raise as `SystemError`.
    #[inline]
    pub fn bind<'py>(&self, py: Python<'py>) -> &Bound<'py, T> {
        let here = crate::python::InterpreterId::current(py);
        assert!(
            here == self.interp,
            "a Py of interpreter {} used in interpreter {}",
            self.interp.0,
            here.0,
        );
        // SAFETY: `ptr` is the first field of this `repr(C)` struct and a
        // `Bound` is a `repr(transparent)` `NonNull`, so `&self.ptr` can be
        // viewed as one; `self` keeps the object alive while the `&Bound`
        // exists, `py` proves the attachment and the check above that it is
        // to the object's interpreter.
        unsafe { &*(&raw const self.ptr).cast::<Bound<'py, T>>() }
    }

    /// Whether the thread is attached to the object's interpreter.
    pub(crate) fn is_of_this_interpreter(&self) -> bool {
        let state = crate::python::current_thread_state();
        if state.is_null() {
            return false;
        }
        // SAFETY: `state` is this thread's attached thread state, checked
        // non-NULL.
        unsafe { crate::python::InterpreterId::of(state) == self.interp }
    }

    /// The ID of the interpreter the object belongs to
    /// (`PyInterpreterState_GetID`; 0 is the main interpreter).
    #[inline]
    pub fn interpreter_id(&self) -> i64 {
        self.interp.0
    }

    /// The raw pointer, still owned by this handle.
    #[inline]
    pub fn as_ptr(&self) -> *mut ffi::PyObject {
        self.ptr.as_ptr()
    }

    /// A new strong reference to the same object.
    #[inline]
    pub fn clone_ref(&self, py: Python<'_>) -> Py<T> {
        self.bind(py).clone_ref().unbind()
    }
}

/// `Bound { type: "list", ptr: 0x7f... }`: the type's `tp_name` and the
/// object's address. No Python code runs (no `repr`): printing a handle
/// cannot raise, re-enter the object or change the error indicator.
impl<T> fmt::Debug for Bound<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_handle(f, "Bound", Some(&self.tp_name()), self.as_ptr())
    }
}

/// As for [`Bound`]: `Borrowed { type: "list", ptr: 0x7f... }`.
impl<T> fmt::Debug for Borrowed<'_, '_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        debug_handle(f, "Borrowed", Some(&self.tp_name()), self.as_ptr())
    }
}

/// As for [`Bound`] on a thread that is attached to the object's
/// interpreter; elsewhere the type is not read (another thread may be
/// assigning `__class__`) and only the address is shown:
/// `Py { type: <detached>, ptr: 0x7f... }`.
impl<T> fmt::Debug for Py<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = self.is_of_this_interpreter().then(|| {
            // SAFETY: attached just now, checked; the Py keeps the object
            // alive, and the `&Bound` does not outlive this call.
            let py = unsafe { Python::assume_attached() };
            self.bind(py).tp_name()
        });
        debug_handle(f, "Py", name.as_deref(), self.as_ptr())
    }
}

/// The `Debug` text of a handle: its kind, its type's name (if it could be
/// read) and its address.
fn debug_handle(
    f: &mut fmt::Formatter<'_>,
    kind: &str,
    type_name: Option<&str>,
    ptr: *mut ffi::PyObject,
) -> fmt::Result {
    /// Prints without quotes: `<detached>`.
    struct Detached;
    impl fmt::Debug for Detached {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("<detached>")
        }
    }
    let mut s = f.debug_struct(kind);
    match type_name {
        Some(name) => s.field("type", &name),
        None => s.field("type", &Detached),
    };
    s.field("ptr", &ptr).finish()
}

impl<T> Drop for Py<T> {
    fn drop(&mut self) {
        // A `Py` is `Send`: it may be dropped on a thread that is detached,
        // inside `detach`, never attached at all, or attached to another
        // interpreter.
        crate::python::decref_if_attached_to(self.ptr.as_ptr(), self.interp, "Py");
    }
}
