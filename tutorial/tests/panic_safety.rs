//! A panic in every kind of entry point the safe layer generates, and what
//! it must do (the book's "Errors and exceptions" chapter, "Panics"):
//!
//! | entry point | C can report an error? | a panic becomes |
//! |---|---|---|
//! | module function: `meth_o!`, `meth_noargs!`, `meth_fastcall!`, `meth_fastcall_positional!` | yes (NULL) | `SystemError: Rust panic: ...` |
//! | type method, getter, setter (`class!`) | yes (NULL, -1) | `SystemError` |
//! | `tp_new` (`PyClass::new`), `tp_init` (`init:`) | yes (NULL, -1) | `SystemError` |
//! | module exec (`Py_mod_exec`) | yes (-1) | `SystemError`, and the import fails |
//! | `py.detach` closure | through its caller | re-attached, then `SystemError` |
//! | `tp_traverse`, `tp_clear`, `tp_dealloc` (a `Drop`) | no | abort, with a message |
//! | `m_traverse`, `m_clear`, `m_free` (module state) | no | abort, with a message |
//!
//! The first group is checked in this process: the caller gets the
//! exception and the next call works. The aborts are checked in a child
//! process (this test binary run again for one test, with `PANIC_SAFETY_CHILD`
//! set): it must die of SIGABRT, with the safe layer's message on stderr.

use std::os::unix::process::ExitStatusExt;
use std::process::Command;
use std::sync::atomic::{AtomicBool, Ordering};

use tutorial::class::{Class, ObjectBase, PyClass, create_type};
use tutorial::module::TraverseError;
use tutorial::prelude::*;
use tutorial_embed::doctest;

// ---------------------------------------------------------------------------
// Entry points with an error path: the panic becomes SystemError.

fn in_o(_module: &Bound<'_, PyModule>, arg: &Bound<'_, PyAny>) -> PyResult<i64> {
    let n: i64 = arg.extract()?;
    assert!(n >= 0, "meth_o got {n}");
    Ok(n)
}

fn in_noargs(_module: &Bound<'_, PyModule>) -> PyResult<()> {
    panic!("meth_noargs on purpose")
}

fn in_fastcall(_module: &Bound<'_, PyModule>, a: i64, b: i64) -> PyResult<i64> {
    assert!(b != 0, "meth_fastcall divided {a} by {b}");
    Ok(a / b)
}

fn in_positional(_module: &Bound<'_, PyModule>, a: i64, b: i64) -> PyResult<i64> {
    assert!(a <= b, "meth_fastcall_positional got {a} > {b}");
    Ok(b - a)
}

fn in_detach(module: &Bound<'_, PyModule>) -> PyResult<()> {
    let () = module.py().detach(|| panic!("detached on purpose"));
    Ok(())
}

fn non_string_payload(_module: &Bound<'_, PyModule>) -> PyResult<()> {
    std::panic::panic_any(42_i32)
}

fn with_exception_set(
    _module: &Bound<'_, PyModule>,
    obj: &Bound<'_, PyAny>,
) -> PyResult<()> {
    // An AttributeError exists (a PyErr owns it) when the panic happens;
    // the unwind drops it, so it is released, not chained.
    let _pending = obj.getattr("no_such_attribute").err();
    panic!("with an exception set")
}

/// Whether `Bomb`'s `tp_new` panics: set by `arm_new(True)`.
static NEW_PANICS: AtomicBool = AtomicBool::new(false);

fn arm_new(_module: &Bound<'_, PyModule>, on: &Bound<'_, PyAny>) -> PyResult<()> {
    NEW_PANICS.store(on.extract()?, Ordering::SeqCst);
    Ok(())
}

/// A type whose every slot can panic.
struct Bomb {
    value: i64,
}

impl PyClass for Bomb {
    type Base = ObjectBase;

    fn new(_py: Python<'_>) -> PyResult<Self> {
        assert!(!NEW_PANICS.load(Ordering::SeqCst), "tp_new on purpose");
        Ok(Bomb { value: 0 })
    }
}

fn init(slf: &Bound<'_, Class<Bomb>>, value: i64) -> PyResult<()> {
    assert!(value >= 0, "tp_init got {value}");
    slf.with_mut(|this| this.value = value)
}

/// Panics while it holds the value mutably borrowed, half-way through a change.
fn explode(slf: &Bound<'_, Class<Bomb>>) -> PyResult<i64> {
    slf.with_mut(|this| {
        this.value += 1;
        panic!("method on purpose, at {}", this.value)
    })
}

fn get_value(slf: &Bound<'_, Class<Bomb>>) -> PyResult<i64> {
    slf.with(|this| this.value)
}

fn set_value(
    slf: &Bound<'_, Class<Bomb>>,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let value: i64 = value.expect("setter: `del` on purpose").extract()?;
    slf.with_mut(|this| this.value = value)
}

fn get_boom(_slf: &Bound<'_, Class<Bomb>>) -> PyResult<i64> {
    panic!("getter on purpose")
}

tutorial::class! {
    type: Bomb,
    name: "panics.Bomb",
    doc: "Panics in every slot.",
    init: init(value = 0),
    methods: [explode(): "Panic while borrowed mutably."],
    getset: [value: { get: get_value, set: set_value, doc: "a number" }, boom: { get: get_boom, doc: "panics" }],
}

fn exec(module: &Bound<'_, PyModule>) -> PyResult<()> {
    module.add("Bomb", &create_type::<Bomb>(module)?)?;
    module.add("GcBomb", &create_type::<GcBomb>(module)?)?;
    Ok(())
}

tutorial::module! {
    name: panics,
    doc: "Entry points that panic on purpose.",
    exec: exec,
    methods: [
        tutorial::meth_o!(in_o(n), "Panic if n is negative."),
        tutorial::meth_noargs!(in_noargs, "Panic."),
        tutorial::meth_fastcall!(in_fastcall(a, b = 1), "a // b; panic if b is 0."),
        tutorial::meth_fastcall_positional!(in_positional(a, b), "b - a; panic if a > b."),
        tutorial::meth_noargs!(in_detach, "Panic while detached."),
        tutorial::meth_noargs!(non_string_payload, "Panic with an i32 payload."),
        tutorial::meth_o!(with_exception_set(obj), "Panic with an exception set."),
        tutorial::meth_o!(arm_new(on), "Make Bomb() panic in tp_new."),
    ],
}

#[test]
fn a_panic_in_each_module_function_kind_becomes_system_error() {
    doctest(
        &[("panics", panics::init)],
        r#"
>>> import panics
>>> panics.in_o(-1)
Traceback (most recent call last):
  ...
SystemError: Rust panic: meth_o got -1
>>> panics.in_noargs()
Traceback (most recent call last):
  ...
SystemError: Rust panic: meth_noargs on purpose
>>> panics.in_fastcall(7, b=0)
Traceback (most recent call last):
  ...
SystemError: Rust panic: meth_fastcall divided 7 by 0
>>> panics.in_positional(2, 1)
Traceback (most recent call last):
  ...
SystemError: Rust panic: meth_fastcall_positional got 2 > 1
>>> panics.in_o(3), panics.in_fastcall(7, 2), panics.in_positional(1, 2)
(3, 3, 1)
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn a_panic_in_a_method_getter_or_setter_becomes_system_error() {
    doctest(
        &[("panics", panics::init)],
        r#"
>>> import panics
>>> b = panics.Bomb(5)
>>> b.explode()
Traceback (most recent call last):
  ...
SystemError: Rust panic: method on purpose, at 6
>>> b.boom
Traceback (most recent call last):
  ...
SystemError: Rust panic: getter on purpose
>>> del b.value
Traceback (most recent call last):
  ...
SystemError: Rust panic: setter: `del` on purpose
>>> b.value = 9; b.value
9
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn the_unwind_releases_a_mutable_borrow_and_keeps_the_change_made_before_the_panic()
{
    // The RefMut is dropped during the unwind, so the object is not left
    // "in use"; what the method changed before panicking stays changed, as
    // after an exception in C: a panic is not a transaction.
    doctest(
        &[("panics", panics::init)],
        r#"
>>> import panics
>>> b = panics.Bomb(1)
>>> try: b.explode()
... except SystemError: pass
>>> b.value, b.explode.__name__
(2, 'explode')
>>> b.value = 10; b.value
10
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn a_panic_in_tp_new_or_tp_init_becomes_system_error() {
    doctest(
        &[("panics", panics::init)],
        r#"
>>> import panics
>>> panics.Bomb(-4)
Traceback (most recent call last):
  ...
SystemError: Rust panic: tp_init got -4
>>> panics.arm_new(True)
>>> panics.Bomb()
Traceback (most recent call last):
  ...
SystemError: Rust panic: tp_new on purpose
>>> panics.arm_new(False)
>>> panics.Bomb(3).value
3
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn a_panic_while_detached_reattaches_then_raises() {
    // The guard inside `detach` re-attaches the thread during the unwind, so
    // the trampoline can raise, and the interpreter goes on.
    doctest(
        &[("panics", panics::init)],
        r#"
>>> import panics, threading
>>> panics.in_detach()
Traceback (most recent call last):
  ...
SystemError: Rust panic: detached on purpose
>>> t = threading.Thread(target=lambda: None); t.start(); t.join()
>>> panics.in_o(1)
1
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn a_panic_releases_the_errors_its_unwind_drops() {
    doctest(
        &[("panics", panics::init)],
        r#"
>>> import panics
>>> try:
...     panics.with_exception_set(object())
... except SystemError as e:
...     print(e, "|", type(e.__context__).__name__)
Rust panic: with an exception set | NoneType
>>> panics.non_string_payload()
Traceback (most recent call last):
  ...
SystemError: Rust panic: (a panic with a non-string payload)
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

// ---------------------------------------------------------------------------
// Entry points without an error path: the process aborts, loudly.

/// What `GcBomb` panics in.
#[derive(Clone, Copy, PartialEq)]
enum Fuse {
    None,
    Traverse,
    Clear,
    Drop,
}

/// A type in the garbage collector, which panics in the slot its fuse names.
struct GcBomb {
    fuse: Fuse,
    other: Option<Py<PyAny>>,
}

impl PyClass for GcBomb {
    type Base = ObjectBase;
    const GC: bool = true;

    fn new(_py: Python<'_>) -> PyResult<Self> {
        Ok(GcBomb { fuse: Fuse::None, other: None })
    }

    fn traverse(&self, visit: &mut Visit<'_>) -> Result<(), TraverseError> {
        assert!(self.fuse != Fuse::Traverse, "traverse on purpose");
        if let Some(other) = &self.other {
            visit.call(other)?;
        }
        Ok(())
    }

    fn clear(&mut self) {
        assert!(self.fuse != Fuse::Clear, "clear on purpose");
        self.other = None;
    }
}

impl Drop for GcBomb {
    fn drop(&mut self) {
        assert!(self.fuse != Fuse::Drop, "drop on purpose");
    }
}

/// `GcBomb(fuse, other)`: `fuse` is "traverse", "clear", "drop" or "".
fn gc_init(
    slf: &Bound<'_, Class<GcBomb>>,
    fuse: &str,
    other: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let fuse = match fuse {
        "traverse" => Fuse::Traverse,
        "clear" => Fuse::Clear,
        "drop" => Fuse::Drop,
        _ => Fuse::None,
    };
    let other = other.map(|o| o.clone_ref().unbind());
    let old = slf.with_mut(|this| {
        this.fuse = fuse;
        std::mem::replace(&mut this.other, other)
    })?;
    drop(old);
    Ok(())
}

fn get_other<'py>(
    slf: &Bound<'py, Class<GcBomb>>,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    slf.with(|this| this.other.as_ref().map(|o| o.bind(slf.py()).clone_ref()))
}

fn set_other(
    slf: &Bound<'_, Class<GcBomb>>,
    value: Option<&Bound<'_, PyAny>>,
) -> PyResult<()> {
    let new = value.map(|v| v.clone_ref().unbind());
    let old = slf.with_mut(|this| std::mem::replace(&mut this.other, new))?;
    drop(old);
    Ok(())
}

tutorial::class! {
    type: GcBomb,
    name: "panics.GcBomb",
    doc: "Panics in a garbage-collector slot or in Drop.",
    init: gc_init(fuse = "", other = None),
    methods: [],
    getset: [other: { get: get_other, set: set_other, doc: "any object" }],
}

/// Whether `statebomb`'s state panics in traverse, and in Drop: set by `arm(...)`.
static TRAVERSE_ARMED: AtomicBool = AtomicBool::new(false);
static DROP_ARMED: AtomicBool = AtomicBool::new(false);

/// A module state that panics once armed.
struct ArmedState;

impl ModuleState for ArmedState {
    fn traverse(&self, _visit: &mut Visit<'_>) -> Result<(), TraverseError> {
        assert!(
            !TRAVERSE_ARMED.load(Ordering::SeqCst),
            "module traverse on purpose"
        );
        Ok(())
    }
}

impl Drop for ArmedState {
    fn drop(&mut self) {
        assert!(!DROP_ARMED.load(Ordering::SeqCst), "module state drop on purpose");
    }
}

fn statebomb_exec(_module: &Bound<'_, PyModule>) -> PyResult<ArmedState> {
    Ok(ArmedState)
}

/// `arm(what)`: make the state panic in "traverse" or in "drop".
fn arm(_module: &Bound<'_, PyModule>, what: &Bound<'_, PyAny>) -> PyResult<()> {
    let flag = if what.extract::<String>()? == "traverse" {
        &TRAVERSE_ARMED
    } else {
        &DROP_ARMED
    };
    flag.store(true, Ordering::SeqCst);
    Ok(())
}

tutorial::module! {
    name: statebomb,
    doc: "A module whose state panics in m_traverse, m_clear and m_free once armed.",
    state: ArmedState,
    exec: statebomb_exec,
    methods: [tutorial::meth_o!(arm(what), "Arm the state's traverse or drop.")],
}

// ANCHOR: aborts
/// The variable that tells this test binary it is a child running one scenario.
const CHILD: &str = "PANIC_SAFETY_CHILD";

/// Runs `code` in a child process (this binary, running only `test`) and
/// checks that it aborts with `message` and the panic's own message on stderr.
///
/// In the child, runs `code` with the modules importable; if the code
/// returns, the child exits with status 3 ("did not abort").
fn aborts(test: &str, code: &str, message: &str, panic: &str) {
    if std::env::var(CHILD).as_deref() == Ok(test) {
        let modules: [(&str, tutorial_embed::InitFn); 2] =
            [("panics", panics::init), ("statebomb", statebomb::init)];
        let result = tutorial_embed::run_python(&modules, code);
        eprintln!("child: the code returned instead of aborting: {result:?}");
        std::process::exit(3);
    }
    let exe = std::env::current_exe().expect("the test binary's path");
    let out = Command::new(exe)
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, test)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the test binary runs again");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        out.status.signal(),
        Some(6),
        "{test}: expected SIGABRT, got {}; stderr:\n{stderr}",
        out.status
    );
    assert!(
        stderr.contains(message),
        "{test}: no `{message}` on stderr:\n{stderr}"
    );
    assert!(
        stderr.contains(panic),
        "{test}: the panic message `{panic}` is not on stderr:\n{stderr}"
    );
}
// ANCHOR_END: aborts

#[test]
fn a_panic_in_tp_traverse_aborts() {
    aborts(
        "a_panic_in_tp_traverse_aborts",
        "import panics, gc\nb = panics.GcBomb('traverse')\ngc.get_referents(b)",
        "fatal: tp_traverse of panic_safety::GcBomb panicked: traverse on purpose",
        "traverse on purpose",
    );
}

#[test]
fn a_panic_in_tp_clear_aborts() {
    aborts(
        "a_panic_in_tp_clear_aborts",
        "import panics, gc\nb = panics.GcBomb('clear')\nb.other = b\ndel b\ngc.collect()",
        "fatal: tp_clear of panic_safety::GcBomb panicked: clear on purpose",
        "clear on purpose",
    );
}

#[test]
fn a_panic_in_drop_during_tp_dealloc_aborts() {
    aborts(
        "a_panic_in_drop_during_tp_dealloc_aborts",
        "import panics\nb = panics.GcBomb('drop')\ndel b",
        "fatal: the Drop of panic_safety::GcBomb (tp_dealloc) panicked: drop on purpose",
        "drop on purpose",
    );
}

#[test]
fn a_panic_in_module_traverse_aborts() {
    aborts(
        "a_panic_in_module_traverse_aborts",
        "import statebomb, gc\nstatebomb.arm('traverse')\ngc.get_referents(statebomb)",
        "fatal: traverse of module state panic_safety::ArmedState panicked: module traverse on purpose",
        "module traverse on purpose",
    );
}

#[test]
fn a_panic_in_module_state_drop_aborts() {
    // A second module object from the same definition, collected: m_clear
    // (the collector breaks the module's cycle through its functions) or
    // m_free drops the state.
    aborts(
        "a_panic_in_module_state_drop_aborts",
        "import statebomb, importlib.util, gc\n\
         again = importlib.util.module_from_spec(statebomb.__spec__)\n\
         statebomb.__spec__.loader.exec_module(again)\n\
         statebomb.arm('drop')\n\
         del again\n\
         gc.collect()",
        "fatal: the Drop of module state panic_safety::ArmedState panicked: module state drop on purpose",
        "module state drop on purpose",
    );
}
