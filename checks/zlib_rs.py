"""What the zlib port may do differently from the C module, because zlib-rs
does, in one place. The differential tests
(``examples/python/test_zlib_differential.py``) and the fuzzer
(``fuzz_modules.py``) both compare through ``allow_message``, so that the
allowance is the same in both and nowhere wider.

When zlib-rs 0.6.8's fast decoding loop meets a bad distance or code, it
records C zlib's message and marks the stream bad, but the state machine it
returns to then handles the bad state as if the caller had called again and
replaces the message with ``repeated call with bad state``. The code (-3,
``Z_DATA_ERROR``) is C's; only the words differ, and only for the fast
loop's three messages. The port cannot recover the first message.

A stream read with a window smaller than deflate's largest (``wbits`` of 8
to 14, in any framing) in pieces: C zlib refuses a distance that reaches
back past the window it keeps (``invalid distance too far back``) where
zlib-rs, whose window holds more than ``2**wbits`` bytes, decodes it and
goes on. ``lenient_window`` says when a comparison meets that case; where C
decodes the stream, the port must give the same.
"""

FAST_LOOP_MESSAGES = ("invalid distance too far back", "invalid distance code", "invalid literal/length code")
BAD_STATE = "repeated call with bad state"
PREFIX = "Error -3 while decompressing data: "


def message_difference(c, rust):
    """Whether the outcomes `c` and `rust` (``('raise', 'zlib.error',
    message)``) differ only by zlib-rs's replaced message."""
    if len(c) != 3 or len(rust) != 3 or c[:2] != ("raise", "zlib.error") or rust[:2] != c[:2]:
        return False
    return c[2] in [PREFIX + m for m in FAST_LOOP_MESSAGES] and rust[2] == PREFIX + BAD_STATE


def allow_message(c, rust):
    """`rust` with each outcome that differs from `c`'s only by that message
    replaced by C's, anywhere in nested lists and tuples."""
    if isinstance(c, tuple) and isinstance(rust, tuple) and message_difference(c, rust):
        return c
    if isinstance(c, (list, tuple)) and type(c) is type(rust) and len(c) == len(rust):
        return type(c)(allow_message(a, b) for a, b in zip(c, rust))
    return rust


def lenient_window(wbits, c):
    """Whether C's outcome `c` of reading a stream with `wbits` in pieces
    may differ from the port's because of zlib-rs's larger window: a window
    smaller than 32 KiB and C refusing a distance."""
    return 8 <= (abs(wbits) & 15) < 15 and "invalid distance too far back" in repr(c)


# The port's own difference, on purpose: a _ZlibDecompressor given a stream
# that asks for a dictionary (Z_NEED_DICT) makes C's decompress_buf return
# NULL with no exception set, which the interpreter reports as SystemError;
# the port raises zlib.error.
SYSTEM_ERROR = ("raise", "SystemError", "error return without exception set")
NEED_DICT = ("raise", "zlib.error", "Error 2 while decompressing data")


def need_dict_as_c(c, rust):
    """`rust` with each NEED_DICT outcome where `c` has SYSTEM_ERROR put
    back as C's, anywhere in nested lists and tuples."""
    if c == SYSTEM_ERROR and rust == NEED_DICT:
        return c
    if isinstance(c, (list, tuple)) and type(c) is type(rust) and len(c) == len(rust):
        return type(c)(need_dict_as_c(a, b) for a, b in zip(c, rust))
    return rust
