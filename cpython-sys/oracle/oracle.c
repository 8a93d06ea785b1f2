/* The C side of the oracle tests.
 *
 * Each function below is a one-line wrapper that expands the public macro or
 * static inline function exactly as a C extension would write it, compiled by
 * the same C compiler against the target interpreter's headers. The Rust
 * re-implementations in src/ are tested against these (tests/oracle.rs).
 *
 * The table at the end gives the real sizeof/offsetof of the structs Rust code
 * touches, and the values of the macros that src/ writes out by hand.
 */
/* What an extension module includes: PY_SSIZE_T_CLEAN, then Python.h. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <structmember.h>
#include <stddef.h>

void oracle_Py_INCREF(PyObject *op) { Py_INCREF(op); }
void oracle_Py_DECREF(PyObject *op) { Py_DECREF(op); }
void oracle_Py_XINCREF(PyObject *op) { Py_XINCREF(op); }
void oracle_Py_XDECREF(PyObject *op) { Py_XDECREF(op); }
Py_ssize_t oracle_Py_REFCNT(PyObject *op) { return Py_REFCNT(op); }
#ifdef Py_GIL_DISABLED
uintptr_t oracle__Py_ThreadId(void) { return _Py_ThreadId(); }
#endif
PyTypeObject *oracle_Py_TYPE(PyObject *op) { return Py_TYPE(op); }
int oracle_Py_IS_TYPE(PyObject *op, PyTypeObject *type) { return Py_IS_TYPE(op, type); }
Py_ssize_t oracle_Py_SIZE(PyObject *op) { return Py_SIZE(op); }
int oracle_PyObject_TypeCheck(PyObject *op, PyTypeObject *type) { return PyObject_TypeCheck(op, type); }
int oracle_PyModule_Check(PyObject *op) { return PyModule_Check(op); }
PyObject *oracle_Py_None(void) { return Py_None; }
PyObject *oracle_Py_True(void) { return Py_True; }
PyObject *oracle_Py_False(void) { return Py_False; }
PyObject *oracle_Py_NotImplemented(void) { return Py_NotImplemented; }
Py_ssize_t oracle_PyTuple_GET_SIZE(PyObject *op) { return PyTuple_GET_SIZE(op); }
PyObject *oracle_PyTuple_GET_ITEM(PyObject *op, Py_ssize_t i) { return PyTuple_GET_ITEM(op, i); }
void oracle_PyTuple_SET_ITEM(PyObject *op, Py_ssize_t i, PyObject *v) { PyTuple_SET_ITEM(op, i, v); }
Py_ssize_t oracle_PyList_GET_SIZE(PyObject *op) { return PyList_GET_SIZE(op); }
PyObject *oracle_PyList_GET_ITEM(PyObject *op, Py_ssize_t i) { return PyList_GET_ITEM(op, i); }
void oracle_PyList_SET_ITEM(PyObject *op, Py_ssize_t i, PyObject *v) { PyList_SET_ITEM(op, i, v); }
int oracle_PyType_HasFeature(PyTypeObject *type, unsigned long feature) { return PyType_HasFeature(type, feature); }
int oracle_PyType_FastSubclass(PyTypeObject *type, unsigned long flag) { return PyType_FastSubclass(type, flag); }
int oracle_PyType_Check(PyObject *op) { return PyType_Check(op); }
int oracle_PyType_CheckExact(PyObject *op) { return PyType_CheckExact(op); }
allocfunc oracle_PyType_GetSlot_tp_alloc(PyTypeObject *type) { return (allocfunc)PyType_GetSlot(type, Py_tp_alloc); }
freefunc oracle_PyType_GetSlot_tp_free(PyTypeObject *type) { return (freefunc)PyType_GetSlot(type, Py_tp_free); }
int oracle_PyLong_Check(PyObject *op) { return PyLong_Check(op); }
int oracle_PyLong_CheckExact(PyObject *op) { return PyLong_CheckExact(op); }
int oracle_PyFloat_Check(PyObject *op) { return PyFloat_Check(op); }
int oracle_PyFloat_CheckExact(PyObject *op) { return PyFloat_CheckExact(op); }
double oracle_PyFloat_AS_DOUBLE(PyObject *op) { return PyFloat_AS_DOUBLE(op); }
int oracle_PyUnicode_Check(PyObject *op) { return PyUnicode_Check(op); }
int oracle_PyUnicode_CheckExact(PyObject *op) { return PyUnicode_CheckExact(op); }
#if PY_VERSION_HEX < 0x030C0000
int oracle_PyUnicode_IS_READY(PyObject *op) { return PyUnicode_IS_READY(op); }
#endif
int oracle_PyUnicode_IS_ASCII(PyObject *op) { return PyUnicode_IS_ASCII(op); }
int oracle_PyUnicode_IS_COMPACT(PyObject *op) { return PyUnicode_IS_COMPACT(op); }
int oracle_PyUnicode_IS_COMPACT_ASCII(PyObject *op) { return PyUnicode_IS_COMPACT_ASCII(op); }
void *oracle__PyUnicode_COMPACT_DATA(PyObject *op) { return _PyUnicode_COMPACT_DATA(op); }
void *oracle__PyUnicode_NONCOMPACT_DATA(PyObject *op) { return _PyUnicode_NONCOMPACT_DATA(op); }
void *oracle_PyUnicode_DATA(PyObject *op) { return PyUnicode_DATA(op); }
Py_ssize_t oracle_PyUnicode_GET_LENGTH(PyObject *op) { return PyUnicode_GET_LENGTH(op); }
int oracle_PyBytes_Check(PyObject *op) { return PyBytes_Check(op); }
int oracle_PyBytes_CheckExact(PyObject *op) { return PyBytes_CheckExact(op); }
int oracle_PyByteArray_Check(PyObject *op) { return PyByteArray_Check(op); }
int oracle_PyByteArray_CheckExact(PyObject *op) { return PyByteArray_CheckExact(op); }
int oracle_PyTuple_Check(PyObject *op) { return PyTuple_Check(op); }
int oracle_PyTuple_CheckExact(PyObject *op) { return PyTuple_CheckExact(op); }
int oracle_PyList_Check(PyObject *op) { return PyList_Check(op); }
int oracle_PyList_CheckExact(PyObject *op) { return PyList_CheckExact(op); }
int oracle_PyDict_Check(PyObject *op) { return PyDict_Check(op); }
int oracle_PyDict_CheckExact(PyObject *op) { return PyDict_CheckExact(op); }
/* _PyIndex_Check is in an internal header (Py_BUILD_CORE only): its oracle is
 * the exported function, which the bindings already declare (PyIndex_Check). */

/* A statically initialised module definition, as every C module spells it. */
static PyModuleDef oracle_moduledef = {PyModuleDef_HEAD_INIT, "oracle", NULL, 0, NULL, NULL, NULL, NULL, NULL};
const PyModuleDef *oracle_module_def(void) { return &oracle_moduledef; }

/* A statically allocated header, as PyObject_HEAD_INIT(NULL) spells it. */
static PyVarObject oracle_head = {PyObject_HEAD_INIT(NULL) 0};
const PyObject *oracle_object_head(void) { return (const PyObject *)&oracle_head; }

struct oracle_fact {
    const char *name;
    long long value;
};

#define SIZE(T) {"sizeof(" #T ")", (long long)sizeof(T)}
#define OFFSET(T, f) {"offsetof(" #T ", " #f ")", (long long)offsetof(T, f)}
#define VALUE(m) {#m, (long long)(m)}

const struct oracle_fact oracle_facts[] = {
    SIZE(PyObject),
#ifndef Py_GIL_DISABLED
    OFFSET(PyObject, ob_refcnt),
#else
    OFFSET(PyObject, ob_tid),
    OFFSET(PyObject, ob_ref_local),
    OFFSET(PyObject, ob_ref_shared),
#endif
    OFFSET(PyObject, ob_type),
    SIZE(PyVarObject),
    OFFSET(PyVarObject, ob_size),
    SIZE(PyTupleObject),
    OFFSET(PyTupleObject, ob_item),
    SIZE(PyListObject),
    OFFSET(PyListObject, ob_item),
    OFFSET(PyListObject, allocated),
    SIZE(PyBytesObject),
    OFFSET(PyBytesObject, ob_sval),
    SIZE(PyTypeObject),
    OFFSET(PyTypeObject, tp_name),
    OFFSET(PyTypeObject, tp_basicsize),
    OFFSET(PyTypeObject, tp_dealloc),
    OFFSET(PyTypeObject, tp_flags),
    OFFSET(PyTypeObject, tp_traverse),
    OFFSET(PyTypeObject, tp_free),
    OFFSET(PyTypeObject, tp_as_number),
    OFFSET(PyTypeObject, tp_alloc),
    OFFSET(PyNumberMethods, nb_index),
    SIZE(PyFloatObject),
    OFFSET(PyFloatObject, ob_fval),
    SIZE(PyASCIIObject),
    OFFSET(PyASCIIObject, length),
    OFFSET(PyASCIIObject, state),
    SIZE(PyCompactUnicodeObject),
    SIZE(PyUnicodeObject),
    OFFSET(PyUnicodeObject, data),
    SIZE(PyMethodDef),
    OFFSET(PyMethodDef, ml_meth),
    OFFSET(PyMethodDef, ml_flags),
    OFFSET(PyMethodDef, ml_doc),
    SIZE(PyModuleDef_Base),
    SIZE(PyModuleDef),
    OFFSET(PyModuleDef, m_name),
    OFFSET(PyModuleDef, m_size),
    OFFSET(PyModuleDef, m_methods),
    OFFSET(PyModuleDef, m_slots),
    OFFSET(PyModuleDef, m_traverse),
    OFFSET(PyModuleDef, m_free),
    SIZE(PyModuleDef_Slot),
    SIZE(PyMemberDef),
    SIZE(PyGetSetDef),
    SIZE(PyType_Slot),
    SIZE(PyType_Spec),
    SIZE(Py_buffer),
    OFFSET(Py_buffer, len),
    OFFSET(Py_buffer, shape),
    SIZE(PyConfig),
    OFFSET(PyConfig, program_name),
    OFFSET(PyConfig, module_search_paths),
    SIZE(PyStatus),
    SIZE(PyCompilerFlags),
    VALUE(METH_VARARGS),
    VALUE(METH_KEYWORDS),
    VALUE(METH_NOARGS),
    VALUE(METH_O),
    VALUE(METH_CLASS),
    VALUE(METH_STATIC),
    VALUE(METH_COEXIST),
    VALUE(METH_FASTCALL),
    VALUE(METH_METHOD),
    VALUE(PY_VECTORCALL_ARGUMENTS_OFFSET),
    VALUE(T_PYSSIZET),
    VALUE(READONLY),
    VALUE(Py_mod_create),
    VALUE(Py_mod_exec),
#ifdef Py_mod_multiple_interpreters
    VALUE(Py_mod_multiple_interpreters),
    VALUE((intptr_t)Py_MOD_MULTIPLE_INTERPRETERS_NOT_SUPPORTED),
    VALUE((intptr_t)Py_MOD_MULTIPLE_INTERPRETERS_SUPPORTED),
    VALUE((intptr_t)Py_MOD_PER_INTERPRETER_GIL_SUPPORTED),
#endif
#ifdef Py_mod_gil
    VALUE(Py_mod_gil),
    VALUE((intptr_t)Py_MOD_GIL_USED),
    VALUE((intptr_t)Py_MOD_GIL_NOT_USED),
#endif
#if PY_VERSION_HEX >= 0x030F0000
    VALUE(Py_mod_name),
    VALUE(Py_mod_doc),
    VALUE(Py_mod_state_size),
    VALUE(Py_mod_methods),
    VALUE(Py_mod_state_traverse),
    VALUE(Py_mod_state_clear),
    VALUE(Py_mod_state_free),
    VALUE(Py_mod_abi),
    VALUE(Py_mod_token),
    SIZE(PySlot),
    OFFSET(PySlot, sl_ptr),
    SIZE(PyABIInfo),
    VALUE(PySlot_STATIC),
    VALUE(PySlot_INTPTR),
    VALUE(PyABIInfo_DEFAULT_FLAGS),
    VALUE(PyABIInfo_DEFAULT_ABI_VERSION),
#endif
    VALUE(Py_tp_alloc),
    VALUE(Py_tp_free),
    VALUE(Py_TPFLAGS_HEAPTYPE),
    VALUE(Py_TPFLAGS_LONG_SUBCLASS),
    VALUE(Py_TPFLAGS_LIST_SUBCLASS),
    VALUE(Py_TPFLAGS_TUPLE_SUBCLASS),
    VALUE(Py_TPFLAGS_BYTES_SUBCLASS),
    VALUE(Py_TPFLAGS_UNICODE_SUBCLASS),
    VALUE(Py_TPFLAGS_DICT_SUBCLASS),
    VALUE(Py_TPFLAGS_TYPE_SUBCLASS),
    VALUE(Py_file_input),
    VALUE(Py_eval_input),
    VALUE(Py_single_input),
    {NULL, 0},
};
