"""Every module under threads: many threads calling into one shared object.

Each scenario runs in a child interpreter, with ``PYTHON_GIL=0`` on a
free-threaded build so that nothing can turn the GIL back on, and checks
what the module promises under the stress: no crash, no deadlock (a time
limit), no reference leaked, and the invariant the operation keeps (a heap
stays a heap, no update is lost). The child prints one line of figures,
which the test reports. Where a C module does the same job (``_heapq``,
``_bisect``, ``binascii``), the scenario runs on it too, side by side, and
the Rust module must keep every invariant the C one keeps.

On a build with a GIL the same scenarios run (the GIL makes them easy);
the free-threaded run is the one that matters.
"""

import json
import os
import subprocess
import sys
import sysconfig
import threading
import time

import pytest

FREE_THREADED = bool(sysconfig.get_config_var("Py_GIL_DISABLED"))
THREADS = 8
# Seconds a scenario may take before it counts as a deadlock.
LIMIT = 120


def run_threads(n, target, *args):
    """Starts `n` threads on `target(i, *args)` at once; returns what each
    raised (None where nothing was)."""
    barrier = threading.Barrier(n)
    errors = [None] * n

    def body(i):
        barrier.wait()
        try:
            target(i, *args)
        except BaseException as e:  # noqa: BLE001 - reported to the test
            errors[i] = f"{type(e).__name__}: {e}"

    threads = [threading.Thread(target=body, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def is_heap(heap):
    return all(not heap[i] < heap[(i - 1) // 2] for i in range(1, len(heap)))


def heapq_scenario(heapq, calls):
    """Every thread pushes `calls` numbers onto one heap, then pops `calls`.

    Numbers only: exact ints and floats are compared without running Python
    code, so nothing suspends the heap's critical section in the middle of
    an operation (a `__lt__` written in Python can let another thread in,
    and the size check then raises, as in C). A call that raises is counted
    and the thread goes on."""
    heap = []
    sentinel = 12345.5  # one float object, pushed many times
    before = sys.getrefcount(sentinel)

    def value(i, k):
        return sentinel if k % 97 == 0 else float((k * 7919 + i * 104729) % 100003)

    pushed_values = [value(i, k) for i in range(THREADS) for k in range(calls)]
    failed = []  # what each failed call raised (list.append is thread-safe)

    def push(i):
        for k in range(calls):
            try:
                heapq.heappush(heap, value(i, k))
            except Exception as e:  # noqa: BLE001 - counted, reported
                failed.append(f"{type(e).__name__}: {e}")

    errors = run_threads(THREADS, push)
    pushed = len(heap)
    heap_after_push = is_heap(heap)
    heapq.heapify(heap)
    popped = [[] for _ in range(THREADS)]

    def pop(i):
        for _ in range(calls):
            try:
                popped[i].append(heapq.heappop(heap))
            except Exception as e:  # noqa: BLE001 - counted, reported
                failed.append(f"{type(e).__name__}: {e}")

    errors += run_threads(THREADS, pop)
    in_order = all(a <= b for seq in popped for a, b in zip(seq, seq[1:]))
    every_item_once = sorted(x for seq in popped for x in seq) == sorted(pushed_values)
    del popped, pushed_values
    heap.clear()
    return {
        "calls": THREADS * calls * 2,
        "errors": [e for e in errors if e] + sorted(set(failed)),
        "failed_calls": len(failed),
        "pushed": pushed,
        "expected": THREADS * calls,
        "heap_after_push": heap_after_push,
        "each_thread_popped_in_order": in_order,
        "every_item_popped_once": every_item_once,
        "sentinel_refs_leaked": sys.getrefcount(sentinel) - before,
    }


def insort_scenario(bisect, calls):
    """Every thread inserts `calls` numbers into one sorted list."""
    data = []

    def insert(i):
        for k in range(calls):
            bisect.insort_right(data, (k * 31 + i) % 1009)
            bisect.bisect_left(data, k % 1009)

    errors = run_threads(THREADS, insert)
    return {
        "calls": THREADS * calls * 2,
        "errors": [e for e in errors if e],
        "length": len(data),
        "expected": THREADS * calls,
        "sorted": all(a <= b for a, b in zip(data, data[1:])),
    }


# A bytearray is not safe to resize from one thread while another exports
# its buffer on a free-threaded 3.13: its methods take no lock, so a resize
# can free the memory an export is reading (gh-127472, fixed in 3.14 by
# gh-129107 and not backported). A run of this scenario on 3.13.15t with
# PYTHON_GIL=0 decoded bytes that no thread wrote (the port had copied from
# memory the resize had freed; binascii reads the same buffer), so the
# resizing thread only writes bytes in place on that version.
BYTEARRAY_RESIZE_IS_SAFE = not FREE_THREADED or sys.version_info >= (3, 14)


def base64_scenario(binascii, calls):
    """Threads encode and decode one bytearray while one of them writes into
    it and tries to resize it (refused while a buffer is exported)."""
    data = bytearray(b"A" * 3000)
    refused = [0]

    def work(i):
        for k in range(calls):
            if i == 0:
                data[k % len(data)] = 66 if k % 2 else 65
                if not BYTEARRAY_RESIZE_IS_SAFE:
                    continue
                try:
                    data.extend(b"AB")
                    del data[-2:]
                except BufferError:
                    refused[0] += 1
            else:
                encoded = binascii.b2a_base64(data)
                decoded = binascii.a2b_base64(encoded)
                if set(decoded) - {65, 66}:
                    raise AssertionError(f"a byte never written: {decoded[:20]!r}")

    errors = run_threads(THREADS, work)
    return {
        "calls": THREADS * calls,
        "errors": [e for e in errors if e],
        "resizes_refused": refused[0],
    }


def custom_scenario(custom2, calls):
    """Threads set the names and number of one Custom object and read its
    name: every name read must be one that was set, whole."""
    obj = custom2.Custom("first-0", "last-0", 0)
    names = {f"first-{i}" for i in range(THREADS)} | {"first-0"}
    lasts = {f"last-{i}" for i in range(THREADS)} | {"last-0"}

    def work(i):
        for k in range(calls):
            if k % 2:
                obj.first = f"first-{i}"
                obj.last = f"last-{i}"
                obj.number = k
            else:
                first, last = obj.name().split(" ")
                if first not in names or last not in lasts:
                    raise AssertionError(f"torn name {first!r} {last!r}")

    errors = run_threads(THREADS, work)
    return {"calls": THREADS * calls, "errors": [e for e in errors if e]}


def small_modules_scenario(spam, custom, calls):
    """The modules without shared state of their own: spam.system and
    custom.Custom() called from every thread at once."""
    made = []

    def work(i):
        for k in range(calls):
            if k % 100 == 0:
                if spam.system("true") != 0:
                    raise AssertionError("system('true') failed")
            made.append(custom.Custom())

    errors = run_threads(THREADS, work)
    count = len(made)
    del made
    return {"calls": THREADS * calls, "errors": [e for e in errors if e], "made": count}


def counter_scenario(sublist, stats, calls):
    """Threads increment one SubList's counter and add to one Running: no
    update may be lost."""
    counter = sublist.SubList()
    running = stats.Running()

    def work(i):
        for _ in range(calls):
            counter.increment()
            counter.append(i)
            running.add(1.0)

    errors = run_threads(THREADS, work)
    return {
        "calls": THREADS * calls * 3,
        "errors": [e for e in errors if e],
        "state": counter.state,
        "length": len(counter),
        "count": running.count,
        "expected": THREADS * calls,
    }



def zlib_module(implementation):
    """The C zlib (by path: ``import zlib`` may give the port) or the port."""
    import ports

    if implementation == "rust":
        return ports.rust("zlib", ports.rust_dir())
    if "zlib" in ports.PORTS:
        return ports.original("zlib")
    if "zlib" in sys.builtin_module_names:
        import zlib

        return zlib
    return ports.load("zlib", ports.lib_dynload() / f"zlib{ports.EXT_SUFFIX}")


def zlib_port_built():
    import ports

    return (ports.rust_dir() / f"zlib{ports.EXT_SUFFIX}").is_file()


def zlib_compress_scenario(zlib, calls):
    """Every thread feeds the same piece to one shared Compress object, and
    now and then copies it. With each call atomic (C's per-object lock),
    the k-th call returns what the k-th call of a single thread returns,
    whichever thread makes it: the outputs the threads saw are, as a
    multiset, those of a single-threaded run, and the final flush is the
    same. Each copy, flushed, gives what a copy of the single-threaded
    object after some number of calls gives."""
    piece = b"".join(b"%04d the quick brown fox " % k for k in range(40))

    def new():
        return zlib.compressobj(6, zlib.DEFLATED, 15, 8, zlib.Z_DEFAULT_STRATEGY)

    shared = new()
    outputs, copies = [], []  # list.append is thread-safe

    def work(i):
        for k in range(calls):
            outputs.append(shared.compress(piece))
            if k % 50 == i:
                copies.append(shared.copy())

    errors = run_threads(THREADS, work)
    final = shared.flush()
    reference = new()
    expected, copy_flushes = [], set()
    for _ in range(THREADS * calls):
        expected.append(reference.compress(piece))
        copy_flushes.add(reference.copy().flush())
    expected_final = reference.flush()
    stream = b"".join(expected) + expected_final
    return {
        "calls": THREADS * calls,
        "errors": [e for e in errors if e],
        "outputs_as_single_thread": sorted(outputs) == sorted(expected),
        "final_flush_as_single_thread": final == expected_final,
        "reference_round_trips": zlib.decompress(stream) == piece * (THREADS * calls),
        "copies": len(copies),
        # A copy, flushed, ends the stream as a copy of the single-threaded
        # object after some number of whole calls does.
        "copies_as_single_thread": all(c.flush() in copy_flushes for c in copies),
    }


def zlib_decompress_scenario(zlib, calls):
    """Every thread feeds the same chunk to one shared Decompress object: a
    raw deflate block of Huffman codes for a known text, ended by a sync
    flush, so that every chunk of the stream is the same bytes and each
    whole call returns exactly that text. A call that saw another's state
    half-updated would return other bytes or raise."""
    text = b"".join(b"%04d pack my box with five dozen liquor jugs\n" % k for k in range(30))
    maker = zlib.compressobj(1, zlib.DEFLATED, -15, 8, zlib.Z_HUFFMAN_ONLY)
    chunks = [maker.compress(text) + maker.flush(zlib.Z_SYNC_FLUSH) for _ in range(3)]
    assert chunks[0] == chunks[1] == chunks[2], "the chunks of a Huffman-only stream differ"
    chunk = chunks[0]
    shared = zlib.decompressobj(-15)
    wrong = []

    def work(i):
        for k in range(calls):
            out = shared.decompress(chunk)
            if out != text:
                wrong.append(len(out))
            if k % 100 == i:
                copy = shared.copy()
                if copy.decompress(chunk) != text:
                    wrong.append(-1)

    errors = run_threads(THREADS, work)
    return {
        "calls": THREADS * calls,
        "errors": [e for e in errors if e],
        "wrong_outputs": len(wrong),
        "unconsumed_tail": len(shared.unconsumed_tail),
        "eof": shared.eof,
    }


def zlib_release_scenario(zlib, calls):
    """Whether another thread runs Python code while one thread is inside a
    zlib call on 64 MiB: the other thread notes the time every few
    thousand loop turns; C releases the thread state for such inputs, so
    notes fall in the middle half of every call. With the thread state
    held, none can (a C call does not yield the GIL)."""
    size = 64 * 1024 * 1024
    text = (b"".join(b"%06d lorem ipsum dolor sit amet\n" % k for k in range(20000)) * 100)[:size]
    packed = zlib.compress(text, 1)
    ticks, stop = [], [False]

    def ticker():
        while not stop[0]:
            for _ in range(2000):
                pass
            ticks.append(time.perf_counter())

    calls_made = {
        "compress": lambda: zlib.compress(text, 1),
        "decompress": lambda: zlib.decompress(packed),
        "Compress.compress": lambda: zlib.compressobj(1).compress(text),
        "Decompress.decompress": lambda: zlib.decompressobj().decompress(packed),
        "crc32": lambda: zlib.crc32(text),
    }
    thread = threading.Thread(target=ticker)
    thread.start()
    notes = {}
    try:
        time.sleep(0.05)
        for name, call in calls_made.items():
            start = time.perf_counter()
            call()
            end = time.perf_counter()
            quarter = (end - start) / 4
            middle = [t for t in list(ticks) if start + quarter <= t <= end - quarter]
            notes[name] = {"seconds": round(end - start, 3), "ticks_in_middle_half": len(middle)}
    finally:
        stop[0] = True
        thread.join()
    return {"calls": notes, "errors": []}


def child(scenario, implementation):
    """The child's main: runs one scenario and prints its figures as JSON."""
    import ports

    if implementation == "rust":
        ports.install_finder(ports.rust_dir(), list(ports.PORTS))

    def module(name):
        if implementation == "c":
            return ports.original(name)
        return __import__(name)

    calls = 1500 if FREE_THREADED else 500
    if scenario.startswith("zlib-"):
        used = [zlib_module(implementation)]
        result = globals()[f"zlib_{scenario[5:]}_scenario"](used[0], calls)
    elif scenario == "heapq":
        used = [module("_heapq")]
        result = heapq_scenario(used[0], calls)
    elif scenario == "insort":
        used = [module("_bisect")]
        result = insort_scenario(used[0], calls)
    elif scenario == "base64":
        # The C side is binascii, whose two functions the port provides.
        used = [module("_base64")]
        result = base64_scenario(used[0], calls)
    elif scenario in ("custom2", "custom3", "custom4"):
        custom = __import__(scenario)
        used = [custom]
        result = custom_scenario(custom, calls)
    elif scenario == "small":
        import custom
        import spam

        used = [spam, custom]
        result = small_modules_scenario(spam, custom, calls)
    else:
        import stats
        import sublist

        used = [sublist, stats]
        result = counter_scenario(sublist, stats, calls)
    rust_dir = str(ports.rust_dir())
    result["rust"] = all(getattr(m, "__file__", "").startswith(rust_dir) for m in used)
    result["gil_enabled"] = sys._is_gil_enabled() if hasattr(sys, "_is_gil_enabled") else True
    print(json.dumps(result))


def run_child(scenario, implementation):
    env = dict(os.environ)
    if FREE_THREADED:
        env["PYTHON_GIL"] = "0"
    tests = os.path.dirname(os.path.abspath(__file__))
    env["PYTHONPATH"] = os.pathsep.join([tests, env.get("PYTHONPATH", "")])
    code = f"import test_free_threading as t; t.child({scenario!r}, {implementation!r})"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        capture_output=True,
        text=True,
        timeout=LIMIT,
    )
    assert done.returncode == 0, f"{implementation} {scenario}: exit {done.returncode}\n{done.stderr}"
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(f"{implementation:4} {scenario:8} {json.dumps(result)}")
    return result


def check_gil(result):
    """The Rust modules ran, and on a free-threaded build without the GIL."""
    assert result["rust"], "the scenario did not use the Rust modules"
    if FREE_THREADED:
        assert result["gil_enabled"] is False, "a module turned the GIL on"


# Whether an operation of the heapq port is kept whole under threads: with
# a GIL, and from 3.14, where a critical section nested in one on the same
# object is free (on 3.13 without the GIL it suspends the outer one, so the
# port keeps each list operation whole, not each heap operation; 3.13's C
# _heapq keeps neither).
WHOLE_HEAP_OPERATIONS = not FREE_THREADED or sys.version_info >= (3, 14)


def test_heapq_under_threads():
    rust = run_child("heapq", "rust")
    check_gil(rust)
    # Every push appends, whatever its sift met; no reference leaks.
    assert rust["pushed"] == rust["expected"]
    assert rust["sentinel_refs_leaked"] == 0
    if WHOLE_HEAP_OPERATIONS:
        assert rust["errors"] == []
        assert rust["heap_after_push"]
        assert rust["each_thread_popped_in_order"]
        assert rust["every_item_popped_once"]
        c = run_child("heapq", "c")
        assert not c["rust"] and c["pushed"] == c["expected"] and c["heap_after_push"]
    else:
        # What a sift meets when another thread changes the heap under it,
        # and nothing else: the errors C's checks raise.
        assert set(rust["errors"]) <= {
            "RuntimeError: list changed size during iteration",
            "IndexError: list index out of range",
            "IndexError: index out of range",
        }


def test_insort_under_threads():
    rust = run_child("insort", "rust")
    check_gil(rust)
    assert rust["errors"] == []
    # Every insertion happened; the list may be out of order without a GIL,
    # as with C's insort, which does not lock the list either (its search
    # and its insertion are two steps).
    assert rust["length"] == rust["expected"]
    if not FREE_THREADED:
        assert rust["sorted"]
    c = run_child("insort", "c")
    assert not c["rust"] and c["length"] == c["expected"]


def test_base64_under_threads():
    rust = run_child("base64", "rust")
    check_gil(rust)
    assert rust["errors"] == []
    c = run_child("base64", "c")
    assert not c["rust"]


@pytest.mark.parametrize("module", ["custom2", "custom3", "custom4"])
def test_one_custom_object_under_threads(module):
    result = run_child(module, "rust")
    check_gil(result)
    assert result["errors"] == []


def test_spam_and_custom_under_threads():
    result = run_child("small", "rust")
    check_gil(result)
    assert result["errors"] == []
    assert result["made"] == result["calls"]


def test_no_update_is_lost():
    result = run_child("counters", "rust")
    check_gil(result)
    assert result["errors"] == []
    assert result["state"] == result["expected"]
    assert result["length"] == result["expected"]
    assert result["count"] == result["expected"]


def zlib_both(scenario):
    """The scenario on C zlib, then on the port; skipped after C when the
    port is not built."""
    c = run_child(scenario, "c")
    assert not c["rust"]
    if not zlib_port_built():
        pytest.skip("no zlib port in the folder of the Rust modules: the scenario ran on C only")
    rust = run_child(scenario, "rust")
    check_gil(rust)
    return c, rust


def test_one_shared_compress_object_is_atomic_per_call():
    for result in zlib_both("zlib-compress"):
        assert result["errors"] == []
        assert result["outputs_as_single_thread"]
        assert result["final_flush_as_single_thread"]
        assert result["reference_round_trips"]
        assert result["copies"] > 0 and result["copies_as_single_thread"]


def test_one_shared_decompress_object_is_atomic_per_call():
    for result in zlib_both("zlib-decompress"):
        assert result["errors"] == []
        assert result["wrong_outputs"] == 0
        assert result["unconsumed_tail"] == 0 and not result["eof"]


def test_zlib_releases_the_thread_state_on_large_inputs():
    for result in zlib_both("zlib-release"):
        for name, note in result["calls"].items():
            assert note["ticks_in_middle_half"] >= 3, f"{name}: no other thread ran during the call: {note}"


@pytest.mark.skipif(not FREE_THREADED, reason="a free-threaded build only")
def test_importing_every_module_keeps_the_gil_off():
    import ports

    names = sorted(
        f[: -len("module.rs")]
        for f in os.listdir(os.path.join(os.path.dirname(__file__), "..", "src"))
        if f.endswith("module.rs")
    )
    code = (
        "import sys, ports\n"
        f"ports.install_finder(ports.rust_dir(), {list(ports.PORTS)!r})\n"
        f"for name in {names!r}: __import__(name)\n"
        "print(sys._is_gil_enabled())\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_GIL"}
    done = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "False"
