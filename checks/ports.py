"""The ports: which C module each Rust module replaces, which of CPython's
tests cover it, and how to load a C module next to its port.

This is the one place these facts are written down. Which modules exist is
not among them: that is the files ``examples/src/NAMEmodule.rs``, which
``cargo xtask test`` turns into arguments and folders for every harness.

The harnesses in this folder import this file from here (a script's own
folder is first on ``sys.path``); ``cargo xtask`` puts this folder on
``PYTHONPATH`` for the scripts elsewhere (``examples/python``, ``bench``).
"""

import importlib
import importlib.machinery
import importlib.util
import os
import sys
import sysconfig
from dataclasses import dataclass
from pathlib import Path

EXT_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")


@dataclass(frozen=True)
class Port:
    """What is known about one port."""

    # The C module it replaces: the interpreter's own module of the same
    # name, or the module whose functions it provides (``binascii``).
    original: str
    # CPython's test file that ``python -m test`` runs for it, the
    # attribute of that file holding the accelerated (C) module, and one
    # function of it: what proves the test file used the port. None if
    # CPython's tests reach the port some other way.
    regrtest: tuple[str, str, str] | None = None
    # Whether bench/c/ has a C variant with the port's shortcuts, which
    # bench_ports.py and callcost.py time and count beside C and Rust. zlib
    # has none: the port calls a library as C does, and bench_zlib.py times
    # it against C alone.
    shortcuts: bool = True


PORTS = {
    "_bisect": Port("_bisect", ("test_bisect", "c_bisect", "bisect_left")),
    "_heapq": Port("_heapq", ("test_heapq", "c_heapq", "heappush")),
    # binascii's b2a_base64 and a2b_base64; test_binascii and test_base64
    # call them through binascii (run_cpython_tests.py base64 swaps them in).
    "_base64": Port("binascii"),
    # test_zlib imports zlib by name; its `zlib` attribute is the module.
    "zlib": Port("zlib", ("test_zlib", "zlib", "compress"), shortcuts=False),
}


def regrtest_ports(folder):
    """The ports with a regrtest file whose module file is in `folder`, in table order."""
    return [name for name, port in PORTS.items() if port.regrtest and (Path(folder) / f"{name}{EXT_SUFFIX}").exists()]


# ANCHOR: load
def load(name, path):
    """The extension module `name` from the file `path`: a new module
    object, whatever ``sys.modules`` or ``sys.path`` would give."""
    loader = importlib.machinery.ExtensionFileLoader(name, str(path))
    spec = importlib.util.spec_from_file_location(name, str(path), loader=loader)
    module = importlib.util.module_from_spec(spec)
    loader.exec_module(module)
    return module
# ANCHOR_END: load


class PortFinder:
    """Finds the ports in one folder, ahead of the built-in importer."""

    def __init__(self, folder, names):
        self.folder = folder
        self.names = names
        self.loaded = {name: 0 for name in names}

    def find_spec(self, name, path=None, target=None):
        if name not in self.names:
            return None
        suffix = importlib.machinery.EXTENSION_SUFFIXES[0]
        location = os.path.join(self.folder, name + suffix)
        if not os.path.exists(location):
            return None
        self.loaded[name] += 1
        loader = importlib.machinery.ExtensionFileLoader(name, location)
        return importlib.util.spec_from_file_location(name, location, loader=loader)


def rust_dir():
    """The folder of the Rust modules on ``sys.path``: where ``_base64`` is,
    since CPython has no module of that name. (``find_spec("_bisect")``
    would give the C module where the interpreter has it built in, as
    Debian's do.)"""
    spec = importlib.util.find_spec("_base64")
    assert spec is not None and spec.origin, "no _base64 on sys.path"
    return Path(spec.origin).parent


def install_finder(folder, names):
    """Puts a :class:`PortFinder` for `names` in `folder` first on
    ``sys.meta_path``, forgets any of them already imported, and returns it.
    Debian's interpreters build ``_bisect``, ``_heapq`` and ``binascii``
    into the executable, and the built-in importer is asked before
    ``sys.path``: without the finder, ``import _bisect`` would give the C
    module whatever the path says."""
    finder = PortFinder(str(Path(folder).resolve()), names)
    sys.meta_path.insert(0, finder)
    for name in names:
        sys.modules.pop(name, None)
    return finder


def lib_dynload():
    """The interpreter's folder of C extension modules."""
    return next(Path(p) for p in sys.path if p.endswith("lib-dynload"))


def original(port):
    """The C module `port` replaces, as a new module object: made by the
    built-in importer when the interpreter has it built in (Debian's do),
    else loaded by path from ``lib-dynload`` when it has the port's name
    (``import`` would find the Rust module first), else imported."""
    name = PORTS[port].original
    if name != port:
        return importlib.import_module(name)
    if name in sys.builtin_module_names:
        spec = importlib.machinery.BuiltinImporter.find_spec(name)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        return module
    return load(name, lib_dynload() / f"{name}{EXT_SUFFIX}")


def rust(port, folder):
    """The Rust module `port` from `folder`, loaded by path."""
    return load(port, Path(folder) / f"{port}{EXT_SUFFIX}")


def with_shortcuts():
    """The names of the ports that have a C variant with their shortcuts."""
    return [name for name, port in PORTS.items() if port.shortcuts]

