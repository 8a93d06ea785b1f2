//! The bytes `PyBuffer::with_bytes` lends never change under the closure
//! (issue 12, item 1), even while another thread writes into the exporter's
//! memory: here `FileIO.readinto` on a pipe, which detaches in `read(2)` and
//! lets the kernel write into the `bytearray` while this thread holds the
//! GIL. Before, the closure got the exporter's own memory as a `&[u8]`, and
//! saw it change (a `&[u8]` that changes is undefined behaviour).

use std::io::Write;
use std::os::fd::FromRawFd;
use std::time::{Duration, Instant};
use tutorial::prelude::*;
use tutorial_embed::doctest;

/// `watch(buffer, fd)`: lends the buffer's bytes, writes `X` to the pipe
/// `fd` (so that a reader blocked on it fills the buffer), then watches the
/// first lent byte for half a second. Returns whether it changed.
fn watch(
    _module: &Bound<'_, PyModule>,
    data: PyBuffer<'_>,
    fd: i32,
) -> PyResult<bool> {
    Ok(data.with_bytes(|bytes| {
        // SAFETY: the test owns the pipe's write end, passed by Python, and
        // closes it here, once.
        let mut pipe = unsafe { std::fs::File::from_raw_fd(fd) };
        let before = bytes[0];
        pipe.write_all(b"X").expect("the pipe takes a byte");
        drop(pipe);
        let start = Instant::now();
        while start.elapsed() < Duration::from_millis(500) {
            // A volatile read: the compiler may not assume the byte is
            // unchanged, so a write by the kernel would be seen.
            // SAFETY: `bytes[0]` is a valid, aligned u8.
            if unsafe { core::ptr::read_volatile(&bytes[0]) } != before {
                return true;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        false
    }))
}

/// `fill(buffer, byte)`, through `with_bytes_mut`.
fn fill(
    _module: &Bound<'_, PyModule>,
    target: &Bound<'_, PyAny>,
    byte: i64,
) -> PyResult<()> {
    let py = target.py();
    let byte = u8::try_from(byte).map_err(|_| {
        exceptions::ValueError::new_err(py, "byte must be in range(0, 256)")
    })?;
    let mut buffer = PyBuffer::get_writable(target)?;
    buffer.with_bytes_mut(target.py(), |bytes| bytes.fill(byte))
}

/// `built(how)`: a `bytes` built by `PyBytes::new_uninit`, written in
/// pieces (`"pieces"`), or with a lying writer that claims bytes it did not
/// write (`"foreign"`: it returns a slice of other memory).
fn built<'py>(
    module: &Bound<'py, PyModule>,
    how: String,
) -> PyResult<Bound<'py, PyBytes>> {
    PyBytes::new_uninit(module.py(), 8, |out| {
        match how.as_str() {
            "pieces" => {
                out.extend_from_slice(b"ab");
                out.write_with(|spare| {
                    spare[0].write(b'c');
                    spare[1].write(b'd');
                    spare_written(spare, 2)
                });
                out.push(b'e');
                out.written()[0] = b'A';
            }
            "foreign" => out.write_with(|_spare| b"elsewhere"),
            _ => {}
        }
        Ok(())
    })
}

/// The first `n` bytes of `spare`, written by the caller.
fn spare_written(spare: &mut [core::mem::MaybeUninit<u8>], n: usize) -> &mut [u8] {
    // SAFETY: the caller wrote `spare[..n]`.
    unsafe { core::slice::from_raw_parts_mut(spare.as_mut_ptr().cast::<u8>(), n) }
}

tutorial::module! {
    name: buffers,
    doc: "",
    methods: [
        tutorial::meth_fastcall!(watch(data, fd), ""),
        tutorial::meth_fastcall!(fill(target, byte), ""),
        tutorial::meth_o!(built(how), ""),
    ],
}

#[test]
fn bytes_written_in_place_count_only_on_proof() {
    doctest(
        &[("buffers", buffers::init)],
        r#"
>>> import buffers
>>> buffers.built("pieces")      # shrunk to the five bytes written
b'Abcde'
>>> buffers.built("nothing")
b''
>>> buffers.built("foreign")     # a slice of other memory proves nothing
Traceback (most recent call last):
  ...
SystemError: Rust panic: BytesOut::write_with: the bytes returned are not the ones lent
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}

#[test]
fn lent_bytes_do_not_change_while_another_thread_reads_into_them() {
    doctest(
        &[("buffers", buffers::init)],
        r#"
>>> import buffers, os, threading, time
>>> r, w = os.pipe()
>>> ba = bytearray(b"." * 16)
>>> reader = open(r, "rb", buffering=0)
>>> t = threading.Thread(target=reader.readinto, args=(ba,))
>>> t.start(); time.sleep(0.2)   # blocked in read(2), detached
>>> buffers.watch(ba, w)
False
>>> t.join(); reader.close()
>>> bytes(ba[:2])
b'X.'
>>> buffers.watch(b"an immutable bytes is lent in place", os.pipe()[1])
False
>>> buffers.fill(ba, 0x2d); bytes(ba)
b'----------------'
>>> buffers.fill(b"ro", 0)
Traceback (most recent call last):
  ...
BufferError: Object is not writable.
"#,
    )
    .unwrap_or_else(|report| panic!("{report}"));
}
