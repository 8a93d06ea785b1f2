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
//! `tp_dealloc` (untrack, finalize, clear the weak references, drop the
//! value, free, release the heap type), `tp_finalize` for a type with a
//! finalizer, and, for a type that takes part in the garbage collector,
//! `tp_traverse` and `tp_clear`.

use crate::err::PyResult;
use crate::ffi;
use crate::instance::Bound;
use crate::module::{TraverseError, Visit};
use crate::python::Python;
use crate::types::{PyModule, PyType};
use core::marker::PhantomData;

/// A Rust type whose values live inside the objects of a new Python type.
///
/// The value is made by [`PyClass::new`] when the object is (`tp_new`), and
/// dropped when the object is deallocated. Methods reach it through
/// `Bound<'py, Class<Self>>::with` and `with_mut`, which check at run time
/// that an exclusive borrow is never shared: Python code that calls back
/// into the object while it is borrowed exclusively gets a `RuntimeError`,
/// not two aliasing references.
///
/// `Send + Sync`: without a GIL, any thread can call a method of the object
/// at any time, and shared borrows from two threads can overlap.
pub trait PyClass: Sized + Send + Sync + 'static {
    /// The built-in type this one extends: [`ObjectBase`] or [`ListBase`].
    type Base: BaseType;
    /// Whether the objects take part in the cyclic garbage collector
    /// (`Py_TPFLAGS_HAVE_GC`): needed when the value holds Python objects
    /// that could refer back to it.
    const GC: bool = false;
    /// Whether Python code may not call the type to make an object
    /// (`Py_TPFLAGS_DISALLOW_INSTANTIATION`): `T()` raises `TypeError:
    /// cannot create 'mod.T' instances`, and only Rust code makes them,
    /// with [`new_instance`].
    const DISALLOW_INSTANTIATION: bool = false;
    /// Whether the objects can be the target of a weak reference
    /// (`weakref.ref(obj)`): the type gets a list of weak references
    /// (`Py_TPFLAGS_MANAGED_WEAKREF` on 3.12 and later, a
    /// `__weaklistoffset__` member before), and the deallocator clears it
    /// (`PyObject_ClearWeakRefs`) before the value is dropped.
    ///
    /// On 3.12 and later the list lives before the object's header, which
    /// only the collector's allocator accounts for: such a type is in the
    /// collector as if [`PyClass::GC`] were true.
    const WEAKREF: bool = false;
    /// Whether the type has a finalizer (`tp_finalize`, PEP 442):
    /// [`PyClass::finalize`], which runs before the object is torn down,
    /// once, whether the object dies of its count or in a cycle the
    /// collector frees. The once is the collector's flag, so such a type is
    /// in the collector as if [`PyClass::GC`] were true.
    const FINALIZE: bool = false;

    /// The value of a new object (`tp_new`), before `__init__` runs.
    ///
    /// # Errors
    ///
    /// What making it raises.
    fn new(py: Python<'_>) -> PyResult<Self>;

    /// Visits every Python object the value holds (`tp_traverse`,
    /// `Py_VISIT`). Called only for a type in the collector (see
    /// [`PyClass::GC`]).
    ///
    /// # Errors
    ///
    /// Pass the visitor's error on with `?`.
    fn traverse(&self, visit: &mut Visit<'_>) -> Result<(), TraverseError> {
        let _ = visit;
        Ok(())
    }

    /// Drops every Python object the value holds (`tp_clear`, `Py_CLEAR`),
    /// to break a reference cycle. Called only for a type in the collector.
    fn clear(&mut self) {}

    /// The finalizer (`tp_finalize`, Python's `__del__`), called only when
    /// [`PyClass::FINALIZE`] is true: the object is still whole, and may
    /// run Python code (close a file, call a callback with the object). It
    /// reaches the value with `slf.with` or `with_mut`, as a method does.
    ///
    /// The safe layer saves the exception that was set when the finalizer
    /// was called and puts it back after, and reports an error (or a panic)
    /// of the finalizer with `PyErr_WriteUnraisable`, as C finalizers do:
    /// nobody is there to receive it. A finalizer that stores the object
    /// somewhere resurrects it; it is not called again when the object dies
    /// for the second time.
    ///
    /// # Errors
    ///
    /// Whatever it raises, reported as unraisable (`sys.unraisablehook`).
    fn finalize(slf: &Bound<'_, Class<Self>>) -> PyResult<()> {
        let _ = slf;
        Ok(())
    }
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

/// The marker type of instances of `T`'s Python type, for [`Bound`].
pub struct Class<T>(PhantomData<T>);

// ANCHOR: with
impl<'py, T: PyClass> Bound<'py, Class<T>> {
    fn cell(&self) -> &crate::impl_::class::ValueCell<T> {
        // SAFETY: a Bound<Class<T>> is only made (by the generated slots)
        // for an instance of T's type or a subtype, whose memory starts with
        // ClassObject<T>; `contents` is initialised while the object lives
        // (ClassObject invariant), and `self` keeps it alive for the borrow.
        unsafe {
            &(*self.as_ptr().cast::<crate::impl_::class::ClassObject<T>>()).contents
        }
    }

    /// Runs `f` on the Rust value, shared.
    ///
    /// On a free-threaded build this is a critical section on the object
    /// ([`crate::sync::critical_section`]): another thread's `with_mut`
    /// waits until `f` returns. Inside `f`, more shared borrows (from this
    /// thread, or another while `f` detaches) are allowed: `T` is `Sync`.
    ///
    /// # Errors
    ///
    /// `RuntimeError` if the value is borrowed exclusively: by a caller up
    /// the stack, or by another thread whose `with_mut` detached or ran
    /// Python code that waited (which suspends its critical section).
    pub fn with<R>(&self, f: impl FnOnce(&T) -> R) -> PyResult<R> {
        crate::sync::critical_section(self.as_any(), || {
            let value = self.cell().try_shared().ok_or_else(|| {
                crate::exceptions::RuntimeError::new_err(
                    self.py(),
                    "object is being changed",
                )
            })?;
            Ok(f(&value))
        })
    }

    /// Runs `f` on the Rust value, exclusively.
    ///
    /// As [`with`](Self::with), but no other borrow may exist: drop Python
    /// objects the value gives up *after* `f` returns (return them from
    /// it), since their `__del__` may call back into the object.
    ///
    /// # Errors
    ///
    /// `RuntimeError` if the value is borrowed at all, as for `with`.
    pub fn with_mut<R>(&self, f: impl FnOnce(&mut T) -> R) -> PyResult<R> {
        crate::sync::critical_section(self.as_any(), || {
            let mut value = self.cell().try_exclusive().ok_or_else(|| {
                crate::exceptions::RuntimeError::new_err(
                    self.py(),
                    "object is in use",
                )
            })?;
            Ok(f(&mut value))
        })
    }
}
// ANCHOR_END: with

impl<'py, T: ClassSpec> Bound<'py, Class<T>> {
    /// The module whose exec function created `T`'s type
    /// ([`create_type`]), found from the object, as C's
    /// `PyType_GetModuleByDef(Py_TYPE(self), &def)` finds it: for code
    /// that has no defining class, such as a slot. A method can take
    /// `cls: defining_class` instead and call [`get_module`] on it, which
    /// walks nothing.
    ///
    /// The object's own type is asked first; for an instance of a Python
    /// subclass, the first type in its MRO that is `T`'s.
    ///
    /// # Errors
    ///
    /// `TypeError` if no type in the MRO is `T`'s (cannot happen for a
    /// `Bound<Class<T>>` made by the generated slots).
    pub fn module(&self) -> PyResult<Bound<'py, PyModule>> {
        let py = self.py();
        let is_ours = |tp: *mut ffi::PyTypeObject| {
            // SAFETY: attached; `tp` is a live type (the object's, or in its
            // MRO); Py_tp_methods is readable from any type.
            let methods =
                unsafe { ffi::PyType_GetSlot(tp, ffi::Py_tp_methods as _) };
            methods.cast::<ffi::PyMethodDef>() == T::spec().methods
        };
        let ty = self.as_any().get_type();
        let mut found = is_ours(ty.as_ptr().cast()).then(|| ty.clone_ref());
        if found.is_none() {
            let mro = ty.as_any().getattr("__mro__")?;
            for base in mro.iter()? {
                let base = base?;
                if is_ours(base.as_ptr().cast()) {
                    found = Some(base.downcast::<PyType>()?.clone_ref());
                    break;
                }
            }
        }
        let Some(ours) = found else {
            return Err(crate::exceptions::TypeError::new_err(
                py,
                "the object's type has no module",
            ));
        };
        get_module(&ours)
    }
}

/// The module of a heap type made by [`create_type`], as
/// `PyType_GetModule(ty)`: for a method, the module of its defining class
/// (`cls: defining_class` in a [`class!`](crate::class!) method), whose
/// state is then [`module::state`](crate::module::state).
///
/// # Errors
///
/// `TypeError` if `ty` is not a heap type, or one without a module (a
/// class statement's): `PyType_GetModule: Type 'Sub' has no associated
/// module`; also if C code made the type with an object that is not a
/// module in the module's place.
pub fn get_module<'py>(ty: &Bound<'py, PyType>) -> PyResult<Bound<'py, PyModule>> {
    let py = ty.py();
    // SAFETY: attached; `ty` is a live type; the result is a borrowed
    // reference (the type keeps it alive), or NULL with an exception.
    let module = unsafe { ffi::PyType_GetModule(ty.as_ptr().cast()) };
    if module.is_null() {
        return Err(crate::err::PyErr::already_set(py));
    }
    // SAFETY: `module` is a live object (ht_module), borrowed from the
    // type; the new strong reference is ours to own.
    let module = unsafe {
        ffi::Py_INCREF(module);
        Bound::<crate::types::PyAny>::from_owned_ptr(py, module)
    };
    module.downcast_into::<PyModule>()
}

/// What the `class!` macro implements: where a type's spec is.
pub trait ClassSpec: PyClass {
    /// The spec, made on first use.
    fn spec() -> &'static crate::impl_::class::Spec;
}

/// Creates `T`'s type for `module`: `PyType_FromModuleAndSpec`. Call it
/// from the module's exec function and keep the type in the module state.
///
/// # Errors
///
/// What creating the type raises.
pub fn create_type<'py, T: ClassSpec>(
    module: &Bound<'py, PyModule>,
) -> PyResult<Bound<'py, PyType>> {
    let py = module.py();
    let base = T::Base::type_object();
    let bases = if base == &raw mut ffi::PyBaseObject_Type {
        None
    } else {
        // SAFETY: a static type, alive for ever; the tuple takes a reference.
        let base = unsafe {
            crate::Borrowed::<crate::types::PyAny>::from_ptr_unchecked(
                py,
                base.cast(),
            )
        };
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

/// Makes an instance of `ty`, which must be `T`'s type, holding `value`,
/// without calling the type: how Rust code makes the objects of a type
/// with [`PyClass::DISALLOW_INSTANTIATION`] (`__init__` does not run).
///
/// # Errors
///
/// `TypeError` if `ty` is not a type made by [`create_type::<T>`] (a
/// subclass is refused too), `MemoryError` if allocating fails.
pub fn new_instance<'py, T: ClassSpec>(
    ty: &Bound<'py, PyType>,
    value: T,
) -> PyResult<Bound<'py, Class<T>>> {
    let py = ty.py();
    let tp = ty.as_ptr().cast::<ffi::PyTypeObject>();
    // SAFETY: attached; `tp` is a live type (`ty` holds it); Py_tp_methods
    // is readable from any type.
    let methods = unsafe { ffi::PyType_GetSlot(tp, ffi::Py_tp_methods as _) };
    if methods.cast::<ffi::PyMethodDef>() != T::spec().methods {
        return Err(crate::exceptions::TypeError::new_err(
            py,
            "new_instance: not the type of this class",
        ));
    }
    // SAFETY: attached; `tp` is T's type: its method table is T's own
    // static one, which no other type has (a subclass has its own).
    let obj = unsafe { crate::impl_::class::new_object(py, tp, value)? };
    // SAFETY: a new reference to an instance of T's type.
    Ok(unsafe { Bound::from_owned_ptr(py, obj) })
}

/// Creates `T`'s type for `module`, adds it to the module as `name`, and
/// returns the state that keeps it: a whole exec function for a module that
/// defines one type.
///
/// # Errors
///
/// What creating or adding the type raises.
pub fn add_type<T: ClassSpec>(
    module: &Bound<'_, PyModule>,
    name: &str,
) -> PyResult<TypeState> {
    let ty = create_type::<T>(module)?;
    module.add(name, &ty)?;
    Ok(TypeState { ty: ty.unbind() })
}
