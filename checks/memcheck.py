"""Runs a Python command under valgrind's memcheck and judges the report.

Usage::

    python3 memcheck.py --modules DIR [--expect KIND:FUNCTION ...] -- PYTHON ARGS...

The command runs with ``PYTHONMALLOC=malloc``, so that every Python object
is its own ``malloc`` block that valgrind can watch (CPython's small-object
allocator would hand out pieces of bigger blocks, and reads past an object
would land in its neighbour, unseen). Known reports about CPython and the C
library are suppressed by ``valgrind-python.supp``, next to this file.

What fails the run:

- any invalid read, write or free, wherever valgrind saw it: memory the
  modules corrupt is often used first by the interpreter;
- any use of an uninitialised value whose innermost frame is in one of the
  modules (the ``.so`` files in DIR);
- any block *definitely lost* (no pointer to it is left) that was allocated
  with a frame of one of the modules on the stack;
- the command itself failing (a test failed).

Leaks of CPython's own (blocks the interpreter deliberately does not free
at exit) are counted and printed, not failed.

With ``--expect KIND:FUNCTION``, the run is a test of the check: it passes
only if every expected report was found (a report of that kind with a
frame whose function name contains FUNCTION).

``MEMCHECK_ORIGINS=1`` adds ``--track-origins=yes``: slower, but each
uninitialised value then says where it was made.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

HERE = os.path.dirname(os.path.abspath(__file__))
SUPPRESSIONS = os.path.join(HERE, "valgrind-python.supp")

MEMORY_ERRORS = {
    "InvalidRead",
    "InvalidWrite",
    "InvalidFree",
    "MismatchedFree",
    "InvalidJump",
    "InvalidMemPool",
    "Overlap",
    "FishyValue",
    "SyscallParam",
}
UNINITIALISED = {"UninitCondition", "UninitValue"}
DEFINITE_LEAK = "Leak_DefinitelyLost"


def frames(error, which=0):
    """One of the error's stacks: (function, object file, file:line) per frame."""
    stacks = error.findall("stack")
    if len(stacks) <= which:
        return []
    return [
        (f.findtext("fn") or "???", f.findtext("obj") or "", f"{f.findtext('file') or '?'}:{f.findtext('line') or '?'}")
        for f in stacks[which].findall("frame")
    ]


def readable(stack):
    """The stack without the Rust standard library's frames, but for the innermost."""
    noise = ("alloc::", "__rust_try", "std::panic", "std::panicking", "core::ops::function")
    return stack[:1] + [f for f in stack[1:] if not f[2].startswith("library/") and not any(n in f[0] for n in noise)]


def describe(error, depth=6):
    """One report, laid out as valgrind prints it, with the first frames of each stack."""
    what = error.findtext("what") or error.findtext("xwhat/text") or error.findtext("kind")
    lines = [what]
    for i, (fn, obj, where) in enumerate(readable(frames(error))[:depth]):
        lines.append(f"   {'at' if i == 0 else 'by'} {fn} ({where if where != '?:?' else os.path.basename(obj)})")
    auxwhat = error.findtext("auxwhat")
    if auxwhat:
        lines.append(f" {auxwhat}")
        for i, (fn, obj, where) in enumerate(readable(frames(error, 1))[:depth]):
            lines.append(f"   {'at' if i == 0 else 'by'} {fn} ({where if where != '?:?' else os.path.basename(obj)})")
    return "\n".join(lines)


def judge(root, modules):
    """(failures, CPython's own definite leaks, suppressed count) of a report."""

    def ours(obj):
        return any(os.path.realpath(obj).startswith(d + os.sep) for d in modules)

    failures, theirs = [], []
    for error in root.iter("error"):
        kind = error.findtext("kind")
        stack = frames(error)
        if kind in MEMORY_ERRORS:
            failures.append(error)
        elif kind in UNINITIALISED and stack and ours(stack[0][1]):
            failures.append(error)
        elif kind == DEFINITE_LEAK:
            (failures if any(ours(obj) for _, obj, _ in stack) else theirs).append(error)
    suppressed = sum(int(p.findtext("count") or 0) for p in root.iter("pair"))
    return failures, theirs, suppressed


def found(errors, expectation):
    kind, _, function = expectation.partition(":")
    return any(e.findtext("kind") == kind and any(function in fn for fn, _, _ in frames(e)) for e in errors)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--modules", action="append", required=True, help="a folder of the modules under test")
    parser.add_argument("--expect", action="append", default=[], metavar="KIND:FUNCTION")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("no command to run")
    modules = [os.path.realpath(d) for d in args.modules]
    with tempfile.TemporaryDirectory() as tmp:
        xml_file = os.path.join(tmp, "memcheck.xml")
        valgrind = [
            "valgrind",
            "--tool=memcheck",
            "--leak-check=full",
            "--show-leak-kinds=definite",
            "--num-callers=30",
            f"--suppressions={SUPPRESSIONS}",
            "--xml=yes",
            f"--xml-file={xml_file}",
        ]
        if os.environ.get("MEMCHECK_ORIGINS") == "1":
            valgrind.append("--track-origins=yes")
        env = dict(os.environ, PYTHONMALLOC="malloc")
        print("$ PYTHONMALLOC=malloc " + " ".join(valgrind + command), flush=True)
        status = subprocess.run(valgrind + command, env=env).returncode
        root = ET.parse(xml_file).getroot()
    failures, theirs, suppressed = judge(root, modules)
    kinds = {}
    for error in failures:
        kinds[error.findtext("kind")] = kinds.get(error.findtext("kind"), 0) + 1
    summary = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items())) or "no report about the modules"
    print(
        f"memcheck: {summary}; CPython's own: {len(theirs)} definite leaks, {suppressed} suppressed reports; "
        f"the command exited with {status}"
    )
    if args.expect:
        missing = [e for e in args.expect if not found(failures, e)]
        for expectation in args.expect:
            print(f"memcheck: expected {expectation}: {'found' if expectation not in missing else 'NOT FOUND'}")
        for error in failures:
            print(describe(error))
        sys.exit(1 if missing else 0)
    for error in failures:
        print(describe(error))
    sys.exit(1 if failures or status != 0 else 0)


if __name__ == "__main__":
    main()
