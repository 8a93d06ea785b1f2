"""Runs CPython's own tests against the Rust ports, and proves they ran.

    python run_cpython_tests.py regrtest DIR [test_bisect test_heapq]
    python run_cpython_tests.py base64 DIR

DIR holds the Rust extension under each module name (`_bisect`, `_heapq`,
`_base64`); `cargo xtask test` passes `target/python` and also puts it on
PYTHONPATH, with `checks/` after it for `ports.py`, which says which port
each test file tests. A finder (`ports.install_finder`) put first on
`sys.meta_path` makes `import _bisect` find the Rust module in DIR even
where the C one is built into the interpreter, as on Debian's, whose
built-in importer is asked before `sys.path`.

`regrtest` runs the installed interpreter's test files unchanged, exactly as
`python -m test test_bisect test_heapq` does (this is that command, run in
this process so that it can be watched); without test names, those of every
port in DIR. `base64` substitutes the Rust
`b2a_base64` and `a2b_base64` for binascii's and runs the base64-related
classes of `test_binascii` and all of `test_base64` with unittest.

Either way, the proof that the Rust code ran is taken while the tests run,
not assumed from `sys.path`:

- every extension module the import system loads is recorded (with its
  file), so a `_bisect` or `_heapq` loaded from anywhere else fails the run;
- a profile hook counts the calls into every builtin function whose module
  is a Rust one from DIR (and into C `_bisect`/`_heapq` functions, which
  must be zero), so a run that never reached the Rust code fails too.

Every skipped test is listed with its reason.
"""

import importlib.machinery
import sys
from collections import Counter
from pathlib import Path

loads = []  # (module name, file) of every extension module loaded


def watch_imports():
    create = importlib.machinery.ExtensionFileLoader.create_module

    def recording_create(self, spec):
        loads.append((spec.name, spec.origin))
        return create(self, spec)

    importlib.machinery.ExtensionFileLoader.create_module = recording_create


# Before anything else is imported: unittest imports difflib, which imports
# heapq, and so _heapq.
watch_imports()

import runpy  # noqa: E402
import unittest  # noqa: E402

import ports  # noqa: E402

# The ports CPython's test files import by name (the others are swapped in).
PORTS = tuple(name for name, port in ports.PORTS.items() if port.regrtest)
rust_calls = Counter()  # "module.function" -> calls into DIR's modules
c_calls = Counter()  # the same for the C modules the ports replace
skips = []  # (test id, reason)
tests_run = 0


def in_dir(path, directory):
    """Whether the file `path` is directly in `directory` (resolved)."""
    return Path(path).resolve().parent == directory


def watch_calls(rust_dir):
    builtin = type(len)

    def profile(frame, event, arg):
        if event != "c_call" or type(arg) is not builtin:
            return
        module = arg.__self__
        origin = getattr(module, "__file__", None)
        if origin is None:
            return
        name = getattr(module, "__name__", "?")
        if in_dir(origin, rust_dir):
            rust_calls[f"{name}.{arg.__name__}"] += 1
        elif name in PORTS:
            c_calls[f"{name}.{arg.__name__}"] += 1

    sys.setprofile(profile)


def watch_results():
    add_skip = unittest.TestResult.addSkip
    start = unittest.TestResult.startTest

    def recording_add_skip(self, test, reason):
        skips.append((test.id(), reason))
        return add_skip(self, test, reason)

    def counting_start(self, test):
        global tests_run
        tests_run += 1
        return start(self, test)

    unittest.TestResult.addSkip = recording_add_skip
    unittest.TestResult.startTest = counting_start


def report(rust_dir, expected_modules):
    """Prints what ran; returns the problems found."""
    problems = []
    print(f"\n== Rust ports checked: {tests_run} tests run, {len(skips)} skipped")
    for test, reason in skips:
        print(f"   skipped {test}: {reason}")
        if not reason:
            problems.append(f"{test} was skipped without a reason")
    for name in expected_modules:
        files = [origin for loaded, origin in loads if loaded == name]
        where = ", ".join(sorted(set(files))) or "never"
        print(f"   {name} loaded {len(files)} time(s) from {where}")
        if not files and name in PORTS:
            problems.append(f"{name} was never imported by the tests")
        for origin in files:
            if not in_dir(origin, rust_dir):
                problems.append(f"{name} was loaded from {origin}, not from {rust_dir}")
    for function, n in sorted(rust_calls.items()):
        print(f"   {n:7} calls into Rust {function}")
    for module in expected_modules:
        if not any(f.startswith(module + ".") for f in rust_calls):
            problems.append(f"no call reached the Rust {module}")
    for function, n in sorted(c_calls.items()):
        problems.append(f"{n} calls reached the C {function}")
    return problems


def run_regrtest(rust_dir, tests):
    names = ports.regrtest_ports(rust_dir)
    if not tests:
        tests = [ports.PORTS[name].regrtest[0] for name in names]
    ports.install_finder(rust_dir, names + ["_base64"])
    for name in names:
        module = __import__(name)
        if not in_dir(module.__file__, rust_dir):
            return [f"import {name} finds {module.__file__}, not the Rust module in {rust_dir}"]
        print(f"{name} is the Rust module: {module.__file__}")
    sys.argv = ["python -m test", *tests]
    try:
        runpy.run_module("test", run_name="__main__", alter_sys=True)
        code = 0
    except SystemExit as e:
        code = e.code if isinstance(e.code, int) else 1
    problems = report(rust_dir, [name for name in names if ports.PORTS[name].regrtest[0] in tests])
    if code != 0:
        problems.append(f"regrtest exited with {code}")
    return problems


def run_base64(rust_dir):
    import binascii

    ports.install_finder(rust_dir, ["_base64"])
    rust = __import__("_base64")
    if not in_dir(rust.__file__, rust_dir):
        return [f"import _base64 finds {rust.__file__}, not {rust_dir}"]
    binascii.b2a_base64 = rust.b2a_base64
    binascii.a2b_base64 = rust.a2b_base64
    print(f"binascii.b2a_base64 and a2b_base64 are now those of {rust.__file__}")

    from test import test_base64, test_binascii

    loader = unittest.TestLoader()
    suite = unittest.TestSuite()
    # The base64 tests of test_binascii run once per argument type; the
    # other class there (ChecksumBigBufferTestCase) tests crc32 only.
    for case in ["BinASCIITest", "ArrayBinASCIITest", "BytearrayBinASCIITest", "MemoryviewBinASCIITest"]:
        suite.addTests(loader.loadTestsFromTestCase(getattr(test_binascii, case)))
    suite.addTests(loader.loadTestsFromModule(test_base64))
    result = unittest.TextTestRunner(verbosity=1).run(suite)
    problems = report(rust_dir, ["_base64"])
    if binascii.b2a_base64 is not rust.b2a_base64 or binascii.a2b_base64 is not rust.a2b_base64:
        problems.append("a test put binascii's own functions back")
    for function in ("_base64.b2a_base64", "_base64.a2b_base64"):
        if not rust_calls[function]:
            problems.append(f"no test called {function}")
    if not result.wasSuccessful():
        problems.append(f"{len(result.failures)} failures, {len(result.errors)} errors")
    return problems


def main(argv):
    if len(argv) < 2 or argv[0] not in ("regrtest", "base64"):
        print(__doc__)
        return 2
    mode, rust_dir, tests = argv[0], Path(argv[1]).resolve(), argv[2:]
    if str(rust_dir) not in [str(Path(p).resolve()) for p in sys.path if p]:
        sys.path.insert(0, str(rust_dir))
    watch_results()
    watch_calls(rust_dir)
    try:
        problems = run_regrtest(rust_dir, tests) if mode == "regrtest" else run_base64(rust_dir)
    finally:
        sys.setprofile(None)
    for problem in problems:
        print(f"FAILED: {problem}")
    if not problems:
        print("== the Rust ports passed, and the record above shows they ran")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
