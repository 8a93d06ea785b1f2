"""Instructions per call, counted by callgrind: the safe layer's trampolines
and the ports against C on the same interpreter, with stated bounds.

    python callcost.py --c-module FILE --rs-module FILE --rust-dir DIR
                       --c-shortcuts-dir DIR [--json OUT] [--table OUT]

runs this file again under ``valgrind --tool=callgrind``, which counts the
instructions the process executes: a count that does not depend on how busy
the machine is. The inner run calls ``mark()`` (a C function of
``_callcost_c``) between measured loops, and callgrind writes its counts on
entry to it (``--dump-before=callcost_mark``), one file per loop.

Every workload is a loop statement run over N and over 2N items, once with
the C function and once with the Rust one (each in a code object of its
own, so that the interpreter's specialisation of one call site is not
shared), and a baseline loop with the workload's setup but no call. The
cost of a call is

    (count(2N) - count(N)) / N  -  the same for the baseline,

so the process's start, the loop's setup and the loop's own iteration are
subtracted; what is left is the statement as Python runs it (loading the
function and the arguments, the call, the result's release), and, for the
workloads that need one to keep their state steady, the statement next to
the call (``a.pop()`` after an ``insort``), which is the same for C and Rust
and named in the table.

Each ratio Rust / C is checked against its bound (BOUNDS); the run fails,
naming each workload out of bounds, if any is. The ports' workloads are
also counted on the C variants with the ports' shortcuts (``bench/c/``,
``--c-shortcuts-dir``), without a bound: the table's "C shortcuts" column
says how much of each port's gain the same algorithm gives C.

`cargo xtask test callgrind` builds the modules and runs this file; the
ports' C and Rust modules come from ``checks/ports.py``.
"""

import argparse
import glob
import itertools
import json
import os
import random
import subprocess
import sys
import sysconfig
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


# ---------------------------------------------------------------------------
# The workloads: (name, C function, Rust function, statement, baseline
# statement, make(n) -> (a, keys), N). The statement runs once per item
# `x` of `keys`, with `f` the function and `a` the state.


def noop_state(size):
    return lambda n: (None, [None] * n)


def sorted_state(size):
    def make(n):
        rng = random.Random(size)
        a = [2 * i for i in range(size)]
        return a, [rng.randrange(2 * size) for _ in range(n)]

    return make


def heap_state(size):
    def make(n):
        rng = random.Random(size)
        a = [rng.randrange(4 * size) for _ in range(size)]
        a.sort()  # a sorted list is a heap
        return a, [rng.randrange(4 * size) for _ in range(n)]

    return make


def growing_heap_state(size):
    """For heappop followed by an append of a value above all others,
    which keeps the list a heap of the same size."""

    def make(n):
        a = list(range(size))
        return a, list(range(size, size + n))

    return make


def unsorted_state(size):
    def make(n):
        rng = random.Random(size)
        return [rng.random() for _ in range(size)], [None] * n

    return make


def bytes_state(size, encoded):
    def make(n):
        data = random.Random(size).randbytes(size)
        import binascii

        return (binascii.b2a_base64(data) if encoded else data), [None] * n

    return make


def workloads(callcost_c, callcost_rs, c_mods, rs_mods):
    """Every workload, as (name, label, c, rust, stmt, base, make, n)."""
    rows = []
    # The trampolines: no-op functions of the same shape.
    for label, name, stmt in [
        ("METH_O", "noop_o", "f(x)"),
        ("METH_NOARGS", "noop_noargs", "f()"),
        ("METH_FASTCALL, 2 positional", "noop_fastcall", "f(a, x)"),
        ("FASTCALL \\| KEYWORDS, 2 positional", "noop_keywords", "f(a, x)"),
        ("FASTCALL \\| KEYWORDS, 1 keyword", "noop_keywords", "f(a, x, hi=x)"),
    ]:
        rows.append(
            (
                f"{name}: {stmt}",
                label,
                getattr(callcost_c, name),
                getattr(callcost_rs, name),
                stmt,
                "pass",
                noop_state(0),
                2000,
            )
        )
    # A method of a class that changes the object's value: C's field
    # against `with_mut` (the borrow flag, and a critical section on a
    # free-threaded build).
    rows.append(
        (
            "Counter.incr: f.incr()",
            "METH_NOARGS method, `with_mut`",
            callcost_c.Counter(),
            callcost_rs.Counter(),
            "f.incr()",
            "pass",
            lambda n: (None, [None] * n),
            2000,
        )
    )
    # The same three in raw cpython-sys, against the same C.
    for label, name, raw, stmt in [
        ("METH_O, raw cpython-sys", "noop_o", "raw_o", "f(x)"),
        ("METH_NOARGS, raw cpython-sys", "noop_noargs", "raw_noargs", "f()"),
        ("METH_FASTCALL, raw cpython-sys", "noop_fastcall", "raw_fastcall", "f(a, x)"),
    ]:
        rows.append(
            (
                f"{raw}: {stmt}",
                label,
                getattr(callcost_c, name),
                getattr(callcost_rs, raw),
                stmt,
                "pass",
                noop_state(0),
                2000,
            )
        )
    c_bisect, rs_bisect = c_mods["_bisect"], rs_mods["_bisect"]
    c_heapq, rs_heapq = c_mods["_heapq"], rs_mods["_heapq"]
    c_b64, rs_b64 = c_mods["_base64"], rs_mods["_base64"]
    for size in (10, 10_000):
        rows.append(
            (
                f"bisect_left n={size}",
                "bisect_left(a, x)",
                c_bisect.bisect_left,
                rs_bisect.bisect_left,
                "f(a, x)",
                "pass",
                sorted_state(size),
                1000,
            )
        )
    rows.append(
        (
            "bisect_left n=10 lo=0",
            "bisect_left(a, x, lo=0)",
            c_bisect.bisect_left,
            rs_bisect.bisect_left,
            "f(a, x, lo=0)",
            "pass",
            sorted_state(10),
            1000,
        )
    )
    for size in (10, 10_000):
        rows.append(
            (
                f"insort n={size}",
                "insort(a, x); a.pop()",
                c_bisect.insort_right,
                rs_bisect.insort_right,
                "f(a, x); a.pop()",
                "pass",
                sorted_state(size),
                500,
            )
        )
        rows.append(
            (
                f"heappush n={size}",
                "heappush(a, x); a.pop()",
                c_heapq.heappush,
                rs_heapq.heappush,
                "f(a, x); a.pop()",
                "pass",
                heap_state(size),
                500,
            )
        )
        rows.append(
            (
                f"heappop n={size}",
                "heappop(a); a.append(x)",
                c_heapq.heappop,
                rs_heapq.heappop,
                "f(a); a.append(x)",
                "pass",
                growing_heap_state(size),
                500,
            )
        )
    for size in (10, 1000):
        rows.append(
            (
                f"heapify n={size}",
                "b = a.copy(); heapify(b)",
                c_heapq.heapify,
                rs_heapq.heapify,
                "b = a.copy(); f(b)",
                "b = a.copy()",
                unsorted_state(size),
                200 if size > 100 else 1000,
            )
        )
    for size in (57, 4096):
        rows.append(
            (
                f"b2a_base64 {size} B",
                "b2a_base64(a)",
                c_b64.b2a_base64,
                rs_b64.b2a_base64,
                "f(a)",
                "pass",
                bytes_state(size, False),
                500,
            )
        )
        rows.append(
            (
                f"a2b_base64 {size} B",
                "a2b_base64(a)",
                c_b64.a2b_base64,
                rs_b64.a2b_base64,
                "f(a)",
                "pass",
                bytes_state(size, True),
                500,
            )
        )
    return rows


# ANCHOR: bounds
# The largest ratio Rust / C each workload may reach, by name prefix (the
# first that matches). The goal for the trampolines is 1.05: a call through
# the safe layer costs what the C calling convention it wraps costs, a call
# with keywords included. No port may cost more than its C module; those well
# below it have bounds that catch the loss of their shortcuts.
BOUNDS = [
    ("noop_", 1.05),
    # A class method through `with_mut` misses the goal by 11 instructions:
    # the borrow flag's compare-and-swap and release (5), and the saving and
    # restoring of registers the fast path does not use (6), as the machine
    # code of its trampoline shows (src/types.md, "What a method costs").
    ("Counter.", 1.10),
    ("raw_", 1.05),
    ("heapify", 0.65),
    ("b2a_base64", 0.80),
    ("a2b_base64", 0.70),
    ("", 1.00),
]
# ANCHOR_END: bounds


def bound(name):
    return next(b for prefix, b in BOUNDS if name.startswith(prefix))


# ---------------------------------------------------------------------------
# The inner run, under callgrind.


def loop(stmt, tag):
    """A new function `run(f, a, keys)` running `stmt` for each `x` in keys."""
    source = f"def run(f, a, keys):\n    for x in keys:\n        {stmt}\n"
    namespace = {}
    exec(compile(source, f"<callcost {tag}>", "exec"), namespace)
    return namespace["run"]


def outcome(f, *args):
    """What `f(*args)` gives: its value, or its exception's type and text."""
    try:
        return f(*args)
    except Exception as e:  # compared, not handled
        return (type(e).__name__, str(e))


def cpu_has_avx2():
    """Whether the CPU has AVX2, by the kernel's flags (None off Linux)."""
    try:
        with open("/proc/cpuinfo") as f:
            return any(
                line.startswith("flags") and "avx2" in line.split() for line in f
            )
    except OSError:
        return None


def check_base64_variant(variant):
    """The C variant with the port's shortcuts must compute what binascii
    does, on both of its paths (AVX2 and scalar), before its instructions
    count for anything.

    Checked: every length up to 100 and a few larger, random bytes, the
    encoding with and without its newline, and with one character made
    invalid at the start, inside the first 32-character block, in a later
    one and in the tail, decoded in both modes; and every byte value inside
    a block. Raises AssertionError at the first difference; leaves the AVX2
    path on."""
    import binascii

    def same(path, what, got, want):
        if got != want:
            raise AssertionError(
                f"_base64_shortcuts, {path} path: {what}: "
                f"{got!r:.200} != binascii's {want!r:.200}"
            )

    def strict(f):
        return lambda b: f(b, strict_mode=True)

    paths = [("scalar", False)]
    if variant._set_simd(True):
        paths.append(("AVX2", True))
    elif cpu_has_avx2():
        raise AssertionError("_base64_shortcuts: the CPU has AVX2, the variant does not use it")
    else:
        print("callcost: no AVX2: only the scalar path of _base64_shortcuts is checked",
              file=sys.stderr)
    for path, simd in paths:
        same(path, "_set_simd", variant._set_simd(simd), simd)
        rng = random.Random(64)
        for n in [*range(101), 255, 256, 257, 4096, 65536 + 7]:
            data = rng.randbytes(n)
            encoded = binascii.b2a_base64(data)
            same(path, f"b2a_base64 of {n} bytes", variant.b2a_base64(data), encoded)
            same(
                path,
                f"b2a_base64 of {n} bytes, newline=False",
                variant.b2a_base64(data, newline=False),
                encoded[:-1],
            )
            for text in (encoded, encoded[:-1]):
                same(path, f"a2b_base64 of {len(text)} characters",
                     variant.a2b_base64(text), data)
            text = encoded[:-1]
            end = len(text)
            for i in sorted({0, 13, 31, end // 2, end - 2, end - 1}):
                if not 0 <= i < end:
                    continue
                for c in b"!=\n\xff":
                    bad = text[:i] + bytes([c]) + text[i + 1 :] + b"\n"
                    what = f"a2b_base64 of {end} characters with {bytes([c])!r} at {i}"
                    # Without the keyword, the variant's own code; with it,
                    # binascii's, which the variant calls.
                    same(path, what, outcome(variant.a2b_base64, bad),
                         outcome(binascii.a2b_base64, bad))
                    same(path, what + ", strict_mode=True",
                         outcome(strict(variant.a2b_base64), bad),
                         outcome(strict(binascii.a2b_base64), bad))
        # Every byte value inside a 32-character block, for the vector
        # code's classes of valid characters.
        text = binascii.b2a_base64(random.Random(64).randbytes(48))
        for c in range(256):
            bad = text[:13] + bytes([c]) + text[14:]
            same(path, f"a2b_base64 of 64 characters with {bytes([c])!r} at 13",
                 outcome(variant.a2b_base64, bad), outcome(binascii.a2b_base64, bad))
    variant._set_simd(True)


def inner(args):
    sys.path.insert(0, HERE)
    import ports

    callcost_c = ports.load("_callcost_c", args.c_module)
    callcost_rs = ports.load("_callcost_rs", args.rs_module)
    c_mods = {name: ports.original(name) for name in ports.with_shortcuts()}
    rs_mods = {name: ports.rust(name, args.rust_dir) for name in ports.with_shortcuts()}
    # The C variants with the ports' shortcuts (bench/c/), by the module
    # name of the C function they stand beside (binascii's for _base64).
    shortcuts = {}
    for port in ports.with_shortcuts():
        name = f"{port}_shortcuts"
        path = os.path.join(args.c_shortcuts_dir, f"{name}{ports.EXT_SUFFIX}")
        shortcuts[ports.PORTS[port].original] = ports.load(name, path)
    check_base64_variant(shortcuts["binascii"])
    mark = callcost_c.mark
    labels = []
    mark()  # the first file: everything before the first loop
    for name, _, c, rust, stmt, base, make, n in workloads(
        callcost_c, callcost_rs, c_mods, rs_mods
    ):
        sides = [("base", None, base), ("C", c, stmt), ("Rust", rust, stmt)]
        variant = shortcuts.get(getattr(c, "__module__", None))
        if variant is not None:
            sides.append(("C shortcuts", getattr(variant, c.__name__), stmt))
        for side, f, s in sides:
            run = loop(s, f"{name} {side}")
            a, keys = make(2 * n)
            run(f, a, keys[:n])  # warm up: specialise the call site
            for count in (n, 2 * n):
                a, keys = make(count)
                mark()  # the loop's setup ends the previous segment
                run(f, a, keys)
                mark()
                labels.append((name, side, count))
    print(json.dumps(labels))


# ---------------------------------------------------------------------------
# The outer run: callgrind, then the table.


def totals(prefix):
    """The instruction count of each dump file, in order."""
    files = glob.glob(prefix + ".*")
    files.sort(key=lambda p: int(p.rsplit(".", 1)[1]))
    counts = []
    for path in files:
        with open(path) as f:
            for line in f:
                if line.startswith("summary:") or line.startswith("totals:"):
                    counts.append(int(line.split()[1]))
                    break
    return counts


def callgrind(script, script_args, options=()):
    """Runs `script --inner SCRIPT_ARGS` under callgrind (with the extra
    valgrind `options`), which must print the labels of its measured loops
    as a JSON list on its last line and call ``mark()`` around each loop:
    {label: instruction count}."""
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, "callgrind.out")
        cmd = [
            "valgrind",
            "--tool=callgrind",
            "--dump-before=callcost_mark",
            f"--callgrind-out-file={prefix}",
            *options,
            sys.executable,
            os.path.abspath(script),
            "--inner",
            *script_args,
        ]
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.exit(f"{script}: valgrind failed:\n{proc.stderr[-4000:]}")
        labels = json.loads(proc.stdout.strip().splitlines()[-1])
        counts = totals(prefix)
    # Dump 1 is the start, dump 2 the first setup; then each measured loop
    # is one dump (its mark() call ends it), followed by the next setup's.
    loops = counts[2::2]
    if len(loops) < len(labels):
        sys.exit(f"{script}: {len(counts)} dumps for {len(labels)} loops")
    return labels, {tuple(label): count for label, count in zip(labels, loops)}


def outer(args):
    labels, segment = callgrind(
        __file__,
        [
            "--c-module",
            args.c_module,
            "--rs-module",
            args.rs_module,
            "--rust-dir",
            args.rust_dir,
            "--c-shortcuts-dir",
            args.c_shortcuts_dir,
        ],
    )
    names = []
    for name, side, count in labels:
        if name not in names:
            names.append(name)
    rows = []
    failures = []
    meta = {n[0]: (n[1], n[4]) for n in WORKLOAD_META}
    for name in names:
        n = next(c for (nm, s, c) in labels if nm == name)
        cost = {}
        for side in ("base", "C", "Rust", "C shortcuts"):
            if (name, side, n) in segment:
                cost[side] = (segment[(name, side, 2 * n)] - segment[(name, side, n)]) / n
        c = cost["C"] - cost["base"]
        rust = cost["Rust"] - cost["base"]
        short = cost["C shortcuts"] - cost["base"] if "C shortcuts" in cost else None
        ratio = rust / c
        limit = bound(name)
        ok = ratio <= limit
        if not ok:
            failures.append(f"{name}: {ratio:.3f} > {limit}")
        label, stmt = meta[name]
        rows.append(
            {
                "name": name,
                "label": label,
                "statement": stmt,
                "c": round(c, 1),
                "rust": round(rust, 1),
                "ratio": round(ratio, 3),
                "bound": limit,
                "c_shortcuts": None if short is None else round(short, 1),
                "rust_shortcuts": None if short is None else round(rust / short, 3),
            }
        )
    print_table(rows)
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"python": describe_python(), "rows": rows}, f, indent=1)
            f.write("\n")
    if args.table:
        with open(args.table, "w") as f:
            f.write(markdown(rows))
    if failures:
        sys.exit("callcost: out of bounds:\n  " + "\n  ".join(failures))


WORKLOAD_META = []


def describe_python():
    """The interpreter, and whether it was built with PGO and LTO."""
    config = sysconfig.get_config_var("CONFIG_ARGS") or ""
    flags = [f for f in ("--enable-optimizations", "--with-lto") if f in config]
    build = "with " + " and ".join(flags) if flags else "without PGO or LTO"
    return f"CPython {sys.version.split()[0]} ({sys.executable}, built {build})"


# mdBook's anchor word, spelled so that this file has no anchors of its own
# named after the table's.
MARK = "ANCH" + "OR"


def markdown(rows):
    """The table for the book (src/callcost-table.md), between anchors for
    mdBook. The same functions in every layer, PyO3's included, are the
    benchmark command's (bench/layers.py)."""
    lines = [
        "<!-- Written by `cargo xtask test callgrind` (checks/callcost.py); do not edit. -->",
        "",
        f"<!-- {MARK}: calls -->",
        "| workload | Python statement | C | C shortcuts | Rust | Rust / C | bound | Rust / shortcuts |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        first = r["label"] if r["name"].startswith(("noop_", "raw_")) else r["name"]
        short = "–" if r["c_shortcuts"] is None else f"{r['c_shortcuts']:.0f}"
        versus = "–" if r["rust_shortcuts"] is None else f"{r['rust_shortcuts']:.2f}"
        lines.append(
            f"| {first} | `{r['statement']}` | {r['c']:.0f} | {short} | {r['rust']:.0f} "
            f"| {r['ratio']:.2f} | {r['bound']:.2f} | {versus} |"
        )
    lines += [
        "",
        f"Instructions per call, on {describe_python()}; "
        f"{os.uname().machine}, valgrind's callgrind. *C shortcuts* is the C module with the",
        "port's shortcuts (`bench/c/`), compiled with `cc -O3`: what C gains from the same algorithm.",
        f"<!-- {MARK}_END: calls -->",
        "",
    ]
    return "\n".join(lines)


def print_table(rows):
    print(f"{'workload':34} {'C':>9} {'C short':>9} {'Rust':>9} {'ratio':>6} {'bound':>6}")
    for r in rows:
        short = "" if r["c_shortcuts"] is None else f"{r['c_shortcuts']:.1f}"
        print(
            f"{r['name']:34} {r['c']:9.1f} {short:>9} {r['rust']:9.1f} "
            f"{r['ratio']:6.3f} {r['bound']:6.2f}"
        )


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--c-module", required=True)
    parser.add_argument("--rs-module", required=True)
    parser.add_argument("--rust-dir", required=True)
    parser.add_argument("--c-shortcuts-dir", required=True)
    parser.add_argument("--json")
    parser.add_argument("--table", help="write the table as Markdown here")
    parser.add_argument("--inner", action="store_true")
    args = parser.parse_args()
    if args.inner:
        inner(args)
        return
    # The table's labels, without loading the modules in this process.
    class Any:
        def __getattr__(self, name):
            return Any()

        def __call__(self, *args):
            return Any()

    mods = {"_bisect": Any(), "_heapq": Any(), "_base64": Any()}
    WORKLOAD_META.extend(workloads(Any(), Any(), mods, mods))
    outer(args)


if __name__ == "__main__":
    main()
