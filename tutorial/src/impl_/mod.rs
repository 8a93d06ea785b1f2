//! Macro plumbing: what the `module!`, `meth_*!` and `class!` macros expand
//! to calls of. Not part of the API a module author uses; public only
//! because macro expansions in other crates must name it (as PyO3's
//! `pyo3::impl_`).

pub mod class;
pub mod module;
pub mod stack;
pub mod trampoline;
