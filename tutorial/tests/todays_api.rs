//! Today's C API in the safe layer, on every interpreter: `PyUnicodeWriter`
//! (3.14's C writer, or a list joined at the end before it) and
//! `getattr_opt` (3.13's `PyObject_GetOptionalAttr`, or `PyObject_GetAttr`
//! with the `AttributeError` cleared before it).

use tutorial::prelude::*;
use tutorial_embed::attach;

#[test]
fn the_writer_keeps_every_character() {
    attach(&[], |py| -> PyResult<()> {
        let chr = py.import("builtins")?.getattr("chr")?;
        let surrogate = chr.call(&[0xDC80_i64.into_pyobject(py)?.as_any()])?;
        let list = PyList::new(py, &[surrogate.as_any(), py.None().as_any()])?;
        let mut w = PyUnicodeWriter::new(py)?;
        w.write_str("é ")?;
        w.write(&surrogate)?;
        w.write_str(" ")?;
        w.write_repr(&list)?;
        let s = w.finish()?;
        // The surrogate cannot be UTF-8, so compare through repr().
        assert_eq!(s.repr()?.to_str()?, r#""é \udc80 ['\\udc80', None]""#);
        assert_eq!(s.len()?, 20);
        Ok(())
    })
    .unwrap_or_else(|_| panic!("a Python error"));
}

#[test]
fn an_error_from_str_comes_back_and_a_dropped_writer_is_discarded() {
    attach(&[], |py| -> PyResult<()> {
        let mut w = PyUnicodeWriter::new(py)?;
        w.write_str("partial")?;
        // str() of an int with 100,001 digits raises ValueError (the
        // interpreter's limit on int-to-str conversions, 4,300 digits).
        let big = py.import("builtins")?.getattr("pow")?.call(&[
            10_i64.into_pyobject(py)?.as_any(),
            100_000_i64.into_pyobject(py)?.as_any(),
        ])?;
        let err = w.write(&big).unwrap_err().take(py);
        assert_eq!(err.get_type().name()?, "ValueError");
        // Dropped unfinished: discarded, no exception left behind.
        drop(w);
        assert!(!PyErr::occurred(py));
        Ok(())
    })
    .unwrap_or_else(|_| panic!("a Python error"));
}

#[test]
fn getattr_opt_says_none_only_for_a_missing_attribute() {
    attach(&[], |py| -> PyResult<()> {
        let globals = PyDict::new(py)?;
        let code = PyStr::new(
            py,
            "class C:\n    x = 1\n    @property\n    def bad(self): raise ValueError('bad')\n\
             \n    @property\n    def gone(self): raise AttributeError('gone')\nobj = C()\n",
        )?;
        py.import("builtins")?.getattr("exec")?.call(&[code.as_any(), globals.as_any()])?;
        let obj = globals.get_item("obj")?.expect("obj");
        assert_eq!(obj.getattr_opt("x")?.expect("x").extract::<i64>()?, 1);
        assert!(obj.getattr_opt("missing")?.is_none());
        // A property's own AttributeError means "no attribute", as in C.
        assert!(obj.getattr_opt("gone")?.is_none());
        assert!(!PyErr::occurred(py), "nothing left set");
        let err = obj.getattr_opt("bad").unwrap_err().take(py);
        assert_eq!(err.get_type().name()?, "ValueError");
        Ok(())
    })
    .unwrap_or_else(|_| panic!("a Python error"));
}
