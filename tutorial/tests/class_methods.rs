//! Methods with Python signatures on `class!` types, and a read-only
//! attribute: for the same signature and the same wrong call, the same
//! `TypeError` (or `AttributeError`) as a method of a C type.

use tutorial::class::{Class, ObjectBase, PyClass, add_type};
use tutorial::prelude::*;
use tutorial_embed::{doctest, run_python};

/// A number that methods change.
struct Counter {
    count: i64,
}

impl PyClass for Counter {
    type Base = ObjectBase;
    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(Counter { count: 0 })
    }
}

/// `get()`: `METH_NOARGS`, like `list.copy()`.
fn get(slf: &Bound<'_, Class<Counter>>) -> PyResult<i64> {
    slf.with(|this| this.count)
}

/// `add(n=1)`: `METH_FASTCALL | METH_KEYWORDS`, like `str.expandtabs(tabsize=8)`.
fn add(slf: &Bound<'_, Class<Counter>>, n: i64) -> PyResult<i64> {
    slf.with_mut(|this| {
        this.count += n;
        this.count
    })
}

/// `scale(factor, /)`: `METH_O`, like `list.append(object, /)`.
fn scale(slf: &Bound<'_, Class<Counter>>, factor: i64) -> PyResult<i64> {
    slf.with_mut(|this| {
        this.count *= factor;
        this.count
    })
}

/// `clamp(lo, hi, *, strict=False)`: positional-or-keyword and
/// keyword-only parameters.
fn clamp(
    slf: &Bound<'_, Class<Counter>>,
    lo: i64,
    hi: i64,
    strict: bool,
) -> PyResult<i64> {
    slf.with_mut(|this| {
        if strict && !(lo..=hi).contains(&this.count) {
            return Err(exceptions::ValueError::new_err(slf.py(), "out of range"));
        }
        this.count = this.count.clamp(lo, hi);
        Ok(this.count)
    })?
}

fn get_count(slf: &Bound<'_, Class<Counter>>) -> PyResult<i64> {
    slf.with(|this| this.count)
}

tutorial::class! {
    type: Counter,
    name: "methods.Counter",
    doc: "A number that methods change.",
    methods: [
        get(): "Return the count.",
        add(n = 1): "Add n to the count and return it.",
        scale(factor, /): "Multiply the count by factor and return it.",
        clamp(lo, hi, *, strict = False): "Bring the count into [lo, hi].",
    ],
    getset: [count: { get: get_count, doc: "the count (read-only)" }],
}

fn exec(module: &Bound<'_, PyModule>) -> PyResult<tutorial::class::TypeState> {
    add_type::<Counter>(module, "Counter")
}

tutorial::module! {
    name: methods,
    doc: "A type with methods that take arguments.",
    state: tutorial::class::TypeState,
    exec: exec,
    methods: [],
}

#[test]
fn methods_take_their_arguments_by_position_keyword_and_default() {
    doctest(
        &[("methods", methods::init)],
        r#"
>>> from methods import Counter
>>> c = Counter()
>>> c.add(), c.add(4), c.add(n=-2), c.scale(10), c.get()
(1, 5, 3, 30, 30)
>>> c.clamp(0, 10), c.clamp(hi=20, lo=15), c.count
(10, 15, 15)
>>> c.clamp(0, 1, strict=True)
Traceback (most recent call last):
  ...
ValueError: out of range
>>> Counter.add(c, 5)
20
>>> import inspect
>>> for name in ["get", "add", "scale", "clamp"]:
...     print(name, inspect.signature(getattr(Counter, name)))
get (self, /)
add (self, /, n=1)
scale (self, factor, /)
clamp (self, /, lo, hi, *, strict=False)
>>> inspect.signature(str.expandtabs), inspect.signature(c.add)
(<Signature (self, /, tabsize=8)>, <Signature (n=1)>)
>>> print(Counter.add.__doc__)
Add n to the count and return it.
>>> Counter.add(1, 2)
Traceback (most recent call last):
  ...
TypeError: descriptor 'add' for 'methods.Counter' objects doesn't apply to a 'int' object
>>> Counter.scale("x", 2)
Traceback (most recent call last):
  ...
TypeError: descriptor 'scale' for 'methods.Counter' objects doesn't apply to a 'str' object
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn wrong_calls_raise_what_c_methods_with_the_same_signature_raise() {
    run_python(
        &[("methods", methods::init)],
        r#"
from methods import Counter

def outcome(f, args, kwargs):
    try:
        f(*args, **kwargs)
    except Exception as e:
        return type(e).__name__, str(e)
    return "no error", None

# (C method, Rust method, names to replace in the C message, calls)
cases = [
    ([].copy, Counter().get, [("list.copy", "Counter.get")],
     [((1,), {}), ((), {"x": 1}), ((1, 2), {})]),
    ("".expandtabs, Counter().add, [("expandtabs", "add"), ("tabsize", "n")],
     [((1, 2), {}), ((), {"m": 1}), ((1,), {"n": 1}), ((), {"n": 1, "m": 2}),
      ((1, 2, 3), {})]),
    ([].append, Counter().scale, [("list.append", "Counter.scale")],
     [((), {}), ((1, 2), {}), ((), {"factor": 1}), ((1,), {"factor": 1})]),
]
checked = 0
for c_method, rust_method, names, calls in cases:
    for args, kwargs in calls:
        want = outcome(c_method, args, kwargs)
        for c_name, rust_name in names:
            want = (want[0], want[1].replace(c_name, rust_name))
        got = outcome(rust_method, args, kwargs)
        assert want[0] != "no error", (c_method, args, kwargs)
        assert got == want, (c_method, args, kwargs, want, got)
        checked += 1
assert checked == 12, checked
"#,
    )
    .unwrap_or_else(|traceback| panic!("{traceback}"));
}

#[test]
fn a_getter_without_a_setter_is_a_read_only_attribute() {
    doctest(
        &[("methods", methods::init)],
        r#"
>>> from methods import Counter
>>> c = Counter()
>>> c.count = 5
Traceback (most recent call last):
  ...
AttributeError: attribute 'count' of 'methods.Counter' objects is not writable
>>> del c.count
Traceback (most recent call last):
  ...
AttributeError: attribute 'count' of 'methods.Counter' objects is not writable
>>> Counter.count.__doc__
'the count (read-only)'
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}
