// The closure that reads a buffer's bytes must be Send, so it cannot run
// Python code that could write to the buffer while it is read.
use tutorial::prelude::*;

fn first_byte_and_length(data: &Bound<'_, PyAny>) -> PyResult<(Option<u8>, usize)> {
    let buffer = PyBuffer::get(data)?;
    Ok(buffer.with_bytes(|bytes| (bytes.first().copied(), data.len().unwrap_or(0))))
}

fn main() {
    let _ = first_byte_and_length;
}
