//! Argument parsing for `METH_FASTCALL | METH_KEYWORDS` functions: the
//! Rust counterpart of Argument Clinic's generated parsers.
//!
//! Argument Clinic turns a signature written in a comment into C code that
//! calls `_PyArg_UnpackKeywords` and then one converter per parameter. Here
//! the [`meth_fastcall!`](crate::meth_fastcall!) macro turns a signature
//! written in the macro call into a [`Signature`], calls [`unpack`] (this
//! module's port of `_PyArg_UnpackKeywords`, with the same `TypeError`
//! messages), and converts each argument with [`FromArg`].

use crate::err::{PyErr, PyResult};
use crate::ffi;
use crate::instance::{Borrowed, Bound};
use crate::python::Python;
use crate::types::{PyAny, PyStr, PyTuple};
use std::borrow::Cow;

/// One piece of a signature, as the macro writes it.
#[derive(Clone, Copy, Debug)]
pub enum Item {
    /// A parameter, and whether it has a default.
    Param(&'static str, bool),
    /// `/`: the parameters before it are positional-only.
    Slash,
    /// `*`: the parameters after it are keyword-only.
    Star,
}

/// What Argument Clinic's `_PyArg_Parser` and the `minpos`, `maxpos` and
/// `minkw` arguments of `_PyArg_UnpackKeywords` say about a function.
#[derive(Debug)]
pub struct Signature {
    /// The function's name, for messages.
    pub name: &'static str,
    /// Every parameter's name, in order.
    pub params: &'static [Item],
    /// How many leading parameters are positional-only.
    pub posonly: usize,
    /// How many leading parameters are required.
    pub minpos: usize,
    /// How many leading parameters may be passed by position.
    pub maxpos: usize,
    /// How many keyword-only parameters (right after `maxpos`) are required.
    pub minkw: usize,
    /// How many parameters there are.
    pub len: usize,
}

impl Signature {
    /// Counts what the items say. Panics (at compile time, in a `const`)
    /// where Argument Clinic would refuse the signature.
    pub const fn new(name: &'static str, params: &'static [Item]) -> Signature {
        let (mut i, mut n) = (0, 0);
        let (mut posonly, mut maxpos, mut minpos, mut minkw) = (0, usize::MAX, 0, 0);
        let mut seen_default = false;
        while i < params.len() {
            match params[i] {
                Item::Slash => posonly = n,
                Item::Star => maxpos = n,
                Item::Param(_, has_default) => {
                    if maxpos == usize::MAX {
                        if has_default {
                            seen_default = true;
                        } else if seen_default {
                            panic!("a required positional parameter follows one with a default");
                        } else {
                            minpos += 1;
                        }
                    } else if !has_default {
                        minkw += 1;
                    }
                    n += 1;
                }
            }
            i += 1;
        }
        if maxpos == usize::MAX {
            maxpos = n;
        }
        Signature { name, params, posonly, minpos, maxpos, minkw, len: n }
    }

    /// The name of parameter `i` (markers not counted).
    // Inlined, with `index`: in a trampoline both are called with constants
    // (a static signature, a literal name), and the optimiser folds them to
    // the answer instead of comparing strings on every call.
    #[inline(always)]
    pub const fn param(&self, i: usize) -> &'static str {
        let (mut k, mut n) = (0, 0);
        while k < self.params.len() {
            if let Item::Param(name, _) = self.params[k] {
                if n == i {
                    return name;
                }
                n += 1;
            }
            k += 1;
        }
        ""
    }

    /// The position of the parameter called `name`.
    #[inline(always)]
    pub const fn index(&self, name: &str) -> usize {
        let mut i = 0;
        while i < self.len {
            if str_eq(self.param(i), name) {
                return i;
            }
            i += 1;
        }
        usize::MAX
    }

    fn type_error(&self, py: Python<'_>, msg: String) -> PyErr {
        crate::exceptions::TypeError::new_err(py, &msg)
    }
}

/// `a == b` for strings, in a `const fn`.
#[inline(always)]
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

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
                let items = core::ptr::addr_of!((*tuple).ob_item).cast::<Borrowed<'a, 'py, PyAny>>();
                core::slice::from_raw_parts(items, ffi::PyTuple_GET_SIZE(kwnames) as usize)
            }
        };
        let count = nargs + names.len();
        let values: &'a [Borrowed<'a, 'py, PyAny>] = if count == 0 {
            &[] // `args` may then be NULL, which no slice may point at.
        } else {
            // SAFETY: `args` points to nargs + len(kwnames) non-NULL object
            // pointers alive for 'a (caller's contract); same layout as above.
            unsafe { core::slice::from_raw_parts(args.cast::<Borrowed<'a, 'py, PyAny>>(), count) }
        };
        FastcallArgs { values: Cow::Borrowed(values), nargs, names: Cow::Borrowed(names), _keep: Vec::new() }
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
            let (mut pos, mut key, mut value) = (0, core::ptr::null_mut(), core::ptr::null_mut());
            // SAFETY: a live dict (caller's contract); PyDict_Next lends its
            // keys and values, and no Python code runs during this loop.
            while unsafe { ffi::PyDict_Next(kwargs, &mut pos, &mut key, &mut value) } != 0 {
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
        FastcallArgs { values: Cow::Owned(values), nargs, names: Cow::Owned(names), _keep: keep }
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
/// A keyword name is nearly always a compact ASCII `str` (an identifier
/// written in the caller's source), whose characters sit right after the
/// object's header: they are compared there, as `_PyArg_UnpackKeywords`
/// compares without converting. Any other `str` is converted to UTF-8.
fn keyword_is(key: &Bound<'_, PyAny>, name: &str) -> PyResult<bool> {
    if !key.is_instance_of::<PyStr>() {
        return Ok(false);
    }
    // SAFETY: `key` is a live str (checked), so it starts with a
    // PyASCIIObject header; when the header says compact and ASCII (and, on
    // 3.11, ready), `length` one-byte characters follow the header, and the
    // str, immutable, keeps them for as long as `key` is borrowed here.
    let ascii = unsafe {
        let op = key.as_ptr().cast::<ffi::PyASCIIObject>();
        let state = &(*op).state;
        #[cfg(not(Py_3_12))]
        let ready = state.ready() != 0;
        #[cfg(Py_3_12)]
        let ready = true;
        (ready && state.compact() != 0 && state.ascii() != 0)
            .then(|| core::slice::from_raw_parts(op.add(1).cast::<u8>(), (*op).length as usize))
    };
    match ascii {
        Some(chars) => Ok(chars == name.as_bytes()),
        None => Ok(key.downcast::<PyStr>()?.to_str()? == name),
    }
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
    if args.values.len() == nargs && sig.minkw == 0 && sig.minpos <= nargs && nargs <= sig.maxpos {
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
            return Err(sig.type_error(py, format!("{f}() takes no positional arguments")));
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
                format!("{f}() missing required argument '{}' (pos {})", sig.param(i), i + 1),
            ));
        }
    }
    if unused > 0 {
        // Some keyword matched no parameter: one given twice, or unknown.
        for i in sig.posonly..nargs {
            if args.keyword(sig.param(i))?.is_some() {
                return Err(sig.type_error(
                    py,
                    format!("argument for {f}() given by name ('{}') and position ({})", sig.param(i), i + 1),
                ));
            }
        }
        for key in args.names.iter() {
            if !key.is_instance_of::<PyStr>() {
                return Err(sig.type_error(py, "keywords must be strings".to_owned()));
            }
            let name = key.downcast::<PyStr>()?.to_str()?;
            if !(sig.posonly..maxargs).any(|i| sig.param(i) == name) {
                return Err(sig.type_error(py, format!("'{name}' is an invalid keyword argument for {f}()")));
            }
        }
        return Err(sig.type_error(py, format!("invalid keyword argument for {f}()")));
    }
    Ok(())
}

/// A parameter type: how an argument becomes the Rust value the function
/// takes (Argument Clinic's converters).
pub trait FromArg<'a, 'py>: Sized {
    /// Converts one argument.
    ///
    /// # Errors
    ///
    /// The converter's exception, as Argument Clinic's raises it.
    fn from_arg(obj: &'a Bound<'py, PyAny>) -> PyResult<Self>;
}

/// `object`: the argument itself, borrowed for the call.
impl<'a, 'py> FromArg<'a, 'py> for &'a Bound<'py, PyAny> {
    fn from_arg(obj: &'a Bound<'py, PyAny>) -> PyResult<Self> {
        Ok(obj)
    }
}

/// `T = None`: `None` becomes `None`, anything else is converted.
impl<'a, 'py, T: FromArg<'a, 'py>> FromArg<'a, 'py> for Option<T> {
    fn from_arg(obj: &'a Bound<'py, PyAny>) -> PyResult<Self> {
        if obj.is_none() { Ok(None) } else { T::from_arg(obj).map(Some) }
    }
}

macro_rules! from_arg_by_extract {
    ($($t:ty),*) => {$(
        impl<'a, 'py> FromArg<'a, 'py> for $t {
            fn from_arg(obj: &'a Bound<'py, PyAny>) -> PyResult<Self> {
                obj.extract()
            }
        }
    )*};
}
from_arg_by_extract!(i64, i32, isize, f64, bool, String);

/// `str`: the argument as `&str`, borrowed from the object (the `str`
/// converter; `TypeError` for another type, in Clinic's wording needs the
/// function's name, so this one says `expected str, got int`).
impl<'a, 'py> FromArg<'a, 'py> for &'a str {
    fn from_arg(obj: &'a Bound<'py, PyAny>) -> PyResult<Self> {
        obj.downcast::<PyStr>()?.to_str_no_nul()
    }
}

/// `s` cut to at most `max` bytes, at a character boundary: what C's
/// `%.200s` does to a name in a message (C may cut inside a character; a
/// Rust `str` cannot, so a non-ASCII name may come out a little shorter).
fn truncated(s: &str, max: usize) -> &str {
    let mut end = s.len().min(max);
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The `TypeError` of an argument of the wrong type, as Argument Clinic's
/// generated code raises it (`_PyArg_BadArgument`):
/// `heappush() argument 1 must be list, not int`.
///
/// `displayname` is `argument` for a `METH_O` function, `argument 1`, ...
/// for a positional-only one, and `argument 'name'` for one that can be
/// passed by keyword.
pub fn bad_argument(fname: &str, displayname: &str, expected: &str, arg: &Bound<'_, PyAny>) -> PyErr {
    let got = if arg.is_none() { "None".to_owned() } else { arg.tp_name() };
    crate::exceptions::TypeError::new_err(
        arg.py(),
        &format!(
            "{}() {} must be {}, not {}",
            truncated(fname, 200),
            truncated(displayname, 200),
            truncated(expected, 50),
            truncated(&got, 50)
        ),
    )
}

/// The argument as a `T` (subclasses included), or [`bad_argument`]'s
/// `TypeError`: Clinic's `object(subclass_of='&PyList_Type')` converter,
/// for instance.
///
/// # Errors
///
/// `TypeError: heappush() argument 1 must be list, not int`.
pub fn downcast_arg<'a, 'py, T: crate::types::PyTypeCheck>(
    arg: &'a Bound<'py, PyAny>,
    fname: &str,
    displayname: &str,
) -> PyResult<&'a Bound<'py, T>> {
    if arg.is_instance_of::<T>() {
        arg.downcast::<T>()
    } else {
        Err(bad_argument(fname, displayname, T::NAME, arg))
    }
}

/// The value of Clinic's `Py_ssize_t(accept={int, NoneType})` converter
/// when the argument is not `None`: use it as `Option<IndexOrNone>`, whose
/// `None` is Python's `None` (or the parameter left out).
///
/// Any object with `__index__` is accepted, as `_Py_convert_optional_to_ssize_t`
/// does, and read with `PyNumber_AsSsize_t(obj, PyExc_OverflowError)`: too
/// large a value is `OverflowError: cannot fit 'int' into an index-sized
/// integer`, not the `Python int too large to convert to C ssize_t` of the
/// plain `Py_ssize_t` converter ([`isize`]). Another type is a `TypeError`
/// in that function's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexOrNone(pub isize);

impl<'a, 'py> FromArg<'a, 'py> for IndexOrNone {
    fn from_arg(obj: &'a Bound<'py, PyAny>) -> PyResult<Self> {
        let py = obj.py();
        // SAFETY: attached; the object and its type are live; this is
        // `_PyIndex_Check`, which reads the type's `nb_index` slot.
        let has_index = unsafe {
            let numbers = (*ffi::Py_TYPE(obj.as_ptr())).tp_as_number;
            !numbers.is_null() && (*numbers).nb_index.is_some()
        };
        if !has_index {
            let msg = format!("argument should be integer or None, not '{}'", truncated(&obj.tp_name(), 200));
            return Err(crate::exceptions::TypeError::new_err(py, &msg));
        }
        // SAFETY: attached; PyExc_OverflowError is set at start-up and only
        // read here; the call returns -1 with an exception on failure.
        let value = unsafe { ffi::PyNumber_AsSsize_t(obj.as_ptr(), ffi::PyExc_OverflowError) };
        if value == -1 && PyErr::occurred(py) {
            return Err(PyErr::already_set(py));
        }
        Ok(IndexOrNone(value))
    }
}

/// The `Py_buffer` converter: the argument's bytes, through the buffer
/// protocol (`PyObject_GetBuffer(obj, &view, PyBUF_SIMPLE)`), released
/// when the value is dropped, after the call.
impl<'a, 'py> FromArg<'a, 'py> for crate::types::PyBuffer<'py> {
    fn from_arg(obj: &'a Bound<'py, PyAny>) -> PyResult<Self> {
        crate::types::PyBuffer::get(obj)
    }
}

/// binascii's `ascii_buffer` converter: a bytes-like object, or a `str`
/// of ASCII characters only (its bytes, borrowed from the object).
pub enum AsciiBuffer<'a, 'py> {
    /// An ASCII `str`, whose UTF-8 form is its ASCII bytes.
    Str(&'a str),
    /// A bytes-like object.
    Buffer(crate::types::PyBuffer<'py>),
}

impl AsciiBuffer<'_, '_> {
    /// Lends the bytes to `f`, without copying, as [`PyBuffer::with_bytes`](crate::types::PyBuffer::with_bytes)
    /// does (and so with the same rule: `f` cannot run Python code).
    pub fn with_bytes<R: Send>(&self, f: impl Send + FnOnce(&[u8]) -> R) -> R {
        match self {
            AsciiBuffer::Str(s) => f(s.as_bytes()),
            AsciiBuffer::Buffer(buffer) => buffer.with_bytes(f),
        }
    }

    /// The length in bytes.
    pub fn len(&self) -> usize {
        match self {
            AsciiBuffer::Str(s) => s.len(),
            AsciiBuffer::Buffer(buffer) => buffer.len(),
        }
    }

    /// Whether there are no bytes.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl<'a, 'py> FromArg<'a, 'py> for AsciiBuffer<'a, 'py> {
    fn from_arg(obj: &'a Bound<'py, PyAny>) -> PyResult<Self> {
        let py = obj.py();
        let not_ascii = || {
            crate::exceptions::ValueError::new_err(py, "string argument should contain only ASCII characters")
        };
        if obj.is_instance_of::<PyStr>() {
            // A str with lone surrogates cannot become UTF-8; it is not
            // ASCII either, and that is the error C reports.
            return match obj.downcast::<PyStr>()?.to_str() {
                Ok(s) if s.is_ascii() => Ok(AsciiBuffer::Str(s)),
                Ok(_) => Err(not_ascii()),
                Err(e) => {
                    drop(e.take(py));
                    Err(not_ascii())
                }
            };
        }
        match crate::types::PyBuffer::get(obj) {
            Ok(buffer) => Ok(AsciiBuffer::Buffer(buffer)),
            Err(e) => {
                drop(e.take(py));
                let msg = format!(
                    "argument should be bytes, buffer or ASCII string, not '{}'",
                    truncated(&obj.tp_name(), 100)
                );
                Err(crate::exceptions::TypeError::new_err(py, &msg))
            }
        }
    }
}

/// Checks the arguments of a function whose parameters are all
/// positional-only and required, as Argument Clinic's code for a
/// `METH_FASTCALL` function does (`_PyArg_CheckPositional`), and CPython
/// for a function that takes no keywords. Used by
/// [`meth_fastcall_positional!`](crate::meth_fastcall_positional!).
///
/// # Errors
///
/// `TypeError: _heapq.heappush() takes no keyword arguments`, or
/// `TypeError: heappush expected 2 arguments, got 1`.
#[inline]
pub fn check_positional(
    module: &Bound<'_, crate::types::PyModule>,
    fname: &str,
    nargs: usize,
    nkw: usize,
    expected: usize,
) -> PyResult<()> {
    if nkw == 0 && nargs == expected {
        return Ok(());
    }
    positional_error(module, fname, nargs, nkw, expected)
}

/// The error [`check_positional`] raises.
#[cold]
fn positional_error(
    module: &Bound<'_, crate::types::PyModule>,
    fname: &str,
    nargs: usize,
    nkw: usize,
    expected: usize,
) -> PyResult<()> {
    let py = module.py();
    if nkw > 0 {
        // CPython names the function by its module and qualified name
        // (`_PyObject_FunctionStr`), as for any C function without keywords.
        let qualified = match module.name() {
            Ok(m) if m != "builtins" => format!("{m}.{fname}()"),
            Ok(_) => format!("{fname}()"),
            Err(e) => return Err(e),
        };
        let msg = format!("{qualified} takes no keyword arguments");
        return Err(crate::exceptions::TypeError::new_err(py, &msg));
    }
    if nargs != expected {
        let plural = if expected == 1 { "" } else { "s" };
        let msg = format!("{} expected {expected} argument{plural}, got {nargs}", truncated(fname, 200));
        return Err(crate::exceptions::TypeError::new_err(py, &msg));
    }
    Ok(())
}

/// A module function whose parameters are all positional-only and
/// required: `fn(&Bound<PyModule>, one argument per parameter) ->
/// PyResult<R>`, each argument of a type that implements [`FromArg`].
///
/// Argument Clinic writes such a function as `METH_FASTCALL` (no
/// keywords) and checks the count with `_PyArg_CheckPositional`, whose
/// messages differ from [`meth_fastcall!`](crate::meth_fastcall!)'s
/// (`heappush expected 2 arguments, got 1`); this macro reproduces them.
///
/// ```text
/// tutorial::meth_fastcall_positional!(heappush(heap, item), "Push item onto heap.")
/// ```
#[macro_export]
macro_rules! meth_fastcall_positional {
    ($f:ident ( $($name:ident),* $(,)? ), $doc:literal) => {{
        const N: usize = <[&str]>::len(&[$(stringify!($name)),*]);
        unsafe extern "C" fn trampoline(
            module: *mut $crate::ffi::PyObject,
            args: *const *mut $crate::ffi::PyObject,
            nargs: $crate::ffi::Py_ssize_t,
            kwnames: *mut $crate::ffi::PyObject,
        ) -> *mut $crate::ffi::PyObject {
            // SAFETY: CPython calls a METH_FASTCALL | METH_KEYWORDS function
            // attached, with the module (m_self), `nargs` positional values
            // at `args` and a tuple of keyword names or NULL, all alive for
            // the call.
            unsafe {
                $crate::trampoline::run(|py| {
                    let module = $crate::Borrowed::<$crate::types::PyModule>::from_ptr_unchecked(py, module);
                    let nkw = if kwnames.is_null() { 0 } else { $crate::ffi::PyTuple_GET_SIZE(kwnames) as usize };
                    $crate::args::check_positional(&module, stringify!($f), nargs as usize, nkw, N)?;
                    // The count is checked: there are exactly N values.
                    let argv: [$crate::Borrowed<'_, '_, $crate::types::PyAny>; N] =
                        core::array::from_fn(|i| $crate::Borrowed::from_ptr_unchecked(py, *args.add(i)));
                    let mut next = 0;
                    let result = $f(&module, $({
                        let _ = stringify!($name);
                        let value = &argv[next];
                        next += 1;
                        $crate::args::FromArg::from_arg(&**value)?
                    }),*)?;
                    let _ = next;
                    Ok($crate::IntoPyObject::into_pyobject(result, py)?.into_ptr())
                })
            }
        }
        $crate::module::MethodDef::meth_fastcall_keywords(
            $crate::__cstr!(stringify!($f)),
            trampoline,
            $crate::__cstr!(concat!(stringify!($f), "($module", $(", ", stringify!($name),)* ", /)\n--\n\n", $doc)),
        )
    }};
}
