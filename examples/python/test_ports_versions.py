"""Where the C modules differ from one CPython version to the next, the
Rust ports must differ the same way: each test here compares a port with
the C module of the interpreter running the test, on the inputs that tell
the versions apart.

Every test runs on every interpreter (``cargo xtask test pytest`` with
``PYTHON`` set to each), so a port that behaves like the wrong version fails
on the interpreter whose C module it does not match. The comments say what
each version's C module does; the tests do not assume it, they compare.

The C modules are loaded from the interpreter's ``lib-dynload`` folder by
path (``checks/ports.py``), the Rust ones from where ``import`` finds them,
as in ``test_ports_differential.py``.
"""

import binascii
import inspect
import sys

import pytest

import ports


RUST_DIR = ports.rust_dir()


def rust(name):
    return ports.rust(name, RUST_DIR)


def c(name):
    return ports.original(name)


C_BISECT, RS_BISECT = c("_bisect"), rust("_bisect")
C_HEAPQ, RS_HEAPQ = c("_heapq"), rust("_heapq")
RS_BASE64 = rust("_base64")


def test_the_ports_are_not_the_c_modules():
    # A C module built into the interpreter (Debian's) has no file at all.
    for c in (C_BISECT, C_HEAPQ):
        assert "lib-dynload" in getattr(c, "__file__", "lib-dynload (built in)")
    assert "lib-dynload" not in RS_BISECT.__file__
    assert "lib-dynload" not in RS_HEAPQ.__file__
    assert binascii.a2b_base64 is not RS_BASE64.a2b_base64


def outcome(fn, *args, **kwargs):
    """('return', value) or ('raise', type, message): compared with ==."""
    try:
        return ("return", fn(*args, **kwargs))
    except Exception as e:  # noqa: BLE001 - every exception is compared
        return ("raise", type(e), str(e))


def both(c_fn, rust_fn, run):
    """Runs `run(fn)` for the C and the Rust function; asserts they agree."""
    c_result, rust_result = run(c_fn), run(rust_fn)
    assert c_result == rust_result, f"\nC:    {c_result!r}\nRust: {rust_result!r}"
    return c_result


# ---------------------------------------------------------------------------
# base64

# 3.13 added "Excess padding not allowed" to strict mode: a "=" after a
# complete group of four. 3.11 and 3.12 accept such input in strict mode.
# 3.13.13 and 3.14.4 read past a "=" inside the data (CPython gh-145264).
PADDING_CASES = [
    b"ab==cd", b"abc=d", b"ab==c=", b"a=b==", b"a=bcd", b"abcde=f==", b"=abcd", b"abcd=efgh", b"a=",
    b"abcd=", b"abcd==", b"abcd=====", b"YWJj=", b"YWJjYQ==", b"YWJj=YQ==",
    b"ab==a", b"ab===", b"ab====", b"ab==:", b"abc=a", b"abc==", b"abc=====",
    b"ab==\n", b"=", b"==", b"=ab", b"ab=c=", b"ab=ab==", b"YQ", b"YQ=",
    b"abcd\n=", b"abcd=\n", b"", b"abcdabcd=",
]


@pytest.mark.parametrize("data", PADDING_CASES)
@pytest.mark.parametrize("strict", [True, False])
def test_a2b_base64_padding_rules_are_this_versions(data, strict):
    both(binascii.a2b_base64, RS_BASE64.a2b_base64, lambda f: outcome(f, data, strict_mode=strict))


def test_excess_padding_is_refused_from_3_13_only():
    result = both(binascii.a2b_base64, RS_BASE64.a2b_base64, lambda f: outcome(f, b"abcd=", strict_mode=True))
    if sys.version_info >= (3, 13):
        assert result == ("raise", binascii.Error, "Excess padding not allowed")
    else:
        assert result == ("return", b"i\xb7\x1d")


class Truth:
    """A flag whose truth is asked for: counts calls to __bool__ and __index__."""

    def __init__(self, value):
        self.value, self.calls = value, []

    def __bool__(self):
        self.calls.append("__bool__")
        return self.value

    def __index__(self):
        self.calls.append("__index__")
        return int(self.value)


class Untruthful:
    def __bool__(self):
        raise ZeroDivisionError("no truth here")


class NoIndex:
    """Truthy, with no __index__: refused where the flag must be an int."""


# In 3.11 the flags are C ints (`bool(accept={int})`, `_PyLong_AsInt`): an
# object with __index__, and OverflowError past a C int. From 3.12 they are
# truth values (`PyObject_IsTrue`): any object, __bool__ called.
FLAG_VALUES = [
    True, False, 0, 1, 2, -1, 2**31, 2**40, -(2**70), 1.5, 0.0, "", "x", b"", None, [], [0], NoIndex(),
]


@pytest.mark.parametrize("value", FLAG_VALUES, ids=repr)
@pytest.mark.parametrize("flag", ["newline", "strict_mode"])
def test_flags_are_read_as_this_version_reads_them(flag, value):
    if flag == "newline":
        c_fn, rust_fn, data = binascii.b2a_base64, RS_BASE64.b2a_base64, b"ab"
    else:
        c_fn, rust_fn, data = binascii.a2b_base64, RS_BASE64.a2b_base64, b"YWI=\n"
    both(c_fn, rust_fn, lambda f: outcome(f, data, **{flag: value}))


@pytest.mark.parametrize("flag", ["newline", "strict_mode"])
@pytest.mark.parametrize("truth", [True, False])
def test_flag_objects_are_asked_what_this_version_asks(flag, truth):
    def run(f):
        value = Truth(truth)
        data = b"ab" if flag == "newline" else b"YWI=\n"
        return outcome(f, data, **{flag: value}), value.calls

    c_fn = getattr(binascii, "b2a_base64" if flag == "newline" else "a2b_base64")
    result, calls = both(c_fn, getattr(RS_BASE64, c_fn.__name__), run)
    assert calls == (["__bool__"] if sys.version_info >= (3, 12) else ["__index__"])


@pytest.mark.parametrize("flag", ["newline", "strict_mode"])
def test_a_flag_whose_truth_raises(flag):
    c_fn = binascii.b2a_base64 if flag == "newline" else binascii.a2b_base64
    both(c_fn, getattr(RS_BASE64, c_fn.__name__), lambda f: outcome(f, b"YWI=", **{flag: Untruthful()}))


@pytest.mark.parametrize("name", ["b2a_base64", "a2b_base64"])
def test_base64_signatures_and_docstrings_are_binasciis(name):
    c_fn, rust_fn = getattr(binascii, name), getattr(RS_BASE64, name)
    assert rust_fn.__text_signature__ == c_fn.__text_signature__
    # 3.15's signatures name BASE64_ALPHABET, which inspect looks up in the
    # function's module, found in sys.modules as an import would put it
    # (the tests load the port by path, which does not).
    saved = sys.modules.get("_base64")
    sys.modules["_base64"] = RS_BASE64
    try:
        # (3.15's inspect cannot read a2b_base64's, C's or the port's: the
        # same ValueError for both.)
        signature = lambda f: outcome(lambda: str(inspect.signature(f)))  # noqa: E731
        assert signature(rust_fn) == signature(c_fn)
    finally:
        if saved is None:
            del sys.modules["_base64"]
        else:
            sys.modules["_base64"] = saved
    assert rust_fn.__doc__ == c_fn.__doc__


def test_a_rejected_non_ascii_str_is_not_converted():
    # C reads the string's ASCII flag only; converting it to UTF-8 first
    # would cache the UTF-8 form in the object, which its size shows.
    for text in ["\xe9" * 10_000, "a" * 10_000 + "\u20ac", "\U0001f600" * 1000]:
        before = sys.getsizeof(text)
        both(binascii.a2b_base64, RS_BASE64.a2b_base64, lambda f: outcome(f, text))
        assert sys.getsizeof(text) == before


def test_ascii_str_and_str_subclasses_decode_as_in_c():
    class S(str):
        pass

    for text in ["YWI=", S("YWI="), S("YQ\xe9=="), "h\udc80", S(""), ""]:
        both(binascii.a2b_base64, RS_BASE64.a2b_base64, lambda f: outcome(f, text))


# ---------------------------------------------------------------------------
# bisect


class Logged:
    """A value whose comparisons are logged; `__lt__` returns NotImplemented
    for the values in `refuse`."""

    def __init__(self, v, log, refuse=()):
        self.v, self.log, self.refuse = v, log, refuse

    def __lt__(self, other):
        self.log.append(("lt", self.v, getattr(other, "v", other)))
        if self.v in self.refuse:
            return NotImplemented
        return self.v < other.v

    def __gt__(self, other):
        self.log.append(("gt", self.v, getattr(other, "v", other)))
        return self.v > other.v


BISECT_FUNCTIONS = ["bisect_left", "bisect_right", "insort_left", "insort_right"]


@pytest.mark.parametrize("name", BISECT_FUNCTIONS)
@pytest.mark.parametrize("refuse_in", ["x", "items", "both", "none"])
def test_comparisons_that_return_notimplemented_are_retried_as_in_c(name, refuse_in):
    # From 3.12 the C calls the slot of x's type directly for items of the
    # same type, and after a NotImplemented makes that comparison again the
    # usual way: __lt__ runs twice, then the reflected __gt__.
    def run(f):
        log = []
        refuse_x = (99,) if refuse_in in ("x", "both") else ()
        refuse_items = (2, 3) if refuse_in in ("items", "both") else ()
        items = [Logged(v, log, refuse_items) for v in [1, 2, 3, 4, 5]]
        x = Logged(99 if refuse_x else 3, log, refuse_x)
        result = outcome(f, items, x)
        return result if result[0] == "raise" else ("done", [i.v for i in items]), log

    both(getattr(C_BISECT, name), getattr(RS_BISECT, name), run)


@pytest.mark.parametrize("name", BISECT_FUNCTIONS)
def test_notimplemented_with_a_key_and_mixed_types(name):
    def run(f):
        log = []
        items = [Logged(v, log, (2,)) for v in [1, 2, 3]] + [4]
        x = Logged(3, log)
        keyed = outcome(f, list(items), x, key=lambda item: item)
        mixed = outcome(f, [1.0, 2, Logged(3, log)], 2)
        return keyed if keyed[0] == "raise" else "keyed", mixed, log

    both(getattr(C_BISECT, name), getattr(RS_BISECT, name), run)


class Mapping:
    def __getitem__(self, i):
        return i

    def keys(self):
        return []


class Sized:
    def __len__(self):
        return 3


NON_SEQUENCES = [{}, 42, None, set(), Sized(), iter([]), Mapping()]


@pytest.mark.parametrize("name", BISECT_FUNCTIONS)
@pytest.mark.parametrize("a", NON_SEQUENCES, ids=lambda a: type(a).__name__)
@pytest.mark.parametrize("lo_hi", [(), (0, 0), (0, 1), (5, 2), (-1, 0), (0, None)])
def test_a_non_sequence_is_refused_where_c_refuses_it(name, a, lo_hi):
    # From 3.12 the C checks for sq_item before searching, so an empty
    # range no longer returns (or, for insort, calls a.insert) unchecked.
    both(getattr(C_BISECT, name), getattr(RS_BISECT, name), lambda f: outcome(f, a, 1, *lo_hi))


class Index:
    """An index whose conversion is logged: shows when `hi` is converted."""

    def __init__(self, value, log):
        self.value, self.log = value, log

    def __index__(self):
        self.log.append(("index", self.value))
        return self.value


@pytest.mark.parametrize("name", BISECT_FUNCTIONS)
@pytest.mark.parametrize("lo", [-1, 0, -(2**62)])
@pytest.mark.parametrize("hi", ["3", "index", None, 2**100, -1])
def test_lo_is_checked_where_c_checks_it(name, lo, hi):
    # Up to 3.14 `hi` is converted with the other arguments and `lo` checked
    # in the function, so a bad `hi` is reported first; from 3.15 Clinic
    # checks `lo` as it converts it, before `hi` is looked at.
    def run(f):
        log = []
        h = Index(2, log) if hi == "index" else hi
        return outcome(f, [1, 2, 3], 2, lo, h), log

    both(getattr(C_BISECT, name), getattr(RS_BISECT, name), run)


@pytest.mark.parametrize("name", BISECT_FUNCTIONS)
def test_bisect_signatures_and_docstrings_are_cs(name):
    c_fn, rust_fn = getattr(C_BISECT, name), getattr(RS_BISECT, name)
    # `($module, /, a, x, ...)`: Clinic marks $module positional-only.
    assert rust_fn.__text_signature__ == c_fn.__text_signature__
    assert str(inspect.signature(rust_fn)) == str(inspect.signature(c_fn))
    assert rust_fn.__doc__ == c_fn.__doc__


# ---------------------------------------------------------------------------
# Keywords: unknown, unencodable, suggested

class Name(str):
    """A str subclass as a keyword name."""


KEYWORDS = [
    "bogus", "ky", "kei", "Key", "KEY", "lo_", "hi_", "lo", "A", "a", "xx", "strict_mod", "newlin", "nwline",
    "\udc80", "k\udc80y", "\xe9", "ke\xe9", "\u20ac" * 50, "x" * 60, "k" * 41 + "ey", "",
]


def keyword_calls():
    """(module pair, function, positional args) for each kind of parser."""
    return [
        ((C_BISECT, RS_BISECT), "bisect_left", ([1, 2], 1)),
        ((C_BISECT, RS_BISECT), "insort_right", ([1, 2], 1, 0)),
        ((binascii, RS_BASE64), "a2b_base64", (b"YQ==",)),
        ((binascii, RS_BASE64), "b2a_base64", (b"a",)),
        ((C_HEAPQ, RS_HEAPQ), "heappush", ([], 1)),
    ]


@pytest.mark.parametrize("call", keyword_calls(), ids=lambda call: call[1])
@pytest.mark.parametrize("keyword", KEYWORDS, ids=ascii)
def test_unknown_keywords_are_reported_in_this_versions_words(call, keyword):
    # 3.11, 3.12: "'bogus' is an invalid keyword argument for f()"; 3.13:
    # "f() got an unexpected keyword argument 'bogus'", with "Did you mean
    # 'key'?" for a near miss. A name UTF-8 cannot encode is a TypeError
    # like any other, its characters in the message.
    (c_module, rust_module), name, args = call
    both(getattr(c_module, name), getattr(rust_module, name), lambda f: outcome(f, *args, **{keyword: 1}))


@pytest.mark.parametrize("keyword", KEYWORDS, ids=ascii)
def test_keyword_names_as_str_subclasses_and_with_other_keywords(keyword):
    def run(f):
        return (
            outcome(f, [1, 2], 1, **{Name(keyword): 1}),
            outcome(f, [1, 2], 1, **{"key": None, keyword: 1}),
            outcome(f, [1, 2], **{"x": 1, keyword: 1}),
            outcome(f, [1, 2], 1, 0, **{"lo": 0, keyword: 1}),
            outcome(f, [1, 2], 1, **{Name("key"): None}),
        )

    both(C_BISECT.bisect_right, RS_BISECT.bisect_right, run)


def test_a_lone_surrogate_keyword_is_a_typeerror_naming_it():
    result = both(C_BISECT.bisect_left, RS_BISECT.bisect_left, lambda f: outcome(f, [1], 1, **{"\udc80": 1}))
    assert result[:2] == ("raise", TypeError)
    assert "\udc80" in result[2]


def test_a_near_miss_is_suggested_from_3_13():
    result = both(C_BISECT.bisect_left, RS_BISECT.bisect_left, lambda f: outcome(f, [1], 1, ky=None))
    if sys.version_info >= (3, 13):
        assert result[2] == "bisect_left() got an unexpected keyword argument 'ky'. Did you mean 'key'?"
    else:
        assert result[2] == "'ky' is an invalid keyword argument for bisect_left()"


# ---------------------------------------------------------------------------
# heapq


def fresh_pair():
    """New module objects, so that changing one's __name__ leaves the
    others alone."""
    return ports.original("_heapq"), rust("_heapq")


@pytest.mark.parametrize("change", ["renamed", "deleted", "not a str"])
def test_no_keywords_message_names_the_module_as_created(change):
    # C names the function by its __module__, fixed when the module was
    # made: renaming or deleting the module's __name__ changes nothing.
    c_heapq, rust_heapq = fresh_pair()
    for module in (c_heapq, rust_heapq):
        if change == "renamed":
            module.__name__ = "elsewhere"
        elif change == "deleted":
            del module.__name__
        else:
            module.__name__ = 42
    for name in ["heappush", "heapreplace", "heappushpop"]:
        result = both(getattr(c_heapq, name), getattr(rust_heapq, name), lambda f: outcome(f, [], 1, k=1))
        assert result == ("raise", TypeError, f"_heapq.{name}() takes no keyword arguments")


def test_about_is_the_c_modules():
    assert RS_HEAPQ.__about__ == C_HEAPQ.__about__


def test_heapq_functions_signatures_and_docstrings_are_cs():
    # The module's functions (a built-in module's `__loader__` is a class).
    def functions(module):
        return sorted(n for n in dir(module) if not n.startswith("__") and callable(getattr(module, n)))

    names = functions(C_HEAPQ)
    assert names == functions(RS_HEAPQ)
    for name in names:
        c_fn, rust_fn = getattr(C_HEAPQ, name), getattr(RS_HEAPQ, name)
        assert rust_fn.__text_signature__ == c_fn.__text_signature__, name
        assert rust_fn.__doc__ == c_fn.__doc__, name
    assert RS_HEAPQ.__doc__ == C_HEAPQ.__doc__


def test_max_heap_functions_are_public_from_3_14():
    public = {f + "_max" for f in ["heapify", "heappop", "heappush", "heappushpop", "heapreplace"]}
    private = {"_heapify_max", "_heappop_max", "_heapreplace_max"}
    names = set(dir(RS_HEAPQ))
    if sys.version_info >= (3, 14):
        assert public <= names and not private & names
    else:
        assert private <= names and not public & names
    # A built-in C module has no `__file__`; the port, a file, has one.
    assert names - {"__file__"} == set(dir(C_HEAPQ)) - {"__file__"}


@pytest.mark.skipif(sys.version_info < (3, 14), reason="heappushpop_max is new in 3.14")
@pytest.mark.parametrize("heap", [[], [10], [10, 5, 7], [3]])
@pytest.mark.parametrize("item", [9, 10, 10.0, 11, "x"])
def test_heappushpop_max_is_cs(heap, item):
    def run(f):
        h = list(heap)
        return outcome(f, h, item), h

    both(C_HEAPQ.heappushpop_max, RS_HEAPQ.heappushpop_max, run)


@pytest.mark.skipif(sys.version_info < (3, 14), reason="the public max-heap functions are new in 3.14")
@pytest.mark.parametrize("name", ["heapify_max", "heappop_max", "heappush_max", "heappushpop_max", "heapreplace_max"])
@pytest.mark.parametrize("args", [(), (None,), ((),), ([],), ([], 1), (None, 1), ([1], 2, 3)], ids=repr)
def test_max_heap_argument_errors_are_cs(name, args):
    both(getattr(C_HEAPQ, name), getattr(RS_HEAPQ, name), lambda f: outcome(f, *[list(a) if isinstance(a, list) else a for a in args]))
