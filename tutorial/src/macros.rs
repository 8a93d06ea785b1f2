//! The macros that write a module's C side. Each writes tables and safe
//! Rust functions, and one two-line `unsafe extern "C"` function per entry
//! point that hands its raw arguments and the safe function to a trampoline
//! of [`impl_::trampoline`](crate::impl_::trampoline): user code never sits
//! inside an `unsafe` block. See the book's "Your first module" chapter for
//! what each expands to.

/// Defines an extension module: its `PyInit_<name>` function, its method
/// table, its `Py_mod_exec` slot and its `PyModuleDef`.
///
/// ```text
/// tutorial::module! {
///     name: spam,                 // the import name: defines mod spam, whose
///                                 // init() is the PyInit_spam function
///     doc: "Docstring.",
///     state: SpamState,           // optional: a ModuleState (default: ())
///     exec: exec,                 // optional: fn(&Bound<PyModule>) -> PyResult<SpamState>
///                                 // (default: the state's Default value)
///     methods: [tutorial::meth_o!(system(command), "Doc.")],
/// }
/// ```
///
/// A method may carry one `#[cfg(...)]`, for a function that only some
/// versions of the C module have: `#[cfg(Py_3_14)] tutorial::meth_o!(...)`.
#[macro_export]
macro_rules! module {
    (
        name: $name:ident,
        doc: $doc:literal,
        $(state: $state:ty,)?
        $(exec: $exec:path,)?
        methods: [$($methods:tt)*] $(,)?
    ) => {
        $crate::__module!(@methods [$name, $doc, [$($state)?], [$($exec)?]] [] $($methods)*);
    };
}

/// Its input, on CPython 3.15 and later; nothing before. The cfg is the
/// safe layer's: a macro that wrote `#[cfg(Py_3_15)]` into its expansion
/// would test the cfgs of the crate that calls it, which may have none.
#[cfg(Py_3_15)]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_py_3_15 {
    ($($item:item)*) => { $($item)* };
}

/// Its input, on CPython 3.15 and later; nothing before (this is before).
#[cfg(not(Py_3_15))]
#[doc(hidden)]
#[macro_export]
macro_rules! __if_py_3_15 {
    ($($item:item)*) => {};
}

/// The body of [`module!`], with its optional parts filled in.
#[doc(hidden)]
#[macro_export]
macro_rules! __module {
    (@state []) => { () };
    (@state [$state:ty]) => { $state };
    (@exec [] $state:ty) => { $crate::impl_::module::default_exec::<$state> };
    (@exec [$exec:path] $state:ty) => { $exec };
    // The methods, one at a time, each with its `#[cfg]` or none; a
    // repetition of attributes followed by an expression would be ambiguous
    // to `macro_rules!`, one arm per form is not.
    (@methods $head:tt [$($done:tt)*]) => {
        $crate::__module!(@def $head [$($done)*]);
    };
    (@methods $head:tt [$($done:tt)*] #[$attr:meta] $method:expr $(, $($rest:tt)*)?) => {
        $crate::__module!(@methods $head [$($done)* {[$attr] $method}] $($($rest)*)?);
    };
    (@methods $head:tt [$($done:tt)*] $method:expr $(, $($rest:tt)*)?) => {
        $crate::__module!(@methods $head [$($done)* {[] $method}] $($($rest)*)?);
    };
    (@def [$name:ident, $doc:literal, [$($state:ty)?], [$($exec:path)?]]
        [$({[$($attr:meta)?] $method:expr})*]) => {
        /// The module's C entry point; see [`module!`](tutorial::module!).
        #[allow(non_snake_case)]
        pub mod $name {
            #[allow(unused_imports)]
            use super::*;
            use $crate::ffi;
            use $crate::impl_::module::{self as m, MethodDef, Static};

            type State = $crate::__module!(@state [$($state)?]);

            /// The import name, for messages that name the module as C's
            /// `_PyObject_FunctionStr` does (`_heapq.heappush()`): the name
            /// the module's functions were created with, not whatever
            /// `__name__` says later.
            #[doc(hidden)]
            pub const __MODULE_NAME: &str = stringify!($name);

            const N: usize = <[&str]>::len(&[$($(#[$attr])? stringify!($method)),*]);
            static METHODS: Static<[MethodDef; N + 1]> =
                Static::new([$($(#[$attr])? $method,)* MethodDef::SENTINEL]);

            unsafe extern "C" fn __exec(module: *mut ffi::PyObject) -> core::ffi::c_int {
                // SAFETY: CPython calls Py_mod_exec attached, with a module
                // made from DEF below, whose state is a StateCell<State>.
                unsafe { m::exec::<State>(module, $crate::__module!(@exec [$($exec)?] State)) }
            }
            unsafe extern "C" fn __traverse(
                module: *mut ffi::PyObject,
                visit: ffi::visitproc,
                arg: *mut core::ffi::c_void,
            ) -> core::ffi::c_int {
                // SAFETY: the collector calls m_traverse attached, for a module made from DEF.
                unsafe { m::traverse::<State>(module, visit, arg) }
            }
            unsafe extern "C" fn __clear(module: *mut ffi::PyObject) -> core::ffi::c_int {
                // SAFETY: CPython calls m_clear attached, for a module made from DEF.
                unsafe { m::clear::<State>(module) }
            }
            unsafe extern "C" fn __free(module: *mut core::ffi::c_void) {
                // SAFETY: CPython calls m_free attached, for a module made from DEF.
                unsafe { m::free::<State>(module) }
            }

            static SLOTS: Static<[ffi::PyModuleDef_Slot; m::DEF_SLOTS]> =
                Static::new(m::def_slots(__exec));
            static DEF: Static<ffi::PyModuleDef> = Static::new(m::module_def::<State>(
                $crate::__cstr!(stringify!($name)),
                $crate::__cstr!($doc),
                METHODS.get().cast(),
                SLOTS.get().cast(),
                Some(__traverse),
                Some(__clear),
                Some(__free),
            ));

            $crate::__if_py_3_15! {
                static EXPORT: Static<[ffi::PySlot; m::EXPORT_SLOTS]> =
                    Static::new(m::export_slots::<State>(
                        $crate::__cstr!(stringify!($name)),
                        $crate::__cstr!($doc),
                        METHODS.get().cast(),
                        m::ModuleFns { exec: __exec, traverse: __traverse, clear: __clear, free: __free },
                    ));

                /// The module's `PyModExport_<name>` function (3.15+, PEP
                /// 793): returns its slots, which CPython reads instead of
                /// calling `PyInit_<name>`. Exported, like `init`, by
                /// [`export_modules!`](tutorial::export_modules!).
                pub extern "C" fn export() -> *mut ffi::PySlot {
                    EXPORT.get().cast()
                }
            }

            /// The module's `PyInit_<name>` function: returns the module
            /// definition (multi-phase initialisation, PEP 489). It is not
            /// exported here: the shared library that CPython loads exports
            /// it under its C name with [`export_modules!`](tutorial::export_modules!),
            /// and an embedding program passes it to `tutorial_embed`.
            pub extern "C" fn init() -> *mut ffi::PyObject {
                // SAFETY: DEF is static; CPython calls PyInit_* attached.
                unsafe { m::init(DEF.get()) }
            }
        }
    };
}

/// A `METH_O` module function: `fn(&Bound<PyModule>, A) -> PyResult<R>`,
/// where `A` is `&Bound<PyAny>` or another type that implements
/// [`FromArg`](crate::args::FromArg).
///
/// ```text
/// tutorial::meth_o!(system(command), "Execute a shell command.")
/// ```
///
/// The parameter's name is for the signature line that `inspect.signature`
/// reads (`__text_signature__`), which the macro writes at the start of the
/// docstring: `system($module, command, /)\n--\n\n`.
#[macro_export]
macro_rules! meth_o {
    ($f:ident ( $arg:ident ), $doc:expr) => {
        $crate::__meth_o!($crate::types::PyModule, "$module", $f($arg), $doc)
    };
}

/// A `METH_O` function of a module or a method of a type.
#[doc(hidden)]
#[macro_export]
macro_rules! __meth_o {
    ($slf:ty, $slf_name:literal, $f:ident ( $arg:ident ), $doc:expr) => {{
        fn __body<'py>(
            slf: &$crate::Bound<'py, $slf>,
            arg: &$crate::Bound<'py, $crate::types::PyAny>,
        ) -> $crate::PyResult<*mut $crate::ffi::PyObject> {
            let arg = $crate::args::FromArg::from_arg(arg)?;
            $crate::impl_::trampoline::into_ptr(slf.py(), $f(slf, arg))
        }
        unsafe extern "C" fn __trampoline(
            slf: *mut $crate::ffi::PyObject,
            arg: *mut $crate::ffi::PyObject,
        ) -> *mut $crate::ffi::PyObject {
            // SAFETY: CPython calls a METH_O function attached, with its
            // self and one argument, both alive for the call.
            unsafe { $crate::impl_::trampoline::meth_o::<$slf>(slf, arg, __body) }
        }
        $crate::impl_::module::MethodDef::meth_o(
            $crate::__cstr!(stringify!($f)),
            Some(__trampoline),
            $crate::__cstr!(concat!(
                stringify!($f),
                "(",
                $slf_name,
                ", ",
                stringify!($arg),
                ", /)\n--\n\n",
                $doc
            )),
        )
    }};
}

/// A `METH_NOARGS` module function: `fn(&Bound<PyModule>) -> PyResult<R>`.
#[macro_export]
macro_rules! meth_noargs {
    ($f:ident, $doc:expr) => {
        $crate::__meth_noargs!($crate::types::PyModule, "$module", $f, $doc)
    };
}

/// A `METH_NOARGS` function of a module or a method of a type.
#[doc(hidden)]
#[macro_export]
macro_rules! __meth_noargs {
    ($slf:ty, $slf_name:literal, $f:ident, $doc:expr) => {{
        fn __body<'py>(
            slf: &$crate::Bound<'py, $slf>,
        ) -> $crate::PyResult<*mut $crate::ffi::PyObject> {
            $crate::impl_::trampoline::into_ptr(slf.py(), $f(slf))
        }
        unsafe extern "C" fn __trampoline(
            slf: *mut $crate::ffi::PyObject,
            _unused: *mut $crate::ffi::PyObject,
        ) -> *mut $crate::ffi::PyObject {
            // SAFETY: CPython calls a METH_NOARGS function attached, with
            // its self alive for the call.
            unsafe { $crate::impl_::trampoline::meth_noargs::<$slf>(slf, __body) }
        }
        $crate::impl_::module::MethodDef::meth_noargs(
            $crate::__cstr!(stringify!($f)),
            Some(__trampoline),
            $crate::__cstr!(concat!(
                stringify!($f),
                "(",
                $slf_name,
                ", /)\n--\n\n",
                $doc
            )),
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
/// `None`, `"text"`), or `True` or `False`, which become a value of the
/// parameter's type by `From<bool>` (`true`, or `1` for an `i32`).
///
/// The text signature is Clinic's: `bisect_left($module, /, a, x, ...)`,
/// the `/` after `$module` left out when the signature has its own. The
/// docstring may be a literal or a `concat!` of literals and macros that
/// expand to them, for a docstring that differs between versions.
#[macro_export]
macro_rules! meth_fastcall {
    ($f:ident ( $($sig:tt)* ), $doc:expr) => {
        $crate::__fastcall!(@munch
            [meth $crate::types::PyModule, "$module", $f, $doc] [", /"] [] [] [] $($sig)*)
    };
    // A text signature written out, for one the parameter list cannot
    // give: Clinic wraps long ones, and shows `<unrepresentable>` for a
    // default C computes (a test compares it with the C function's).
    ($f:ident ( $($sig:tt)* ), text_signature = $text:literal, $doc:expr) => {
        $crate::__fastcall!(@munch
            [meth $crate::types::PyModule, "$module", $f, $doc, $text] [", /"] [] [] []
            $($sig)*)
    };
}

/// The muncher behind [`meth_fastcall!`]: reads the signature one piece at
/// a time into (items, text pieces, parameters), then writes the function.
#[doc(hidden)]
#[macro_export]
macro_rules! __fastcall {
    // `/`: the parameters before it are positional-only, and so is self,
    // which the text signature then needs no `/` of its own for.
    (@munch $head:tt $slash:tt [$($items:expr,)*] [$($text:expr,)*] [$($params:tt)*] / $(, $($rest:tt)*)?) => {
        $crate::__fastcall!(@munch $head []
            [$($items,)* $crate::args::Item::Slash,] [$($text,)* "/",] [$($params)*] $($($rest)*)?)
    };
    // `*`
    (@munch $head:tt $slash:tt [$($items:expr,)*] [$($text:expr,)*] [$($params:tt)*] * $(, $($rest:tt)*)?) => {
        $crate::__fastcall!(@munch $head $slash
            [$($items,)* $crate::args::Item::Star,] [$($text,)* "*",] [$($params)*] $($($rest)*)?)
    };
    // `name = None`, `name = True`, `name = False`: Python's spelling in
    // the signature, Rust's for the value (`__py_value!`).
    (@munch $head:tt $slash:tt [$($items:expr,)*] [$($text:expr,)*] [$($params:tt)*]
        $name:ident = $py:ident $(, $($rest:tt)*)?) => {
        $crate::__fastcall!(@munch $head $slash
            [$($items,)* $crate::args::Item::Param(stringify!($name), true),]
            [$($text,)* concat!(stringify!($name), "=", stringify!($py)),]
            [$($params)* ($name $py)]
            $($($rest)*)?)
    };
    // `name = [expr]`: a default Python cannot spell, as a Rust value of
    // the parameter's type (shown as the expression).
    (@munch $head:tt $slash:tt [$($items:expr,)*] [$($text:expr,)*] [$($params:tt)*]
        $name:ident = [$value:expr] $(, $($rest:tt)*)?) => {
        $crate::__fastcall!(@munch $head $slash
            [$($items,)* $crate::args::Item::Param(stringify!($name), true),]
            [$($text,)* concat!(stringify!($name), "=", stringify!($value)),]
            [$($params)* ($name [$value])]
            $($($rest)*)?)
    };
    // `name = literal` (`-1` is one literal here)
    (@munch $head:tt $slash:tt [$($items:expr,)*] [$($text:expr,)*] [$($params:tt)*]
        $name:ident = $default:literal $(, $($rest:tt)*)?) => {
        $crate::__fastcall!(@munch $head $slash
            [$($items,)* $crate::args::Item::Param(stringify!($name), true),]
            [$($text,)* concat!(stringify!($name), "=", stringify!($default)),]
            [$($params)* ($name $default)]
            $($($rest)*)?)
    };
    // `name`
    (@munch $head:tt $slash:tt [$($items:expr,)*] [$($text:expr,)*] [$($params:tt)*] $name:ident $(, $($rest:tt)*)?) => {
        $crate::__fastcall!(@munch $head $slash
            [$($items,)* $crate::args::Item::Param(stringify!($name), false),]
            [$($text,)* stringify!($name),]
            [$($params)* ($name)]
            $($($rest)*)?)
    };
    // Done: write the function and its PyMethodDef. `$slf` is the type of
    // self (the module, or `Class<T>` for a method), `$slf_name` its name
    // in the text signature (`$module`, `$self`), followed by `, /` unless
    // the signature has its own `/`: Clinic's text signature marks self
    // positional-only, `bisect_left($module, /, a, x, ...)`.
    // Done, with the text signature given: the same function, that text.
    (@munch [meth $slf:ty, $slf_name:literal, $f:ident, $doc:expr, $sig:literal] $slash:tt
        [$($items:expr,)*] [$($text:expr,)*] [$($params:tt)*]) => {
        $crate::__fastcall!(@munch [meth_doc $slf, $f, concat!(stringify!($f), $sig, "\n--\n\n", $doc)]
            [] [$($items,)*] [] [$($params)*])
    };
    (@munch [meth $slf:ty, $slf_name:literal, $f:ident, $doc:expr] [$($slash:literal)?]
        [$($items:expr,)*] [$($text:expr,)*] [$($params:tt)*]) => {
        $crate::__fastcall!(@munch [meth_doc $slf, $f,
            concat!(stringify!($f), "(", $slf_name, $($slash,)? $(", ", $text,)* ")\n--\n\n", $doc)]
            [] [$($items,)*] [] [$($params)*])
    };
    (@munch [meth_doc $slf:ty, $f:ident, $doc:expr] []
        [$($items:expr,)*] []
        [$(($name:ident $($default:tt)?))*]) => {{
        static SIGNATURE: $crate::args::Signature =
            $crate::args::Signature::new(stringify!($f), &[$($items),*]);
        fn __body<'a, 'py>(
            slf: &$crate::Bound<'py, $slf>,
            args: &$crate::args::FastcallArgs<'a, 'py>,
        ) -> $crate::PyResult<*mut $crate::ffi::PyObject> {
            let mut buf = core::mem::MaybeUninit::<[_; { SIGNATURE.len }]>::uninit();
            let slots = $crate::args::unpack(slf.py(), &SIGNATURE, args, &mut buf)?;
            let result = $f(slf, $($crate::__fastcall!(@arg slf slots SIGNATURE $name $($default)?)),*);
            $crate::impl_::trampoline::into_ptr(slf.py(), result)
        }
        $crate::__fastcall_def!($slf, $f, __body, $doc)
    }};
    // Done, for a type's `__init__`: write the `tp_init` function.
    (@munch [init $ty:ty, $f:ident] $slash:tt [$($items:expr,)*] [$($text:expr,)*]
        [$(($name:ident $($default:tt)?))*]) => {{
        static SIGNATURE: $crate::args::Signature =
            $crate::args::Signature::new("__init__", &[$($items),*]);
        fn __body<'a, 'py>(
            slf: &$crate::Bound<'py, $crate::class::Class<$ty>>,
            args: &$crate::args::FastcallArgs<'a, 'py>,
        ) -> $crate::PyResult<()> {
            let mut buf = core::mem::MaybeUninit::<[_; { SIGNATURE.len }]>::uninit();
            let slots = $crate::args::unpack(slf.py(), &SIGNATURE, args, &mut buf)?;
            $f(slf, $($crate::__fastcall!(@arg slf slots SIGNATURE $name $($default)?)),*)
        }
        unsafe extern "C" fn __tp_init(
            slf: *mut $crate::ffi::PyObject,
            args: *mut $crate::ffi::PyObject,
            kwargs: *mut $crate::ffi::PyObject,
        ) -> core::ffi::c_int {
            // SAFETY: CPython calls tp_init attached, with an instance of the
            // type (or a subtype) made by its tp_new, a tuple and a dict or
            // NULL, all alive for the call.
            unsafe { $crate::impl_::trampoline::tp_init(slf, args, kwargs, __body) }
        }
        $crate::impl_::class::TpInit::Some(__tp_init)
    }};
    // Done, for a `class!` method that receives its defining class
    // (`METH_METHOD`): with no parameter besides it, the check and message
    // of Clinic's generated code; with some, the usual parsing.
    (@munch [cmeth $ty:ty, $slf_name:literal, $f:ident, $doc:expr] [$($slash:literal)?]
        [] [] []) => {
        $crate::__fastcall!(@cmeth $ty, $f,
            concat!(stringify!($f), "(", $slf_name, $($slash,)? ")\n--\n\n", $doc),
            |slf, cls, args| {
                if args.nargs() != 0 || args.nkw() != 0 {
                    return Err($crate::exceptions::TypeError::new_err(
                        slf.py(),
                        concat!(stringify!($f), "() takes no arguments"),
                    ));
                }
                $crate::impl_::trampoline::into_ptr(slf.py(), $f(slf, cls))
            })
    };
    (@munch [cmeth $ty:ty, $slf_name:literal, $f:ident, $doc:expr] [$($slash:literal)?]
        [$($items:expr,)*] [$($text:expr,)*] [$(($name:ident $($default:tt)?))*]) => {{
        static SIGNATURE: $crate::args::Signature =
            $crate::args::Signature::new(stringify!($f), &[$($items),*]);
        $crate::__fastcall!(@cmeth $ty, $f,
            concat!(stringify!($f), "(", $slf_name, $($slash,)? $(", ", $text,)* ")\n--\n\n", $doc),
            |slf, cls, args| {
                let mut buf = core::mem::MaybeUninit::<[_; { SIGNATURE.len }]>::uninit();
                let slots = $crate::args::unpack(slf.py(), &SIGNATURE, args, &mut buf)?;
                let result = $f(slf, cls,
                    $($crate::__fastcall!(@arg slf slots SIGNATURE $name $($default)?)),*);
                $crate::impl_::trampoline::into_ptr(slf.py(), result)
            })
    }};
    // The body of a METH_METHOD method (`|slf, cls, args| ...`), its C
    // entry point and its PyMethodDef.
    (@cmeth $ty:ty, $f:ident, $doc:expr, |$slf:ident, $cls:ident, $args:ident| $body:expr) => {{
        fn __body<'a, 'py>(
            $slf: &$crate::Bound<'py, $crate::class::Class<$ty>>,
            $cls: &$crate::Bound<'py, $crate::types::PyType>,
            $args: &$crate::args::FastcallArgs<'a, 'py>,
        ) -> $crate::PyResult<*mut $crate::ffi::PyObject> {
            $body
        }
        unsafe extern "C" fn __trampoline(
            slf: *mut $crate::ffi::PyObject,
            cls: *mut $crate::ffi::PyTypeObject,
            args: *const *mut $crate::ffi::PyObject,
            nargsf: usize,
            kwnames: *mut $crate::ffi::PyObject,
        ) -> *mut $crate::ffi::PyObject {
            // SAFETY: CPython calls a METH_METHOD method attached, with an
            // instance of the type (the method descriptor checked it), the
            // class that defines the method, and the arguments of a
            // vectorcall, all alive for the call.
            unsafe {
                $crate::impl_::trampoline::meth_method::<$crate::class::Class<$ty>>(
                    slf, cls, args, nargsf, kwnames, __body,
                )
            }
        }
        $crate::impl_::module::MethodDef::meth_method(
            $crate::__cstr!(stringify!($f)),
            __trampoline,
            $crate::__cstr!($doc),
        )
    }};
    // One argument: a required parameter's value is always there (unpack
    // checked), so the other arm is never taken; it raises rather than
    // panics, which keeps a landing pad out of every call.
    (@arg $slf:ident $slots:ident $sig:ident $name:ident) => {
        match $slots.get($sig.index(stringify!($name))) {
            Some(value) => $crate::args::FromArg::from_arg(&**value)?,
            None => return Err($crate::args::missing_required($slf.py(), &$sig)),
        }
    };
    // An optional parameter's: converted if given, else the default.
    (@arg $slf:ident $slots:ident $sig:ident $name:ident $default:tt) => {
        match $slots.get($sig.index(stringify!($name))) {
            Some(value) => $crate::args::FromArg::from_arg(&**value)?,
            None => $crate::__py_value!($default),
        }
    };
}

/// A default as the Rust value: Python's `None`, `True` and `False`, or a
/// literal, which means the same in both languages.
///
/// `True` and `False` become a value of the parameter's type by `From<bool>`:
/// a `bool`, or an integer (`1`, `0`) for a parameter that C reads as an
/// `int`, as Clinic's `bool(accept={int})` converter did up to 3.11.
#[doc(hidden)]
#[macro_export]
macro_rules! __py_value {
    (None) => {
        None
    };
    (True) => {
        ::core::convert::From::from(true)
    };
    (False) => {
        ::core::convert::From::from(false)
    };
    ($value:literal) => {
        $value
    };
    ([$value:expr]) => {
        $value
    };
}

/// A module function whose parameters are all positional-only and
/// required: `fn(&Bound<PyModule>, one argument per parameter) ->
/// PyResult<R>`, each argument of a type that implements
/// [`FromArg`](crate::args::FromArg).
///
/// Argument Clinic writes such a function as `METH_FASTCALL` (no
/// keywords: CPython refuses them) and checks the count with
/// `_PyArg_CheckPositional`, whose messages differ from
/// [`meth_fastcall!`](crate::meth_fastcall!)'s (`heappush expected 2
/// arguments, got 1`); so does this macro.
///
/// ```text
/// tutorial::meth_fastcall_positional!(heappush(heap, item), "Push item onto heap.")
/// ```
///
/// It belongs in the method list of a [`module!`](crate::module!).
#[macro_export]
macro_rules! meth_fastcall_positional {
    ($f:ident ( $($name:ident),* $(,)? ), $doc:expr) => {{
        const N: usize = <[&str]>::len(&[$(stringify!($name)),*]);
        fn __body<'a, 'py>(
            __module: &$crate::Bound<'py, $crate::types::PyModule>,
            __args: &'a [$crate::Borrowed<'a, 'py, $crate::types::PyAny>],
        ) -> $crate::PyResult<*mut $crate::ffi::PyObject> {
            $crate::args::check_positional(
                __module.py(), stringify!($f), __args.len(), N,
            )?;
            // The count is checked: there are exactly N values.
            let [$($name),*] = __args else {
                unreachable!("check_positional counted them")
            };
            let result = $f(__module, $($crate::args::FromArg::from_arg(&**$name)?),*);
            $crate::impl_::trampoline::into_ptr(__module.py(), result)
        }
        unsafe extern "C" fn __trampoline(
            slf: *mut $crate::ffi::PyObject,
            args: *const *mut $crate::ffi::PyObject,
            nargs: $crate::ffi::Py_ssize_t,
        ) -> *mut $crate::ffi::PyObject {
            // SAFETY: CPython calls a METH_FASTCALL function attached, with
            // its module (m_self) and nargs arguments, all alive for the call.
            unsafe {
                $crate::impl_::trampoline::meth_fastcall_positional::<
                    $crate::types::PyModule,
                >(slf, args, nargs, __body)
            }
        }
        $crate::impl_::module::MethodDef::meth_fastcall(
            $crate::__cstr!(stringify!($f)),
            __trampoline,
            $crate::__cstr!(concat!(
                stringify!($f), "($module", $(", ", stringify!($name),)* ", /)\n--\n\n", $doc
            )),
        )
    }};
}

/// The `METH_FASTCALL | METH_KEYWORDS` entry of a module function or a
/// method whose safe `body` takes self (of type `$slf`) and the arguments:
/// the `extern "C"` function CPython calls, and the `PyMethodDef` naming it.
#[doc(hidden)]
#[macro_export]
macro_rules! __fastcall_def {
    ($slf:ty, $f:ident, $body:ident, $doc:expr) => {{
        unsafe extern "C" fn __trampoline(
            slf: *mut $crate::ffi::PyObject,
            args: *const *mut $crate::ffi::PyObject,
            nargs: $crate::ffi::Py_ssize_t,
            kwnames: *mut $crate::ffi::PyObject,
        ) -> *mut $crate::ffi::PyObject {
            // SAFETY: CPython calls a METH_FASTCALL | METH_KEYWORDS function
            // attached, with its self (the module, m_self, or an instance
            // of the type, which the method descriptor checked) and the
            // arguments as FastcallArgs::new expects them, all alive for
            // the call.
            unsafe {
                $crate::impl_::trampoline::meth_fastcall::<$slf>(
                    slf, args, nargs, kwnames, $body,
                )
            }
        }
        $crate::impl_::module::MethodDef::meth_fastcall_keywords(
            $crate::__cstr!(stringify!($f)),
            __trampoline,
            $crate::__cstr!($doc),
        )
    }};
}

/// Defines a new Python type whose instances hold a value of the Rust type
/// `type` (which implements [`PyClass`](crate::class::PyClass)): writes the
/// type's method and getter/setter tables, its `__init__` (if given) and
/// its spec. Create the type in the module's exec function with
/// [`create_type`](crate::class::create_type) or [`add_type`](crate::class::add_type).
///
/// ```text
/// tutorial::class! {
///     type: Custom,                       // the Rust type
///     name: "custom2.Custom",             // tp_name: "module.Name"
///     doc: "Custom objects",
///     init: init(first = None, last = None, number = 0),   // optional
///     methods: [
///         name(): "Return the name, combining the first and last name",
///         add(n = 1): "Add n to the number",
///         scale(factor, /): "Multiply the number by factor",
///     ],
///     getset: [
///         first: { get: get_first, set: set_first, doc: "first name" },
///         number: { get: get_number, doc: "the number (read-only)" },
///     ],
/// }
/// ```
///
/// A method is `fn(&Bound<Class<T>>, one argument per parameter) ->
/// PyResult<R>`, its signature written as for
/// [`meth_fastcall!`](crate::meth_fastcall!), each argument of a type that
/// implements [`FromArg`](crate::args::FromArg). The calling convention is
/// the one Argument Clinic picks for the signature, so that a wrong call
/// raises what a C method's does: `METH_NOARGS` for `name()`, `METH_O` for
/// one required positional-only parameter (`scale(factor, /)`), and
/// `METH_FASTCALL | METH_KEYWORDS` for the rest. A method whose first
/// parameter is `cls: defining_class` (Clinic's converter:
/// `snapshot(cls: defining_class, /)`) is `METH_METHOD | METH_FASTCALL |
/// METH_KEYWORDS` and receives, after self, the class that defines it, as
/// `&Bound<PyType>`: the way to its module
/// ([`get_module`](crate::class::get_module)) that does not depend on
/// `type(self)`, which may be a Python subclass. A getter is
/// `fn(&Bound<Class<T>>) -> PyResult<R>`; a setter
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
        methods: [ $( $m:ident ( $($msig:tt)* ) : $mdoc:literal ),* $(,)? ],
        getset: [ $( $g:ident : { get: $getter:ident $(, set: $setter:ident)?, doc: $gdoc:literal $(,)? } ),* $(,)? ] $(,)?
    ) => {
        impl $crate::class::ClassSpec for $ty {
            fn spec() -> &'static $crate::impl_::class::Spec {
                use $crate::impl_::module::{MethodDef, Static};
                static METHODS: Static<[MethodDef; <[&str]>::len(&[$(stringify!($m)),*]) + 1]> = Static::new([
                    $($crate::__class_method!($ty, $m, $mdoc, $($msig)*),)*
                    MethodDef::SENTINEL
                ]);
                static GETSETS: Static<[$crate::ffi::PyGetSetDef; <[&str]>::len(&[$(stringify!($g)),*]) + 1]> =
                    Static::new([
                        $($crate::__class_getset!($ty, $g, $getter $(, $setter)?, $gdoc),)*
                        $crate::impl_::class::GETSET_END
                    ]);
                static SPEC: std::sync::OnceLock<$crate::impl_::class::Spec> = std::sync::OnceLock::new();
                SPEC.get_or_init(|| {
                    let init: $crate::impl_::class::TpInit = $crate::__class_init!($ty $(, $init ( $($sig)* ))?);
                    $crate::impl_::class::Spec::new::<$ty>(
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

/// A `PyMethodDef` of a `class!` type, in the convention Argument Clinic
/// would pick for the signature.
#[doc(hidden)]
#[macro_export]
macro_rules! __class_method {
    // `name()`: METH_NOARGS.
    ($ty:ty, $m:ident, $doc:literal,) => {
        $crate::__meth_noargs!($crate::class::Class<$ty>, "$self", $m, $doc)
    };
    // `name(arg, /)`: METH_O.
    ($ty:ty, $m:ident, $doc:literal, $arg:ident, /) => {
        $crate::__meth_o!($crate::class::Class<$ty>, "$self", $m($arg), $doc)
    };
    // `name(cls: defining_class, ...)`: METH_METHOD | METH_FASTCALL |
    // METH_KEYWORDS, as Clinic's `defining_class` converter; `cls` is not
    // part of the text signature.
    ($ty:ty, $m:ident, $doc:literal, $cls:ident : defining_class $(, $($sig:tt)*)?) => {
        $crate::__fastcall!(@munch
            [cmeth $ty, "$self", $m, $doc] [", /"] [] [] [] $($($sig)*)?)
    };
    // Anything else: METH_FASTCALL | METH_KEYWORDS.
    ($ty:ty, $m:ident, $doc:literal, $($sig:tt)*) => {
        $crate::__fastcall!(@munch
            [meth $crate::class::Class<$ty>, "$self", $m, $doc] [", /"] [] [] [] $($sig)*)
    };
}

/// A `PyGetSetDef` of a `class!` type: a getter, and a setter if given.
#[doc(hidden)]
#[macro_export]
macro_rules! __class_getset {
    ($ty:ty, $g:ident, $getter:ident, $setter:ident, $doc:literal) => {{
        fn __body<'py>(
            slf: &$crate::Bound<'py, $crate::class::Class<$ty>>,
            value: Option<&$crate::Bound<'py, $crate::types::PyAny>>,
        ) -> $crate::PyResult<()> {
            $setter(slf, value)
        }
        unsafe extern "C" fn __set(
            slf: *mut $crate::ffi::PyObject,
            value: *mut $crate::ffi::PyObject,
            _closure: *mut core::ffi::c_void,
        ) -> core::ffi::c_int {
            // SAFETY: CPython calls a setter attached, after its descriptor
            // checked the instance's type; `value` is NULL for `del` or a
            // live object, both alive for the call.
            unsafe { $crate::impl_::trampoline::setter(slf, value, __body) }
        }
        $crate::__class_getset!(@def $ty, $g, $getter, Some(__set), $doc)
    }};
    ($ty:ty, $g:ident, $getter:ident, $doc:literal) => {
        $crate::__class_getset!(@def $ty, $g, $getter, None, $doc)
    };
    (@def $ty:ty, $g:ident, $getter:ident, $set:expr, $doc:literal) => {{
        fn __body<'py>(
            slf: &$crate::Bound<'py, $crate::class::Class<$ty>>,
        ) -> $crate::PyResult<*mut $crate::ffi::PyObject> {
            $crate::impl_::trampoline::into_ptr(slf.py(), $getter(slf))
        }
        unsafe extern "C" fn __get(
            slf: *mut $crate::ffi::PyObject,
            _closure: *mut core::ffi::c_void,
        ) -> *mut $crate::ffi::PyObject {
            // SAFETY: CPython calls a getter attached, after its descriptor
            // checked the instance's type; alive for the call.
            unsafe { $crate::impl_::trampoline::getter(slf, __body) }
        }
        $crate::ffi::PyGetSetDef {
            name: $crate::__cstr!(stringify!($g)).as_ptr(),
            get: Some(__get),
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
        $crate::__fastcall!(@munch [init $ty, $init] [] [] [] [] $($sig)*)
    };
}

/// Exports modules' init functions from a shared library (a `cdylib`) under
/// the names CPython's import system looks for: `PyInit_<name>`.
///
/// ```text
/// tutorial::export_modules! {
///     spam => examples::spam,   // exports PyInit_spam
///     custom => examples::custom,
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
            $crate::__if_py_3_15! {
                /// The exported `PyModExport_<name>` (3.15+), which CPython
                /// looks for first.
                #[unsafe(export_name = concat!("PyModExport_", stringify!($name)))]
                pub extern "C" fn export() -> *mut $crate::ffi::PySlot {
                    use $path as module;
                    module::export()
                }
            }
        };
    )*};
}
