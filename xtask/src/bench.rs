//! `cargo xtask bench`: benchmarks the Rust ports against the C modules and
//! regenerates the book's benchmark page.
//!
//! The extension is built in release mode (a debug build says nothing about
//! speed) and installed under each module name in `target/python-release`;
//! `bench/bench_ports.py` runs every workload with the C and
//! the Rust function in one pyperf run, and `bench_page.py` writes
//! `src/benchmarks.json`, `src/benchmarks.md` and `src/images/benchmarks.svg`
//! from the results and a description of this machine.

use std::path::Path;
use std::process::Command;

use crate::extension::CHECKS;
use crate::runner::Ctx;
use crate::{modules, process, tools, venv};

/// pyperf's options: `--fast` (6 worker processes) keeps the run near half
/// an hour on two cores; the page shows each mean with its deviation.
const PYPERF_OPTIONS: &[&str] = &["--fast"];

/// The command that builds what is measured, as the page reports it.
const BUILD: &str = "cargo build --release -p tutorial-ext";

/// Runs the benchmarks and rewrites the page.
///
/// # Errors
///
/// A message if a tool is missing, the build or a benchmark fails, or the
/// page cannot be written.
pub fn run(root: &Path) -> Result<(), String> {
    tools::ensure(tools::Purpose::Test)?;
    let ctx = Ctx::new(root);
    let interp = cpython_build_config::probe(&ctx.python)
        .map_err(|problem| format!("the interpreter: {problem}"))?;
    process::run(
        process::cargo().args(BUILD.split(' ').skip(1)).current_dir(root),
    )?;
    let modules = ctx.target_dir().join("python-release");
    let lib = ctx.target_dir().join("release/libtutorial_ext.so");
    modules::install(
        &lib,
        &modules,
        &interp.ext_suffix,
        &modules::exported(root)?,
    )?;
    let python =
        venv::ensure(&ctx.target_dir().join("venv"), &interp, &["pyperf"])?;

    let out = ctx.target_dir().join("bench");
    std::fs::create_dir_all(&out)
        .map_err(|e| format!("cannot create {}: {e}", out.display()))?;
    let machine = out.join("machine.json");
    let description = describe_machine(&interp.executable.display().to_string());
    std::fs::write(&machine, description)
        .map_err(|e| format!("cannot write {}: {e}", machine.display()))?;
    let results = out.join("results.json");
    // pyperf refuses to overwrite its output.
    let _ = std::fs::remove_file(&results);
    let bench = root.join("bench");
    process::run(
        Command::new(&python)
            .arg(bench.join("bench_ports.py"))
            .arg("--rust-dir")
            .arg(&modules)
            .args(PYPERF_OPTIONS)
            .arg("-o")
            .arg(&results)
            // For `ports.py`; the Rust modules are loaded by path, not imported.
            .env("PYTHONPATH", root.join(CHECKS))
            .current_dir(root),
    )?;
    process::run(
        Command::new(&python)
            .arg(bench.join("bench_page.py"))
            .arg("summarize")
            .arg(&results)
            .arg("--machine")
            .arg(&machine)
            .arg("--book")
            .arg(root.join("src"))
            .current_dir(root),
    )
}

/// What the page says about the machine, as a JSON object.
fn describe_machine(python_executable: &str) -> String {
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
    let rustc = Command::new("rustc")
        .arg("-V")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .unwrap_or_else(|| "?".to_owned());
    let fields = [
        ("cpu_model", json_string(&field("model name"))),
        ("cpu_count", cores.to_string()),
        ("virtual", virtual_machine.to_string()),
        ("memory", json_string(&memory)),
        ("rustc", json_string(&rustc)),
        ("build", json_string(BUILD)),
        ("python_executable", json_string(python_executable)),
        ("pyperf_options", json_string(&PYPERF_OPTIONS.join(" "))),
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
        let text = describe_machine("/usr/bin/python3");
        assert!(text.starts_with("{\n") && text.ends_with("}\n"), "{text}");
        assert!(text.contains("\"cpu_model\": "), "{text}");
        assert!(
            text.contains("\"build\": \"cargo build --release -p tutorial-ext\""),
            "{text}"
        );
    }
}
