"""Benchmarks of the Rust ports against the C modules, on one interpreter,
with C and Rust alternated.

    python bench_ports.py --rust-dir DIR --c-dir DIR -o RUN.json
                          [--layers-dir DIR] [--processes N] [--values N]
    python bench_ports.py --rust-dir DIR --smoke [--c-dir DIR]

Every workload is timed on each of its sides: the interpreter's C module
(`_bisect`, `_heapq`, `binascii`, built in or loaded from `lib-dynload`),
the same C with the port's shortcuts (`bench/c/`, loaded from the folder
`--c-dir`), and the Rust port (from `--rust-dir`). With `--layers-dir`,
the same three functions written in each layer (C, raw `cpython-sys`, the
safe layer, pyo3-ffi, PyO3) are timed too.

How, so that a busy machine hurts every side alike:

- The run is `--processes` worker processes, one after the other. Each
  worker runs every workload once; a workload's state is made once and
  shared by its sides (the same list, so the same memory layout).
- In a worker, a workload's sides take turns: one value of each side, then
  the next round, `--values` rounds, the side that starts rotating from
  round to round and from worker to worker. A value is the mean time of
  one iteration over `loops` iterations, `loops` calibrated in the worker
  so that a value of the first side takes at least `--min-time` seconds,
  the same for every side. One untimed value of each side comes first.
- The outer process records the load average (`os.getloadavg()`, what
  `uptime` prints) before and after each worker, and writes the values,
  the loads and a description of the interpreter to RUN.json;
  `bench_page.py` reduces them to medians and intervals.

Before any timing, every workload runs a few times on each side, and the
sides must leave the same state (the `--smoke` check, which `cargo xtask
test` runs on the C and the Rust side alone).

Timings include the Python-level call (and the loop around it), as a user
of the module sees them.

The ports and the C module each replaces come from `checks/ports.py`, which
`cargo xtask` puts on PYTHONPATH (by hand: `PYTHONPATH=checks`).
"""


import argparse
import json
import os
import subprocess
import binascii
import itertools
import random
import sys
from pathlib import Path
from time import perf_counter

import ports


# The sides of a port's workload, in the order of the page's columns: the
# interpreter's C module, the same C with the port's shortcuts (bench/c/),
# and the Rust port.
SIDES = ("C", "C shortcuts", "Rust")


def modules(rust_dir, c_dir=None):
    """{side: {name: function}}: the functions under test. Without `c_dir`
    (the smoke run of `cargo xtask test`, which does not build the C
    variants) there is no "C shortcuts" side."""
    functions = {side: {} for side in SIDES if c_dir or side != "C shortcuts"}
    for port in ports.with_shortcuts():
        rust = ports.rust(port, rust_dir)
        assert Path(rust.__file__).parent == Path(rust_dir), rust.__file__
        functions["C"].update(vars(ports.original(port)))
        functions["Rust"].update(vars(rust))
        if c_dir:
            name = f"{port}_shortcuts"
            functions["C shortcuts"].update(vars(ports.load(name, Path(c_dir) / f"{name}{ports.EXT_SUFFIX}")))
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




def port_workloads(funcs):
    """The ports' workloads, as (name, group, size, make, timed, {side: fn})."""
    return [
        (name, "ports", size, make, timed, {side: funcs[side][fn] for side in funcs})
        for name, fn, size, make, timed in workloads()
    ]


# ---------------------------------------------------------------------------
# The same functions in every layer.

# The layers, in the order of the page's columns.
LAYERS = ("C", "C shortcuts", "raw cpython-sys", "safe layer", "pyo3-ffi", "PyO3")


def noop_state():
    return {"x": None}


def time_noop(loops, fn, state):
    x = state["x"]
    t0 = perf_counter()
    for _ in itertools.repeat(None, loops):
        fn(x)
    return perf_counter() - t0


def time_bisect_lo(loops, fn, state):
    a, keys = state["a"], itertools.islice(itertools.cycle(state["keys"]), loops)
    t0 = perf_counter()
    for x in keys:
        fn(a, x, lo=0)
    return perf_counter() - t0


def time_push_pop(loops, fn, state):
    heap, pop = state["heap"], state["heap"].pop
    values = itertools.islice(itertools.cycle(state["values"]), loops)
    t0 = perf_counter()
    for x in values:
        fn(heap, x)
        pop()
    return perf_counter() - t0


def int_heap_state(n):
    rng = random.Random(5)
    heap = sorted(rng.randrange(4 * n) for _ in range(n))
    return {"heap": heap, "values": [rng.randrange(4 * n) for _ in range(1024)]}


def layer_modules(layers_dir, rust_dir, c_dir):
    """{layer: module-like mapping}: the no-op, bisect_left and heappush of
    each layer, under the names `noop`, `bisect_left` and `heappush`."""
    folder = Path(layers_dir)
    callcost_c = ports.load("_callcost_c", folder / f"_callcost_c{ports.EXT_SUFFIX}")
    callcost_rs = ports.load("_callcost_rs", folder / f"_callcost_rs{ports.EXT_SUFFIX}")
    pyo3 = ports.load("_layers_pyo3", folder / f"_layers_pyo3{ports.EXT_SUFFIX}")
    pyo3_ffi = ports.load("_layers_ffi", folder / f"_layers_ffi{ports.EXT_SUFFIX}")
    funcs = modules(rust_dir, c_dir)
    return {
        "C": {"noop": callcost_c.noop_o, "bisect_left": funcs["C"]["bisect_left"], "heappush": funcs["C"]["heappush"]},
        "C shortcuts": {"bisect_left": funcs["C shortcuts"]["bisect_left"], "heappush": funcs["C shortcuts"]["heappush"]},
        "raw cpython-sys": {"noop": callcost_rs.raw_o, "bisect_left": callcost_rs.raw_bisect_left, "heappush": callcost_rs.raw_heappush},
        "safe layer": {"noop": callcost_rs.noop_o, "bisect_left": funcs["Rust"]["bisect_left"], "heappush": funcs["Rust"]["heappush"]},
        "pyo3-ffi": {"noop": pyo3_ffi.ffi_noop, "bisect_left": pyo3_ffi.ffi_bisect_left, "heappush": pyo3_ffi.ffi_heappush},
        "PyO3": {"noop": pyo3.noop, "bisect_left": pyo3.bisect_left, "heappush": pyo3.heappush},
    }


# The layer workloads: (name, function, size, make, timed). Also what
# `bench/layers.py` counts under callgrind, by the same names.
LAYER_WORKLOADS = [
    ("noop(x)", "noop", 0, noop_state, time_noop),
    ("bisect_left(a, x) n=10", "bisect_left", 10, lambda: bisect_state(10), time_bisect),
    ("bisect_left(a, x, lo=0) n=10", "bisect_left", 10, lambda: bisect_state(10), time_bisect_lo),
    ("heappush(a, x); a.pop() n=10", "heappush", 10, lambda: int_heap_state(10), time_push_pop),
]


def layer_workloads(layers):
    return [
        (name, "layers", size, make, timed, {layer: layers[layer][fn] for layer in LAYERS if fn in layers[layer]})
        for name, fn, size, make, timed in LAYER_WORKLOADS
    ]


# ---------------------------------------------------------------------------
# The checks, the workers and the run.


def smoke(all_workloads, quiet=False):
    """Each workload a few times on each side, each side on a state of its
    own; every side must leave the state the first side leaves."""
    for name, _group, _size, make, timed, funcs in all_workloads:
        states = {}
        for side, fn in funcs.items():
            state = make()
            timed(3, fn, state)
            states[side] = repr(state)
        first = next(iter(funcs))
        for side, state in states.items():
            assert state == states[first], f"{name}: {first} and {side} leave different states"
        if not quiet:
            print(f"ok  {name}")
    print(f"smoke: {len(all_workloads)} workloads ran on {', '.join(sorted({s for w in all_workloads for s in w[5]}))}")


def calibrate(timed, fn, state, min_time):
    """The loop count for which one value of `fn` takes at least `min_time`."""
    loops = 1
    while loops < 1 << 30:
        if timed(loops, fn, state) >= min_time:
            return loops
        loops *= 2
    return loops


def worker(all_workloads, index, values, min_time):
    """One worker's values: {workload: {"loops": n, "values": {side: [...]}}}."""
    out = {}
    for name, _group, _size, make, timed, funcs in all_workloads:
        state = make()
        sides = list(funcs)
        loops = calibrate(timed, funcs[sides[0]], state, min_time)
        for side in sides:  # untimed: warm up, specialise the call sites
            timed(loops, funcs[side], state)
        got = {side: [] for side in sides}
        for round_ in range(values):
            shift = (index + round_) % len(sides)
            for side in sides[shift:] + sides[:shift]:
                got[side].append(timed(loops, funcs[side], state) / loops)
        out[name] = {"loops": loops, "values": got}
        del state
    return out


def describe_interpreter():
    """What the page says about the interpreter: its version and build."""
    import sysconfig

    config = sysconfig.get_config_var("CONFIG_ARGS") or ""
    cflags = " ".join(
        sysconfig.get_config_var(v) or "" for v in ("PY_CFLAGS_NODIST", "PY_CFLAGS", "CONFIGURE_CFLAGS_NODIST")
    )
    ldflags = " ".join(sysconfig.get_config_var(v) or "" for v in ("PY_LDFLAGS_NODIST", "CONFIGURE_LDFLAGS_NODIST"))
    originals = sorted({ports.PORTS[p].original for p in ports.with_shortcuts()})
    # Debian builds with PGO and LTO through its own rules, which sysconfig
    # does not record; its changelog says so.
    changelog = Path(f"/usr/share/doc/python{sys.version_info[0]}.{sys.version_info[1]}/changelog.Debian.gz")
    debian = []
    if sys.prefix == "/usr" and changelog.is_file():
        import gzip
        import re

        text = gzip.decompress(changelog.read_bytes()).decode("utf-8", "replace")
        debian = [line.strip(" *") for line in text.splitlines() if re.search(r"\b(PGO|LTO)\b", line)][:2]
    return {
        "debian_changelog": debian,
        "version": sys.version.split()[0],
        "executable": sys.executable,
        "config_args": config,
        "pgo": "--enable-optimizations" in config or "-fprofile-use" in cflags,
        "lto": "--with-lto" in config or "-flto" in cflags + " " + ldflags,
        "shared_libpython": bool(sysconfig.get_config_var("Py_ENABLE_SHARED")),
        "c_modules_built_in": [m for m in originals if m in sys.builtin_module_names],
        "c_modules_shared": [m for m in originals if m not in sys.builtin_module_names],
    }


def main():
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--rust-dir", required=True)
    parser.add_argument("--c-dir")
    parser.add_argument("--layers-dir")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--worker", type=int)
    parser.add_argument("--processes", type=int, default=10)
    parser.add_argument("--values", type=int, default=5)
    parser.add_argument("--min-time", type=float, default=0.005)
    parser.add_argument("--where", default="?", help="where the interpreter is, for the page")
    parser.add_argument("-o", "--output")
    args = parser.parse_args()
    funcs = modules(args.rust_dir, args.c_dir)
    all_workloads = port_workloads(funcs)
    if args.layers_dir:
        all_workloads += layer_workloads(layer_modules(args.layers_dir, args.rust_dir, args.c_dir))
    if args.smoke:
        smoke(all_workloads)
        return
    if args.worker is not None:
        json.dump(worker(all_workloads, args.worker, args.values, args.min_time), sys.stdout)
        return
    if not args.output or not args.c_dir:
        parser.error("a run needs -o RUN.json and --c-dir")
    smoke(all_workloads, quiet=True)
    runs, loads = [], []
    for index in range(args.processes):
        cmd = [sys.executable, __file__, "--rust-dir", args.rust_dir, "--c-dir", args.c_dir, "--worker", str(index)]
        cmd += ["--values", str(args.values), "--min-time", str(args.min_time)]
        if args.layers_dir:
            cmd += ["--layers-dir", args.layers_dir]
        before = os.getloadavg()
        t0 = perf_counter()
        proc = subprocess.run(cmd, capture_output=True, text=True, check=True)
        runs.append(json.loads(proc.stdout))
        loads.append({"before": before, "after": os.getloadavg(), "seconds": perf_counter() - t0})
        print(f"worker {index + 1}/{args.processes}: {loads[-1]['seconds']:.0f} s, load {before[0]:.2f} -> {loads[-1]['after'][0]:.2f}")
    result = {
        "interpreter": describe_interpreter(),
        "where": args.where,
        "method": {"processes": args.processes, "values": args.values, "min_time": args.min_time},
        "loads": loads,
        "workloads": [
            {"name": name, "group": group, "size": size, "sides": list(fs)}
            for name, group, size, _make, _timed, fs in all_workloads
        ],
        "workers": runs,
    }
    Path(args.output).write_text(json.dumps(result) + "\n")
    print(f"wrote {args.output}")


if __name__ == "__main__":
    main()
