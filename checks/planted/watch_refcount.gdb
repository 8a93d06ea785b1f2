# Stop in the suspect Rust function, then watch the argument's count: gdb
# stops at every change, in whoever makes it.
set breakpoint pending on
break planted::decref_borrowed
run
watch -l (*obj.ptr.pointer).ob_refcnt
continue
bt 2
continue
bt 2
py-bt
