/* _bisect_shortcuts: CPython's _bisect with the shortcuts of the Rust port
 * (examples/src/_bisectmodule.rs), in C, for the benchmarks: a plain list
 * is read directly (PyList_GET_ITEM, its length checked at every step, as
 * the port checks it) instead of through PySequence_GetItem, and exact
 * ints and floats are compared by value (shortcuts.h). Everything else is
 * the stdlib module's algorithm, as the port has it: from 3.12 the slot of
 * x's type is called directly for items of that type until it returns
 * NotImplemented.
 *
 * Arguments are parsed by hand (Clinic's helpers are private from 3.13):
 * bisect_left(a, x, lo=0, hi=None, *, key=None) and its three siblings.
 * Bench-only, built by `cargo xtask bench` and the callgrind step.
 */
#include "shortcuts.h"

static const char *const names[] = {"a", "x", "lo", "hi", "key"};

/* The five arguments, checked and converted; 0, or -1 with an exception. */
static int
parse(const char *fname, PyObject *const *args, Py_ssize_t nargs,
      PyObject *kwnames, PyObject **a, PyObject **x, Py_ssize_t *lo,
      Py_ssize_t *hi, PyObject **key)
{
    PyObject *slot[5] = {NULL, NULL, NULL, NULL, NULL};
    if (nargs > 4) {
        PyErr_Format(PyExc_TypeError,
                     "%s() takes at most 4 positional arguments (%zd given)",
                     fname, nargs);
        return -1;
    }
    for (Py_ssize_t i = 0; i < nargs; i++) {
        slot[i] = args[i];
    }
    Py_ssize_t nkw = kwnames ? PyTuple_GET_SIZE(kwnames) : 0;
    for (Py_ssize_t k = 0; k < nkw; k++) {
        PyObject *name = PyTuple_GET_ITEM(kwnames, k);
        int j = 0;
        while (j < 5 && PyUnicode_CompareWithASCIIString(name, names[j]) != 0) {
            j++;
        }
        if (j == 5) {
            PyErr_Format(PyExc_TypeError,
                         "%s() got an unexpected keyword argument '%U'", fname,
                         name);
            return -1;
        }
        if (slot[j]) {
            PyErr_Format(PyExc_TypeError,
                         "argument for %s() given by name ('%s') and position",
                         fname, names[j]);
            return -1;
        }
        slot[j] = args[nargs + k];
    }
    for (int j = 0; j < 2; j++) {
        if (!slot[j]) {
            PyErr_Format(PyExc_TypeError,
                         "%s() missing required argument '%s'", fname,
                         names[j]);
            return -1;
        }
    }
    *a = slot[0];
    *x = slot[1];
    *lo = 0;
    if (slot[2]) {
        *lo = PyNumber_AsSsize_t(slot[2], PyExc_OverflowError);
        if (*lo == -1 && PyErr_Occurred()) {
            return -1;
        }
    }
    *hi = -1;
    if (slot[3] && slot[3] != Py_None) {
        if (!PyIndex_Check(slot[3])) {
            PyErr_Format(PyExc_TypeError,
                         "argument should be integer or None, not '%.200s'",
                         Py_TYPE(slot[3])->tp_name);
            return -1;
        }
        *hi = PyNumber_AsSsize_t(slot[3], PyExc_OverflowError);
        if (*hi == -1 && PyErr_Occurred()) {
            return -1;
        }
    }
    *key = slot[4] ? slot[4] : Py_None;
    return 0;
}

/* How the search compares, as the port's `Compare`: 1, 0, or -1 with an
 * exception. `by_slot` is C's `compare` pointer, cleared after the first
 * NotImplemented. */
static int
compare_lt(PyObject *a, PyObject *b, int *by_slot)
{
#if PY_VERSION_HEX >= 0x030C0000
    if (*by_slot && Py_TYPE(a) == Py_TYPE(b)) {
        int less = exact_number_lt(a, b);
        if (less >= 0) {
            return less;
        }
        richcmpfunc slot = Py_TYPE(a)->tp_richcompare;
        if (slot) {
            PyObject *res = slot(a, b, Py_LT);
            if (!res) {
                return -1;
            }
            if (res != Py_NotImplemented) {
                less = PyObject_IsTrue(res);
                Py_DECREF(res);
                return less;
            }
            Py_DECREF(res);
        }
        *by_slot = 0;
    }
#else
    (void)by_slot;
#endif
    return lt(a, b);
}

static Py_ssize_t
search(PyObject *a, PyObject *x, Py_ssize_t lo, Py_ssize_t hi, PyObject *key,
       int right)
{
    if (lo < 0) {
        PyErr_SetString(PyExc_ValueError, "lo must be non-negative");
        return -1;
    }
    if (hi == -1) {
        hi = PySequence_Size(a);
        if (hi < 0) {
            return -1;
        }
    }
    int is_list = PyList_CheckExact(a);
    int by_slot = 1;
    while (lo < hi) {
        Py_ssize_t mid = lo + (hi - lo) / 2;
        PyObject *item;
        if (is_list) {
            if (mid >= PyList_GET_SIZE(a)) {
                PyErr_SetString(PyExc_IndexError, "list index out of range");
                return -1;
            }
            item = Py_NewRef(PyList_GET_ITEM(a, mid));
        }
        else {
            item = PySequence_GetItem(a, mid);
            if (!item) {
                return -1;
            }
        }
        if (key != Py_None) {
            PyObject *k = PyObject_CallOneArg(key, item);
            Py_DECREF(item);
            if (!k) {
                return -1;
            }
            item = k;
        }
        int goes_after;
        if (right) {
            int less = compare_lt(x, item, &by_slot);
            goes_after = less < 0 ? -1 : !less;
        }
        else {
            goes_after = compare_lt(item, x, &by_slot);
        }
        Py_DECREF(item);
        if (goes_after < 0) {
            return -1;
        }
        if (goes_after) {
            lo = mid + 1;
        }
        else {
            hi = mid;
        }
    }
    return lo;
}

static PyObject *
bisect(const char *fname, PyObject *const *args, Py_ssize_t nargs,
       PyObject *kwnames, int right)
{
    PyObject *a, *x, *key;
    Py_ssize_t lo, hi;
    if (parse(fname, args, nargs, kwnames, &a, &x, &lo, &hi, &key) < 0) {
        return NULL;
    }
    Py_ssize_t index = search(a, x, lo, hi, key, right);
    return index < 0 ? NULL : PyLong_FromSsize_t(index);
}

static PyObject *
insort(const char *fname, PyObject *const *args, Py_ssize_t nargs,
       PyObject *kwnames, int right)
{
    PyObject *a, *x, *key;
    Py_ssize_t lo, hi, index;
    if (parse(fname, args, nargs, kwnames, &a, &x, &lo, &hi, &key) < 0) {
        return NULL;
    }
    if (key == Py_None) {
        index = search(a, x, lo, hi, key, right);
    }
    else {
        PyObject *kx = PyObject_CallOneArg(key, x);
        if (!kx) {
            return NULL;
        }
        index = search(a, kx, lo, hi, key, right);
        Py_DECREF(kx);
    }
    if (index < 0) {
        return NULL;
    }
    if (PyList_CheckExact(a)) {
        if (PyList_Insert(a, index, x) < 0) {
            return NULL;
        }
    }
    else {
        PyObject *res = PyObject_CallMethod(a, "insert", "nO", index, x);
        if (!res) {
            return NULL;
        }
        Py_DECREF(res);
    }
    Py_RETURN_NONE;
}

#define DEFINE(name, body, right)                                             \
    static PyObject *name(PyObject *module, PyObject *const *args,            \
                          Py_ssize_t nargs, PyObject *kwnames)                \
    {                                                                         \
        return body(#name, args, nargs, kwnames, right);                      \
    }
DEFINE(bisect_left, bisect, 0)
DEFINE(bisect_right, bisect, 1)
DEFINE(insort_left, insort, 0)
DEFINE(insort_right, insort, 1)

#define ENTRY(name)                                                           \
    {#name, (PyCFunction)(void (*)(void))name, METH_FASTCALL | METH_KEYWORDS, \
     #name "($module, /, a, x, lo=0, hi=None, *, key=None)\n--\n\n"}
static PyMethodDef methods[] = {
    ENTRY(bisect_left), ENTRY(bisect_right), ENTRY(insort_left),
    ENTRY(insort_right), {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_bisect_shortcuts",
    "_bisect with the Rust port's shortcuts, in C (benchmarks only).", 0,
    methods,
};

PyMODINIT_FUNC
PyInit__bisect_shortcuts(void)
{
    return PyModuleDef_Init(&module);
}
