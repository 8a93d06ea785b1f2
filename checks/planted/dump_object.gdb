# Stop in the suspect Rust function and print its argument as CPython sees
# it, before and after the line that releases it: _PyObject_Dump prints the
# object's address, count, type and repr, on any build of CPython (it is an
# exported function of the interpreter). The call is made in C: `obj` is a
# `&Bound`, a pointer to the handle, whose first field is the PyObject *.
set breakpoint pending on
break planted::decref_borrowed
run
set language c
call _PyObject_Dump(*(PyObject **) obj)
next
call _PyObject_Dump(*(PyObject **) obj)
