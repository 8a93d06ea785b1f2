/* _base64_shortcuts: binascii's b2a_base64 and a2b_base64 with the Rust
 * port's approach (examples/src/_base64module.rs), in C, for the
 * benchmarks, where binascii's C loop takes one byte at a time:
 *
 * - the output bytes object is written in place, not zeroed first;
 * - the encoder converts whole groups (3 bytes to 4 characters) through a
 *   table; the decoder takes canonical input (after dropping one trailing
 *   newline) 4 characters to 3 bytes at a time, and hands anything else,
 *   and every call with keywords, to binascii itself, as the port hands
 *   such input to its lenient decoder.
 *
 * Not vectorised: the port's codec (the base64-simd crate) converts a
 * vector register of bytes per step, this one a group. The difference
 * between this variant and the port is therefore SIMD, not language.
 * Bench-only, built by `cargo xtask bench` and the callgrind step.
 */
#include "shortcuts.h"

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
    Py_ssize_t i = 0;
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
    Py_ssize_t whole = n - (pads ? 4 : 0), written = 0;
    for (Py_ssize_t i = 0; i < whole; i += 4) {
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

static PyMethodDef methods[] = {
    {"b2a_base64", (PyCFunction)(void (*)(void))b2a_base64,
     METH_FASTCALL | METH_KEYWORDS, "b2a_base64(data, /, *, newline=True)"},
    {"a2b_base64", (PyCFunction)(void (*)(void))a2b_base64,
     METH_FASTCALL | METH_KEYWORDS, "a2b_base64(data, /, *, strict_mode=False)"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_base64_shortcuts",
    "binascii's base64 functions, a group at a time, in C (benchmarks only).",
    0, methods,
};

PyMODINIT_FUNC
PyInit__base64_shortcuts(void)
{
    init_values();
    return PyModuleDef_Init(&module);
}
