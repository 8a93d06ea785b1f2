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
    result = {"port": is_port, "versions": [c.ZLIB_RUNTIME_VERSION, getattr(rust, "ZLIBRS_VERSION", "")], "workloads": {}}
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


def verdict(ratio):
    """faster (the whole interval below 1), slower (all of it above), or tie."""
    _, low, high = ratio
    return "faster" if high < 1 else "slower" if low > 1 else "tie"


def machine_line():
    """The CPU and the core count, as /proc/cpuinfo and os say."""
    model = "an unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{model}, {os.cpu_count()} cores"


def write_page(src, rows, args, versions, loads, seconds):
    """The zlib section of the Benchmarks page (SRC/benchmarks-zlib.md), its
    plot and the plot's narrow version for a phone."""
    images = src / "images"
    images.mkdir(parents=True, exist_ok=True)
    counts = {v: sum(verdict(r["rust_c"]) == v for r in rows) for v in ("faster", "tie", "slower")}
    lines = [
        "<!-- Written by bench/bench_zlib.py --page (cargo xtask bench); do not edit. -->",
        "",
        f"The port against the interpreter's own C `zlib` on CPython {sys.version.split()[0]} "
        f"(`{os.path.realpath(getattr(sys, '_base_executable', sys.executable))}`), the C zlib {versions[0]} under C's module, zlib-rs {versions[1]} under the port; "
        f"{machine_line()}. {args.processes} worker processes of {args.values} rounds, C and Rust taking "
        f"turns (`bench/bench_zlib.py`); the run took {seconds:.0f} s, and the load average before and after "
        "each worker was " + ", ".join(f"{a:.2f} to {b:.2f}" for a, b in loads) + ".",
        "",
        f"Of {len(rows)} workloads, the port is faster in {counts['faster']} (the whole interval below 1), "
        f"slower in {counts['slower']} (all of it above 1), and the rest tie.",
        "",
        '<img src="images/benchmarks-zlib.svg" alt="For every zlib workload, the Rust/C time ratio with its 95% '
        'interval, on a logarithmic scale; left of the 1.00 line the port is faster. The table below has the '
        'same numbers." width="100%">',
        "",
        "| Workload | C | Rust | Rust / C |",
        "|---|---:|---:|---:|",
    ]
    for row in rows:
        v = verdict(row["rust_c"])
        shown = bench_page.fmt_ratio(row["rust_c"])
        lines.append(
            f"| {row['name']} | {bench_page.fmt_time(row['median']['C'])} | "
            f"{bench_page.fmt_time(row['median']['Rust'])} | {f'**{shown}**' if v == 'slower' else shown} |"
        )
    lines += ["", "Bold: the port is slower (the whole interval above 1)."]
    (src / "benchmarks-zlib.md").write_text("\n".join(lines) + "\n")
    (images / "benchmarks-zlib.svg").write_text(svg(rows))
    (images / "benchmarks-zlib-narrow.svg").write_text(svg_narrow(rows))


# The plots' scale: the ratios of this module lie between these.
TICKS = (0.05, 0.1, 0.25, 0.5, 1, 2, 4)
FASTER, SLOWER, TIE = "#1b6b30", "#a1241c", "#1558b0"


def color_of(ratio):
    return {"faster": FASTER, "slower": SLOWER, "tie": TIE}[verdict(ratio)]


def log_x(left, plot_w):
    return bench_page.log_x(left, plot_w, ticks=TICKS)


def svg_head(width, height, comment):
    ink = bench_page.INK
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'font-family="Helvetica, Arial, sans-serif" font-size="14">',
        "  <title>zlib: Rust time over C time, per workload</title>",
        "  <desc>For each workload, a dot at the Rust/C time ratio with a line across its 95% interval, on a "
        "logarithmic scale; left of the 1.00 line the port is faster than the interpreter's C zlib. Green: "
        "faster, red: slower, blue: a tie. The table of the page holds the same numbers.</desc>",
        *comment,
        f'  <rect x="0" y="0" width="{width}" height="{height}" rx="8" fill="{bench_page.PANEL}" stroke="#5b6170"/>',
        f'  <circle cx="26" cy="22" r="4.5" fill="{FASTER}"/>',
        f'  <text x="36" y="27" fill="{ink}">faster</text>',
        f'  <circle cx="100" cy="22" r="4.5" fill="{TIE}"/>',
        f'  <text x="110" y="27" fill="{ink}">tie</text>',
        f'  <circle cx="150" cy="22" r="4.5" fill="{SLOWER}"/>',
        f'  <text x="160" y="27" fill="{ink}">slower</text>',
    ]


def grid(x, tick, y1, y2):
    style = 'stroke="#5b6170" stroke-width="2"' if tick == 1 else 'stroke="#b8bec8" stroke-width="1"'
    return f'  <line x1="{x(tick):.1f}" y1="{y1}" x2="{x(tick):.1f}" y2="{y2}" {style}/>'


def ticks(x, y, ends=False):
    return bench_page.tick_labels(x, y, ends=ends, ticks=TICKS)


def interval(ratio, x, cy):
    m, a, b = ratio
    c = color_of(ratio)
    return [
        f'  <line x1="{x(a):.1f}" y1="{cy:.1f}" x2="{x(b):.1f}" y2="{cy:.1f}" stroke="{c}" stroke-width="2"/>',
        f'  <circle cx="{x(m):.1f}" cy="{cy:.1f}" r="4.5" fill="{c}"/>',
    ]


def svg(rows):
    """The wide plot: the names on the left, one line per workload."""
    left, right, top, row_h = 330, 24, 76, 20
    width = 860
    x = log_x(left, width - left - right)
    bottom = top + row_h * len(rows)
    height = bottom + 60
    out = svg_head(width, height, ["  <!-- Its own light panel, so that it reads on light and dark pages. -->"])
    for i in range(0, len(rows), 2):
        out.append(f'  <rect x="4" y="{top + row_h * i}" width="{width - 8}" height="{row_h}" fill="{bench_page.BAND}"/>')
    for tick in TICKS:
        out.append(grid(x, tick, top - 6, bottom + 6))
    out += ticks(x, top - 12)
    out += ticks(x, bottom + 22)
    out.append(f'  <text x="{left + (width - left - right) / 2:.0f}" y="{height - 14}" text-anchor="middle" '
               f'fill="{bench_page.INK}">Rust time / C time (log scale; 1 = as fast as C)</text>')
    for i, row in enumerate(rows):
        cy = top + row_h * i + row_h / 2
        out.append(f'  <text x="{left - 10}" y="{cy + 5:.1f}" text-anchor="end" fill="{bench_page.INK}">{row["name"]}</text>')
        out += interval(row["rust_c"], x, cy)
    out.append("</svg>")
    return "\n".join(out) + "\n"


# The narrow plot repeats its scale every this many rows.
NARROW_BLOCK = 16


def svg_narrow(rows):
    """The plot for a phone: each workload's name and ratio on a line of
    their own, its interval across the whole width below them."""
    width, left, right = 360, 16, 16
    name_h, lane_h, scale_h = 20, 14, 30
    row_h = name_h + lane_h + 2
    x = log_x(left, width - left - right)
    blocks = [rows[i : i + NARROW_BLOCK] for i in range(0, len(rows), NARROW_BLOCK)]
    top = 44
    height = top + sum(scale_h + row_h * len(b) for b in blocks) + 40
    out = svg_head(width, height, ["  <!-- The narrow version of benchmarks-zlib.svg, for a phone. -->"])
    y = top
    for block in blocks:
        out += ticks(x, y + scale_h - 10, ends=True)
        y += scale_h
        for i in range(0, len(block), 2):
            out.append(f'  <rect x="4" y="{y + row_h * i}" width="{width - 8}" height="{row_h}" fill="{bench_page.BAND}"/>')
        for tick in TICKS:
            out.append(grid(x, tick, y, y + row_h * len(block)))
        for i, row in enumerate(block):
            y0 = y + row_h * i
            out.append(f'  <text x="{left}" y="{y0 + 15}" fill="{bench_page.INK}">{row["name"]}</text>')
            out.append(f'  <text x="{width - right}" y="{y0 + 15}" text-anchor="end" '
                       f'fill="{color_of(row["rust_c"])}">{row["rust_c"][0]:.2f}</text>')
            out += interval(row["rust_c"], x, y0 + name_h + lane_h / 2)
        y += row_h * len(block)
    out.append(f'  <text x="{left}" y="{height - 16}" fill="{bench_page.INK}">Rust time / C time; 1 = as fast as C</text>')
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
    began = perf_counter()
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
        if not is_port:
            raise SystemExit("no port in --rust-dir: a page of C against C would say nothing")
        write_page(Path(args.page), rows, args, workers[0]["versions"], loads, perf_counter() - began)
    if args.output:
        Path(args.output).write_text(json.dumps({"port": is_port, "python": sys.version, "loads": loads,
                                                 "workers": workers, "rows": rows}, indent=1))


if __name__ == "__main__":
    main()
