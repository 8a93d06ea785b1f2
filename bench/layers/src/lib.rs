//! A no-op, `bisect_left` with its keywords and `heappush`, in PyO3 and in
//! raw pyo3-ffi: two of the layers of the Benchmarks page's bindings
//! comparison (`bench/layers.py`, `cargo xtask bench`).
//!
//! One library, two modules, installed under both names as the examples'
//! extension is: `_layers_pyo3` (PyO3's `#[pymodule]`) with `noop`,
//! `bisect_left` and `heappush`, and `_layers_ffi` (a `PyModuleDef` written
//! by hand) with `ffi_noop`, `ffi_bisect_left` and `ffi_heappush`, the
//! latter two being `checks/callcost/src/raw_ports.rs`, the same source the
//! raw `cpython-sys` versions are compiled from.
//!
//! Every version takes the ports' shortcuts: a plain list is read
//! directly, exact ints and floats are compared by value. In PyO3 that is
//! written with its safe API only (`cast_exact`, `extract`, `get_item`,
//! `set_item`), as a PyO3 user would write it.

use pyo3::exceptions::{PyIndexError, PyRuntimeError, PyValueError};
use pyo3::ffi;
use pyo3::prelude::*;
use pyo3::types::{PyFloat, PyInt, PyList};

#[path = "../../../checks/callcost/src/raw_ports.rs"]
#[allow(clippy::all)]
mod raw_ports;

/// `a < b`, by value for exact floats and for exact ints that fit an
/// `i64`, else Python's `<`.
fn lt(a: &Bound<'_, PyAny>, b: &Bound<'_, PyAny>) -> PyResult<bool> {
    if let (Ok(x), Ok(y)) = (a.cast_exact::<PyFloat>(), b.cast_exact::<PyFloat>()) {
        return Ok(x.value() < y.value());
    }
    if let (Ok(x), Ok(y)) = (a.cast_exact::<PyInt>(), b.cast_exact::<PyInt>()) {
        if let (Ok(x), Ok(y)) = (x.extract::<i64>(), y.extract::<i64>()) {
            return Ok(x < y);
        }
    }
    a.lt(b)
}

/// `noop(x, /)`.
#[pyfunction]
fn noop(_x: &Bound<'_, PyAny>) {}

/// `bisect_left(a, x, lo=0, hi=None, *, key=None)`.
#[pyfunction]
#[pyo3(signature = (a, x, lo = 0, hi = None, *, key = None))]
fn bisect_left(
    a: &Bound<'_, PyAny>,
    x: &Bound<'_, PyAny>,
    lo: isize,
    hi: Option<isize>,
    key: Option<&Bound<'_, PyAny>>,
) -> PyResult<isize> {
    if lo < 0 {
        return Err(PyValueError::new_err("lo must be non-negative"));
    }
    let mut hi = match hi {
        Some(hi) if hi != -1 => hi,
        _ => a.len()? as isize,
    };
    let list = a.cast_exact::<PyList>().ok();
    let mut lo = lo;
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        let item = match list {
            Some(list) => list
                .get_item(mid as usize)
                .map_err(|_| PyIndexError::new_err("list index out of range"))?,
            None => a.get_item(mid)?,
        };
        let item = match key {
            Some(key) => key.call1((item,))?,
            None => item,
        };
        if lt(&item, x)? {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    Ok(lo)
}

/// `heappush(heap, item, /)`.
#[pyfunction]
fn heappush(heap: &Bound<'_, PyList>, item: &Bound<'_, PyAny>) -> PyResult<()> {
    heap.append(item)?;
    let size = heap.len();
    let mut pos = size - 1;
    while pos > 0 {
        let parent = (pos - 1) / 2;
        let (new, up) = (heap.get_item(pos)?, heap.get_item(parent)?);
        let less = lt(&new, &up)?;
        if heap.len() != size {
            return Err(PyRuntimeError::new_err(
                "list changed size during iteration",
            ));
        }
        if !less {
            break;
        }
        heap.set_item(parent, new)?;
        heap.set_item(pos, up)?;
        pos = parent;
    }
    Ok(())
}

#[pymodule]
fn _layers_pyo3(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(noop, m)?)?;
    m.add_function(wrap_pyfunction!(bisect_left, m)?)?;
    m.add_function(wrap_pyfunction!(heappush, m)?)?;
    Ok(())
}

/// `ffi_noop(x, /)`: `METH_O`, in raw pyo3-ffi.
///
/// # Safety
///
/// CPython's call of a `METH_O` function.
unsafe extern "C" fn ffi_noop(
    _module: *mut ffi::PyObject,
    _arg: *mut ffi::PyObject,
) -> *mut ffi::PyObject {
    // SAFETY: attached (CPython calls it so); None lives forever.
    unsafe {
        let none = ffi::Py_None();
        ffi::Py_INCREF(none);
        none
    }
}

/// The `PyMethodDef` table and the `PyModuleDef` of `_layers_ffi`, made on
/// the first import, as C's static tables (CPython keeps pointers to both).
static mut METHODS: [ffi::PyMethodDef; 4] = [ffi::PyMethodDef::zeroed(); 4];
static mut MODULE: ffi::PyModuleDef = ffi::PyModuleDef {
    m_base: ffi::PyModuleDef_HEAD_INIT,
    m_name: c"_layers_ffi".as_ptr(),
    m_doc: c"The layers comparison's functions in raw pyo3-ffi.".as_ptr(),
    m_size: 0,
    m_methods: core::ptr::null_mut(),
    m_slots: core::ptr::null_mut(),
    m_traverse: None,
    m_clear: None,
    m_free: None,
};

/// The module `_layers_ffi`, in raw pyo3-ffi.
///
/// # Safety
///
/// Called by the import system, attached, once per import of the module.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn PyInit__layers_ffi() -> *mut ffi::PyObject {
    // SAFETY: attached, and the GIL (or the import lock of a free-threaded
    // build) serialises imports, so nothing else touches the statics while
    // they are filled; the function pointers have the signatures their
    // flags declare.
    unsafe {
        let methods = &mut *(&raw mut METHODS);
        methods[0] = ffi::PyMethodDef {
            ml_name: c"ffi_noop".as_ptr(),
            ml_meth: ffi::PyMethodDefPointer { PyCFunction: ffi_noop },
            ml_flags: ffi::METH_O,
            ml_doc: c"ffi_noop($module, x, /)\n--\n\n".as_ptr(),
        };
        methods[1] = ffi::PyMethodDef {
            ml_name: c"ffi_bisect_left".as_ptr(),
            ml_meth: ffi::PyMethodDefPointer {
                PyCFunctionFastWithKeywords: raw_ports::raw_bisect_left,
            },
            ml_flags: ffi::METH_FASTCALL | ffi::METH_KEYWORDS,
            ml_doc: c"ffi_bisect_left($module, /, a, x, lo=0, hi=None, *, key=None)\n--\n\n"
                .as_ptr(),
        };
        methods[2] = ffi::PyMethodDef {
            ml_name: c"ffi_heappush".as_ptr(),
            // pyo3-ffi declares the arguments' pointer `*mut`; the C type
            // (and raw_ports's) is `PyObject *const *`: the same ABI.
            ml_meth: ffi::PyMethodDefPointer {
                PyCFunctionFast: core::mem::transmute::<
                    unsafe extern "C" fn(
                        *mut ffi::PyObject,
                        *const *mut ffi::PyObject,
                        ffi::Py_ssize_t,
                    ) -> *mut ffi::PyObject,
                    ffi::PyCFunctionFast,
                >(raw_ports::raw_heappush),
            },
            ml_flags: ffi::METH_FASTCALL,
            ml_doc: c"ffi_heappush($module, heap, item, /)\n--\n\n".as_ptr(),
        };
        let module = &mut *(&raw mut MODULE);
        module.m_methods = methods.as_mut_ptr();
        ffi::PyModule_Create(module)
    }
}
