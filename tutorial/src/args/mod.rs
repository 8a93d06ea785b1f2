//! Argument parsing for `METH_FASTCALL | METH_KEYWORDS` functions: the
//! Rust counterpart of Argument Clinic's generated parsers.
//!
//! Argument Clinic turns a signature written in a comment into C code that
//! calls `_PyArg_UnpackKeywords` and then one converter per parameter. Here
//! the [`meth_fastcall!`](crate::meth_fastcall!) macro turns a signature
//! written in the macro call into a [`Signature`], calls [`unpack`] (this
//! module's port of `_PyArg_UnpackKeywords`, with the same `TypeError`
//! messages), and converts each argument with [`FromArg`].
//!
//! The pieces, by concern: [`Signature`] (what a signature says),
//! [`FastcallArgs`] and [`unpack`] (the call's arguments, matched to the
//! parameters), [`FromArg`] and the converters, and [`check_positional`]
//! (for all-positional functions).

mod convert;
mod fastcall;
mod positional;
mod signature;
#[cfg(Py_3_13)]
mod suggestions;

pub(crate) use convert::truncated;
pub use convert::{
    AsciiBuffer, FromArg, IndexOrNone, UnsignedIntMask, bad_argument, downcast_arg,
};
pub use fastcall::{FastcallArgs, OwnedArgs, Slots, missing_required, unpack};
pub use positional::{check_positional, positional_slice};
pub use signature::{Item, Signature};
