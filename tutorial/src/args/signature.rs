//! What a signature says: the counts Argument Clinic's `_PyArg_Parser` and
//! `_PyArg_UnpackKeywords` work from.

use crate::err::PyErr;
use crate::python::Python;

/// One piece of a signature, as the macro writes it.
#[derive(Clone, Copy, Debug)]
pub enum Item {
    /// A parameter, and whether it has a default.
    Param(&'static str, bool),
    /// `/`: the parameters before it are positional-only.
    Slash,
    /// `*`: the parameters after it are keyword-only.
    Star,
}

/// What Argument Clinic's `_PyArg_Parser` and the `minpos`, `maxpos` and
/// `minkw` arguments of `_PyArg_UnpackKeywords` say about a function.
#[derive(Debug)]
pub struct Signature {
    /// The function's name, for messages.
    pub name: &'static str,
    /// Every parameter's name, in order.
    pub params: &'static [Item],
    /// How many leading parameters are positional-only.
    pub posonly: usize,
    /// How many leading parameters are required.
    pub minpos: usize,
    /// How many leading parameters may be passed by position.
    pub maxpos: usize,
    /// How many keyword-only parameters (right after `maxpos`) are required.
    pub minkw: usize,
    /// How many parameters there are.
    pub len: usize,
}

impl Signature {
    /// Counts what the items say. Panics (at compile time, in a `const`)
    /// where Argument Clinic would refuse the signature.
    pub const fn new(name: &'static str, params: &'static [Item]) -> Signature {
        let (mut i, mut n) = (0, 0);
        let (mut posonly, mut maxpos, mut minpos, mut minkw) =
            (0, usize::MAX, 0, 0);
        let mut seen_default = false;
        while i < params.len() {
            match params[i] {
                Item::Slash => posonly = n,
                Item::Star => maxpos = n,
                Item::Param(_, has_default) => {
                    if maxpos == usize::MAX {
                        if has_default {
                            seen_default = true;
                        } else if seen_default {
                            panic!(
                                "a required positional parameter follows one with a default"
                            );
                        } else {
                            minpos += 1;
                        }
                    } else if !has_default {
                        minkw += 1;
                    }
                    n += 1;
                }
            }
            i += 1;
        }
        if maxpos == usize::MAX {
            maxpos = n;
        }
        Signature { name, params, posonly, minpos, maxpos, minkw, len: n }
    }

    /// The name of parameter `i` (markers not counted).
    // Inlined, with `index`: in a trampoline both are called with constants
    // (a static signature, a literal name), and the optimiser folds them to
    // the answer instead of comparing strings on every call.
    #[inline(always)]
    pub const fn param(&self, i: usize) -> &'static str {
        let (mut k, mut n) = (0, 0);
        while k < self.params.len() {
            if let Item::Param(name, _) = self.params[k] {
                if n == i {
                    return name;
                }
                n += 1;
            }
            k += 1;
        }
        ""
    }

    /// The position of the parameter called `name`.
    #[inline(always)]
    pub const fn index(&self, name: &str) -> usize {
        let mut i = 0;
        while i < self.len {
            if str_eq(self.param(i), name) {
                return i;
            }
            i += 1;
        }
        usize::MAX
    }

    pub(crate) fn type_error(&self, py: Python<'_>, msg: String) -> PyErr {
        crate::exceptions::TypeError::new_err(py, &msg)
    }
}

/// `a == b` for strings, in a `const fn`.
#[inline(always)]
const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
