"""Releases a reference it does not own, then uses the object: the crash
the Debugging chapter reads. Run it on the debug interpreter."""

import planted


def main():
    x = object()
    planted.decref_borrowed(x)  # the bug: releases the caller's reference
    print("still running", flush=True)
    del x  # the crash: the object was freed when the call returned


main()
