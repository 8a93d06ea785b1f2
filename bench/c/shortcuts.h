/* The shortcuts the Rust ports take, written in C, for the C variants of
 * the benchmarks (bench/c/_*_shortcuts.c): what the stdlib C modules would
 * gain from the same algorithm, so that the Benchmarks page can tell the
 * algorithm's share of a speed-up from the language's.
 *
 * exact_number_lt is the safe layer's `exact_number_lt`
 * (tutorial/src/types/any.rs) in C: both operands exact floats, or both
 * exact ints that fit a C long, compared by value. Such a comparison runs
 * no Python code and cannot fail, so skipping PyObject_RichCompareBool is
 * unobservable; CPython's list.sort does the same (unsafe_float_compare,
 * unsafe_long_compare in Objects/listobject.c).
 *
 * Bench-only: never installed with the real modules.
 */
#ifndef SHORTCUTS_H
#define SHORTCUTS_H

#define PY_SSIZE_T_CLEAN
#include <Python.h>

/* 1 if a < b, 0 if not, -1 if the shortcut does not apply. */
static inline int
exact_number_lt(PyObject *a, PyObject *b)
{
    PyTypeObject *ty = Py_TYPE(a);
    if (ty == &PyFloat_Type) {
        if (Py_TYPE(b) != ty) {
            return -1;
        }
        return PyFloat_AS_DOUBLE(a) < PyFloat_AS_DOUBLE(b);
    }
    if (ty == &PyLong_Type && Py_TYPE(b) == ty) {
        int overflow_a = 0, overflow_b = 0;
        long x = PyLong_AsLongAndOverflow(a, &overflow_a);
        long y = PyLong_AsLongAndOverflow(b, &overflow_b);
        if (!overflow_a && !overflow_b) {
            return x < y;
        }
    }
    return -1;
}

/* a < b: the shortcut, else PyObject_RichCompareBool (1, 0, or -1 with an
 * exception set). */
static inline int
lt(PyObject *a, PyObject *b)
{
    int less = exact_number_lt(a, b);
    if (less >= 0) {
        return less;
    }
    return PyObject_RichCompareBool(a, b, Py_LT);
}

#endif
