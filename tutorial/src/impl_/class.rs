//! The machinery behind [`class!`](crate::class!): an instance's memory,
//! the slots every type gets (`tp_new`, `tp_dealloc`, `tp_finalize` for a
//! type with a finalizer, and for a type in the garbage collector
//! `tp_traverse` and `tp_clear`), and the type's spec. The user API is
//! `crate::class`.

use crate::class::{BaseType, PyClass};
use crate::err::PyErr;
use crate::ffi;
use crate::impl_::trampoline::abort_on_panic;
use crate::module::Visit;
use core::ffi::{CStr, c_int, c_void};

/// The memory of an instance: the base's struct, then the Rust value.
///
/// # Invariants
///
/// `contents` is initialised from the end of `tp_new` until `tp_dealloc`
/// drops it; the object cannot be reached from Python code before or after.
#[repr(C)]
pub struct ClassObject<T: PyClass> {
    ob_base: <T::Base as BaseType>::Layout,
    pub(crate) contents: ValueCell<T>,
}

/// Before 3.12, the memory of an instance of a [`PyClass::WEAKREF`] type:
/// the instance, then the head of its list of weak references, which
/// `__weaklistoffset__` points to (`tp_weaklistoffset`). From 3.12 the list
/// is kept before the object's header (`Py_TPFLAGS_MANAGED_WEAKREF`).
///
/// # Invariants
///
/// `weaklist` is NULL (tp_alloc zero-fills) or owned by CPython's weakref
/// code; Rust never reads or writes it.
#[cfg(not(Py_3_12))]
#[repr(C)]
struct Weakrefable<T: PyClass> {
    object: ClassObject<T>,
    weaklist: *mut ffi::PyObject,
}

/// Whether `T`'s type is in the collector: [`PyClass::GC`], a type with a
/// finalizer (whose "finalized" flag lives in the collector's header), or
/// a type whose objects need the collector's allocator (the weak-reference
/// list before the header, 3.12+).
pub(crate) const fn in_collector<T: PyClass>() -> bool {
    T::GC || T::FINALIZE || (cfg!(Py_3_12) && T::WEAKREF)
}

/// `tp_basicsize`: the instance, and before 3.12 the weak-reference list.
const fn basicsize<T: PyClass>() -> usize {
    #[cfg(not(Py_3_12))]
    if T::WEAKREF {
        return core::mem::size_of::<Weakrefable<T>>();
    }
    core::mem::size_of::<ClassObject<T>>()
}

// ANCHOR: value_cell
/// The Rust value of an object and its borrow flag: a `RefCell` whose flag
/// is atomic, so that it is correct without a GIL.
///
/// The flag is `0` (free), `n > 0` (`n` shared borrows) or `-1` (one
/// exclusive borrow). Every borrow is taken by a compare-and-swap (and
/// given back by an atomic store or decrement), so two threads can never
/// both win the value: the methods' borrows run inside the
/// object's critical section (see `Bound<Class<T>>::with`), but the
/// collector's `tp_traverse` can run on another thread without it
/// (`gc.get_referents` calls it directly), and it must not race them.
///
/// # Invariants
///
/// `value` is read only through a [`Shared`] and written only through an
/// [`Exclusive`], which exist only while the flag says so.
pub(crate) struct ValueCell<T> {
    flag: core::sync::atomic::AtomicIsize,
    value: core::cell::UnsafeCell<T>,
}

/// A shared borrow of a [`ValueCell`]'s value.
pub(crate) struct Shared<'a, T>(&'a ValueCell<T>);
/// The exclusive borrow of a [`ValueCell`]'s value.
pub(crate) struct Exclusive<'a, T>(&'a ValueCell<T>);

impl<T> ValueCell<T> {
    pub(crate) const fn new(value: T) -> Self {
        ValueCell {
            flag: core::sync::atomic::AtomicIsize::new(0),
            value: core::cell::UnsafeCell::new(value),
        }
    }

    /// A shared borrow, unless the value is borrowed exclusively.
    pub(crate) fn try_shared(&self) -> Option<Shared<'_, T>> {
        use core::sync::atomic::Ordering::{Acquire, Relaxed};
        let mut n = self.flag.load(Relaxed);
        loop {
            if n < 0 || n == isize::MAX {
                return None;
            }
            match self.flag.compare_exchange_weak(n, n + 1, Acquire, Relaxed) {
                // INVARIANT: the flag now counts this borrow.
                Ok(_) => return Some(Shared(self)),
                Err(now) => n = now,
            }
        }
    }

    /// The exclusive borrow, unless the value is borrowed at all.
    pub(crate) fn try_exclusive(&self) -> Option<Exclusive<'_, T>> {
        use core::sync::atomic::Ordering::{Acquire, Relaxed};
        // INVARIANT: the flag now says exclusive, for this borrow only.
        self.flag
            .compare_exchange(0, -1, Acquire, Relaxed)
            .ok()
            .map(|_| Exclusive(self))
    }

    /// The value, when nothing else can reach the object (`tp_dealloc`).
    pub(crate) fn as_mut_ptr(&self) -> *mut T {
        self.value.get()
    }
}

impl<T> core::ops::Deref for Shared<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the flag counts this shared borrow, so no Exclusive exists
        // (ValueCell invariant).
        unsafe { &*self.0.value.get() }
    }
}

impl<T> Drop for Shared<'_, T> {
    fn drop(&mut self) {
        self.0.flag.fetch_sub(1, core::sync::atomic::Ordering::Release);
    }
}

impl<T> core::ops::Deref for Exclusive<'_, T> {
    type Target = T;
    fn deref(&self) -> &T {
        // SAFETY: the flag says this is the only borrow (invariant).
        unsafe { &*self.0.value.get() }
    }
}

impl<T> core::ops::DerefMut for Exclusive<'_, T> {
    fn deref_mut(&mut self) -> &mut T {
        // SAFETY: the flag says this is the only borrow (invariant).
        unsafe { &mut *self.0.value.get() }
    }
}

impl<T> Drop for Exclusive<'_, T> {
    fn drop(&mut self) {
        self.0.flag.store(0, core::sync::atomic::Ordering::Release);
    }
}
// ANCHOR_END: value_cell

/// A `tp_init` function, as the `class!` macro writes it.
pub type TpInit = Option<
    unsafe extern "C" fn(
        *mut ffi::PyObject,
        *mut ffi::PyObject,
        *mut ffi::PyObject,
    ) -> c_int,
>;

/// `tp_new`: makes the Rust value, then the object (`tp_alloc`), then puts
/// the value in it.
///
/// # Safety
///
/// Called by CPython, attached, with `ty` a subtype of `T`'s type.
unsafe extern "C" fn tp_new<T: PyClass>(
    ty: *mut ffi::PyTypeObject,
    _args: *mut ffi::PyObject,
    _kwargs: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: the caller's contract.
    unsafe {
        crate::impl_::trampoline::run(|py| {
            // The value first: if it fails, there is no half-made object.
            let value = T::new(py)?;
            new_object(py, ty, value)
        })
    }
}

/// Allocates an instance of `ty` (`tp_alloc`) and moves `value` into it.
///
/// # Safety
///
/// Attached (`py`), with `ty` T's type or a subtype of it.
///
/// # Errors
///
/// What `tp_alloc` raises (`MemoryError`).
pub(crate) unsafe fn new_object<T: PyClass>(
    py: crate::Python<'_>,
    ty: *mut ffi::PyTypeObject,
    value: T,
) -> crate::PyResult<*mut ffi::PyObject> {
    // SAFETY: the caller's contract: `ty` is T's type or a subtype, whose
    // instances start with ClassObject<T>.
    unsafe {
        let alloc =
            ffi::PyType_GetSlot_tp_alloc(ty).expect("every type has tp_alloc");
        let obj = alloc(ty, 0);
        if obj.is_null() {
            return Err(PyErr::already_set(py));
        }
        // INVARIANT: initialised here, before anyone else sees the object.
        core::ptr::write(
            &raw mut (*obj.cast::<ClassObject<T>>()).contents,
            ValueCell::new(value),
        );
        Ok(obj)
    }
}

// ANCHOR: dealloc
/// `tp_dealloc` of a heap type: untrack, clear the weak references, drop
/// the value, let the base free the memory, then release the reference
/// every instance holds to its heap type; deferred by [`deep_dealloc`] when
/// deallocation is nested deeply.
///
/// # Safety
///
/// Called by CPython, attached, when the object's count reached zero.
unsafe extern "C" fn tp_dealloc<T: PyClass>(obj: *mut ffi::PyObject) {
    // SAFETY: the caller's contract: `obj` is an instance of T's type (or a
    // subtype) that nobody refers to any more.
    unsafe {
        // Untracked first, whatever `T::GC` says: a type made with a `list`
        // base inherits the collector from it, and the collector must not
        // find a half-torn-down object (or one parked for later, below).
        if ffi::PyType_GetFlags(ffi::Py_TYPE(obj)) & ffi::Py_TPFLAGS_HAVE_GC as u64
            != 0
        {
            ffi::PyObject_GC_UnTrack(obj.cast());
        }
        deep_dealloc(obj, dealloc_now::<T>);
    }
}

/// The teardown itself, at a depth [`deep_dealloc`] allows.
///
/// # Safety
///
/// As [`tp_dealloc`], with `obj` untracked already.
unsafe fn dealloc_now<T: PyClass>(obj: *mut ffi::PyObject) {
    // SAFETY: the caller's contract.
    unsafe {
        if T::FINALIZE {
            // As CPython's subtype_dealloc: tracked while the finalizer
            // runs, so that an object it resurrects is tracked again, as
            // the collector requires. CPython skips a finalizer that ran
            // already (the collector's flag): for a Python subclass,
            // subtype_dealloc ran it before calling this deallocator.
            if ffi::PyObject_GC_IsTracked(obj) == 0 {
                ffi::PyObject_GC_Track(obj.cast());
            }
            if ffi::PyObject_CallFinalizerFromDealloc(obj) < 0 {
                // Resurrected: the object lives on, whole, with the
                // reference to its type it holds.
                return;
            }
            ffi::PyObject_GC_UnTrack(obj.cast());
        }
        if T::WEAKREF {
            // Before anything is torn down, as CPython's own deallocators
            // do: the callbacks run now, and `ref()` gives None from here.
            // A Python subclass does not add a list of its own when the
            // base has one, so this is the only place it is cleared.
            ffi::PyObject_ClearWeakRefs(obj);
        }
        let ty = ffi::Py_TYPE(obj);
        let contents = (*obj.cast::<ClassObject<T>>()).contents.as_mut_ptr();
        // SAFETY: initialised until now (ClassObject invariant); dropped once;
        // nobody can borrow it, since nobody refers to the object.
        let drop_value = || core::ptr::drop_in_place(contents);
        abort_on_panic(
            || format!("the Drop of {} (tp_dealloc)", core::any::type_name::<T>()),
            drop_value,
        );
        let base = T::Base::type_object();
        if base == &raw mut ffi::PyBaseObject_Type {
            // `object` has nothing to tear down: free the memory.
            ffi::PyType_GetSlot_tp_free(ty).expect("every type has tp_free")(
                obj.cast(),
            );
        } else {
            // The base tears itself down and frees through tp_free.
            (*base).tp_dealloc.expect("a base type has tp_dealloc")(obj);
        }
        ffi::Py_DECREF(ty.cast());
    }
}
// ANCHOR_END: dealloc

// ANCHOR: finalize
/// `tp_finalize` (PEP 442): runs [`PyClass::finalize`] with the exception
/// that was set saved and put back, and reports what it raises (or a
/// panic, as `SystemError`) with `PyErr_WriteUnraisable`.
///
/// # Safety
///
/// Called by CPython, attached, with a live instance of `T`'s type or a
/// subtype: from a deallocator (`PyObject_CallFinalizerFromDealloc`), the
/// collector, or `obj.__del__()`.
unsafe extern "C" fn tp_finalize<T: PyClass>(obj: *mut ffi::PyObject) {
    // SAFETY: the caller's contract: attached, and `obj` is alive for the
    // call (a deallocator resurrected it for the call, or a caller holds
    // a reference) and starts with ClassObject<T>.
    unsafe {
        let py = crate::Python::assume_attached();
        // The exception set when the finalizer was called, kept aside while
        // it runs and set again after.
        let saved = crate::err::take_raised(py);
        let slf =
            crate::Borrowed::<crate::class::Class<T>>::from_ptr_unchecked(py, obj);
        let finalized =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                T::finalize(&slf)
            }));
        match finalized {
            Ok(Ok(())) => {}
            Ok(Err(err)) => err.restore(py),
            Err(payload) => {
                crate::impl_::trampoline::raise_panic(py, payload.as_ref())
            }
        }
        // Also an exception that an Ok left set (a bug in unsafe code).
        if !ffi::PyErr_Occurred().is_null() {
            ffi::PyErr_WriteUnraisable(obj);
        }
        if let Some(saved) = saved {
            PyErr::from_value(saved).restore(py);
        }
    }
}
// ANCHOR_END: finalize

// ANCHOR: trashcan
/// How many deallocations of the safe layer's types may nest on one
/// thread before the next is parked: CPython's trashcan allows 50
/// (`_PyTrash_UNWIND_LEVEL` before 3.13).
const DEALLOC_DEPTH: usize = 50;

/// A deallocation parked for later: the object and its teardown.
type Parked = (*mut ffi::PyObject, unsafe fn(*mut ffi::PyObject));

std::thread_local! {
    /// Deallocations of the safe layer's types running on this thread.
    static DEPTH: core::cell::Cell<usize> = const { core::cell::Cell::new(0) };
    /// The thread state they run under: a deallocation can run Python code
    /// (a value's `Drop` releases objects whose `__del__` runs), and that
    /// code can switch the thread to another interpreter
    /// (`_interpreters.exec`), whose objects must not be parked with these
    /// and freed by this interpreter's outermost deallocation.
    static OWNER: core::cell::Cell<*mut ffi::PyThreadState> =
        const { core::cell::Cell::new(core::ptr::null_mut()) };
    /// Objects whose teardown waits for the outermost one to finish.
    static PARKED: core::cell::RefCell<Vec<Parked>> =
        const { core::cell::RefCell::new(Vec::new()) };
}

/// Runs `now(obj)`, or parks it when [`DEALLOC_DEPTH`] deallocations are
/// already running on this thread; the outermost one then runs the parked
/// ones, one after another, each from a shallow stack.
///
/// This is the trashcan of CPython's deallocators (`Py_TRASHCAN_BEGIN`),
/// which a type made here cannot use: CPython engages a base's trashcan
/// only for the base's own instances (`list_dealloc` checks that the object's
/// `tp_dealloc` is `list_dealloc`), and its private API changed in each
/// version since 3.11. Without it, `s = SubList([s])` nested 300,000 deep
/// overflows the C stack when `s` goes; a parked object has count zero, is
/// untracked and unreachable, so nothing can see it waiting.
///
/// # Safety
///
/// `now` must be safe to call on `obj`, later, on this thread, attached:
/// a deallocator's contract, with the object untracked.
unsafe fn deep_dealloc(
    obj: *mut ffi::PyObject,
    now: unsafe fn(*mut ffi::PyObject),
) {
    let Ok(depth) = DEPTH.try_with(core::cell::Cell::get) else {
        // The thread is exiting and its locals are gone: no parking.
        // SAFETY: the caller's contract.
        return unsafe { now(obj) };
    };
    let state = crate::python::current_thread_state();
    if depth > 0 && OWNER.get() != state {
        // Nested under another thread state's deallocations (the thread
        // switched interpreters): run this one as an outermost of its own,
        // with that state's count and parked objects set aside meanwhile.
        let parked = PARKED.take();
        let owner = OWNER.replace(state);
        DEPTH.set(0);
        // SAFETY: the caller's contract.
        unsafe { deep_dealloc(obj, now) };
        DEPTH.set(depth);
        OWNER.set(owner);
        PARKED.set(parked);
        return;
    }
    OWNER.set(state);
    if depth >= DEALLOC_DEPTH {
        PARKED.with_borrow_mut(|parked| parked.push((obj, now)));
        return;
    }
    DEPTH.set(depth + 1);
    // SAFETY: the caller's contract.
    unsafe { now(obj) };
    if depth == 0 {
        // The outermost: run what was parked, at depth 1, until none is
        // left (each may park more).
        while let Some((obj, now)) = PARKED.with_borrow_mut(Vec::pop) {
            // SAFETY: parked above under the same contract, on this thread.
            unsafe { now(obj) };
        }
    }
    DEPTH.set(depth);
}
// ANCHOR_END: trashcan

// ANCHOR: traverse
/// `tp_traverse`: the heap type, the base's references, then the value's.
///
/// # Safety
///
/// Called by the garbage collector, attached.
unsafe extern "C" fn tp_traverse<T: PyClass>(
    obj: *mut ffi::PyObject,
    visit: ffi::visitproc,
    arg: *mut c_void,
) -> c_int {
    // SAFETY: the caller's contract; a live instance.
    unsafe {
        let Some(visit_fn) = visit else { return 0 };
        // Since 3.9, instances of heap types visit their type.
        let r = visit_fn(ffi::Py_TYPE(obj).cast(), arg);
        if r != 0 {
            return r;
        }
        let base = T::Base::type_object();
        if let Some(base_traverse) = (*base).tp_traverse {
            let r = base_traverse(obj, visit, arg);
            if r != 0 {
                return r;
            }
        }
        let cell = &(*obj.cast::<ClassObject<T>>()).contents;
        // Borrowed exclusively right now (the collector ran inside a method,
        // or another thread is in one): not visiting only makes the
        // collector keep more alive.
        let Some(value) = cell.try_shared() else { return 0 };
        let mut visitor = Visit::new(visit, arg);
        let visited = || value.traverse(&mut visitor);
        match abort_on_panic(
            || format!("tp_traverse of {}", core::any::type_name::<T>()),
            visited,
        ) {
            Ok(()) => 0,
            Err(e) => e.code(),
        }
    }
}
// ANCHOR_END: traverse

/// `tp_clear`: drops the value's references, and the base's.
///
/// # Safety
///
/// Called by the garbage collector, attached.
unsafe extern "C" fn tp_clear<T: PyClass>(obj: *mut ffi::PyObject) -> c_int {
    // SAFETY: the caller's contract; a live instance.
    unsafe {
        let cell = &(*obj.cast::<ClassObject<T>>()).contents;
        if let Some(mut value) = cell.try_exclusive() {
            abort_on_panic(
                || format!("tp_clear of {}", core::any::type_name::<T>()),
                || value.clear(),
            );
        }
        let base = T::Base::type_object();
        if let Some(base_clear) = (*base).tp_clear {
            base_clear(obj);
        }
        0
    }
}

/// A type's spec and the slot list it points to, made once per type.
///
/// # Invariants
///
/// `spec.slots` points into `slots`, and a `Py_tp_members` slot into
/// `members`, neither of which is changed or moved after construction
/// (they are leaked with the Spec, which lives for ever).
pub struct Spec {
    pub(crate) spec: core::cell::UnsafeCell<ffi::PyType_Spec>,
    /// The type's method table: a static of T's `class!` block, whose
    /// address tells T's types apart from every other type.
    pub(crate) methods: *mut ffi::PyMethodDef,
    _slots: Vec<ffi::PyType_Slot>,
    /// The members table a slot may point to (`__weaklistoffset__`).
    _members: Vec<ffi::PyMemberDef>,
}

// SAFETY: after construction only CPython reads the spec (with the thread
// attached); Rust only hands out its address.
unsafe impl Sync for Spec {}
// SAFETY: as above; the pointers are to leaked, immutable data.
unsafe impl Send for Spec {}

impl Spec {
    /// Builds the spec of `T`'s type. `methods` and `getsets` are
    /// sentinel-terminated static tables.
    pub fn new<T: PyClass>(
        name: &'static CStr,
        doc: &'static CStr,
        methods: *mut ffi::PyMethodDef,
        getsets: *mut ffi::PyGetSetDef,
        init: TpInit,
    ) -> Spec {
        let slot = |id: u32, pfunc: *mut c_void| ffi::PyType_Slot {
            slot: id as c_int,
            pfunc,
        };
        let mut slots = vec![
            slot(ffi::Py_tp_new, tp_new::<T> as *mut c_void),
            slot(ffi::Py_tp_dealloc, tp_dealloc::<T> as *mut c_void),
            slot(ffi::Py_tp_doc, doc.as_ptr() as *mut c_void),
            slot(ffi::Py_tp_methods, methods.cast()),
            slot(ffi::Py_tp_getset, getsets.cast()),
        ];
        if let Some(init) = init {
            slots.push(slot(ffi::Py_tp_init, init as *mut c_void));
        }
        // Immutable, as the C tutorial's static types are: `T.x = ...` is a
        // TypeError. A mutable heap type needs the collector (gh-116946):
        // `T.x = T()` would make a cycle instance -> type -> dict ->
        // instance that a type without GC leaks.
        let mut flags = ffi::Py_TPFLAGS_DEFAULT
            | ffi::Py_TPFLAGS_BASETYPE
            | ffi::Py_TPFLAGS_IMMUTABLETYPE;
        if T::DISALLOW_INSTANTIATION {
            // CPython then sets tp_new to NULL: calling the type raises
            // "cannot create 'mod.T' instances"; Rust code makes instances
            // with `class::new_instance`, which does not go through tp_new.
            flags |= ffi::Py_TPFLAGS_DISALLOW_INSTANTIATION;
        }
        let mut members = Vec::new();
        if T::WEAKREF {
            #[cfg(Py_3_12)]
            {
                flags |= ffi::Py_TPFLAGS_MANAGED_WEAKREF;
            }
            #[cfg(not(Py_3_12))]
            members.push(ffi::PyMemberDef {
                name: c"__weaklistoffset__".as_ptr(),
                type_: ffi::T_PYSSIZET,
                offset: core::mem::offset_of!(Weakrefable<T>, weaklist) as _,
                flags: ffi::READONLY,
                doc: core::ptr::null(),
            });
        }
        if !members.is_empty() {
            members.push(ffi::PyMemberDef {
                name: core::ptr::null(),
                type_: 0,
                offset: 0,
                flags: 0,
                doc: core::ptr::null(),
            });
            slots.push(slot(ffi::Py_tp_members, members.as_mut_ptr().cast()));
        }
        if T::FINALIZE {
            slots.push(slot(ffi::Py_tp_finalize, tp_finalize::<T> as *mut c_void));
        }
        if in_collector::<T>() {
            flags |= ffi::Py_TPFLAGS_HAVE_GC;
            slots.push(slot(ffi::Py_tp_traverse, tp_traverse::<T> as *mut c_void));
            slots.push(slot(ffi::Py_tp_clear, tp_clear::<T> as *mut c_void));
        }
        slots.push(slot(0, core::ptr::null_mut()));
        let spec = ffi::PyType_Spec {
            name: name.as_ptr(),
            basicsize: basicsize::<T>() as c_int,
            itemsize: 0,
            flags: flags as _,
            slots: slots.as_mut_ptr(),
        };
        // INVARIANT: `slots` is moved into the Spec but its heap buffer,
        // which `spec.slots` points to, does not move; nor does that of
        // `members`, which a slot points to.
        Spec {
            spec: core::cell::UnsafeCell::new(spec),
            methods,
            _slots: slots,
            _members: members,
        }
    }
}

/// The end marker of a getter/setter table.
pub const GETSET_END: ffi::PyGetSetDef = ffi::PyGetSetDef {
    name: core::ptr::null(),
    get: None,
    set: None,
    doc: core::ptr::null(),
    closure: core::ptr::null_mut(),
};
