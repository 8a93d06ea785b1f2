/* _base64_shortcuts: binascii's b2a_base64 and a2b_base64 with the Rust
 * port's approach (examples/src/_base64module.rs), in C, for the
 * benchmarks, where binascii's C loop takes one byte at a time:
 *
 * - the output bytes object is written in place, not zeroed first;
 * - the encoder converts 24 bytes to 32 characters per step with AVX2, and
 *   the rest a group (3 bytes to 4 characters) at a time through a table;
 * - the decoder takes canonical input (after dropping one trailing
 *   newline), 32 characters to 24 bytes per step with AVX2 and the rest 4
 *   characters to 3 bytes at a time, and hands anything else, and every
 *   call with keywords, to binascii itself, as the port hands such input
 *   to its lenient decoder.
 *
 * The port's codec, the base64-simd crate, chooses AVX2 at run time; so
 * does this one (__builtin_cpu_supports), with the table code as the
 * fallback and for the tail, so that the port and this variant run the
 * same algorithm. The vector code is the method of Wojciech Muła and
 * Daniel Lemire, "Faster Base64 Encoding and Decoding Using AVX2
 * Instructions", ACM Transactions on the Web 12(3), 2018,
 * https://doi.org/10.1145/3132709. The module function _set_simd(False)
 * turns it off, for the check that both paths compute what binascii does
 * (checks/callcost.py).
 * Bench-only, built by `cargo xtask bench` and the callgrind step.
 */
#include "shortcuts.h"

#include <immintrin.h>

static const char alphabet[] =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* binascii's function `name`, looked up once. */
static PyObject *
fallback(const char *name, PyObject **cache)
{
    if (!*cache) {
        PyObject *binascii = PyImport_ImportModule("binascii");
        if (!binascii) {
            return NULL;
        }
        *cache = PyObject_GetAttrString(binascii, name);
        Py_DECREF(binascii);
    }
    return *cache;
}

static PyObject *b2a_fallback, *a2b_fallback;

/* Whether the AVX2 code runs: set at init from the CPU, and by _set_simd. */
static int use_avx2;

/* The characters of 24 bytes at `in`, written as 32 at `out`, per step
 * while 28 bytes can be read (the second load reads 4 past the 24); the
 * number of bytes encoded, a multiple of 24. */
__attribute__((target("avx2"))) static Py_ssize_t
encode_avx2(const unsigned char *in, Py_ssize_t n, unsigned char *out)
{
    /* Each table is one 128-bit lane's, the same in both lanes, since
     * vpshufb looks up within a lane. Per lane, the 3 bytes a, b, c of
     * each group as the 32-bit word b, a, c, b (memory order): its low
     * half is a:b, its high half b:c, each holding two of the sextets. */
    const __m256i spread = _mm256_broadcastsi128_si256(_mm_setr_epi8(
        1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10));
    /* What a sextet adds to become its character, by its kind: the sextet
     * minus 51 (saturating), or 13 for those under 26. Kind 0 is 26..51
     * ('a' - 26), 1..10 is 52..61 ('0' - 52), 11 is 62 ('+' - 62), 12 is
     * 63 ('/' - 63), 13 is 0..25 ('A'). */
    const __m256i offsets = _mm256_broadcastsi128_si256(_mm_setr_epi8(
        'a' - 26, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52,
        '0' - 52, '0' - 52, '0' - 52, '0' - 52, '0' - 52, '+' - 62,
        '/' - 63, 'A', 0, 0));
    Py_ssize_t i = 0;
    for (; i + 28 <= n; i += 24) {
        __m128i lo = _mm_loadu_si128((const __m128i *)(in + i));
        __m128i hi = _mm_loadu_si128((const __m128i *)(in + i + 12));
        __m256i v = _mm256_inserti128_si256(_mm256_castsi128_si256(lo), hi, 1);
        v = _mm256_shuffle_epi8(v, spread);
        /* Sextets 0 and 2 (bits 15..10 of a:b, 11..6 of b:c) shifted down
         * to bits 0..5 of their half: the high half of a product by 2^6
         * and 2^10. Sextets 1 and 3 (bits 9..4, 5..0) shifted up to bits
         * 8..13: the low half of a product by 2^4 and 2^8. */
        __m256i s02 = _mm256_mulhi_epu16(
            _mm256_and_si256(v, _mm256_set1_epi32(0x0fc0fc00)),
            _mm256_set1_epi32(0x04000040));
        __m256i s13 = _mm256_mullo_epi16(
            _mm256_and_si256(v, _mm256_set1_epi32(0x003f03f0)),
            _mm256_set1_epi32(0x01000010));
        __m256i sextets = _mm256_or_si256(s02, s13);
        __m256i kind = _mm256_subs_epu8(sextets, _mm256_set1_epi8(51));
        __m256i upper = _mm256_cmpgt_epi8(_mm256_set1_epi8(26), sextets);
        kind = _mm256_or_si256(kind,
                               _mm256_and_si256(upper, _mm256_set1_epi8(13)));
        __m256i chars =
            _mm256_add_epi8(sextets, _mm256_shuffle_epi8(offsets, kind));
        _mm256_storeu_si256((__m256i *)(out + i / 3 * 4), chars);
    }
    return i;
}

static PyObject *
call_fallback(const char *name, PyObject **cache, PyObject *const *args,
              Py_ssize_t nargs, PyObject *kwnames)
{
    PyObject *f = fallback(name, cache);
    if (!f) {
        return NULL;
    }
    return PyObject_Vectorcall(f, args, nargs, kwnames);
}

static PyObject *
b2a_base64(PyObject *module, PyObject *const *args, Py_ssize_t nargs,
           PyObject *kwnames)
{
    if (nargs != 1 || kwnames) {
        return call_fallback("b2a_base64", &b2a_fallback, args, nargs,
                             kwnames);
    }
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    const unsigned char *in = view.buf;
    Py_ssize_t n = view.len;
    if (n > (PY_SSIZE_T_MAX - 3) / 2) {
        PyBuffer_Release(&view);
        return call_fallback("b2a_base64", &b2a_fallback, args, nargs,
                             kwnames);
    }
    Py_ssize_t encoded = (n + 2) / 3 * 4;
    PyObject *result = PyBytes_FromStringAndSize(NULL, encoded + 1);
    if (!result) {
        PyBuffer_Release(&view);
        return NULL;
    }
    unsigned char *out = (unsigned char *)PyBytes_AS_STRING(result);
    Py_ssize_t i = use_avx2 ? encode_avx2(in, n, out) : 0;
    out += i / 3 * 4;
    for (; i + 3 <= n; i += 3) {
        unsigned int g = in[i] << 16 | in[i + 1] << 8 | in[i + 2];
        out[0] = alphabet[g >> 18];
        out[1] = alphabet[(g >> 12) & 63];
        out[2] = alphabet[(g >> 6) & 63];
        out[3] = alphabet[g & 63];
        out += 4;
    }
    if (i < n) {
        unsigned int g = in[i] << 16 | (i + 1 < n ? in[i + 1] << 8 : 0);
        out[0] = alphabet[g >> 18];
        out[1] = alphabet[(g >> 12) & 63];
        out[2] = i + 1 < n ? alphabet[(g >> 6) & 63] : '=';
        out[3] = '=';
        out += 4;
    }
    *out = '\n';
    PyBuffer_Release(&view);
    return result;
}

/* The value of each base64 character; 0xff for the rest, '=' included. */
static unsigned char values[256];

static void
init_values(void)
{
    memset(values, 0xff, sizeof values);
    for (int i = 0; i < 64; i++) {
        values[(unsigned char)alphabet[i]] = (unsigned char)i;
    }
}

/* The bytes of 32 characters at `in`, written as 24 at `out`, per step
 * while 32 characters are left and all of them are base64 characters; the
 * number of characters decoded, a multiple of 32. A block with any other
 * character ('=', a newline, ...) is left to the caller's scalar loop,
 * which finds the character and hands the input to binascii. */
__attribute__((target("avx2"))) static Py_ssize_t
decode_avx2(const unsigned char *in, Py_ssize_t n, unsigned char *out)
{
    /* A character is valid unless its low nibble rules out the class of
     * its high nibble (one bit each): class 1 is the high nibble 2 ('+'
     * 2B, '/' 2F), 2 is 3 ('0'..'9'), 4 is 4 and 6 (A..O, a..o, not 40 or
     * 60), 8 is 5 and 7 (P..Z, p..z, up to 5A or 7A), 16 every other high
     * nibble, which every low nibble rules out. */
    const __m256i lo_rules_out = _mm256_broadcastsi128_si256(_mm_setr_epi8(
        0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11,
        0x11, 0x11, 0x13, 0x1a, 0x1b, 0x1b, 0x1b, 0x1a));
    const __m256i hi_class = _mm256_broadcastsi128_si256(_mm_setr_epi8(
        0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08,
        0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10));
    /* What a valid character adds to become its value, by high nibble,
     * '/' at 1 (its nibble 2 plus its mark, -1): '/' + 16, '+' + 19,
     * digits + 4, letters - 65 ('A') and - 71 ('a' - 26). */
    const __m256i shift = _mm256_broadcastsi128_si256(_mm_setr_epi8(
        0, 16, 19, 4, -65, -65, -71, -71, 0, 0, 0, 0, 0, 0, 0, 0));
    /* The 3 bytes of each 32-bit word, high byte first, to the front of
     * each lane; then the two lanes' 12 bytes together. */
    const __m256i gather = _mm256_broadcastsi128_si256(_mm_setr_epi8(
        2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1));
    const __m256i lanes = _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7);
    const __m256i nibble = _mm256_set1_epi8(0x0f);
    Py_ssize_t i = 0;
    for (; i + 32 <= n; i += 32) {
        __m256i v = _mm256_loadu_si256((const __m256i *)(in + i));
        __m256i hi = _mm256_and_si256(_mm256_srli_epi32(v, 4), nibble);
        __m256i lo = _mm256_and_si256(v, nibble);
        if (!_mm256_testz_si256(_mm256_shuffle_epi8(lo_rules_out, lo),
                                _mm256_shuffle_epi8(hi_class, hi))) {
            break;
        }
        __m256i slash = _mm256_cmpeq_epi8(v, _mm256_set1_epi8('/'));
        v = _mm256_add_epi8(
            v, _mm256_shuffle_epi8(shift, _mm256_add_epi8(hi, slash)));
        /* Pairs of sextets to 12 bits (a * 2^6 + b), pairs of those to 24
         * (ab * 2^12 + cd). */
        v = _mm256_maddubs_epi16(v, _mm256_set1_epi32(0x01400140));
        v = _mm256_madd_epi16(v, _mm256_set1_epi32(0x00011000));
        v = _mm256_permutevar8x32_epi32(_mm256_shuffle_epi8(v, gather), lanes);
        unsigned char *o = out + i / 4 * 3;
        _mm_storeu_si128((__m128i *)o, _mm256_castsi256_si128(v));
        _mm_storel_epi64((__m128i *)(o + 16), _mm256_extracti128_si256(v, 1));
    }
    return i;
}

/* Canonical base64 (groups of four, '=' only to end the last) decoded into
 * `out`; the number of bytes, or -1 if the input is not canonical. */
static Py_ssize_t
decode_canonical(const unsigned char *in, Py_ssize_t n, unsigned char *out)
{
    if (n % 4) {
        return -1;
    }
    Py_ssize_t pads = 0;
    if (n && in[n - 1] == '=') {
        pads = in[n - 2] == '=' ? 2 : 1;
    }
    Py_ssize_t whole = n - (pads ? 4 : 0);
    Py_ssize_t i = use_avx2 ? decode_avx2(in, whole, out) : 0;
    Py_ssize_t written = i / 4 * 3;
    for (; i < whole; i += 4) {
        unsigned int a = values[in[i]], b = values[in[i + 1]],
                     c = values[in[i + 2]], d = values[in[i + 3]];
        if ((a | b | c | d) & 0xc0) {
            return -1;
        }
        unsigned int g = a << 18 | b << 12 | c << 6 | d;
        out[written] = g >> 16;
        out[written + 1] = (g >> 8) & 0xff;
        out[written + 2] = g & 0xff;
        written += 3;
    }
    if (pads) {
        const unsigned char *t = in + whole;
        unsigned int a = values[t[0]], b = values[t[1]];
        unsigned int c = pads == 1 ? values[t[2]] : 0;
        if ((a | b | c) & 0xc0) {
            return -1;
        }
        unsigned int g = a << 18 | b << 12 | c << 6;
        /* Canonical: the bits the padding drops are zero. */
        if (g & (pads == 1 ? 0xff : 0xffff)) {
            return -1;
        }
        out[written++] = g >> 16;
        if (pads == 1) {
            out[written++] = (g >> 8) & 0xff;
        }
    }
    return written;
}

static PyObject *
a2b_base64(PyObject *module, PyObject *const *args, Py_ssize_t nargs,
           PyObject *kwnames)
{
    if (nargs != 1 || kwnames || !PyObject_CheckBuffer(args[0])) {
        return call_fallback("a2b_base64", &a2b_fallback, args, nargs,
                             kwnames);
    }
    Py_buffer view;
    if (PyObject_GetBuffer(args[0], &view, PyBUF_SIMPLE) < 0) {
        return NULL;
    }
    const unsigned char *in = view.buf;
    Py_ssize_t n = view.len;
    if (n && in[n - 1] == '\n') {
        n--;
    }
    PyObject *result = PyBytes_FromStringAndSize(NULL, n / 4 * 3);
    if (!result) {
        PyBuffer_Release(&view);
        return NULL;
    }
    Py_ssize_t written =
        decode_canonical(in, n, (unsigned char *)PyBytes_AS_STRING(result));
    PyBuffer_Release(&view);
    if (written < 0) {
        Py_DECREF(result);
        return call_fallback("a2b_base64", &a2b_fallback, args, nargs,
                             kwnames);
    }
    if (written != PyBytes_GET_SIZE(result) &&
        _PyBytes_Resize(&result, written) < 0) {
        return NULL;
    }
    return result;
}

/* Whether the AVX2 code runs from now on: the argument's truth, if the CPU
 * has AVX2. */
static PyObject *
set_simd(PyObject *module, PyObject *arg)
{
    int enable = PyObject_IsTrue(arg);
    if (enable < 0) {
        return NULL;
    }
    use_avx2 = enable && __builtin_cpu_supports("avx2");
    return PyBool_FromLong(use_avx2);
}

static PyMethodDef methods[] = {
    {"b2a_base64", (PyCFunction)(void (*)(void))b2a_base64,
     METH_FASTCALL | METH_KEYWORDS, "b2a_base64(data, /, *, newline=True)"},
    {"a2b_base64", (PyCFunction)(void (*)(void))a2b_base64,
     METH_FASTCALL | METH_KEYWORDS, "a2b_base64(data, /, *, strict_mode=False)"},
    {"_set_simd", set_simd, METH_O,
     "_set_simd(enable, /): the AVX2 code on (if the CPU has it) or off;\n"
     "whether it is on."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_base64_shortcuts",
    "binascii's base64 functions with AVX2 (chosen at run time) and a scalar\n"
    "tail, in C (benchmarks only).",
    0, methods,
};

PyMODINIT_FUNC
PyInit__base64_shortcuts(void)
{
    init_values();
    __builtin_cpu_init();
    use_avx2 = __builtin_cpu_supports("avx2");
    return PyModuleDef_Init(&module);
}
