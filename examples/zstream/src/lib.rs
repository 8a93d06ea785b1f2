//! A safe stream API over zlib-rs's C API (`libz-rs-sys`), for the zlib port.
//!
//! The C API is used rather than zlib-rs's Rust API because the Rust API has
//! no `deflateCopy`/`inflateCopy` and no `memLevel`, and panics where zlib
//! returns `Z_STREAM_ERROR`. This crate holds the only unsafe code under the
//! port.

use libz_rs_sys as z;

/// zlib's `Z_OK`.
pub const Z_OK: i32 = 0;
/// zlib's `Z_STREAM_END`.
pub const Z_STREAM_END: i32 = 1;
/// zlib's `Z_NEED_DICT`.
pub const Z_NEED_DICT: i32 = 2;
/// zlib's `Z_STREAM_ERROR`.
pub const Z_STREAM_ERROR: i32 = -2;
/// zlib's `Z_DATA_ERROR`.
pub const Z_DATA_ERROR: i32 = -3;
/// zlib's `Z_MEM_ERROR`.
pub const Z_MEM_ERROR: i32 = -4;
/// zlib's `Z_BUF_ERROR`.
pub const Z_BUF_ERROR: i32 = -5;
/// zlib's `Z_VERSION_ERROR`.
pub const Z_VERSION_ERROR: i32 = -6;

/// The zlib version zlib-rs is compatible with, as C zlib's `ZLIB_VERSION`.
pub const ZLIB_VERSION: &str = "1.3.0";

/// The result of one call into zlib: the return code and the bytes used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Step {
    /// zlib's return code.
    pub code: i32,
    /// Input bytes consumed.
    pub consumed: usize,
    /// Output bytes written.
    pub written: usize,
}

/// A `z_stream` that never moves, initialised for deflate or inflate.
///
/// # Invariants
///
/// `strm` was initialised by `deflateInit2_` (when `deflate`) or
/// `inflateInit2_` (otherwise) with `Z_OK`, lives in its own box so its
/// address is stable, and is ended exactly once, in `Drop`. Between calls
/// `next_in`/`next_out` may dangle; every call sets them first.
struct Raw {
    strm: Box<z::z_stream>,
    deflate: bool,
    /// Set by the first `Z_DATA_ERROR` of inflate, with its message: the
    /// stream is then broken for good, as C zlib's `BAD` state is (see
    /// [`Raw::run`]).
    data_error: Option<Option<String>>,
}

impl Raw {
    /// zlib's own message (`strm.msg`), if it set one; after a data error,
    /// that error's message, which C zlib leaves in place.
    fn msg(&self) -> Option<String> {
        match &self.data_error {
            Some(first) => first.clone(),
            None => self.raw_msg(),
        }
    }

    /// `strm.msg` as zlib-rs left it.
    fn raw_msg(&self) -> Option<String> {
        let m = self.strm.msg;
        if m.is_null() {
            return None;
        }
        // SAFETY: zlib sets `msg` to null or to a static NUL-terminated
        // string.
        let s = unsafe { std::ffi::CStr::from_ptr(m) }.to_string_lossy();
        (!s.is_empty()).then(|| s.into_owned())
    }

    /// `deflateSetDictionary` or `inflateSetDictionary`.
    fn set_dictionary(&mut self, dict: &[u8]) -> Result<(), Error> {
        let len = u32::try_from(dict.len())
            .map_err(|_| Error { code: Z_STREAM_ERROR, msg: None })?;
        let code = if self.deflate {
            // SAFETY: the stream is initialised for deflate (type
            // invariant); `dict` is valid for reads of `len` bytes.
            unsafe { z::deflateSetDictionary(&mut *self.strm, dict.as_ptr(), len) }
        } else {
            // SAFETY: as above, for inflate.
            unsafe { z::inflateSetDictionary(&mut *self.strm, dict.as_ptr(), len) }
        };
        if code == Z_OK { Ok(()) } else { Err(Error { code, msg: self.msg() }) }
    }

    /// `deflateCopy` or `inflateCopy` into a new stream.
    fn try_clone(&mut self) -> Result<Self, Error> {
        let mut strm = Box::new(z::z_stream::default());
        let code = if self.deflate {
            // SAFETY: the source is initialised for deflate (type
            // invariant); `strm` is a fresh stream for the copy.
            unsafe { z::deflateCopy(&mut *strm, &mut *self.strm) }
        } else {
            // zlib-rs's `inflateCopy` refuses a null `next_out`, so the
            // source points at a scratch byte, with no room, for the copy.
            let mut scratch = [0u8; 1];
            self.strm.next_out = scratch.as_mut_ptr();
            self.strm.avail_out = 0;
            self.strm.next_in = std::ptr::null();
            self.strm.avail_in = 0;
            // SAFETY: as above, for inflate; the pointers just set are not
            // used past the call (there is no room and no input).
            unsafe { z::inflateCopy(&mut *strm, &*self.strm) }
        };
        if code != Z_OK {
            return Err(Error { code, msg: None });
        }
        // INVARIANT: the copy returned `Z_OK`, so `strm` is initialised
        // for the same direction; it is boxed.
        Ok(Self {
            strm,
            deflate: self.deflate,
            data_error: self.data_error.clone(),
        })
    }

    /// One call of `deflate` or `inflate` over `input`, appending at most
    /// `room` bytes to `out` (which grows by that much first).
    ///
    /// After a data error, inflate does not call zlib-rs again: C zlib's
    /// stream stays in its `BAD` state and answers every later call with
    /// `Z_DATA_ERROR`, consuming and writing nothing, where zlib-rs may go
    /// on (after a bad check value it returns `Z_OK`) or change the
    /// message (`repeated call with bad state`).
    fn run(
        &mut self,
        input: &[u8],
        out: &mut Vec<u8>,
        room: usize,
        flush: i32,
    ) -> Step {
        if self.data_error.is_some() {
            return Step { code: Z_DATA_ERROR, consumed: 0, written: 0 };
        }
        let in_len = input.len().min(u32::MAX as usize);
        let room = room.min(u32::MAX as usize);
        out.reserve(room);
        let spare = out.spare_capacity_mut();
        let out_len = room.min(spare.len());
        self.strm.next_in = input.as_ptr();
        self.strm.avail_in = in_len as u32;
        self.strm.next_out = spare.as_mut_ptr().cast::<u8>();
        self.strm.avail_out = out_len as u32;
        let code = if self.deflate {
            // SAFETY: the stream is initialised for deflate (type invariant);
            // `next_in` points at `in_len` readable bytes of `input`,
            // `next_out` at `out_len` bytes of `out`'s spare capacity, which
            // zlib only writes; both outlive the call.
            unsafe { z::deflate(&mut *self.strm, flush) }
        } else {
            // SAFETY: as above, for inflate.
            unsafe { z::inflate(&mut *self.strm, flush) }
        };
        let written = out_len - self.strm.avail_out as usize;
        // SAFETY: zlib wrote (initialised) the first `written` bytes of the
        // spare capacity: `avail_out` went down by exactly that much.
        unsafe { out.set_len(out.len() + written) };
        if code == Z_DATA_ERROR && !self.deflate {
            self.data_error = Some(self.raw_msg());
        }
        Step { code, consumed: in_len - self.strm.avail_in as usize, written }
    }
}

impl Drop for Raw {
    fn drop(&mut self) {
        // SAFETY: the stream was initialised and is ended only here (type
        // invariant).
        unsafe {
            if self.deflate {
                z::deflateEnd(&mut *self.strm);
            } else {
                z::inflateEnd(&mut *self.strm);
            }
        }
    }
}

// SAFETY: the stream owns its state; nothing in it is tied to a thread.
unsafe impl Send for Raw {}

/// An error from zlib: the return code and the message, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// zlib's return code.
    pub code: i32,
    /// zlib's message, or C zlib's text for the code.
    pub msg: Option<String>,
}

fn version_ptr() -> *const std::ffi::c_char {
    z::zlibVersion()
}

/// The library's own version string (`zlibVersion()`): zlib-rs gives the
/// zlib version it is compatible with and its own, as `1.3.0-zlib-rs-0.6.x`.
pub fn runtime_version() -> String {
    // SAFETY: `zlibVersion` returns a static NUL-terminated string.
    unsafe { std::ffi::CStr::from_ptr(version_ptr()) }
        .to_string_lossy()
        .into_owned()
}

/// The methods [`Deflate`] and [`Inflate`] share, each a call of [`Raw`]'s.
macro_rules! shared_methods {
    ($ty:ident, $zlib:literal, $what:literal) => {
        impl $ty {
            #[doc = concat!("Sets the dictionary, as `", $zlib, "SetDictionary`.")]
            ///
            /// # Errors
            ///
            /// zlib's code when it refuses (`Z_STREAM_ERROR`; for inflate,
            /// `Z_DATA_ERROR` for the wrong dictionary).
            pub fn set_dictionary(&mut self, dict: &[u8]) -> Result<(), Error> {
                self.0.set_dictionary(dict)
            }

            #[doc = concat!("Copies the ", $what, "'s state, as `", $zlib, "Copy`.")]
            ///
            /// # Errors
            ///
            /// zlib's code when it refuses.
            pub fn try_clone(&mut self) -> Result<Self, Error> {
                self.0.try_clone().map(Self)
            }

            /// zlib's message for the last error (`strm.msg`), if it set one.
            pub fn msg(&self) -> Option<String> {
                self.0.msg()
            }
        }
    };
}

/// A compressor: `deflateInit2`'d `z_stream`.
pub struct Deflate(Raw);

impl Deflate {
    /// Starts a compressor, as `deflateInit2(level, method, wbits, memLevel, strategy)`.
    ///
    /// # Errors
    ///
    /// zlib's code (`Z_STREAM_ERROR` for a bad argument, `Z_MEM_ERROR`).
    pub fn new(
        level: i32,
        method: i32,
        wbits: i32,
        mem_level: i32,
        strategy: i32,
    ) -> Result<Self, Error> {
        let mut strm = Box::new(z::z_stream::default());
        // SAFETY: `strm` is a zeroed stream with default allocators; the
        // version and size are this crate's own.
        let code = unsafe {
            z::deflateInit2_(
                &mut *strm,
                level,
                method,
                wbits,
                mem_level,
                strategy,
                version_ptr(),
                std::mem::size_of::<z::z_stream>() as i32,
            )
        };
        if code != Z_OK {
            return Err(Error { code, msg: None });
        }
        // INVARIANT: initialised with `Z_OK`, boxed.
        Ok(Self(Raw { strm, deflate: true, data_error: None }))
    }

    /// Runs `deflate` once with `flush` over `input`, appending at most
    /// `room` bytes (and at most 4 GiB - 1) to `out`.
    pub fn deflate(
        &mut self,
        input: &[u8],
        out: &mut Vec<u8>,
        room: usize,
        flush: i32,
    ) -> Step {
        self.0.run(input, out, room, flush)
    }
}

shared_methods!(Deflate, "deflate", "compressor");

/// A decompressor: `inflateInit2`'d `z_stream`.
pub struct Inflate(Raw);

impl Inflate {
    /// Starts a decompressor, as `inflateInit2(wbits)` (every form: zlib,
    /// raw with a negative `wbits`, gzip with 16+, automatic with 32+).
    ///
    /// # Errors
    ///
    /// zlib's code (`Z_STREAM_ERROR` for a bad `wbits`, `Z_MEM_ERROR`).
    pub fn new(wbits: i32) -> Result<Self, Error> {
        let mut strm = Box::new(z::z_stream::default());
        // SAFETY: `strm` is a zeroed stream with default allocators.
        let code = unsafe {
            z::inflateInit2_(
                &mut *strm,
                wbits,
                version_ptr(),
                std::mem::size_of::<z::z_stream>() as i32,
            )
        };
        if code != Z_OK {
            return Err(Error { code, msg: None });
        }
        // INVARIANT: initialised with `Z_OK`, boxed.
        Ok(Self(Raw { strm, deflate: false, data_error: None }))
    }

    /// Runs `inflate` once with `flush` over `input`, appending at most
    /// `room` bytes (and at most 4 GiB - 1) to `out`.
    pub fn inflate(
        &mut self,
        input: &[u8],
        out: &mut Vec<u8>,
        room: usize,
        flush: i32,
    ) -> Step {
        self.0.run(input, out, room, flush)
    }
}

shared_methods!(Inflate, "inflate", "decompressor");

/// Computes zlib's Adler-32 of `data`, starting from `value` (for no data,
/// `value` reduced modulo 65521 in each half, as C zlib gives it).
pub fn adler32(value: u32, data: &[u8]) -> u32 {
    // C zlib takes a start value whose halves are not yet reduced modulo
    // 65521 (`zlib.adler32(b"", 0xffffffff)` is legal Python) and reduces
    // them on the way out; zlib-rs returns such a value unchanged for no
    // data, and for one byte C reduces by a single subtraction. Both short
    // cases are done here, the C way; longer data reduces fully on either.
    const BASE: u32 = 65521;
    let (mut a, mut b) = (value & 0xffff, value >> 16);
    match data {
        [] => {
            if a >= BASE {
                a -= BASE;
            }
            return a | ((b % BASE) << 16);
        }
        [byte] => {
            a += u32::from(*byte);
            if a >= BASE {
                a -= BASE;
            }
            b += a;
            if b >= BASE {
                b -= BASE;
            }
            return a | (b << 16);
        }
        _ => {}
    }
    let mut v = value as std::ffi::c_ulong;
    for chunk in data.chunks(u32::MAX as usize) {
        // SAFETY: `chunk` is valid for reads of `chunk.len()` bytes, which
        // fits in a `uInt` because of the chunk size.
        v = unsafe { z::adler32(v, chunk.as_ptr(), chunk.len() as u32) };
    }
    v as u32
}

/// Computes zlib's CRC-32 of `data`, starting from `value`.
pub fn crc32(value: u32, data: &[u8]) -> u32 {
    let mut v = value as std::ffi::c_ulong;
    for chunk in data.chunks(u32::MAX as usize) {
        // SAFETY: `chunk` is valid for reads of `chunk.len()` bytes, which
        // fits in a `uInt` because of the chunk size.
        v = unsafe { z::crc32(v, chunk.as_ptr(), chunk.len() as u32) };
    }
    v as u32
}

/// zlib's `crc32_combine`: the CRC-32 of `A + B` from the CRC-32s of `A`
/// and `B` and the length of `B`.
pub fn crc32_combine(crc1: u32, crc2: u32, len2: u64) -> u32 {
    let len2 = z::z_off_t::try_from(len2).unwrap_or(z::z_off_t::MAX);
    z::crc32_combine(crc1.into(), crc2.into(), len2) as u32
}

/// zlib's `adler32_combine`, as [`crc32_combine`] for Adler-32.
pub fn adler32_combine(adler1: u32, adler2: u32, len2: u64) -> u32 {
    let len2 = z::z_off_t::try_from(len2).unwrap_or(z::z_off_t::MAX);
    z::adler32_combine(adler1.into(), adler2.into(), len2) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn adler32_of_no_data_reduces_the_start_value_as_c_zlib_does() {
        // C zlib: 0xffff - 65521 = 14 in each half.
        assert_eq!(adler32(0xffff_ffff, b""), 14 | (14 << 16));
        assert_eq!(adler32(432, b""), 432);
        assert_eq!(adler32(1, b"abc"), 0x024d_0127);
    }

    fn compress_all(d: &mut Deflate, data: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        let s = d.deflate(data, &mut out, data.len() + 1024, 4);
        assert_eq!(s.code, Z_STREAM_END);
        assert_eq!(out.len(), s.written);
        out
    }

    fn decompress_all(i: &mut Inflate, data: &[u8]) -> (Step, Vec<u8>) {
        let mut out = Vec::new();
        (i.inflate(data, &mut out, 1 << 16, 0), out)
    }

    #[test]
    fn round_trip_every_wbits_form() {
        let data = b"hello hello hello zlib-rs".repeat(20);
        for (cw, dw) in [(15, 15), (-15, -15), (31, 31), (15, 47), (31, 47), (9, 0)]
        {
            let mut d = Deflate::new(6, 8, cw, 8, 0).unwrap();
            let c = compress_all(&mut d, &data);
            let mut i = Inflate::new(dw).unwrap();
            let (s, out) = decompress_all(&mut i, &c);
            assert_eq!((s.code, &out), (Z_STREAM_END, &data), "{cw} {dw}");
        }
    }

    #[test]
    fn output_is_appended_and_limited_to_the_room_given() {
        let data = b"abcdefgh".repeat(100);
        let mut d = Deflate::new(6, 8, 15, 8, 0).unwrap();
        let c = compress_all(&mut d, &data);
        let mut i = Inflate::new(15).unwrap();
        let mut out = b"kept".to_vec();
        let s = i.inflate(&c, &mut out, 10, 0);
        assert_eq!((s.code, s.written), (Z_OK, 10));
        assert_eq!(&out[..], b"keptabcdefghab");
        let s2 = i.inflate(&c[s.consumed..], &mut out, 1 << 20, 0);
        assert_eq!(s2.code, Z_STREAM_END);
        assert_eq!(&out[4..], &data[..]);
    }

    #[test]
    fn copies_continue_independently() {
        let data = b"abcdefgh".repeat(100);
        let mut d = Deflate::new(6, 8, 15, 8, 0).unwrap();
        let mut first = Vec::new();
        d.deflate(&data[..400], &mut first, 4096, 0);
        let mut d2 = d.try_clone().unwrap();
        let mut second = first.clone();
        first.extend(compress_all(&mut d, &data[400..]));
        second.extend(compress_all(&mut d2, &data[400..]));
        assert_eq!(first, second);
        let mut i = Inflate::new(15).unwrap();
        let mut out = Vec::new();
        let s = i.inflate(&first[..10], &mut out, 4096, 0);
        assert_eq!(s.code, Z_OK);
        let mut i2 = i.try_clone().unwrap();
        let (s2, rest) = decompress_all(&mut i2, &first[10..]);
        assert_eq!(s2.code, Z_STREAM_END);
        out.extend(rest);
        assert_eq!(out, data);
    }

    #[test]
    fn dictionary() {
        let dict = b"the quick brown fox";
        let mut d = Deflate::new(9, 8, 15, 8, 0).unwrap();
        d.set_dictionary(dict).unwrap();
        let c = compress_all(&mut d, b"the quick brown fox jumps");
        let mut i = Inflate::new(15).unwrap();
        let (s, _) = decompress_all(&mut i, &c);
        assert_eq!(s.code, Z_NEED_DICT);
        i.set_dictionary(dict).unwrap();
        let (s, out) = decompress_all(&mut i, &c[s.consumed..]);
        assert_eq!(
            (s.code, &out[..]),
            (Z_STREAM_END, &b"the quick brown fox jumps"[..])
        );
    }

    #[test]
    fn corrupt_stream_is_a_data_error_with_zlibs_message() {
        let mut i = Inflate::new(15).unwrap();
        let (s, _) = decompress_all(&mut i, b"not zlib at all");
        assert_eq!(s.code, Z_DATA_ERROR);
        assert_eq!(i.msg().as_deref(), Some("incorrect header check"));
        assert_eq!(
            Deflate::new(6, 8, 99, 8, 0).err().map(|e| e.code),
            Some(Z_STREAM_ERROR)
        );
    }

    #[test]
    fn crc32_matches_zlib() {
        assert_eq!(crc32(0, b"abc"), 0x3524_41c2);
        assert_eq!(crc32(0, b""), 0);
    }
}
