"""Instructions per call of the same functions in every layer, counted by
callgrind: a no-op, `bisect_left` (with and without a keyword) and
`heappush`, in C, in raw `cpython-sys`, with the safe layer, in raw
pyo3-ffi and with PyO3.

    python layers.py --layers-dir DIR --rust-dir DIR --c-dir DIR --json OUT

The method is the callgrind step's (`checks/callcost.py`, whose helpers
this file uses): each statement runs in a loop over N and over 2N items
under ``valgrind --tool=callgrind``, callgrind dumps its counts at each
call of ``_callcost_c.mark()``, and the cost of one statement is
``(count(2N) - count(N)) / N`` minus the same for an empty loop. The
modules are those `bench_ports.py` times (`layer_modules`), so the page's
time table and instruction table are of the same functions.

`cargo xtask bench` builds the modules into DIR and runs this file; its
output goes into `src/benchmarks.json` (`bench_page.py summarize
--layers-instructions`).
"""

import argparse
import json
import os
import random

import bench_ports
import callcost  # checks/, on PYTHONPATH
import ports

# What is counted: (name, statement, make(n) -> (a, keys), N), the names
# those of bench_ports.LAYER_WORKLOADS.
COUNTED = [
    ("noop(x)", "f(x)", callcost.noop_state(0), 2000),
    ("bisect_left(a, x) n=10", "f(a, x)", callcost.sorted_state(10), 1000),
    ("bisect_left(a, x, lo=0) n=10", "f(a, x, lo=0)", callcost.sorted_state(10), 1000),
    ("heappush(a, x); a.pop() n=10", "f(a, x); a.pop()", callcost.heap_state(10), 500),
]


# The base64 encoder's calls, counted once in full and once with callgrind
# collecting inside `memset` only: what shows that the port's output is not
# zeroed before it is written (`PyBytes::new_uninit`; `new_with` zeroes).
ZEROED = [57, 4096, 65536]


def inner_zeroing(args):
    funcs = bench_ports.modules(args.rust_dir, args.c_dir)
    mark = ports.load("_callcost_c", os.path.join(args.layers_dir, f"_callcost_c{ports.EXT_SUFFIX}")).mark
    labels = []
    mark()
    for size in ZEROED:
        data = random.Random(size).randbytes(size)
        n = 200 if size < 65536 else 20
        for side in ("base", *bench_ports.SIDES):
            f = funcs[side]["b2a_base64"] if side != "base" else None
            run = callcost.loop("pass" if side == "base" else "f(a)", f"b2a {size} {side}")
            run(f, data, [None] * n)
            for count in (n, 2 * n):
                mark()
                run(f, data, [None] * count)
                mark()
                labels.append((f"b2a_base64 {size} B", side, count))
    print(json.dumps(labels))


def per_call(labels, segment):
    """{name: {side: instructions per call, the empty loop subtracted}}."""
    out = {}
    for name, side, count in labels:
        if (name, side, 2 * count) in segment:
            out.setdefault(name, {})[side] = (segment[(name, side, 2 * count)] - segment[(name, side, count)]) / count
    for sides in out.values():
        base = sides.pop("base")
        for side in sides:
            sides[side] = round(sides[side] - base, 1)
    return out


def zeroing(args):
    """The encoder's instructions per call, in all and inside memset."""
    cmd = ["--zeroing", "--layers-dir", args.layers_dir, "--rust-dir", args.rust_dir, "--c-dir", args.c_dir]
    labels, total = callcost.callgrind(__file__, cmd)
    _, memset = callcost.callgrind(__file__, cmd, ["--toggle-collect=*memset*"])
    total, memset = per_call(labels, total), per_call(labels, memset)
    return [{"name": name, "total": total[name], "memset": memset[name]} for name in total]


def inner(args):
    layers = bench_ports.layer_modules(args.layers_dir, args.rust_dir, args.c_dir)
    names = dict(zip((w[0] for w in bench_ports.LAYER_WORKLOADS), (w[1] for w in bench_ports.LAYER_WORKLOADS)))
    mark = ports.load("_callcost_c", os.path.join(args.layers_dir, f"_callcost_c{ports.EXT_SUFFIX}")).mark
    labels = []
    mark()
    for name, stmt, make, n in COUNTED:
        fn = names[name]
        sides = [("base", None, "pass")]
        sides += [(layer, layers[layer][fn], stmt) for layer in bench_ports.LAYERS if fn in layers[layer]]
        for side, f, s in sides:
            run = callcost.loop(s, f"{name} {side}")
            a, keys = make(2 * n)
            run(f, a, keys[:n])  # warm up: specialise the call site
            for count in (n, 2 * n):
                a, keys = make(count)
                mark()
                run(f, a, keys)
                mark()
                labels.append((name, side, count))
    print(json.dumps(labels))


def outer(args):
    labels, segment = callcost.callgrind(
        __file__, ["--layers-dir", args.layers_dir, "--rust-dir", args.rust_dir, "--c-dir", args.c_dir]
    )
    rows = []
    for name, stmt, _make, n in COUNTED:
        sides = [side for (nm, side, c) in labels if nm == name and c == n]
        per_call = {side: (segment[(name, side, 2 * n)] - segment[(name, side, n)]) / n for side in sides}
        base = per_call.pop("base")
        rows.append({"name": name, "statement": stmt, "counts": {s: round(v - base, 1) for s, v in per_call.items()}})
    for r in rows:
        print(f"{r['name']:32} " + " ".join(f"{s}={c:.0f}" for s, c in r["counts"].items()))
    zeroed = zeroing(args)
    for r in zeroed:
        print(f"{r['name']:32} " + " ".join(f"{s}={r['total'][s]:.0f} (memset {r['memset'][s]:.0f})" for s in r["total"]))
    result = {
        "zeroing": zeroed,
        "python": callcost.describe_python(),
        "command": f"valgrind's callgrind, {os.uname().machine}, `bench/layers.py`",
        "rows": rows,
    }
    with open(args.json, "w") as f:
        json.dump(result, f, indent=1)
        f.write("\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--layers-dir", required=True)
    parser.add_argument("--rust-dir", required=True)
    parser.add_argument("--c-dir", required=True)
    parser.add_argument("--json")
    parser.add_argument("--inner", action="store_true")
    parser.add_argument("--zeroing", action="store_true")
    args = parser.parse_args()
    if args.inner and args.zeroing:
        inner_zeroing(args)
    elif args.inner:
        inner(args)
    else:
        outer(args)


if __name__ == "__main__":
    main()
