/* _heapq_shortcuts: CPython's _heapq with the shortcut of the Rust port
 * (examples/src/_heapqmodule.rs), in C, for the benchmarks: two items of
 * the list are compared in place when both are exact ints or floats
 * (shortcuts.h), without the four reference-count writes around the
 * comparison, as the port's `PyList::lt_items` does; the length is checked
 * before each comparison, as there. The rest is the stdlib algorithm
 * (siftdown, siftup, the cache-friendly heapify above 2,500 items).
 *
 * The max-heap functions are under both their names: private up to 3.13
 * (`_heappop_max`), public from 3.14 (`heappop_max`). Bench-only, built by
 * `cargo xtask bench` and the callgrind step.
 */
#include "shortcuts.h"

#define ITEMS(heap) (((PyListObject *)(heap))->ob_item)

/* heap[i] < heap[j], or heap[j] < heap[i] for a max-heap: 1, 0, or -1
 * with an exception. */
static int
above(PyObject *heap, Py_ssize_t i, Py_ssize_t j, int max)
{
    if (max) {
        Py_ssize_t t = i;
        i = j;
        j = t;
    }
    Py_ssize_t len = PyList_GET_SIZE(heap);
    if (i >= len || j >= len) {
        PyErr_SetString(PyExc_IndexError, "list index out of range");
        return -1;
    }
    PyObject *a = ITEMS(heap)[i], *b = ITEMS(heap)[j];
    int less = exact_number_lt(a, b);
    if (less >= 0) {
        return less;
    }
    Py_INCREF(a);
    Py_INCREF(b);
    less = PyObject_RichCompareBool(a, b, Py_LT);
    Py_DECREF(a);
    Py_DECREF(b);
    return less;
}

static void
swap(PyObject *heap, Py_ssize_t i, Py_ssize_t j)
{
    PyObject *t = ITEMS(heap)[i];
    ITEMS(heap)[i] = ITEMS(heap)[j];
    ITEMS(heap)[j] = t;
}

static int
changed_size(void)
{
    PyErr_SetString(PyExc_RuntimeError, "list changed size during iteration");
    return -1;
}

static int
out_of_range(void)
{
    PyErr_SetString(PyExc_IndexError, "index out of range");
    return -1;
}

/* The item at `pos` moved up towards `start` (CPython's siftdown). */
static int
sift_down(PyObject *heap, Py_ssize_t start, Py_ssize_t pos, int max)
{
    Py_ssize_t size = PyList_GET_SIZE(heap);
    if (pos >= size) {
        return out_of_range();
    }
    while (pos > start) {
        Py_ssize_t parent = (pos - 1) >> 1;
        int up = above(heap, pos, parent, max);
        if (up < 0) {
            return -1;
        }
        if (PyList_GET_SIZE(heap) != size) {
            return changed_size();
        }
        if (!up) {
            break;
        }
        swap(heap, parent, pos);
        pos = parent;
    }
    return 0;
}

/* The smaller child moved up until `pos` is a leaf, then the item sifted
 * back down (CPython's siftup). */
static int
sift_up(PyObject *heap, Py_ssize_t pos, int max)
{
    Py_ssize_t end = PyList_GET_SIZE(heap), start = pos;
    if (pos >= end) {
        return out_of_range();
    }
    Py_ssize_t limit = end >> 1;
    while (pos < limit) {
        Py_ssize_t child = 2 * pos + 1;
        if (child + 1 < end) {
            int left = above(heap, child, child + 1, max);
            if (left < 0) {
                return -1;
            }
            child += left ^ 1;
            if (PyList_GET_SIZE(heap) != end) {
                return changed_size();
            }
        }
        swap(heap, child, pos);
        pos = child;
    }
    return sift_down(heap, start, pos, max);
}

static int
check_list(PyObject *heap, const char *fname, const char *which)
{
    if (!PyList_Check(heap)) {
        PyErr_Format(PyExc_TypeError, "%s() %s must be list, not %.50s", fname,
                     which, Py_TYPE(heap)->tp_name);
        return -1;
    }
    return 0;
}

static int
check_two(const char *fname, Py_ssize_t nargs)
{
    if (nargs != 2) {
        PyErr_Format(PyExc_TypeError, "%s expected 2 arguments, got %zd",
                     fname, nargs);
        return -1;
    }
    return 0;
}

static PyObject *
push(const char *fname, PyObject *const *args, Py_ssize_t nargs, int max)
{
    if (check_two(fname, nargs) < 0 ||
        check_list(args[0], fname, "argument 1") < 0) {
        return NULL;
    }
    if (PyList_Append(args[0], args[1]) < 0) {
        return NULL;
    }
    if (sift_down(args[0], 0, PyList_GET_SIZE(args[0]) - 1, max) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
pop(const char *fname, PyObject *heap, int max)
{
    if (check_list(heap, fname, "argument") < 0) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(heap);
    if (n == 0) {
        out_of_range();
        return NULL;
    }
    PyObject *last = Py_NewRef(ITEMS(heap)[n - 1]);
    if (PyList_SetSlice(heap, n - 1, n, NULL) < 0) {
        Py_DECREF(last);
        return NULL;
    }
    if (PyList_GET_SIZE(heap) == 0) {
        return last;
    }
    PyObject *top = ITEMS(heap)[0];
    ITEMS(heap)[0] = last;
    if (sift_up(heap, 0, max) < 0) {
        Py_DECREF(top);
        return NULL;
    }
    return top;
}

static PyObject *
replace(PyObject *heap, PyObject *item, int max)
{
    if (PyList_GET_SIZE(heap) == 0) {
        out_of_range();
        return NULL;
    }
    PyObject *top = ITEMS(heap)[0];
    ITEMS(heap)[0] = Py_NewRef(item);
    if (sift_up(heap, 0, max) < 0) {
        Py_DECREF(top);
        return NULL;
    }
    return top;
}

static PyObject *
replace_checked(const char *fname, PyObject *const *args, Py_ssize_t nargs,
                int max)
{
    if (check_two(fname, nargs) < 0 ||
        check_list(args[0], fname, "argument 1") < 0) {
        return NULL;
    }
    return replace(args[0], args[1], max);
}

static PyObject *
pushpop(const char *fname, PyObject *const *args, Py_ssize_t nargs, int max)
{
    if (check_two(fname, nargs) < 0 ||
        check_list(args[0], fname, "argument 1") < 0) {
        return NULL;
    }
    PyObject *heap = args[0], *item = args[1];
    if (PyList_GET_SIZE(heap) == 0) {
        return Py_NewRef(item);
    }
    PyObject *top = Py_NewRef(ITEMS(heap)[0]);
    int goes = max ? lt(item, top) : lt(top, item);
    Py_DECREF(top);
    if (goes < 0) {
        return NULL;
    }
    if (!goes) {
        return Py_NewRef(item);
    }
    return replace(heap, item, max);
}

/* Sifts `j` and, while it is a right child, its parents: the inner loop of
 * the cache-friendly heapify. */
static int
sift_with_parents(PyObject *heap, Py_ssize_t j, int max)
{
    for (;;) {
        if (sift_up(heap, j, max) < 0) {
            return -1;
        }
        if (!(j & 1)) {
            return 0;
        }
        j >>= 1;
    }
}

static PyObject *
heapify_in(const char *fname, PyObject *heap, int max)
{
    if (check_list(heap, fname, "argument") < 0) {
        return NULL;
    }
    Py_ssize_t n = PyList_GET_SIZE(heap);
    if (n > 2500) {
        Py_ssize_t m = n >> 1, top = 1;
        while (top <= m + 1) {
            top <<= 1;
        }
        Py_ssize_t leftmost = (top >> 1) - 1, mhalf = m >> 1;
        for (Py_ssize_t i = leftmost - 1; i >= mhalf; i--) {
            if (sift_with_parents(heap, i, max) < 0) {
                return NULL;
            }
        }
        for (Py_ssize_t i = m - 1; i >= leftmost; i--) {
            if (sift_with_parents(heap, i, max) < 0) {
                return NULL;
            }
        }
    }
    else {
        for (Py_ssize_t i = n / 2 - 1; i >= 0; i--) {
            if (sift_up(heap, i, max) < 0) {
                return NULL;
            }
        }
    }
    Py_RETURN_NONE;
}

#define FASTCALL(name, body, max)                                             \
    static PyObject *name(PyObject *module, PyObject *const *args,            \
                          Py_ssize_t nargs)                                   \
    {                                                                         \
        return body(#name, args, nargs, max);                                 \
    }
#define ONE(name, body, max)                                                  \
    static PyObject *name(PyObject *module, PyObject *heap)                   \
    {                                                                         \
        return body(#name, heap, max);                                        \
    }
FASTCALL(heappush, push, 0)
FASTCALL(heappush_max, push, 1)
FASTCALL(heapreplace, replace_checked, 0)
FASTCALL(heapreplace_max, replace_checked, 1)
FASTCALL(heappushpop, pushpop, 0)
FASTCALL(heappushpop_max, pushpop, 1)
ONE(heappop, pop, 0)
ONE(heappop_max, pop, 1)
ONE(heapify, heapify_in, 0)
ONE(heapify_max, heapify_in, 1)

#define ENTRY_2(pyname, cname)                                                \
    {pyname, (PyCFunction)(void (*)(void))cname, METH_FASTCALL,               \
     pyname "($module, heap, item, /)\n--\n\n"}
#define ENTRY_1(pyname, cname)                                                \
    {pyname, cname, METH_O, pyname "($module, heap, /)\n--\n\n"}
static PyMethodDef methods[] = {
    ENTRY_2("heappush", heappush),
    ENTRY_2("heappush_max", heappush_max),
    ENTRY_2("heapreplace", heapreplace),
    ENTRY_2("heapreplace_max", heapreplace_max),
    ENTRY_2("_heapreplace_max", heapreplace_max),
    ENTRY_2("heappushpop", heappushpop),
    ENTRY_2("heappushpop_max", heappushpop_max),
    ENTRY_1("heappop", heappop),
    ENTRY_1("heappop_max", heappop_max),
    ENTRY_1("_heappop_max", heappop_max),
    ENTRY_1("heapify", heapify),
    ENTRY_1("heapify_max", heapify_max),
    ENTRY_1("_heapify_max", heapify_max),
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_heapq_shortcuts",
    "_heapq with the Rust port's shortcut, in C (benchmarks only).", 0,
    methods,
};

PyMODINIT_FUNC
PyInit__heapq_shortcuts(void)
{
    return PyModuleDef_Init(&module);
}
