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
//!   name (the C modules are the interpreter's own);
//! - the C variants of the ports with the ports' shortcuts (`bench/c/`,
//!   [`C_VARIANTS`]), compiled as the no-ops are: the table's "C shortcuts"
//!   column, what the C modules would cost with the same algorithm.
//!
//! The table of counts is written to `src/callcost-table.md`, which the
//! Arguments chapter includes (commit it when it changed, as with the
//! Tested on table).

use std::path::Path;
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
pub const CFLAGS: &[&str] = &["-O3", "-shared", "-fPIC", "-Wall", "-Werror"];

/// The C variants of the ports, each `bench/c/NAME.c` built as the
/// extension module `NAME`.
pub const C_VARIANTS: &[&str] =
    &["_bisect_shortcuts", "_heapq_shortcuts", "_base64_shortcuts"];

/// The C compiler: `$CC`, else `cc`.
pub fn cc() -> String {
    std::env::var("CC").unwrap_or_else(|_| "cc".to_owned())
}

/// Compiles the C extension module `source` to `module` with [`CFLAGS`],
/// against the headers of `interp`.
///
/// # Errors
///
/// A message if the compiler fails.
pub fn compile(
    interp: &cpython_build_config::Interpreter,
    source: &Path,
    module: &Path,
) -> Result<(), String> {
    let mut compile = Command::new(cc());
    compile.args(CFLAGS);
    for dir in &interp.include_dirs {
        compile.arg("-I").arg(dir);
    }
    process::run(compile.arg(source).arg("-o").arg(module))
}

/// Compiles the [`C_VARIANTS`] into `dir`, under their module names.
///
/// # Errors
///
/// A message if the folder cannot be made or the compiler fails.
pub fn compile_variants(
    interp: &cpython_build_config::Interpreter,
    root: &Path,
    dir: &Path,
) -> Result<(), String> {
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for name in C_VARIANTS {
        compile(
            interp,
            &root.join(format!("bench/c/{name}.c")),
            &dir.join(format!("{name}{}", interp.ext_suffix)),
        )?;
    }
    Ok(())
}

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
    compile(&interp, &root.join(C_SOURCE), &c_module)?;
    let variants = out.join("c-shortcuts");
    compile_variants(&interp, &root, &variants)?;
    process::run(
        Command::new(&interp.executable)
            .arg(root.join(CHECKS).join("callcost.py"))
            .arg("--c-module")
            .arg(&c_module)
            .arg("--rs-module")
            .arg(&rs_module)
            .arg("--rust-dir")
            .arg(&rust_dir)
            .arg("--c-shortcuts-dir")
            .arg(&variants)
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

    #[test]
    fn the_c_sources_and_the_harness_exist() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        assert!(root.join(C_SOURCE).is_file());
        assert!(root.join(CHECKS).join("callcost.py").is_file());
        for name in C_VARIANTS {
            let source = root.join(format!("bench/c/{name}.c"));
            let text = std::fs::read_to_string(&source).unwrap_or_default();
            // The init function the import system calls for the file name.
            assert!(
                text.contains(&format!("PyInit_{name}(")),
                "{}",
                source.display()
            );
        }
    }
}
