"""Differential tests of the Rust ports against the C modules they replace.

Every test builds the same input twice from one hypothesis example, calls the
C function on one copy and the Rust function on the other, and requires the
same outcome: the same result and the same final state of every argument the
call may mutate, or the same exception type and message. Inputs include
hostile objects: a ``__lt__`` that raises, returns ``NotImplemented``, returns
an object whose truth raises, or mutates the list being searched or sifted,
and the sequence of comparisons each side makes must match too.

The C modules are loaded from the interpreter's ``lib-dynload`` folder by
path (``checks/ports.py``, which ``cargo xtask test`` puts on PYTHONPATH);
the Rust ones are whatever ``import`` finds first, which under
``cargo xtask test`` is the extension in ``target/python`` (PYTHONPATH).
``test_the_rust_and_the_c_modules_are_different_files`` proves the two differ.

The number of examples per test comes from ``PORTS_EXAMPLES`` (default 2500);
examples are derandomized, so CI runs the same cases every time.
"""

import array
import binascii
import os
import random
import sys
from collections import UserList
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ports

EXT_SUFFIX = ports.EXT_SUFFIX
EXAMPLES = int(os.environ.get("PORTS_EXAMPLES", "2500"))
DIFF = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)


RUST_DIR = ports.rust_dir()


def _rust_module(name):
    return ports.rust(name, RUST_DIR)


C_BISECT, RS_BISECT = ports.original("_bisect"), _rust_module("_bisect")
C_HEAPQ, RS_HEAPQ = ports.original("_heapq"), _rust_module("_heapq")
RS_BASE64 = _rust_module("_base64")




def test_the_rust_and_the_c_modules_are_different_files():
    for c, rust in [(C_BISECT, RS_BISECT), (C_HEAPQ, RS_HEAPQ)]:
        # Debian's interpreters have the C module built in: no file at all.
        assert "lib-dynload" in getattr(c, "__file__", "lib-dynload (built in)")
        assert "lib-dynload" not in rust.__file__
        # Only the Rust extension has a _base64 module next to it.
        assert Path(rust.__file__).with_name(f"_base64{EXT_SUFFIX}").is_file()
    assert RS_BASE64.Error is binascii.Error


# ---------------------------------------------------------------------------
# Outcomes


def outcome(fn, *args, **kwargs):
    """What a call did: ('return', value) or ('raise', type, message)."""
    try:
        result = fn(*args, **kwargs)
    except Exception as e:  # noqa: BLE001 - every exception is compared
        return ("raise", type(e), str(e))
    return ("return", plain(result))


def plain(value):
    """`value` with Items replaced by their payloads, for comparison."""
    if isinstance(value, Item):
        return ("Item", value.v)
    if isinstance(value, (list, tuple, UserList)):
        return [plain(v) for v in value]
    if isinstance(value, Seq):
        return [plain(v) for v in value.data]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    return value


def same(run):
    """Runs `run(module_pair_side)` for C and Rust and compares."""
    # Compared as text, so that a NaN equals itself.
    c, rust = repr(run("c")), repr(run("rust"))
    assert c == rust, f"\nC:    {c}\nRust: {rust}"


# ---------------------------------------------------------------------------
# Hostile objects, rebuilt from the same plan for each side


class BadBool:
    def __bool__(self):
        raise ZeroDivisionError("truth of BadBool")


class Ctx:
    """What a group of Items share: the comparison log and the plan."""

    def __init__(self, mode, trigger, victim=None):
        self.mode, self.trigger, self.victim = mode, trigger, victim
        self.calls = 0
        self.log = []


class Item:
    """A value whose `<` logs itself and, at call `trigger`, misbehaves."""

    __slots__ = ("v", "ctx")

    def __init__(self, v, ctx):
        self.v, self.ctx = v, ctx

    def __lt__(self, other):
        ctx = self.ctx
        ctx.calls += 1
        theirs = other.v if isinstance(other, Item) else other
        ctx.log.append((self.v, theirs))
        if ctx.calls == ctx.trigger:
            victim = ctx.victim
            if ctx.mode == "raise":
                raise ValueError(f"__lt__ call {ctx.calls}")
            if ctx.mode == "notimplemented":
                return NotImplemented
            if ctx.mode == "badbool":
                return BadBool()
            if victim is not None:
                if ctx.mode == "clear":
                    del victim[:]
                elif ctx.mode == "pop" and len(victim):
                    victim.pop()
                elif ctx.mode == "append":
                    victim.append(Item(-100, ctx))
                elif ctx.mode == "replace" and len(victim):
                    victim[0] = Item(100, ctx)
                elif ctx.mode == "reverse":
                    victim.reverse()
        return self.v < theirs

    def __repr__(self):
        return f"Item({self.v!r})"


class Seq:
    """A sequence that is not a list: __len__, __getitem__ and insert."""

    def __init__(self, data):
        self.data = data

    def __len__(self):
        return len(self.data)

    def __getitem__(self, i):
        return self.data[i]

    def insert(self, i, x):
        self.data.insert(i, x)

    def __eq__(self, other):
        return isinstance(other, Seq) and self.data == other.data


class LoggingList(list):
    """A list subclass whose __getitem__ is overridden (and logged)."""

    reads = None

    def __getitem__(self, i):
        if self.reads is not None:
            self.reads.append(i)
        return super().__getitem__(i)

    def insert(self, i, x):
        super().insert(i, x)


class Index:
    """Not an int, but has __index__."""

    def __init__(self, n):
        self.n = n

    def __index__(self):
        return self.n


MODES = ["none", "raise", "notimplemented", "badbool", "clear", "pop", "append", "replace", "reverse"]


def make_values(rng, n, kind):
    if kind == "ints":
        return [rng.randint(-5, 5) for _ in range(n)]
    if kind == "floats":
        return [rng.choice([0.5, 1.5, -2.0, float("nan"), 3.0]) for _ in range(n)]
    # "mixed": ints and a few strings, so that some comparisons raise TypeError.
    return [rng.choice([1, 2, 3, "a", "b"]) if rng.random() < 0.2 else rng.randint(0, 4) for _ in range(n)]


# ---------------------------------------------------------------------------
# bisect

BISECT_FUNCTIONS = ["bisect_left", "bisect_right", "insort_left", "insort_right"]
SEQ_KINDS = ["list", "list", "list", "logginglist", "tuple", "seq", "userlist", "dict", "int", "str"]
LO_HI_EXTRA = [
    -1, -2, sys.maxsize, -sys.maxsize - 1, 2**63, -(2**63) - 1, 2**100, -(2**100),
    1.5, "1", None, True, False, Index(1), Index(2**80),
]


@st.composite
def bisect_plans(draw):
    n = draw(st.integers(0, 12))
    return {
        "seed": draw(st.integers(0, 2**32)),
        "n": n,
        "values": draw(st.sampled_from(["ints", "ints", "floats", "mixed"])),
        "sorted": draw(st.booleans()) or draw(st.booleans()),
        "kind": draw(st.sampled_from(SEQ_KINDS)),
        "items": draw(st.booleans()),
        "mode": draw(st.sampled_from(MODES)),
        "trigger": draw(st.integers(1, 6)),
        "x": draw(st.integers(-6, 6)),
        "lo": draw(st.one_of(st.none(), st.integers(-2, n + 3), st.sampled_from(LO_HI_EXTRA + ["none"]))),
        "hi": draw(st.one_of(st.none(), st.integers(-2, n + 3), st.sampled_from(LO_HI_EXTRA + ["none"]))),
        "key": draw(st.sampled_from([None, None, "identity", "negate", "raises", "notcallable", "explicit-none"])),
        "keywords": draw(st.booleans()),
    }


def bisect_call(module, name, plan):
    """Builds the plan's input and calls module.name; returns the outcome."""
    rng = random.Random(plan["seed"])
    values = make_values(rng, plan["n"], plan["values"])
    if plan["sorted"] and plan["values"] != "mixed":
        values.sort()
    ctx = Ctx(plan["mode"], plan["trigger"])
    items = [Item(v, ctx) for v in values] if plan["items"] else values
    x = Item(plan["x"], ctx) if plan["items"] else plan["x"]
    kind = plan["kind"]
    a = {
        "list": lambda: list(items),
        "logginglist": lambda: LoggingList(items),
        "tuple": lambda: tuple(items),
        "seq": lambda: Seq(list(items)),
        "userlist": lambda: UserList(items),
        "dict": lambda: dict(enumerate(items)),
        "int": lambda: 42,
        "str": lambda: "abcdef",
    }[kind]()
    if isinstance(a, LoggingList):
        a.reads = []
    if isinstance(a, list):
        ctx.victim = a
    keys = {
        "identity": lambda v: v,
        "negate": lambda v: Item(-v.v, v.ctx) if isinstance(v, Item) else (-v if isinstance(v, int) else v),
        "raises": lambda v: 1 / 0,
        "notcallable": 5,
        "explicit-none": None,
    }
    args, kwargs = [a, x], {}
    for param in ("lo", "hi"):
        value = plan[param]
        if value is None:
            continue  # left out
        value = None if value == "none" else value
        if plan["keywords"] or param == "hi" and "lo" not in kwargs and plan["lo"] is None:
            kwargs[param] = value
        else:
            args.append(value)
    if plan["key"] is not None:
        kwargs["key"] = keys[plan["key"]]
    result = outcome(getattr(module, name), *args, **kwargs)
    reads = a.reads if isinstance(a, LoggingList) else None
    return result, plain(a), ctx.log, reads


def bisect_test(name):
    @DIFF
    @given(plan=bisect_plans())
    def test(plan):
        same(lambda side: bisect_call(C_BISECT if side == "c" else RS_BISECT, name, plan))

    test.__name__ = f"test_{name}_matches_c"
    return test


test_bisect_left_matches_c = bisect_test("bisect_left")
test_bisect_right_matches_c = bisect_test("bisect_right")
test_insort_left_matches_c = bisect_test("insort_left")
test_insort_right_matches_c = bisect_test("insort_right")


# ---------------------------------------------------------------------------
# heapq

HEAP_KINDS = ["list", "list", "list", "list", "sublist", "tuple", "userlist", "none", "dict"]


class SubList(list):
    """A list subclass that overrides what heapq must not use."""

    def __len__(self):
        return 0

    def __getitem__(self, i):
        raise AssertionError("heapq reads list items directly")

    def append(self, x):
        raise AssertionError("heapq appends with PyList_Append")


@st.composite
def heap_plans(draw, heapify):
    # heapify switches algorithm past 2500 items: sometimes go there.
    big = heapify and draw(st.integers(0, 24)) == 0
    n = draw(st.integers(2490, 2620)) if big else draw(st.integers(0, 20))
    return {
        "seed": draw(st.integers(0, 2**32)),
        "n": n,
        "values": draw(st.sampled_from(["ints", "ints", "floats", "mixed"])),
        "kind": draw(st.sampled_from(HEAP_KINDS)),
        "items": draw(st.booleans()),
        "mode": draw(st.sampled_from(MODES)),
        "trigger": draw(st.integers(1, 4000 if big else 40)),
        "item": draw(st.integers(-6, 6)),
    }


def heap_call(module, name, plan):
    rng = random.Random(plan["seed"])
    values = make_values(rng, plan["n"], plan["values"])
    ctx = Ctx(plan["mode"], plan["trigger"])
    items = [Item(v, ctx) for v in values] if plan["items"] else values
    item = Item(plan["item"], ctx) if plan["items"] else plan["item"]
    heap = {
        "list": lambda: list(items),
        "sublist": lambda: SubList(items),
        "tuple": lambda: tuple(items),
        "userlist": lambda: UserList(items),
        "none": lambda: None,
        "dict": lambda: {},
    }[plan["kind"]]()
    if isinstance(heap, list):
        ctx.victim = heap
    fn = getattr(module, name)
    if name in ONE_ARGUMENT:
        result = outcome(fn, heap)
    else:
        result = outcome(fn, heap, item)
    state = [plain(v) for v in list.__iter__(heap)] if isinstance(heap, list) else plain(heap)
    return result, state, ctx.log


# The interpreter's own C module says which functions there are: the three
# private max-heap helpers up to 3.13, five public max-heap functions from
# 3.14.
HEAP_FUNCTIONS = sorted(n for n in dir(C_HEAPQ) if not n.startswith("__"))
ONE_ARGUMENT = {"heappop", "heapify", "_heappop_max", "_heapify_max", "heappop_max", "heapify_max"}


def heap_test(name):
    @DIFF
    @given(plan=heap_plans(heapify="heapify" in name))
    def test(plan):
        same(lambda side: heap_call(C_HEAPQ if side == "c" else RS_HEAPQ, name, plan))

    test.__name__ = f"test_{name}_matches_c"
    return test


for _name in HEAP_FUNCTIONS:
    globals()[f"test_{_name}_matches_c"] = heap_test(_name)


def test_the_c_module_exports_exactly_these_functions():
    public = {n for n in dir(C_HEAPQ) if not n.startswith("__")}
    assert public == set(HEAP_FUNCTIONS)
    expected = {"heappush", "heappop", "heapify", "heapreplace", "heappushpop"}
    if sys.version_info >= (3, 14):
        expected |= {f + "_max" for f in expected}
    else:
        expected |= {"_heappop_max", "_heapify_max", "_heapreplace_max"}
    assert public == expected
    assert {n for n in dir(RS_HEAPQ) if not n.startswith("__")} == public
    assert {n for n in dir(RS_BISECT) if not n.startswith("__")} == set(BISECT_FUNCTIONS)


# ---------------------------------------------------------------------------
# base64

FLAGS = [None, True, False, 0, 1, 2, -1, 2**31, 2**70, -(2**70), "x", 1.5, Index(1), b""]
JUNK = b"=\n \t!#-_.\x00\x80\xff"
ALPHABET = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def as_kind(data, kind):
    """`data` (bytes) as the argument kind the plan names."""
    if kind == "bytes":
        return data
    if kind == "bytearray":
        return bytearray(data)
    if kind == "memoryview":
        return memoryview(data)
    if kind == "array-B":
        return array.array("B", data)
    if kind == "array-i":
        return array.array("i", data[: len(data) // 4 * 4])
    if kind == "noncontiguous":
        return memoryview(bytearray(data))[::2]
    if kind == "str":
        return data.decode("latin-1")
    return {"int": 42, "none": None, "list": [1, 2]}[kind]


KINDS = ["bytes", "bytes", "bytes", "bytearray", "memoryview", "array-B", "array-i", "noncontiguous", "str", "int", "none", "list"]


@st.composite
def b2a_plans(draw):
    return {
        "data": draw(st.binary(max_size=300)),
        "kind": draw(st.sampled_from(KINDS)),
        "newline": draw(st.sampled_from(FLAGS)),
        "keyword": draw(st.sampled_from(["newline", "newline", "newline", "data", "bogus"])),
    }


@st.composite
def a2b_plans(draw):
    raw = draw(st.binary(max_size=200))
    text = bytearray(binascii.b2a_base64(raw, newline=draw(st.booleans())))
    for _ in range(draw(st.integers(0, 4))):
        where = draw(st.integers(0, len(text)))
        what = draw(st.sampled_from(["insert-junk", "insert-char", "delete", "truncate"]))
        if what == "insert-junk":
            text[where:where] = bytes([draw(st.sampled_from(JUNK))])
        elif what == "insert-char":
            text[where:where] = bytes([draw(st.sampled_from(ALPHABET))])
        elif what == "delete" and text:
            del text[min(where, len(text) - 1)]
        else:
            del text[where:]
    return {
        "data": bytes(text),
        "kind": draw(st.sampled_from(KINDS)),
        "strict_mode": draw(st.sampled_from(FLAGS)),
        "keyword": draw(st.sampled_from(["strict_mode", "strict_mode", "strict_mode", "data", "bogus"])),
    }


def base64_call(fn, plan, flag):
    kwargs = {}
    if plan[flag] is not None:
        kwargs[plan["keyword"] if plan["keyword"] != flag else flag] = plan[flag]
    return outcome(fn, as_kind(plan["data"], plan["kind"]), **kwargs)


@DIFF
@given(plan=b2a_plans())
def test_b2a_base64_matches_c(plan):
    same(lambda side: base64_call(binascii.b2a_base64 if side == "c" else RS_BASE64.b2a_base64, plan, "newline"))


@DIFF
@given(plan=a2b_plans())
def test_a2b_base64_matches_c(plan):
    same(lambda side: base64_call(binascii.a2b_base64 if side == "c" else RS_BASE64.a2b_base64, plan, "strict_mode"))


# 3.15's parameters: every combination the plans draw, on data that has
# been through an encoder with the same alphabet and then damaged.
ALPHABETS = [None, getattr(binascii, "BASE64_ALPHABET", None), getattr(binascii, "URLSAFE_BASE64_ALPHABET", None),
             bytes(range(33, 97)), b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+=",
             b"A" * 64, b"short", "a str"]
NEW_3_15 = pytest.mark.skipif(sys.version_info < (3, 15), reason="binascii's new parameters are new in 3.15")


@st.composite
def a2b_3_15_plans(draw):
    plan = draw(a2b_plans())
    for name, values in [
        ("padded", [True, False, None, 0]),
        ("alphabet", ALPHABETS),
        ("ignorechars", [b"", b"\n", b"=", b" =\n", b"+/-_", bytearray(b"\n"), "\n", None]),
        ("canonical", [True, False, 1]),
        ("strict_mode", [True, False, None]),
    ]:
        if draw(st.booleans()):
            plan.setdefault("extra", {})[name] = draw(st.sampled_from(values))
    return plan


@NEW_3_15
@DIFF
@given(plan=a2b_3_15_plans())
def test_a2b_base64_3_15_parameters_match_c(plan):
    extra = plan.get("extra", {})
    alphabet = extra.get("alphabet")
    data = plan["data"]
    if isinstance(alphabet, bytes) and len(alphabet) == 64:
        data = data.translate(bytes.maketrans(ALPHABETS[1], alphabet))

    def run(side):
        fn = binascii.a2b_base64 if side == "c" else RS_BASE64.a2b_base64
        return outcome(fn, as_kind(data, plan["kind"]), **extra)

    same(run)


@NEW_3_15
@DIFF
@given(
    data=st.binary(max_size=100),
    kind=st.sampled_from(KINDS),
    extra=st.dictionaries(
        st.sampled_from(["padded", "wrapcol", "newline", "alphabet"]),
        st.sampled_from([True, False, None, 0, 1, 3, 4, 5, 8, 76, 2**64, -1, 2.0, "8"] + ALPHABETS),
    ),
)
def test_b2a_base64_3_15_parameters_match_c(data, kind, extra):
    same(lambda side: outcome(binascii.b2a_base64 if side == "c" else RS_BASE64.b2a_base64,
                              as_kind(data, kind), **extra))


@pytest.mark.parametrize("size", [0, 1, 2, 3, 4095, 4096, 65537, 1 << 20])
def test_base64_round_trips_at_every_size_the_benchmarks_use(size):
    data = random.Random(size).randbytes(size)
    encoded = RS_BASE64.b2a_base64(data)
    assert encoded == binascii.b2a_base64(data)
    assert RS_BASE64.a2b_base64(encoded) == data
    # Line breaks every 76 characters (MIME) take the lenient path.
    mime = b"\n".join(encoded[i : i + 76] for i in range(0, len(encoded), 76))
    assert RS_BASE64.a2b_base64(mime) == binascii.a2b_base64(mime) == data


# ---------------------------------------------------------------------------
# Argument handling: random argument lists and keywords, for every function

POOL = [0, 1, -1, 2**70, None, "s", b"QQ==", 1.5, True]
SIGNATURES = {
    **{f: (C_BISECT, RS_BISECT, ["a", "x", "lo", "hi", "key"]) for f in BISECT_FUNCTIONS},
    **{f: (C_HEAPQ, RS_HEAPQ, ["heap", "item"]) for f in HEAP_FUNCTIONS},
    "b2a_base64": (binascii, RS_BASE64, ["data", "newline"]),
    "a2b_base64": (binascii, RS_BASE64, ["data", "strict_mode"]),
}
if sys.version_info >= (3, 15):
    SIGNATURES["b2a_base64"][2].extend(["padded", "wrapcol", "alphabet"])
    SIGNATURES["a2b_base64"][2].extend(["padded", "alphabet", "ignorechars", "canonical"])


@st.composite
def calls(draw):
    name = draw(st.sampled_from(sorted(SIGNATURES)))
    params = SIGNATURES[name][2]
    nargs = draw(st.integers(0, 6))
    args = [draw(st.sampled_from(POOL + ["list"])) for _ in range(nargs)]
    names = draw(st.lists(st.sampled_from(params + ["bogus", "A"]), max_size=3, unique=True))
    kwargs = {k: draw(st.sampled_from(POOL + ["list"])) for k in names}
    return name, args, kwargs


@settings(DIFF, max_examples=EXAMPLES * 2)
@given(call=calls())
def test_argument_errors_match_c(call):
    name, args, kwargs = call
    c_module, rs_module, _ = SIGNATURES[name]

    def run(side):
        fresh = lambda v: [3, 1, 2] if v == "list" else v  # noqa: E731
        module = c_module if side == "c" else rs_module
        return outcome(getattr(module, name), *map(fresh, args), **{k: fresh(v) for k, v in kwargs.items()})

    same(run)
