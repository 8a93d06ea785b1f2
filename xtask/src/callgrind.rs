//! `cargo xtask test callgrind`: instructions per call, counted by
//! valgrind's callgrind, for the safe layer's trampolines and the ports,
//! against C on the same interpreter, each ratio checked against its bound.
//!
//! Counts of executed instructions do not depend on how busy the machine
//! is, so this is the performance check that can run with the tests; the
//! wall-clock benchmarks stay in `cargo xtask bench`. What is measured and
//! how is `checks/callcost.py`'s business; this step builds what it
//! measures, in release mode:
//!
//! - the C no-op functions, `checks/callcost/callcost_c.c`, compiled with
//!   the system C compiler against the target interpreter's headers;
//! - the same no-ops through the safe layer and raw `cpython-sys`, the
//!   crate `tutorial-callcost`;
//! - the ports, the extension `tutorial-ext`, installed under each module's
//!   name (the C modules are the interpreter's own).
//!
//! The table of counts is written to `src/callcost-table.md`, which the
//! Arguments chapter includes (commit it when it changed, as with the
//! Tested on table).

use std::process::Command;

use crate::extension::CHECKS;
use crate::runner::Ctx;
use crate::{modules, process};

/// The C baselines' source.
const C_SOURCE: &str = "checks/callcost/callcost_c.c";

/// The table the step writes for the book.
const TABLE: &str = "src/callcost-table.md";

/// The build of what is measured.
const BUILD: &[&str] =
    &["build", "--release", "-p", "tutorial-ext", "-p", "tutorial-callcost"];

/// The C compiler's options: those of an optimised extension module.
const CFLAGS: &[&str] = &["-O3", "-shared", "-fPIC", "-Wall", "-Werror"];

/// Builds the modules and runs `checks/callcost.py` under callgrind.
///
/// # Errors
///
/// A message if a build fails, valgrind is missing, or a ratio is out of
/// its bound (the script names each).
pub fn check(ctx: &mut Ctx) -> Result<(), String> {
    let interp = ctx.interp()?.clone();
    if process::which("valgrind").is_none() {
        return Err("valgrind is not installed (the tools step installs it)".into());
    }
    let root = ctx.root.clone();
    process::run(process::cargo().args(BUILD).current_dir(&root))?;
    let release = ctx.target_dir().join("release");
    let out = ctx.target_dir().join("callcost");
    let rust_dir = out.join("ports");
    modules::install(
        &release.join("libtutorial_ext.so"),
        &rust_dir,
        &interp.ext_suffix,
        &modules::exported(&root)?,
    )?;
    let rs_module = out.join(format!("_callcost_rs{}", interp.ext_suffix));
    std::fs::copy(release.join("libcallcost.so"), &rs_module)
        .map_err(|e| format!("cannot copy libcallcost.so: {e}"))?;
    let c_module = out.join(format!("_callcost_c{}", interp.ext_suffix));
    let cc = std::env::var("CC").unwrap_or_else(|_| "cc".to_owned());
    let mut compile = Command::new(cc);
    compile.args(CFLAGS);
    for dir in &interp.include_dirs {
        compile.arg("-I").arg(dir);
    }
    process::run(compile.arg(root.join(C_SOURCE)).arg("-o").arg(&c_module))?;
    process::run(
        Command::new(&interp.executable)
            .arg(root.join(CHECKS).join("callcost.py"))
            .arg("--c-module")
            .arg(&c_module)
            .arg("--rs-module")
            .arg(&rs_module)
            .arg("--rust-dir")
            .arg(&rust_dir)
            .arg("--json")
            .arg(out.join("callcost.json"))
            .arg("--table")
            .arg(root.join(TABLE))
            .current_dir(root.join(CHECKS)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_c_source_and_the_harness_exist() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        assert!(root.join(C_SOURCE).is_file());
        assert!(root.join(CHECKS).join("callcost.py").is_file());
    }
}
