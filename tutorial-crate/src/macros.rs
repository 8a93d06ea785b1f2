//! The macros that write a module's C side. See the book's "Your first
//! module" chapter for what each expands to.

/// Defines an extension module: its `PyInit_<name>` function, its method
/// table, its `Py_mod_exec` slot and its `PyModuleDef`, with state of type
/// `state` created by the `exec` function.
///
/// ```text
/// tutorial::module! {
///     name: spam,                 // the import name: defines mod spam, whose
///                                 // init() is the PyInit_spam function
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

            /// The module's `PyInit_<name>` function: returns the module
            /// definition (multi-phase initialisation, PEP 489). It is not
            /// exported here: the shared library that CPython loads exports
            /// it under its C name with [`export_modules!`](crate::export_modules!),
            /// and an embedding program passes it to `tutorial::embed`.
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

/// A `METH_FASTCALL | METH_KEYWORDS` module function with a Python
/// signature: the Rust counterpart of an Argument Clinic block.
///
/// ```text
/// tutorial::meth_fastcall!(bisect_left(a, x, lo = 0, hi = None, *, key = None), "Doc.")
/// ```
///
/// The signature uses Python's syntax: `/` ends the positional-only
/// parameters, `*` starts the keyword-only ones, and `name = default` gives a
/// default. The Rust function takes the module and one argument per
/// parameter, in order, each of a type that implements
/// [`FromArg`](crate::args::FromArg). A default is used as written both as
/// the Rust value (when the argument is missing) and in the text signature,
/// so it must be a literal that means the same in both languages (`0`,
/// `None`, `"text"`).
#[macro_export]
macro_rules! meth_fastcall {
    ($f:ident ( $($sig:tt)* ), $doc:literal) => {
        $crate::__fastcall!(@munch [meth $f $doc] [] [] [] $($sig)*)
    };
}

/// The muncher behind [`meth_fastcall!`]: reads the signature one piece at
/// a time into (items, text pieces, parameters), then writes the function.
#[doc(hidden)]
#[macro_export]
macro_rules! __fastcall {
    // `/`
    (@munch $head:tt [$($items:expr,)*] [$($text:expr,)*] [$($params:tt)*] / $(, $($rest:tt)*)?) => {
        $crate::__fastcall!(@munch $head [$($items,)* $crate::args::Item::Slash,] [$($text,)* "/",] [$($params)*] $($($rest)*)?)
    };
    // `*`
    (@munch $head:tt [$($items:expr,)*] [$($text:expr,)*] [$($params:tt)*] * $(, $($rest:tt)*)?) => {
        $crate::__fastcall!(@munch $head [$($items,)* $crate::args::Item::Star,] [$($text,)* "*",] [$($params)*] $($($rest)*)?)
    };
    // `name = None`
    (@munch $head:tt [$($items:expr,)*] [$($text:expr,)*] [$($params:tt)*] $name:ident = None $(, $($rest:tt)*)?) => {
        $crate::__fastcall!(@munch $head
            [$($items,)* $crate::args::Item::Param(stringify!($name), true),]
            [$($text,)* concat!(stringify!($name), "=None"),]
            [$($params)* ($name None)]
            $($($rest)*)?)
    };
    // `name = literal` (`-1` is one literal here)
    (@munch $head:tt [$($items:expr,)*] [$($text:expr,)*] [$($params:tt)*] $name:ident = $default:literal $(, $($rest:tt)*)?) => {
        $crate::__fastcall!(@munch $head
            [$($items,)* $crate::args::Item::Param(stringify!($name), true),]
            [$($text,)* concat!(stringify!($name), "=", stringify!($default)),]
            [$($params)* ($name $default)]
            $($($rest)*)?)
    };
    // `name`
    (@munch $head:tt [$($items:expr,)*] [$($text:expr,)*] [$($params:tt)*] $name:ident $(, $($rest:tt)*)?) => {
        $crate::__fastcall!(@munch $head
            [$($items,)* $crate::args::Item::Param(stringify!($name), false),]
            [$($text,)* stringify!($name),]
            [$($params)* ($name)]
            $($($rest)*)?)
    };
    // Done: write the trampoline and the PyMethodDef.
    (@munch [meth $f:ident $doc:literal] [$($items:expr,)*] [$($text:expr,)*] [$(($name:ident $($default:tt)?))*]) => {{
        static SIGNATURE: $crate::args::Signature =
            $crate::args::Signature::new(stringify!($f), &[$($items),*]);
        unsafe extern "C" fn trampoline(
            module: *mut $crate::ffi::PyObject,
            args: *const *mut $crate::ffi::PyObject,
            nargs: $crate::ffi::Py_ssize_t,
            kwnames: *mut $crate::ffi::PyObject,
        ) -> *mut $crate::ffi::PyObject {
            // SAFETY: CPython calls a METH_FASTCALL | METH_KEYWORDS function
            // attached, with the module (m_self) and the arguments as
            // FastcallArgs::new expects them, all alive for the call.
            unsafe {
                $crate::trampoline::run(|py| {
                    let module = $crate::Borrowed::<$crate::types::PyModule>::from_ptr_unchecked(py, module);
                    let args = $crate::args::FastcallArgs::new(py, args, nargs, kwnames);
                    let mut slots = [None; { SIGNATURE.len }];
                    $crate::args::unpack(py, &SIGNATURE, &args, &mut slots)?;
                    let result = $f(&module, $($crate::__fastcall!(@arg slots SIGNATURE $name $($default)?)),*)?;
                    Ok($crate::IntoPyObject::into_pyobject(result, py)?.into_ptr())
                })
            }
        }
        $crate::module::MethodDef::meth_fastcall_keywords(
            $crate::__cstr!(stringify!($f)),
            trampoline,
            $crate::__cstr!(concat!(stringify!($f), "($module", $(", ", $text,)* ")\n--\n\n", $doc)),
        )
    }};
    // Done, for a type's `__init__`: write the `tp_init` function.
    (@munch [init $ty:ty, $f:ident] [$($items:expr,)*] [$($text:expr,)*] [$(($name:ident $($default:tt)?))*]) => {{
        static SIGNATURE: $crate::args::Signature =
            $crate::args::Signature::new("__init__", &[$($items),*]);
        unsafe extern "C" fn tp_init(
            slf: *mut $crate::ffi::PyObject,
            args: *mut $crate::ffi::PyObject,
            kwargs: *mut $crate::ffi::PyObject,
        ) -> core::ffi::c_int {
            // SAFETY: CPython calls tp_init attached, with an instance of the
            // type (or a subtype) made by its tp_new, a tuple and a dict or
            // NULL, all alive and unchanged for the call.
            unsafe {
                $crate::trampoline::run(|py| {
                    let slf = $crate::Borrowed::<$crate::class::Class<$ty>>::from_ptr_unchecked(py, slf);
                    let args = $crate::args::FastcallArgs::from_tuple_dict(py, args, kwargs);
                    let mut slots = [None; { SIGNATURE.len }];
                    $crate::args::unpack(py, &SIGNATURE, &args, &mut slots)?;
                    $f(&slf, $($crate::__fastcall!(@arg slots SIGNATURE $name $($default)?)),*)?;
                    Ok(0)
                })
            }
        }
        $crate::class::InitFn::Some(tp_init)
    }};
    // One argument: a required parameter's value is always there.
    (@arg $slots:ident $sig:ident $name:ident) => {
        match &$slots[$sig.index(stringify!($name))] {
            Some(value) => $crate::args::FromArg::from_arg(&**value)?,
            None => unreachable!("unpack checked that required arguments are there"),
        }
    };
    // An optional parameter's: converted if given, else the default.
    (@arg $slots:ident $sig:ident $name:ident $default:tt) => {
        match &$slots[$sig.index(stringify!($name))] {
            Some(value) => $crate::args::FromArg::from_arg(&**value)?,
            None => $default,
        }
    };
}

/// Defines a new Python type whose instances hold a value of the Rust type
/// `type` (which implements [`PyClass`](crate::class::PyClass)): writes the
/// type's method and getter/setter tables, its `__init__` (if given) and
/// its spec. Create the type in the module's exec function with
/// [`create_type`](crate::class::create_type).
///
/// ```text
/// tutorial::class! {
///     type: Custom,                       // the Rust type
///     name: "custom2.Custom",             // tp_name: "module.Name"
///     doc: "Custom objects",
///     init: init(first = None, last = None, number = 0),   // optional
///     methods: [name: "Return the name, combining the first and last name"],
///     getset: [first: get_first, set_first: "first name", number: get_number: "read-only"],
/// }
/// ```
///
/// A method is `fn(&Bound<Class<T>>) -> PyResult<R>` (`METH_NOARGS`); a
/// getter `fn(&Bound<Class<T>>) -> PyResult<R>`; a setter
/// `fn(&Bound<Class<T>>, Option<&Bound<PyAny>>) -> PyResult<()>`, where
/// `None` means `del obj.attr`; `__init__` takes `&Bound<Class<T>>` and one
/// argument per parameter, like [`meth_fastcall!`](crate::meth_fastcall!).
#[macro_export]
macro_rules! class {
    (
        type: $ty:ty,
        name: $name:literal,
        doc: $doc:literal,
        $(init: $init:ident ( $($sig:tt)* ),)?
        methods: [ $( $m:ident : $mdoc:literal ),* $(,)? ],
        getset: [ $( $g:ident : $getter:ident $(, $setter:ident)? : $gdoc:literal ),* $(,)? ] $(,)?
    ) => {
        impl $crate::class::ClassSpec for $ty {
            fn spec() -> &'static $crate::class::Spec {
                use $crate::module::{MethodDef, Static};
                static METHODS: Static<[MethodDef; <[&str]>::len(&[$(stringify!($m)),*]) + 1]> =
                    Static::new([$($crate::__class_method!($ty, $m, $mdoc),)* MethodDef::SENTINEL]);
                static GETSETS: Static<[$crate::ffi::PyGetSetDef; <[&str]>::len(&[$(stringify!($g)),*]) + 1]> =
                    Static::new([$($crate::__class_getset!($ty, $g, $getter $(, $setter)?, $gdoc),)* $crate::class::GETSET_END]);
                static SPEC: std::sync::OnceLock<$crate::class::Spec> = std::sync::OnceLock::new();
                SPEC.get_or_init(|| {
                    let init: $crate::class::InitFn = $crate::__class_init!($ty $(, $init ( $($sig)* ))?);
                    $crate::class::Spec::new::<$ty>(
                        $crate::__cstr!($name),
                        $crate::__cstr!($doc),
                        METHODS.get().cast(),
                        GETSETS.get().cast(),
                        init,
                    )
                })
            }
        }
    };
}

/// A `METH_NOARGS` method of a `class!` type.
#[doc(hidden)]
#[macro_export]
macro_rules! __class_method {
    ($ty:ty, $m:ident, $doc:literal) => {{
        unsafe extern "C" fn trampoline(
            slf: *mut $crate::ffi::PyObject,
            _unused: *mut $crate::ffi::PyObject,
        ) -> *mut $crate::ffi::PyObject {
            // SAFETY: CPython calls a method attached, and its descriptor
            // has checked that `slf` is an instance of the type (or a
            // subtype), alive for the call.
            unsafe {
                $crate::trampoline::run(|py| {
                    let slf = $crate::Borrowed::<$crate::class::Class<$ty>>::from_ptr_unchecked(py, slf);
                    let result = $m(&slf)?;
                    Ok($crate::IntoPyObject::into_pyobject(result, py)?.into_ptr())
                })
            }
        }
        $crate::module::MethodDef::meth_noargs(
            $crate::__cstr!(stringify!($m)),
            Some(trampoline),
            $crate::__cstr!(concat!(stringify!($m), "($self, /)\n--\n\n", $doc)),
        )
    }};
}

/// A `PyGetSetDef` of a `class!` type: a getter, and a setter if given.
#[doc(hidden)]
#[macro_export]
macro_rules! __class_getset {
    ($ty:ty, $g:ident, $getter:ident, $setter:ident, $doc:literal) => {{
        unsafe extern "C" fn set(
            slf: *mut $crate::ffi::PyObject,
            value: *mut $crate::ffi::PyObject,
            _closure: *mut core::ffi::c_void,
        ) -> core::ffi::c_int {
            // SAFETY: CPython calls a setter attached, after its descriptor
            // checked the instance's type; `value` is NULL for `del` or a
            // live object, both alive for the call.
            unsafe {
                $crate::trampoline::run(|py| {
                    let slf = $crate::Borrowed::<$crate::class::Class<$ty>>::from_ptr_unchecked(py, slf);
                    let value = (!value.is_null())
                        .then(|| $crate::Borrowed::<$crate::types::PyAny>::from_ptr_unchecked(py, value));
                    $setter(&slf, value.as_deref())?;
                    Ok(0)
                })
            }
        }
        $crate::__class_getset!(@def $ty, $g, $getter, Some(set), $doc)
    }};
    ($ty:ty, $g:ident, $getter:ident, $doc:literal) => {
        $crate::__class_getset!(@def $ty, $g, $getter, None, $doc)
    };
    (@def $ty:ty, $g:ident, $getter:ident, $set:expr, $doc:literal) => {{
        unsafe extern "C" fn get(
            slf: *mut $crate::ffi::PyObject,
            _closure: *mut core::ffi::c_void,
        ) -> *mut $crate::ffi::PyObject {
            // SAFETY: CPython calls a getter attached, after its descriptor
            // checked the instance's type; alive for the call.
            unsafe {
                $crate::trampoline::run(|py| {
                    let slf = $crate::Borrowed::<$crate::class::Class<$ty>>::from_ptr_unchecked(py, slf);
                    let result = $getter(&slf)?;
                    Ok($crate::IntoPyObject::into_pyobject(result, py)?.into_ptr())
                })
            }
        }
        $crate::ffi::PyGetSetDef {
            name: $crate::__cstr!(stringify!($g)).as_ptr(),
            get: Some(get),
            set: $set,
            doc: $crate::__cstr!($doc).as_ptr(),
            closure: core::ptr::null_mut(),
        }
    }};
}

/// The `tp_init` of a `class!` type, if it has an `__init__`.
#[doc(hidden)]
#[macro_export]
macro_rules! __class_init {
    ($ty:ty) => {
        None
    };
    ($ty:ty, $init:ident ( $($sig:tt)* )) => {
        $crate::__fastcall!(@munch [init $ty, $init] [] [] [] $($sig)*)
    };
}

/// Exports modules' init functions from a shared library (a `cdylib`) under
/// the names CPython's import system looks for: `PyInit_<name>`.
///
/// ```text
/// tutorial::export_modules! {
///     spam => tutorial::modules::spam,   // exports PyInit_spam
///     custom => tutorial::modules::custom,
/// }
/// ```
///
/// Only the library that CPython loads does this. `module!` itself exports
/// nothing, so a program that embeds the interpreter (a test, a book sample)
/// can define a module *and* link the library that defines it too, without
/// two `PyInit_` symbols of one name.
#[macro_export]
macro_rules! export_modules {
    ($($name:ident => $path:path),* $(,)?) => {$(
        #[allow(non_snake_case)]
        const _: () = {
            /// The exported `PyInit_<name>`.
            #[unsafe(export_name = concat!("PyInit_", stringify!($name)))]
            pub extern "C" fn init() -> *mut $crate::ffi::PyObject {
                use $path as module;
                module::init()
            }
        };
    )*};
}
