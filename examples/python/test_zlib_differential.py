"""Differential tests of the Rust ``zlib`` port against the interpreter's C zlib.

Every test draws one hypothesis example, runs it on the C module and on the
port, and requires the same outcome: the same bytes returned, the same
attributes afterwards (``unused_data``, ``unconsumed_tail``, ``eof``), or the
same exception type and message.

Compressed bytes are compared only where zlib-rs says its output is the
same as C zlib's: the ``Z_HUFFMAN_ONLY`` and ``Z_RLE`` strategies at levels
1 to 9 (and level 0, stored blocks, which has one form). Everywhere else
each side must decompress what the other compressed: zlib-rs is free to
choose other matches, as any deflate compressor is.

The C module is the interpreter's own (built in, or its file in
``lib-dynload``), loaded by path: once the port is installed next to the
other Rust modules, ``import zlib`` finds the port first. The port is
``zlib`` from the folder of the Rust modules (``ports.rust_dir()``). When
that folder has no ``zlib`` yet, the tests run the C module against a
second copy of itself, so that they are known to pass on C, and
``test_the_port_is_the_rust_module`` is skipped with that reason.

Hypothesis settings come from the profile ``ZLIB_PROFILE`` names: ``ci``
(the default, 150 examples per test, a few seconds each) or ``long``
(2,000 examples, random). ``ZLIB_EXAMPLES`` overrides the count.
"""

import os
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ports
import zlib_rs

EXT_SUFFIX = ports.EXT_SUFFIX

settings.register_profile(
    "zlib-ci", max_examples=150, derandomize=True, database=None, deadline=None,
    suppress_health_check=list(HealthCheck),
)
settings.register_profile(
    "zlib-long", max_examples=2000, derandomize=False, database=None, deadline=None,
    suppress_health_check=list(HealthCheck),
)
_profile = settings.get_profile("zlib-" + os.environ.get("ZLIB_PROFILE", "ci"))
DIFF = settings(_profile, max_examples=int(os.environ.get("ZLIB_EXAMPLES", _profile.max_examples)))


def _c_zlib():
    """The interpreter's C zlib as a new module object (not ``import zlib``,
    which may find the port)."""
    if "zlib" in sys.builtin_module_names:
        import importlib.machinery
        import importlib.util

        spec = importlib.machinery.BuiltinImporter.find_spec("zlib")
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    return ports.load("zlib", ports.lib_dynload() / f"zlib{EXT_SUFFIX}")


C = _c_zlib()
RUST_DIR = ports.rust_dir()
PORT_BUILT = (RUST_DIR / f"zlib{EXT_SUFFIX}").is_file()
RS = ports.rust("zlib", RUST_DIR) if PORT_BUILT else _c_zlib()
HAS_ZLIB_DECOMPRESSOR = hasattr(C, "_ZlibDecompressor")


def test_the_port_is_the_rust_module():
    if not PORT_BUILT:
        pytest.skip(f"no zlib{EXT_SUFFIX} in {RUST_DIR} yet: the tests ran C against C")
    assert "lib-dynload" not in RS.__file__
    assert Path(RS.__file__).with_name(f"_base64{EXT_SUFFIX}").is_file()
    assert getattr(C, "__file__", "lib-dynload (built in)") != RS.__file__


# ---------------------------------------------------------------------------
# Outcomes


def outcome(fn, *args, **kwargs):
    """What a call did: ('return', value) or ('raise', type name, message).

    The type is compared by name and module-qualified for zlib.error, since
    each module has an ``error`` class of its own."""
    try:
        return ("return", fn(*args, **kwargs))
    except Exception as e:  # noqa: BLE001 - every exception is compared
        name = type(e).__name__
        if type(e) in (C.error, RS.error):
            name = "zlib.error"
        return ("raise", name, str(e))


# zlib-rs's one known difference in messages (checks/zlib_rs.py says which).
zlib_rs_message_difference = zlib_rs.message_difference
allow_zlib_rs_message = zlib_rs.allow_message


def same(run):
    """Runs `run(module)` on C and on the port; both must give the same."""
    c, rust = run(C), run(RS)
    rust = allow_zlib_rs_message(c, rust)
    assert c == rust, f"\nC:    {c!r}\nRust: {rust!r}"
    return c


# ---------------------------------------------------------------------------
# Inputs

LEVELS = st.integers(-1, 9)
# zlib (9..15), raw deflate (-9..-15), gzip (25..31); wbits=8 is refused
# or mapped differently by zlib versions, and checked apart.
WBITS = st.sampled_from(list(range(9, 16)) + list(range(-15, -8)) + list(range(25, 32)))
MEMLEVELS = st.integers(1, 9)
STRATEGIES = st.sampled_from(["Z_DEFAULT_STRATEGY", "Z_FILTERED", "Z_HUFFMAN_ONLY", "Z_RLE", "Z_FIXED"])
FLUSHES = st.sampled_from(["Z_NO_FLUSH", "Z_PARTIAL_FLUSH", "Z_SYNC_FLUSH", "Z_FULL_FLUSH", "Z_BLOCK"])

TEXT = st.text(alphabet="the quick brown fox jumps over lazy dog\n", max_size=3000).map(str.encode)
REPEATS = st.tuples(st.binary(min_size=1, max_size=8), st.integers(1, 600)).map(lambda t: t[0] * t[1])
DATA = st.one_of(st.binary(max_size=3000), TEXT, REPEATS)


def identical_output_promised(level, strategy):
    """Whether the port must give C zlib's bytes for a stream with flushes:
    at level 0 only (stored blocks). zlib-rs promises no bytes; Huffman-only
    and RLE give C's in one piece (test_huffman_only_and_rle_give_c_zlibs_bytes)
    but not always when flushes cut the blocks short: the fuzzer found RLE at
    level 7, memLevel 2, where C wrote a stored block and zlib-rs a
    compressed one."""
    del strategy
    return level == 0


def decompress_wbits(wbits):
    return wbits


def split(data, cuts):
    """`data` cut at the (sorted, deduplicated) offsets in `cuts`."""
    points = sorted({min(c, len(data)) for c in cuts})
    pieces, start = [], 0
    for p in points:
        pieces.append(data[start:p])
        start = p
    pieces.append(data[start:])
    return pieces


CUTS = st.lists(st.integers(0, 4000), max_size=12)


# ---------------------------------------------------------------------------
# One-shot functions


@DIFF
@given(DATA, LEVELS, WBITS)
def test_compress_round_trips_both_ways(data, level, wbits):
    c = C.compress(data, level, wbits)
    rust = RS.compress(data, level, wbits)
    assert C.decompress(rust, wbits) == data
    assert RS.decompress(c, wbits) == data
    assert RS.decompress(rust, wbits) == data
    if level == 0:
        assert c == rust


@DIFF
@given(DATA, st.integers(1, 9), WBITS, MEMLEVELS, st.sampled_from(["Z_HUFFMAN_ONLY", "Z_RLE"]))
def test_huffman_only_and_rle_give_c_zlibs_bytes(data, level, wbits, memlevel, strategy):
    def run(z):
        obj = z.compressobj(level, z.DEFLATED, wbits, memlevel, getattr(z, strategy))
        return obj.compress(data) + obj.flush()

    out = same(run)
    assert C.decompress(out, wbits) == data


@DIFF
@given(DATA, LEVELS, WBITS, MEMLEVELS, STRATEGIES)
def test_compressobj_parameters_round_trip_both_ways(data, level, wbits, memlevel, strategy):
    def run(z):
        obj = z.compressobj(level, z.DEFLATED, wbits, memlevel, getattr(z, strategy))
        return obj.compress(data) + obj.flush()

    c, rust = run(C), run(RS)
    assert RS.decompress(c, wbits) == data
    assert C.decompress(rust, wbits) == data
    if identical_output_promised(level, strategy):
        assert c == rust


@DIFF
@given(
    st.integers(-3, 11),
    st.integers(-40, 50),
    st.integers(-2, 11),
    st.integers(-2, 6),
    st.sampled_from([8, 7, 0, -1]),
)
def test_bad_compressobj_parameters_raise_the_same(level, wbits, memlevel, strategy, method):
    same(lambda z: outcome(lambda: type(z.compressobj(level, method, wbits, memlevel, strategy)).__name__))


@DIFF
@given(st.integers(-40, 50), st.sampled_from([b"", b"x\x9c\x03\x00\x00\x00\x00\x01"]))
def test_any_wbits_decompresses_or_raises_the_same(wbits, data):
    same(lambda z: outcome(z.decompress, data, wbits))
    same(lambda z: outcome(lambda: z.decompressobj(wbits).decompress(data)))


@DIFF
@given(DATA, st.integers(-(2**32), 2**33))
def test_checksums_are_the_same(data, start):
    for name in ("crc32", "adler32"):
        same(lambda z: outcome(getattr(z, name), data, start))
        same(lambda z: outcome(getattr(z, name), data))


# ---------------------------------------------------------------------------
# Streaming compression


@DIFF
@given(DATA, CUTS, st.lists(FLUSHES, min_size=13, max_size=13), LEVELS, WBITS, MEMLEVELS, STRATEGIES)
def test_streamed_compression_with_every_flush_mode(data, cuts, flushes, level, wbits, memlevel, strategy):
    pieces = split(data, cuts)

    def run(z):
        obj = z.compressobj(level, z.DEFLATED, wbits, memlevel, getattr(z, strategy))
        out = []
        for piece, mode in zip(pieces, flushes):
            out.append(obj.compress(piece))
            out.append(obj.flush(getattr(z, mode)))
        out.append(obj.flush(z.Z_FINISH))
        # The object is finished: what another call does is compared.
        after = [outcome(obj.compress, b"more"), outcome(obj.flush), outcome(obj.copy)]
        return out, after

    (c, c_after), (rust, rust_after) = run(C), run(RS)
    assert c_after == rust_after
    assert RS.decompress(b"".join(c), wbits) == data
    assert C.decompress(b"".join(rust), wbits) == data
    if identical_output_promised(level, strategy):
        assert c == rust
    # Z_NO_FLUSH returns nothing from flush() on both.
    for (mode, c_out, r_out) in zip(flushes, c[1::2], rust[1::2]):
        if mode == "Z_NO_FLUSH":
            assert c_out == r_out == b""


@DIFF
@given(DATA, DATA, st.integers(0, 3000), st.sampled_from(["copy", "__copy__", "__deepcopy__"]),
       st.sampled_from(["Z_HUFFMAN_ONLY", "Z_RLE", "Z_DEFAULT_STRATEGY"]))
def test_compress_copy_mid_stream_gives_two_streams(data, tail, at, how, strategy):
    head = data[:at]

    def run(z):
        obj = z.compressobj(6, z.DEFLATED, 15, 8, getattr(z, strategy))
        start = obj.compress(head)
        dup = getattr(obj, how)({}) if how == "__deepcopy__" else getattr(obj, how)()
        one = start + obj.compress(tail) + obj.flush()
        two = start + dup.compress(data) + dup.flush()
        return one, two

    (c1, c2), (r1, r2) = run(C), run(RS)
    for z, one, two in ((C, r1, r2), (RS, c1, c2), (RS, r1, r2)):
        assert z.decompress(one) == head + tail
        assert z.decompress(two) == head + data
    if strategy != "Z_DEFAULT_STRATEGY":
        assert (c1, c2) == (r1, r2)


# ---------------------------------------------------------------------------
# Streaming decompression


def compressed(data, wbits=15, zdict=None, strategy="Z_DEFAULT_STRATEGY"):
    """`data` compressed by the C module (the same stream for both sides)."""
    kwargs = {"zdict": zdict} if zdict is not None else {}
    obj = C.compressobj(6, C.DEFLATED, wbits, 8, getattr(C, strategy), **kwargs)
    return obj.compress(data) + obj.flush()


def stream_decompress(z, stream, cuts, lengths, wbits=15, flush_length=None, **kwargs):
    """Feeds `stream` in pieces, each with a max_length from `lengths`
    (0 for none), re-feeding unconsumed_tail; records every state."""
    d = z.decompressobj(wbits, **kwargs)
    log = []
    pending = b""
    for piece, length in zip(split(stream, cuts), lengths):
        got = outcome(d.decompress, pending + piece, length)
        log.append((got, d.unconsumed_tail, d.unused_data, d.eof))
        if got[0] == "raise":
            return log
        pending = d.unconsumed_tail
    while pending and not d.eof:
        got = outcome(d.decompress, pending, 64)
        log.append((got, d.unconsumed_tail, d.unused_data, d.eof))
        if got[0] == "raise" or d.unconsumed_tail == pending:
            break
        pending = d.unconsumed_tail
    args = () if flush_length is None else (flush_length,)
    log.append((outcome(d.flush, *args), d.unconsumed_tail, d.unused_data, d.eof))
    # Again, on what the first flush left (an ended stream, or not).
    log.append((outcome(d.flush), d.unconsumed_tail, d.unused_data, d.eof))
    return log


LENGTHS = st.lists(st.sampled_from([0, 0, 1, 2, 7, 100, 1000, 65536]), min_size=13, max_size=13)


@DIFF
@given(DATA, st.binary(max_size=20), CUTS, LENGTHS, WBITS, st.sampled_from([None, 1, 10, 100000]))
def test_streamed_decompression_with_max_length(data, trailer, cuts, lengths, wbits, flush_length):
    stream = compressed(data, wbits) + trailer
    log = same(lambda z: stream_decompress(z, stream, cuts, lengths, wbits, flush_length))
    out = b"".join(entry[0][1] for entry in log if entry[0][0] == "return")
    assert out == data


@DIFF
@given(st.integers(-5, -1), st.sampled_from([None, 0, -1]))
def test_bad_max_length_raises_the_same(max_length, flush_length):
    same(lambda z: outcome(z.decompressobj().decompress, b"x", max_length))
    if flush_length is not None:
        same(lambda z: outcome(z.decompressobj().flush, flush_length))


@DIFF
@given(DATA, CUTS, st.integers(0, 4000), LENGTHS, st.sampled_from(["copy", "__copy__", "__deepcopy__"]))
def test_decompress_copy_mid_stream_continues_alike(data, cuts, at, lengths, how):
    stream = compressed(data)

    def run(z):
        d = z.decompressobj()
        first = d.decompress(stream[:at], lengths[0])
        dup = getattr(d, how)({}) if how == "__deepcopy__" else getattr(d, how)()
        rest = d.unconsumed_tail + stream[at:]
        one = first + d.decompress(rest) + d.flush()
        two = first + dup.decompress(rest) + dup.flush()
        return one, two, d.eof, dup.eof, d.unused_data, dup.unused_data

    one, two, *_ = same(run)
    assert one == two == data
    # Copying a finished object is an error on both.
    same(lambda z: outcome(lambda: (lambda d: (d.decompress(stream), d.flush(), d.copy()))(z.decompressobj())))


ZDICTS = st.binary(min_size=1, max_size=300)


@DIFF
@given(DATA, ZDICTS, ZDICTS, st.sampled_from([15, -15, 9, -9]))
def test_zdict_right_wrong_and_missing(data, zdict, other, wbits):
    data = zdict[: len(zdict) // 2] + data
    for z_compress in (C, RS):
        obj = z_compress.compressobj(6, z_compress.DEFLATED, wbits, 8, 0, zdict)
        stream = obj.compress(data) + obj.flush()
        assert same(lambda z: outcome(lambda: z.decompressobj(wbits, zdict).decompress(stream))) == ("return", data)
        same(lambda z: outcome(lambda: z.decompressobj(wbits, other).decompress(stream)))
        same(lambda z: outcome(lambda: z.decompressobj(wbits).decompress(stream)))
        same(lambda z: outcome(z.decompress, stream, wbits))
    same(lambda z: outcome(z.compressobj, zdict=zdict.decode("latin-1")))
    same(lambda z: outcome(z.decompressobj, zdict=zdict.decode("latin-1")))
    same(lambda z: outcome(lambda: z.decompressobj(zdict=bytearray(zdict)).zdict))


# ---------------------------------------------------------------------------
# Truncated and corrupted streams

CORRUPTIONS = st.lists(st.tuples(st.integers(0, 4000), st.integers(0, 255)), min_size=1, max_size=4)


def corrupt(stream, changes):
    out = bytearray(stream)
    for at, value in changes:
        if out:
            out[at % len(out)] = value
    return bytes(out)


@DIFF
@given(DATA, st.integers(0, 4000), WBITS)
def test_truncated_streams_fail_the_same(data, at, wbits):
    stream = compressed(data, wbits)[:at]
    same(lambda z: outcome(z.decompress, stream, wbits))
    same(lambda z: stream_decompress(z, stream, [], [0], wbits))


@DIFF
@given(DATA, CORRUPTIONS, WBITS, st.sampled_from([15, -15, 31, 47, 0]), CUTS, LENGTHS)
def test_corrupted_streams_fail_the_same(data, changes, wbits, read_wbits, cuts, lengths):
    stream = corrupt(compressed(data, wbits), changes)
    for w in (wbits, read_wbits):
        same(lambda z: outcome(z.decompress, stream, w))
        same(lambda z: stream_decompress(z, stream, cuts, lengths, w))


@DIFF
@given(st.binary(max_size=200), st.sampled_from([15, -15, 31, 47, 0, 9]))
def test_random_bytes_fail_the_same(stream, wbits):
    same(lambda z: outcome(z.decompress, stream, wbits))
    same(lambda z: stream_decompress(z, stream, [], [0], wbits))


# ---------------------------------------------------------------------------
# _ZlibDecompressor (3.12 and later)

needs_zlib_decompressor = pytest.mark.skipif(
    not HAS_ZLIB_DECOMPRESSOR, reason=f"zlib._ZlibDecompressor is new in 3.12; this is {sys.version.split()[0]}"
)


def zlib_decompressor(z, stream, cuts, lengths, wbits=15, **kwargs):
    d = z._ZlibDecompressor(wbits, **kwargs)
    log = []
    for piece, length in zip(split(stream, cuts), lengths):
        got = outcome(d.decompress, piece, length if length else -1)
        log.append((got, d.eof, d.unused_data, d.needs_input))
        if got[0] == "raise":
            break
    # Drain what max_length held back, as bz2 and lzma users do.
    for _ in range(200):
        if d.eof or d.needs_input:
            break
        got = outcome(d.decompress, b"", 1000)
        log.append((got, d.eof, d.unused_data, d.needs_input))
        if got[0] == "raise":
            break
    log.append(outcome(d.decompress, b"x"))
    return log


@needs_zlib_decompressor
@DIFF
@given(DATA, st.binary(max_size=20), CUTS, LENGTHS, WBITS)
def test_zlib_decompressor_streams_alike(data, trailer, cuts, lengths, wbits):
    stream = compressed(data, wbits) + trailer
    log = same(lambda z: zlib_decompressor(z, stream, cuts, lengths, wbits))
    assert b"".join(e[0][1] for e in log[:-1] if e[0][0] == "return") == data


@needs_zlib_decompressor
@DIFF
@given(DATA, CORRUPTIONS, st.integers(0, 4000), WBITS, CUTS, LENGTHS, st.booleans())
def test_zlib_decompressor_bad_streams_fail_alike(data, changes, at, wbits, cuts, lengths, truncate):
    stream = compressed(data, wbits)
    stream = stream[:at] if truncate else corrupt(stream, changes)
    same(lambda z: zlib_decompressor(z, stream, cuts, lengths, wbits))


@needs_zlib_decompressor
@DIFF
@given(DATA, ZDICTS, ZDICTS)
def test_zlib_decompressor_zdict(data, zdict, other):
    # A zlib stream made with a dictionary asks for it (Z_NEED_DICT), and
    # C's decompress_buf then returns NULL with no exception set, whatever
    # zdict was given (it sets a dictionary only for raw streams, at
    # creation), so the interpreter raises SystemError; the port raises
    # zlib.error ("Error 2 while decompressing data"), the one place it
    # differs from C on purpose.
    stream = compressed(data, 15, zdict)
    for kwargs in ({"zdict": zdict}, {"zdict": other}, {}):
        c, rust = (zlib_decompressor(z, stream, [], [0], 15, **kwargs) for z in (C, RS))
        assert c == need_dict_as_c(c, rust)


need_dict_as_c = zlib_rs.need_dict_as_c


def test_the_allowed_message_difference_is_zlib_rs_s():
    """The one allowed difference, shown on a stream that triggers it.

    Raw deflate made with a two-byte zdict, decompressed without it: the
    first distance reaches back into the missing dictionary. C zlib names
    that; zlib-rs, decoding the whole stream in one call, replaces the name.
    Fed one byte at a time (the slow loop) zlib-rs gives C's message."""
    stream = bytes.fromhex("0302463002118c601ac4648408310000")
    c = outcome(lambda: C.decompressobj(-15).decompress(stream))
    assert c == ("raise", "zlib.error", "Error -3 while decompressing data: invalid distance too far back")
    rust = outcome(lambda: RS.decompressobj(-15).decompress(stream))
    assert rust == c or zlib_rs_message_difference(c, rust)

    def bytewise(z):
        d = z.decompressobj(-15)
        return outcome(lambda: [d.decompress(stream[i : i + 1]) for i in range(len(stream))])

    same(bytewise)


needs_combine = pytest.mark.skipif(
    not hasattr(C, "crc32_combine"), reason=f"zlib.crc32_combine is new in 3.15; this is {sys.version.split()[0]}"
)


@needs_combine
@DIFF
@given(DATA, DATA, st.integers(-(2**40), 2**40), st.integers(-(2**40), 2**40))
def test_combine_checksums(one, two, start1, start2):
    for checksum, combine in (("crc32", "crc32_combine"), ("adler32", "adler32_combine")):
        first = getattr(C, checksum)(one)
        second = getattr(C, checksum)(two)
        both = same(lambda z: getattr(z, combine)(first, second, len(two)))
        assert both == getattr(C, checksum)(one + two)
        # Start values out of range warn (DeprecationWarning) and are masked,
        # negative lengths are refused, on both.

        def run(z):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                got = outcome(getattr(z, combine), start1, start2, len(two))
            return got, [(w.category.__name__, str(w.message)) for w in caught]

        same(run)
        same(lambda z: outcome(getattr(z, combine), first, second, -1 - len(two)))
        same(lambda z: outcome(getattr(z, combine), first, second, 2**63))
