"""Writes the book's benchmark page from the runs of bench_ports.py.

    python bench_page.py summarize RUN.json... --machine MACHINE.json --book SRC
                         [--layers-instructions LAYERS.json]
    python bench_page.py render --book SRC
    python bench_page.py check --book SRC

`summarize` reduces the runs (one per interpreter) to `SRC/benchmarks.json`:
for each workload and side, the median time per call and its quartiles;
for each ratio, the median of the ratios of values taken in the same
round (one value of each side, one after the other, in one process) and a
bootstrap 95% interval of that median, resampling whole worker processes.
With the machine's description and, if given, the callgrind counts of the
same functions in every layer (`bench/layers.py`). Then it renders.
`render` writes `SRC/benchmarks.md`, `SRC/images/benchmarks.svg` and its
narrow version for a phone, `SRC/images/benchmarks-narrow.svg`, from that
file alone, so the page can be regenerated (and reviewed) without running
anything. `check` fails if the page or either plot differ from what
`render` would write, or the data file is missing: `cargo xtask test` runs
it.
"""

import argparse
import json
import math
import random
import statistics
import sys
from pathlib import Path

TARGET_RATIO = 1.00  # every port at least as fast as C
BASE64_TARGET = 0.50  # base64 at 4 KiB and more: at least twice as fast
BASE64_FROM = 4096
BOOTSTRAP = 2000  # resamples of the 95% intervals

# The ratios of a port's row: (key, numerator, denominator).
RATIOS = [("rust_c", "Rust", "C"), ("short_c", "C shortcuts", "C"), ("rust_short", "Rust", "C shortcuts")]


def quartiles(values):
    q = statistics.quantiles(values, n=4, method="inclusive")
    return {"median": statistics.median(values), "q1": q[0], "q3": q[2], "n": len(values)}


def paired_ratio(workers, name, top, bottom, rng):
    """The median of the paired ratios top/bottom and its bootstrap 95%
    interval, resampling the workers (each keeps its own rounds)."""
    per_worker = []
    for w in workers:
        values = w[name]["values"]
        per_worker.append([t / b for t, b in zip(values[top], values[bottom])])
    pooled = [r for rs in per_worker for r in rs]
    medians = []
    for _ in range(BOOTSTRAP):
        sample = [r for _ in per_worker for r in rng.choice(per_worker)]
        medians.append(statistics.median(sample))
    medians.sort()
    low = medians[int(0.025 * BOOTSTRAP)]
    high = medians[int(0.975 * BOOTSTRAP) - 1]
    return [statistics.median(pooled), low, high]


def summarize_run(run):
    rng = random.Random(0)  # the same data give the same intervals
    workers = run["workers"]
    rows = []
    for w in run["workloads"]:
        name, sides = w["name"], w["sides"]
        row = {
            "workload": name,
            "group": w["group"],
            "function": name.split(" ")[0].split("(")[0],
            "size": w["size"],
            "sides": {s: quartiles([v for wk in workers for v in wk[name]["values"][s]]) for s in sides},
            "ratios": {},
        }
        if w["group"] == "ports":
            for key, top, bottom in RATIOS:
                row["ratios"][key] = paired_ratio(workers, name, top, bottom, rng)
        else:
            for side in sides[1:]:
                row["ratios"][side] = paired_ratio(workers, name, side, sides[0], rng)
        rows.append(row)
    loads = [x for load in run["loads"] for x in (load["before"][0], load["after"][0])]
    return {
        "interpreter": run["interpreter"],
        "where": run.get("where", "?"),
        "method": run["method"],
        "load": [min(loads), max(loads)],
        "seconds": round(sum(load["seconds"] for load in run["loads"])),
        "rows": rows,
    }


def summarize(run_paths, machine_path, layers_path):
    machine = json.loads(Path(machine_path).read_text())
    runs = [summarize_run(json.loads(Path(p).read_text())) for p in run_paths]
    data = {"machine": machine, "runs": runs}
    if layers_path:
        data["layers_instructions"] = json.loads(Path(layers_path).read_text())
    return data


def ratio(row, key="rust_c"):
    return row["ratios"][key][0]


def target(row):
    """The ratio a row must reach, and what the target says."""
    if row["function"] in ("b2a_base64", "a2b_base64") and row["size"] >= BASE64_FROM:
        return BASE64_TARGET, "<= 0.50"
    return TARGET_RATIO, "<= 1.00"


def verdict(row):
    """met (the whole interval below the target), missed (all of it
    above), or tie."""
    goal, _ = target(row)
    _, low, high = row["ratios"]["rust_c"]
    if high <= goal:
        return "met"
    if low > goal:
        return "missed"
    return "tie"


def fmt_time(seconds):
    for unit, scale in (("s", 1), ("ms", 1e-3), ("µs", 1e-6), ("ns", 1e-9)):
        if seconds >= scale:
            return f"{seconds / scale:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def fmt_ratio(r):
    return f"{r[0]:.2f} ({r[1]:.2f}–{r[2]:.2f})"


MODULES = [("_bisect", ("bisect", "insort")), ("_heapq", ("heap", "_heap")), ("base64", ("b2a", "a2b"))]


def module_of(row):
    for module, prefixes in MODULES:
        if row["function"].startswith(prefixes):
            return module
    return "?"


def title(run):
    i = run["interpreter"]
    return f"CPython {i['version']}, {run['where']}"


def build_of(i):
    made = [name for name, on in (("PGO", i["pgo"]), ("LTO", i["lto"])) if on]
    if made:
        return " and ".join(made) + " (its configure options)"
    if i.get("debian_changelog"):
        quoted = "; ".join(f"“{line}”" for line in i["debian_changelog"])
        return (
            "PGO and LTO by Debian's changelog, whose newest entries on them read "
            f"{quoted} (Debian's rules pass them; `sysconfig` records neither)"
        )
    return "neither PGO nor LTO (no `--enable-optimizations`, no `--with-lto`)"


def modules_of(i):
    parts = []
    if i["c_modules_built_in"]:
        parts.append(", ".join(f"`{m}`" for m in i["c_modules_built_in"]) + " built into the executable")
    if i["c_modules_shared"]:
        parts.append(", ".join(f"`{m}`" for m in i["c_modules_shared"]) + " as `.so` files in `lib-dynload`")
    return "; ".join(parts)


def config_of(i):
    """The configure options that change speed, as the page lists them."""
    words = [w.strip("'") for w in i["config_args"].split("' '")]
    keep = [w for w in words if w.startswith(("--enable-", "--with-", "--without-", "--disable-"))]
    return " ".join(f"`{w}`" for w in keep) or "none besides the paths"


def render_markdown(data):
    m, runs = data["machine"], data["runs"]
    first = runs[0]["method"]
    lines = [
        "<!-- Generated by `cargo xtask bench` (bench/bench_page.py) from",
        "     src/benchmarks.json: edit those, not this page. -->",
        "# Benchmarks",
        "",
        "How fast are the ports against the C modules they replace, and how much of",
        "the difference is the algorithm rather than the language? Each workload below",
        "runs three functions on the same interpreter: the interpreter's own C module",
        "(**C**), the same C with the shortcuts the port takes (**C shortcuts**,",
        "`bench/c/`), and the Rust port (**Rust**). Times are per call of the",
        "workload's loop, and include the Python-level call, as a user of the module",
        "sees it.",
        "",
        "The three take turns: each worker process times one value of each side,",
        "then the next round, with the side that goes first rotating, so that a busy",
        "moment of the machine hits all three alike. A time is the median of all",
        "values; a ratio is the median of the ratios of values taken in the same",
        "round, with a bootstrap 95% interval (resampling whole worker processes) in",
        f"brackets. A run is {first['processes']} worker processes × {first['values']} rounds, each value at",
        f"least {first['min_time'] * 1000:g} ms of calls (`bench/bench_ports.py`).",
        "",
        "The targets: every port at least as fast as C (Rust / C <= 1.00), and base64 at",
        "least twice as fast from 4 KiB up (<= 0.50). A target is *met* when the",
        "whole interval is below it, *missed* when the whole interval is above it,",
        "and a *tie* otherwise. `cargo xtask bench` rebuilds the extension and the C",
        "variants in release mode, runs the benchmarks on each interpreter below and",
        "rewrites this page, its data file (`src/benchmarks.json`) and the plot;",
        "`cargo xtask test` checks that the three agree.",
        "",
        "## The machine and the interpreters",
        "",
        "| Part | What was used |",
        "|---|---|",
        f"| CPU | {m.get('cpu_model', '?')} ({m.get('cpu_count', '?')} cores{', virtual machine' if m.get('virtual') else ''}) |",
        f"| Memory | {m.get('memory', '?')} |",
        f"| OS | {m.get('platform', '?')} |",
        f"| Rust | {m.get('rustc', '?')}, `{m.get('build', '?')}` |",
        f"| C variants | {m.get('cc', '?')}, `{m.get('cflags', '?')}` |",
        f"| Date | {m.get('date', '?')} |",
        "",
        "| Interpreter | " + " | ".join(title(r) for r in runs) + " |",
        "|---|" + "---|" * len(runs),
        "| Executable | " + " | ".join(f"`{r['interpreter']['executable']}`" for r in runs) + " |",
        "| Built with | " + " | ".join(build_of(r["interpreter"]) for r in runs) + " |",
        "| Configure options | " + " | ".join(config_of(r["interpreter"]) for r in runs) + " |",
        "| The C modules | " + " | ".join(modules_of(r["interpreter"]) for r in runs) + " |",
        "| Load average during the run | "
        + " | ".join(f"{r['load'][0]:.2f} to {r['load'][1]:.2f}" for r in runs)
        + " |",
        "| Length of the run | " + " | ".join(f"{r['seconds']} s" for r in runs) + " |",
        "",
        "The load average is what `uptime` prints, read before and after each worker",
        f"process: on {m.get('cpu_count', '?')} cores, a load above {m.get('cpu_count', '?')} means that other processes",
        "were waiting for the CPU while these ran.",
        "",
        "## Results",
        "",
        '<img src="images/benchmarks.svg" alt="For every workload, the Rust/C time ratio and the C-shortcuts/C '
        "ratio on each interpreter, on a logarithmic scale, with their 95% intervals and the 1.00 and 0.50 "
        'targets marked; the tables below have the same numbers." width="100%">',
    ]
    for run in runs:
        rows = [r for r in run["rows"] if r["group"] == "ports"]
        lines += [
            "",
            f"### On {title(run)}",
            "",
            "| Workload | C | C shortcuts | Rust | Rust / C | shortcuts / C | Rust / shortcuts | Target |",
            "|---|---:|---:|---:|---:|---:|---:|:---:|",
        ]
        for r in rows:
            v = verdict(r)
            shown = "met" if v == "met" else f"**{v}** ({target(r)[1]})"
            s = r["sides"]
            lines.append(
                f"| `{r['workload']}` | {fmt_time(s['C']['median'])} | {fmt_time(s['C shortcuts']['median'])} "
                f"| {fmt_time(s['Rust']['median'])} | {fmt_ratio(r['ratios']['rust_c'])} "
                f"| {fmt_ratio(r['ratios']['short_c'])} | {fmt_ratio(r['ratios']['rust_short'])} | {shown} |"
            )
        counts = {v: sum(verdict(r) == v for r in rows) for v in ("met", "tie", "missed")}
        lines += [
            "",
            f"{counts['met']} of {len(rows)} workloads meet their target, {counts['tie']} tie "
            f"and {counts['missed']} miss it.",
        ]
        others = [r for r in rows if verdict(r) != "met"]
        if others:
            lines += ["", "Not met: " + ", ".join(f"`{r['workload']}` ({ratio(r):.2f}, {verdict(r)})" for r in others) + "."]
    lines += render_layers(data)
    lines += render_zeroing(data)
    # The zlib port has no C-shortcuts variant and workloads of its own:
    # bench/bench_zlib.py writes its section (from the host's run).
    lines += ["", "## zlib", "", "{{#include benchmarks-zlib.md}}"]
    lines += ["", "{{#include benchmarks-notes.md}}", ""]
    return "\n".join(lines)


LAYER_NAMES = ["C", "C shortcuts", "raw cpython-sys", "safe layer", "pyo3-ffi", "PyO3"]


def render_layers(data):
    """The same functions in every layer: instructions (callgrind) and
    times (the first run, the host's)."""
    run = data["runs"][0]
    rows = [r for r in run["rows"] if r["group"] == "layers"]
    if not rows:
        return []
    lines = [
        "",
        "## The same functions in every layer",
        "",
        "A no-op taking one argument, `bisect_left` with its keywords and `heappush`,",
        "each written in C, in raw `cpython-sys`, with the safe layer, with raw",
        "pyo3-ffi and with PyO3 (`bench/layers/`, the raw ones in",
        "`checks/callcost/src/raw_ports.rs`). Every version of `bisect_left` and",
        "`heappush` but the interpreter's own C takes the same shortcuts (a plain",
        "list read directly, exact ints compared by value), so what differs is the",
        "layer. Instructions per call come from callgrind, which does not depend on",
        "the machine's load; a dash is a version not written (the interpreter's C",
        "has no no-op).",
        "",
    ]
    counted = data.get("layers_instructions")
    if counted:
        lines += [
            "<!-- ANCH" + "OR: layers_instructions -->",
            "| Instructions per call | " + " | ".join(LAYER_NAMES) + " |",
            "|---|" + "---:|" * len(LAYER_NAMES),
        ]
        for r in counted["rows"]:
            cells = [f"{r['counts'][n]:.0f}" if n in r["counts"] else "–" for n in LAYER_NAMES]
            lines.append(f"| `{r['name']}` | " + " | ".join(cells) + " |")
        lines += [
            "",
            f"Counted on {counted['python']} ({counted['command']}).",
            "<!-- ANCH" + "OR_END: layers_instructions -->",
            "",
        ]
    lines += [
        f"| Time per call, {title(run)} | " + " | ".join(LAYER_NAMES) + " |",
        "|---|" + "---:|" * len(LAYER_NAMES),
    ]
    for r in rows:
        cells = [fmt_time(r["sides"][n]["median"]) if n in r["sides"] else "–" for n in LAYER_NAMES]
        lines.append(f"| `{r['workload']}` | " + " | ".join(cells) + " |")
    lines += [
        "",
        "| Time ratio to the first column | " + " | ".join(LAYER_NAMES[1:]) + " |",
        "|---|" + "---:|" * (len(LAYER_NAMES) - 1),
    ]
    for r in rows:
        cells = [fmt_ratio(r["ratios"][n]) if n in r["ratios"] else "–" for n in LAYER_NAMES[1:]]
        lines.append(f"| `{r['workload']}` | " + " | ".join(cells) + " |")
    return lines


def render_zeroing(data):
    """The encoder's instructions per call (callgrind), and how many of
    them are in `memset`: none for the port, which writes the new object's
    memory without zeroing it first."""
    counted = data.get("layers_instructions", {}).get("zeroing")
    if not counted:
        return []
    lines = [
        "",
        "## The encoder's output is not zeroed",
        "",
        "The port writes its output into the new object's memory without zeroing it",
        "first, as binascii's C does: `PyBytes::new_uninit` lends that memory as",
        "`MaybeUninit<u8>` and takes back, from the codec, a `&[u8]` of what it",
        "wrote. Counted with callgrind, once in all and once inside `memset` only:",
        "",
        "| Instructions per call (callgrind) | C | C shortcuts | Rust | of which in `memset` |",
        "|---|---:|---:|---:|---:|",
    ]
    for r in counted:
        t = r["total"]
        lines.append(
            f"| `{r['name']}` | {t['C']:.0f} | {t['C shortcuts']:.0f} | {t['Rust']:.0f} | {r['memset']['Rust']:.0f} |"
        )
    return lines


INK, PANEL, BAND = "#1f2430", "#f8f9fa", "#e6e9ee"
# One colour per run, dark enough for text on the panel and on a band
# (at least 4.5:1), since the narrow plot prints each run's ratio in it.
RUN_COLORS = ["#1558b0", "#8a4b00", "#1b6b30"]
TICKS = (0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 4)
# The marks of a row, drawn in this order (the dot over the square):
# the ratio's key, and its mark.
MARKS = (("short_c", "square"), ("rust_c", "dot"))


def log_x(left, plot_w, ticks=TICKS):
    """The x of a ratio on the plot's logarithmic axis, from the first tick
    to the last (0.02 to 4)."""
    lo, hi = math.log10(ticks[0]), math.log10(ticks[-1])

    def x(v):
        v = min(max(v, ticks[0]), ticks[-1])
        return left + (math.log10(v) - lo) / (hi - lo) * plot_w

    return x


def run_color(k):
    return RUN_COLORS[k % len(RUN_COLORS)]


def svg_open(width, height, where, comment):
    """The plot's first lines: its size, title, description and panel."""
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'font-family="Helvetica, Arial, sans-serif" font-size="14">',
        "  <title>Rust time and C-with-shortcuts time over C time, per workload</title>",
        "  <desc>For each workload and interpreter, a dot at the Rust/C time ratio and a hollow square at the "
        "C-shortcuts/C ratio, on a logarithmic scale, each with a line across its 95% interval; left of the "
        f"1.00 line the variant is faster than the interpreter's C. {where}</desc>",
        *comment,
        f'  <rect x="0" y="0" width="{width}" height="{height}" rx="8" fill="{PANEL}" stroke="#5b6170"/>',
    ]


def grid_style(tick):
    """The stroke of a tick's grid line: the 1.00 and 0.50 targets stand out."""
    strong = tick in (0.5, 1)
    stroke = "#5b6170" if strong else "#b8bec8"
    dash = ' stroke-dasharray="5 4"' if tick == 0.5 else ""
    return f'stroke="{stroke}" stroke-width="{2 if strong else 1}"{dash}'


def mark(kind, cx, cy, color):
    """A dot (Rust / C) or a hollow square (C shortcuts / C)."""
    if kind == "dot":
        return f'  <circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="{color}"/>'
    return (
        f'  <rect x="{cx - 4:.1f}" y="{cy - 4:.1f}" width="8" height="8" fill="{PANEL}" '
        f'stroke="{color}" stroke-width="2"/>'
    )


def lane(row, x, cy, color):
    """A row's marks on one interpreter: each ratio's interval as a line,
    its median as a mark."""
    out = []
    for key, kind in MARKS:
        m, a, b = row["ratios"][key]
        out.append(f'  <line x1="{x(a):.1f}" y1="{cy:.1f}" x2="{x(b):.1f}" y2="{cy:.1f}" stroke="{color}" stroke-width="2"/>')
        out.append(mark(kind, x(m), cy, color))
    return out


def port_names(runs):
    return [r["workload"] for r in runs[0]["rows"] if r["group"] == "ports"]


def row_of(run, name):
    return next((r for r in run["rows"] if r["workload"] == name), None)


def tick_labels(x, y, size=None, ends=False, ticks=TICKS):
    """The ticks' values on a line at y; with ends, the first and the last
    kept inside the panel."""
    out = []
    font = f' font-size="{size}"' if size else ""
    for tick in ticks:
        anchor = "middle"
        if ends:
            anchor = "start" if tick == ticks[0] else "end" if tick == ticks[-1] else "middle"
        out.append(f'  <text x="{x(tick):.1f}" y="{y}" text-anchor="{anchor}" fill="{INK}"{font}>{tick:g}</text>')
    return out


def render_svg(data):
    runs = data["runs"]
    names = port_names(runs)
    left, right, top, row_h = 270, 20, 110, 26
    width = 860
    plot_w = width - left - right
    x = log_x(left, plot_w)
    bottom = top + row_h * len(names)
    height = bottom + 64
    out = svg_open(
        width,
        height,
        "The tables of the page hold the same numbers.",
        ["  <!-- Its own light panel, so that it reads on light and dark pages. -->"],
    )
    lx = 20
    for k, run in enumerate(runs):
        c = run_color(k)
        out.append(mark("dot", lx + 6, 22 + 24 * k, c))
        out.append(mark("square", lx + 32, 22 + 24 * k, c))
        out.append(
            f'  <text x="{lx + 48}" y="{27 + 24 * k}" fill="{INK}">{title(run)}: Rust / C (dot), '
            "C shortcuts / C (square)</text>"
        )
    for i in range(0, len(names), 2):
        out.append(f'  <rect x="4" y="{top + row_h * i}" width="{width - 8}" height="{row_h}" fill="{BAND}"/>')
    for tick in TICKS:
        tx = x(tick)
        out.append(f'  <line x1="{tx:.1f}" y1="{top - 8}" x2="{tx:.1f}" y2="{bottom + 8}" {grid_style(tick)}/>')
    # The scale above the rows and again below them: the plot is taller
    # than a screen.
    out += tick_labels(x, top - 14)
    out += tick_labels(x, bottom + 24)
    out.append(
        f'  <text x="{left + plot_w / 2:.0f}" y="{height - 14}" text-anchor="middle" fill="{INK}">'
        "time / the interpreter's C time (log scale; 1 = as fast, 0.5 = base64 target)</text>"
    )
    for i, name in enumerate(names):
        y0 = top + row_h * i
        out.append(f'  <text x="{left - 10}" y="{y0 + row_h / 2 + 5:.1f}" text-anchor="end" fill="{INK}">{name}</text>')
        for k, run in enumerate(runs):
            row = row_of(run, name)
            if row is not None:
                out += lane(row, x, y0 + row_h * (k + 1) / (len(runs) + 1), run_color(k))
    out.append("</svg>")
    return "\n".join(out) + "\n"


# The narrow plot repeats its scale every this many rows, so that one is on
# a phone's screen wherever the reader is.
NARROW_BLOCK = 12


def render_svg_narrow(data):
    """The plot for a phone: each workload's name and its Rust/C ratios
    (one per interpreter, in the interpreter's colour) on a line of their
    own, one track per interpreter below them, across the whole width; the
    scale before every NARROW_BLOCK rows."""
    runs = data["runs"]
    names = port_names(runs)
    width, left, right = 360, 16, 16
    lane_h, name_h = 12, 20
    row_h = name_h + lane_h * len(runs) + 4
    scale_h = 34
    x = log_x(left, width - left - right)
    head = 78 + 22 * len(runs)
    blocks = [names[i : i + NARROW_BLOCK] for i in range(0, len(names), NARROW_BLOCK)]
    height = head + sum(scale_h + row_h * len(b) for b in blocks) + 50
    out = svg_open(
        width,
        height,
        "The Rust/C ratios are also printed after the workload's name.",
        [
            "  <!-- The narrow version of benchmarks.svg, for a phone. Its own light panel, so that it reads on",
            "       light and dark pages. -->",
        ],
    )
    # The legend: the interpreters' colours, then what the marks are.
    for k, run in enumerate(runs):
        c = run_color(k)
        out.append(mark("dot", left + 5, 22 + 22 * k, c))
        out.append(mark("square", left + 21, 22 + 22 * k, c))
        out.append(f'  <text x="{left + 34}" y="{27 + 22 * k}" fill="{c}">{title(run)}</text>')
    y = 22 + 22 * len(runs)
    out.append(mark("dot", left + 5, y, INK))
    out.append(f'  <text x="{left + 16}" y="{y + 5}" fill="{INK}">Rust / C</text>')
    out.append(mark("square", left + 120, y, INK))
    out.append(f'  <text x="{left + 131}" y="{y + 5}" fill="{INK}">C shortcuts / C</text>')
    out.append(f'  <text x="{left}" y="{y + 34}" fill="{INK}" font-weight="bold">time / C time, log scale</text>')
    y = head
    for block in blocks:
        out += tick_labels(x, y + scale_h - 12, size=13, ends=True)
        y += scale_h
        # The row bands first, so that the grid and the target lines are
        # drawn over them; the lines run through the tracks only, never
        # through a name.
        for i in range(0, len(block), 2):
            out.append(f'  <rect x="4" y="{y + row_h * i}" width="{width - 8}" height="{row_h}" fill="{BAND}"/>')
        for tick in TICKS:
            tx = x(tick)
            segments = [(y - 8, y)] + [(y + row_h * i + name_h, y + row_h * (i + 1)) for i in range(len(block))]
            path = " ".join(f"M{tx:.1f},{a}V{b}" for a, b in segments)
            out.append(f'  <path d="{path}" {grid_style(tick)} fill="none"/>')
        for i, name in enumerate(block):
            y0 = y + row_h * i
            out.append(f'  <text x="{left}" y="{y0 + 16}" fill="{INK}">{name}</text>')
            for k, run in enumerate(runs):
                row = row_of(run, name)
                if row is None:
                    continue
                c = run_color(k)
                # The ratios right-aligned, the last interpreter's at the edge.
                rx = width - right - 42 * (len(runs) - 1 - k)
                out.append(f'  <text x="{rx}" y="{y0 + 16}" text-anchor="end" fill="{c}">{ratio(row):.2f}</text>')
                out += lane(row, x, y0 + name_h + lane_h * k + lane_h / 2, c)
        y += row_h * len(block)
    out.append(f'  <text x="{left}" y="{height - 30}" fill="{INK}" font-size="13">1 = as fast as C (solid line);</text>')
    out.append(f'  <text x="{left}" y="{height - 12}" fill="{INK}" font-size="13">0.5 = the base64 target (dashed line)</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def paths(book):
    book = Path(book)
    images = book / "images"
    return (
        book / "benchmarks.json",
        book / "benchmarks.md",
        images / "benchmarks.svg",
        images / "benchmarks-narrow.svg",
    )


def render(book):
    data_path, page, plot, narrow = paths(book)
    data = json.loads(data_path.read_text())
    return {page: render_markdown(data), plot: render_svg(data), narrow: render_svg_narrow(data)}


def main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("command", choices=["summarize", "render", "check"])
    parser.add_argument("runs", nargs="*")
    parser.add_argument("--machine")
    parser.add_argument("--layers-instructions")
    parser.add_argument("--book", required=True)
    args = parser.parse_args(argv)
    data_path = paths(args.book)[0]
    if args.command == "summarize":
        data = summarize(args.runs, args.machine, args.layers_instructions)
        data_path.write_text(json.dumps(data, indent=1) + "\n")
        print(f"wrote {data_path}")
    if args.command in ("summarize", "render"):
        for path, text in render(args.book).items():
            path.write_text(text)
            print(f"wrote {path}")
        return 0
    if not data_path.is_file():
        print(f"{data_path} is missing: run `cargo xtask bench`")
        return 1
    stale = [str(p) for p, text in render(args.book).items() if not p.is_file() or p.read_text() != text]
    for path in stale:
        print(f"{path} differs from what {data_path} gives: run `python {Path(__file__).name} render`")
    if not stale:
        data = json.loads(data_path.read_text())
        count = sum(len(r["rows"]) for r in data["runs"])
        print(f"the benchmark page agrees with {data_path} ({count} rows in {len(data['runs'])} runs)")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
