//! The macros that write a module's C side. See the book's "Your first
//! module" chapter for what each expands to.

/// Defines an extension module: its `PyInit_<name>` function, its method
/// table, its `Py_mod_exec` slot and its `PyModuleDef`, with state of type
/// `state` created by the `exec` function.
///
/// ```text
/// tutorial::module! {
///     name: spam,                 // the import name: defines mod spam, whose
///                                 // init() is exported as PyInit_spam
///     doc: "Docstring.",
///     state: SpamState,           // a ModuleState, or ()
///     exec: exec,                 // fn(&Bound<PyModule>) -> PyResult<SpamState>
///     methods: [tutorial::meth_o!(system, "(command, /)", "Doc.")],
/// }
/// ```
#[macro_export]
macro_rules! module {
    (
        name: $name:ident,
        doc: $doc:literal,
        state: $state:ty,
        exec: $exec:path,
        methods: [$($method:expr),* $(,)?] $(,)?
    ) => {
        /// The module's C entry point; see [`module!`](tutorial::module!).
        #[allow(non_snake_case)]
        pub mod $name {
            #[allow(unused_imports)]
            use super::*;
            use $crate::ffi;
            use $crate::module::{MethodDef, Static};

            const N: usize = <[&str]>::len(&[$(stringify!($method)),*]);
            static METHODS: Static<[MethodDef; N + 1]> = Static::new([$($method,)* MethodDef::SENTINEL]);

            unsafe extern "C" fn __exec(module: *mut ffi::PyObject) -> core::ffi::c_int {
                // SAFETY: CPython calls Py_mod_exec attached, with a module
                // made from DEF below, whose state is a StateCell<$state>.
                unsafe { $crate::module::exec::<$state>(module, $exec) }
            }
            unsafe extern "C" fn __traverse(
                module: *mut ffi::PyObject,
                visit: ffi::visitproc,
                arg: *mut core::ffi::c_void,
            ) -> core::ffi::c_int {
                // SAFETY: the collector calls m_traverse attached, for a module made from DEF.
                unsafe { $crate::module::traverse::<$state>(module, visit, arg) }
            }
            unsafe extern "C" fn __clear(module: *mut ffi::PyObject) -> core::ffi::c_int {
                // SAFETY: CPython calls m_clear attached, for a module made from DEF.
                unsafe { $crate::module::clear::<$state>(module) }
            }
            unsafe extern "C" fn __free(module: *mut core::ffi::c_void) {
                // SAFETY: CPython calls m_free attached, for a module made from DEF.
                unsafe { $crate::module::clear::<$state>(module.cast()) };
            }

            static SLOTS: Static<[ffi::PyModuleDef_Slot; 2]> = Static::new([
                $crate::module::slot(ffi::Py_mod_exec, __exec as *mut core::ffi::c_void),
                $crate::module::SLOT_END,
            ]);
            static DEF: Static<ffi::PyModuleDef> = Static::new($crate::module::module_def::<$state>(
                $crate::__cstr!(stringify!($name)),
                $crate::__cstr!($doc),
                METHODS.get().cast(),
                SLOTS.get().cast(),
                Some(__traverse),
                Some(__clear),
                Some(__free),
            ));

            /// `PyInit_<name>`: called by the import system, returns the
            /// module definition (multi-phase initialisation, PEP 489).
            #[unsafe(export_name = concat!("PyInit_", stringify!($name)))]
            pub extern "C" fn init() -> *mut ffi::PyObject {
                // SAFETY: DEF is static; CPython calls PyInit_* attached.
                unsafe { $crate::module::init(DEF.get()) }
            }
        }
    };
}

/// A `METH_O` module function: `fn(&Bound<PyModule>, &Bound<PyAny>) -> PyResult<R>`.
///
/// The docstring starts with the signature line that `inspect.signature`
/// reads (`__text_signature__`): `name($module, arg, /)\n--\n\n`.
#[macro_export]
macro_rules! meth_o {
    ($f:ident, $sig:literal, $doc:literal) => {{
        unsafe extern "C" fn trampoline(
            module: *mut $crate::ffi::PyObject,
            arg: *mut $crate::ffi::PyObject,
        ) -> *mut $crate::ffi::PyObject {
            // SAFETY: CPython calls a METH_O function attached, with the
            // module (m_self) and one argument, both alive for the call.
            unsafe {
                $crate::trampoline::run(|py| {
                    let module = $crate::Borrowed::<$crate::types::PyModule>::from_ptr_unchecked(py, module);
                    let arg = $crate::Borrowed::<$crate::types::PyAny>::from_ptr_unchecked(py, arg);
                    let result = $f(&module, &arg)?;
                    Ok($crate::IntoPyObject::into_pyobject(result, py)?.into_ptr())
                })
            }
        }
        $crate::module::MethodDef::meth_o(
            $crate::__cstr!(stringify!($f)),
            Some(trampoline),
            $crate::__cstr!(concat!(stringify!($f), $sig, "\n--\n\n", $doc)),
        )
    }};
}

/// A `METH_NOARGS` module function: `fn(&Bound<PyModule>) -> PyResult<R>`.
#[macro_export]
macro_rules! meth_noargs {
    ($f:ident, $doc:literal) => {{
        unsafe extern "C" fn trampoline(
            module: *mut $crate::ffi::PyObject,
            _unused: *mut $crate::ffi::PyObject,
        ) -> *mut $crate::ffi::PyObject {
            // SAFETY: CPython calls a METH_NOARGS function attached, with
            // the module (m_self) alive for the call.
            unsafe {
                $crate::trampoline::run(|py| {
                    let module = $crate::Borrowed::<$crate::types::PyModule>::from_ptr_unchecked(py, module);
                    let result = $f(&module)?;
                    Ok($crate::IntoPyObject::into_pyobject(result, py)?.into_ptr())
                })
            }
        }
        $crate::module::MethodDef::meth_noargs(
            $crate::__cstr!(stringify!($f)),
            Some(trampoline),
            $crate::__cstr!(concat!(stringify!($f), "($module, /)\n--\n\n", $doc)),
        )
    }};
}

/// A `&'static CStr` from a string literal expression, checked at compile time.
#[doc(hidden)]
#[macro_export]
macro_rules! __cstr {
    ($s:expr) => {
        match core::ffi::CStr::from_bytes_with_nul(concat!($s, "\0").as_bytes()) {
            Ok(s) => s,
            Err(_) => panic!("a name or docstring cannot hold a NUL character"),
        }
    };
}
