//! `_base64`: `binascii.b2a_base64` and `binascii.a2b_base64` in Rust, with
//! the C functions' arguments, results and `binascii.Error` messages (from
//! CPython's `Modules/binascii.c`, as 3.11, 3.12 and 3.13 have it, chosen
//! by `cfg`), the way the Rust for CPython proposal's first module,
//! `_base64`, starts.
//!
//! Encoding, and decoding canonical base64, are done by the `base64-simd`
//! crate; input it refuses (line breaks, stray characters, odd padding)
//! goes to a hand-written decoder that follows binascii's lenient rules.
//! The book's "Porting base64" chapter shows the measurements behind that
//! choice.

use tutorial::args::AsciiBuffer;
#[cfg(Py_3_15)]
use tutorial::args::{FromArg, downcast_arg};
use tutorial::module::{TraverseError, raise, state};
use tutorial::prelude::*;

// ANCHOR: state
/// What the module keeps: `binascii.Error`, the exception it raises, so
/// that code catching `binascii.Error` catches this module's errors too.
pub struct Base64State {
    /// `binascii.Error`, imported when the module is.
    error: Py<PyType>,
    /// What a `=` inside the data means to the running interpreter's
    /// binascii, which changed in patch releases.
    padding: codec::Padding,
}

impl ModuleState for Base64State {
    fn traverse(&self, visit: &mut Visit<'_>) -> Result<(), TraverseError> {
        visit.call(&self.error)
    }
}

fn exec(module: &Bound<'_, PyModule>) -> PyResult<Base64State> {
    let error = module
        .py()
        .import("binascii")?
        .getattr("Error")?
        .downcast_into::<PyType>()?;
    module.add("Error", &error)?;
    // 3.15's text signatures name `BASE64_ALPHABET`, which `inspect`
    // looks up in the function's module.
    #[cfg(Py_3_15)]
    module.add(
        "BASE64_ALPHABET",
        &module.py().import("binascii")?.getattr("BASE64_ALPHABET")?,
    )?;
    let version =
        module.py().import("sys")?.getattr("hexversion")?.extract::<i64>()?;
    Ok(Base64State {
        error: error.unbind(),
        padding: codec::Padding::of(version as u32),
    })
}
// ANCHOR_END: state

// ANCHOR: flag
/// The type of the `newline` and `strict_mode` flags. In 3.11 Clinic's
/// `bool(accept={int})` converter reads a C `int` (`_PyLong_AsInt`): an
/// integer, or an object with `__index__`, that fits. From 3.12 the flags
/// are plain truth values (`PyObject_IsTrue`): any object, `__bool__`
/// called.
#[cfg(not(Py_3_12))]
type Flag = i32;
#[cfg(Py_3_12)]
type Flag = bool;

/// Whether a flag is set.
#[cfg(not(Py_3_12))]
fn is_set(flag: Flag) -> bool {
    flag != 0
}
#[cfg(Py_3_12)]
#[cfg_attr(Py_3_15, allow(dead_code))]
fn is_set(flag: Flag) -> bool {
    flag
}
// ANCHOR_END: flag

// ANCHOR: b2a
/// The most input `b2a_base64` accepts, as the C module defines it.
const MAX_BINARY: usize = (isize::MAX as usize - 3) / 2;

/// `binascii.Error` for more input than [`MAX_BINARY`].
fn check_size(module: &Bound<'_, PyModule>, data: &PyBuffer<'_>) -> PyResult<()> {
    if data.len() > MAX_BINARY {
        return Err(raise(
            &state::<Base64State>(module)?.error,
            module.py(),
            "Too much data for base64 line",
        ));
    }
    Ok(())
}

#[cfg(not(Py_3_15))]
fn b2a_base64<'py>(
    module: &Bound<'py, PyModule>,
    data: PyBuffer<'py>,
    newline: Flag,
) -> PyResult<Bound<'py, PyBytes>> {
    let py = module.py();
    check_size(module, &data)?;
    let encoded = codec::encoded_len(data.len());
    let newline = is_set(newline);
    PyBytes::new_uninit(py, encoded + usize::from(newline), |out| {
        data.with_bytes(|input| {
            out.write_with(|spare| codec::encode(input, &mut spare[..encoded]));
        });
        if newline {
            out.push(b'\n');
        }
        Ok(())
    })
}
// ANCHOR_END: b2a

// ANCHOR: a2b
#[cfg(not(Py_3_15))]
fn a2b_base64<'py>(
    module: &Bound<'py, PyModule>,
    data: AsciiBuffer<'_, 'py>,
    strict_mode: Flag,
) -> PyResult<Bound<'py, PyBytes>> {
    let rules = codec::Rules::standard(
        is_set(strict_mode),
        state::<Base64State>(module)?.padding,
    );
    decode(module, &data, &rules)
}

/// `data` decoded by `rules` into a new `bytes`, or `binascii.Error`.
fn decode<'py>(
    module: &Bound<'py, PyModule>,
    data: &AsciiBuffer<'_, 'py>,
    rules: &codec::Rules<'_>,
) -> PyResult<Bound<'py, PyBytes>> {
    let py = module.py();
    // Every 4 characters make at most 3 bytes; the object is shrunk after.
    PyBytes::new_with(py, data.len().div_ceil(4) * 3, |out| {
        match data.with_bytes(|input| codec::decode(input, out, rules)) {
            Ok(written) => Ok(written),
            Err(e) => {
                Err(raise(&state::<Base64State>(module)?.error, py, &e.to_string()))
            }
        }
    })
}
// ANCHOR_END: a2b

// ANCHOR: given
/// A parameter whose default Python cannot spell (Clinic's
/// `<unrepresentable>`, or a C constant): `Given(None)` when it is left
/// out, and any object passed, `None` included, converted as `T`.
#[cfg(Py_3_15)]
struct Given<T>(Option<T>);

#[cfg(Py_3_15)]
impl<'a, 'py, T: FromArg<'a, 'py>> FromArg<'a, 'py> for Given<T> {
    fn from_arg(obj: &'a Bound<'py, PyAny>) -> PyResult<Self> {
        T::from_arg(obj).map(|value| Given(Some(value)))
    }
}

/// `a2b_base64`'s `alphabet`: a `bytes` object (a buffer will not do).
#[cfg(Py_3_15)]
struct BytesArg<'a, 'py>(&'a Bound<'py, PyBytes>);

#[cfg(Py_3_15)]
impl<'a, 'py> FromArg<'a, 'py> for BytesArg<'a, 'py> {
    fn from_arg(obj: &'a Bound<'py, PyAny>) -> PyResult<Self> {
        downcast_arg::<PyBytes>(obj, "a2b_base64", "argument 'alphabet'")
            .map(BytesArg)
    }
}

/// An alphabet of 64 characters, or `ValueError` in C's words.
#[cfg(Py_3_15)]
fn check_alphabet(py: Python<'_>, alphabet: &[u8]) -> PyResult<()> {
    if alphabet.len() == 64 {
        Ok(())
    } else {
        Err(exceptions::ValueError::new_err(py, "alphabet must have length 64"))
    }
}
// ANCHOR_END: given

// ANCHOR: a2b_3_15
#[cfg(Py_3_15)]
fn a2b_base64<'py>(
    module: &Bound<'py, PyModule>,
    data: AsciiBuffer<'_, 'py>,
    strict_mode: Given<bool>,
    padded: Flag,
    alphabet: Given<BytesArg<'_, 'py>>,
    ignorechars: Given<PyBuffer<'py>>,
    canonical: Flag,
) -> PyResult<Bound<'py, PyBytes>> {
    let py = module.py();
    let values = match &alphabet.0 {
        Some(BytesArg(alphabet)) => {
            check_alphabet(py, alphabet.as_bytes())?;
            Some(codec::values_of(alphabet.as_bytes()))
        }
        None => None,
    };
    let mut ignore = [false; 256];
    if let Some(chars) = &ignorechars.0 {
        chars.with_bytes(|chars| {
            for &c in chars {
                ignore[usize::from(c)] = true;
            }
        });
    }
    let rules = codec::Rules {
        // Strict by default where characters to ignore are given.
        strict: strict_mode.0.unwrap_or(ignorechars.0.is_some()),
        padding: state::<Base64State>(module)?.padding,
        padded,
        canonical,
        values: values.as_ref().unwrap_or(&codec::VALUES),
        ignore: &ignore,
    };
    decode(module, &data, &rules)
}

#[cfg(Py_3_15)]
fn b2a_base64<'py>(
    module: &Bound<'py, PyModule>,
    data: PyBuffer<'py>,
    padded: Flag,
    wrapcol: usize,
    newline: Flag,
    alphabet: Given<PyBuffer<'py>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let py = module.py();
    // The standard characters' replacements, where an alphabet is given.
    let mut translate = None;
    if let Some(alphabet) = &alphabet.0 {
        let chars = alphabet.with_bytes(<[u8]>::to_vec);
        check_alphabet(py, &chars)?;
        let mut table: [u8; 256] = core::array::from_fn(|c| c as u8);
        for (value, &c) in
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
                .iter()
                .zip(&chars)
        {
            table[usize::from(*value)] = c;
        }
        translate = Some(table);
    }
    check_size(module, &data)?;
    let padded_len = codec::encoded_len(data.len());
    let encoded = if padded { padded_len } else { codec::unpadded_len(data.len()) };
    // Lines of `wrapcol` characters rounded down to whole groups (at least
    // one); no wrapping where they would hold everything.
    let line = if wrapcol == 0 || wrapcol >= encoded {
        encoded
    } else {
        (wrapcol / 4 * 4).max(4)
    };
    let breaks = encoded.saturating_sub(1).checked_div(line).unwrap_or(0);
    let total = encoded + breaks + usize::from(newline);
    PyBytes::new_uninit(py, total, |out| {
        if breaks == 0 && padded {
            data.with_bytes(|input| {
                out.write_with(|spare| codec::encode(input, &mut spare[..encoded]));
            });
        } else {
            let mut buf = Vec::with_capacity(padded_len);
            let spare = &mut buf.spare_capacity_mut()[..padded_len];
            let plain = data.with_bytes(move |input| codec::encode(input, spare));
            for chunk in plain[..encoded].chunks(line.max(1)) {
                out.extend_from_slice(chunk);
                if out.len() < encoded + breaks {
                    out.push(b'\n');
                }
            }
        }
        if let Some(table) = &translate {
            for c in out.written() {
                if *c != b'\n' && *c != b'=' {
                    *c = table[usize::from(*c)];
                }
            }
        }
        if newline {
            out.push(b'\n');
        }
        Ok(())
    })
}
// ANCHOR_END: a2b_3_15

// ANCHOR: codec
/// The conversions themselves, on plain bytes: no Python here, so they can
/// run on a buffer lent by [`PyBuffer::with_bytes`] and be tested alone.
mod codec {
    use base64_simd::{Out, STANDARD};
    use core::mem::MaybeUninit;
    use std::fmt;

    /// The length of the base64 form of `n` bytes, padding included.
    pub fn encoded_len(n: usize) -> usize {
        n.div_ceil(3) * 4
    }

    /// The length of the base64 form of `n` bytes without its padding.
    #[cfg_attr(not(Py_3_15), allow(dead_code))]
    pub fn unpadded_len(n: usize) -> usize {
        n / 3 * 4 + [0, 2, 3][n % 3]
    }

    /// Writes the base64 form of `input` to `out`, which is exactly
    /// [`encoded_len`] long and need not be initialised, and returns it,
    /// written. Every input has one canonical encoding, and the crate's is
    /// binascii's.
    pub fn encode<'o>(input: &[u8], out: &'o mut [MaybeUninit<u8>]) -> &'o [u8] {
        let encoded = STANDARD.encode(input, Out::from_uninit_slice(out));
        debug_assert_eq!(encoded.len(), encoded_len(input.len()));
        encoded
    }

    /// What a `=` that completes a group means to binascii.
    #[derive(Clone, Copy, Debug, PartialEq, Eq)]
    pub enum Padding {
        /// The data ends there: anything after it is ignored (refused in
        /// strict mode), as up to 3.13.12 and 3.14.3.
        Ends,
        /// The `=` is skipped and decoding goes on past it (RFC 4648,
        /// section 3.3), from 3.13.13 and 3.14.4 (CPython gh-145264; the
        /// 3.14 release is inferred from the backport's date, 23 March
        /// 2026).
        Skipped,
    }

    impl Padding {
        /// The rule of the interpreter whose `sys.hexversion` is `version`.
        pub fn of(version: u32) -> Padding {
            let (minor, micro) = ((version >> 16) & 0xff, (version >> 8) & 0xff);
            let skipped = match minor {
                ..=12 => false,
                13 => micro >= 13,
                14 => micro >= 4,
                _ => true,
            };
            if skipped { Padding::Skipped } else { Padding::Ends }
        }
    }

    /// Why a2b_base64 refuses its input: the message is binascii.Error's.
    #[derive(Debug, PartialEq, Eq)]
    pub enum DecodeError {
        /// Strict mode: `=` first.
        LeadingPadding,
        /// Strict mode, from 3.13: a `=` after a complete group of four.
        ExcessPadding,
        /// Strict mode: anything after the padding that ends the data.
        ExcessData,
        /// Strict mode: a byte outside the alphabet.
        NotBase64,
        /// Strict mode: a data character after a `=`.
        DiscontinuousPadding,
        /// 4k+1 data characters, which no encoding produces; the count.
        OneTooMany(usize),
        /// The data stops in the middle of a group, without its `=`.
        IncorrectPadding,
        /// 3.15, strict mode with `padded=False`: a `=`.
        PaddingNotAllowed,
        /// 3.15, `canonical=True`: bits set after the last byte.
        NonZeroPaddingBits,
    }

    impl fmt::Display for DecodeError {
        fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            match self {
                DecodeError::LeadingPadding => {
                    f.write_str("Leading padding not allowed")
                }
                DecodeError::ExcessPadding => {
                    f.write_str("Excess padding not allowed")
                }
                DecodeError::ExcessData => f.write_str("Excess data after padding"),
                DecodeError::NotBase64 => {
                    f.write_str("Only base64 data is allowed")
                }
                DecodeError::DiscontinuousPadding => {
                    f.write_str("Discontinuous padding not allowed")
                }
                DecodeError::OneTooMany(n) => write!(
                    f,
                    "Invalid base64-encoded string: number of data \
                     characters ({n}) cannot be 1 more than a multiple of 4"
                ),
                DecodeError::IncorrectPadding => f.write_str("Incorrect padding"),
                DecodeError::PaddingNotAllowed => {
                    f.write_str("Padding not allowed")
                }
                DecodeError::NonZeroPaddingBits => {
                    f.write_str("Non-zero padding bits")
                }
            }
        }
    }

    /// How [`decode_with`] reads its input: binascii's options.
    pub struct Rules<'t> {
        /// `strict_mode`: refuse what the other modes skip.
        pub strict: bool,
        /// What a `=` that completes a group means.
        pub padding: Padding,
        /// 3.15's `padded`: `=` is padding (else a character like any other
        /// outside the alphabet, refused in strict mode).
        pub padded: bool,
        /// 3.15's `canonical`: refuse non-zero bits after the last byte.
        pub canonical: bool,
        /// The value of each character (3.15's `alphabet`), `INVALID` for
        /// the rest.
        pub values: &'t [u8; 256],
        /// 3.15's `ignorechars`: the characters strict mode skips.
        pub ignore: &'t [bool; 256],
    }

    impl Rules<'static> {
        /// The rules of the standard alphabet without 3.15's options.
        #[cfg_attr(Py_3_15, allow(dead_code))]
        pub fn standard(strict: bool, padding: Padding) -> Rules<'static> {
            Rules {
                strict,
                padding,
                padded: true,
                canonical: false,
                values: &VALUES,
                ignore: &[false; 256],
            }
        }
    }

    /// Decodes `input` into `out` (at least `input.len().div_ceil(4) * 3`
    /// long) and returns how many bytes it wrote.
    ///
    /// Canonical base64, the output of an encoder, is what nearly every
    /// caller passes: the crate's vectorised decoder takes it, and refuses
    /// anything else, whatever binascii would make of it. Refused input is
    /// decoded again by [`decode_with`], binascii's own rules. Outside
    /// strict mode a line break after the data is skipped by those rules, so
    /// it can be dropped before trying the fast path: `b2a_base64` adds one.
    /// The fast path is only taken for the standard alphabet with padding
    /// (canonical input decodes the same whatever the other options say).
    ///
    /// # Errors
    ///
    /// What binascii reports for the same input.
    pub fn decode(
        input: &[u8],
        out: &mut [u8],
        rules: &Rules<'_>,
    ) -> Result<usize, DecodeError> {
        let fast = rules.padded
            && !rules.canonical
            && core::ptr::eq(rules.values, &VALUES);
        if fast {
            let data = if rules.strict {
                input
            } else {
                input.strip_suffix(b"\n").unwrap_or(input)
            };
            if let Ok(decoded) = STANDARD.decode(data, Out::from_slice(out)) {
                return Ok(decoded.len());
            }
        }
        decode_with(input, out, rules)
    }

    /// The value of each base64 character, and `INVALID` for the rest
    /// (`=` included: padding is handled apart).
    pub static VALUES: [u8; 256] = {
        let alphabet =
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut values = [INVALID; 256];
        let mut i = 0;
        while i < alphabet.len() {
            values[alphabet[i] as usize] = i as u8;
            i += 1;
        }
        values
    };
    pub const INVALID: u8 = 0xff;

    /// The table of values of a 64-character `alphabet` (3.15).
    #[cfg_attr(not(Py_3_15), allow(dead_code))]
    pub fn values_of(alphabet: &[u8]) -> [u8; 256] {
        let mut values = [INVALID; 256];
        for (i, &c) in alphabet.iter().enumerate() {
            values[usize::from(c)] = i as u8;
        }
        // `=` is never data, even in an alphabet that has it.
        values[usize::from(b'=')] = INVALID;
        values
    }

    /// Whether strict mode refuses a `=` after a complete group, as
    /// binascii does from 3.13 (`Excess padding not allowed`).
    const EXCESS_PADDING: bool = cfg!(Py_3_13);

    /// binascii's decoder, for any input: characters outside the alphabet
    /// are skipped (refused in strict mode), and a `=` that completes a
    /// group ends the data or is skipped, as `padding` says.
    ///
    /// # Errors
    ///
    /// As [`decode`].
    pub fn decode_with(
        input: &[u8],
        out: &mut [u8],
        rules: &Rules<'_>,
    ) -> Result<usize, DecodeError> {
        let Rules { strict, padding, padded, canonical, values, ignore } = *rules;
        let skipped = padding == Padding::Skipped;
        if !skipped && strict && input.first() == Some(&b'=') {
            return Err(DecodeError::LeadingPadding);
        }
        // Strict about padding: not where `ignorechars` has the `=`.
        let strict_pad = strict && !ignore[usize::from(b'=')];
        // How many characters of the current group of four we have, the
        // bits they left over, and the `=` seen since the last data.
        let (mut in_group, mut bits, mut pads) = (0, 0u8, 0);
        let mut padding_seen = false;
        let mut written = 0;
        let mut i = 0;
        while i < input.len() {
            // Whole groups of four data characters, the common case, go
            // three bytes at a time (not where strict mode must refuse a
            // data character after a `=`).
            let pending = if skipped { pads != 0 } else { padding_seen };
            if in_group == 0 && !(strict_pad && pending) {
                for group in input[i..].chunks_exact(4) {
                    let [a, b, c, d] = [group[0], group[1], group[2], group[3]]
                        .map(|c| values[usize::from(c)]);
                    if (a | b | c | d) & 0xc0 != 0 {
                        break;
                    }
                    let group = u32::from(a) << 18
                        | u32::from(b) << 12
                        | u32::from(c) << 6
                        | u32::from(d);
                    out[written..written + 3]
                        .copy_from_slice(&group.to_be_bytes()[1..]);
                    written += 3;
                    pads = 0;
                    i += 4;
                }
                if i == input.len() {
                    break;
                }
            }
            let byte = input[i];
            i += 1;
            if byte == b'=' && padded {
                if skipped {
                    pads += 1;
                    // Padding where a group may have it, or anything
                    // outside strict mode, is skipped.
                    if !strict_pad || (in_group >= 2 && in_group + pads <= 4) {
                        continue;
                    }
                    if in_group == 1 {
                        // One character too many: reported below.
                        break;
                    }
                    return Err(if in_group == 0 && written == 0 {
                        DecodeError::LeadingPadding
                    } else {
                        DecodeError::ExcessPadding
                    });
                }
                // 3.13 refuses, in strict mode, a `=` that starts a group
                // after a complete one (a `=` first was refused above).
                if EXCESS_PADDING && strict && in_group == 0 {
                    return Err(DecodeError::ExcessPadding);
                }
                padding_seen = true;
                pads += 1;
                if in_group >= 2 && in_group + pads >= 4 {
                    // The group is complete: the data ends here.
                    if strict && i < input.len() {
                        return Err(DecodeError::ExcessData);
                    }
                    return Ok(written);
                }
                continue;
            }
            let value = values[usize::from(byte)];
            if value == INVALID {
                if strict && !ignore[usize::from(byte)] {
                    return Err(if byte == b'=' {
                        DecodeError::PaddingNotAllowed
                    } else {
                        DecodeError::NotBase64
                    });
                }
                continue;
            }
            if strict_pad && (if skipped { pads != 0 } else { padding_seen }) {
                return Err(if skipped && in_group + pads == 4 {
                    DecodeError::ExcessData
                } else {
                    DecodeError::DiscontinuousPadding
                });
            }
            pads = 0;
            // Each character brings 6 bits; a byte is complete after the
            // 2nd, 3rd and 4th character of a group.
            match in_group {
                0 => bits = value,
                1 => {
                    out[written] = bits << 2 | value >> 4;
                    written += 1;
                    bits = value & 0x0f;
                }
                2 => {
                    out[written] = bits << 4 | value >> 2;
                    written += 1;
                    bits = value & 0x03;
                }
                _ => {
                    out[written] = bits << 6 | value;
                    written += 1;
                }
            }
            in_group = (in_group + 1) % 4;
        }
        match in_group {
            0 => return Ok(written),
            1 => return Err(DecodeError::OneTooMany(written / 3 * 4 + 1)),
            // Skipped padding completes the last group; without `padded`
            // none is needed.
            _ if !padded || (skipped && in_group + pads >= 4) => {}
            _ => return Err(DecodeError::IncorrectPadding),
        }
        // The bits of the last character that no byte took.
        let rest = if in_group == 2 { bits & 0x0f } else { bits & 0x03 };
        if canonical && rest != 0 {
            return Err(DecodeError::NonZeroPaddingBits);
        }
        Ok(written)
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        fn decoded(
            input: &[u8],
            strict: bool,
            padding: Padding,
        ) -> Result<Vec<u8>, DecodeError> {
            let mut out = vec![0; input.len().div_ceil(4) * 3];
            decode_lenient(input, &mut out, strict, padding)
                .map(|n| out[..n].to_vec())
        }

        fn decode_lenient(
            input: &[u8],
            out: &mut [u8],
            strict: bool,
            padding: Padding,
        ) -> Result<usize, DecodeError> {
            decode_with(input, out, &Rules::standard(strict, padding))
        }

        fn lenient(input: &[u8], strict: bool) -> Result<Vec<u8>, DecodeError> {
            decoded(input, strict, Padding::Ends)
        }

        fn skipping(input: &[u8], strict: bool) -> Result<Vec<u8>, DecodeError> {
            decoded(input, strict, Padding::Skipped)
        }

        #[test]
        fn the_fast_and_the_lenient_decoder_agree_on_canonical_input() {
            for n in 0..100 {
                let data: Vec<u8> = (0..n).map(|i| (i * 37 + 11) as u8).collect();
                let mut buf = Vec::with_capacity(encoded_len(n));
                let spare = &mut buf.spare_capacity_mut()[..encoded_len(n)];
                let encoded = encode(&data, spare);
                let mut out = vec![0; encoded.len().div_ceil(4) * 3];
                let fast = decode(
                    encoded,
                    &mut out,
                    &Rules::standard(true, Padding::Ends),
                )
                .map(|k| out[..k].to_vec());
                assert_eq!(fast, Ok(data.clone()));
                assert_eq!(lenient(encoded, true), Ok(data.clone()));
                assert_eq!(skipping(encoded, true), Ok(data));
            }
        }

        #[test]
        fn lenient_rules_are_binascii_rules() {
            assert_eq!(lenient(b"QQ", false), Err(DecodeError::IncorrectPadding));
            assert_eq!(lenient(b"QUJD\nRA==\n", false), Ok(b"ABCD".to_vec()));
            assert_eq!(lenient(b"QQ==QUJD", false), Ok(b"A".to_vec()));
            assert_eq!(lenient(b"QQ==QUJD", true), Err(DecodeError::ExcessData));
            assert_eq!(
                lenient(b"Q=Q==", true),
                Err(DecodeError::DiscontinuousPadding)
            );
            assert_eq!(lenient(b"=QQ==", true), Err(DecodeError::LeadingPadding));
            assert_eq!(lenient(b"QUJDR", false), Err(DecodeError::OneTooMany(5)));
            assert_eq!(lenient(b"Q!Q==", false), Ok(b"A".to_vec()));
            assert_eq!(lenient(b"Q!Q==", true), Err(DecodeError::NotBase64));
            assert_eq!(lenient(b"QUJD=", false), Ok(b"ABC".to_vec()));
            assert_eq!(
                lenient(b"QUJD=", true),
                if EXCESS_PADDING {
                    Err(DecodeError::ExcessPadding)
                } else {
                    Ok(b"ABC".to_vec())
                }
            );
            assert_eq!(lenient(b"==", true), Err(DecodeError::LeadingPadding));
        }

        #[test]
        fn skipped_padding_is_read_past_as_3_14_4_does() {
            use DecodeError::*;
            assert_eq!(skipping(b"QQ==QUJD", false), Err(IncorrectPadding));
            assert_eq!(skipping(b"ab==cd", false), Ok(b"i\xb7\x1d".to_vec()));
            assert_eq!(skipping(b"ab==cd", true), Err(ExcessData));
            assert_eq!(skipping(b"abc=d", false), Ok(b"i\xb7\x1d".to_vec()));
            assert_eq!(skipping(b"ab==c=", false), Ok(b"i\xb7".to_vec()));
            assert_eq!(skipping(b"ab=c=", true), Err(DiscontinuousPadding));
            assert_eq!(skipping(b"ab===", false), Ok(b"i".to_vec()));
            assert_eq!(skipping(b"ab===", true), Err(ExcessPadding));
            assert_eq!(skipping(b"abcd=", true), Err(ExcessPadding));
            assert_eq!(skipping(b"ab==:", true), Err(NotBase64));
            assert_eq!(skipping(b"a=", true), Err(OneTooMany(1)));
            assert_eq!(skipping(b"=ab", true), Err(LeadingPadding));
            assert_eq!(Padding::of(0x030d_0cf0), Padding::Ends);
            assert_eq!(Padding::of(0x030d_0df0), Padding::Skipped);
            assert_eq!(Padding::of(0x030e_03f0), Padding::Ends);
            assert_eq!(Padding::of(0x030e_04f0), Padding::Skipped);
            assert_eq!(Padding::of(0x030f_00a1), Padding::Skipped);
        }
    }
}
// ANCHOR_END: codec

tutorial::module! {
    name: _base64,
    doc: "binascii's base64 functions, in Rust.",
    state: Base64State,
    exec: exec,
    methods: [
        #[cfg(not(Py_3_15))]
        tutorial::meth_fastcall!(
            b2a_base64(data, /, *, newline = True),
            "Base64-code line of data."
        ),
        #[cfg(not(Py_3_15))]
        tutorial::meth_fastcall!(
            a2b_base64(data, /, *, strict_mode = False),
            "Decode a line of base64 data.

  strict_mode
    When set to True, bytes that are not part of the base64 standard are not allowed.
    The same applies to excess data after padding (= / ==)."
        ),
        // 3.15's signatures: Clinic wraps them, and shows the defaults C
        // computes.
        #[cfg(Py_3_15)]
        tutorial::meth_fastcall!(
            b2a_base64(data, /, *, padded = True, wrapcol = 0, newline = True,
                alphabet = [Given(None)]),
            text_signature = "($module, data, /, *, padded=True, wrapcol=0, newline=True,
           alphabet=BASE64_ALPHABET)",
            "Base64-code line of data.

  padded
    When set to false, omit padding in the output."
        ),
        #[cfg(Py_3_15)]
        tutorial::meth_fastcall!(
            a2b_base64(data, /, *, strict_mode = [Given(None)], padded = True,
                alphabet = [Given(None)], ignorechars = [Given(None)], canonical = False),
            text_signature = "($module, data, /, *, strict_mode=<unrepresentable>,
           padded=True, alphabet=BASE64_ALPHABET,
           ignorechars=<unrepresentable>, canonical=False)",
            "Decode a line of base64 data.

  strict_mode
    When set to true, bytes that are not part of the base64 standard are
    not allowed.  The same applies to excess data after padding (= / ==).
    Set to True by default if ignorechars is specified, False otherwise.
  padded
    When set to false, padding in input is not required.
  ignorechars
    A byte string containing characters to ignore from the input when
    strict_mode is true.
  canonical
    When set to true, reject non-zero padding bits per RFC 4648 section 3.5."
        ),
    ],
}

#[cfg(test)]
mod tests {
    use tutorial_embed::doctest;

    #[test]
    fn encode_and_decode_as_binascii_does() {
        doctest(
            &[("_base64", super::_base64::init)],
            r#"
>>> import _base64, binascii
>>> _base64.b2a_base64(b"hello"), _base64.b2a_base64(b"hello", newline=False)
(b'aGVsbG8=\n', b'aGVsbG8=')
>>> _base64.a2b_base64(b"aGVsbG8=\n"), _base64.a2b_base64("aGVs\nbG8="), _base64.a2b_base64(memoryview(b"aGk="))
(b'hello', b'hello', b'hi')
>>> _base64.Error is binascii.Error
True
>>> _base64.a2b_base64(b"aGVsbG8")
Traceback (most recent call last):
  ...
binascii.Error: Incorrect padding
>>> _base64.a2b_base64(b"aGVs\nbG8=", strict_mode=True)
Traceback (most recent call last):
  ...
binascii.Error: Only base64 data is allowed
>>> _base64.a2b_base64("h\xe9")
Traceback (most recent call last):
  ...
ValueError: string argument should contain only ASCII characters
>>> _base64.a2b_base64(42)
Traceback (most recent call last):
  ...
TypeError: argument should be bytes, buffer or ASCII string, not 'int'
>>> _base64.b2a_base64("text")
Traceback (most recent call last):
  ...
TypeError: a bytes-like object is required, not 'str'
"#,
        )
        .unwrap_or_else(|report| panic!("{report}"));
    }
}
