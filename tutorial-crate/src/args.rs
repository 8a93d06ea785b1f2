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
    pub fn param(&self, i: usize) -> &'static str {
        let mut n = 0;
        for item in self.params {
            if let Item::Param(name, _) = item {
                if n == i {
                    return name;
                }
                n += 1;
            }
        }
        ""
    }

    /// The position of the parameter called `name`.
    pub fn index(&self, name: &str) -> usize {
        (0..self.len).find(|&i| self.param(i) == name).unwrap_or(usize::MAX)
    }

    fn type_error(&self, py: Python<'_>, msg: String) -> PyErr {
        crate::exceptions::TypeError::new_err(py, &msg)
    }
}

/// The arguments of a `METH_FASTCALL | METH_KEYWORDS` call, as CPython
/// passes them: `nargs` positional values, then one value per name in
/// `kwnames`.
pub struct FastcallArgs<'a, 'py> {
    values: Vec<Borrowed<'a, 'py, PyAny>>,
    nargs: usize,
    kwnames: Option<Borrowed<'a, 'py, PyTuple>>,
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
        py: Python<'py>,
        args: *const *mut ffi::PyObject,
        nargs: ffi::Py_ssize_t,
        kwnames: *mut ffi::PyObject,
    ) -> Self {
        let nargs = nargs as usize;
        let kwnames = (!kwnames.is_null())
            // SAFETY: a tuple alive for the call (caller's contract).
            .then(|| unsafe { Borrowed::<PyTuple>::from_ptr_unchecked(py, kwnames) });
        let nkw = kwnames.map_or(0, |k| k.len().unwrap_or(0));
        let values = (0..nargs + nkw)
            // SAFETY: `args` holds nargs + len(kwnames) live values.
            .map(|i| unsafe { Borrowed::from_ptr_unchecked(py, *args.add(i)) })
            .collect();
        FastcallArgs { values, nargs, kwnames }
    }

    /// The value passed by keyword `name`, if any.
    fn keyword(&self, name: &str) -> PyResult<Option<Borrowed<'a, 'py, PyAny>>> {
        let Some(kwnames) = self.kwnames else { return Ok(None) };
        for (j, value) in self.values[self.nargs..].iter().enumerate() {
            let key = kwnames.get(j).expect("one name per keyword value");
            if key.is_instance_of::<PyStr>() && key.downcast::<PyStr>()?.to_str()? == name {
                return Ok(Some(*value));
            }
        }
        Ok(None)
    }
}

/// Puts each argument in its parameter's slot, or raises the `TypeError`
/// CPython raises for the same call: `_PyArg_UnpackKeywords`.
///
/// # Errors
///
/// `TypeError` for too many or too few arguments, a missing required one, one
/// given twice, or an unknown keyword, worded as CPython words it.
pub fn unpack<'a, 'py>(
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
    for (slot, value) in slots.iter_mut().zip(&args.values[..nargs.min(maxargs)]) {
        *slot = Some(*value);
    }
    if nkw == 0 && sig.minkw == 0 && sig.minpos <= nargs && nargs <= sig.maxpos {
        return Ok(()); // The fast path: positional arguments only, and enough.
    }
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
        let kwnames = args.kwnames.expect("keywords were given");
        for j in 0..nkw {
            let key = kwnames.get(j).expect("one name per keyword value");
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
from_arg_by_extract!(i64, isize, f64, bool, String);

/// `str`: the argument as `&str`, borrowed from the object (the `str`
/// converter; `TypeError` for another type, in Clinic's wording needs the
/// function's name, so this one says `expected str, got int`).
impl<'a, 'py> FromArg<'a, 'py> for &'a str {
    fn from_arg(obj: &'a Bound<'py, PyAny>) -> PyResult<Self> {
        obj.downcast::<PyStr>()?.to_str_no_nul()
    }
}
