//! Hand-written parts of `Include/structmember.h`, the header of
//! `PyMemberDef`'s type codes and flags. `Python.h` does not include it,
//! so bindgen does not see them. From 3.12 `Include/descrobject.h` has the
//! same values as `Py_T_PYSSIZET` and `Py_READONLY`, and `structmember.h`
//! keeps the old names as aliases; the safe layer uses them before 3.12,
//! for the `__weaklistoffset__` member.

use core::ffi::c_int;

/// `T_PYSSIZET`: a member of C type `Py_ssize_t`.
pub const T_PYSSIZET: c_int = 19;

/// `READONLY`: a member Python code cannot set.
pub const READONLY: c_int = 1;
