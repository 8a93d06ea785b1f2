//! The one list of the book's modules, and installing the extension under
//! each module's name.
//!
//! The list is the files: one module per `examples/src/NAMEmodule.rs`. The
//! extension's build script (`examples/ext/build.rs`) exports the same
//! names, the wheel (`examples/setup.py`) installs the same names, and every
//! harness gets them from here, as arguments or as the files of a folder
//! that [`install`] filled.

use std::path::Path;

/// The book's modules: one per `examples/src/NAMEmodule.rs`, sorted.
///
/// # Errors
///
/// A message if the folder cannot be read or holds no module.
pub fn exported(root: &Path) -> Result<Vec<String>, String> {
    let src = root.join("examples/src");
    let entries = std::fs::read_dir(&src)
        .map_err(|e| format!("cannot read {}: {e}", src.display()))?;
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter_map(|file| file.strip_suffix("module.rs").map(str::to_owned))
        .collect();
    names.sort();
    if names.is_empty() {
        return Err(format!("{} holds no NAMEmodule.rs file", src.display()));
    }
    Ok(names)
}

/// Copies the built library `lib` to `dir/NAME{ext_suffix}` for each of
/// `names`: the file name `import NAME` looks for. One library exports
/// every module's `PyInit_NAME`; the import system calls the one of the
/// file's name.
///
/// # Errors
///
/// A message if the build made no `lib` or a copy fails.
pub fn install(
    lib: &Path,
    dir: &Path,
    ext_suffix: &str,
    names: &[String],
) -> Result<(), String> {
    if !lib.is_file() {
        return Err(format!("the build made no {}", lib.display()));
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    for name in names {
        let dest = dir.join(format!("{name}{ext_suffix}"));
        std::fs::copy(lib, &dest).map_err(|e| {
            format!("cannot copy {} to {}: {e}", lib.display(), dest.display())
        })?;
    }
    println!(
        "copied {} to {} as: {}",
        lib.display(),
        dir.display(),
        names.join(", ")
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_the_module_files() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask is in the repository");
        let names = exported(root).expect("examples/src holds modules");
        for name in ["spam", "_bisect", "_heapq", "_base64"] {
            assert!(names.iter().any(|n| n == name), "{name} is not in {names:?}");
        }
        assert!(names.windows(2).all(|w| w[0] < w[1]), "{names:?} is not sorted");
    }

    #[test]
    fn install_copies_one_file_per_name() {
        let dir = crate::process::TempDir::new("modules")
            .expect("the temp folder is writable");
        let lib = dir.path().join("libx.so");
        std::fs::write(&lib, b"lib").expect("writable");
        let names = ["a".to_owned(), "b".to_owned()];
        install(&lib, &dir.path().join("out"), ".so", &names).expect("installed");
        for name in ["a.so", "b.so"] {
            assert!(dir.path().join("out").join(name).is_file(), "{name}");
        }
        assert!(
            install(&dir.path().join("none.so"), dir.path(), ".so", &names)
                .is_err()
        );
    }
}
