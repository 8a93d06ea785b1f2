/* The C count_equal of "The thread state and the GIL", built as a module
   by examples/tests/reentrancy.rs and fed a hostile list in a child process.
   It keeps a borrowed item across a comparison that runs Python code. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>

// ANCHOR: count_equal
static PyObject *
count_equal(PyObject *module, PyObject *const *args, Py_ssize_t nargs)
{
    PyObject *list = args[0], *x = args[1];
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(list); i++) {
        PyObject *item = PyList_GET_ITEM(list, i);      /* borrowed */
        int eq = PyObject_RichCompareBool(item, x, Py_EQ);  /* runs __eq__ */
        /* If __eq__ cleared the list, `item` may be freed by now, and
           RichCompareBool itself still uses it: after NotImplemented it
           tries the reflected x.__eq__(item). CPython's own modules take a
           strong reference first: Py_INCREF(item) ... Py_DECREF(item). */
        if (eq < 0) return NULL;
        count += eq;
    }
    return PyLong_FromSsize_t(count);
}
// ANCHOR_END: count_equal

static PyMethodDef methods[] = {
    {"count_equal", (PyCFunction)(void (*)(void))count_equal, METH_FASTCALL, NULL},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef def = {
    PyModuleDef_HEAD_INIT, "c_reentrant", NULL, 0, methods,
};

PyMODINIT_FUNC
PyInit_c_reentrant(void)
{
    return PyModule_Create(&def);
}
