"""The extension modules of the wheel: one per ``src/NAMEmodule.rs``.

Each is the same library (``ext/``, which exports every module's
``PyInit_NAME``) installed under the module's name, because the import
system calls the ``PyInit_`` function of the file's own name.
"""

from pathlib import Path

from setuptools import setup
from setuptools_rust import Binding, RustExtension

HERE = Path(__file__).parent
MODULES = sorted(p.name.removesuffix("module.rs") for p in (HERE / "src").glob("*module.rs"))

setup(
    rust_extensions=[
        RustExtension(name, path=str(HERE / "ext" / "Cargo.toml"), binding=Binding.NoBinding)
        for name in MODULES
    ],
)
