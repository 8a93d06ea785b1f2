//! What the safe layer promises the compiler enforces, proven by programs
//! it must reject. The expected compiler messages are checked in next to
//! each program (`ui/*.stderr`); the book includes some of them.
//!
//! Regenerate after a deliberate change with `TRYBUILD=overwrite`.

#[test]
fn the_compiler_rejects_what_the_safe_layer_forbids() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
