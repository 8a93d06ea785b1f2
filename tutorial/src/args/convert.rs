//! Converters: how one argument becomes the Rust value a function takes,
//! with Argument Clinic's exceptions and messages.

use crate::err::{PyErr, PyResult};
use crate::ffi;
use crate::instance::Bound;
use crate::types::{PyAny, PyStr};

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
from_arg_by_extract!(i64, i32, isize, usize, f64, bool, String);

/// Argument Clinic's `unsigned_int(bitwise=True)`: any int (or object with
/// `__index__`), reduced modulo 2**32 as C's `PyLong_AsUnsignedLongMask`
/// does, so `-1` is `0xffffffff` and nothing overflows (zlib's `crc32` and
/// `adler32` take their start value so).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnsignedIntMask(pub u32);

impl<'a, 'py> FromArg<'a, 'py> for UnsignedIntMask {
    #[cfg(not(Py_3_15))]
    fn from_arg(obj: &'a Bound<'py, PyAny>) -> PyResult<Self> {
        // SAFETY: attached; `obj` is live. The result is the value masked
        // to `unsigned long`, or `(unsigned long)-1` with an exception set
        // (a type without `__index__`).
        let v = unsafe { ffi::PyLong_AsUnsignedLongMask(obj.as_ptr()) };
        crate::err::check_number(obj.py(), v, core::ffi::c_ulong::MAX)
            .map(|v| UnsignedIntMask(v as u32))
    }

    /// 3.15's Clinic converts with `PyLong_AsNativeBytes` into the four
    /// bytes, as two's complement or unsigned, and warns (a
    /// `DeprecationWarning`, `integer value out of range`) when the value
    /// needs more: anything outside `-2**31 ..= 2**32 - 1`. The low 32 bits
    /// are used either way.
    #[cfg(Py_3_15)]
    fn from_arg(obj: &'a Bound<'py, PyAny>) -> PyResult<Self> {
        let py = obj.py();
        let mut v: u32 = 0;
        let flags = ffi::Py_ASNATIVEBYTES_NATIVE_ENDIAN
            | ffi::Py_ASNATIVEBYTES_ALLOW_INDEX
            | ffi::Py_ASNATIVEBYTES_UNSIGNED_BUFFER;
        // SAFETY: attached; `obj` is live; `v` is 4 writable bytes. The
        // result is the number of bytes the value needs, or -1 with an
        // exception set.
        let needed = unsafe {
            ffi::PyLong_AsNativeBytes(
                obj.as_ptr(),
                (&raw mut v).cast(),
                4,
                flags as _,
            )
        };
        if needed < 0 {
            return Err(PyErr::already_set(py));
        }
        if needed > 4 {
            let msg = "integer value out of range";
            crate::exceptions::DeprecationWarning::warn(py, msg, 1)?;
        }
        Ok(UnsignedIntMask(v))
    }
}

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
pub(crate) fn truncated(s: &str, max: usize) -> &str {
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
pub fn bad_argument(
    fname: &str,
    displayname: &str,
    expected: &str,
    arg: &Bound<'_, PyAny>,
) -> PyErr {
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
        // SAFETY: attached; the object and its type are live; the check
        // only reads the type's `nb_index` slot.
        let has_index = unsafe { ffi::_PyIndex_Check(obj.as_ptr()) };
        if !has_index {
            let msg = format!(
                "argument should be integer or None, not '{}'",
                truncated(&obj.tp_name(), 200)
            );
            return Err(crate::exceptions::TypeError::new_err(py, &msg));
        }
        // SAFETY: attached; PyExc_OverflowError is set at start-up and only
        // read here; the call returns -1 with an exception on failure.
        let value = unsafe {
            ffi::PyNumber_AsSsize_t(obj.as_ptr(), ffi::PyExc_OverflowError)
        };
        crate::err::check_number(py, value, -1).map(IndexOrNone)
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
/// of ASCII characters only (its characters, borrowed from the object).
pub enum AsciiBuffer<'a, 'py> {
    /// The characters of an ASCII `str`, one byte each, where the object
    /// keeps them ([`Bound::ascii_bytes`](crate::Bound::ascii_bytes)).
    Str(&'a [u8]),
    /// A bytes-like object.
    Buffer(crate::types::PyBuffer<'py>),
}

impl AsciiBuffer<'_, '_> {
    /// Lends the bytes to `f`, without copying, as [`PyBuffer::with_bytes`](crate::types::PyBuffer::with_bytes)
    /// does (and so with the same rule: `f` cannot run Python code).
    pub fn with_bytes<R: Send>(&self, f: impl Send + FnOnce(&[u8]) -> R) -> R {
        match self {
            AsciiBuffer::Str(s) => f(s),
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
            crate::exceptions::ValueError::new_err(
                py,
                "string argument should contain only ASCII characters",
            )
        };
        if obj.is_instance_of::<PyStr>() {
            // Only the string's ASCII flag is read, as in C: a rejected
            // string, however long, is not converted to anything first.
            return match obj.downcast::<PyStr>()?.ascii_bytes()? {
                Some(chars) => Ok(AsciiBuffer::Str(chars)),
                None => Err(not_ascii()),
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
