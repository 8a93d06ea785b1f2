//! Hand-written parts of `Include/methodobject.h`: the `METH_*` flags.
//!
//! bindgen translates these `#define`s as `u32`; `PyMethodDef.ml_flags` is a
//! C `int`, so they are written here with that type. The oracle tests check
//! each value against the C macro.

use core::ffi::c_int;

/// `METH_VARARGS`: `f(self, args)` with a tuple of arguments.
pub const METH_VARARGS: c_int = 0x0001;
/// `METH_KEYWORDS`: with `METH_VARARGS`, also a dict of keyword arguments.
pub const METH_KEYWORDS: c_int = 0x0002;
/// `METH_NOARGS`: `f(self, NULL)`.
pub const METH_NOARGS: c_int = 0x0004;
/// `METH_O`: `f(self, arg)` with exactly one positional argument.
pub const METH_O: c_int = 0x0008;
/// `METH_CLASS`: a class method.
pub const METH_CLASS: c_int = 0x0010;
/// `METH_STATIC`: a static method.
pub const METH_STATIC: c_int = 0x0020;
/// `METH_COEXIST`: the method replaces a slot wrapper of the same name.
pub const METH_COEXIST: c_int = 0x0040;
/// `METH_FASTCALL`: `f(self, args, nargs)` with a C array of arguments.
pub const METH_FASTCALL: c_int = 0x0080;
/// `METH_METHOD`: with `METH_FASTCALL | METH_KEYWORDS`, also the defining class.
pub const METH_METHOD: c_int = 0x0200;
