//! The arguments of a `METH_FASTCALL | METH_KEYWORDS` call, and [`unpack`],
//! the port of `_PyArg_UnpackKeywords` that puts each in its parameter's
//! slot or raises CPython's `TypeError`.

use super::Signature;
use crate::err::PyErr;
use crate::err::PyResult;
use crate::ffi;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::{PyAny, PyStr, PyTuple};
use std::borrow::Cow;

/// The arguments of a call, as a `METH_FASTCALL | METH_KEYWORDS` function
/// gets them: `nargs` positional values, then one value per keyword name.
///
/// For a vectorcall the values and names are borrowed in place, from the
/// caller's array and the `kwnames` tuple: parsing allocates nothing, which
/// matters for functions whose whole work takes a few tens of nanoseconds
/// (`bisect` on a short list).
pub struct FastcallArgs<'a, 'py> {
    values: Cow<'a, [Borrowed<'a, 'py, PyAny>]>,
    nargs: usize,
    names: Cow<'a, [Borrowed<'a, 'py, PyAny>]>,
    /// Strong references to the keyword names and values taken from a dict,
    /// which Python code run by a converter could change.
    _keep: Vec<Bound<'py, PyAny>>,
}

impl<'a, 'py> FastcallArgs<'a, 'py> {
    /// Borrows the arguments of a call.
    ///
    /// # Safety
    ///
    /// The pointers must be those CPython passed to a `METH_FASTCALL |
    /// METH_KEYWORDS` function, alive for `'a`: `args` points to `nargs`
    /// values followed by one per item of `kwnames` (a tuple of str, or NULL).
    pub unsafe fn new(
        _py: Python<'py>,
        args: *const *mut ffi::PyObject,
        nargs: ffi::Py_ssize_t,
        kwnames: *mut ffi::PyObject,
    ) -> Self {
        let nargs = nargs as usize;
        let names: &'a [Borrowed<'a, 'py, PyAny>] = if kwnames.is_null() {
            &[]
        } else {
            // SAFETY: `kwnames` is a tuple alive and unchanged for 'a
            // (caller's contract): its items are an array of PyTuple_GET_SIZE
            // non-NULL pointers, which the tuple keeps alive. A Borrowed is
            // a transparent non-NULL object pointer, so the array is a slice
            // of them.
            unsafe {
                let tuple = kwnames.cast::<ffi::PyTupleObject>();
                let items =
                    core::ptr::addr_of!((*tuple).ob_item)
                        .cast::<Borrowed<'a, 'py, PyAny>>();
                core::slice::from_raw_parts(
                    items,
                    ffi::PyTuple_GET_SIZE(kwnames) as usize,
                )
            }
        };
        let count = nargs + names.len();
        let values: &'a [Borrowed<'a, 'py, PyAny>] = if count == 0 {
            &[] // `args` may then be NULL, which no slice may point at.
        } else {
            // SAFETY: `args` points to nargs + len(kwnames) non-NULL object
            // pointers alive for 'a (caller's contract); same layout as above.
            unsafe {
                core::slice::from_raw_parts(
                    args.cast::<Borrowed<'a, 'py, PyAny>>(),
                    count,
                )
            }
        };
        FastcallArgs {
            values: Cow::Borrowed(values),
            nargs,
            names: Cow::Borrowed(names),
            _keep: Vec::new(),
        }
    }

    /// Borrows the arguments of a `tp_init`-style call: a tuple and a dict.
    ///
    /// # Safety
    ///
    /// `args` must be a tuple and `kwargs` a dict or NULL, alive for the
    /// call; the returned value must live at least as long as `'a`. (The
    /// dict's keys and values are kept alive by strong references held here:
    /// a C caller may pass a dict that Python code can change.)
    pub unsafe fn from_tuple_dict(
        py: Python<'py>,
        args: *mut ffi::PyObject,
        kwargs: *mut ffi::PyObject,
    ) -> Self {
        let mut values = Vec::new();
        // SAFETY: a live tuple (caller's contract), immutable.
        let tuple = unsafe { Borrowed::<PyTuple>::from_ptr_unchecked(py, args) };
        while let Some(item) = tuple.get(values.len()) {
            // SAFETY: the tuple keeps its items alive for 'a.
            values.push(unsafe { Borrowed::from_ptr_unchecked(py, item.as_ptr()) });
        }
        let nargs = values.len();
        let mut names = Vec::new();
        let mut keep = Vec::new();
        if !kwargs.is_null() {
            let (mut pos, mut key, mut value) =
                (0, core::ptr::null_mut(), core::ptr::null_mut());
            // SAFETY: a live dict (caller's contract); PyDict_Next lends its
            // keys and values, and no Python code runs during this loop.
            while unsafe {
                ffi::PyDict_Next(kwargs, &mut pos, &mut key, &mut value)
            } != 0
            {
                // SAFETY: borrowed from the dict just now; the strong
                // references pushed to `keep` make them live as long as self.
                unsafe {
                    let key = Borrowed::<PyAny>::from_ptr_unchecked(py, key);
                    let value = Borrowed::<PyAny>::from_ptr_unchecked(py, value);
                    keep.push(key.to_owned());
                    keep.push(value.to_owned());
                    names.push(Borrowed::from_ptr_unchecked(py, key.as_ptr()));
                    values.push(Borrowed::from_ptr_unchecked(py, value.as_ptr()));
                }
            }
        }
        FastcallArgs {
            values: Cow::Owned(values),
            nargs,
            names: Cow::Owned(names),
            _keep: keep,
        }
    }

    /// How many arguments were passed by position.
    pub fn nargs(&self) -> usize {
        self.nargs
    }

    /// How many arguments were passed by keyword.
    pub fn nkw(&self) -> usize {
        self.names.len()
    }

    /// The arguments passed by position.
    pub fn positional(&self) -> &[Borrowed<'a, 'py, PyAny>] {
        &self.values[..self.nargs]
    }

    /// The value passed by keyword `name`, if any.
    fn keyword(&self, name: &str) -> PyResult<Option<Borrowed<'a, 'py, PyAny>>> {
        for (key, value) in self.names.iter().zip(&self.values[self.nargs..]) {
            if keyword_is(key, name)? {
                return Ok(Some(*value));
            }
        }
        Ok(None)
    }
}

/// Whether the keyword name `key` is `name`.
///
/// A keyword name is nearly always an ASCII `str` (an identifier written in
/// the caller's source): its characters are compared where the object
/// keeps them (`PyUnicode_DATA`), without converting, as
/// `_PyArg_UnpackKeywords` compares `str` objects. Any other name is not
/// converted either, so that one UTF-8 cannot encode (`'\udc80'`) is just
/// a name that matches no parameter, as in C.
///
/// # Errors
///
/// `MemoryError` only (a 3.11 legacy string made ready, or the rare
/// non-ASCII parameter name made into a `str`).
fn keyword_is(key: &Bound<'_, PyAny>, name: &str) -> PyResult<bool> {
    if !key.is_instance_of::<PyStr>() {
        return Ok(false);
    }
    let key = key.downcast::<PyStr>()?;
    if let Some(chars) = key.ascii_bytes()? {
        return Ok(chars == name.as_bytes());
    }
    if name.is_ascii() {
        // A str with a character past ASCII never equals an ASCII one.
        return Ok(false);
    }
    let name = PyStr::new(key.py(), name)?;
    // SAFETY: attached; both are live strs, for which PyUnicode_Compare
    // cannot fail (it compares code points; no `__eq__` runs).
    Ok(unsafe { ffi::PyUnicode_Compare(key.as_ptr(), name.as_ptr()) } == 0)
}

/// The `TypeError` for the keyword `key` that names no parameter of `f`, in
/// the words of the target version's `_PyArg_UnpackKeywords`; the name is
/// put in as C's `%S` does (`str(key)`), whatever characters it holds.
///
/// 3.11 and 3.12: `'spam' is an invalid keyword argument for f()`. From
/// 3.13: `f() got an unexpected keyword argument 'spam'`, followed by
/// `. Did you mean 'key'?` when a parameter's name is close enough
/// ([`suggestions::closest`](super::suggestions::closest)).
fn unexpected_keyword(
    py: Python<'_>,
    sig: &Signature,
    key: &Bound<'_, PyStr>,
) -> PyResult<PyErr> {
    let f = sig.name;
    let shown = key.as_any().str()?;
    #[cfg(not(Py_3_13))]
    let (before, after) =
        (String::from("'"), format!("' is an invalid keyword argument for {f}()"));
    #[cfg(Py_3_13)]
    let (before, after) = {
        let candidates = (sig.posonly..sig.len).map(|i| sig.param(i));
        let after = match super::suggestions::closest(key, candidates) {
            Some(suggestion) => format!("'. Did you mean '{suggestion}'?"),
            None => String::from("'"),
        };
        (format!("{f}() got an unexpected keyword argument '"), after)
    };
    let msg = PyStr::new(py, &before)?
        .concat(&shown)?
        .concat(&PyStr::new(py, &after)?)?;
    let ty = crate::exceptions::TypeError::type_object(py);
    Ok(PyErr::new_from_type_str(&ty, &msg))
}

/// Puts each argument in its parameter's slot, or raises the `TypeError`
/// CPython raises for the same call: `_PyArg_UnpackKeywords`.
///
/// # Errors
///
/// `TypeError` for too many or too few arguments, a missing required one, one
/// given twice, or an unknown keyword, worded as CPython words it.
#[inline]
pub fn unpack<'a, 'py>(
    py: Python<'py>,
    sig: &Signature,
    args: &FastcallArgs<'a, 'py>,
    slots: &mut [Option<Borrowed<'a, 'py, PyAny>>],
) -> PyResult<()> {
    let nargs = args.nargs;
    for (slot, value) in slots.iter_mut().zip(&args.values[..nargs.min(sig.len)]) {
        *slot = Some(*value);
    }
    // The fast path, inlined into every trampoline as Clinic's
    // `_PyArg_UnpackKeywords` macro does: positional arguments only, and
    // the right number of them.
    if args.values.len() == nargs
        && sig.minkw == 0
        && sig.minpos <= nargs
        && nargs <= sig.maxpos
    {
        return Ok(());
    }
    unpack_keywords(py, sig, args, slots)
}

/// The rest of [`unpack`]: keywords, and every error.
fn unpack_keywords<'a, 'py>(
    py: Python<'py>,
    sig: &Signature,
    args: &FastcallArgs<'a, 'py>,
    slots: &mut [Option<Borrowed<'a, 'py, PyAny>>],
) -> PyResult<()> {
    let f = sig.name;
    let nargs = args.nargs;
    let nkw = args.values.len() - nargs;
    let maxargs = sig.len;
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if nargs + nkw > maxargs {
        let keyword = if nargs == 0 { "keyword " } else { "" };
        return Err(sig.type_error(
            py,
            format!(
                "{f}() takes at most {maxargs} {keyword}argument{} ({} given)",
                plural(maxargs),
                nargs + nkw
            ),
        ));
    }
    if nargs > sig.maxpos {
        if sig.maxpos == 0 {
            return Err(
                sig.type_error(py, format!("{f}() takes no positional arguments"))
            );
        }
        let bound = if sig.minpos < sig.maxpos { "at most" } else { "exactly" };
        return Err(sig.type_error(
            py,
            format!(
                "{f}() takes {bound} {} positional argument{} ({nargs} given)",
                sig.maxpos,
                plural(sig.maxpos)
            ),
        ));
    }
    let minposonly = sig.posonly.min(sig.minpos);
    if nargs < minposonly {
        let bound = if minposonly < sig.maxpos { "at least" } else { "exactly" };
        return Err(sig.type_error(
            py,
            format!(
                "{f}() takes {bound} {minposonly} positional argument{} ({nargs} given)",
                plural(minposonly)
            ),
        ));
    }
    let reqlimit = if sig.minkw > 0 { sig.maxpos + sig.minkw } else { sig.minpos };
    let mut unused = nkw;
    // Index-driven, as in C: `i` names the parameter and the slot.
    #[allow(clippy::needless_range_loop)]
    for i in nargs.max(sig.posonly)..maxargs {
        let value = if unused > 0 {
            args.keyword(sig.param(i))?
        } else if i >= reqlimit {
            break;
        } else {
            None
        };
        slots[i] = value;
        if value.is_some() {
            unused -= 1;
        } else if i < sig.minpos || (sig.maxpos <= i && i < reqlimit) {
            return Err(sig.type_error(
                py,
                format!(
                    "{f}() missing required argument '{}' (pos {})",
                    sig.param(i),
                    i + 1
                ),
            ));
        }
    }
    if unused > 0 {
        // Some keyword matched no parameter: one given twice, or unknown.
        for i in sig.posonly..nargs {
            if args.keyword(sig.param(i))?.is_some() {
                return Err(sig.type_error(
                    py,
                    format!(
                        "argument for {f}() given by name ('{}') and position ({})",
                        sig.param(i),
                        i + 1
                    ),
                ));
            }
        }
        for key in args.names.iter() {
            if !key.is_instance_of::<PyStr>() {
                return Err(
                    sig.type_error(py, "keywords must be strings".to_owned())
                );
            }
            let mut known = false;
            for i in sig.posonly..maxargs {
                if keyword_is(key, sig.param(i))? {
                    known = true;
                    break;
                }
            }
            if !known {
                return Err(unexpected_keyword(py, sig, key.downcast::<PyStr>()?)?);
            }
        }
        return Err(
            sig.type_error(py, format!("invalid keyword argument for {f}()"))
        );
    }
    Ok(())
}
