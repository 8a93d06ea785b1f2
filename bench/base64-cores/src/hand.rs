//! The hand-written candidate: a scalar encoder that makes 4 characters
//! of 3 bytes, and binascii's lenient decoder with a fast path for whole
//! groups of 4 valid characters.
const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const INVALID: u8 = 0xff;
const DECODE: [u8; 256] = {
    let mut t = [INVALID; 256];
    let mut i = 0;
    while i < 64 { t[ALPHABET[i] as usize] = i as u8; i += 1; }
    t
};

pub fn encoded_len(n: usize) -> usize { n.div_ceil(3) * 4 }

pub fn encode(input: &[u8], out: &mut [u8]) -> usize {
    let len = encoded_len(input.len());
    let out = &mut out[..len];
    let mut src = input.chunks_exact(3);
    let mut dst = out.chunks_exact_mut(4);
    for (s, d) in (&mut src).zip(&mut dst) {
        let n = u32::from(s[0]) << 16 | u32::from(s[1]) << 8 | u32::from(s[2]);
        d[0] = ALPHABET[(n >> 18) as usize];
        d[1] = ALPHABET[(n >> 12) as usize & 63];
        d[2] = ALPHABET[(n >> 6) as usize & 63];
        d[3] = ALPHABET[n as usize & 63];
    }
    let rest = src.remainder();
    if let Some(d) = dst.next() {
        let b1 = rest.get(1).copied().unwrap_or(0);
        let n = u32::from(rest[0]) << 16 | u32::from(b1) << 8;
        d[0] = ALPHABET[(n >> 18) as usize];
        d[1] = ALPHABET[(n >> 12) as usize & 63];
        d[2] = if rest.len() == 2 { ALPHABET[(n >> 6) as usize & 63] } else { b'=' };
        d[3] = b'=';
    }
    len
}

#[derive(Debug)]
pub enum DecodeError { Leading, Excess, NotBase64, Discontinuous, OneMore(usize), Padding }

pub fn decode(input: &[u8], out: &mut [u8], strict: bool) -> Result<usize, DecodeError> {
    if strict && input.first() == Some(&b'=') { return Err(DecodeError::Leading); }
    let mut quad = 0u8; let mut left = 0u8; let mut pads = 0; let mut padding = false;
    let mut o = 0; let mut i = 0;
    let n = input.len();
    while i < n {
        if quad == 0 && (!strict || !padding) {
            // Fast path: whole groups of four data characters.
            while i + 4 <= n {
                let a = DECODE[input[i] as usize]; let b = DECODE[input[i+1] as usize];
                let c = DECODE[input[i+2] as usize]; let d = DECODE[input[i+3] as usize];
                if (a | b | c | d) & 0xc0 != 0 { break; }
                let v = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
                out[o] = (v >> 16) as u8; out[o+1] = (v >> 8) as u8; out[o+2] = v as u8;
                o += 3; i += 4; pads = 0;
            }
            if i >= n { break; }
        }
        let ch = input[i];
        if ch == b'=' {
            padding = true;
            pads += 1;
            if quad >= 2 && quad as usize + pads >= 4 {
                if strict && i + 1 < n { return Err(DecodeError::Excess); }
                return Ok(o);
            }
            i += 1; continue;
        }
        let v = DECODE[ch as usize];
        if v == INVALID {
            if strict { return Err(DecodeError::NotBase64); }
            i += 1; continue;
        }
        if strict && padding { return Err(DecodeError::Discontinuous); }
        pads = 0;
        match quad {
            0 => { left = v; quad = 1; }
            1 => { out[o] = left << 2 | v >> 4; o += 1; left = v & 0x0f; quad = 2; }
            2 => { out[o] = left << 4 | v >> 2; o += 1; left = v & 0x03; quad = 3; }
            _ => { out[o] = left << 6 | v; o += 1; left = 0; quad = 0; }
        }
        i += 1;
    }
    match quad { 0 => Ok(o), 1 => Err(DecodeError::OneMore(o / 3 * 4 + 1)), _ => Err(DecodeError::Padding) }
}
