//! Every module in subinterpreters: what `Py_mod_multiple_interpreters`
//! states (`Py_MOD_PER_INTERPRETER_GIL_SUPPORTED`, see
//! `tutorial::impl_::module::def_slots`) is what CPython does with it. The
//! modules load and work in a subinterpreter that shares the main
//! interpreter's GIL and, from 3.12, in one with a GIL of its own, as the C
//! `_bisect`, `_heapq` and `binascii` do; each interpreter gets a module
//! object, types and state of its own. Until the safe layer's handles
//! recorded their interpreter (`tutorial/tests/interpreters.rs`), the
//! modules stated only `Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED`, and
//! CPython refused them in an interpreter with its own GIL.
//!
//! A port whose name the interpreter has built in (Debian's `_bisect` and
//! `_heapq`) is left out there: the built-in entry of the inittab comes
//! first, so the import would test the C module.

use examples::*;
use tutorial::module::InitFn;

/// Every module of `examples/src`, by import name.
const MODULES: [(&str, InitFn); 11] = [
    ("spam", spam::init),
    ("custom", custom::init),
    ("custom2", custom2::init),
    ("custom3", custom3::init),
    ("custom4", custom4::init),
    ("sublist", sublist::init),
    ("_bisect", _bisect::init),
    ("_heapq", _heapq::init),
    ("_base64", _base64::init),
    ("stats", stats::init),
    ("zlib", zlib::init),
];

/// A line of Python per module that uses it a little, in the subinterpreter.
fn smoke(name: &str) -> &'static str {
    match name {
        "spam" => "assert spam.system('true') == 0",
        "custom" => "custom.Custom()",
        "custom2" => "assert custom2.Custom('a', 'b').name() == 'a b'",
        "custom3" => "assert custom3.Custom('a', 'b').name() == 'a b'",
        "custom4" => "assert custom4.Custom('a', 'b').name() == 'a b'",
        "sublist" => "s = sublist.SubList(); s.increment(); assert s.state == 1",
        "_bisect" => "assert _bisect.bisect_left([1, 2, 3], 2) == 1",
        "_heapq" => {
            "h = []; _heapq.heappush(h, 2); _heapq.heappush(h, 1); assert h[0] == 1"
        }
        "_base64" => "assert _base64.b2a_base64(b'hi') == b'aGk=\\n'",
        "stats" => "r = stats.Running([1.0, 3.0]); assert r.mean == 2.0",
        "zlib" => "assert zlib.decompress(zlib.compress(b'hi')) == b'hi'",
        _ => panic!("no smoke line for {name}: add one"),
    }
}

#[test]
fn the_list_names_every_module() {
    let src = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut files: Vec<String> = std::fs::read_dir(src)
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().into_string().unwrap();
            name.strip_suffix("module.rs").map(str::to_owned)
        })
        .collect();
    files.sort();
    let mut listed: Vec<String> =
        MODULES.iter().map(|(n, _)| (*n).to_owned()).collect();
    listed.sort();
    assert_eq!(files, listed, "MODULES must list every examples/src/*module.rs");
}

/// The session: for each module, an import and its smoke line in a
/// subinterpreter of each kind, the outcome written to a file (the one
/// channel that works the same from 3.11 to 3.15), then compared.
fn session() -> String {
    let names: Vec<&str> = MODULES.iter().map(|(n, _)| *n).collect();
    let smokes: Vec<String> =
        names.iter().map(|n| format!("{:?}", smoke(n))).collect();
    format!(
        r#"
import os, sys, tempfile
try:
    import _interpreters as I          # 3.13+
    def make(own_gil):
        return I.create(I.new_config("isolated" if own_gil else "legacy"))
except ImportError:
    import _xxsubinterpreters as I     # 3.11, 3.12
    def make(own_gil):
        return I.create(isolated=own_gil)

def outcome(own_gil, name, smoke):
    out = tempfile.mktemp()
    code = f'''
try:
    import {{name}}
    {{smoke}}
    result = "ok"
except BaseException as e:
    result = f"{{{{type(e).__name__}}}}: {{{{e}}}}"
with open({{out!r}}, "w") as f:
    f.write(result)
'''
    interp = make(own_gil)
    try:
        I.run_string(interp, code)
    finally:
        I.destroy(interp)
    with open(out) as f:
        result = f.read()
    os.remove(out)
    return result

names = {names:?}
smokes = [{smokes}]
import sysconfig
built_in = (sysconfig.get_config_var("MODBUILT_NAMES") or "").split()
checked = 0
for name, smoke in zip(names, smokes):
    if name in built_in:
        # Debian builds _bisect, _heapq and binascii into the interpreter,
        # and its built-in entry comes first in the inittab: the import
        # would get the C module.
        continue
    checked += 1
    shared = outcome(False, name, smoke)
    assert shared == "ok", (name, shared)
    if sys.version_info >= (3, 12):
        own = outcome(True, name, smoke)
        assert own == "ok", (name, own)
assert checked >= 7, checked
print("checked", checked, "modules")
"#,
        smokes = smokes.join(", ")
    )
}

#[test]
fn every_module_loads_where_it_says_it_can_and_only_there() {
    tutorial_embed::run_python(&MODULES, &session())
        .unwrap_or_else(|report| panic!("{report}"));
}
