//! Hand-written parts of `Include/moduleobject.h`: `PyModuleDef_HEAD_INIT`
//! and the `Py_mod_*` slot ids of multi-phase initialisation (PEP 489).

use crate::bindings::{PyModuleDef_Base, PyObject};
use core::ffi::c_int;

/// `PyModuleDef_HEAD_INIT`: the header every `PyModuleDef` starts with.
pub const PyModuleDef_HEAD_INIT: PyModuleDef_Base = PyModuleDef_Base {
    ob_base: crate::object::PyObject_HEAD_INIT(core::ptr::null_mut()),
    m_init: None,
    m_index: 0,
    m_copy: core::ptr::null_mut::<PyObject>(),
};

// The slot ids. 3.15 numbered every slot anew for PEP 820's `PySlot`
// (`Include/slots_generated.h`: `_Py_SLOT_COMPAT_VALUE(1, 84)`); a
// `PyModuleDef_Slot` array may use either number there, and these follow the
// header: the new one from 3.15, the old one before.

/// `Py_mod_create`: a slot whose value is a `create_module` function.
pub const Py_mod_create: c_int = if cfg!(Py_3_15) { 84 } else { 1 };
/// `Py_mod_exec`: a slot whose value is an exec function, run on the new module.
pub const Py_mod_exec: c_int = if cfg!(Py_3_15) { 85 } else { 2 };
/// `Py_mod_multiple_interpreters` (3.12+): how the module supports subinterpreters.
#[cfg(Py_3_12)]
pub const Py_mod_multiple_interpreters: c_int = if cfg!(Py_3_15) { 86 } else { 3 };
/// `Py_mod_gil` (3.13+): whether the module needs the GIL on a free-threaded build.
#[cfg(Py_3_13)]
pub const Py_mod_gil: c_int = if cfg!(Py_3_15) { 87 } else { 4 };

/// `PyModule_Check(op)`: whether `op` is a module (or a subclass instance).
///
/// # Safety
///
/// `op` must point to a live object; the thread must be attached.
#[inline]
pub unsafe fn PyModule_Check(op: *mut PyObject) -> bool {
    // SAFETY: the caller's contract; PyModule_Type is a static type.
    unsafe {
        crate::object::PyObject_TypeCheck(
            op,
            &raw mut crate::bindings::PyModule_Type,
        )
    }
}

// PEP 793's slots (3.15+, `Include/slots_generated.h`): what a
// `PyModExport_<name>` function's `PySlot` array may hold besides
// `Py_mod_exec`, `Py_mod_gil` and `Py_mod_multiple_interpreters`. They
// replace the fields of `PyModuleDef`.

/// `Py_mod_name` (3.15+): the module's name, a UTF-8 C string.
#[cfg(Py_3_15)]
pub const Py_mod_name: u16 = 100;
/// `Py_mod_doc` (3.15+): the docstring, a UTF-8 C string.
#[cfg(Py_3_15)]
pub const Py_mod_doc: u16 = 101;
/// `Py_mod_state_size` (3.15+): `PyModuleDef.m_size`.
#[cfg(Py_3_15)]
pub const Py_mod_state_size: u16 = 102;
/// `Py_mod_methods` (3.15+): `PyModuleDef.m_methods`.
#[cfg(Py_3_15)]
pub const Py_mod_methods: u16 = 103;
/// `Py_mod_state_traverse` (3.15+): `PyModuleDef.m_traverse`.
#[cfg(Py_3_15)]
pub const Py_mod_state_traverse: u16 = 104;
/// `Py_mod_state_clear` (3.15+): `PyModuleDef.m_clear`.
#[cfg(Py_3_15)]
pub const Py_mod_state_clear: u16 = 105;
/// `Py_mod_state_free` (3.15+): `PyModuleDef.m_free`.
#[cfg(Py_3_15)]
pub const Py_mod_state_free: u16 = 106;
/// `Py_mod_abi` (3.15+): the `PyABIInfo` the module was built for;
/// mandatory in a `PyModExport_*` array.
#[cfg(Py_3_15)]
pub const Py_mod_abi: u16 = 109;
/// `Py_mod_token` (3.15+): the token `PyModule_GetToken` returns (by
/// default, the slot array's address).
#[cfg(Py_3_15)]
pub const Py_mod_token: u16 = 110;

/// `Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED` (3.12+): the module may be
/// imported by the main interpreter only.
#[cfg(Py_3_12)]
pub const Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED: *mut core::ffi::c_void =
    core::ptr::null_mut();
/// `Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED` (3.12+): the module may be
/// imported by subinterpreters that share the main interpreter's GIL.
#[cfg(Py_3_12)]
pub const Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED: *mut core::ffi::c_void =
    core::ptr::without_provenance_mut(1);
/// `Py_MOD_PER_INTERPRETER_GIL_SUPPORTED` (3.12+): the module may be imported
/// by subinterpreters with a GIL of their own too.
#[cfg(Py_3_12)]
pub const Py_MOD_PER_INTERPRETER_GIL_SUPPORTED: *mut core::ffi::c_void =
    core::ptr::without_provenance_mut(2);

/// `Py_MOD_GIL_USED` (3.13+): the module needs the GIL.
#[cfg(Py_3_13)]
pub const Py_MOD_GIL_USED: *mut core::ffi::c_void = core::ptr::null_mut();
/// `Py_MOD_GIL_NOT_USED` (3.13+): the module is safe without the GIL.
#[cfg(Py_3_13)]
pub const Py_MOD_GIL_NOT_USED: *mut core::ffi::c_void =
    core::ptr::without_provenance_mut(1);
