//! Checks for the `pcap_read` fuzz target: the root crate's capture reader
//! (`fixgate::net::pcap::CaptureReader`, pcap and pcapng through the
//! `pcap-file` crate) on an arbitrary file.
//!
//! Input layout: the whole input is the capture file. Invariants:
//!
//! - nothing panics, and reading ends: `new` and `next_frame` return frames,
//!   `None` or a [`CaptureError`], and a file of `n` bytes yields at most
//!   `n / 12` frames (a pcap record header is 16 bytes, the smallest pcapng
//!   block 12);
//! - frames are numbered 0, 1, 2, ... and each frame's bytes are bytes of the
//!   file, each found after the previous frame's;
//! - reading is deterministic and does not depend on how the input is
//!   buffered: the file as one slice and through a `BufReader` of a small
//!   capacity (1 to 67 bytes, chosen by the file's length) give the same
//!   frames and the same error.
//!
//! Shared by `fuzz/fuzz_targets/pcap_read.rs` and `tests/fuzz_corpus_parsers.rs`.

use std::io::{BufRead, BufReader};

use fixgate::net::pcap::{CaptureError, CaptureReader};

/// One frame, owned, for comparing runs.
#[derive(Debug, PartialEq, Eq)]
struct Frame {
    index: u64,
    ts_capture_ns: Option<u64>,
    dlt: u32,
    data: Vec<u8>,
}

/// Runs the `pcap_read` checks on one fuzz input.
///
/// # Panics
/// When an invariant of the module doc does not hold.
pub fn check(data: &[u8]) {
    let whole = read(data, data);
    assert_eq!(whole, read(data, data), "reading twice differs");
    let capacity = 1 + data.len() % 67;
    let buffered = read(BufReader::with_capacity(capacity, data), data);
    assert_eq!(
        whole, buffered,
        "a {capacity}-byte BufReader reads otherwise"
    );
}

/// Reads every frame of `input` (the bytes of `file`); returns the frames and
/// the error that ended reading, if any.
fn read(input: impl BufRead, file: &[u8]) -> (Vec<Frame>, Option<String>) {
    let mut frames = Vec::new();
    let mut reader = match CaptureReader::new(input) {
        Ok(r) => r,
        Err(e) => return (frames, Some(describe(&e))),
    };
    let max_frames = file.len() / 12;
    // Where the next frame's bytes may start in the file.
    let mut cursor = 0;
    while let Some(next) = reader.next_frame() {
        let frame = match next {
            Ok(f) => f,
            Err(e) => return (frames, Some(describe(&e))),
        };
        assert_eq!(frame.index, frames.len() as u64, "frame numbering");
        assert!(
            frames.len() < max_frames,
            "more than {max_frames} frames from {} bytes",
            file.len()
        );
        let at = find(file, &frame.data, cursor).unwrap_or_else(|| {
            panic!(
                "frame {} ({} bytes) is not in the file after offset {cursor}",
                frame.index,
                frame.data.len()
            )
        });
        cursor = at + frame.data.len();
        frames.push(Frame {
            index: frame.index,
            ts_capture_ns: frame.ts_capture_ns,
            dlt: frame.dlt,
            data: frame.data.into_owned(),
        });
    }
    (frames, None)
}

/// The error as a log line shows it (`CaptureError` holds an `io::Error`, so
/// it is not comparable itself).
fn describe(e: &CaptureError) -> String {
    e.to_string()
}

/// The first offset at or after `from` where `needle` occurs in `hay`.
fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let rest = hay.get(from..)?;
    if needle.is_empty() {
        return Some(from);
    }
    rest.windows(needle.len())
        .position(|w| w == needle)
        .map(|p| from + p)
}
