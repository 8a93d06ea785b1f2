# Stop in the suspect Rust function and print its argument as CPython sees
# it, before and after the line that releases it: _PyObject_Dump prints the
# object's address, count, type and repr, on any build of CPython (it is an
# exported function of the interpreter).
set breakpoint pending on
break planted::decref_borrowed
run
call (void) _PyObject_Dump(obj.ptr.pointer)
next
call (void) _PyObject_Dump(obj.ptr.pointer)
