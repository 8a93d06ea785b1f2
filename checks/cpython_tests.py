"""Runs CPython's own tests (``python -m test``) against the Rust ports.

Usage::

    python3.11-dbg cpython_tests.py MODULES_DIR [regrtest options] [TEST...]
    python3.11-dbg cpython_tests.py target/dbg/python -R 3:3 test_bisect test_heapq test_zlib

Without a TEST (an argument starting with ``test_``), it runs the test
files of every port in MODULES_DIR (``ports.py`` names each port's file).

``python -m test test_bisect`` would test the interpreter's own C
``_bisect``, and on Debian's interpreters ``_bisect`` and ``_heapq`` are
*built in*: the import system asks the built-in importer first, so putting
the Rust module first on ``sys.path`` is not enough. This script puts a
finder in front of every other, for the ports found in MODULES_DIR only,
then runs regrtest as ``python -m test`` would, in this process.

At the end it proves which module ran: each port must have been loaded
from MODULES_DIR, and the C module the test file imported as its
accelerated version (``c_bisect``, ``c_heapq``) must be the Rust one. It
exits non-zero otherwise, whatever the tests said.
"""

import importlib.machinery
import os
import runpy
import sys

import ports


class TestModuleKeeper:
    """Keeps each of CPython's test modules named in `names` once imported:
    from 3.15 regrtest unloads a test file's module when it is done, and the
    proof below reads the module the tests used."""

    def __init__(self, names):
        self.names = names
        self.kept = {}

    def find_spec(self, name, path=None, target=None):
        if name not in self.names:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path)
        if spec is None:
            return None
        execute = spec.loader.exec_module

        def keeping_exec(module):
            execute(module)
            self.kept[name] = module

        spec.loader.exec_module = keeping_exec
        return spec


def proof(finder, keeper):
    """Lines saying which module each test file used; False if one was not ours."""
    ok = True
    lines = []
    for name in finder.names:
        test_file, attribute, function = ports.PORTS[name].regrtest
        test_module = f"test.{test_file}"
        tests = keeper.kept.get(test_module, sys.modules.get(test_module))
        accelerated = getattr(tests, attribute, None)
        used = getattr(getattr(accelerated, function, None), "__self__", None)
        where = getattr(used, "__file__", "built in") if used is not None else "not imported"
        ours = isinstance(where, str) and os.path.dirname(os.path.abspath(where)) == finder.folder
        ok = ok and ours and finder.loaded[name] > 0
        lines.append(
            f"cpython tests: {test_module}.{attribute}.{function} is {name} from {where}"
            f" ({'the Rust port' if ours else 'NOT the Rust port'}; loaded {finder.loaded[name]} times)"
        )
    return ok, lines


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    folder = os.path.abspath(sys.argv[1])
    names = ports.regrtest_ports(folder)
    if not names:
        sys.exit(f"cpython tests: no port with CPython tests in {folder}")
    finder = ports.install_finder(folder, names)
    keeper = TestModuleKeeper([f"test.{ports.PORTS[name].regrtest[0]}" for name in names])
    sys.meta_path.insert(0, keeper)
    args = sys.argv[2:]
    if not any(arg.startswith("test_") for arg in args):
        args += [ports.PORTS[name].regrtest[0] for name in names]
    sys.argv = ["python -m test"] + args
    status = 0
    try:
        runpy.run_module("test", run_name="__main__", alter_sys=True)
    except SystemExit as exit:
        status = exit.code if isinstance(exit.code, int) else (0 if exit.code is None else 1)
    ok, lines = proof(finder, keeper)
    for line in lines:
        print(line)
    if not ok:
        print("cpython tests: a port was not the module under test")
        status = status or 1
    sys.exit(status)


if __name__ == "__main__":
    main()
