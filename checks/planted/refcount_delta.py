"""Finds the call that released a reference it did not own: compare the
argument's reference count before and after each suspect call."""

import os
import sys

import planted

x = object()
keep = [x]  # a second reference, so that the bug below frees nothing yet
before = sys.getrefcount(x)
planted.leak_reference(x)
print("leak_reference:", sys.getrefcount(x) - before)
before = sys.getrefcount(x)
planted.decref_borrowed(x)
print("decref_borrowed:", sys.getrefcount(x) - before, flush=True)
# The counts no longer match the references: leave without releasing them.
os._exit(0)
