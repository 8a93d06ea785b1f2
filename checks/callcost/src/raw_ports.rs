//! `bisect_left` and `heappush` in raw bindings, as a C programmer writes
//! them in Rust without a safe layer: the same algorithm and shortcuts as
//! the ports (a plain list read directly, exact ints and floats compared by
//! value), arguments parsed by hand.
//!
//! The file is written against `crate::ffi` and compiled twice: in this
//! crate, where `ffi` is `cpython-sys` (through `tutorial::ffi`), and in
//! `bench/layers`, where it is pyo3-ffi (through `pyo3::ffi`). The two name
//! the C API alike; where their types differ (`bool` or `c_int` for
//! `PyList_CheckExact`, `u32` or `c_int` for `Py_LT`), the code converts
//! with `as`, which fits both. Nothing here can panic: no slice indexing,
//! no `unwrap`, so no unwinding can reach the C caller.

use core::ffi::{CStr, c_int};
use core::ptr::null_mut;

use crate::ffi;

/// `a < b` by value when both are exact floats, or exact ints that fit a
/// C `long`; `None` where the shortcut does not apply.
///
/// # Safety
///
/// Attached; `a` and `b` are live objects.
#[inline]
unsafe fn exact_number_lt(
    a: *mut ffi::PyObject,
    b: *mut ffi::PyObject,
) -> Option<bool> {
    // SAFETY: the caller's contract: live objects, attached; a value is
    // read only once the exact type is known.
    unsafe {
        let ty = ffi::Py_TYPE(a);
        if ty == &raw mut ffi::PyFloat_Type {
            if ffi::Py_TYPE(b) != ty {
                return None;
            }
            return Some(ffi::PyFloat_AS_DOUBLE(a) < ffi::PyFloat_AS_DOUBLE(b));
        }
        if ty == &raw mut ffi::PyLong_Type && ffi::Py_TYPE(b) == ty {
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

/// `a < b`: 1, 0, or -1 with an exception set.
///
/// # Safety
///
/// Attached; `a` and `b` are live objects.
#[inline]
unsafe fn lt(a: *mut ffi::PyObject, b: *mut ffi::PyObject) -> c_int {
    // SAFETY: the caller's contract.
    unsafe {
        match exact_number_lt(a, b) {
            Some(less) => c_int::from(less),
            None => ffi::PyObject_RichCompareBool(a, b, ffi::Py_LT as c_int),
        }
    }
}

/// Sets `exc` with `message` and returns NULL.
///
/// # Safety
///
/// Attached; `exc` is an exception type.
unsafe fn fail(exc: *mut ffi::PyObject, message: &CStr) -> *mut ffi::PyObject {
    // SAFETY: the caller's contract; the message is a C string.
    unsafe { ffi::PyErr_SetString(exc, message.as_ptr()) };
    null_mut()
}

/// The parameters of `bisect_left`, in order.
const NAMES: [&CStr; 5] = [c"a", c"x", c"lo", c"hi", c"key"];

/// `bisect_left(a, x, lo=0, hi=None, *, key=None)`, `METH_FASTCALL |
/// METH_KEYWORDS`.
///
/// # Safety
///
/// CPython's call of a `METH_FASTCALL | METH_KEYWORDS` function: attached,
/// `args` holds `nargs` positional arguments followed by one value per
/// name of the tuple `kwnames` (or `kwnames` is NULL).
pub unsafe extern "C" fn raw_bisect_left(
    _module: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
    kwnames: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: the caller's contract: every pointer read from `args` and
    // `kwnames` is in bounds of what CPython passed; every object is live
    // for the call, and each item taken from the list is owned while a
    // comparison or `key` (which may run Python code) uses it.
    unsafe {
        let mut slot: [*mut ffi::PyObject; 5] = [null_mut(); 5];
        if !(0..=4).contains(&nargs) {
            return fail(
                ffi::PyExc_TypeError,
                c"bisect_left() takes at most 4 positional arguments",
            );
        }
        for (i, s) in slot.iter_mut().enumerate().take(nargs as usize) {
            *s = *args.add(i);
        }
        let nkw =
            if kwnames.is_null() { 0 } else { ffi::PyTuple_GET_SIZE(kwnames) };
        for k in 0..nkw {
            let name = ffi::PyTuple_GET_ITEM(kwnames, k);
            let Some(j) = NAMES.iter().position(|n| {
                ffi::PyUnicode_CompareWithASCIIString(name, n.as_ptr()) == 0
            }) else {
                return fail(
                    ffi::PyExc_TypeError,
                    c"bisect_left() got an unexpected keyword argument",
                );
            };
            let Some(s) = slot.get_mut(j) else { return null_mut() };
            if !s.is_null() {
                return fail(
                    ffi::PyExc_TypeError,
                    c"bisect_left() got an argument by name and by position",
                );
            }
            *s = *args.add((nargs + k) as usize);
        }
        let [a, x, lo_arg, hi_arg, key] = slot;
        if a.is_null() || x.is_null() {
            return fail(
                ffi::PyExc_TypeError,
                c"bisect_left() missing a required argument",
            );
        }
        let mut lo = 0;
        if !lo_arg.is_null() {
            lo = ffi::PyNumber_AsSsize_t(lo_arg, ffi::PyExc_OverflowError);
            if lo == -1 && !ffi::PyErr_Occurred().is_null() {
                return null_mut();
            }
        }
        if lo < 0 {
            return fail(ffi::PyExc_ValueError, c"lo must be non-negative");
        }
        let mut hi = -1;
        if !hi_arg.is_null() && hi_arg != ffi::Py_None() {
            if ffi::PyIndex_Check(hi_arg) == 0 {
                return fail(
                    ffi::PyExc_TypeError,
                    c"argument should be integer or None",
                );
            }
            hi = ffi::PyNumber_AsSsize_t(hi_arg, ffi::PyExc_OverflowError);
            if hi == -1 && !ffi::PyErr_Occurred().is_null() {
                return null_mut();
            }
        }
        if hi == -1 {
            hi = ffi::PySequence_Size(a);
            if hi < 0 {
                return null_mut();
            }
        }
        let key =
            if key.is_null() || key == ffi::Py_None() { null_mut() } else { key };
        let is_list = ffi::PyList_CheckExact(a) as i32 != 0;
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            let mut item = if is_list {
                if mid >= ffi::PyList_GET_SIZE(a) {
                    return fail(ffi::PyExc_IndexError, c"list index out of range");
                }
                let item = ffi::PyList_GET_ITEM(a, mid);
                ffi::Py_INCREF(item);
                item
            } else {
                let item = ffi::PySequence_GetItem(a, mid);
                if item.is_null() {
                    return null_mut();
                }
                item
            };
            if !key.is_null() {
                let k = ffi::PyObject_CallOneArg(key, item);
                ffi::Py_DECREF(item);
                if k.is_null() {
                    return null_mut();
                }
                item = k;
            }
            let less = lt(item, x);
            ffi::Py_DECREF(item);
            match less {
                1 => lo = mid + 1,
                0 => hi = mid,
                _ => return null_mut(),
            }
        }
        ffi::PyLong_FromSsize_t(lo)
    }
}

/// `heappush(heap, item, /)`, `METH_FASTCALL`.
///
/// # Safety
///
/// CPython's call of a `METH_FASTCALL` function: attached, `args` holds
/// `nargs` live objects.
pub unsafe extern "C" fn raw_heappush(
    _module: *mut ffi::PyObject,
    args: *const *mut ffi::PyObject,
    nargs: ffi::Py_ssize_t,
) -> *mut ffi::PyObject {
    // SAFETY: the caller's contract; every index into the list is checked
    // against its current length before it is read, and the list's item
    // pointers are only swapped, so no reference count changes.
    unsafe {
        if nargs != 2 {
            return fail(ffi::PyExc_TypeError, c"heappush expected 2 arguments");
        }
        let (heap, item) = (*args, *args.add(1));
        if ffi::PyList_Check(heap) as i32 == 0 {
            return fail(
                ffi::PyExc_TypeError,
                c"heappush() argument 1 must be list",
            );
        }
        if ffi::PyList_Append(heap, item) < 0 {
            return null_mut();
        }
        let size = ffi::PyList_GET_SIZE(heap);
        let mut pos = size - 1;
        while pos > 0 {
            let parent = (pos - 1) / 2;
            if pos >= ffi::PyList_GET_SIZE(heap) {
                return fail(ffi::PyExc_IndexError, c"list index out of range");
            }
            let (a, b) = (
                ffi::PyList_GET_ITEM(heap, pos),
                ffi::PyList_GET_ITEM(heap, parent),
            );
            let less = match exact_number_lt(a, b) {
                Some(less) => c_int::from(less),
                None => {
                    ffi::Py_INCREF(a);
                    ffi::Py_INCREF(b);
                    let less =
                        ffi::PyObject_RichCompareBool(a, b, ffi::Py_LT as c_int);
                    ffi::Py_DECREF(a);
                    ffi::Py_DECREF(b);
                    less
                }
            };
            if less < 0 {
                return null_mut();
            }
            if ffi::PyList_GET_SIZE(heap) != size {
                return fail(
                    ffi::PyExc_RuntimeError,
                    c"list changed size during iteration",
                );
            }
            if less == 0 {
                break;
            }
            let items = (*heap.cast::<ffi::PyListObject>()).ob_item;
            let (p, q) = (items.add(parent as usize), items.add(pos as usize));
            core::ptr::swap(p, q);
            pos = parent;
        }
        let none = ffi::Py_None();
        ffi::Py_INCREF(none);
        none
    }
}
