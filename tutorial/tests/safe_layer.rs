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

#[test]
fn ascii_bytes_reads_the_flag_and_converts_nothing() {
    attach(&[], |py| -> PyResult<()> {
        let ascii = PyStr::new(py, "base64")?;
        assert_eq!(ascii.ascii_bytes()?, Some(&b"base64"[..]));
        let accented = PyStr::new(py, "h\u{e9}")?;
        assert_eq!(accented.ascii_bytes()?, None);
        assert_eq!(PyStr::new(py, "")?.ascii_bytes()?, Some(&b""[..]));
        Ok(())
    })
    .unwrap_or_else(|_| panic!("a Python error"));
}

#[test]
fn sequence_check_item_refuses_what_pysequence_getitem_refuses() {
    attach(&[], |py| -> PyResult<()> {
        let list = PyList::new(py, &[py.None().as_any()])?;
        list.as_any().sequence_check_item()?;
        let number = 42_i64.into_pyobject(py)?;
        let err = number.as_any().sequence_check_item().unwrap_err().take(py);
        assert_eq!(err.str()?.to_str()?, "'int' object does not support indexing");
        Ok(())
    })
    .unwrap_or_else(|_| panic!("a Python error"));
}

#[test]
fn lt_by_slot_compares_without_the_reflected_method() {
    attach(&[], |py| -> PyResult<()> {
        let (one, two) = (1_i64.into_pyobject(py)?, 2_i64.into_pyobject(py)?);
        assert_eq!(one.as_any().lt_by_slot(&two)?, Some(true));
        assert!(one.as_any().same_type_as(&two));
        // int's slot has no answer for a str: NotImplemented, so None.
        let text = PyStr::new(py, "a")?;
        assert_eq!(one.as_any().lt_by_slot(&text)?, None);
        assert!(!one.as_any().same_type_as(&text));
        Ok(())
    })
    .unwrap_or_else(|_| panic!("a Python error"));
}
