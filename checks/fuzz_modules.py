"""Calls every function, method, constructor and attribute of the extension
modules with hostile arguments, and requires that nothing crashes.

Usage::

    python fuzz_modules.py MODULE...            # each module in its own process
    python fuzz_modules.py --only planted.crash_if_negative planted

For each module, a child process (this script again, with ``--child``)
finds what the module exports by introspection: its functions, and for each
type it defines, the constructor, the methods and the attributes (get, set
and delete), on instances of the type and of a Python subclass. Each of
these *targets* is called with arguments drawn by hypothesis from a set of
hostile values: wrong types, ``None``, huge and negative integers, objects
whose ``__index__``, ``__len__``, ``__bool__``, ``__hash__`` or comparisons
raise or lie, comparisons that empty the list being searched, subclasses of
built-in types, keys that raise, and very large inputs. Argument counts and
keyword names vary around the target's signature.

A call may raise any exception but ``SystemError``, which in these modules
means a bug: a Rust panic (the trampoline's ``Rust panic: ...``) or an
error returned without an exception. For the ports, each call is also made
on the C original (``_bisect`` and ``_heapq`` from the interpreter's
``lib-dynload``, ``binascii`` for ``_base64``: ``ports.py`` says which) with
a deep copy of the same arguments, and both must raise the same exception
type, or both succeed.

A crash (a signal) kills only the child; the parent reports the signal and
the last call the child started, which it wrote to a file before each
call. The parent exits non-zero if any module had a failure.

``FUZZ_EXAMPLES`` sets the number of calls per target (default 60, about
2,000 calls for the tutorial's modules); examples are derandomized, so CI
repeats the same calls. For a longer hunt::

    FUZZ_EXAMPLES=5000 FUZZ_RANDOM=1 python fuzz_modules.py spam _bisect

``FUZZ_RANDOM=1`` draws new examples on every run.
"""

import argparse
import copy
import faulthandler
import importlib
import inspect
import os
import signal
import subprocess
import sys
import tempfile
import types

import ports

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"

# Targets that must not be called with some arguments: spam.system runs any
# str without a NUL character as a shell command.
def runs_a_shell_command(target, args, kwargs):
    return target == "spam.system" and any(
        isinstance(v, str) and "\0" not in v for v in list(args) + list(kwargs.values())
    )


SKIP_CALL = [runs_a_shell_command]


# ---------------------------------------------------------------------------
# Hostile values


class Boom(Exception):
    """Raised by the hostile objects below."""


class RaisingIndex:
    def __index__(self):
        raise Boom("__index__")


class HugeIndex:
    def __index__(self):
        return 2**100


class RaisingLen:
    def __len__(self):
        raise Boom("__len__")

    def __getitem__(self, i):
        raise Boom("__getitem__")

    def __iter__(self):
        raise Boom("__iter__")


class NegativeLen:
    def __len__(self):
        return -1

    def __getitem__(self, i):
        return i


class EndlessSequence:
    """A sequence that claims a huge length and answers every index."""

    def __len__(self):
        return sys.maxsize

    def __getitem__(self, i):
        return i


class RaisingCompare:
    def _boom(self, other):
        raise Boom("comparison")

    __lt__ = __le__ = __gt__ = __ge__ = __eq__ = __ne__ = _boom
    __hash__ = object.__hash__


class BadBool:
    def __bool__(self):
        raise Boom("__bool__")


class BadBoolCompare:
    def _bad(self, other):
        return BadBool()

    __lt__ = __le__ = __gt__ = __ge__ = __eq__ = __ne__ = _bad
    __hash__ = object.__hash__


class NotImplementedCompare:
    def _no(self, other):
        return NotImplemented

    __lt__ = __le__ = __gt__ = __ge__ = _no


class RaisingHash:
    def __hash__(self):
        raise Boom("__hash__")


class RaisingStr:
    def __str__(self):
        raise Boom("__str__")

    __repr__ = __str__


class ListEmptier:
    """Empties the list it is in on every comparison."""

    def __init__(self, home):
        self.home = home

    def __lt__(self, other):
        self.home.clear()
        return False

    __le__ = __gt__ = __ge__ = __lt__


class IntSub(int):
    pass


class StrSub(str):
    def __str__(self):
        raise Boom("StrSub.__str__")


class BytesSub(bytes):
    pass


class ListSub(list):
    def __getitem__(self, i):
        raise Boom("ListSub.__getitem__")

    def __len__(self):
        return 10**6


def emptying_list(n):
    home = []
    home.extend(ListEmptier(home) for _ in range(n))
    return home


def self_containing_list():
    a = [1, 2]
    a.append(a)
    return a


def raising_key(_):
    raise Boom("key")


SCALARS = [
    None, True, False, 0, 1, -1, 2, 7, -7, 255, 256, 2**31, 2**31 - 1, -(2**31), 2**63 - 1, 2**63,
    -(2**63), -(2**63) - 1, 2**64, 10**30, -(10**30), sys.maxsize, -sys.maxsize - 1, 0.0, -0.0, 1.5,
    float("nan"), float("inf"), float("-inf"), 1j, "", "a", "\0", "a\0b", "\udc80", "\u00e9", "x" * 1000,
    b"", b"\0", b"abc", b"YWJj", b"YWJj\n", b"====", b"\xff\xfe", bytearray(b"YWJj"), Ellipsis,
    NotImplemented, object(), int, str, list, type, len, print, IntSub(3), StrSub("s"), BytesSub(b"YQ=="),
]
MAKERS = [
    RaisingIndex, HugeIndex, RaisingLen, NegativeLen, EndlessSequence, RaisingCompare, BadBool,
    BadBoolCompare, NotImplementedCompare, RaisingHash, RaisingStr, lambda: raising_key,
    lambda: (lambda x: x), lambda: ListSub([1, 2, 3]), lambda: emptying_list(5), self_containing_list,
    lambda: memoryview(b"abcdef")[::2], lambda: memoryview(bytearray(b"YWJj")), lambda: (1, 2, 3),
    lambda: {"a": 1}, lambda: {1, 2}, lambda: frozenset(), lambda: list(range(100_000)),
    lambda: b"QUJD" * 250_000, lambda: "QUJD" * 250_000, lambda: [RaisingCompare() for _ in range(5)],
    lambda: [BadBoolCompare() for _ in range(5)], lambda: [3, 1, 2], lambda: sorted(range(50)),
]


def hostile(st):
    """A hypothesis strategy for one hostile value (made fresh per draw)."""
    leaf = st.one_of(
        st.sampled_from(SCALARS),
        st.sampled_from(MAKERS).map(lambda make: make()),
        st.integers(),
        st.sampled_from(SCALARS),
        st.text(max_size=20),
        st.binary(max_size=40),
    )
    return st.one_of(leaf, leaf, leaf, st.lists(leaf, max_size=6), st.tuples(leaf, leaf))


# ---------------------------------------------------------------------------
# Targets


class Target:
    """Something to call: a name, the callable, its parameter names, its C twin."""

    def __init__(self, name, call, params, twin=None):
        self.name, self.call, self.params, self.twin = name, call, params, twin


def parameters(obj):
    try:
        return [p.name for p in inspect.signature(obj).parameters.values() if p.name not in ("self", "module")]
    except (TypeError, ValueError):
        return []


def targets(module):
    """Every target the module exports, found by introspection."""
    name = module.__name__
    original = ports.original(name) if name in ports.PORTS else None
    found = []
    for attr, obj in sorted(vars(module).items()):
        if isinstance(obj, types.BuiltinFunctionType):
            twin = getattr(original, attr, None) if original is not None else None
            found.append(Target(f"{name}.{attr}", obj, parameters(obj), twin))
        elif isinstance(obj, type) and obj.__module__ == name and not issubclass(obj, BaseException):
            found.extend(type_targets(name, attr, obj))
    return found


def subclass(cls):
    """A Python subclass of `cls`, or `cls` itself if it cannot be subclassed."""
    try:
        return type(f"{cls.__name__}Sub", (cls,), {})
    except TypeError:
        return cls


def type_targets(module_name, type_name, cls):
    sub = subclass(cls)
    init = vars(cls).get("__init__")
    found = [Target(f"{module_name}.{type_name}", cls, parameters(init) if init else [])]
    for attr, descriptor in sorted(vars(cls).items()):
        qualified = f"{module_name}.{type_name}.{attr}"
        if isinstance(descriptor, types.MethodDescriptorType):

            def method(instance_of, *args, _d=descriptor, **kwargs):
                return _d(instance_of(), *args, **kwargs)

            found.append(Target(qualified, method, ["instance_of"] + parameters(descriptor)))
        elif isinstance(descriptor, types.GetSetDescriptorType):

            def attribute(instance_of, action, value=None, _d=descriptor):
                instance = instance_of()
                if action == "get":
                    return _d.__get__(instance, type(instance))
                if action == "set":
                    return _d.__set__(instance, value)
                return _d.__delete__(instance)

            found.append(Target(qualified, attribute, ["instance_of", "action", "value"]))
    if sub is not cls:
        found.append(Target(f"{module_name}.{type_name}(subclass)", sub, found[0].params))
    return found


# ---------------------------------------------------------------------------
# The child: fuzz one module


def outcome(fn, args, kwargs):
    try:
        return ("return", fn(*args, **kwargs))
    except Exception as e:  # noqa: BLE001 - every exception is judged below
        return ("raise", e)


def fuzz_target(target, last_call, given, settings, st, HealthCheck):
    """Runs one target's examples; returns (calls made, failure message or None)."""
    calls = [0]

    @settings(
        max_examples=EXAMPLES,
        derandomize=not RANDOM,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def run(data):
        values = hostile(st)
        args, kwargs = [], {}
        if target.params[:1] == ["instance_of"]:
            owner = TYPES[target.name.rsplit(".", 1)[0]]
            args.append(data.draw(st.sampled_from([owner, SUBTYPES[owner]])))
        if target.params[1:2] == ["action"]:
            args.append(data.draw(st.sampled_from(["get", "set", "delete"])))
            args.append(data.draw(values))
        else:
            # Mostly the right number of positional arguments, sometimes
            # too few or too many, sometimes keywords (real or bogus).
            named = [p for p in target.params if p != "instance_of"]
            shape = data.draw(st.sampled_from(["positional"] * 6 + ["count", "keywords"]))
            count = len(named) if shape != "count" else data.draw(st.integers(0, len(named) + 2))
            if shape == "keywords":
                count = data.draw(st.integers(0, len(named)))
            args.extend(data.draw(values) for _ in range(count))
            if shape == "keywords":
                keywords = data.draw(st.lists(st.sampled_from(named + ["bogus", "key"]), max_size=2, unique=True))
                kwargs = {k: data.draw(values) for k in keywords}
        if any(skip(target.name, args, kwargs) for skip in SKIP_CALL):
            return
        twin_args = None
        if target.twin is not None:
            try:
                twin_args = copy.deepcopy((args, kwargs))
            except Exception:  # noqa: BLE001 - not every hostile object can be copied
                twin_args = None
        shown = [safe_repr(a) for a in args] + [f"{k}={safe_repr(v)}" for k, v in kwargs.items()]
        describe = f"{target.name}({', '.join(shown)})"
        last_call.seek(0)
        last_call.write(describe[:2000] + "\n")
        last_call.truncate()
        last_call.flush()
        calls[0] += 1
        got = outcome(target.call, args, kwargs)
        if got[0] == "raise" and isinstance(got[1], SystemError):
            raise AssertionError(f"SystemError from {describe}: {got[1]}")
        if twin_args is not None:
            expected = outcome(target.twin, *twin_args)
            kinds = [type(o[1]).__name__ if o[0] == "raise" else "no exception" for o in (expected, got)]
            if kinds[0] != kinds[1]:
                raise AssertionError(f"{describe}: the C original raised {kinds[0]}, the port {kinds[1]}")

    try:
        run()
    except AssertionError as failure:
        return calls[0], str(failure)
    return calls[0], None


def safe_repr(value):
    try:
        text = repr(value)
    except Exception:  # noqa: BLE001 - a hostile __repr__
        return f"<{type(value).__name__} with a failing repr>"
    return text if len(text) <= 200 else text[:200] + "..."


TYPES, SUBTYPES = {}, {}


def child(module_name, only, last_call_path):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    faulthandler.enable()
    module = importlib.import_module(module_name)
    found = targets(module)
    for attr, obj in vars(module).items():
        if isinstance(obj, type) and obj.__module__ == module_name and not issubclass(obj, BaseException):
            TYPES[f"{module_name}.{attr}"] = obj
            SUBTYPES[obj] = subclass(obj)
    if only:
        found = [t for t in found if t.name in only]
    if not found:
        print(f"fuzz: {module_name}: nothing to call", flush=True)
        sys.exit(1)
    total, failures = 0, []
    with open(last_call_path, "w") as last_call:
        for target in found:
            calls, failure = fuzz_target(target, last_call, given, settings, st, HealthCheck)
            total += calls
            twin = " (compared with the C original)" if target.twin is not None else ""
            print(f"fuzz: {target.name}: {calls} calls{twin}{': FAILED' if failure else ''}", flush=True)
            if failure:
                failures.append(failure)
    print(f"fuzz: {module_name}: {len(found)} targets, {total} calls, {len(failures)} failures", flush=True)
    for failure in failures:
        print(f"fuzz: FAILURE: {failure}", flush=True)
    sys.exit(1 if failures else 0)


# ---------------------------------------------------------------------------
# The parent: one child per module


def parent(modules, only):
    failed = []
    for name in modules:
        with tempfile.NamedTemporaryFile("r", suffix=".lastcall") as last:
            command = [sys.executable, __file__, "--child", "--last-call", last.name, name]
            for target in only:
                command += ["--only", target]
            status = subprocess.run(command).returncode
            if status < 0:
                signame = signal.Signals(-status).name
                print(f"fuzz: {name}: the interpreter died with {signame}; last call: {last.read().strip()}")
                failed.append(f"{name} ({signame})")
            elif status != 0:
                failed.append(name)
    print(f"fuzz: {len(modules)} modules, {len(failed)} failed" + (f": {', '.join(failed)}" if failed else ""))
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("modules", nargs="+")
    parser.add_argument("--only", action="append", default=[], help="fuzz only this target (MODULE.NAME)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--last-call", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.modules[0], args.only, args.last_call)
    sys.exit(parent(args.modules, args.only))


if __name__ == "__main__":
    main()
