//! `cargo xtask bench`: benchmarks the Rust ports against the C modules and
//! regenerates the book's benchmark page.
//!
//! On each interpreter (the host's, then Debian unstable's 3.15 in the root
//! `provision` makes, entered as the matrix enters it), the extension is
//! built in release mode (a debug build says nothing about speed) and
//! installed under each module name, the C variants with the ports'
//! shortcuts (`bench/c/`) are compiled, and `bench/bench_ports.py` times
//! every workload with the C, the C-with-shortcuts and the Rust function
//! taking turns (its docstring says how). On the host it also builds the
//! same functions in every layer (`bench/layers/`, PyO3 and pyo3-ffi;
//! `tutorial-callcost`, raw `cpython-sys` and the safe layer), times them
//! with the rest and counts their instructions with callgrind
//! (`bench/layers.py`), and times the zlib port against the C zlib
//! (`bench/bench_zlib.py`, which writes `src/benchmarks-zlib.md` and its
//! plots). `bench/bench_page.py` then writes
//! `src/benchmarks.json`, `src/benchmarks.md`, `src/images/benchmarks.svg`
//! and its narrow version for a phone (`src/images/benchmarks-narrow.svg`)
//! from the runs and a description of this machine.
//!
//! `bench` takes no arguments; four variables change what it does:
//! `XTASK_BENCH_HOST_ONLY=1` leaves out the run in the Debian root (which
//! needs root), `XTASK_BENCH_NO_ZLIB=1` leaves out the zlib run (17
//! minutes; its section of the page is kept as it is), `XTASK_BENCH_QUICK=1`
//! runs 2 worker processes of 2 rounds (to try the command, not to
//! publish), and [`INNER`] is how the host's run asks for the run inside
//! the root.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::callgrind;
use crate::extension::CHECKS;
use crate::provision::{self, SidRoot};
use crate::runner::Ctx;
use crate::{matrix, modules, process, tools};

/// The number of worker processes and of rounds per worker. On a 2-core VM
/// shared with other work, pyperf's `--fast` mode (10 processes of 2
/// values per benchmark, one benchmark after the other) does not help:
/// what made its results unfair was that C's values and Rust's were taken
/// minutes apart, under different loads, not that there were too few of
/// them. Taking turns does; the rounds then give each ratio its interval.
const PROCESSES: (u32, u32) = (10, 5);

/// [`PROCESSES`] for `XTASK_BENCH_QUICK`.
const QUICK: (u32, u32) = (2, 2);

/// Set (to the path of the run's file) for the run inside the Debian root.
const INNER: &str = "XTASK_BENCH_INNER";

/// The minor version of the Debian interpreter the second run uses.
const SID_MINOR: u32 = 15;

/// The command that builds what is measured, as the page reports it.
const BUILD: &str = "cargo build --release -p tutorial-ext";

/// Runs the benchmarks and rewrites the page.
///
/// # Errors
///
/// A message if a tool is missing, a build or a benchmark fails, or the
/// page cannot be written.
pub fn run(root: &Path) -> Result<(), String> {
    tools::ensure(tools::Purpose::Test)?;
    let ctx = Ctx::new(root);
    if let Some(path) = std::env::var_os(INNER) {
        return measure(&ctx, Path::new(&path), "in a Debian unstable root", false);
    }
    let out = ctx.target_dir().join("bench");
    let host = out.join("run-host.json");
    measure(&ctx, &host, "on the host", true)?;
    let mut runs = vec![host];
    if std::env::var_os("XTASK_BENCH_HOST_ONLY").is_none() {
        runs.push(on_sid(&ctx)?);
    }
    let machine = out.join("machine.json");
    std::fs::write(&machine, describe_machine())
        .map_err(|e| format!("cannot write {}: {e}", machine.display()))?;
    process::run(
        Command::new(&ctx_python(&ctx)?)
            .arg(root.join("bench/bench_page.py"))
            .arg("summarize")
            .args(&runs)
            .arg("--machine")
            .arg(&machine)
            .arg("--layers-instructions")
            .arg(out.join("layers-instructions.json"))
            .arg("--book")
            .arg(root.join("src"))
            .current_dir(root),
    )
}

/// The host's interpreter, as its executable's path.
fn ctx_python(ctx: &Ctx) -> Result<PathBuf, String> {
    cpython_build_config::probe(&ctx.python)
        .map(|interp| interp.executable)
        .map_err(|problem| format!("the interpreter: {problem}"))
}

/// One interpreter's run (`$PYTHON`, else `python3`), written to `run`;
/// with `layers`, the bindings comparison too.
fn measure(ctx: &Ctx, run: &Path, place: &str, layers: bool) -> Result<(), String> {
    let root = &ctx.root;
    let interp = cpython_build_config::probe(&ctx.python)
        .map_err(|problem| format!("the interpreter: {problem}"))?;
    let mut build = process::cargo();
    build.args(BUILD.split(' ').skip(1));
    if layers {
        build.args(["-p", "tutorial-callcost"]);
    }
    process::run(build.current_dir(root))?;
    let out = ctx.target_dir().join("bench");
    let release = ctx.target_dir().join("release");
    let rust_dir = out.join("rust");
    modules::install(
        &release.join("libtutorial_ext.so"),
        &rust_dir,
        &interp.ext_suffix,
        &modules::exported(root)?,
    )?;
    let c_dir = out.join("c-shortcuts");
    callgrind::compile_variants(&interp, root, &c_dir)?;
    let layers_dir = out.join("layers");
    if layers {
        build_layers(ctx, &interp, &release, &layers_dir)?;
    }
    let (processes, values) = if std::env::var_os("XTASK_BENCH_QUICK").is_some() {
        QUICK
    } else {
        PROCESSES
    };
    if let Some(dir) = run.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let bench = root.join("bench");
    let mut cmd = Command::new(&interp.executable);
    cmd.arg(bench.join("bench_ports.py"))
        .arg("--rust-dir")
        .arg(&rust_dir)
        .arg("--c-dir")
        .arg(&c_dir)
        .args(["--processes", &processes.to_string()])
        .args(["--values", &values.to_string()])
        .args(["--where", place])
        .arg("-o")
        .arg(run)
        // For `ports.py`; the modules are loaded by path, not imported.
        .env("PYTHONPATH", root.join(CHECKS))
        .current_dir(root);
    if layers {
        cmd.arg("--layers-dir").arg(&layers_dir);
    }
    process::run(&mut cmd)?;
    if !layers {
        return Ok(());
    }
    // The zlib port: its own workloads against the interpreter's C zlib,
    // on the host; its section of the page is written from this run.
    let zlib_too = std::env::var_os("XTASK_BENCH_NO_ZLIB").is_none();
    let mut zlib = Command::new(&interp.executable);
    zlib.arg(bench.join("bench_zlib.py"))
        .arg("--rust-dir")
        .arg(&rust_dir)
        .arg("--page")
        .arg(root.join("src"))
        .arg("-o")
        .arg(out.join("run-zlib.json"))
        .env("PYTHONPATH", root.join(CHECKS))
        .current_dir(root);
    // Three workers of two rounds: at 64 MiB one call of C's compress at
    // level 9 takes 15 s, and a round of every workload about 100 s.
    if std::env::var_os("XTASK_BENCH_QUICK").is_some() {
        zlib.args(["--processes", "2", "--values", "2", "--max-size", "1048576"]);
    } else {
        zlib.args(["--processes", "3", "--values", "2"]);
    }
    if zlib_too {
        process::run(&mut zlib)?;
    }
    process::run(
        Command::new(&interp.executable)
            .arg(bench.join("layers.py"))
            .arg("--layers-dir")
            .arg(&layers_dir)
            .arg("--rust-dir")
            .arg(&rust_dir)
            .arg("--c-dir")
            .arg(&c_dir)
            .arg("--json")
            .arg(out.join("layers-instructions.json"))
            .env("PYTHONPATH", root.join(CHECKS))
            .current_dir(&bench),
    )
}

/// The modules of the bindings comparison, in `dir`: the C no-op
/// (`checks/callcost/callcost_c.c`), raw `cpython-sys` and the safe layer
/// (`tutorial-callcost`, built with the extension), and PyO3 and pyo3-ffi
/// (`bench/layers`, a package of its own with its own target folder, so
/// that PyO3 never enters the workspace's build).
fn build_layers(
    ctx: &Ctx,
    interp: &cpython_build_config::Interpreter,
    release: &Path,
    dir: &Path,
) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    let module = |name: &str| dir.join(format!("{name}{}", interp.ext_suffix));
    callgrind::compile(
        interp,
        &ctx.root.join("checks/callcost/callcost_c.c"),
        &module("_callcost_c"),
    )?;
    copy(&release.join("libcallcost.so"), &module("_callcost_rs"))?;
    let target = ctx.target_dir().join("bench-layers");
    process::run(
        process::cargo()
            .args(["build", "--release", "--manifest-path"])
            .arg(ctx.root.join("bench/layers/Cargo.toml"))
            .env("CARGO_TARGET_DIR", &target)
            .env("PYO3_PYTHON", &interp.executable)
            // An extension module: resolve the C API from the process,
            // do not link libpython.
            .env("PYO3_BUILD_EXTENSION_MODULE", "1")
            .current_dir(&ctx.root),
    )?;
    let lib = target.join("release/liblayers_pyo3.so");
    copy(&lib, &module("_layers_pyo3"))?;
    copy(&lib, &module("_layers_ffi"))
}

/// Copies `from` to `to`.
fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to).map(drop).map_err(|e| {
        format!("cannot copy {} to {}: {e}", from.display(), to.display())
    })
}

/// The run on Debian unstable's 3.[`SID_MINOR`]: `cargo xtask bench` again
/// inside the root, with [`INNER`] set, as the matrix runs `cargo xtask
/// test` there (the same root, mounts and environment; its own target
/// folder). Returns the path of the run's file.
fn on_sid(ctx: &Ctx) -> Result<PathBuf, String> {
    let root = SidRoot::ensure()?;
    let cargo = provision::cargo_home();
    let rustup = provision::rustup_home();
    let binds: Vec<&Path> = vec![&ctx.root, &cargo, &rustup];
    let _mounts = root.mount(&binds)?;
    let python = format!("python3.{SID_MINOR}");
    let target = ctx.target_dir().join(&python);
    let tmp = target.join("tmp");
    std::fs::create_dir_all(&tmp)
        .map_err(|e| format!("cannot create {}: {e}", tmp.display()))?;
    let run = target.join("bench/run.json");
    let mut cmd = root.command("sh");
    cmd.args(["-c", "cd \"$0\" && exec cargo xtask bench"])
        .arg(&ctx.root)
        .env("PYTHON", &python)
        .env("CARGO_TARGET_DIR", &target)
        .env("TMPDIR", &tmp)
        .env(matrix::PROVISIONED, "1")
        .env(INNER, &run);
    if let Some(quick) = std::env::var_os("XTASK_BENCH_QUICK") {
        cmd.env("XTASK_BENCH_QUICK", quick);
    }
    process::run(&mut cmd)?;
    Ok(run)
}

/// What the page says about the machine, as a JSON object.
fn describe_machine() -> String {
    let cpuinfo = std::fs::read_to_string("/proc/cpuinfo").unwrap_or_default();
    let field = |name: &str| {
        cpuinfo
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_once(':'))
            .map(|(_, v)| v.trim().to_owned())
            .unwrap_or_else(|| "?".to_owned())
    };
    let cores = cpuinfo.lines().filter(|l| l.starts_with("processor")).count();
    let virtual_machine =
        field("flags").split_whitespace().any(|f| f == "hypervisor");
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines().find(|l| l.starts_with("MemTotal:")).map(str::to_owned)
        })
        .and_then(|l| {
            l.split_whitespace().nth(1).and_then(|kib| kib.parse::<f64>().ok())
        })
        .map_or_else(
            || "?".to_owned(),
            |kib| format!("{:.0} GiB", kib / 1024.0 / 1024.0),
        );
    let first_line = |program: &str, arg: &str| {
        Command::new(program)
            .arg(arg)
            .output()
            .ok()
            .and_then(|o| {
                String::from_utf8_lossy(&o.stdout).lines().next().map(str::to_owned)
            })
            .unwrap_or_else(|| "?".to_owned())
    };
    let platform =
        format!("{} {}", first_line("uname", "-s"), first_line("uname", "-r"));
    let date = first_line("date", "+%F %R UTC");
    let fields = [
        ("cpu_model", json_string(&field("model name"))),
        ("cpu_count", cores.to_string()),
        ("virtual", virtual_machine.to_string()),
        ("memory", json_string(&memory)),
        ("platform", json_string(&platform)),
        ("rustc", json_string(&first_line("rustc", "-V"))),
        ("build", json_string(BUILD)),
        ("cc", json_string(&first_line(&callgrind::cc(), "--version"))),
        ("cflags", json_string(&callgrind::CFLAGS.join(" "))),
        ("date", json_string(&date)),
    ];
    let body: Vec<String> =
        fields.iter().map(|(k, v)| format!("  \"{k}\": {v}")).collect();
    format!("{{\n{}\n}}\n", body.join(",\n"))
}

/// `s` as a JSON string literal.
fn json_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped() {
        assert_eq!(json_string(r#"a "b" \ c"#), r#""a \"b\" \\ c""#);
        assert_eq!(json_string("tab\t"), r#""tab\u0009""#);
    }

    #[test]
    fn the_machine_description_is_a_json_object_with_the_cpu() {
        let text = describe_machine();
        assert!(text.starts_with("{\n") && text.ends_with("}\n"), "{text}");
        assert!(text.contains("\"cpu_model\": "), "{text}");
        assert!(
            text.contains("\"build\": \"cargo build --release -p tutorial-ext\""),
            "{text}"
        );
        assert!(text.contains("\"cflags\": \"-O3 -shared"), "{text}");
    }
}
