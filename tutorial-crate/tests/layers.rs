//! The layering rule: modules use the safe layer only, never the bindings.

use std::path::Path;

#[test]
fn modules_never_name_the_raw_bindings() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/modules");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).expect("src/modules exists") {
        let path = entry.expect("a directory entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let text = std::fs::read_to_string(&path).expect("UTF-8 source");
            for (i, line) in text.lines().enumerate() {
                let code = line.split("//").next().unwrap_or("");
                assert!(
                    !code.contains("ffi::") && !code.contains("cpython_sys") && !code.contains("unsafe"),
                    "{}:{}: a module uses the raw bindings or unsafe code: {line}",
                    path.display(),
                    i + 1
                );
            }
            checked += 1;
        }
    }
    assert!(checked >= 2, "found only {checked} module files in {}", dir.display());
}
