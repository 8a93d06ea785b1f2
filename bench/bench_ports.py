"""Benchmarks of the Rust ports against the C modules, on one interpreter.

    python bench_ports.py --rust-dir DIR -o results.json [pyperf options]
    python bench_ports.py --rust-dir DIR --smoke

Each workload runs twice, once with the C function (the interpreter's own
`_bisect`, `_heapq` and `binascii`, loaded from `lib-dynload` by path) and
once with the Rust one (loaded by path from DIR), as two pyperf benchmarks
named `<workload> [C]` and `<workload> [Rust]`, one after the other in the
same run. `bench_page.py` turns the result into the book's page.

`--smoke` runs every workload a few times without pyperf and checks that the
C and the Rust function leave the same state: what `cargo xtask test` runs,
in seconds, to keep this file working without running the benchmarks.

Timings include the Python-level call (and the loop around it), as a user
of the module sees them.

The ports and the C module each replaces come from `checks/ports.py`, which
`cargo xtask` puts on PYTHONPATH (by hand: `PYTHONPATH=checks`).
"""

import argparse
import binascii
import itertools
import random
import sys
from pathlib import Path
from time import perf_counter

import ports


def modules(rust_dir):
    """{"C": {...}, "Rust": {...}}: the functions under test, by name."""
    functions = {"C": {}, "Rust": {}}
    for port in ports.PORTS:
        rust = ports.rust(port, rust_dir)
        assert Path(rust.__file__).parent == Path(rust_dir), rust.__file__
        functions["C"].update(vars(ports.original(port)))
        functions["Rust"].update(vars(rust))
    return functions


# ---------------------------------------------------------------------------
# Workloads: (name, function, size, make_state, timed) where
# timed(loops, fn, state) returns the seconds `loops` iterations took.


def bisect_state(n, kind=int):
    rng = random.Random(1)
    keys = [kind(rng.randrange(2 * n)) for _ in range(1024)]
    # Even numbers only, so that half the keys fall between two items.
    return {"a": sorted(kind(2 * i) for i in range(n)), "keys": keys}


def time_bisect(loops, fn, state):
    a, keys = state["a"], itertools.islice(itertools.cycle(state["keys"]), loops)
    t0 = perf_counter()
    for x in keys:
        fn(a, x)
    return perf_counter() - t0


def time_insort(loops, fn, state):
    # Insert past the end, then pop it: the list keeps its size, and the
    # cost is the search plus an O(1) insert and pop.
    a, x = state["a"], 2 * len(state["a"]) + 1
    pop = a.pop
    t0 = perf_counter()
    for _ in itertools.repeat(None, loops):
        fn(a, x)
        pop()
    return perf_counter() - t0


def heap_state(n, max_heap=False, kind=float):
    rng = random.Random(2)
    heap = [kind(rng.random()) for _ in range(n)]
    heap.sort(reverse=max_heap)  # a sorted list is a heap
    return {"heap": heap, "values": [kind(rng.random()) for _ in range(1024)], "n": n}


def as_tuple(x):
    """A (priority, label) pair, the usual item of a priority queue."""
    return (x, "task")


def time_heappush(loops, fn, state):
    heap, n = state["heap"], state["n"]
    values = itertools.islice(itertools.cycle(state["values"]), loops)
    t0 = perf_counter()
    for x in values:
        fn(heap, x)
    elapsed = perf_counter() - t0
    del heap[n:]  # a heap's prefix is a heap
    return elapsed


def time_drain(loops, fn, state):
    # Pop every item of a heap of n items: the time of one drain.
    template, n = state["heap"], state["n"]
    elapsed = 0.0
    for _ in range(loops):
        heap = template.copy()
        t0 = perf_counter()
        for _ in itertools.repeat(None, n):
            fn(heap)
        elapsed += perf_counter() - t0
    return elapsed


def time_replace(loops, fn, state):
    heap = state["heap"]
    values = itertools.islice(itertools.cycle(state["values"]), loops)
    t0 = perf_counter()
    for x in values:
        fn(heap, x)
    return perf_counter() - t0


def time_heapify(loops, fn, state):
    template = state["shuffled"]
    elapsed = 0.0
    for _ in range(loops):
        heap = template.copy()
        t0 = perf_counter()
        fn(heap)
        elapsed += perf_counter() - t0
    return elapsed


def heapify_state(n):
    rng = random.Random(3)
    return {"shuffled": [rng.random() for _ in range(n)]}


def base64_state(n, encoded):
    data = random.Random(4).randbytes(n)
    return {"data": binascii.b2a_base64(data) if encoded else data}


def time_base64(loops, fn, state):
    data = state["data"]
    t0 = perf_counter()
    for _ in itertools.repeat(None, loops):
        fn(data)
    return perf_counter() - t0


SIZES = [10, 10_000, 1_000_000]
BASE64_SIZES = [32, 256, 4096, 65536, 1 << 20]


def size_label(n):
    for unit, scale in (("Mi", 1 << 20), ("Ki", 1 << 10)):
        if n >= scale and n % scale == 0:
            return f"{n // scale} {unit}B"
    return f"{n} B"


def max_fn(name):
    """The C name of a max-heap function: private before 3.14, public from
    3.14 (`_heappop_max` is `heappop_max` there). The workloads keep the old
    names as their labels, which the benchmark page's data use."""
    return name.lstrip("_") if sys.version_info >= (3, 14) else name


def workloads():
    out = []
    for f in ("bisect_left", "bisect_right"):
        out += [(f"{f} n={n}", f, n, lambda n=n: bisect_state(n), time_bisect) for n in SIZES]
    for f in ("insort_left", "insort_right"):
        out += [(f"{f} n={n}", f, n, lambda n=n: bisect_state(n), time_insort) for n in SIZES]
    heap_sizes = [10, 1000, 100_000]
    out += [(f"heappush n={n}", "heappush", n, lambda n=n: heap_state(n), time_heappush) for n in heap_sizes]
    out += [(f"heappop (drain) n={n}", "heappop", n, lambda n=n: heap_state(n), time_drain) for n in heap_sizes]
    out += [(f"_heappop_max (drain) n={n}", max_fn("_heappop_max"), n, lambda n=n: heap_state(n, True), time_drain) for n in heap_sizes]
    for f, max_heap in (("heapreplace", False), ("heappushpop", False), ("_heapreplace_max", True)):
        out += [(f"{f} n={n}", max_fn(f), n, lambda n=n, m=max_heap: heap_state(n, m), time_replace) for n in heap_sizes]
    # Items that `<` must compare in Python (no shortcut for exact ints or
    # floats): str and tuples.
    out.append(("bisect_right str n=10000", "bisect_right", 10_000, lambda: bisect_state(10_000, str), time_bisect))
    out.append(("heapreplace tuple n=1000", "heapreplace", 1000, lambda: heap_state(1000, kind=as_tuple), time_replace))
    for f in ("heapify", "_heapify_max"):
        out += [(f"{f} n={n}", max_fn(f), n, lambda n=n: heapify_state(n), time_heapify) for n in (100, 10_000, 1_000_000)]
    for f, encoded in (("b2a_base64", False), ("a2b_base64", True)):
        out += [(f"{f} {size_label(n)}", f, n, lambda n=n, e=encoded: base64_state(n, e), time_base64) for n in BASE64_SIZES]
    return out


def smoke(rust_dir):
    """Each workload a few times on each side; the states must agree."""
    funcs = modules(rust_dir)
    for name, fn, _size, make, timed in workloads():
        states = {}
        for side in ("C", "Rust"):
            state = make()
            timed(3, funcs[side][fn], state)
            states[side] = state
        assert repr(states["C"]) == repr(states["Rust"]), f"{name}: C and Rust leave different states"
        print(f"ok  {name}")
    print(f"smoke: {len(workloads())} workloads ran on both sides")


def main():
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--rust-dir", required=True)
    parser.add_argument("--smoke", action="store_true")
    own, rest = parser.parse_known_args()
    if own.smoke:
        smoke(own.rust_dir)
        return
    import pyperf

    def forward(cmd, args):
        cmd.extend(["--rust-dir", own.rust_dir])

    sys.argv = [sys.argv[0], *rest]
    runner = pyperf.Runner(add_cmdline_args=forward)
    runner.metadata["rust_dir"] = str(Path(own.rust_dir).resolve())
    funcs = modules(own.rust_dir)
    for name, fn, size, make, timed in workloads():
        for side in ("C", "Rust"):
            lazy = Lazy(make)
            runner.bench_time_func(f"{name} [{side}]", run, timed, funcs[side][fn], lazy, metadata={"size": size})


class Lazy:
    """A workload's state, made in the worker that runs it, on first use:
    each pyperf worker runs one benchmark, and must not build them all."""

    def __init__(self, make):
        self.make, self.value = make, None

    def get(self):
        if self.value is None:
            self.value = self.make()
        return self.value


def run(loops, timed, fn, lazy):
    return timed(loops, fn, lazy.get())


if __name__ == "__main__":
    main()
