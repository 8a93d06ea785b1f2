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

For ``zlib``, the decompressors are also fed malformed streams: valid
streams made by the C module (zlib, raw and gzip framing, a preset
dictionary, stored, fixed and Huffman-only blocks, several members), then
bits flipped, bytes set, ranges cut, repeated or inserted, streams spliced,
or random bytes. Each entry point (``zlib.decompress``, a ``Decompress``
object fed pieces with ``max_length``, ``unconsumed_tail``, ``copy()`` and
``flush()``, ``_ZlibDecompressor`` fed pieces, and a ``Compress`` object fed
pieces with every flush mode) gets the same inputs on the port and on the C
module, and the two must give the same bytes and attributes or the same
exception type and message. ``FUZZ_STREAMS`` (or ``--streams N``) sets the
number of inputs per entry point: 2,000 by default, 100,000 for a longer
hunt::

    python fuzz_modules.py --streams 100000 --only zlib.streams zlib
"""

import argparse
import copy
import faulthandler
import importlib
import inspect
import os
import random
import signal
import subprocess
import sys
import tempfile
import types

import ports
import zlib_rs

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "60"))
RANDOM = os.environ.get("FUZZ_RANDOM") == "1"
STREAMS = int(os.environ.get("FUZZ_STREAMS", "2000"))

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
    streams = []
    if module_name == "zlib":
        c, port = c_zlib(), zlib_port(module)
        print(f"fuzz: zlib streams: {getattr(port, '__file__', 'built in')} against C", flush=True)
        streams = [(name, runner) for name, runner in stream_targets(port, c)]
    if only:
        found = [t for t in found if t.name in only]
        streams = [s for s in streams if s[0] in only or "zlib.streams" in only]
    if not found and not streams:
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
        for name, runner in streams:
            inputs, failure = fuzz_streams(port, c, name, runner, last_call)
            total += inputs
            print(f"fuzz: {name}: {inputs} inputs (compared with the C original){': FAILED' if failure else ''}", flush=True)
            if failure:
                failures.append(failure)
    print(f"fuzz: {module_name}: {len(found) + len(streams)} targets, {total} calls, {len(failures)} failures", flush=True)
    for failure in failures:
        print(f"fuzz: FAILURE: {failure}", flush=True)
    sys.exit(1 if failures else 0)


# ---------------------------------------------------------------------------
# Streams: the zlib decompressors fed malformed input


def c_zlib():
    """The interpreter's C zlib as a new module object (``import zlib`` may
    give the port)."""
    if "zlib" in ports.PORTS:
        return ports.original("zlib")
    if "zlib" in sys.builtin_module_names:
        return importlib.import_module("zlib")
    return ports.load("zlib", ports.lib_dynload() / f"zlib{ports.EXT_SUFFIX}")


def zlib_port(imported):
    """The port from the folder of the Rust modules, loaded by path (an
    interpreter with zlib built in gives C to ``import zlib``), else
    `imported`."""
    try:
        folder = ports.rust_dir()
    except AssertionError:
        return imported
    path = folder / f"zlib{ports.EXT_SUFFIX}"
    return ports.rust("zlib", folder) if path.is_file() else imported


def stream_outcome(zlib, fn, *args):
    """('return', value) or ('raise', type name, message); the two modules'
    ``zlib.error`` classes count as one."""
    try:
        return ("return", fn(*args))
    except Exception as e:  # noqa: BLE001 - every exception is compared
        name = "zlib.error" if isinstance(e, zlib.error) else type(e).__name__
        return ("raise", name, str(e))


def seed_streams(c):
    """Valid streams of every framing and block type, with their wbits and zdict."""
    text = b"".join(b"line %d of the quick brown fox\n" % i for i in range(300))
    rnd = random.Random(1)
    binary = bytes(rnd.getrandbits(8) for _ in range(3000))
    seeds = []
    for data in (b"", b"a", text, binary, text[:500] + binary[:500]):
        for wbits in (15, -15, 31, 9, -9, 25):
            for level, strategy in ((6, c.Z_DEFAULT_STRATEGY), (0, 0), (9, c.Z_FIXED), (1, c.Z_HUFFMAN_ONLY)):
                obj = c.compressobj(level, c.DEFLATED, wbits, 8, strategy)
                half = len(data) // 2
                stream = obj.compress(data[:half]) + obj.flush(c.Z_FULL_FLUSH) + obj.compress(data[half:]) + obj.flush()
                seeds.append((stream, wbits, None))
    zdict = text[:200]
    obj = c.compressobj(6, c.DEFLATED, 15, 8, 0, zdict)
    seeds.append((obj.compress(text) + obj.flush(), 15, zdict))
    gzip_member = seeds[2 * 4 + 2][0]  # a gzip stream of `text`
    seeds.append((gzip_member + gzip_member, 31, None))
    return seeds


def mutate(rnd, seeds):
    """One malformed (or, now and then, intact) stream, its wbits and zdict."""
    stream, wbits, zdict = rnd.choice(seeds)
    data = bytearray(stream)
    for _ in range(rnd.choice([0, 1, 1, 1, 2, 3, 8])):
        kind = rnd.randrange(8)
        at = rnd.randrange(len(data) + 1)
        if kind == 0 and data:
            data[at % len(data)] ^= 1 << rnd.randrange(8)
        elif kind == 1 and data:
            data[at % len(data)] = rnd.randrange(256)
        elif kind == 2:
            del data[at:]
        elif kind == 3:
            del data[at : at + rnd.randrange(1, 40)]
        elif kind == 4:
            data[at:at] = bytes(rnd.getrandbits(8) for _ in range(rnd.randrange(1, 20)))
        elif kind == 5:
            data[at:at] = data[at : at + rnd.randrange(1, 100)]
        elif kind == 6:
            other = rnd.choice(seeds)[0]
            data[at:] = other[rnd.randrange(len(other) + 1) :]
        else:
            data = bytearray(rnd.getrandbits(8) for _ in range(rnd.randrange(0, 60)))
    if rnd.random() < 0.15:
        wbits = rnd.choice([0, 15, -15, 31, 47, 9, -9, 8, 16, 50, -8])
    if zdict is None and rnd.random() < 0.05:
        zdict = b"some dictionary"
    return bytes(data), wbits, zdict


def pieces(rnd, data):
    out, start = [], 0
    while start < len(data):
        n = rnd.choice([1, 2, 7, 64, 1000, len(data)])
        out.append(data[start : start + n])
        start += n
    return out or [b""]


def feed_decompress(zlib, data, wbits, zdict, rnd):
    """A Decompress object fed `data` in pieces, with max_length, a copy, and flush."""
    made = stream_outcome(zlib, lambda: zlib.decompressobj(wbits, zdict) if zdict else zlib.decompressobj(wbits))
    if made[0] == "raise":
        return [made]
    d = made[1]
    log, pending = [], b""
    for piece in pieces(rnd, data):
        got = stream_outcome(zlib, d.decompress, pending + piece, rnd.choice([0, 0, 1, 5, 300]))
        log.append((got, d.unconsumed_tail, d.unused_data, d.eof))
        if got[0] == "raise":
            return log
        pending = d.unconsumed_tail
        if rnd.random() < 0.1:
            copied = stream_outcome(zlib, d.copy)
            log.append(copied[:1] if copied[0] == "return" else copied)
            if copied[0] == "return":
                d = copied[1]
    log.append((stream_outcome(zlib, d.flush, rnd.choice([1, 100, 16384])), d.unused_data, d.eof))
    log.append(stream_outcome(zlib, d.decompress, b"x"))
    return log


def feed_zlib_decompressor(zlib, data, wbits, zdict, rnd):
    """A _ZlibDecompressor fed `data` in pieces, with max_length, then drained."""
    made = stream_outcome(zlib, lambda: zlib._ZlibDecompressor(wbits, zdict) if zdict else zlib._ZlibDecompressor(wbits))
    if made[0] == "raise":
        return [made]
    d = made[1]
    log = []
    for piece in pieces(rnd, data) + [b""] * 20:
        if d.eof or (not piece and d.needs_input):
            break
        got = stream_outcome(zlib, d.decompress, piece, rnd.choice([-1, -1, 1, 5, 300]))
        log.append((got, d.eof, d.unused_data, d.needs_input))
        if got[0] == "raise":
            break
    log.append(stream_outcome(zlib, d.decompress, b"x"))
    return log


def feed_compress(zlib, data, wbits, zdict, rnd):
    """A Compress object fed pieces of `data` with flush modes between; the
    output is compared at level 0 (stored blocks, which have one form),
    else the stream is decompressed by C."""
    level = rnd.randrange(-1, 10)
    strategy = rnd.choice([zlib.Z_HUFFMAN_ONLY, zlib.Z_RLE, zlib.Z_DEFAULT_STRATEGY, zlib.Z_FILTERED])
    memlevel = rnd.randrange(1, 10)
    args = (level, zlib.DEFLATED, wbits, memlevel, strategy) + ((zdict,) if zdict else ())
    made = stream_outcome(zlib, zlib.compressobj, *args)
    if made[0] == "raise":
        return [made]
    obj = made[1]
    modes = [zlib.Z_NO_FLUSH, zlib.Z_PARTIAL_FLUSH, zlib.Z_SYNC_FLUSH, zlib.Z_FULL_FLUSH, zlib.Z_BLOCK, zlib.Z_FINISH]
    out, log, fed = [], [], []
    for piece in pieces(rnd, data):
        for call in ((obj.compress, piece), (obj.flush, rnd.choice(modes))):
            got = stream_outcome(zlib, *call)
            if got[0] == "return":
                out.append(got[1])
                if call[0] == obj.compress:
                    fed.append(piece)
            log.append(got[0] if got[0] == "return" else got)
    log.append(stream_outcome(zlib, obj.flush))
    if log[-1][0] == "return":
        out.append(log[-1][1])
        log[-1] = "return"
    # Only stored blocks (level 0) have one form; see checks/zlib_rs.py and
    # the differential tests for what zlib-rs gives at other levels.
    exact = level == 0
    return log, (b"".join(out) if exact else None), (b"".join(out), wbits, zdict, b"".join(fed))


def check_compressed(c, made):
    """Whether what a Compress object made decompresses, by C, to what the
    object accepted (the pieces before a Z_FINISH)."""
    stream, wbits, zdict, fed = made
    # The largest window of the same framing reads any window size.
    wbits = 15 if 8 <= wbits <= 15 else -15 if -15 <= wbits <= -8 else 31
    d = c.decompressobj(wbits, zdict) if zdict else c.decompressobj(wbits)
    try:
        return d.decompress(stream) + d.flush() == fed and d.eof
    except c.error:
        return False


def stream_targets(port, c):
    """The zlib entry points fed streams, each (name, runner)."""
    found = [
        ("zlib.decompress[streams]", lambda z, d, w, zd, r: stream_outcome(z, z.decompress, d, w, r.choice([1, 64, 16384]))),
        ("zlib.Decompress[streams]", feed_decompress),
        ("zlib.Compress[streams]", feed_compress),
    ]
    if hasattr(c, "_ZlibDecompressor"):
        found.append(("zlib._ZlibDecompressor[streams]", feed_zlib_decompressor))
    return found


def fuzz_streams(port, c, name, runner, last_call):
    """Feeds STREAMS inputs to one entry point of both modules; returns
    (inputs, failure message or None)."""
    seeds = seed_streams(c)
    rnd = random.Random() if RANDOM else random.Random(name)
    for n in range(STREAMS):
        data, wbits, zdict = mutate(rnd, seeds)
        seed = rnd.random()
        describe = f"{name} input {n} (data={safe_repr(data)} of {len(data)} bytes, wbits={wbits}, zdict={zdict!r})"
        last_call.seek(0)
        last_call.write(f"{describe}, data in full: {data!r}"[:100000] + "\n")
        last_call.truncate()
        last_call.flush()
        expected = runner(c, data, wbits, zdict, random.Random(seed))
        got = runner(port, data, wbits, zdict, random.Random(seed))
        if runner is feed_compress and isinstance(expected, tuple) and isinstance(got, tuple):
            if not check_compressed(c, got[2]):
                return n + 1, f"{describe}: the port's stream does not decompress to what it was fed"
            expected, got = expected[:2], got[:2]
        got = zlib_rs.need_dict_as_c(expected, zlib_rs.allow_message(expected, got))
        if runner in (feed_decompress, feed_zlib_decompressor) and zlib_rs.lenient_window(wbits, expected):
            continue
        if expected != got:
            return n + 1, f"{describe}:\n  C:    {safe_repr(expected)}\n  port: {safe_repr(got)}"
    return STREAMS, None


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
    parser.add_argument("--streams", type=int, help="malformed streams per zlib entry point (FUZZ_STREAMS)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--last-call", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.streams is not None:
        global STREAMS
        STREAMS = args.streams
        os.environ["FUZZ_STREAMS"] = str(args.streams)
    if args.child:
        child(args.modules[0], args.only, args.last_call)
    sys.exit(parent(args.modules, args.only))


if __name__ == "__main__":
    main()
