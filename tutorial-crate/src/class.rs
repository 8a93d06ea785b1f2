//! Defining new types: heap types made from a spec
//! (`PyType_FromModuleAndSpec`), whose instances hold a Rust value.
//!
//! CPython's extending tutorial defines static types (a `PyTypeObject`
//! filled in C). A heap type is made at run time from a `PyType_Spec`, by
//! the module's exec function, and stored in the module's state: each module
//! object (each interpreter) gets its own type, which is what subinterpreters
//! need, and the type can find its module (`PyType_GetModule`).
//!
//! The [`class!`](crate::class!) macro writes the spec's tables (methods,
//! getters and setters, `__init__`); this module writes the slots every type
//! needs: `tp_new` (the Rust value is made first, then the object),
//! `tp_dealloc` (untrack, drop the value, free, release the heap type),
//! and, for a type that takes part in the garbage collector, `tp_traverse`
//! and `tp_clear`.

use crate::err::{PyErr, PyResult};
use crate::ffi;
use crate::instance::Bound;
use crate::module::{TraverseError, Visit};
use crate::python::Python;
use crate::types::{PyModule, PyType};
use core::cell::{Ref, RefCell, RefMut};
use core::ffi::{CStr, c_int, c_void};
use core::marker::PhantomData;

/// A Rust type whose values live inside the objects of a new Python type.
///
/// The value is made by [`PyClass::new`] when the object is (`tp_new`), and
/// dropped when the object is deallocated. Methods reach it through
/// `Bound<'py, Class<Self>>::borrow` and `borrow_mut`, which check at run
/// time that a mutable borrow is never shared: Python code that calls back
/// into the object while it is borrowed mutably gets a `RuntimeError`, not
/// two aliasing references.
pub trait PyClass: Sized + Send + 'static {
    /// The built-in type this one extends: [`ObjectBase`] or [`ListBase`].
    type Base: BaseType;
    /// Whether the objects take part in the cyclic garbage collector
    /// (`Py_TPFLAGS_HAVE_GC`): needed when the value holds Python objects
    /// that could refer back to it.
    const GC: bool = false;

    /// The value of a new object (`tp_new`), before `__init__` runs.
    ///
    /// # Errors
    ///
    /// What making it raises.
    fn new(py: Python<'_>) -> PyResult<Self>;

    /// Visits every Python object the value holds (`tp_traverse`,
    /// `Py_VISIT`). Called only when [`PyClass::GC`] is true.
    ///
    /// # Errors
    ///
    /// Pass the visitor's error on with `?`.
    fn traverse(&self, visit: &mut Visit<'_>) -> Result<(), TraverseError> {
        let _ = visit;
        Ok(())
    }

    /// Drops every Python object the value holds (`tp_clear`, `Py_CLEAR`),
    /// to break a reference cycle. Called only when [`PyClass::GC`] is true.
    fn clear(&mut self) {}
}

/// A built-in type that a [`PyClass`] can extend.
///
/// # Safety
///
/// `Layout` must be the C struct of `type_object()`'s instances, and
/// `type_object()` a type that lives as long as the interpreter.
pub unsafe trait BaseType {
    /// The instances' C struct: what comes before the Rust value.
    type Layout;
    /// The type object.
    fn type_object() -> *mut ffi::PyTypeObject;
}

/// `object`: a plain object header before the Rust value.
pub enum ObjectBase {}
// SAFETY: instances of `object` are a bare PyObject; the type is static.
unsafe impl BaseType for ObjectBase {
    type Layout = ffi::PyObject;
    fn type_object() -> *mut ffi::PyTypeObject {
        &raw mut ffi::PyBaseObject_Type
    }
}

/// `list`: a whole `PyListObject` before the Rust value.
pub enum ListBase {}
// SAFETY: instances of `list` are PyListObject; the type is static.
unsafe impl BaseType for ListBase {
    type Layout = ffi::PyListObject;
    fn type_object() -> *mut ffi::PyTypeObject {
        &raw mut ffi::PyList_Type
    }
}

/// The memory of an instance: the base's struct, then the Rust value.
///
/// # Invariants
///
/// `contents` is initialised from the end of `tp_new` until `tp_dealloc`
/// drops it; the object cannot be reached from Python code before or after.
#[repr(C)]
pub struct ClassObject<T: PyClass> {
    ob_base: <T::Base as BaseType>::Layout,
    contents: RefCell<T>,
}

/// The marker type of instances of `T`'s Python type, for [`Bound`].
pub struct Class<T>(PhantomData<T>);

impl<'py, T: PyClass> Bound<'py, Class<T>> {
    fn cell(&self) -> &RefCell<T> {
        // SAFETY: a Bound<Class<T>> is only made (by the generated slots)
        // for an instance of T's type or a subtype, whose memory starts with
        // ClassObject<T>; `contents` is initialised while the object lives
        // (ClassObject invariant), and `self` keeps it alive for the borrow.
        unsafe { &(*self.as_ptr().cast::<ClassObject<T>>()).contents }
    }

    /// Borrows the Rust value.
    ///
    /// # Errors
    ///
    /// `RuntimeError` if it is borrowed mutably (by a caller up the stack).
    pub fn borrow(&self) -> PyResult<Ref<'_, T>> {
        self.cell()
            .try_borrow()
            .map_err(|_| crate::exceptions::RuntimeError::new_err(self.py(), "object is being changed"))
    }

    /// Borrows the Rust value mutably.
    ///
    /// # Errors
    ///
    /// `RuntimeError` if it is borrowed at all (by a caller up the stack).
    pub fn borrow_mut(&self) -> PyResult<RefMut<'_, T>> {
        self.cell()
            .try_borrow_mut()
            .map_err(|_| crate::exceptions::RuntimeError::new_err(self.py(), "object is in use"))
    }
}

/// A `tp_init` function, as the `class!` macro writes it.
pub type InitFn =
    Option<unsafe extern "C" fn(*mut ffi::PyObject, *mut ffi::PyObject, *mut ffi::PyObject) -> c_int>;

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
        crate::trampoline::run(|py| {
            // The value first: if it fails, there is no half-made object.
            let value = T::new(py)?;
            let alloc: ffi::allocfunc =
                core::mem::transmute(ffi::PyType_GetSlot(ty, ffi::Py_tp_alloc as c_int));
            let alloc = alloc.expect("every type has tp_alloc");
            let obj = alloc(ty, 0);
            if obj.is_null() {
                return Err(PyErr::already_set(py));
            }
            // INVARIANT: initialised here, before anyone else sees the object.
            core::ptr::write(&raw mut (*obj.cast::<ClassObject<T>>()).contents, RefCell::new(value));
            Ok(obj)
        })
    }
}

// ANCHOR: dealloc
/// `tp_dealloc` of a heap type: untrack, drop the value, let the base free
/// the memory, then release the reference every instance holds to its heap
/// type.
///
/// # Safety
///
/// Called by CPython, attached, when the object's count reached zero.
unsafe extern "C" fn tp_dealloc<T: PyClass>(obj: *mut ffi::PyObject) {
    // SAFETY: the caller's contract: `obj` is an instance of T's type (or a
    // subtype) that nobody refers to any more.
    unsafe {
        let ty = ffi::Py_TYPE(obj);
        if T::GC {
            ffi::PyObject_GC_UnTrack(obj.cast());
        }
        let contents = &raw mut (*obj.cast::<ClassObject<T>>()).contents;
        if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| core::ptr::drop_in_place(contents)))
            .is_err()
        {
            eprintln!("fatal: a Drop panicked while deallocating a {}", core::any::type_name::<T>());
            std::process::abort();
        }
        let base = T::Base::type_object();
        if base == &raw mut ffi::PyBaseObject_Type {
            // `object` has nothing to tear down: free the memory.
            let free: ffi::freefunc = core::mem::transmute(ffi::PyType_GetSlot(ty, ffi::Py_tp_free as c_int));
            free.expect("every type has tp_free")(obj.cast());
        } else {
            // The base tears itself down and frees through tp_free.
            (*base).tp_dealloc.expect("a base type has tp_dealloc")(obj);
        }
        ffi::Py_DECREF(ty.cast());
    }
}
// ANCHOR_END: dealloc

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
        // Borrowed mutably right now (the collector ran inside a method):
        // not visiting only makes the collector keep more alive.
        let Ok(value) = cell.try_borrow() else { return 0 };
        let mut visitor = Visit::new(visit, arg);
        match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| value.traverse(&mut visitor))) {
            Ok(Ok(())) => 0,
            Ok(Err(e)) => e.code(),
            Err(_) => {
                eprintln!("fatal: traverse panicked in {}", core::any::type_name::<T>());
                std::process::abort();
            }
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
        if let Ok(mut value) = cell.try_borrow_mut() {
            if std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| value.clear())).is_err() {
                eprintln!("fatal: clear panicked in {}", core::any::type_name::<T>());
                std::process::abort();
            }
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
/// `spec.slots` points into `slots`, which is never changed or moved after
/// construction (it is leaked with the Spec, which lives for ever).
pub struct Spec {
    spec: core::cell::UnsafeCell<ffi::PyType_Spec>,
    _slots: Vec<ffi::PyType_Slot>,
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
        init: InitFn,
    ) -> Spec {
        let slot = |id: u32, pfunc: *mut c_void| ffi::PyType_Slot { slot: id as c_int, pfunc };
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
        let mut flags = ffi::Py_TPFLAGS_DEFAULT | ffi::Py_TPFLAGS_BASETYPE;
        if T::GC {
            flags |= ffi::Py_TPFLAGS_HAVE_GC;
            slots.push(slot(ffi::Py_tp_traverse, tp_traverse::<T> as *mut c_void));
            slots.push(slot(ffi::Py_tp_clear, tp_clear::<T> as *mut c_void));
        }
        slots.push(slot(0, core::ptr::null_mut()));
        let spec = ffi::PyType_Spec {
            name: name.as_ptr(),
            basicsize: core::mem::size_of::<ClassObject<T>>() as c_int,
            itemsize: 0,
            flags: flags as _,
            slots: slots.as_mut_ptr(),
        };
        // INVARIANT: `slots` is moved into the Spec but its heap buffer,
        // which `spec.slots` points to, does not move.
        Spec { spec: core::cell::UnsafeCell::new(spec), _slots: slots }
    }
}

/// What the `class!` macro implements: where a type's spec is.
pub trait ClassSpec: PyClass {
    /// The spec, made on first use.
    fn spec() -> &'static Spec;
}

/// Creates `T`'s type for `module`: `PyType_FromModuleAndSpec`. Call it
/// from the module's exec function and keep the type in the module state.
///
/// # Errors
///
/// What creating the type raises.
pub fn create_type<'py, T: ClassSpec>(module: &Bound<'py, PyModule>) -> PyResult<Bound<'py, PyType>> {
    let py = module.py();
    let base = T::Base::type_object();
    let bases = if base == &raw mut ffi::PyBaseObject_Type {
        None
    } else {
        // SAFETY: a static type, alive for ever; the tuple takes a reference.
        let base = unsafe { crate::Borrowed::<crate::types::PyAny>::from_ptr_unchecked(py, base.cast()) };
        Some(crate::types::PyTuple::new(py, &[&base.to_owned()])?)
    };
    // SAFETY: attached; the spec is static (leaked) and valid; the module
    // and the bases tuple are alive for the call; the result is a new
    // reference to a type, or NULL with an exception.
    unsafe {
        Bound::from_owned_ptr_or_err(
            py,
            ffi::PyType_FromModuleAndSpec(
                module.as_ptr(),
                T::spec().spec.get(),
                bases.as_ref().map_or(core::ptr::null_mut(), |b| b.as_ptr()),
            ),
        )
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

/// The state of a module that defines one type and keeps nothing else:
/// the type, visited by the collector. (A module with more state writes its
/// own struct; `custommodule.rs` shows the long form.)
pub struct TypeState {
    /// The module's type, made by [`add_type`].
    pub ty: crate::Py<PyType>,
}

impl crate::ModuleState for TypeState {
    fn traverse(&self, visit: &mut Visit<'_>) -> Result<(), TraverseError> {
        visit.call(&self.ty)
    }
}

/// Creates `T`'s type for `module`, adds it to the module as `name`, and
/// returns the state that keeps it: a whole exec function for a module that
/// defines one type.
///
/// # Errors
///
/// What creating or adding the type raises.
pub fn add_type<T: ClassSpec>(module: &Bound<'_, PyModule>, name: &str) -> PyResult<TypeState> {
    let ty = create_type::<T>(module)?;
    module.add(name, &ty)?;
    Ok(TypeState { ty: ty.unbind() })
}
