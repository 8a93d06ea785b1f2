//! Hand-written parts of `Include/modsupport.h`: the default `PyABIInfo`
//! (3.15+, PEP 793), which a `PyModExport_<name>` function's slot array
//! must carry in its `Py_mod_abi` slot. The module exists on 3.15 and later.

use crate::bindings::{PyABIInfo, PyABIInfo_DEFAULT_FLAGS};

/// `PyABIInfo_DEFAULT_ABI_VERSION` outside the limited API: `PY_VERSION_HEX`
/// of the headers, which is `sys.hexversion` of the interpreter they belong
/// to (the one the bindings were generated for).
pub const PyABIInfo_DEFAULT_ABI_VERSION: u32 = crate::build_info::HEXVERSION;

/// `_PyABIInfo_DEFAULT`, what `PyABIInfo_VAR(NAME)` initialises `NAME` with:
/// version 1.0 of the structure, the default flags (`PyABIInfo_GIL`, or
/// `PyABIInfo_FREETHREADED` on a free-threaded build) and the headers'
/// version as both the build and the ABI version.
pub const PyABIInfo_DEFAULT: PyABIInfo = PyABIInfo {
    abiinfo_major_version: 1,
    abiinfo_minor_version: 0,
    flags: PyABIInfo_DEFAULT_FLAGS as u16,
    build_version: crate::build_info::HEXVERSION,
    abi_version: PyABIInfo_DEFAULT_ABI_VERSION,
};
