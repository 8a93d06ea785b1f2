//! Deallocating deeply nested objects (issue 12, item 6): a `SubList`
//! nested 300,000 deep, and a chain of 300,000 `custom2.Custom`, each the
//! `first` of the next. The deallocators nest once per level; without the
//! safe layer's trashcan (`deep_dealloc` in `tutorial/src/impl_/class.rs`)
//! they overflowed the C stack (SIGSEGV) when the outermost went. Each case
//! runs in a child process (this test binary run again with
//! `DEEP_STRUCTURES_CHILD` set to its name), so that a crash is a failed
//! test and not a lost test run.

use std::process::Command;

const MODULES: [(&str, tutorial_embed::InitFn); 2] =
    [("custom2", examples::custom2::init), ("sublist", examples::sublist::init)];

const CASES: [(&str, &str); 4] = [
    (
        "sublist",
        "import sublist\ns = sublist.SubList()\n\
         for _ in range(300_000):\n    s = sublist.SubList([s])\ndel s\n",
    ),
    (
        "custom2",
        "import custom2\nc = custom2.Custom()\n\
         for _ in range(300_000):\n    c = custom2.Custom(c)\ndel c\n",
    ),
    (
        // A Python subclass in between: subtype_dealloc, then this layer's.
        "mixed",
        "import sublist\nclass S(sublist.SubList): pass\ns = []\n\
         for i in range(300_000):\n    s = (S if i % 2 else sublist.SubList)([s])\ndel s\n",
    ),
    (
        // Deallocations nested across interpreters: freeing `holder` frees a
        // `Trigger`, whose `__del__` runs a subinterpreter (with its own
        // GIL and allocator from 3.12) that frees a deep SubList. Its
        // objects were parked with the main interpreter's and freed there,
        // into the wrong allocator.
        "subinterpreter",
        r#"
import sys, sublist
try:
    import _interpreters as I                    # 3.13+
    sub = I.create(I.new_config("isolated"))
except ImportError:
    import _xxsubinterpreters as I               # 3.11, 3.12
    sub = I.create(isolated=True) if sys.version_info >= (3, 12) else I.create()
deep = """
import sublist
s = sublist.SubList()
for _ in range(1000):
    s = sublist.SubList([s])
del s
"""
class Trigger:
    def __del__(self):
        I.run_string(sub, deep)
holder = sublist.SubList([Trigger()])
del holder
I.destroy(sub)
"#,
    ),
];

/// In the child: run the case named by the variable, then say so.
fn child() -> bool {
    let Ok(name) = std::env::var("DEEP_STRUCTURES_CHILD") else { return false };
    let (_, code) = CASES.iter().find(|(n, _)| *n == name).expect("a known case");
    tutorial_embed::run_python(&MODULES, code)
        .unwrap_or_else(|traceback| panic!("{traceback}"));
    println!("freed {name}");
    true
}

#[test]
fn deeply_nested_objects_are_freed_without_overflowing_the_stack() {
    if child() {
        return;
    }
    for (name, _) in CASES {
        let out = Command::new(std::env::current_exe().expect("this test binary"))
            .args([
                "--exact",
                "deeply_nested_objects_are_freed_without_overflowing_the_stack",
                "--nocapture",
            ])
            .env("DEEP_STRUCTURES_CHILD", name)
            .output()
            .expect("the test binary runs");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains(&format!("freed {name}")),
            "{name}: {:?}\n{stdout}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr),
        );
    }
}
