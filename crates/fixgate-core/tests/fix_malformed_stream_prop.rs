//! Property tests: malformed frames in a stream through the streaming
//! `Framer`.
//!
//! Valid and frame-level-malformed messages (bad CheckSum, bad BodyLength, 35
//! not third, bad BeginString) interleaved in one stream come out as messages
//! and bad frames at their offsets, each bad frame once, with resync onto the
//! next message; and the framer's output (junk holding a Text field `58=FIX…`
//! included) does not depend on how the stream is cut into reads. The second
//! property found a resync bug (fixed in 5a06841);
//! `framer_resync_skips_8_fix_behind_a_digit_across_reads` keeps its minimal
//! case.
//!
//! The messages are generated as in the other `fix_malformed_*_prop` tests
//! (`support::raw_message`, `support::pipeline::valid`).

mod support;

use fixgate_core::fix::{FrameError, FrameItem, Framer};
use proptest::prelude::*;

use support::config;
use support::pipeline::{valid, MAX_LEN};
use support::raw_message::{choices, serialize};
use support::serialize::{checksum, frame_body};

/// What a framer gives: each message or bad frame, at its offset.
type Items = Vec<(u64, Result<Vec<u8>, FrameError>)>;

/// What a framer gives for `stream` fed in pieces of the given sizes (cycled),
/// and the framer after it.
fn frame_stream(stream: &[u8], sizes: &[usize]) -> (Items, Framer) {
    let mut framer = Framer::new(MAX_LEN);
    let mut got = Vec::new();
    let mut rest = stream;
    let mut k = 0;
    while !rest.is_empty() {
        let size = sizes[k % sizes.len()].max(1);
        k += 1;
        let mut piece = &rest[..size.min(rest.len())];
        rest = &rest[piece.len()..];
        while !piece.is_empty() {
            let n = framer.handle_input(piece);
            piece = &piece[n..];
            while let Some(item) = framer.poll_frame() {
                got.push(match item {
                    FrameItem::Message { offset, bytes, .. } => (offset, Ok(bytes.to_vec())),
                    FrameItem::Invalid { offset, error, .. } => (offset, Err(error)),
                });
            }
        }
    }
    (got, framer)
}

/// Junk with a Text field holding `FIX` behind a digit: never a message start.
const JUNK_WITH_TEXT: &[u8] = b"junk\x0158=FIX in a Text field\x01";

proptest! {
    #![proptest_config(config())]

    #[test]
    fn framer_reports_each_bad_frame_and_resyncs(
        items in prop::collection::vec((any::<bool>(), choices(), 0u8..5), 1..8),
        chunk in 1usize..300,
    ) {
        let mut stream = Vec::new();
        let mut want = Vec::new();
        let last = items.len() - 1;
        for (k, (nested, c, class)) in items.iter().enumerate() {
            let (_, m, mut bytes) = valid(*nested, c, false);
            let offset = stream.len() as u64;
            // The last message stays valid so that the stream ends on a message.
            let class = if k == last { 0 } else { *class };
            let n = bytes.len();
            let item = match class {
                0 => Ok(bytes.clone()),
                1 => {
                    let sum = checksum(&bytes[..n - 7]);
                    let wrong = sum.wrapping_add(1);
                    bytes[n - 4..n - 1].copy_from_slice(format!("{wrong:03}").as_bytes());
                    Err(FrameError::BadChecksum { expected: sum, actual: u16::from(wrong) })
                }
                2 => {
                    let p = bytes.iter().position(|&b| b == 1).unwrap() + 3;
                    bytes[p] = b'x';
                    Err(FrameError::BadBodyLength)
                }
                3 => {
                    let mut mm = m.clone();
                    mm.fields.swap(0, 1);
                    bytes = serialize(&mm);
                    Err(FrameError::MissingMsgType)
                }
                _ => {
                    bytes[0] = b'x';
                    Err(FrameError::BadBeginString)
                }
            };
            // After a bad frame the framer skips to the next `8=FIX`, so a frame
            // that does not start with one is skipped silently.
            let resyncing = matches!(want.last(), Some((_, Err(_))));
            if !resyncing || bytes.starts_with(b"8=FIX") {
                want.push((offset, item));
            }
            stream.extend_from_slice(&bytes);
        }
        let (got, framer) = frame_stream(&stream, &[chunk]);
        prop_assert_eq!(&got, &want);
        let bad = want.iter().filter(|(_, r)| r.is_err()).count() as u64;
        let stats = framer.stats();
        prop_assert_eq!(stats.invalid, bad);
        prop_assert_eq!(stats.messages, want.len() as u64 - bad);
        let bad_bytes: u64 = want
            .windows(2)
            .filter(|w| w[0].1.is_err())
            .map(|w| w[1].0 - w[0].0)
            .sum();
        prop_assert_eq!(stats.skipped_bytes, bad_bytes);
        prop_assert_eq!(framer.buffered(), 0);
    }
}

proptest! {
    #![proptest_config(config())]

    /// The items a framer gives (messages, bad frames, offsets, counters) do not
    /// depend on how the stream is cut into reads. The stream mixes valid
    /// messages, frame-level-malformed ones, and junk holding a Text field
    /// `58=FIX…`, which resync must skip (the `8=FIX` follows a digit).
    #[test]
    fn framer_output_does_not_depend_on_chunking(
        items in prop::collection::vec((any::<bool>(), choices(), 0u8..6), 1..6),
        sizes in prop::collection::vec(1usize..64, 1..64),
    ) {
        let mut stream = Vec::new();
        for (nested, c, class) in &items {
            let (_, _, mut bytes) = valid(*nested, c, false);
            let n = bytes.len();
            match class {
                1 => bytes[n - 2] = if bytes[n - 2] == b'9' { b'0' } else { bytes[n - 2] + 1 },
                2 => bytes[0] = b'x',
                3 => stream.extend_from_slice(JUNK_WITH_TEXT),
                4 => bytes.truncate(n / 2),
                _ => {}
            }
            stream.extend_from_slice(&bytes);
        }
        let (whole, whole_framer) = frame_stream(&stream, &[stream.len()]);
        let (chunked, chunked_framer) = frame_stream(&stream, &sizes);
        prop_assert_eq!(
            &chunked,
            &whole,
            "the framer's output depends on read sizes (found here before 5a06841: \
             resync kept a 4-byte tail and forgot the digit before it, so a read \
             ending in \"58=FI\" made a Text field's \"8=FIX\" a message start)"
        );
        prop_assert_eq!(chunked_framer.stats(), whole_framer.stats());
    }
}

/// The minimal case of `framer_output_does_not_depend_on_chunking`: one junk
/// byte, a Text field `58=FIX`, then a valid message. Read at once, the junk is
/// one bad frame and the `8=FIX` behind the digit is skipped. Read as `x58=FI`
/// and then the rest, the framer before 5a06841 kept only the tail `8=FI` while
/// resynchronizing, forgot the `5` before it, and reported a second bad frame
/// at offset 2 (`8=FIX␁8=FIX.4.4…`: MissingBodyLength).
#[test]
fn framer_resync_skips_8_fix_behind_a_digit_across_reads() {
    let valid = frame_body(
        "FIX.4.4",
        b"35=0\x0134=1\x0149=A\x0152=20260101-00:00:00\x0156=B\x01",
    );
    let mut stream = b"x58=FIX\x01".to_vec();
    stream.extend_from_slice(&valid);
    let want: Items = vec![(0, Err(FrameError::BadBeginString)), (8, Ok(valid.clone()))];
    let (whole, _) = frame_stream(&stream, &[stream.len()]);
    assert_eq!(whole, want, "read at once");
    let (split, _) = frame_stream(&stream, &[6, stream.len()]);
    assert_eq!(
        split, want,
        "after a read ending in \"x58=FI\" the framer reports a spurious bad frame at \
         offset 2 (the resync bug fixed in 5a06841)"
    );
}
