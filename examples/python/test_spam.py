"""What a Python user sees of the Rust `spam` module, built as an extension.

The module under test is the extension built from examples/ext and put
on sys.path by `cargo xtask test`; test_it_is_the_rust_extension proves it.
"""

import gc
import importlib.util
import inspect
import sys
import threading
import time

import pytest

import spam


def test_it_is_the_rust_extension():
    # An extension module file, named with the interpreter's EXT_SUFFIX.
    import sysconfig

    assert spam.__file__.endswith(sysconfig.get_config_var("EXT_SUFFIX"))
    assert type(spam.system).__name__ == "builtin_function_or_method"


def entry_point_used(module):
    """Which exported function the import system made `module` from.

    A module made from a `PyModExport_<name>` slot array (3.15+) has that
    array as its token (`PyModule_GetToken`), one made from `PyInit_<name>`
    the `PyModuleDef` it returned; calling either function again only
    returns the same static pointer.
    """
    import ctypes

    library = ctypes.CDLL(module.__file__)
    name = module.__name__
    token = ctypes.c_void_p()
    get_token = ctypes.pythonapi.PyModule_GetToken
    get_token.argtypes = [ctypes.py_object, ctypes.POINTER(ctypes.c_void_p)]
    assert get_token(module, ctypes.byref(token)) == 0
    export = getattr(library, f"PyModExport_{name}")
    export.restype = ctypes.c_void_p
    init = getattr(library, f"PyInit_{name}")
    init.restype = ctypes.c_void_p
    uses = {export(): "PyModExport", init(): "PyInit"}
    return uses.get(token.value, "neither")


@pytest.mark.skipif(sys.version_info < (3, 15), reason="PEP 793 is 3.15+")
def test_on_3_15_import_uses_pymodexport():
    assert entry_point_used(spam) == "PyModExport"


@pytest.mark.skipif(sys.version_info >= (3, 15), reason="3.15+ exports both")
def test_before_3_15_only_pyinit_is_exported():
    import ctypes

    library = ctypes.CDLL(spam.__file__)
    assert hasattr(library, "PyInit_spam")
    assert not hasattr(library, "PyModExport_spam")


def test_system_returns_the_wait_status():
    assert spam.system("exit 0") == 0
    assert spam.system("exit 3") == 3 << 8
    assert spam.system("true") == 0


def test_system_runs_the_command(tmp_path):
    target = tmp_path / "out.txt"
    assert spam.system(f"echo hello > {target}") == 0
    assert target.read_text() == "hello\n"


@pytest.mark.parametrize("bad", [42, None, b"ls", ["ls"]])
def test_a_non_str_argument_raises_type_error(bad):
    with pytest.raises(TypeError) as info:
        spam.system(bad)
    assert str(info.value) == f"system() argument must be str, not {type(bad).__name__}"


def test_an_embedded_nul_raises_value_error():
    with pytest.raises(ValueError, match="^embedded null character$"):
        spam.system("echo\0")


def test_a_lone_surrogate_raises_unicode_encode_error():
    with pytest.raises(UnicodeEncodeError):
        spam.system("echo \udc80")


def test_wrong_argument_counts_raise_type_error():
    with pytest.raises(TypeError, match=r"takes exactly one argument \(0 given\)"):
        spam.system()
    with pytest.raises(TypeError, match=r"takes exactly one argument \(2 given\)"):
        spam.system("a", "b")
    with pytest.raises(TypeError, match="takes no keyword arguments"):
        spam.system(command="true")


def test_spam_error_is_an_exception_class_of_the_module():
    assert issubclass(spam.SpamError, Exception)
    assert spam.SpamError.__module__ == "spam"
    assert spam.SpamError.__name__ == "SpamError"


def test_signature_and_docstring():
    assert str(inspect.signature(spam.system)) == "(command, /)"
    assert spam.system.__text_signature__ == "($module, command, /)"
    assert spam.system.__doc__ == "Execute a shell command and return its wait status."
    assert "extending tutorial" in spam.__doc__


def test_other_threads_run_while_a_command_runs():
    # system() detaches from the interpreter while the shell runs, so a
    # Python thread makes progress meanwhile.
    ticks = []
    stop = threading.Event()

    def ticker():
        while not stop.is_set():
            ticks.append(1)
            time.sleep(0.01)

    thread = threading.Thread(target=ticker)
    thread.start()
    try:
        spam.system("sleep 0.5")
    finally:
        stop.set()
        thread.join()
    assert len(ticks) >= 10


def test_module_state_survives_collection_and_reimport():
    error = spam.SpamError
    gc.collect()
    assert spam.SpamError is error
    # A second module object from the same definition gets its own state:
    # its own SpamError class (multi-phase initialisation, PEP 489).
    spec = importlib.util.spec_from_file_location("spam", spam.__file__)
    other = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(other)
    assert other is not spam
    assert other.SpamError is not spam.SpamError
    assert other.system("exit 1") == 256
    del other
    gc.collect()
    assert sys.modules["spam"] is spam
