//! A Rust panic never crosses into C: the trampolines turn it into a
//! Python exception, and the interpreter goes on.

use tutorial::prelude::*;
use tutorial_embed::doctest;

fn check(_module: &Bound<'_, PyModule>, arg: &Bound<'_, PyAny>) -> PyResult<i64> {
    let n: i64 = arg.extract()?;
    assert!(n >= 0, "negative: {n}");
    Ok(n)
}

tutorial::module! {
    name: panicky,
    doc: "A module whose function panics on negative numbers.",
    methods: [tutorial::meth_o!(check(n), "Return n; panic if it is negative.")],
}

fn exec_panics(_module: &Bound<'_, PyModule>) -> PyResult<()> {
    panic!("exec failed on purpose")
}

tutorial::module! {
    name: broken,
    doc: "A module whose exec function panics.",
    exec: exec_panics,
    methods: [],
}

#[test]
fn a_panic_in_a_function_becomes_system_error_and_the_interpreter_goes_on() {
    doctest(
        &[("panicky", panicky::init)],
        r#"
>>> import panicky
>>> panicky.check(-1)
Traceback (most recent call last):
  ...
SystemError: Rust panic: negative: -1
>>> panicky.check(5)
5
>>> try:
...     panicky.check(-2)
... except SystemError as e:
...     print(type(e).__name__, e.__context__)
SystemError None
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn a_panic_in_exec_fails_the_import_with_system_error() {
    doctest(
        &[("broken", broken::init)],
        r#"
>>> import broken
Traceback (most recent call last):
  ...
SystemError: Rust panic: exec failed on purpose
>>> import sys; "broken" in sys.modules
False
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn an_error_from_the_body_keeps_its_exception() {
    doctest(
        &[("panicky", panicky::init)],
        r#"
>>> import panicky
>>> panicky.check("x")
Traceback (most recent call last):
  ...
TypeError: 'str' object cannot be interpreted as an integer
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}
