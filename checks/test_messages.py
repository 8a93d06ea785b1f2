"""The messages the book quotes, each reproduced.

Every test here makes one error happen for real (an import of a misnamed
or misbuilt extension, a function of the ``planted`` module, a crash under
gdb, the checks run on their planted bugs) and compares what was printed
with ``messages/NAME.txt``, the file the Debugging, Troubleshooting and
Testing chapters include. In those files ``...`` stands for any text
(addresses, paths, line numbers), and every line must appear in order.

``cargo xtask test`` runs this file on the release interpreter, with these
variables naming what it built:

- ``CHECKS_MODULES``: the extension modules, built for this interpreter;
- ``CHECKS_DBG_MODULES``: the same, built against the debug interpreter's headers;
- ``CHECKS_PLANTED`` and ``CHECKS_DBG_PLANTED``: the ``planted`` module, both ways;
- ``CHECKS_DBG_PYTHON``: a debug interpreter with pytest (a virtual environment).
"""

import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
MESSAGES = HERE / "messages"
RELEASE_SUFFIX = sysconfig.get_config_var("EXT_SUFFIX")
DEBUG_SUFFIX = RELEASE_SUFFIX.replace("-311-", "-311d-")


def folder(variable):
    value = os.environ.get(variable)
    if not value:
        pytest.skip(f"{variable} is not set (cargo xtask test sets it)")
    return Path(value).resolve()


def debug_python():
    return os.environ.get("CHECKS_DBG_PYTHON") or pytest.skip("CHECKS_DBG_PYTHON is not set")


def line_matches(pattern, line):
    pieces = pattern.split("...")
    if not line.startswith(pieces[0]):
        return False
    rest = line[len(pieces[0]) :]
    for i, piece in enumerate(pieces[1:], 1):
        if i == len(pieces) - 1:
            return rest.endswith(piece)
        at = rest.find(piece)
        if at < 0:
            return False
        rest = rest[at + len(piece) :]
    return rest == ""


def matches(expected, actual):
    """Every non-blank line of `expected` matches a line of `actual`, in order."""
    lines = iter(actual.splitlines())
    return all(any(line_matches(want, got) for got in lines) for want in expected.splitlines() if want.strip())


def check(name, actual):
    expected = (MESSAGES / f"{name}.txt").read_text()
    assert matches(expected, actual), f"messages/{name}.txt:\n{expected}\ndoes not match what was printed:\n{actual}"


def run(python, args, path, cwd=None, backtrace=False):
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(str(p) for p in path), RUST_BACKTRACE="1" if backtrace else "0")
    env.pop("PYTHONMALLOC", None)
    return subprocess.run(
        [str(python), *args], env=env, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=600
    )


def test_the_matching_is_strict_outside_the_dots():
    assert matches("a ... c\n\nz\n", "a b c\nx\nz\n")
    assert not matches("a ... c\n", "a b d\n")
    assert not matches("b\na\n", "a\nb\n")


# ---------------------------------------------------------------------------
# Troubleshooting: import errors


def test_a_module_file_renamed_has_no_export_function(tmp_path):
    shutil.copy(folder("CHECKS_MODULES") / f"spam{RELEASE_SUFFIX}", tmp_path / f"eggs{RELEASE_SUFFIX}")
    result = run(sys.executable, ["-c", "import eggs"], [tmp_path])
    assert result.returncode == 1
    check("no_export_function", result.stdout)


def test_a_debug_build_is_invisible_to_the_release_interpreter(tmp_path):
    shutil.copy(folder("CHECKS_DBG_MODULES") / f"spam{DEBUG_SUFFIX}", tmp_path)
    result = run(sys.executable, ["-c", "import spam"], [tmp_path])
    check("no_module_named_spam", result.stdout)


def test_a_debug_build_renamed_for_the_release_interpreter_misses_a_symbol(tmp_path):
    shutil.copy(folder("CHECKS_DBG_MODULES") / f"spam{DEBUG_SUFFIX}", tmp_path / f"spam{RELEASE_SUFFIX}")
    result = run(sys.executable, ["-c", "import spam"], [tmp_path])
    check("undefined_symbol", result.stdout)


# ---------------------------------------------------------------------------
# Troubleshooting: NULL without an exception


def test_a_function_returning_null_without_an_exception():
    code = "import planted; planted.return_null()"
    check("returned_null", run(sys.executable, ["-c", code], [folder("CHECKS_PLANTED")]).stdout)
    result = run(debug_python(), ["-c", code], [folder("CHECKS_DBG_PLANTED")])
    assert result.returncode == -6
    check("returned_null_debug", result.stdout)


def test_a_getter_returning_null_without_an_exception():
    code = "import planted; planted.NullGetter().value"
    check("error_return_without_exception", run(sys.executable, ["-c", code], [folder("CHECKS_PLANTED")]).stdout)
    result = run(debug_python(), ["-c", code], [folder("CHECKS_DBG_PLANTED")])
    assert result.returncode == -6
    check("getter_null_debug", result.stdout)


def test_a_panic_backtrace_runs_from_the_rust_function_into_the_interpreter():
    code = "import planted; planted.panic_if_odd(3)"
    result = run(sys.executable, ["-c", code], [folder("CHECKS_PLANTED")], backtrace=True)
    check("panic_backtrace", result.stdout)


def test_the_safe_layer_reports_a_missing_exception_as_cpython_does():
    code = "import planted; planted.already_set()"
    result = run(sys.executable, ["-c", code], [folder("CHECKS_PLANTED")])
    check("error_return_without_exception", result.stdout)


# ---------------------------------------------------------------------------
# Debugging: a reference count that went negative


def test_a_released_borrowed_reference_aborts_the_debug_interpreter_later():
    script = HERE / "planted" / "negative_refcount.py"
    result = run(debug_python(), [script], [folder("CHECKS_DBG_PLANTED")])
    assert result.returncode == -6
    check("negative_refcount", result.stdout)


def test_comparing_reference_counts_finds_the_guilty_call():
    script = HERE / "planted" / "refcount_delta.py"
    result = run(debug_python(), [script], [folder("CHECKS_DBG_PLANTED")])
    assert result.returncode == 0, result.stdout
    check("refcount_delta", result.stdout)


def gdb(script):
    """gdb, run in batch mode with `script` on the debug interpreter running negative_refcount.py."""
    if shutil.which("gdb") is None:
        pytest.fail("gdb is not installed (apt-get install gdb)")
    base = subprocess.run(
        [debug_python(), "-c", "import sys; print(sys._base_executable)"], capture_output=True, text=True
    ).stdout.strip()
    return run(
        "gdb",
        ["-q", "-batch", "-x", HERE / "planted" / script, "--args", base, HERE / "planted" / "negative_refcount.py"],
        [folder("CHECKS_DBG_PLANTED")],
    )


def test_gdb_shows_the_python_stack_of_the_crash():
    check("gdb_crash", gdb("crash.gdb").stdout)


def test_a_gdb_watchpoint_on_the_count_finds_the_bad_decref():
    check("gdb_watch_refcount", gdb("watch_refcount.gdb").stdout)


def test_pyobject_dump_from_gdb_shows_the_count_drop():
    check("gdb_dump_object", gdb("dump_object.gdb").stdout)


# ---------------------------------------------------------------------------
# Testing: each check on its planted bug


def test_the_refleak_hunter_reports_the_planted_leaks():
    result = run(
        debug_python(),
        ["-m", "pytest", "-q", "-p", "refleak", "-p", "no:cacheprovider", "--refleak=3:3", HERE / "planted"],
        [folder("CHECKS_DBG_PLANTED"), HERE],
    )
    assert result.returncode == 1, result.stdout
    check("refleak_planted", result.stdout)


@pytest.mark.skipif(shutil.which("valgrind") is None, reason="valgrind is not installed")
def test_memcheck_reports_the_planted_read_past_the_end():
    planted = folder("CHECKS_PLANTED")
    result = run(
        sys.executable,
        [HERE / "memcheck.py", "--modules", planted, "--expect", "InvalidRead:read_past_end", "--",
         sys.executable, "-c", "import planted; planted.read_past_end()"],
        [planted],
    )
    assert result.returncode == 0, result.stdout
    check("memcheck_read_past_end", result.stdout)


def test_the_fuzzer_reports_the_planted_crash():
    result = run(
        sys.executable,
        [HERE / "fuzz_modules.py", "--only", "planted.crash_if_negative", "planted"],
        [folder("CHECKS_PLANTED")],
    )
    assert result.returncode == 1, result.stdout
    check("fuzz_planted", result.stdout)
