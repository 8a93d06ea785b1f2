//! The port of CPython's `zlib` (`Modules/zlibmodule.c`) on zlib-rs,
//! through the `zstream` crate (the only unsafe code under it).
//!
//! Every public name of the C module: the one-shot functions, the
//! checksums, `compressobj`/`decompressobj` with their `Compress` and
//! `Decompress` objects, `_ZlibDecompressor` (which `gzip` and `tarfile`
//! use from 3.12), the constants, the versions and `zlib.error`, with the
//! C module's signatures and messages.
//!
//! Each object holds its stream in a [`Mutex`], as the C objects hold a
//! `PyThread_type_lock`: zlib runs with the thread detached, and a second
//! thread that calls the same object meanwhile waits for the first, with
//! or without a GIL.

// `memLevel` is the C module's keyword name: the signature must spell it so.
#![allow(non_snake_case)]

use tutorial::args::UnsignedIntMask;
use tutorial::class::{Class, ObjectBase, PyClass, create_type, new_instance};
use tutorial::module::{TraverseError, raise, state};
use tutorial::prelude::*;
use tutorial::sync::Mutex;
use zstream::{
    Deflate, Inflate, Step, Z_BUF_ERROR, Z_DATA_ERROR, Z_MEM_ERROR, Z_NEED_DICT,
    Z_OK, Z_STREAM_END, Z_STREAM_ERROR, Z_VERSION_ERROR,
};

// ANCHOR: state
/// The module's state: `zlib.error` and the three types.
pub struct ZlibState {
    error: Py<PyType>,
    compress_type: Py<PyType>,
    decompress_type: Py<PyType>,
    decompressor_type: Py<PyType>,
}

impl ModuleState for ZlibState {
    fn traverse(&self, visit: &mut Visit<'_>) -> Result<(), TraverseError> {
        visit.call(&self.error)?;
        visit.call(&self.compress_type)?;
        visit.call(&self.decompress_type)?;
        visit.call(&self.decompressor_type)
    }
}
// ANCHOR_END: state

const MAX_WBITS: i32 = 15;
const DEFLATED: i32 = 8;
const DEF_MEM_LEVEL: i32 = 8;
const DEF_BUF_SIZE: usize = 16 * 1024;
/// `_ZlibDecompressor`'s largest first output buffer (C's
/// `DEF_MAX_INITIAL_BUF_SIZE`).
const DEF_MAX_INITIAL_BUF_SIZE: usize = 16 * 1024 * 1024;
const Z_NO_FLUSH: i32 = 0;
const Z_SYNC_FLUSH: i32 = 2;
const Z_FINISH: i32 = 4;

fn exec(module: &Bound<'_, PyModule>) -> PyResult<ZlibState> {
    let py = module.py();
    let compress_type = create_type::<Compress>(module)?;
    let decompress_type = create_type::<Decompress>(module)?;
    let decompressor_type = create_type::<ZlibDecompressor>(module)?;
    let error = PyType::new_exception(py, "zlib.error", None)?;
    module.add("error", &error)?;
    // The C module has `_ZlibDecompressor` from 3.12 (for `gzip`).
    if cfg!(Py_3_12) {
        module.add("_ZlibDecompressor", &decompressor_type)?;
    }
    let ints: [(&str, i64); 20] = [
        ("MAX_WBITS", MAX_WBITS.into()),
        ("DEFLATED", DEFLATED.into()),
        ("DEF_MEM_LEVEL", DEF_MEM_LEVEL.into()),
        ("DEF_BUF_SIZE", DEF_BUF_SIZE as i64),
        ("Z_NO_COMPRESSION", 0),
        ("Z_BEST_SPEED", 1),
        ("Z_BEST_COMPRESSION", 9),
        ("Z_DEFAULT_COMPRESSION", -1),
        ("Z_FILTERED", 1),
        ("Z_HUFFMAN_ONLY", 2),
        ("Z_RLE", 3),
        ("Z_FIXED", 4),
        ("Z_DEFAULT_STRATEGY", 0),
        ("Z_NO_FLUSH", Z_NO_FLUSH.into()),
        ("Z_PARTIAL_FLUSH", 1),
        ("Z_SYNC_FLUSH", Z_SYNC_FLUSH.into()),
        ("Z_FULL_FLUSH", 3),
        ("Z_FINISH", Z_FINISH.into()),
        ("Z_BLOCK", 5),
        ("Z_TREES", 6),
    ];
    for (name, value) in ints {
        module.add(name, &PyLong::new(py, value)?)?;
    }
    module.add("ZLIB_VERSION", &PyStr::new(py, zstream::ZLIB_VERSION)?)?;
    // zlib-rs says "1.3.0-zlib-rs-0.6.8": the zlib version whose API it
    // implements, then its own. CPython's tests read ZLIB_RUNTIME_VERSION
    // as dotted numbers (test_flushes), so it gets the first part, and the
    // second has its own name.
    let runtime = zstream::runtime_version();
    let (zlib_part, rs_part) =
        runtime.split_once("-zlib-rs-").unwrap_or((&runtime, ""));
    module.add("ZLIB_RUNTIME_VERSION", &PyStr::new(py, zlib_part)?)?;
    module.add("ZLIBRS_VERSION", &PyStr::new(py, rs_part)?)?;
    // From 3.15 `__version__` comes from the module's `__getattr__`, which
    // warns that it is deprecated.
    if !cfg!(Py_3_15) {
        module.add("__version__", &PyStr::new(py, "1.0")?)?;
    }
    Ok(ZlibState {
        error: error.unbind(),
        compress_type: compress_type.unbind(),
        decompress_type: decompress_type.unbind(),
        decompressor_type: decompressor_type.unbind(),
    })
}

// ANCHOR: errors
/// What went wrong, found while detached (no Python object can be made
/// there); [`Failure::raise`] turns it into the C module's exception.
#[derive(Debug)]
enum Failure {
    /// `zlib.error`, as C's `zlib_error`: the code, zlib's message if it
    /// set one, and what was being done ("while compressing data").
    Zlib(i32, Option<String>, &'static str),
    /// `MemoryError` with this message.
    Memory(&'static str),
}

impl Failure {
    fn raise(self, module: &Bound<'_, PyModule>) -> PyErr {
        let py = module.py();
        match self {
            Failure::Memory(msg) => exceptions::MemoryError::new_err(py, msg),
            Failure::Zlib(code, msg, doing) => {
                let text = zlib_error_text(code, msg.as_deref(), doing);
                match state::<ZlibState>(module) {
                    Ok(s) => raise(&s.error, py, &text),
                    Err(e) => e,
                }
            }
        }
    }
}

/// The bytes made, or the exception for what went wrong making them.
fn bytes_or_raise<'py>(
    module: &Bound<'py, PyModule>,
    out: Result<Vec<u8>, Failure>,
) -> PyResult<Bound<'py, PyBytes>> {
    match out {
        Ok(out) => PyBytes::new(module.py(), &out),
        Err(f) => Err(f.raise(module)),
    }
}

/// C's `ValueError` for `copy()` of a stream that has been ended.
fn inconsistent_stream(py: Python<'_>) -> PyErr {
    exceptions::ValueError::new_err(py, "Inconsistent stream state")
}

/// C's exception when `deflateCopy`/`inflateCopy` fails, for a
/// compression (`deflate`) or a decompression object.
fn copy_failed(
    module: &Bound<'_, PyModule>,
    e: &zstream::Error,
    deflate: bool,
) -> PyErr {
    let py = module.py();
    match (e.code, deflate) {
        (Z_STREAM_ERROR, _) => inconsistent_stream(py),
        (Z_MEM_ERROR, true) => {
            let msg = "Can't allocate memory for compression object";
            exceptions::MemoryError::new_err(py, msg)
        }
        (Z_MEM_ERROR, false) => {
            let msg = "Can't allocate memory for decompression object";
            exceptions::MemoryError::new_err(py, msg)
        }
        (c, true) => zlib_error(module, c, "while copying compression object"),
        (c, false) => zlib_error(module, c, "while copying decompression object"),
    }
}

/// C's `zlib_error`: "Error %d %s: %.200s", with zlib's message, or the
/// module's own text for three codes when zlib set none, or no message.
fn zlib_error_text(code: i32, msg: Option<&str>, doing: &str) -> String {
    let msg = if code == Z_VERSION_ERROR {
        Some("library version mismatch")
    } else {
        msg.or(match code {
            Z_BUF_ERROR => Some("incomplete or truncated stream"),
            Z_STREAM_ERROR => Some("inconsistent stream state"),
            Z_DATA_ERROR => Some("invalid input data"),
            _ => None,
        })
    };
    match msg {
        Some(m) => {
            let cut: String = m.chars().take(200).collect();
            format!("Error {code} {doing}: {cut}")
        }
        None => format!("Error {code} {doing}"),
    }
}

fn zlib_error(
    module: &Bound<'_, PyModule>,
    code: i32,
    doing: &'static str,
) -> PyErr {
    Failure::Zlib(code, None, doing).raise(module)
}
// ANCHOR_END: errors

// ANCHOR: output
/// The sizes of the output blocks C's `_BlocksOutputBuffer` grows by
/// (`Include/internal/pycore_blocks_output_buffer.h`): each call into zlib
/// is offered one block, so the number of calls is the C module's.
const BLOCKS: [usize; 17] = [
    32 << 10,
    64 << 10,
    256 << 10,
    1 << 20,
    4 << 20,
    8 << 20,
    16 << 20,
    16 << 20,
    32 << 20,
    32 << 20,
    32 << 20,
    32 << 20,
    64 << 20,
    64 << 20,
    128 << 20,
    128 << 20,
    256 << 20,
];

/// Output that grows a block at a time, up to an optional limit
/// (`max_length`).
struct Output {
    buf: Vec<u8>,
    /// Room left in the current block.
    avail: usize,
    /// Blocks handed out so far.
    blocks: usize,
    max: Option<usize>,
}

impl Output {
    /// The first block is `first` bytes (cut to `max`).
    fn new(first: usize, max: Option<usize>) -> Result<Self, Failure> {
        let first = max.map_or(first, |m| first.min(m));
        let mut buf = Vec::new();
        buf.try_reserve_exact(first)
            .map_err(|_| Failure::Memory("Unable to allocate output buffer."))?;
        Ok(Output { buf, avail: first, blocks: 1, max })
    }

    /// The first block as C's `OutputBuffer_InitAndGrow` sizes it.
    fn blocks(max: Option<usize>) -> Result<Self, Failure> {
        Output::new(BLOCKS[0], max)
    }

    fn full(&self) -> bool {
        self.max == Some(self.buf.len())
    }

    /// Opens the next block (C's `_BlocksOutputBuffer_Grow`).
    fn grow(&mut self) -> Result<(), Failure> {
        let mut size = BLOCKS[self.blocks.min(BLOCKS.len() - 1)];
        if let Some(max) = self.max {
            size = size.min(max - self.buf.len());
        }
        self.buf
            .try_reserve(size)
            .map_err(|_| Failure::Memory("Unable to allocate output buffer."))?;
        self.avail = size;
        self.blocks += 1;
        Ok(())
    }

    /// One call into zlib with the room left in the block; true in the
    /// second place if zlib used all the room it was given (C's
    /// `avail_out == 0`: call again).
    fn call(
        &mut self,
        f: impl FnOnce(&mut Vec<u8>, usize) -> Step,
    ) -> (Step, bool) {
        let given = self.avail.min(u32::MAX as usize);
        let step = f(&mut self.buf, given);
        self.avail -= step.written;
        (step, step.written == given)
    }
}
// ANCHOR_END: output

/// C's `arrange_input_buffer`: zlib takes at most 4 GiB - 1 bytes per call,
/// so a longer input is given in pieces; true if `rest` fits in one.
fn is_last_piece(rest: &[u8]) -> bool {
    rest.len() <= u32::MAX as usize
}

/// `zlib.compress(data, /, level=Z_DEFAULT_COMPRESSION, wbits=MAX_WBITS)`.
fn compress<'py>(
    module: &Bound<'py, PyModule>,
    data: PyBuffer<'py>,
    level: i32,
    wbits: i32,
) -> PyResult<Bound<'py, PyBytes>> {
    let py = module.py();
    let mut z = match Deflate::new(level, DEFLATED, wbits, DEF_MEM_LEVEL, 0) {
        Ok(z) => z,
        Err(e) if e.code == Z_MEM_ERROR => {
            let msg = "Out of memory while compressing data";
            return Err(exceptions::MemoryError::new_err(py, msg));
        }
        Err(e) if e.code == Z_STREAM_ERROR => {
            let error = &state::<ZlibState>(module)?.error;
            return Err(raise(error, py, "Bad compression level"));
        }
        Err(e) => return Err(zlib_error(module, e.code, "while compressing data")),
    };
    let out = data.with_bytes_detached(py, |input| {
        let mut out = Output::blocks(None)?;
        let mut rest = input;
        loop {
            let last = is_last_piece(rest);
            let flush = if last { Z_FINISH } else { Z_NO_FLUSH };
            loop {
                if out.avail == 0 {
                    out.grow()?;
                }
                let (s, more) =
                    out.call(|buf, room| z.deflate(rest, buf, room, flush));
                rest = &rest[s.consumed..];
                if s.code == Z_STREAM_ERROR {
                    let doing = "while compressing data";
                    return Err(Failure::Zlib(s.code, z.msg(), doing));
                }
                if !more {
                    break;
                }
            }
            if last {
                return Ok(out.buf);
            }
        }
    });
    bytes_or_raise(module, out)
}

/// `zlib.decompress(data, /, wbits=MAX_WBITS, bufsize=DEF_BUF_SIZE)`.
fn decompress<'py>(
    module: &Bound<'py, PyModule>,
    data: PyBuffer<'py>,
    wbits: i32,
    bufsize: isize,
) -> PyResult<Bound<'py, PyBytes>> {
    let py = module.py();
    if bufsize < 0 {
        let msg = "bufsize must be non-negative";
        return Err(exceptions::ValueError::new_err(py, msg));
    }
    let first = bufsize.unsigned_abs().max(1);
    let mut z = Inflate::new(wbits).map_err(|e| match e.code {
        Z_MEM_ERROR => {
            let msg = "Out of memory while decompressing data";
            exceptions::MemoryError::new_err(py, msg)
        }
        c => zlib_error(module, c, "while preparing to decompress data"),
    })?;
    let out = data.with_bytes_detached(py, |input| {
        let doing = "while decompressing data";
        let mut out = Output::new(first, None)?;
        let mut rest = input;
        let mut code;
        loop {
            let last = is_last_piece(rest);
            let flush = if last { Z_FINISH } else { Z_NO_FLUSH };
            loop {
                if out.avail == 0 {
                    out.grow()?;
                }
                let (s, more) =
                    out.call(|buf, room| z.inflate(rest, buf, room, flush));
                rest = &rest[s.consumed..];
                code = s.code;
                match code {
                    Z_OK | Z_BUF_ERROR | Z_STREAM_END => {}
                    Z_MEM_ERROR => {
                        let msg = "Out of memory while decompressing data";
                        return Err(Failure::Memory(msg));
                    }
                    _ => return Err(Failure::Zlib(code, z.msg(), doing)),
                }
                if !more {
                    break;
                }
            }
            if code == Z_STREAM_END || last {
                break;
            }
        }
        if code == Z_STREAM_END {
            Ok(out.buf)
        } else {
            Err(Failure::Zlib(code, z.msg(), doing))
        }
    });
    bytes_or_raise(module, out)
}

// ANCHOR: checksums
/// Inputs longer than this are checksummed with the thread detached, as
/// C does (shorter ones would spend more on detaching than on the sum).
const CHECKSUM_DETACH_AT: usize = 5 * 1024;

/// Runs `sum(value, bytes)` over the buffer, detached for long inputs.
fn checksum(
    py: Python<'_>,
    data: PyBuffer<'_>,
    value: u32,
    sum: fn(u32, &[u8]) -> u32,
) -> PyResult<u64> {
    let run = |b: &[u8]| sum(value, b);
    Ok(u64::from(if data.len() > CHECKSUM_DETACH_AT {
        data.with_bytes_detached(py, run)
    } else {
        data.with_bytes(run)
    }))
}

/// `zlib.adler32(data, value=1, /)`.
fn adler32<'py>(
    module: &Bound<'py, PyModule>,
    data: PyBuffer<'py>,
    value: UnsignedIntMask,
) -> PyResult<u64> {
    checksum(module.py(), data, value.0, zstream::adler32)
}

/// The module's `__getattr__` (3.15): `zlib.__version__`, deprecated.
#[cfg(Py_3_15)]
fn __getattr__<'py>(
    module: &Bound<'py, PyModule>,
    name: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyStr>> {
    let py = module.py();
    if name
        .downcast::<PyStr>()
        .is_ok_and(|n| n.to_str().is_ok_and(|n| n == "__version__"))
    {
        let msg =
            "'__version__' is deprecated and slated for removal in Python 3.20";
        exceptions::DeprecationWarning::warn(py, msg, 1)?;
        return PyStr::new(py, "1.0");
    }
    let msg = format!("module 'zlib' has no attribute {}", name.repr()?.to_str()?);
    Err(exceptions::AttributeError::new_err(py, &msg))
}

/// `zlib.crc32_combine(crc1, crc2, len2, /)` (new in 3.15).
#[cfg(Py_3_15)]
fn crc32_combine(
    module: &Bound<'_, PyModule>,
    crc1: UnsignedIntMask,
    crc2: UnsignedIntMask,
    len2: isize,
) -> PyResult<u64> {
    let len2 = combined_length(module.py(), len2)?;
    Ok(u64::from(zstream::crc32_combine(crc1.0, crc2.0, len2)))
}

/// `zlib.adler32_combine(adler1, adler2, len2, /)` (new in 3.15).
#[cfg(Py_3_15)]
fn adler32_combine(
    module: &Bound<'_, PyModule>,
    adler1: UnsignedIntMask,
    adler2: UnsignedIntMask,
    len2: isize,
) -> PyResult<u64> {
    let len2 = combined_length(module.py(), len2)?;
    Ok(u64::from(zstream::adler32_combine(adler1.0, adler2.0, len2)))
}

/// The `len2` of the `*_combine` functions: a `Py_ssize_t`, not negative.
#[cfg(Py_3_15)]
fn combined_length(py: Python<'_>, len2: isize) -> PyResult<u64> {
    u64::try_from(len2).map_err(|_| {
        exceptions::ValueError::new_err(py, "len2 must be non-negative")
    })
}

/// `zlib.crc32(data, value=0, /)`.
fn crc32<'py>(
    module: &Bound<'py, PyModule>,
    data: PyBuffer<'py>,
    value: UnsignedIntMask,
) -> PyResult<u64> {
    checksum(module.py(), data, value.0, zstream::crc32)
}
// ANCHOR_END: checksums

/// `zlib.compressobj(level=Z_DEFAULT_COMPRESSION, method=DEFLATED,
/// wbits=MAX_WBITS, memLevel=DEF_MEM_LEVEL, strategy=Z_DEFAULT_STRATEGY,
/// zdict=None)`.
fn compressobj<'py>(
    module: &Bound<'py, PyModule>,
    level: i32,
    method: i32,
    wbits: i32,
    mem_level: i32,
    strategy: i32,
    zdict: Option<PyBuffer<'py>>,
) -> PyResult<Bound<'py, Class<Compress>>> {
    let py = module.py();
    if zdict.as_ref().is_some_and(|d| d.len() > u32::MAX as usize) {
        let msg = "zdict length does not fit in an unsigned int";
        return Err(exceptions::OverflowError::new_err(py, msg));
    }
    let mut z = Deflate::new(level, method, wbits, mem_level, strategy).map_err(
        |e| match e.code {
            Z_MEM_ERROR => {
                let msg = "Can't allocate memory for compression object";
                exceptions::MemoryError::new_err(py, msg)
            }
            Z_STREAM_ERROR => {
                exceptions::ValueError::new_err(py, "Invalid initialization option")
            }
            c => zlib_error(module, c, "while creating compression object"),
        },
    )?;
    if let Some(zdict) = zdict {
        match zdict.with_bytes(|dict| z.set_dictionary(dict)) {
            Ok(()) => {}
            Err(e) if e.code == Z_STREAM_ERROR => {
                return Err(exceptions::ValueError::new_err(
                    py,
                    "Invalid dictionary",
                ));
            }
            Err(_) => {
                let msg = "deflateSetDictionary()";
                return Err(exceptions::ValueError::new_err(py, msg));
            }
        }
    }
    let ty = state::<ZlibState>(module)?.compress_type.bind(py);
    new_instance(ty, Compress::open(z))
}

/// `zlib.decompressobj(wbits=MAX_WBITS, zdict=b'')`.
fn decompressobj<'py>(
    module: &Bound<'py, PyModule>,
    wbits: i32,
    zdict: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, Class<Decompress>>> {
    let py = module.py();
    let zdict = zdict.map(|d| read_zdict(module, d)).transpose()?;
    let mut z = Inflate::new(wbits).map_err(|e| match e.code {
        Z_STREAM_ERROR => {
            exceptions::ValueError::new_err(py, "Invalid initialization option")
        }
        Z_MEM_ERROR => {
            let msg = "Can't allocate memory for decompression object";
            exceptions::MemoryError::new_err(py, msg)
        }
        c => zlib_error(module, c, "while creating decompression object"),
    })?;
    if let (Some(dict), true) = (&zdict, wbits < 0) {
        z.set_dictionary(dict).map_err(|e| {
            Failure::Zlib(e.code, e.msg, "while setting zdict").raise(module)
        })?;
    }
    let value = DecompressState {
        z: Some(z),
        end_msg: None,
        unused_data: Vec::new(),
        unconsumed_tail: Vec::new(),
        eof: false,
        zdict,
    };
    let ty = state::<ZlibState>(module)?.decompress_type.bind(py);
    new_instance(ty, Decompress { s: Mutex::new(value) })
}

/// The dictionary's bytes, copied when the object is made (C keeps the
/// object and reads its buffer when zlib asks for the dictionary; a
/// `bytearray` changed in between is the one case that differs).
fn read_zdict(
    module: &Bound<'_, PyModule>,
    zdict: &Bound<'_, PyAny>,
) -> PyResult<Vec<u8>> {
    let py = module.py();
    let buffer = PyBuffer::get(zdict).map_err(|_| {
        let msg = "zdict argument must support the buffer protocol";
        exceptions::TypeError::new_err(py, msg)
    })?;
    if buffer.len() > u32::MAX as usize {
        let msg = "zdict length does not fit in an unsigned int";
        return Err(exceptions::OverflowError::new_err(py, msg));
    }
    Ok(buffer.to_vec())
}

// ANCHOR: compress_type
/// A `zlib.Compress` object: the stream behind a lock.
pub struct Compress {
    z: Mutex<CompressState>,
}

/// What a `zlib.Compress` object holds, behind its lock.
struct CompressState {
    /// `None` once `flush(Z_FINISH)` has ended it (C's `is_initialised = 0`).
    z: Option<Deflate>,
    /// The stream's message when it was ended. C zlib leaves `strm.msg` as
    /// it was, and the `zlib.error` of a later call on the ended stream
    /// quotes it (`Error -2 while compressing data: buffer error`).
    end_msg: Option<String>,
}

impl Compress {
    fn open(z: Deflate) -> Self {
        Compress { z: Mutex::new(CompressState { z: Some(z), end_msg: None }) }
    }
}

impl PyClass for Compress {
    type Base = ObjectBase;
    const DISALLOW_INSTANTIATION: bool = true;

    fn new(py: Python<'_>) -> PyResult<Self> {
        let msg = "cannot create 'zlib.Compress' instances";
        Err(exceptions::TypeError::new_err(py, msg))
    }
}

/// What a getter of a `Decompress` or `_ZlibDecompressor` reads: `read`
/// of the state behind the object's lock.
fn read_locked<'py, T: PyClass, S: Send, R>(
    slf: &Bound<'py, Class<T>>,
    lock: impl FnOnce(&T) -> &Mutex<S>,
    read: impl FnOnce(Python<'py>, &S) -> PyResult<R>,
) -> PyResult<R> {
    let py = slf.py();
    slf.with(|this| {
        let guard = lock(this).lock(py)?;
        read(py, &guard)
    })?
}

mod compress_methods {
    use super::*;

    /// `Compress.compress(data, /)`.
    fn compress<'py>(
        slf: &Bound<'py, Class<Compress>>,
        data: PyBuffer<'py>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let py = slf.py();
        let out = slf.with(|this| {
            let mut guard = this.z.lock(py)?;
            let state: &mut CompressState = &mut guard;
            Ok::<_, PyErr>(data.with_bytes_detached(py, |input| {
                let doing = "while compressing data";
                let Some(z) = &mut state.z else {
                    return Err(Failure::Zlib(
                        Z_STREAM_ERROR,
                        state.end_msg.clone(),
                        doing,
                    ));
                };
                let mut out = Output::blocks(None)?;
                let mut rest = input;
                loop {
                    let last = is_last_piece(rest);
                    loop {
                        if out.avail == 0 {
                            out.grow()?;
                        }
                        let (s, more) = out.call(|buf, room| {
                            z.deflate(rest, buf, room, Z_NO_FLUSH)
                        });
                        rest = &rest[s.consumed..];
                        if s.code == Z_STREAM_ERROR {
                            return Err(Failure::Zlib(s.code, z.msg(), doing));
                        }
                        if !more {
                            break;
                        }
                    }
                    if last {
                        return Ok(out.buf);
                    }
                }
            }))
        })??;
        bytes_or_raise(&slf.module()?, out)
    }

    /// `Compress.flush(mode=Z_FINISH, /)`.
    fn flush<'py>(
        slf: &Bound<'py, Class<Compress>>,
        mode: i32,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let py = slf.py();
        if mode == Z_NO_FLUSH {
            return PyBytes::new(py, b"");
        }
        let out = slf.with(|this| {
            let mut guard = this.z.lock(py)?;
            let state: &mut CompressState = &mut guard;
            let out = py.detach(|| {
                let doing = "while flushing";
                let Some(z) = state.z.as_mut() else {
                    return Err(Failure::Zlib(
                        Z_STREAM_ERROR,
                        state.end_msg.clone(),
                        doing,
                    ));
                };
                let mut out = Output::blocks(None)?;
                let code = loop {
                    if out.avail == 0 {
                        out.grow()?;
                    }
                    let (s, more) =
                        out.call(|buf, room| z.deflate(&[], buf, room, mode));
                    if s.code == Z_STREAM_ERROR {
                        return Err(Failure::Zlib(s.code, z.msg(), doing));
                    }
                    if !more {
                        break s.code;
                    }
                };
                match code {
                    Z_STREAM_END if mode == Z_FINISH => Ok((out.buf, true)),
                    Z_OK | Z_BUF_ERROR | Z_STREAM_END => Ok((out.buf, false)),
                    c => Err(Failure::Zlib(c, z.msg(), doing)),
                }
            });
            Ok::<_, PyErr>(out.map(|(out, ended)| {
                if ended {
                    // deflateEnd, as C calls it after Z_FINISH.
                    state.end_msg = state.z.take().and_then(|z| z.msg());
                }
                out
            }))
        })??;
        bytes_or_raise(&slf.module()?, out)
    }

    /// `Compress.copy()`.
    fn copy<'py>(
        slf: &Bound<'py, Class<Compress>>,
    ) -> PyResult<Bound<'py, Class<Compress>>> {
        let py = slf.py();
        let module = slf.module()?;
        let z = slf.with(|this| {
            let mut guard = this.z.lock(py)?;
            let Some(z) = guard.z.as_mut() else {
                return Err(inconsistent_stream(py));
            };
            z.try_clone().map_err(|e| copy_failed(&module, &e, true))
        })??;
        let ty = state::<ZlibState>(&module)?.compress_type.bind(py);
        new_instance(ty, Compress::open(z))
    }

    /// `Compress.__copy__()`.
    fn __copy__<'py>(
        slf: &Bound<'py, Class<Compress>>,
    ) -> PyResult<Bound<'py, Class<Compress>>> {
        copy(slf)
    }

    /// `Compress.__deepcopy__(memo, /)`.
    fn __deepcopy__<'py>(
        slf: &Bound<'py, Class<Compress>>,
        memo: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, Class<Compress>>> {
        let _ = memo;
        copy(slf)
    }

    tutorial::class! {
        type: Compress,
        name: "zlib.Compress",
        doc: "A zlib compressor, made by zlib.compressobj().",
        methods: [
            compress(data, /): "Return a bytes object containing compressed data.",
            flush(mode = 4, /): "Return a bytes object containing any remaining \
                                 compressed data.",
            copy(): "Return a copy of the compression object.",
            __copy__(): "Return a copy of the compression object.",
            __deepcopy__(memo, /): "Return a copy of the compression object.",
        ],
        getset: [],
    }
}
// ANCHOR_END: compress_type

/// What a `zlib.Decompress` object holds, behind its lock.
struct DecompressState {
    /// `None` once `flush()` has reached the end (C's `inflateEnd`).
    z: Option<Inflate>,
    /// The stream's message when it was ended, as for `Compress`.
    end_msg: Option<String>,
    unused_data: Vec<u8>,
    unconsumed_tail: Vec<u8>,
    eof: bool,
    zdict: Option<Vec<u8>>,
}

/// A `zlib.Decompress` object.
pub struct Decompress {
    s: Mutex<DecompressState>,
}

impl PyClass for Decompress {
    type Base = ObjectBase;
    const DISALLOW_INSTANTIATION: bool = true;

    fn new(py: Python<'_>) -> PyResult<Self> {
        let msg = "cannot create 'zlib.Decompress' instances";
        Err(exceptions::TypeError::new_err(py, msg))
    }
}

/// One call into the stream, or C's `Z_STREAM_ERROR` for a stream that
/// has been ended (zlib's answer to a call on an ended stream).
fn inflate_or_ended(
    z: &mut Option<Inflate>,
    out: &mut Output,
    input: &[u8],
    flush: i32,
) -> (Step, bool) {
    match z {
        Some(z) => out.call(|buf, room| z.inflate(input, buf, room, flush)),
        None => (Step { code: Z_STREAM_ERROR, consumed: 0, written: 0 }, false),
    }
}

impl DecompressState {
    fn msg(&self) -> Option<String> {
        match &self.z {
            Some(z) => z.msg(),
            None => self.end_msg.clone(),
        }
    }

    /// C's `save_unconsumed_input`: input after the end of the stream is
    /// added to `unused_data`; input left because `max_length` was reached
    /// becomes `unconsumed_tail` (and an empty tail clears it).
    fn save_unconsumed(&mut self, rest: &[u8], ended: bool) {
        let mut left = rest.len();
        if ended && !rest.is_empty() {
            self.unused_data.extend_from_slice(rest);
            left = 0;
        }
        if left > 0 || !self.unconsumed_tail.is_empty() {
            // Up to 3.13, C took the tail from zlib's `next_in`, which does
            // not move past the bytes it had just put in `unused_data`, so
            // they were in both; 3.14 and later leave the tail empty.
            let tail =
                if cfg!(Py_3_14) { &rest[rest.len() - left..] } else { rest };
            self.unconsumed_tail = tail.to_vec();
        }
    }

    /// `Decompress.decompress(data, max_length)` on the bytes, detached.
    fn decompress(
        &mut self,
        input: &[u8],
        max: Option<usize>,
    ) -> Result<Vec<u8>, Failure> {
        let mut out = Output::blocks(max)?;
        let mut rest = input;
        let mut code = Z_OK;
        'save: loop {
            let last = is_last_piece(rest);
            loop {
                if out.avail == 0 {
                    if out.full() {
                        break 'save;
                    }
                    out.grow()?;
                }
                let (s, more) =
                    inflate_or_ended(&mut self.z, &mut out, rest, Z_SYNC_FLUSH);
                rest = &rest[s.consumed..];
                code = s.code;
                match code {
                    Z_OK | Z_BUF_ERROR | Z_STREAM_END => {}
                    Z_NEED_DICT if self.zdict.is_some() => {
                        let (Some(z), Some(dict)) = (self.z.as_mut(), &self.zdict)
                        else {
                            break 'save;
                        };
                        if let Err(e) = z.set_dictionary(dict) {
                            return Err(Failure::Zlib(
                                e.code,
                                e.msg,
                                "while setting zdict",
                            ));
                        }
                    }
                    _ => break 'save,
                }
                if !(more || code == Z_NEED_DICT) {
                    break;
                }
            }
            if code == Z_STREAM_END || last {
                break;
            }
        }
        self.save_unconsumed(rest, code == Z_STREAM_END);
        match code {
            Z_STREAM_END => self.eof = true,
            Z_OK | Z_BUF_ERROR => {}
            c => {
                return Err(Failure::Zlib(
                    c,
                    self.msg(),
                    "while decompressing data",
                ));
            }
        }
        Ok(out.buf)
    }

    /// `Decompress.flush(length)` on the unconsumed tail, detached.
    fn flush(&mut self, length: usize) -> Result<Vec<u8>, Failure> {
        let input = self.unconsumed_tail.clone();
        let mut out = Output::new(length, None)?;
        if self.z.is_none() {
            // Flushed to the end already: nothing more, on every version
            // (up to 3.13 C called inflate on the ended stream and dropped
            // its error; later ones do not call it).
            return Ok(out.buf);
        }
        let mut rest = &input[..];
        let mut code;
        'save: loop {
            let last = is_last_piece(rest);
            let flush = if last { Z_FINISH } else { Z_NO_FLUSH };
            loop {
                if out.avail == 0 {
                    out.grow()?;
                }
                let (s, more) =
                    inflate_or_ended(&mut self.z, &mut out, rest, flush);
                rest = &rest[s.consumed..];
                code = s.code;
                if !matches!(code, Z_OK | Z_BUF_ERROR | Z_STREAM_END) {
                    break 'save;
                }
                if !more {
                    break;
                }
            }
            if code == Z_STREAM_END || last {
                break;
            }
        }
        self.save_unconsumed(rest, code == Z_STREAM_END);
        match code {
            Z_STREAM_END => {
                self.eof = true;
                // inflateEnd: C ends the stream here, not in decompress().
                self.end_msg = self.z.take().and_then(|z| z.msg());
            }
            Z_OK | Z_BUF_ERROR => {}
            // Up to 3.13 C's flush() dropped an error and returned what it
            // had; from 3.14 it raises.
            c if cfg!(Py_3_14) => {
                return Err(Failure::Zlib(
                    c,
                    self.msg(),
                    "while decompressing data",
                ));
            }
            _ => {}
        }
        Ok(out.buf)
    }
}

mod decompress_methods {
    use super::*;

    /// `Decompress.decompress(data, /, max_length=0)`.
    fn decompress<'py>(
        slf: &Bound<'py, Class<Decompress>>,
        data: PyBuffer<'py>,
        max_length: isize,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let py = slf.py();
        if max_length < 0 {
            let msg = if cfg!(Py_3_15) {
                "max_length cannot be negative"
            } else {
                "max_length must be non-negative"
            };
            return Err(exceptions::ValueError::new_err(py, msg));
        }
        let max = (max_length > 0).then_some(max_length.unsigned_abs());
        let out = slf.with(|this| {
            let mut guard = this.s.lock(py)?;
            let s: &mut DecompressState = &mut guard;
            Ok::<_, PyErr>(
                data.with_bytes_detached(py, |input| s.decompress(input, max)),
            )
        })??;
        bytes_or_raise(&slf.module()?, out)
    }

    /// `Decompress.flush(length=DEF_BUF_SIZE, /)`.
    fn flush<'py>(
        slf: &Bound<'py, Class<Decompress>>,
        length: isize,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let py = slf.py();
        if length <= 0 {
            let msg = "length must be greater than zero";
            return Err(exceptions::ValueError::new_err(py, msg));
        }
        let out = slf.with(|this| {
            let mut guard = this.s.lock(py)?;
            let s: &mut DecompressState = &mut guard;
            Ok::<_, PyErr>(py.detach(|| s.flush(length.unsigned_abs())))
        })??;
        bytes_or_raise(&slf.module()?, out)
    }

    /// `Decompress.copy()`.
    fn copy<'py>(
        slf: &Bound<'py, Class<Decompress>>,
    ) -> PyResult<Bound<'py, Class<Decompress>>> {
        let py = slf.py();
        let module = slf.module()?;
        let value = slf.with(|this| {
            let mut guard = this.s.lock(py)?;
            let Some(z) = guard.z.as_mut() else {
                return Err(inconsistent_stream(py));
            };
            let z = z.try_clone().map_err(|e| copy_failed(&module, &e, false))?;
            Ok(DecompressState {
                z: Some(z),
                end_msg: None,
                unused_data: guard.unused_data.clone(),
                unconsumed_tail: guard.unconsumed_tail.clone(),
                eof: guard.eof,
                zdict: guard.zdict.clone(),
            })
        })??;
        let ty = state::<ZlibState>(&module)?.decompress_type.bind(py);
        new_instance(ty, Decompress { s: Mutex::new(value) })
    }

    /// `Decompress.__copy__()`.
    fn __copy__<'py>(
        slf: &Bound<'py, Class<Decompress>>,
    ) -> PyResult<Bound<'py, Class<Decompress>>> {
        copy(slf)
    }

    /// `Decompress.__deepcopy__(memo, /)`.
    fn __deepcopy__<'py>(
        slf: &Bound<'py, Class<Decompress>>,
        memo: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, Class<Decompress>>> {
        let _ = memo;
        copy(slf)
    }

    fn get_unused_data<'py>(
        slf: &Bound<'py, Class<Decompress>>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        read_locked(slf, |this| &this.s, |py, s| PyBytes::new(py, &s.unused_data))
    }

    fn get_unconsumed_tail<'py>(
        slf: &Bound<'py, Class<Decompress>>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        read_locked(
            slf,
            |this| &this.s,
            |py, s| PyBytes::new(py, &s.unconsumed_tail),
        )
    }

    fn get_eof(slf: &Bound<'_, Class<Decompress>>) -> PyResult<bool> {
        read_locked(slf, |this| &this.s, |_, s| Ok(s.eof))
    }

    tutorial::class! {
        type: Decompress,
        name: "zlib.Decompress",
        doc: "A zlib decompressor, made by zlib.decompressobj().",
        methods: [
            decompress(data, /, max_length = 0): "Return a bytes object containing the decompressed version of the data.",
            flush(length = 16384, /): "Return a bytes object containing any remaining decompressed data.",
            copy(): "Return a copy of the decompression object.",
            __copy__(): "Return a copy of the decompression object.",
            __deepcopy__(memo, /): "Return a copy of the decompression object.",
        ],
        getset: [
            unused_data: { get: get_unused_data, doc: "data found after the end of the compressed stream" },
            unconsumed_tail: { get: get_unconsumed_tail, doc: "input not yet decompressed because max_length was reached" },
            eof: { get: get_eof, doc: "True once the end of the compressed stream was reached" },
        ],
    }
}

/// What a `zlib._ZlibDecompressor` holds, behind its lock.
struct DecompressorState {
    /// `None` once the end of the stream was reached (C's `inflateEnd`).
    z: Option<Inflate>,
    unused_data: Vec<u8>,
    /// Input given but not yet decompressed (`max_length` was reached).
    pending: Vec<u8>,
    eof: bool,
    needs_input: bool,
}

/// A `zlib._ZlibDecompressor` object (what `gzip` uses, from 3.12).
pub struct ZlibDecompressor {
    s: Mutex<DecompressorState>,
}

/// A new stream for `_ZlibDecompressor(wbits, zdict)`.
fn decompressor_state(
    module: &Bound<'_, PyModule>,
    wbits: i32,
    zdict: Option<&[u8]>,
) -> PyResult<DecompressorState> {
    let py = module.py();
    let mut z = Inflate::new(wbits).map_err(|e| match e.code {
        Z_STREAM_ERROR => {
            exceptions::ValueError::new_err(py, "Invalid initialization option")
        }
        Z_MEM_ERROR => {
            let msg = "Can't allocate memory for decompression object";
            exceptions::MemoryError::new_err(py, msg)
        }
        c => zlib_error(module, c, "while creating decompression object"),
    })?;
    if let (Some(dict), true) = (zdict, wbits < 0) {
        z.set_dictionary(dict).map_err(|e| {
            Failure::Zlib(e.code, e.msg, "while setting zdict").raise(module)
        })?;
    }
    Ok(DecompressorState {
        z: Some(z),
        unused_data: Vec::new(),
        pending: Vec::new(),
        eof: false,
        needs_input: true,
    })
}

impl PyClass for ZlibDecompressor {
    type Base = ObjectBase;

    fn new(py: Python<'_>) -> PyResult<Self> {
        // The stream `__init__` replaces; made here so that an object whose
        // `__init__` never ran still has one.
        let z = Inflate::new(MAX_WBITS).map_err(|_| {
            let msg = "Can't allocate memory for decompression object";
            exceptions::MemoryError::new_err(py, msg)
        })?;
        Ok(ZlibDecompressor {
            s: Mutex::new(DecompressorState {
                z: Some(z),
                unused_data: Vec::new(),
                pending: Vec::new(),
                eof: false,
                needs_input: true,
            }),
        })
    }
}

impl DecompressorState {
    /// C's `decompress_buf`: at most `max_length` bytes (none if negative),
    /// from an output buffer that doubles, as C's does.
    fn decompress_buf(
        &mut self,
        input: &[u8],
        max_length: isize,
    ) -> Result<(Vec<u8>, usize), Failure> {
        let doing = "while decompressing data";
        let (hard_limit, mut length) = if max_length < 0 || max_length == isize::MAX
        {
            (None, DEF_BUF_SIZE)
        } else {
            let max = max_length.unsigned_abs();
            (Some(max), max.min(DEF_MAX_INITIAL_BUF_SIZE))
        };
        let no_memory =
            || Failure::Memory("Insufficient memory for buffer allocation");
        let mut out = Vec::new();
        out.try_reserve_exact(length).map_err(|_| no_memory())?;
        let Some(z) = self.z.as_mut() else {
            return Err(Failure::Zlib(Z_STREAM_ERROR, None, doing));
        };
        let mut rest = input;
        let mut code = Z_OK;
        let mut first = true;
        'done: loop {
            let last = is_last_piece(rest);
            loop {
                if !first && out.len() == length {
                    if Some(length) == hard_limit {
                        break 'done;
                    }
                    let grown = match hard_limit {
                        Some(max) if length > max >> 1 => max,
                        _ => length.saturating_mul(2),
                    };
                    out.try_reserve_exact(grown - out.len())
                        .map_err(|_| no_memory())?;
                    length = grown;
                }
                first = false;
                let room = (length - out.len()).min(u32::MAX as usize);
                let s = z.inflate(rest, &mut out, room, Z_SYNC_FLUSH);
                rest = &rest[s.consumed..];
                code = s.code;
                if code == Z_NEED_DICT {
                    // C returns NULL here without an exception (a
                    // SystemError); the port raises zlib.error instead.
                    return Err(Failure::Zlib(code, z.msg(), doing));
                }
                if s.written != room {
                    break;
                }
            }
            if code == Z_STREAM_END || last {
                break;
            }
        }
        let left = rest.len();
        if code == Z_STREAM_END {
            self.eof = true;
            self.z = None;
        } else if code != Z_OK && code != Z_BUF_ERROR {
            return Err(Failure::Zlib(code, z.msg(), doing));
        }
        Ok((out, left))
    }
}

mod decompressor_methods {
    use super::*;

    /// `_ZlibDecompressor(wbits=15, zdict=b'')`.
    fn init(
        slf: &Bound<'_, Class<ZlibDecompressor>>,
        wbits: i32,
        zdict: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<()> {
        let py = slf.py();
        let module = slf.module()?;
        let zdict = zdict.map(PyBuffer::get).transpose()?;
        let value = match &zdict {
            Some(d) => {
                if d.len() > u32::MAX as usize {
                    let msg = "zdict length does not fit in an unsigned int";
                    return Err(exceptions::OverflowError::new_err(py, msg));
                }
                d.with_bytes(|b| b.to_vec())
            }
            None => Vec::new(),
        };
        let fresh =
            decompressor_state(&module, wbits, zdict.as_ref().map(|_| &value[..]))?;
        slf.with(|this| {
            *this.s.lock(py)? = fresh;
            Ok(())
        })?
    }

    /// `_ZlibDecompressor.decompress(data, max_length=-1)`.
    fn decompress<'py>(
        slf: &Bound<'py, Class<ZlibDecompressor>>,
        data: PyBuffer<'py>,
        max_length: isize,
    ) -> PyResult<Bound<'py, PyBytes>> {
        let py = slf.py();
        let out = slf.with(|this| {
            let mut guard = this.s.lock(py)?;
            if guard.eof {
                let msg = "End of stream already reached";
                return Err(exceptions::EOFError::new_err(py, msg));
            }
            let s: &mut DecompressorState = &mut guard;
            Ok(data.with_bytes_detached(py, |data| {
                // Input left over from the last call comes first.
                let joined;
                let input = if s.pending.is_empty() {
                    data
                } else {
                    joined = [&s.pending[..], data].concat();
                    &joined[..]
                };
                let result = s.decompress_buf(input, max_length);
                let (out, left) = match result {
                    Ok(r) => r,
                    Err(f) => {
                        s.pending.clear();
                        return Err(f);
                    }
                };
                let rest = &input[input.len() - left..];
                if s.eof {
                    s.needs_input = false;
                    if !rest.is_empty() {
                        s.unused_data = rest.to_vec();
                    }
                    s.pending.clear();
                } else if rest.is_empty() {
                    s.pending.clear();
                    s.needs_input = true;
                } else {
                    s.needs_input = false;
                    s.pending = rest.to_vec();
                }
                Ok(out)
            }))
        })??;
        bytes_or_raise(&slf.module()?, out)
    }

    fn get_eof(slf: &Bound<'_, Class<ZlibDecompressor>>) -> PyResult<bool> {
        read_locked(slf, |this| &this.s, |_, s| Ok(s.eof))
    }

    fn get_unused_data<'py>(
        slf: &Bound<'py, Class<ZlibDecompressor>>,
    ) -> PyResult<Bound<'py, PyBytes>> {
        read_locked(slf, |this| &this.s, |py, s| PyBytes::new(py, &s.unused_data))
    }

    fn get_needs_input(slf: &Bound<'_, Class<ZlibDecompressor>>) -> PyResult<bool> {
        read_locked(slf, |this| &this.s, |_, s| Ok(s.needs_input))
    }

    tutorial::class! {
        type: ZlibDecompressor,
        name: "zlib._ZlibDecompressor",
        doc: "Create a decompressor object for decompressing data incrementally.",
        init: init(wbits = 15, zdict = None),
        methods: [
            decompress(data, max_length = -1): "Decompress data, returning uncompressed data as bytes.",
        ],
        getset: [
            eof: { get: get_eof, doc: "True if the end-of-stream marker has been reached." },
            unused_data: { get: get_unused_data, doc: "Data found after the end of the compressed stream." },
            needs_input: { get: get_needs_input, doc: "True if more input is needed before more decompressed data can be produced." },
        ],
    }
}

// ANCHOR: module
tutorial::module! {
    name: zlib,
    doc: "The functions in this module allow compression and decompression using the
zlib library, which is based on GNU zip.",
    state: ZlibState,
    exec: exec,
    methods: [
        tutorial::meth_fastcall!(
            adler32(data, value = [UnsignedIntMask(1)], /),
            text_signature = "($module, data, value=1, /)",
            "Compute an Adler-32 checksum of data."
        ),
        #[cfg(Py_3_15)]
        tutorial::meth_fastcall!(__getattr__(name, /), "Module __getattr__"),
        #[cfg(Py_3_15)]
        tutorial::meth_fastcall!(
            adler32_combine(adler1, adler2, len2, /),
            text_signature = "($module, adler1, adler2, len2, /)",
            "Combine two Adler-32 checksums into one."
        ),
        tutorial::meth_fastcall!(
            compress(data, /, level = -1, wbits = 15),
            text_signature = "($module, data, /, level=Z_DEFAULT_COMPRESSION, \
                              wbits=MAX_WBITS)",
            "Returns a bytes object containing compressed data."
        ),
        tutorial::meth_fastcall!(
            compressobj(
                level = -1, method = 8, wbits = 15, memLevel = 8, strategy = 0,
                zdict = None
            ),
            text_signature = "($module, /, level=Z_DEFAULT_COMPRESSION, \
                              method=DEFLATED, wbits=MAX_WBITS, \
                              memLevel=DEF_MEM_LEVEL, \
                              strategy=Z_DEFAULT_STRATEGY, zdict=None)",
            "Return a compressor object."
        ),
        tutorial::meth_fastcall!(
            crc32(data, value = [UnsignedIntMask(0)], /),
            text_signature = "($module, data, value=0, /)",
            "Compute a CRC-32 checksum of data."
        ),
        #[cfg(Py_3_15)]
        tutorial::meth_fastcall!(
            crc32_combine(crc1, crc2, len2, /),
            text_signature = "($module, crc1, crc2, len2, /)",
            "Combine two CRC-32 checksums into one."
        ),
        tutorial::meth_fastcall!(
            decompress(data, /, wbits = 15, bufsize = 16384),
            text_signature = "($module, data, /, wbits=MAX_WBITS, \
                              bufsize=DEF_BUF_SIZE)",
            "Returns a bytes object containing the uncompressed data."
        ),
        tutorial::meth_fastcall!(
            decompressobj(wbits = 15, zdict = None),
            text_signature = "($module, /, wbits=MAX_WBITS, zdict=b'')",
            "Return a decompressor object."
        ),
    ],
}
// ANCHOR_END: module
