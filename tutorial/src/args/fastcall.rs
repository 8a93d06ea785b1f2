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
use core::mem::MaybeUninit;

/// The arguments of a call, as a `METH_FASTCALL | METH_KEYWORDS` function
/// gets them: `nargs` positional values, then one value per keyword name.
///
/// For a vectorcall the values and names are borrowed in place, from the
/// caller's array and the `kwnames` tuple: parsing allocates nothing, and
/// the value owns nothing to release, which matters for functions whose
/// whole work takes a few tens of nanoseconds (`bisect` on a short list).
#[derive(Clone, Copy)]
pub struct FastcallArgs<'a, 'py> {
    positional: &'a [Borrowed<'a, 'py, PyAny>],
    names: &'a [Borrowed<'a, 'py, PyAny>],
    kwvalues: &'a [Borrowed<'a, 'py, PyAny>],
}

impl<'a, 'py> FastcallArgs<'a, 'py> {
    /// Borrows the arguments of a call.
    ///
    /// # Safety
    ///
    /// The pointers must be those CPython passed to a `METH_FASTCALL |
    /// METH_KEYWORDS` function, alive for `'a`: `args` points to `nargs`
    /// values followed by one per item of `kwnames` (a tuple of str, or NULL).
    #[inline(always)]
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
        // `args` may be NULL when there are no arguments, and no slice may
        // point at NULL; a select, not a branch.
        let args = if args.is_null() {
            core::ptr::NonNull::dangling().as_ptr()
        } else {
            args.cast::<Borrowed<'a, 'py, PyAny>>()
        };
        // SAFETY: `args` points to nargs + len(kwnames) non-NULL object
        // pointers alive for 'a (caller's contract), or dangles for none;
        // same layout as above. The keyword values follow the positional ones.
        unsafe {
            FastcallArgs {
                positional: core::slice::from_raw_parts(args, nargs),
                names,
                kwvalues: core::slice::from_raw_parts(args.add(nargs), names.len()),
            }
        }
    }

    /// How many arguments were passed by position.
    pub fn nargs(&self) -> usize {
        self.positional.len()
    }

    /// How many arguments were passed by keyword.
    pub fn nkw(&self) -> usize {
        self.names.len()
    }

    /// The arguments passed by position.
    pub fn positional(&self) -> &'a [Borrowed<'a, 'py, PyAny>] {
        self.positional
    }

    /// The value passed by keyword `name`, if any.
    fn keyword(&self, name: &str) -> PyResult<Option<Borrowed<'a, 'py, PyAny>>> {
        for (key, value) in self.names.iter().zip(self.kwvalues) {
            if keyword_is(key, name)? {
                return Ok(Some(*value));
            }
        }
        Ok(None)
    }
}

/// The arguments of a `tp_init`-style call (a tuple and a dict), held so
/// that [`OwnedArgs::as_args`] can lend them as [`FastcallArgs`].
pub struct OwnedArgs<'a, 'py> {
    values: Vec<Borrowed<'a, 'py, PyAny>>,
    nargs: usize,
    names: Vec<Borrowed<'a, 'py, PyAny>>,
    /// Strong references to the keyword names and values taken from a dict,
    /// which Python code run by a converter could change.
    _keep: Vec<Bound<'py, PyAny>>,
}

impl<'a, 'py> OwnedArgs<'a, 'py> {
    /// Borrows the arguments of a `tp_init`-style call: a tuple and a dict.
    ///
    /// # Safety
    ///
    /// `args` must be a tuple and `kwargs` a dict or NULL, alive for `'a`.
    /// (The dict's keys and values are kept alive by strong references held
    /// here: a C caller may pass a dict that Python code can change.)
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
        OwnedArgs { values, nargs, names, _keep: keep }
    }

    /// The arguments, lent as a vectorcall's are.
    pub fn as_args(&self) -> FastcallArgs<'_, 'py> {
        let (positional, kwvalues) = self.values.split_at(self.nargs);
        FastcallArgs { positional, names: &self.names, kwvalues }
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

/// The arguments of a call, one slot per parameter, as [`unpack`] returns
/// them.
#[derive(Clone, Copy)]
pub enum Slots<'s, 'a, 'py> {
    /// The fast path's: the positional arguments, in the caller's own array
    /// (the parameters past its end were left out).
    Positional(&'s [Borrowed<'a, 'py, PyAny>]),
    /// The other calls': one slot per parameter, `None` where an optional
    /// argument was left out.
    Filled(&'s [Option<Borrowed<'a, 'py, PyAny>>]),
}

impl<'s, 'a, 'py> Slots<'s, 'a, 'py> {
    /// The argument of parameter `i`, if it was given.
    #[inline(always)]
    pub fn get(self, i: usize) -> Option<&'s Borrowed<'a, 'py, PyAny>> {
        match self {
            Slots::Positional(values) => values.get(i),
            Slots::Filled(slots) => slots.get(i).and_then(Option::as_ref),
        }
    }
}

/// Puts each argument in its parameter's slot, or raises the `TypeError`
/// CPython raises for the same call: `_PyArg_UnpackKeywords`.
///
/// In the common case, a call with positional arguments only and the right
/// number of them, the slots are the caller's own array, seen in place:
/// nothing is copied, as Clinic's code returns the `args` pointer itself,
/// and a required argument needs no check that it is there. Otherwise they
/// are `buf`, filled in.
///
/// # Errors
///
/// `TypeError` for too many or too few arguments, a missing required one, one
/// given twice, or an unknown keyword, worded as CPython words it.
#[inline(always)]
pub fn unpack<'s, 'a: 's, 'py, const N: usize>(
    py: Python<'py>,
    sig: &Signature,
    args: &FastcallArgs<'a, 'py>,
    buf: &'s mut MaybeUninit<[Option<Borrowed<'a, 'py, PyAny>>; N]>,
) -> PyResult<Slots<'s, 'a, 'py>> {
    let nargs = args.nargs();
    // The fast path, inlined into every trampoline as Clinic's
    // `_PyArg_UnpackKeywords` macro does: positional arguments only, and
    // the right number of them.
    if args.names.is_empty()
        && sig.minkw == 0
        && sig.minpos <= nargs
        && nargs <= sig.maxpos
    {
        return Ok(Slots::Positional(args.positional));
    }
    let slots = buf.write([None; N]);
    // A copy, made here: `args` itself then never needs to be in memory,
    // and the fast path stores nothing for it.
    let args = *args;
    unpack_keywords(py, sig, &args, slots)?;
    Ok(Slots::Filled(slots))
}

/// The rest of [`unpack`]: keywords, and every error.
///
/// A panic in it (a bug) is caught here and raised as `SystemError`, as the
/// trampoline would, so that the function cannot unwind: `extern "C"` says
/// so to the optimiser, which then leaves the landing pad and the saved
/// registers out of every call's fast path (they were six of the twelve
/// instructions a no-op `meth_fastcall!` function cost beyond C's). It is
/// never called from C.
#[inline(never)]
#[allow(improper_ctypes_definitions)]
extern "C" fn unpack_keywords<'a, 'py>(
    py: Python<'py>,
    sig: &Signature,
    args: &FastcallArgs<'a, 'py>,
    slots: &mut [Option<Borrowed<'a, 'py, PyAny>>],
) -> PyResult<()> {
    if match_simple_keywords(sig, args, slots) {
        return Ok(());
    }
    // Whatever the one pass bound before it gave up is bound again, or not.
    slots.fill(None);
    let unpacked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        match_keywords(py, sig, *args, slots)
    }));
    unpacked.unwrap_or_else(|payload| {
        crate::impl_::trampoline::raise_panic(py, payload.as_ref());
        Err(PyErr::already_set(py))
    })
}

/// The common keyword call, bound in one pass: each keyword an ASCII str
/// naming a parameter not already given, every required parameter given.
/// Returns `false`, having bound nothing for certain, for anything else: a
/// call [`match_keywords`] then binds from the start or words the error.
///
/// C compares a keyword with each parameter's name by identity first, both
/// being interned strs; without a str object per parameter (which would
/// need storage per interpreter) this compares lengths, then bytes, and
/// walks the keywords once rather than once per parameter. Nothing in it
/// can panic or raise: no slice is indexed unchecked, nothing allocates,
/// no exception is set, so the caller needs no landing pad for it.
#[inline(always)]
fn match_simple_keywords<'a, 'py>(
    sig: &Signature,
    args: &FastcallArgs<'a, 'py>,
    slots: &mut [Option<Borrowed<'a, 'py, PyAny>>],
) -> bool {
    let nargs = args.nargs();
    if nargs > sig.maxpos || nargs + args.nkw() > sig.len || slots.len() < sig.len {
        return false;
    }
    for (slot, value) in slots.iter_mut().zip(args.positional) {
        *slot = Some(*value);
    }
    for (key, value) in args.names.iter().zip(args.kwvalues) {
        let Some(key) = ascii_key(key) else { return false };
        let mut n = 0;
        let mut found = None;
        for item in sig.params {
            if let super::Item::Param(name, _) = *item {
                if same_bytes(name.as_bytes(), key) {
                    found = Some(n);
                    break;
                }
                n += 1;
            }
        }
        // Unknown, positional-only, or given by position already: an error,
        // which `match_keywords` words.
        let Some(n) = found.filter(|&n| n >= sig.posonly && n >= nargs) else {
            return false;
        };
        match slots.get_mut(n) {
            Some(slot @ None) => *slot = Some(*value),
            _ => return false,
        }
    }
    let reqlimit = if sig.minkw > 0 { sig.maxpos + sig.minkw } else { sig.minpos };
    // A required parameter left out: `match_keywords` names it.
    slots.iter().enumerate().take(sig.len).skip(nargs).all(|(i, slot)| {
        slot.is_some() || !(i < sig.minpos || (sig.maxpos <= i && i < reqlimit))
    })
}

/// The characters of `key` if it is a str stored one byte per ASCII
/// character (as a call site's keyword names are), else `None`.
#[inline(always)]
fn ascii_key<'k>(key: &'k Borrowed<'_, '_, PyAny>) -> Option<&'k [u8]> {
    let op = key.as_ptr();
    // SAFETY: attached (the handle's 'py); `op` is a live object, whose type
    // PyUnicode_Check reads. A str that is ready (always, from 3.12) and
    // ASCII holds PyUnicode_GET_LENGTH one-byte characters at
    // PyUnicode_DATA, kept, immutable, for as long as `key` is borrowed.
    unsafe {
        if !ffi::PyUnicode_Check(op) {
            return None;
        }
        #[cfg(not(Py_3_12))]
        if !ffi::PyUnicode_IS_READY(op) {
            return None;
        }
        if !ffi::PyUnicode_IS_ASCII(op) {
            return None;
        }
        Some(core::slice::from_raw_parts(
            ffi::PyUnicode_DATA(op).cast::<u8>(),
            ffi::PyUnicode_GET_LENGTH(op) as usize,
        ))
    }
}

/// `a == b`, as a loop: parameter names are a few bytes long, and a call to
/// `memcmp` costs more than comparing them.
#[inline(always)]
fn same_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
}

/// [`unpack_keywords`]'s work: `_PyArg_UnpackKeywords` past its fast path.
fn match_keywords<'a, 'py>(
    py: Python<'py>,
    sig: &Signature,
    args: FastcallArgs<'a, 'py>,
    slots: &mut [Option<Borrowed<'a, 'py, PyAny>>],
) -> PyResult<()> {
    let f = sig.name;
    let nargs = args.nargs();
    for (slot, value) in slots.iter_mut().zip(args.positional) {
        *slot = Some(*value);
    }
    let nkw = args.nkw();
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

/// The `SystemError` for a required argument [`unpack`] left out, which it
/// never does: the other arm of the macros' match on a required slot.
///
/// An `extern "C"` function, so that it cannot unwind (see
/// `check_positional`'s error): a `panic!` there would cost every call a
/// landing pad. It is never called from C.
#[cold]
#[inline(never)]
#[allow(improper_ctypes_definitions)]
pub extern "C" fn missing_required(py: Python<'_>, sig: &Signature) -> PyErr {
    let msg = format!("{}(): a required argument was not unpacked", sig.name);
    crate::exceptions::SystemError::new_err(py, &msg)
}
