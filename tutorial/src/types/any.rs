//! Methods every object has (`Include/abstract.h`, `Include/object.h`).

use super::{PyAny, PyStr, PyType};
use crate::conversion::{FromPyObject, IntoPyObject};
use crate::err::PyResult;
use crate::err::check_status;
use crate::ffi;
use crate::instance::Bound;

impl<'py, T> Bound<'py, T> {
    /// `obj.name`: `PyObject_GetAttr`.
    ///
    /// # Errors
    ///
    /// `AttributeError`, or what the attribute's getter raises.
    pub fn getattr(&self, name: &str) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py();
        let name = PyStr::new(py, name)?;
        // SAFETY: attached; both objects are live for the call; the result
        // is a new reference or NULL with an exception set.
        unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyObject_GetAttr(self.as_ptr(), name.as_ptr()),
            )
        }
    }

    /// `obj.name`, or `None` if the object has no such attribute:
    /// `PyObject_GetOptionalAttr` (3.13+), the C API's way to ask without
    /// raising an `AttributeError` only to catch it. Before 3.13, the same
    /// by `PyObject_GetAttr` and clearing an `AttributeError`.
    ///
    /// # Errors
    ///
    /// Any other exception that getting the attribute raises.
    pub fn getattr_opt(&self, name: &str) -> PyResult<Option<Bound<'py, PyAny>>> {
        let py = self.py();
        let name = PyStr::new(py, name)?;
        #[cfg(Py_3_13)]
        {
            let mut found = core::ptr::null_mut();
            // SAFETY: attached; both objects live for the call, which stores
            // a new reference (and returns 1), NULL (0), or NULL with an
            // exception set (-1).
            match unsafe {
                ffi::PyObject_GetOptionalAttr(
                    self.as_ptr(),
                    name.as_ptr(),
                    &mut found,
                )
            } {
                0 => Ok(None),
                // SAFETY: 1 comes with a new reference in `found`.
                1 => Ok(Some(unsafe { Bound::from_owned_ptr(py, found) })),
                _ => Err(crate::err::PyErr::already_set(py)),
            }
        }
        #[cfg(not(Py_3_13))]
        {
            // SAFETY: attached; both objects live for the call; the result
            // is a new reference, or NULL with an exception set.
            let found =
                unsafe { ffi::PyObject_GetAttr(self.as_ptr(), name.as_ptr()) };
            if !found.is_null() {
                // SAFETY: a new reference, to some object.
                return Ok(Some(unsafe { Bound::from_owned_ptr(py, found) }));
            }
            // SAFETY: attached, an exception is set (NULL above); matching
            // and clearing it only touch this thread's error indicator.
            unsafe {
                if ffi::PyErr_ExceptionMatches(ffi::PyExc_AttributeError) != 0 {
                    ffi::PyErr_Clear();
                    return Ok(None);
                }
            }
            Err(crate::err::PyErr::already_set(py))
        }
    }

    /// `obj.name = value`: `PyObject_SetAttr`.
    ///
    /// # Errors
    ///
    /// What the assignment raises.
    pub fn setattr(
        &self,
        name: &str,
        value: impl IntoPyObject<'py>,
    ) -> PyResult<()> {
        let py = self.py();
        let name = PyStr::new(py, name)?;
        let value = value.into_pyobject(py)?;
        // SAFETY: attached; all three objects are live for the call, which
        // takes its own references.
        check_status(py, unsafe {
            ffi::PyObject_SetAttr(self.as_ptr(), name.as_ptr(), value.as_ptr())
        })
    }

    /// `obj(*args)`: `PyObject_Call` with a tuple of positional arguments.
    ///
    /// # Errors
    ///
    /// What the call raises.
    pub fn call(&self, args: &[&Bound<'py, PyAny>]) -> PyResult<Bound<'py, PyAny>> {
        let py = self.py();
        let args = super::PyTuple::new(py, args)?;
        // SAFETY: attached; callable and tuple live for the call; the result
        // is a new reference or NULL with an exception set.
        unsafe {
            Bound::from_owned_ptr_or_err(
                py,
                ffi::PyObject_Call(
                    self.as_ptr(),
                    args.as_ptr(),
                    core::ptr::null_mut(),
                ),
            )
        }
    }

    /// `obj.name(*args)`: `PyObject_CallMethodObjArgs`, by way of `getattr`
    /// and `call`.
    ///
    /// # Errors
    ///
    /// What the lookup or the call raises.
    pub fn call_method(
        &self,
        name: &str,
        args: &[&Bound<'py, PyAny>],
    ) -> PyResult<Bound<'py, PyAny>> {
        self.getattr(name)?.call(args)
    }

    /// `obj < other`, as a `bool`: `PyObject_RichCompareBool(obj, other, Py_LT)`.
    ///
    /// This runs Python code (`__lt__`), which can do anything: raise,
    /// mutate a list whose items are being compared, drop references.
    ///
    /// # Errors
    ///
    /// What `__lt__` (or `__bool__` of its result) raises.
    #[inline]
    pub fn lt<U>(&self, other: &Bound<'py, U>) -> PyResult<bool> {
        if let Some(less) = exact_number_lt(self.as_ptr(), other.as_ptr()) {
            return Ok(less);
        }
        // SAFETY: attached; both live for the call; -1 with an exception.
        match unsafe {
            ffi::PyObject_RichCompareBool(
                self.as_ptr(),
                other.as_ptr(),
                ffi::Py_LT as core::ffi::c_int,
            )
        } {
            -1 => Err(crate::PyErr::already_set(self.py())),
            r => Ok(r == 1),
        }
    }

    /// Whether `obj` and `other` have exactly the same type:
    /// `Py_IS_TYPE(obj, Py_TYPE(other))`.
    #[inline]
    pub fn same_type_as<U>(&self, other: &Bound<'py, U>) -> bool {
        // SAFETY: both objects are live, so are their types; only the type
        // pointers are read.
        unsafe { ffi::Py_TYPE(self.as_ptr()) == ffi::Py_TYPE(other.as_ptr()) }
    }

    /// `obj < other` by the comparison slot of `obj`'s type alone, as C
    /// code that calls `Py_TYPE(obj)->tp_richcompare(obj, other, Py_LT)`
    /// does: no reflected `other > obj`, no subclass rule. `None` when the
    /// type has no slot or the slot returns `NotImplemented`; then the
    /// caller decides what to do (usually [`Bound::lt`], which runs `__lt__`
    /// again and then the reflected method).
    ///
    /// A result other than `True` or `False` is converted with
    /// `PyObject_IsTrue`, as `PyObject_RichCompareBool` converts it.
    ///
    /// # Errors
    ///
    /// What the slot (`__lt__`) or `__bool__` of its result raises.
    #[inline]
    pub fn lt_by_slot<U>(&self, other: &Bound<'py, U>) -> PyResult<Option<bool>> {
        if let Some(less) = exact_number_lt(self.as_ptr(), other.as_ptr()) {
            // `float` and `int` compare exactly so in their slots.
            return Ok(Some(less));
        }
        let py = self.py();
        // SAFETY: the object is live, so is its type; the slot is read only.
        let slot = unsafe { (*ffi::Py_TYPE(self.as_ptr())).tp_richcompare };
        let Some(slot) = slot else { return Ok(None) };
        // SAFETY: attached; a slot takes two live objects and an operator,
        // and returns a new reference or NULL with an exception set.
        let result = unsafe {
            Bound::<PyAny>::from_owned_ptr_or_err(
                py,
                slot(self.as_ptr(), other.as_ptr(), ffi::Py_LT as core::ffi::c_int),
            )?
        };
        if result.as_ptr() == ffi::Py_NotImplemented() {
            return Ok(None);
        }
        result.extract::<bool>().map(Some)
    }

    /// `obj == other`, as a `bool`: `PyObject_RichCompareBool(obj, other, Py_EQ)`
    /// (true at once for the same object, as in C).
    ///
    /// # Errors
    ///
    /// What `__eq__` raises.
    pub fn eq<U>(&self, other: &Bound<'py, U>) -> PyResult<bool> {
        // SAFETY: attached; both live for the call; -1 with an exception.
        match unsafe {
            ffi::PyObject_RichCompareBool(
                self.as_ptr(),
                other.as_ptr(),
                ffi::Py_EQ as core::ffi::c_int,
            )
        } {
            -1 => Err(crate::PyErr::already_set(self.py())),
            r => Ok(r == 1),
        }
    }

    /// The object's reference count, as `sys.getrefcount` reports it minus
    /// the reference its own argument adds: `Py_REFCNT`. For tests and
    /// teaching; immortal objects (3.12+) report a huge constant.
    pub fn refcnt(&self) -> isize {
        // SAFETY: the object is live (invariant); only reads the count.
        unsafe { ffi::Py_REFCNT(self.as_ptr()) }
    }

    /// `str(obj)`: `PyObject_Str`.
    ///
    /// # Errors
    ///
    /// What `__str__` raises.
    pub fn str(&self) -> PyResult<Bound<'py, PyStr>> {
        // SAFETY: attached; a new reference to a str, or NULL with an exception.
        unsafe {
            Bound::from_owned_ptr_or_err(
                self.py(),
                ffi::PyObject_Str(self.as_ptr()),
            )
        }
    }

    /// `repr(obj)`: `PyObject_Repr`.
    ///
    /// # Errors
    ///
    /// What `__repr__` raises.
    pub fn repr(&self) -> PyResult<Bound<'py, PyStr>> {
        // SAFETY: attached; a new reference to a str, or NULL with an exception.
        unsafe {
            Bound::from_owned_ptr_or_err(
                self.py(),
                ffi::PyObject_Repr(self.as_ptr()),
            )
        }
    }

    /// `type(obj)`: `Py_TYPE`, as an owned reference.
    pub fn get_type(&self) -> Bound<'py, PyType> {
        // SAFETY: an object's type is live while the object is; the incref
        // makes the new handle's reference.
        unsafe {
            let ty = ffi::Py_TYPE(self.as_ptr()).cast::<ffi::PyObject>();
            ffi::Py_INCREF(ty);
            Bound::from_owned_ptr(self.py(), ty)
        }
    }

    /// `obj is other`: the same object.
    pub fn is<U>(&self, other: &Bound<'_, U>) -> bool {
        self.as_ptr() == other.as_ptr()
    }

    /// `obj is None`.
    pub fn is_none(&self) -> bool {
        self.as_ptr() == ffi::Py_None()
    }

    /// `len(obj)`: `PyObject_Size`.
    ///
    /// # Errors
    ///
    /// `TypeError` for an object without a length, or what `__len__` raises.
    pub fn len(&self) -> PyResult<usize> {
        // SAFETY: attached; the object is live.
        let n = unsafe { ffi::PyObject_Size(self.as_ptr()) };
        if n < 0 {
            Err(crate::PyErr::already_set(self.py()))
        } else {
            Ok(n as usize)
        }
    }

    /// Whether `len(obj) == 0`.
    ///
    /// # Errors
    ///
    /// As [`Bound::len`].
    pub fn is_empty(&self) -> PyResult<bool> {
        Ok(self.len()? == 0)
    }

    /// Whether the object is an instance of `U` (subclasses included),
    /// without raising: `PyObject_TypeCheck`.
    pub fn is_instance_of<U: super::PyTypeCheck>(&self) -> bool {
        U::type_check(self.as_any())
    }

    /// Converts to a Rust value: `obj.extract::<i64>()`.
    ///
    /// # Errors
    ///
    /// `TypeError`, `OverflowError`, ... as the target type's
    /// [`FromPyObject`] says.
    pub fn extract<U: FromPyObject<'py>>(&self) -> PyResult<U> {
        U::extract(self.as_any())
    }
}

impl<'py, T> Bound<'py, T> {
    /// `obj(arg)`, one positional argument: `PyObject_CallOneArg`, which
    /// uses the vectorcall protocol and builds no tuple.
    ///
    /// # Errors
    ///
    /// What the call raises.
    pub fn call_one_arg<U>(
        &self,
        arg: &Bound<'py, U>,
    ) -> PyResult<Bound<'py, PyAny>> {
        // SAFETY: attached; both objects live for the call; the result is a
        // new reference or NULL with an exception set.
        unsafe {
            Bound::from_owned_ptr_or_err(
                self.py(),
                ffi::PyObject_CallOneArg(self.as_ptr(), arg.as_ptr()),
            )
        }
    }

    /// `seq[i]` through the sequence protocol: `PySequence_GetItem`.
    ///
    /// A negative `i` counts from the end, as C does (the length is added
    /// once). For a list subclass that overrides `__getitem__`, the
    /// override runs: this is the protocol, not the list's own storage.
    ///
    /// # Errors
    ///
    /// `IndexError` past the end (`list index out of range` for a list),
    /// `TypeError: 'dict' is not a sequence` for a mapping, `TypeError: 'int'
    /// object does not support indexing` for other objects, or what
    /// `__getitem__` raises.
    pub fn sequence_get_item(&self, i: isize) -> PyResult<Bound<'py, PyAny>> {
        // SAFETY: attached; the object is live; the result is a new
        // reference or NULL with an exception set.
        unsafe {
            Bound::from_owned_ptr_or_err(
                self.py(),
                ffi::PySequence_GetItem(self.as_ptr(), i),
            )
        }
    }

    /// Checks that the object's type can be indexed as a sequence (has
    /// `sq_item`), raising what [`Bound::sequence_get_item`] would raise
    /// for it, before any item is read: the check C code does once when it
    /// then calls `tp_as_sequence->sq_item` directly (`_bisect` since 3.12).
    ///
    /// # Errors
    ///
    /// `TypeError: dict is not a sequence` for a mapping, `TypeError: 'int'
    /// object does not support indexing` for any other type without
    /// `sq_item`.
    pub fn sequence_check_item(&self) -> PyResult<()> {
        // SAFETY: the object is live, so is its type; its slot tables are
        // read only.
        let (has_item, is_mapping) = unsafe {
            let ty = ffi::Py_TYPE(self.as_ptr());
            let sq = (*ty).tp_as_sequence;
            let mp = (*ty).tp_as_mapping;
            (
                !sq.is_null() && (*sq).sq_item.is_some(),
                !mp.is_null() && (*mp).mp_subscript.is_some(),
            )
        };
        if has_item {
            return Ok(());
        }
        let tp_name = self.tp_name();
        let name = crate::args::truncated(&tp_name, 200);
        let msg = if is_mapping {
            format!("{name} is not a sequence")
        } else {
            format!("'{name}' object does not support indexing")
        };
        Err(crate::exceptions::TypeError::new_err(self.py(), &msg))
    }

    /// `len(seq)` through the sequence protocol: `PySequence_Size`.
    ///
    /// Unlike [`Bound::len`] (`PyObject_Size`), a mapping has no sequence
    /// length: `TypeError: dict is not a sequence`.
    ///
    /// # Errors
    ///
    /// `TypeError` for an object without a sequence length, or what
    /// `__len__` raises.
    pub fn sequence_size(&self) -> PyResult<usize> {
        // SAFETY: attached; the object is live.
        let n = unsafe { ffi::PySequence_Size(self.as_ptr()) };
        if n < 0 {
            Err(crate::PyErr::already_set(self.py()))
        } else {
            Ok(n as usize)
        }
    }

    /// The name of the object's type as C error messages print it:
    /// `Py_TYPE(obj)->tp_name`.
    ///
    /// For a class defined in Python this is its `__name__`; for a static
    /// type of an extension it is what the C source wrote, often dotted
    /// (`collections.deque`), where `__name__` is `deque`. Messages that a
    /// port must reproduce word for word use this one.
    pub fn tp_name(&self) -> String {
        // SAFETY: the object is live (invariant), so is its type, whose
        // tp_name is a NUL-terminated string that lives as long as the type.
        let name = unsafe {
            core::ffi::CStr::from_ptr((*ffi::Py_TYPE(self.as_ptr())).tp_name)
        };
        name.to_string_lossy().into_owned()
    }
}

/// `a < b` computed here, without the rich-comparison machinery, when both
/// are exact `float`s, or exact `int`s that fit in a C `long`; `None`
/// otherwise (then Python's `<` must run).
///
/// For these two built-in types `<` is a pure function of the values: it
/// cannot be overridden (the types are immutable and the check is for the
/// exact type, not a subclass), cannot raise, and has no side effect, so
/// skipping `PyObject_RichCompareBool` is unobservable. CPython's own
/// `list.sort` takes the same shortcut (`unsafe_float_compare`,
/// `unsafe_long_compare` in `Objects/listobject.c`).
#[inline]
pub(super) fn exact_number_lt(
    a: *mut ffi::PyObject,
    b: *mut ffi::PyObject,
) -> Option<bool> {
    // SAFETY: both pointers are live objects (the callers hold handles) on
    // an attached thread; their types are read, and a float's value or an
    // int's value only once its exact type is known.
    unsafe {
        // `a`'s type first: for any other type (str, tuple, ...) that is the
        // only extra read before the full comparison.
        let ty = ffi::Py_TYPE(a);
        if ty == &raw mut ffi::PyFloat_Type {
            if ffi::Py_TYPE(b) != ty {
                return None;
            }
            return Some(ffi::PyFloat_AS_DOUBLE(a) < ffi::PyFloat_AS_DOUBLE(b));
        }
        if ty == &raw mut ffi::PyLong_Type && ffi::Py_TYPE(b) == ty {
            // An exact int cannot fail to convert; a value out of range
            // only sets the overflow flag (no exception), and then Python's
            // comparison decides.
            let (mut overflow_a, mut overflow_b) = (0, 0);
            let x = ffi::PyLong_AsLongAndOverflow(a, &mut overflow_a);
            let y = ffi::PyLong_AsLongAndOverflow(b, &mut overflow_b);
            if overflow_a == 0 && overflow_b == 0 {
                return Some(x < y);
            }
        }
        None
    }
}
