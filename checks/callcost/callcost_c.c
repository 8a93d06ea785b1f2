/* _callcost_c: the C baselines of the callgrind step (cargo xtask test
 * callgrind). No-op functions in each calling convention, written as
 * Argument Clinic writes them, and `mark()`, the function the harness
 * calls between two measured loops (callgrind dumps its counts on entry to
 * it, `--dump-before=callcost_mark`).
 *
 * Built by xtask with the system C compiler against the target
 * interpreter's headers: cc -O3 -shared -fPIC -I<include> callcost_c.c
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

#if PY_VERSION_HEX >= 0x030D0000
/* 3.13 moved these to the internal headers; they are still exported. */
PyAPI_FUNC(int) _PyArg_CheckPositional(const char *, Py_ssize_t, Py_ssize_t,
                                       Py_ssize_t);
#endif
#if PY_VERSION_HEX >= 0x030E0000
/* 3.14 added `varpos` (Clinic's *args) before the buffer. */
PyAPI_FUNC(PyObject *const *) _PyArg_UnpackKeywords(
    PyObject *const *, Py_ssize_t, PyObject *, PyObject *, _PyArg_Parser *,
    int, int, int, int, PyObject **);
#define UNPACK_KEYWORDS(args, nargs, kwnames, parser, minpos, maxpos, buf) \
    _PyArg_UnpackKeywords(args, nargs, NULL, kwnames, parser, minpos, maxpos, \
                          0, 0, buf)
#else
#if PY_VERSION_HEX >= 0x030D0000
PyAPI_FUNC(PyObject *const *) _PyArg_UnpackKeywords(
    PyObject *const *, Py_ssize_t, PyObject *, PyObject *, _PyArg_Parser *,
    int, int, int, PyObject **);
#endif
#define UNPACK_KEYWORDS(args, nargs, kwnames, parser, minpos, maxpos, buf) \
    _PyArg_UnpackKeywords(args, nargs, NULL, kwnames, parser, minpos, maxpos, \
                          0, buf)
#endif

/* Marks the end of one measured segment; does nothing. Not static, and
 * not inlined, so that callgrind finds it by name. */
__attribute__((noinline)) PyObject *
callcost_mark(PyObject *module, PyObject *unused)
{
    Py_RETURN_NONE;
}

/* METH_O: noop_o(arg, /) */
static PyObject *
noop_o(PyObject *module, PyObject *arg)
{
    Py_RETURN_NONE;
}

/* METH_NOARGS: noop_noargs() */
static PyObject *
noop_noargs(PyObject *module, PyObject *unused)
{
    Py_RETURN_NONE;
}

/* METH_FASTCALL, two positional-only parameters: noop_fastcall(a, b, /),
 * as Clinic writes it (the count checked inline, the message out of line). */
static PyObject *
noop_fastcall(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("noop_fastcall", nargs, 2, 2)) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* METH_FASTCALL | METH_KEYWORDS, bisect_left's shape:
 * noop_keywords(a, x, lo=None, hi=None, *, key=None), as Clinic writes
 * it: the inline fast path of _PyArg_UnpackKeywords, then each optional
 * argument read if given. */
static PyObject *
noop_keywords(PyObject *module, PyObject *const *args, Py_ssize_t nargs,
              PyObject *kwnames)
{
    static const char *const _keywords[] = {"a", "x", "lo", "hi", "key", NULL};
    static _PyArg_Parser _parser = {.keywords = _keywords,
                                    .fname = "noop_keywords"};
    PyObject *argsbuf[5];
    Py_ssize_t noptargs =
        nargs + (kwnames ? PyTuple_GET_SIZE(kwnames) : 0) - 2;
    PyObject *a, *x, *lo = Py_None, *hi = Py_None, *key = Py_None;

    args = UNPACK_KEYWORDS(args, nargs, kwnames, &_parser, 2, 4, argsbuf);
    if (!args) {
        return NULL;
    }
    a = args[0];
    x = args[1];
    if (!noptargs) {
        goto skip_optional;
    }
    if (args[2]) {
        lo = args[2];
        if (!--noptargs) {
            goto skip_optional;
        }
    }
    if (args[3]) {
        hi = args[3];
        if (!--noptargs) {
            goto skip_optional;
        }
    }
    key = args[4];
skip_optional:
    (void)a, (void)x, (void)lo, (void)hi, (void)key;
    Py_RETURN_NONE;
}

static PyMethodDef methods[] = {
    {"mark", callcost_mark, METH_NOARGS, "End a measured segment."},
    {"noop_o", noop_o, METH_O, "noop_o($module, arg, /)\n--\n\n"},
    {"noop_noargs", noop_noargs, METH_NOARGS, "noop_noargs($module, /)\n--\n\n"},
    {"noop_fastcall", (PyCFunction)(void (*)(void))noop_fastcall, METH_FASTCALL,
     "noop_fastcall($module, a, b, /)\n--\n\n"},
    {"noop_keywords", (PyCFunction)(void (*)(void))noop_keywords,
     METH_FASTCALL | METH_KEYWORDS,
     "noop_keywords($module, /, a, x, lo=None, hi=None, *, key=None)\n--\n\n"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_callcost_c",
    "No-op functions in each calling convention, in C.", 0, methods,
};

PyMODINIT_FUNC
PyInit__callcost_c(void)
{
    return PyModuleDef_Init(&module);
}
