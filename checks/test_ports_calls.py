"""Every path through the ports, once each: what the leak and memory checks run.

The ports' own tests (``examples/python/test_ports_differential.py``) compare
them with the C modules over thousands of hypothesis examples. Those cannot
be repeated under the refleak hunter (each run draws new examples) and the
C modules they load are built into the debug interpreter. This file is the
repeatable counterpart: a fixed set of calls that takes each function down
its success path and each of its error paths (wrong types, raising
comparisons and keys, a list mutated during the call, bad base64), so that
a reference or a block leaked on any of them shows in every run.
"""

import binascii
import sys
from pathlib import Path

import pytest

import ports

# On Debian's interpreters `_bisect` and `_heapq` are built in, and the
# built-in importer comes before sys.path: the finder makes `import _bisect`
# give the Rust module from the Rust modules' folder.
RUST_DIR = ports.rust_dir()
ports.install_finder(RUST_DIR, ["_base64", "_bisect", "_heapq"])

import _base64  # noqa: E402
import _bisect  # noqa: E402
import _heapq  # noqa: E402

for _module in (_base64, _bisect, _heapq):
    assert Path(getattr(_module, "__file__", "built in")).parent == RUST_DIR, _module


class Boom(Exception):
    pass


class RaisingLt:
    def __lt__(self, other):
        raise Boom


class BadBool:
    def __bool__(self):
        raise Boom


class BadBoolLt:
    def __lt__(self, other):
        return BadBool()


class Shrinking:
    """Empties the list it lives in when compared: the list changes under the call."""

    def __init__(self, heap):
        self.heap = heap

    def __lt__(self, other):
        self.heap.clear()
        return False


class RaisingIndex:
    def __index__(self):
        raise Boom


class RaisingLen(list):
    def __len__(self):
        raise Boom


def test_bisect_finds_positions_on_lists_tuples_and_with_a_key():
    a = [1, 2, 2, 3]
    assert (_bisect.bisect_left(a, 2), _bisect.bisect_right(a, 2)) == (1, 3)
    assert _bisect.bisect_left(tuple(a), 2, 2) == 2
    assert _bisect.bisect_right(a, 2, hi=2) == 2
    assert _bisect.bisect_left(a, 20, key=lambda v: v * 10) == 1
    words = ["a", "bb", "ccc"]
    _bisect.insort_left(words, "dd", key=len)
    _bisect.insort_right(words, "e", key=len)
    assert words == ["a", "e", "dd", "bb", "ccc"]


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: _bisect.bisect_left([1], 1, -1), ValueError),
        (lambda: _bisect.bisect_left([1], 1, RaisingIndex()), Boom),
        (lambda: _bisect.bisect_left(None, 1), TypeError),
        (lambda: _bisect.bisect_left(RaisingLen([1, 2]), 1), Boom),
        (lambda: _bisect.bisect_left([RaisingLt()], 1), Boom),
        (lambda: _bisect.bisect_right([BadBoolLt()], BadBoolLt()), Boom),
        (lambda: _bisect.bisect_left([1, 2], 1, key=lambda v: 1 / 0), ZeroDivisionError),
        (lambda: _bisect.insort_left((1, 2), 1), AttributeError),
        (lambda: _bisect.insort_right([1], RaisingLt()), Boom),
        (lambda: _bisect.bisect_left([1], 1, 0, 5), IndexError),
        (lambda: _bisect.bisect_left(), TypeError),
        (lambda: _bisect.bisect_left([1], 1, nonsense=1), TypeError),
    ],
)
def test_bisect_errors_release_everything(call, error):
    with pytest.raises(error):
        call()


def test_heapq_keeps_the_heap_invariant():
    heap = []
    for v in [5, 1, 4, 2, 3]:
        _heapq.heappush(heap, v)
    assert [_heapq.heappop(heap) for _ in range(5)] == [1, 2, 3, 4, 5]
    heap = [3, 1, 2]
    _heapq.heapify(heap)
    assert _heapq.heapreplace(heap, 0) == 1
    assert _heapq.heappushpop(heap, 10) == 0
    heap = [1, 3, 2]
    # 3.14 made the max-heap functions public and dropped the private ones.
    prefix = "" if sys.version_info >= (3, 14) else "_"
    getattr(_heapq, f"{prefix}heapify_max")(heap)
    assert getattr(_heapq, f"{prefix}heappop_max")(heap) == 3
    assert getattr(_heapq, f"{prefix}heapreplace_max")(heap, 0) == 2


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: _heapq.heappush((), 1), TypeError),
        (lambda: _heapq.heappop([]), IndexError),
        (lambda: _heapq.heapreplace([], 1), IndexError),
        (lambda: _heapq.heapify(None), TypeError),
        (lambda: _heapq.heappush([RaisingLt()], RaisingLt()), Boom),
        (lambda: _heapq.heapify([1, RaisingLt(), 2, RaisingLt()]), Boom),
        (lambda: _heapq.heappushpop([BadBoolLt()], 1), Boom),
        (lambda: getattr(_heapq, "heappop_max" if sys.version_info >= (3, 14) else "_heappop_max")([]), IndexError),
        (lambda: _heapq.heappush([]), TypeError),
    ],
)
def test_heapq_errors_release_everything(call, error):
    with pytest.raises(error):
        call()


def test_heapq_survives_a_list_emptied_by_a_comparison():
    heap = []
    heap.extend([Shrinking(heap), Shrinking(heap), Shrinking(heap)])
    with pytest.raises(RuntimeError):
        _heapq.heappop(heap)


def test_base64_encodes_and_decodes():
    assert _base64.b2a_base64(b"hello") == b"aGVsbG8=\n"
    assert _base64.b2a_base64(b"hello", newline=False) == b"aGVsbG8="
    assert _base64.a2b_base64(b"aGVsbG8=\n") == b"hello"
    assert _base64.a2b_base64("aGVs bG8=") == b"hello"
    assert _base64.a2b_base64(bytearray(b"aGVsbG8=")) == b"hello"


@pytest.mark.parametrize(
    "call, error",
    [
        (lambda: _base64.b2a_base64("text"), TypeError),
        (lambda: _base64.a2b_base64(b"aGVsbG8"), binascii.Error),
        (lambda: _base64.a2b_base64(b"a"), binascii.Error),
        (lambda: _base64.a2b_base64(b"aGVs!bG8=", strict_mode=True), binascii.Error),
        (lambda: _base64.a2b_base64("\u00e9"), ValueError),
        (lambda: _base64.a2b_base64(None), TypeError),
        # A flag is read with __index__ in 3.11, with __bool__ from 3.12.
        (lambda: _base64.b2a_base64(b"", newline=RaisingIndex() if sys.version_info < (3, 12) else BadBool()), Boom),
        (lambda: _base64.a2b_base64(b"", strict_mode=RaisingIndex() if sys.version_info < (3, 12) else BadBool()), Boom),
        (lambda: _base64.a2b_base64(b"abcd=", strict_mode=True, **{"": 1}), TypeError),
        # Unknown keywords, one that UTF-8 cannot encode, a near miss: the
        # message is built from the name's str object.
        (lambda: _base64.a2b_base64(b"", bogus=1), TypeError),
        (lambda: _base64.a2b_base64(b"", **{"\udc80": 1}), TypeError),
        (lambda: _base64.a2b_base64(b"", strict_mod=1), TypeError),
        (lambda: _base64.b2a_base64(b"", **{"n\xe9wline": 1}), TypeError),
    ]
    # 3.13's strict mode refuses a "=" after a complete group.
    + ([(lambda: _base64.a2b_base64(b"abcd=", strict_mode=True), binascii.Error)] if sys.version_info >= (3, 13) else []),
)
def test_base64_errors_release_everything(call, error):
    with pytest.raises(error):
        call()
