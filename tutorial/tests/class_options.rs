//! `PyClass` options: a type Python cannot instantiate, whose objects Rust
//! makes with `new_instance`; and the collector's view of a GC type (its
//! type visited once, for instances of the type and of a Python subclass).

use tutorial::class::{Class, ObjectBase, PyClass, TypeState, new_instance};
use tutorial::prelude::*;
use tutorial_embed::doctest;

struct Token {
    n: i64,
}

impl PyClass for Token {
    type Base = ObjectBase;
    const DISALLOW_INSTANTIATION: bool = true;
    fn new(_py: Python<'_>) -> PyResult<Self> {
        // Not called: CPython sets tp_new to NULL for this type.
        Ok(Token { n: 0 })
    }
}

fn get_n(slf: &Bound<'_, Class<Token>>) -> PyResult<i64> {
    slf.with(|this| this.n)
}

tutorial::class! {
    type: Token,
    name: "options.Token",
    doc: "A value only Rust code makes.",
    methods: [],
    getset: [n: { get: get_n, doc: "the number (read-only)" }],
}

struct Node;

impl PyClass for Node {
    type Base = ObjectBase;
    const GC: bool = true;
    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(Node)
    }
}

tutorial::class! {
    type: Node,
    name: "options.Node",
    doc: "A GC type.",
    methods: [],
    getset: [],
}

struct OptionsState {
    token: TypeState,
    node: TypeState,
}

impl tutorial::ModuleState for OptionsState {
    fn traverse(
        &self,
        visit: &mut tutorial::module::Visit<'_>,
    ) -> Result<(), tutorial::module::TraverseError> {
        visit.call(&self.token.ty)?;
        visit.call(&self.node.ty)
    }
}

fn make<'py>(
    module: &Bound<'py, PyModule>,
    n: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let state = tutorial::module::state::<OptionsState>(module)?;
    let ty = state.token.ty.bind(module.py());
    Ok(new_instance(ty, Token { n: n.extract()? })?.into_any())
}

fn make_wrong<'py>(
    module: &Bound<'py, PyModule>,
    _n: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let state = tutorial::module::state::<OptionsState>(module)?;
    // The Node type, given as if it were Token's: refused.
    let ty = state.node.ty.bind(module.py());
    Ok(new_instance(ty, Token { n: 0 })?.into_any())
}

fn exec(module: &Bound<'_, PyModule>) -> PyResult<OptionsState> {
    let token = tutorial::class::add_type::<Token>(module, "Token")?;
    let node = tutorial::class::add_type::<Node>(module, "Node")?;
    Ok(OptionsState { token, node })
}

tutorial::module! {
    name: options,
    doc: "Types with PyClass options.",
    state: OptionsState,
    exec: exec,
    methods: [
        tutorial::meth_o!(make(n), "Return a Token holding n."),
        tutorial::meth_o!(make_wrong(n), "Pass Node's type as Token's."),
    ],
}

#[test]
fn disallowed_type_cannot_be_called_but_rust_makes_instances() {
    doctest(
        &[("options", options::init)],
        r#"
>>> import options
>>> options.Token()
Traceback (most recent call last):
  ...
TypeError: cannot create 'options.Token' instances
>>> t = options.make(7)
>>> type(t) is options.Token, t.n
(True, 7)
>>> try:                 # refused; the message differs between versions
...     object.__new__(options.Token)
... except TypeError:
...     print("refused")
refused
>>> options.make_wrong(1)
Traceback (most recent call last):
  ...
TypeError: new_instance: not the type of this class
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn gc_type_is_visited_once_for_instances_and_python_subclasses() {
    doctest(
        &[("options", options::init)],
        r#"
>>> import gc, options
>>> n = options.Node()
>>> gc.get_referents(n).count(options.Node)
1
>>> class Sub(options.Node):
...     pass
>>> s = Sub()
>>> refs = gc.get_referents(s)
>>> refs.count(Sub), refs.count(options.Node)
(1, 0)
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}
