//! Unit tests of the safe layer's features that the core chapters
//! introduce, from the Rust side: what each does to reference counts and to
//! the error indicator.

use tutorial::args::{Item, Signature};
use tutorial::prelude::*;
use tutorial_embed::attach;

#[test]
fn signatures_count_like_argument_clinic() {
    // bisect_left(a, x, lo=0, hi=None, *, key=None): Clinic passes 2, 4, 0.
    static BISECT: Signature = Signature::new(
        "bisect_left",
        &[
            Item::Param("a", false),
            Item::Param("x", false),
            Item::Param("lo", true),
            Item::Param("hi", true),
            Item::Star,
            Item::Param("key", true),
        ],
    );
    assert_eq!(
        (BISECT.minpos, BISECT.maxpos, BISECT.minkw, BISECT.posonly, BISECT.len),
        (2, 4, 0, 0, 5)
    );
    // f(a, /, b, *, c, d=1): one positional-only, one required keyword-only.
    static F: Signature = Signature::new(
        "f",
        &[
            Item::Param("a", false),
            Item::Slash,
            Item::Param("b", false),
            Item::Star,
            Item::Param("c", false),
            Item::Param("d", true),
        ],
    );
    assert_eq!((F.minpos, F.maxpos, F.minkw, F.posonly, F.len), (2, 2, 1, 1, 4));
    assert_eq!((F.param(2), F.index("d")), ("c", 3));
}

#[test]
fn set_item_takes_over_the_reference() {
    attach(&[], |py| -> PyResult<()> {
        let list = PyList::new(py, &[py.None().as_any()])?;
        let item = 1.5_f64.into_pyobject(py)?;
        let watcher = item.clone_ref();
        assert_eq!(watcher.refcnt(), 2);
        list.set_item(0, item)?;
        assert_eq!(watcher.refcnt(), 2, "stolen, not copied");
        // Out of range: the reference is still consumed (released by CPython).
        let other = 2.5_f64.into_pyobject(py)?;
        let other_watcher = other.clone_ref();
        let err = list.set_item(5, other).unwrap_err();
        assert_eq!(err.take(py).get_type().name()?, "IndexError");
        assert_eq!(other_watcher.refcnt(), 1, "released on failure too");
        Ok(())
    })
    .unwrap_or_else(|_| panic!("a Python error"));
}

#[test]
fn a_buffer_guard_releases_its_exporter() {
    attach(&[], |py| -> PyResult<()> {
        let data = PyByteArray::new(py, b"xyz")?;
        let before = data.refcnt();
        {
            let buffer = PyBuffer::get(data.as_any())?;
            assert_eq!(data.refcnt(), before + 1, "the view holds the exporter");
            assert_eq!((buffer.len(), buffer.readonly()), (3, false));
            let err = data.resize(1).unwrap_err();
            assert_eq!(err.take(py).get_type().name()?, "BufferError");
        }
        assert_eq!(data.refcnt(), before, "released by Drop");
        data.resize(1)?;
        Ok(())
    })
    .unwrap_or_else(|_| panic!("a Python error"));
}

#[test]
fn io_errors_become_the_oserror_subclass_for_their_errno() {
    attach(&[], |py| -> PyResult<()> {
        let missing = std::fs::metadata("/nonexistent/path").unwrap_err();
        let exc = PyErr::from_io(py, &missing).take(py);
        assert_eq!(exc.get_type().name()?, "FileNotFoundError");
        assert_eq!(exc.getattr("errno")?.extract::<i64>()?, 2);
        let custom = std::io::Error::other("no errno here");
        let exc = PyErr::from_io(py, &custom).take(py);
        assert_eq!(exc.get_type().name()?, "OSError");
        assert_eq!(exc.str()?.to_str()?, "no errno here");
        Ok(())
    })
    .unwrap_or_else(|_| panic!("a Python error"));
}

#[test]
fn with_cause_chains_and_keeps_one_exception_set() {
    attach(&[], |py| -> PyResult<()> {
        let cause = exceptions::KeyError::new_err(py, "k").take(py);
        let err = exceptions::ValueError::new_err(py, "v").with_cause(py, cause);
        let exc = err.take(py);
        assert!(!PyErr::occurred(py), "take cleared the indicator");
        assert_eq!(exc.get_type().name()?, "ValueError");
        assert_eq!(exc.getattr("__cause__")?.get_type().name()?, "KeyError");
        Ok(())
    })
    .unwrap_or_else(|_| panic!("a Python error"));
}
