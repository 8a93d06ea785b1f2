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

/* Counter: a heap type whose method `incr()` adds one to a C field, as a
 * module's type would change its state: what a `class!` method reached
 * through `with_mut` costs against the C it replaces. Like the C of the
 * type tutorial, it takes no lock: with the GIL, the C needs none. */
typedef struct {
    PyObject_HEAD
    long long value;
} CounterObject;

static PyObject *
counter_incr(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    ((CounterObject *)self)->value++;
    Py_RETURN_NONE;
}

static PyObject *
counter_value(PyObject *self, void *Py_UNUSED(closure))
{
    return PyLong_FromLongLong(((CounterObject *)self)->value);
}

static void
counter_dealloc(PyObject *self)
{
    PyTypeObject *tp = Py_TYPE(self);
    tp->tp_free(self);
    Py_DECREF(tp);
}

static PyMethodDef counter_methods[] = {
    {"incr", counter_incr, METH_NOARGS, "incr($self, /)\n--\n\n"},
    {NULL, NULL, 0, NULL},
};

static PyGetSetDef counter_getset[] = {
    {"value", counter_value, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL},
};

static PyType_Slot counter_slots[] = {
    {Py_tp_new, PyType_GenericNew},
    {Py_tp_dealloc, counter_dealloc},
    {Py_tp_methods, counter_methods},
    {Py_tp_getset, counter_getset},
    {0, NULL},
};

static PyType_Spec counter_spec = {
    "_callcost_c.Counter", sizeof(CounterObject), 0,
    Py_TPFLAGS_DEFAULT | Py_TPFLAGS_IMMUTABLETYPE, counter_slots,
};

static int
exec_module(PyObject *module)
{
    PyObject *type = PyType_FromModuleAndSpec(module, &counter_spec, NULL);
    if (type == NULL) {
        return -1;
    }
    int status = PyModule_AddType(module, (PyTypeObject *)type);
    Py_DECREF(type);
    return status;
}

static PyModuleDef_Slot slots[] = {
    {Py_mod_exec, exec_module},
    {0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_callcost_c",
    "No-op functions in each calling convention, in C.", 0, methods,
    slots,
};

PyMODINIT_FUNC
PyInit__callcost_c(void)
{
    return PyModuleDef_Init(&module);
}
