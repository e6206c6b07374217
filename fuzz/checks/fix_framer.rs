//! Checks for the `fix_framer` fuzz target: the streaming [`Framer`] over an
//! arbitrary byte stream delivered in arbitrary chunks.
//!
//! Input layout: the first [`CHUNK_HEADER`] bytes choose the chunk sizes (cycled;
//! see [`chunk_size`]), the rest is the byte stream. Invariants:
//!
//! - nothing panics, and the framer always takes more input once drained;
//! - every [`FrameItem::Message`] is the stream's bytes at its offset and
//!   re-checks as `check_frame(bytes, max) == Complete(layout)` with
//!   `layout.len == bytes.len()`, the layout the item carries;
//! - indexing it with that layout (`index_frame_fields`) gives exactly what
//!   indexing the whole message gives, fields or error, at any capacity;
//! - item offsets increase, and messages never overlap anything after them;
//! - the items are the same for the fuzz-chosen chunking, one-byte chunks
//!   (streams of up to 512 bytes) and the whole stream at once.
//!
//! Shared by `fuzz/fuzz_targets/fix_framer.rs` and `tests/fuzz_corpus.rs`.

use fixgate_core::fix::{
    check_frame, index_fields, index_frame_fields, DataTags, FieldRef, FrameError, FrameItem,
    FrameLayout, FrameStatus, Framer,
};

/// The largest message the framer under test accepts.
pub const MAX_MESSAGE_LEN: usize = 4096;

/// Bytes at the start of the input that choose the chunk sizes.
pub const CHUNK_HEADER: usize = 4;

/// One framer item, owned, for comparing runs.
#[derive(Debug, PartialEq, Eq)]
enum Item {
    Message { offset: u64, len: usize },
    Invalid { offset: u64, error: FrameError },
}

/// The size of a chunk chosen by byte `b`: 1 to 240 bytes for `b < 240`, else
/// 512 to 8192 bytes (past the framer's largest message).
pub fn chunk_size(b: u8) -> usize {
    if b < 240 {
        usize::from(b) + 1
    } else {
        usize::from(b - 239) * 512
    }
}

/// Runs the `fix_framer` checks on one fuzz input.
///
/// # Panics
/// When an invariant of the module doc does not hold.
pub fn check(data: &[u8]) {
    let (header, stream) = data.split_at(data.len().min(CHUNK_HEADER));
    let whole = frame(stream, &mut std::iter::repeat(stream.len().max(1)));
    check_items(stream, &whole);
    let mut sizes = header.iter().map(|&b| chunk_size(b)).cycle();
    if !header.is_empty() {
        let chunked = frame(stream, &mut sizes);
        assert_eq!(chunked, whole, "chunk sizes {header:?} change the framing");
    }
    if stream.len() <= 512 {
        let bytewise = frame(stream, &mut std::iter::repeat(1));
        assert_eq!(bytewise, whole, "one-byte chunks change the framing");
    }
}

/// Feeds `stream` to a new framer in chunks of the sizes `sizes` yields, draining
/// it after every `handle_input`; checks each message as it comes out.
fn frame(stream: &[u8], sizes: &mut dyn Iterator<Item = usize>) -> Vec<Item> {
    let mut framer = Framer::new(MAX_MESSAGE_LEN);
    let mut items = Vec::new();
    let mut rest = stream;
    while !rest.is_empty() {
        let size = sizes.next().unwrap_or(1).clamp(1, rest.len());
        let (mut chunk, tail) = rest.split_at(size);
        rest = tail;
        while !chunk.is_empty() {
            let taken = framer.handle_input(chunk);
            chunk = &chunk[taken..];
            let drained = drain(&mut framer, &mut items);
            assert!(
                taken > 0 || drained > 0,
                "framer takes no input and yields nothing ({} bytes buffered)",
                framer.buffered()
            );
        }
    }
    items
}

/// Polls `framer` until `None`, checking and recording each item; returns how
/// many there were.
fn drain(framer: &mut Framer, items: &mut Vec<Item>) -> usize {
    let mut n = 0;
    while let Some(item) = framer.poll_frame() {
        n += 1;
        items.push(match item {
            FrameItem::Message {
                offset,
                bytes,
                layout,
            } => {
                match check_frame(bytes, MAX_MESSAGE_LEN) {
                    FrameStatus::Complete(again) => {
                        assert_eq!(again, layout, "message at {offset} re-checks differently");
                        assert_eq!(
                            layout.len,
                            bytes.len(),
                            "message at {offset}: layout length"
                        );
                    }
                    other => panic!("message at {offset} re-checks as {other:?}"),
                }
                check_framed_index(offset, bytes, &layout);
                Item::Message {
                    offset,
                    len: bytes.len(),
                }
            }
            FrameItem::Invalid { offset, error, .. } => Item::Invalid { offset, error },
        });
    }
    n
}

/// The framed indexer gives exactly what indexing the whole message gives, with
/// room for every field and with too little room.
fn check_framed_index(offset: u64, bytes: &[u8], layout: &FrameLayout) {
    let data_tags = DataTags::standard();
    for capacity in [64, 3, 2] {
        let mut framed = vec![FieldRef::default(); capacity];
        let mut whole = vec![FieldRef::default(); capacity];
        let a = index_frame_fields(bytes, layout, &data_tags, &mut framed);
        let b = index_fields(bytes, &data_tags, &mut whole);
        assert_eq!(
            a, b,
            "message at {offset}, capacity {capacity}: outcomes differ"
        );
        if let Ok(n) = a {
            assert_eq!(
                framed[..n],
                whole[..n],
                "message at {offset}: fields differ"
            );
        }
    }
}

/// Checks the items of one run against the stream they came from.
fn check_items(stream: &[u8], items: &[Item]) {
    // The first stream offset the next item may have.
    let mut next_free = 0u64;
    for item in items {
        match *item {
            Item::Message { offset, len } => {
                assert!(
                    offset >= next_free,
                    "message at {offset} overlaps or goes back"
                );
                let start = usize::try_from(offset).expect("offset fits usize");
                let bytes = stream
                    .get(start..start + len)
                    .expect("message lies within the stream");
                assert_eq!(
                    check_frame(bytes, MAX_MESSAGE_LEN),
                    check_frame(&stream[start..], MAX_MESSAGE_LEN),
                    "message at {offset} is not the frame at that stream offset"
                );
                next_free = offset + len as u64;
            }
            Item::Invalid { offset, error } => {
                assert!(offset >= next_free, "bad frame at {offset} goes back");
                let start = usize::try_from(offset).expect("offset fits usize");
                let status = check_frame(&stream[start..], MAX_MESSAGE_LEN);
                assert_eq!(
                    status,
                    FrameStatus::Invalid(error),
                    "bad frame at {offset} is not what check_frame says there"
                );
                next_free = offset + 1;
            }
        }
    }
}
