"""The zlib port against the interpreter's C zlib, side by side in one run.

    python bench_zlib.py [--rust-dir DIR] [--processes N] [--values N]
                         [--max-size BYTES] [-o RUN.json]
    python bench_zlib.py --smoke

The method is bench_ports.py's: `--processes` worker processes, one after
the other; in each, every workload's two sides (C, Rust) take turns, one
value of each per round, `--values` rounds, the side that starts rotating;
a value is the mean time of one call over `loops` calls, `loops` calibrated
so that a value takes at least `--min-time` seconds, the same for both
sides. The table gives, per workload, the median time of each side and the
median of the paired ratios Rust/C with its bootstrap 95% interval over
workers (``bench_page.paired_ratio``).

Workloads: `compress` and `decompress` at levels 1, 6 and 9 over text,
binary (little-endian integers of a slow random walk) and incompressible
data of 1 KiB to `--max-size` (64 MiB by default); a `Compress` and a
`Decompress` object fed 512-byte pieces of 1 MiB; `crc32` and `adler32`
over 1 KiB to `--max-size`.

The C module is the interpreter's own, loaded by path; the port is
``zlib`` from `--rust-dir` (the folder of the Rust modules by default).
Without a port there, the run compares C with a second copy of C, and
says so: a check of the method (every ratio should be near 1).
"""

import argparse
import functools
import json
import os
import random
import statistics
import subprocess
import sys
from pathlib import Path
from time import perf_counter

import ports

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import bench_page  # noqa: E402 - after the path it lives on

SIDES = ("C", "Rust")


def c_zlib():
    if "zlib" in ports.PORTS:
        return ports.original("zlib")
    if "zlib" in sys.builtin_module_names:
        import zlib

        return zlib
    return ports.load("zlib", ports.lib_dynload() / f"zlib{ports.EXT_SUFFIX}")


def modules(rust_dir):
    """(C zlib, the port or a second C, whether it is the port)."""
    path = Path(rust_dir) / f"zlib{ports.EXT_SUFFIX}"
    if path.is_file():
        return c_zlib(), ports.rust("zlib", rust_dir), True
    return c_zlib(), c_zlib(), False


@functools.lru_cache(maxsize=None)
def data_of(kind, size):
    rnd = random.Random(size)
    if kind == "text":
        words = [b"zlib", b"stream", b"the", b"of", b"deflate", b"window", b"Huffman", b"block", b"match"]
        out = bytearray()
        while len(out) < size:
            out += b" ".join(rnd.choice(words) for _ in range(12)) + b".\n"
        return bytes(out[:size])
    if kind == "binary":
        out, v = bytearray(), 1 << 20
        while len(out) < size:
            v += rnd.randint(-50, 50)
            out += v.to_bytes(4, "little", signed=True)
        return bytes(out[:size])
    return rnd.randbytes(size)


@functools.lru_cache(maxsize=None)
def compressed_of(z, kind, size, level):
    """`data_of(kind, size)` compressed by `z` at `level`, made once."""
    return z.compress(data_of(kind, size), level)


def size_label(n):
    return f"{n >> 20} MiB" if n >= 1 << 20 else f"{n >> 10} KiB"


def workloads(max_size, smoke):
    """(name, state maker, call(z, state)) for every workload."""
    sizes = [1 << 10, 64 << 10, 1 << 20, 64 << 20]
    sizes = [1 << 10] if smoke else [s for s in sizes if s <= max_size]
    found = []
    for kind in ("text", "binary", "incompressible"):
        for size in sizes:
            for level in (1, 6, 9):
                found.append((f"compress {kind} {size_label(size)} level {level}",
                              lambda z, k=kind, s=size, lv=level: data_of(k, s),
                              lambda z, d, lv=level: z.compress(d, lv)))
                found.append((f"decompress {kind} {size_label(size)} level {level}",
                              lambda z, k=kind, s=size, lv=level: compressed_of(z, k, s, lv),
                              lambda z, d: z.decompress(d)))
    stream_size = 1 << 14 if smoke else 1 << 20

    def compress_pieces(z, d):
        obj = z.compressobj(6)
        for i in range(0, len(d), 512):
            obj.compress(d[i : i + 512])
        return obj.flush()

    def decompress_pieces(z, d):
        obj = z.decompressobj()
        for i in range(0, len(d), 512):
            obj.decompress(d[i : i + 512])
        return obj.flush()

    found.append((f"Compress text in 512 B pieces, {size_label(stream_size)}",
                  lambda z: data_of("text", stream_size), compress_pieces))
    found.append((f"Decompress text in 512 B pieces, {size_label(stream_size)}",
                  lambda z: z.compress(data_of("text", stream_size)), decompress_pieces))
    for size in sizes:
        for name in ("crc32", "adler32"):
            found.append((f"{name} {size_label(size)}", lambda z, s=size: data_of("incompressible", s),
                          lambda z, d, n=name: getattr(z, n)(d)))
    return found


def time_value(call, z, state, loops):
    start = perf_counter()
    for _ in range(loops):
        call(z, state)
    return (perf_counter() - start) / loops


def worker(rust_dir, index, values, min_time, max_size, smoke):
    c, rust, is_port = modules(rust_dir)
    sides = {"C": c, "Rust": rust}
    result = {"port": is_port, "workloads": {}}
    for name, make, call in workloads(max_size, smoke):
        # The state is made by C for both (the same input bytes).
        state = make(c)
        for z in sides.values():
            call(z, state)  # untimed
        loops = 1
        while time_value(call, c, state, loops) * loops < min_time and loops < 1 << 20:
            loops *= 2
        timed = {side: [] for side in SIDES}
        for r in range(values):
            order = SIDES if (r + index) % 2 == 0 else SIDES[::-1]
            for side in order:
                timed[side].append(time_value(call, sides[side], state, loops))
        result["workloads"][name] = {"values": timed, "loops": loops}
    return result


def write_page(src, rows, workers, args, is_port, loads):
    """The zlib section of the Benchmarks page, and its plot."""
    if not is_port:
        raise SystemExit("no port in --rust-dir: a page of C against C would say nothing")
    images = src / "images"
    images.mkdir(parents=True, exist_ok=True)
    build = sys.version.replace("\n", " ")
    lines = [
        "<!-- Written by bench/bench_zlib.py --page (cargo xtask bench); do not edit. -->",
        "",
        f"`zlib`: the port against the interpreter's C module on CPython {build}, "
        f"{args.processes} worker processes of {args.values} rounds, C and Rust taking turns; "
        f"{args.machine} Load average before and after each worker: "
        + ", ".join(f"{a:.2f}-{b:.2f}" for a, b in loads)
        + ".",
        "",
        '<img src="images/benchmarks-zlib.svg" alt="For every zlib workload, the Rust/C time ratio with its 95% '
        'interval, on a logarithmic scale; left of the 1.00 line the port is faster.">',
        "",
        "| Workload | C | Rust | Rust / C (95% interval) |",
        "|---|---:|---:|---:|",
    ]
    for row in rows:
        m, a, b = row["rust_c"]
        lines.append(
            f"| {row['name']} | {bench_page.fmt_time(row['median']['C'])} | "
            f"{bench_page.fmt_time(row['median']['Rust'])} | {m:.2f} ({a:.2f}–{b:.2f}) |"
        )
    (src / "benchmarks-zlib.md").write_text("\n".join(lines) + "\n")
    (images / "benchmarks-zlib.svg").write_text(svg(rows))


def svg(rows):
    """A dot per workload at its Rust/C ratio, a line across its interval,
    on a logarithmic axis from 0.25 to 4."""
    import math

    left, right, top, step = 330, 30, 40, 18
    width, height = 900, top + step * len(rows) + 40
    lo, hi = math.log10(0.25), math.log10(4)

    def x(v):
        v = min(max(v, 0.25), 4)
        return left + (math.log10(v) - lo) / (hi - lo) * (width - left - right)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'font-family="Helvetica, Arial, sans-serif" font-size="12">',
        "  <title>zlib: Rust time over C time, per workload</title>",
        "  <desc>For each workload, a dot at the Rust/C time ratio with a line across its 95% interval, on a "
        "logarithmic scale; left of the 1.00 line the port is faster than the interpreter's C zlib.</desc>",
        f'  <rect x="0" y="0" width="{width}" height="{height}" rx="8" fill="#ffffff" stroke="#5b6170"/>',
    ]
    for tick in (0.25, 0.5, 1, 2, 4):
        strong = tick == 1
        out.append(
            f'  <line x1="{x(tick):.1f}" y1="{top - 10}" x2="{x(tick):.1f}" y2="{height - 30}" '
            f'stroke="{"#5b6170" if strong else "#b8bec8"}" stroke-width="{2 if strong else 1}"/>'
        )
        out.append(f'  <text x="{x(tick):.1f}" y="{height - 12}" text-anchor="middle">{tick:.2f}</text>')
    for i, row in enumerate(rows):
        cy = top + step * i
        m, a, b = row["rust_c"]
        color = "#1b7837" if b < 1 else "#b2182b" if a > 1 else "#3b4cc0"
        out.append(f'  <text x="{left - 8}" y="{cy + 4}" text-anchor="end">{row["name"]}</text>')
        out.append(f'  <line x1="{x(a):.1f}" y1="{cy}" x2="{x(b):.1f}" y2="{cy}" stroke="{color}" stroke-width="2"/>')
        out.append(f'  <circle cx="{x(m):.1f}" cy="{cy}" r="4" fill="{color}"/>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rust-dir", default=None)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--values", type=int, default=7)
    parser.add_argument("--min-time", type=float, default=0.02)
    parser.add_argument("--max-size", type=int, default=64 << 20)
    parser.add_argument("--smoke", action="store_true", help="one small size, one worker, two values")
    parser.add_argument("-o", "--output")
    parser.add_argument("--page", help="write SRC/benchmarks-zlib.md and SRC/images/benchmarks-zlib.svg")
    parser.add_argument("--machine", default="", help="a line on the machine, for the page")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    rust_dir = args.rust_dir or str(ports.rust_dir())
    if args.smoke:
        args.processes, args.values, args.min_time = 1, 2, 0.001
    if args.worker is not None:
        print(json.dumps(worker(rust_dir, args.worker, args.values, args.min_time, args.max_size, args.smoke)))
        return
    workers, loads = [], []
    for i in range(args.processes):
        before = os.getloadavg()[0]
        command = [sys.executable, __file__, "--worker", str(i), "--rust-dir", rust_dir,
                   "--values", str(args.values), "--min-time", str(args.min_time), "--max-size", str(args.max_size)]
        if args.smoke:
            command.append("--smoke")
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        workers.append(json.loads(done.stdout))
        loads.append((before, os.getloadavg()[0]))
    is_port = workers[0]["port"]
    print(f"zlib: C ({sys.version.split()[0]}) against {'the Rust port' if is_port else 'a second copy of C (no port built)'}; "
          f"{args.processes} workers x {args.values} values; load {loads}")
    rng = random.Random(0)
    rows = []
    print(f"{'workload':52} {'C':>10} {'Rust':>10}  Rust/C [95%]")
    for name in workers[0]["workloads"]:
        per_worker = [w["workloads"] for w in workers]
        medians = {s: statistics.median(v for w in per_worker for v in w[name]["values"][s]) for s in SIDES}
        ratio = bench_page.paired_ratio(per_worker, name, "Rust", "C", rng)
        rows.append({"name": name, "median": medians, "rust_c": ratio})
        print(f"{name:52} {bench_page.fmt_time(medians['C']):>10} {bench_page.fmt_time(medians['Rust']):>10}"
              f"  {ratio[0]:.3f} [{ratio[1]:.3f}, {ratio[2]:.3f}]")
    if args.page:
        write_page(Path(args.page), rows, workers, args, is_port, loads)
    if args.output:
        Path(args.output).write_text(json.dumps({"port": is_port, "python": sys.version, "loads": loads,
                                                 "workers": workers, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
