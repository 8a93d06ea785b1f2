"""A pytest plugin that hunts reference leaks the way CPython's ``-R`` does.

Run it on a debug interpreter (``sys.gettotalrefcount`` exists only there),
with the extension modules built against that interpreter's headers::

    python3.11-dbg -m pytest -p refleak --refleak=3:3 examples/python

(``checks`` on ``PYTHONPATH`` makes ``-p refleak``
find this file; ``cargo xtask test`` sets everything up.)

For each test, pytest sets up the fixtures once; then the test function
runs WARMUPS times unmeasured, so that caches fill and the specializing
interpreter settles, and RUNS times measured. Around each measured run the
plugin collects garbage and reads three totals: every reference the
interpreter counts (``sys.gettotalrefcount``), every memory block the
Python allocator has handed out (``sys.getallocatedblocks``, less the
3.11 interpreter's own quickened code), and the open file descriptors.

A test fails as libregrtest decides (``Lib/test/libregrtest/refleak.py``):
references or blocks that grew in *every* measured run (each delta >= 1),
or file descriptors that changed in any run. One stray allocation in one
run is noise; the same growth every time is a leak.

Tests written with hypothesis are skipped: each run draws new examples,
so their totals are not comparable from run to run. ``--skip-hypothesis``
skips them without ``--refleak`` too (the memory check uses it).
"""

import gc
import os
import re
import sys

import pytest


def pytest_addoption(parser):
    parser.addoption(
        "--refleak",
        metavar="WARMUPS:RUNS",
        default=None,
        help="run each test WARMUPS times, then RUNS times measured, and fail on leaks (as python -m test -R)",
    )
    parser.addoption(
        "--skip-hypothesis",
        action="store_true",
        help="skip tests written with hypothesis (the memory check uses this: under valgrind each example is slow)",
    )


def pytest_collection_modifyitems(config, items):
    if not config.getoption("skip_hypothesis"):
        return
    skip = pytest.mark.skip(reason="--skip-hypothesis")
    for item in items:
        if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
            item.add_marker(skip)


def pytest_configure(config):
    spec = config.getoption("refleak")
    if spec is None:
        return
    match = re.fullmatch(r"(\d+):(\d+)", spec)
    if match is None or int(match.group(2)) < 1:
        raise pytest.UsageError(f"--refleak={spec}: expected WARMUPS:RUNS, such as 3:3")
    if not hasattr(sys, "gettotalrefcount"):
        raise pytest.UsageError("--refleak needs a debug interpreter (sys.gettotalrefcount), such as python3.11-dbg")
    config.pluginmanager.register(Hunter(int(match.group(1)), int(match.group(2))), "refleak-hunter")


def deltas(run, warmups, runs):
    """Calls `run` warmups + runs times; the measured runs' deltas of each total.

    Written as libregrtest's ``dash_R``: each run is compared with the totals
    read after the run before it, and every number kept between readings
    exists before the first one (the lists are made in advance, the ints
    taken from a pool made in advance), so that the bookkeeping itself adds nothing.
    """
    pool = {value: value for value in range(-1000, 1000)}
    refs, blocks, fds = [0] * runs, [0] * runs, [0] * runs
    refs_before = blocks_before = fds_before = 0
    quickened = getattr(sys, "_getquickenedcount", lambda: 0)
    # 3.13+: what libregrtest clears last (the type cache, and the
    # specializer's and the JIT's caches); before, the type cache.
    clear_caches = getattr(sys, "_clear_internal_caches", sys._clear_type_cache)
    # 3.13+: strings interned immortal during a run stay until shutdown;
    # libregrtest leaves their blocks out, and so does this.
    if sys.version_info >= (3, 13):
        def interned_immortal():
            return sys.getunicodeinternedsize(_only_immortal=True)
    else:
        def interned_immortal():
            return 0
    for i in range(warmups + runs):
        run()
        clear_caches()
        gc.collect()
        # 3.11 allocates a quickened copy of hot code objects: not a leak.
        blocks_after = sys.getallocatedblocks() - quickened() - interned_immortal()
        refs_after = sys.gettotalrefcount()
        fds_after = len(os.listdir("/proc/self/fd"))
        if i >= warmups:
            j = i - warmups
            refs[j] = pool.setdefault(refs_after - refs_before, refs_after - refs_before)
            blocks[j] = pool.setdefault(blocks_after - blocks_before, blocks_after - blocks_before)
            fds[j] = pool.setdefault(fds_after - fds_before, fds_after - fds_before)
        refs_before, blocks_before, fds_before = refs_after, blocks_after, fds_after
    return refs, blocks, fds


# ANCHOR: rule
def leaked(values):
    """libregrtest's rule for references and memory blocks."""
    return all(v >= 1 for v in values)
# ANCHOR_END: rule


def verdict(refs, blocks, fds):
    """What leaked, as libregrtest words it, or None."""
    found = []
    if leaked(refs):
        found.append(f"leaked {refs} references, sum={sum(refs)}")
    if leaked(blocks):
        found.append(f"leaked {blocks} memory blocks, sum={sum(blocks)}")
    if any(fds):
        found.append(f"leaked {fds} file descriptors, sum={sum(fds)}")
    return "; ".join(found) or None


class Hunter:
    def __init__(self, warmups, runs):
        self.warmups = warmups
        self.runs = runs
        self.checked = 0
        self.leaking = []

    @pytest.hookimpl(tryfirst=True)
    def pytest_pyfunc_call(self, pyfuncitem):
        function = pyfuncitem.obj
        if getattr(function, "is_hypothesis_test", False):
            pytest.skip("a hypothesis test draws new examples on every run: not comparable under --refleak")
        names = pyfuncitem._fixtureinfo.argnames
        kwargs = {name: pyfuncitem.funcargs[name] for name in names}
        refs, blocks, fds = deltas(lambda: function(**kwargs), self.warmups, self.runs)
        self.checked += 1
        found = verdict(refs, blocks, fds)
        if found:
            self.leaking.append(f"{pyfuncitem.nodeid} {found}")
            pytest.fail(found, pytrace=False)
        return True

    def pytest_terminal_summary(self, terminalreporter):
        terminalreporter.write_line(
            f"refleak: {self.checked} tests run {self.warmups}:{self.runs} "
            f"({self.warmups} warm-ups, {self.runs} measured), {len(self.leaking)} leaking"
        )
        for line in self.leaking:
            terminalreporter.write_line(f"refleak: {line}")
