//! `meth_fastcall!` parses arguments as Argument Clinic's generated C does:
//! for the same signature and the same wrong call, the same `TypeError`
//! message, checked against real C functions of the interpreter.

use tutorial::prelude::*;

/// The signature of `_bisect.bisect_left` (C, Argument Clinic):
/// `bisect_left(a, x, lo=0, hi=None, *, key=None)`.
fn bisect_left<'py>(
    _module: &Bound<'py, PyModule>,
    a: &Bound<'py, PyAny>,
    x: &Bound<'py, PyAny>,
    lo: isize,
    hi: Option<isize>,
    key: Option<&Bound<'py, PyAny>>,
) -> PyResult<String> {
    Ok(format!(
        "a={} x={} lo={lo} hi={hi:?} key={}",
        a.repr()?.to_str()?,
        x.repr()?.to_str()?,
        key.is_some()
    ))
}

/// The signature of `zlib.compress` (C, Argument Clinic):
/// `compress(data, /, level=-1, wbits=15)`.
fn compress(
    _module: &Bound<'_, PyModule>,
    data: &Bound<'_, PyAny>,
    level: isize,
    wbits: isize,
) -> PyResult<String> {
    Ok(format!("data={} level={level} wbits={wbits}", data.len()?))
}

tutorial::module! {
    name: clinic,
    doc: "Functions with the signatures of C functions, to compare their errors.",
    methods: [
        tutorial::meth_fastcall!(bisect_left(a, x, lo = 0, hi = None, *, key = None), "Like _bisect.bisect_left."),
        tutorial::meth_fastcall!(compress(data, /, level = -1, wbits = 15), "Like zlib.compress."),
    ],
}

#[test]
fn arguments_reach_the_rust_function_with_defaults() {
    tutorial_embed::doctest(
        &[("clinic", clinic::init)],
        r#"
>>> import clinic
>>> clinic.bisect_left([1], 2)
'a=[1] x=2 lo=0 hi=None key=false'
>>> clinic.bisect_left([1], 2, 1, 5, key=len)
'a=[1] x=2 lo=1 hi=Some(5) key=true'
>>> clinic.bisect_left(x=3, a=[], hi=None)
'a=[] x=3 lo=0 hi=None key=false'
>>> clinic.compress(b"abc", wbits=9)
'data=3 level=-1 wbits=9'
>>> import inspect
>>> str(inspect.signature(clinic.bisect_left)), str(inspect.signature(clinic.compress))
('(a, x, lo=0, hi=None, *, key=None)', '(data, /, level=-1, wbits=15)')
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn wrong_calls_raise_what_the_c_functions_raise() {
    tutorial_embed::run_python(
        &[("clinic", clinic::init)],
        r#"
import _bisect, zlib, clinic

def outcome(f, args, kwargs):
    try:
        f(*args, **kwargs)
    except Exception as e:
        return type(e).__name__, str(e)
    return "no error", None

bisect_calls = [
    ((), {}), (([],), {}), (([], 1, 2, 3, 4), {}), (([], 1, 2, 3), {"key": None, "lo": 1}),
    (([],), {"x": 1, "a": []}), (([], 1), {"foo": 2}), ((), {"a": [], "x": 1, "lo": 0, "hi": 1, "key": None, "z": 0}),
    (([], 1), {"lo": "x"}), (([], 1, "x"), {}), (([], 1, 2**100), {}), ((), {"x": 1}),
    (([], 1, 0, None, None), {}), ((), {"a": [], "x": 1, "y": 2}),
    # Names matched as str objects: a lone surrogate is a TypeError naming
    # it, and (from 3.13) a near miss gets "Did you mean 'key'?".
    (([], 1), {"\udc80": 1}), (([], 1), {"ky": None}), (([], 1), {"Key": None}),
    (([], 1), {"lo": 0, "k\xe9y": 1}),
]
compress_calls = [
    ((), {}), ((), {"data": b""}), ((b"", 1, 2, 3), {}), ((b"",), {"level": 1, "spam": 2}),
    ((b"", 1), {"level": 2}), ((), {"level": 1}), ((b"", 1, 2), {"wbits": 3}),
    ((b"",), {"levl": 1}), ((b"",), {"data": b""}),
]
checked = 0
for (c_function, rust_function, calls) in [
    (_bisect.bisect_left, clinic.bisect_left, bisect_calls),
    (zlib.compress, clinic.compress, compress_calls),
]:
    for args, kwargs in calls:
        want = outcome(c_function, args, kwargs)
        got = outcome(rust_function, args, kwargs)
        if want[0] != "no error":
            assert got == want, (c_function.__name__, args, kwargs, want, got)
            checked += 1
assert checked >= 15, checked
"#,
    )
    .unwrap_or_else(|traceback| panic!("{traceback}"));
}

#[test]
fn text_signatures_are_written_as_clinic_writes_them() {
    tutorial_embed::run_python(
        &[("clinic", clinic::init)],
        r#"
import _bisect, clinic
# `$module, /` unless the signature has a `/` of its own.
assert clinic.bisect_left.__text_signature__ == _bisect.bisect_left.__text_signature__, clinic.bisect_left.__text_signature__
assert clinic.compress.__text_signature__ == "($module, data, /, level=-1, wbits=15)", clinic.compress.__text_signature__
"#,
    )
    .unwrap_or_else(|traceback| panic!("{traceback}"));
}
