//! Times three base64 cores on the sizes the benchmarks use: a hand-written
//! scalar codec (the same decoding rules as the port's lenient decoder), the
//! `base64` crate's general-purpose engine, and `base64-simd` (vectorised,
//! chosen at run time for the CPU). All write into a buffer allocated once,
//! as the port writes into the `bytes` object it returns.

mod hand;

use base64::Engine;
use std::hint::black_box;
use std::time::Instant;

/// The best of five runs of `f`, in seconds per call.
fn time(size: usize, mut f: impl FnMut()) -> f64 {
    let iters = (200_000_000 / size.max(64)).clamp(20, 2_000_000);
    for _ in 0..iters / 10 + 1 {
        f();
    }
    (0..5)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..iters {
                f();
            }
            start.elapsed().as_secs_f64() / iters as f64
        })
        .fold(f64::MAX, f64::min)
}

fn main() {
    println!("| size | operation | hand-written | base64 0.22 | base64-simd 0.8 |");
    println!("|---:|---|---:|---:|---:|");
    for size in [32usize, 256, 4096, 65536, 1 << 20] {
        let data: Vec<u8> = (0..size).map(|i| (i * 7 + 13) as u8).collect();
        let encoded = base64::engine::general_purpose::STANDARD.encode(&data);
        let mut out = vec![0u8; size * 2 + 8];
        let n = hand::encode(&data, &mut out);
        assert_eq!(&out[..n], encoded.as_bytes(), "the hand-written encoder is wrong");
        let n = hand::decode(encoded.as_bytes(), &mut out, false).expect("valid input");
        assert_eq!(&out[..n], &data[..], "the hand-written decoder is wrong");
        let enc_len = encoded.len();
        let enc = [
            time(size, || {
                black_box(hand::encode(black_box(&data), &mut out));
            }),
            time(size, || {
                let n = base64::engine::general_purpose::STANDARD.encode_slice(black_box(&data), &mut out);
                black_box(n.expect("room enough"));
            }),
            time(size, || {
                let out = base64_simd::Out::from_slice(&mut out[..enc_len]);
                black_box(base64_simd::STANDARD.encode(black_box(&data), out).len());
            }),
        ];
        let dec = [
            time(size, || {
                black_box(hand::decode(black_box(encoded.as_bytes()), &mut out, false).expect("valid"));
            }),
            time(size, || {
                let n = base64::engine::general_purpose::STANDARD.decode_slice(black_box(encoded.as_bytes()), &mut out);
                black_box(n.expect("valid"));
            }),
            time(size, || {
                let out = base64_simd::Out::from_slice(&mut out[..size]);
                black_box(base64_simd::STANDARD.decode(black_box(encoded.as_bytes()), out).expect("valid").len());
            }),
        ];
        for (name, row) in [("encode", enc), ("decode", dec)] {
            let cells: Vec<String> =
                row.iter().map(|s| format!("{:.0} ns ({:.1} GB/s)", s * 1e9, size as f64 / s / 1e9)).collect();
            println!("| {size} | {name} | {} |", cells.join(" | "));
        }
    }
}
