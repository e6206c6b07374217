//! Streaming framer: FIX messages out of a byte stream that arrives in arbitrary
//! chunks.
//!
//! The framer owns one receive buffer, allocated once at construction (twice the
//! largest message plus slack). The shell either reads straight into
//! [`Framer::read_buf`] and calls [`Framer::commit`], or hands it chunks with
//! [`Framer::handle_input`]; then it calls [`Framer::poll_frame`] until `None`.
//! A bad frame comes out as [`FrameItem::Invalid`] with its reason and stream
//! offset, and the framer resynchronizes on the next `8=FIX`. It never panics,
//! never reads past a declared length, and never allocates after construction.

use super::frame::{
    check_frame, find_resync, peek_header, FrameError, FrameLayout, FrameStatus, SOH,
};
use super::msg_type::MsgType;

/// One item out of the framer.
#[derive(Debug, PartialEq, Eq)]
pub enum FrameItem<'a> {
    /// A complete message whose BodyLength and CheckSum are verified.
    Message {
        /// Offset of the message's first byte in the stream.
        offset: u64,
        /// The message bytes, `8=` to the trailer's SOH.
        bytes: &'a [u8],
        /// Where its parts lie in `bytes` (for [`FieldIndex::index_frame`]).
        ///
        /// [`FieldIndex::index_frame`]: super::FieldIndex::index_frame
        layout: FrameLayout,
    },
    /// Bytes that are not a valid message; they are skipped.
    Invalid {
        /// Stream offset where the bad frame starts.
        offset: u64,
        /// Why it is not a message.
        error: FrameError,
        /// The MsgType, when the bad frame starts with a readable 8, 9, 35 header
        /// (a session disconnects on a garbled Logon but ignores other garbage).
        msg_type: Option<MsgType>,
    },
}

/// Counters of what the framer has seen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FramerStats {
    /// Valid messages delivered.
    pub messages: u64,
    /// Bad frames reported.
    pub invalid: u64,
    /// Bytes skipped while resynchronizing.
    pub skipped_bytes: u64,
}

/// A streaming FIX framer with a fixed-size buffer.
#[derive(Debug)]
pub struct Framer {
    buf: Box<[u8]>,
    start: usize,
    end: usize,
    /// Stream offset of `buf[0]`.
    base: u64,
    max_message_len: usize,
    resyncing: bool,
    stats: FramerStats,
}

/// Slack kept beyond two maximal messages so that small reads always fit.
const SLACK: usize = 64 * 1024;

impl Framer {
    /// A framer that accepts messages of up to `max_message_len` bytes.
    pub fn new(max_message_len: usize) -> Self {
        let max_message_len = max_message_len.max(32);
        Framer {
            buf: vec![0u8; 2 * max_message_len + SLACK].into_boxed_slice(),
            start: 0,
            end: 0,
            base: 0,
            max_message_len,
            resyncing: false,
            stats: FramerStats::default(),
        }
    }

    /// The configured maximum message length.
    pub fn max_message_len(&self) -> usize {
        self.max_message_len
    }

    /// What the framer has counted.
    pub fn stats(&self) -> FramerStats {
        self.stats
    }

    /// Stream offset of the first byte not yet delivered or skipped.
    pub fn stream_position(&self) -> u64 {
        self.base + self.start as u64
    }

    /// Bytes received but not yet delivered or skipped.
    pub fn buffered(&self) -> usize {
        self.end - self.start
    }

    /// Free space to receive into (e.g. a socket read); call [`Framer::commit`]
    /// with the count written. Compacts the buffer first when needed, so the slice
    /// is never empty while fewer than a maximal message's bytes are pending.
    pub fn read_buf(&mut self) -> &mut [u8] {
        if self.buf.len() - self.end < self.max_message_len + SLACK / 2 && self.start > 1 {
            // Keep the byte before `start`: resynchronization looks at it (a digit
            // there makes `8=FIX` part of a tag like `58=`).
            let from = self.start - 1;
            self.buf.copy_within(from..self.end, 0);
            self.base += from as u64;
            self.end -= from;
            self.start = 1;
        }
        &mut self.buf[self.end..]
    }

    /// Marks `n` bytes of [`Framer::read_buf`] as received.
    ///
    /// # Panics
    /// If `n` exceeds the length of the slice `read_buf` returned.
    pub fn commit(&mut self, n: usize) {
        assert!(
            self.end + n <= self.buf.len(),
            "committed more than read_buf offered"
        );
        self.end += n;
    }

    /// Copies as much of `bytes` as fits and returns how many were taken; call
    /// [`Framer::poll_frame`] until `None`, then offer the rest.
    pub fn handle_input(&mut self, bytes: &[u8]) -> usize {
        let space = self.read_buf();
        let n = space.len().min(bytes.len());
        space[..n].copy_from_slice(&bytes[..n]);
        self.end += n;
        n
    }

    /// The next message or bad frame, or `None` when more bytes are needed.
    pub fn poll_frame(&mut self) -> Option<FrameItem<'_>> {
        loop {
            if self.start == self.end {
                return None;
            }
            if self.resyncing {
                // Search the whole buffer from `start`, so that the byte before a
                // candidate is seen even when it was skipped already.
                match find_resync(&self.buf[..self.end], self.start) {
                    Some(p) => {
                        self.skip(p - self.start);
                        self.resyncing = false;
                    }
                    None => {
                        // Keep a tail that may be the start of `8=FIX`.
                        let pending = self.end - self.start;
                        self.skip(pending - pending.min(4));
                        return None;
                    }
                }
            }
            let offset = self.base + self.start as u64;
            match check_frame(&self.buf[self.start..self.end], self.max_message_len) {
                FrameStatus::Complete(layout) => {
                    let at = self.start;
                    self.start += layout.len;
                    self.stats.messages += 1;
                    return Some(FrameItem::Message {
                        offset,
                        bytes: &self.buf[at..at + layout.len],
                        layout,
                    });
                }
                FrameStatus::Incomplete { .. } => {
                    if self.end == self.buf.len() && self.start == 0 {
                        // Cannot happen with the buffer sized at 2 * max, but never spin.
                        self.skip(1);
                        self.resyncing = true;
                        continue;
                    }
                    return None;
                }
                FrameStatus::Invalid(error) => {
                    let pending = &self.buf[self.start..self.end];
                    let header = peek_header(pending);
                    let msg_type = header.and_then(|h| h.msg_type);
                    if let (FrameError::BodyLengthMismatch { declared }, Some(h)) = (error, header)
                    {
                        // As QuickFIX reads a stream: the bad message runs to the first
                        // `␁10=nnn␁` at or after where BodyLength says it ends (so a
                        // length that is too long swallows what follows).
                        match find_trailer(pending, (h.body_start + declared).saturating_sub(1)) {
                            Some(end) => {
                                self.stats.invalid += 1;
                                self.skip(end);
                                return Some(FrameItem::Invalid {
                                    offset,
                                    error,
                                    msg_type,
                                });
                            }
                            None if pending.len() <= self.max_message_len => return None,
                            None => {}
                        }
                    }
                    self.stats.invalid += 1;
                    self.skip(1);
                    self.resyncing = true;
                    return Some(FrameItem::Invalid {
                        offset,
                        error,
                        msg_type,
                    });
                }
            }
        }
    }

    fn skip(&mut self, n: usize) {
        self.start += n;
        self.stats.skipped_bytes += n as u64;
    }
}

/// End (exclusive) of the first `␁10=…␁` that starts at or after `from` (any
/// value: QuickFIX's parser only looks for the SOH that ends it).
fn find_trailer(buf: &[u8], from: usize) -> Option<usize> {
    let p = from + memchr::memmem::find(buf.get(from..)?, b"\x0110=")?;
    let value = p + 4;
    memchr::memchr(SOH, buf.get(value..)?).map(|e| value + e + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::checksum::{checksum, checksum_digits};

    fn msg(body: &str) -> Vec<u8> {
        let body = body.replace('|', "\x01");
        let mut m = format!("8=FIX.4.4\x019={}\x01{body}", body.len()).into_bytes();
        let sum = checksum_digits(checksum(&m));
        m.extend_from_slice(b"10=");
        m.extend_from_slice(&sum);
        m.push(1);
        m
    }

    fn drain(f: &mut Framer, out: &mut Vec<Result<Vec<u8>, FrameError>>) {
        while let Some(item) = f.poll_frame() {
            out.push(match item {
                FrameItem::Message { bytes, .. } => Ok(bytes.to_vec()),
                FrameItem::Invalid { error, .. } => Err(error),
            });
        }
    }

    #[test]
    fn frames_any_chunking() {
        let a = msg("35=0|34=1|");
        let b = msg("35=D|34=2|11=X|58=8=FIX inside text|");
        let mut stream = a.clone();
        stream.extend_from_slice(&b);
        for chunk in 1..stream.len() {
            let mut f = Framer::new(1024);
            let mut out = Vec::new();
            for c in stream.chunks(chunk) {
                let mut rest = c;
                while !rest.is_empty() {
                    let n = f.handle_input(rest);
                    rest = &rest[n..];
                    drain(&mut f, &mut out);
                }
            }
            assert_eq!(out, vec![Ok(a.clone()), Ok(b.clone())], "chunk {chunk}");
        }
    }

    #[test]
    fn reports_and_resyncs_after_garbage_and_bad_checksums() {
        let a = msg("35=0|34=1|");
        let mut bad = msg("35=0|34=2|");
        let n = bad.len();
        bad[n - 3] = if bad[n - 3] == b'0' { b'1' } else { b'0' };
        let c = msg("35=0|34=3|");
        let mut stream = b"garbage\x01".to_vec();
        stream.extend_from_slice(&a);
        stream.extend_from_slice(&bad);
        stream.extend_from_slice(&c);
        let mut f = Framer::new(1024);
        assert_eq!(f.handle_input(&stream), stream.len());
        let mut out = Vec::new();
        drain(&mut f, &mut out);
        assert_eq!(out.len(), 4);
        assert_eq!(out[0], Err(FrameError::BadBeginString));
        assert_eq!(out[1], Ok(a));
        assert!(matches!(out[2], Err(FrameError::BadChecksum { .. })));
        assert_eq!(out[3], Ok(c));
        assert_eq!(f.stats().messages, 2);
        assert_eq!(f.stats().invalid, 2);
    }

    #[test]
    fn bounds_the_largest_message() {
        let big = msg(&format!("35=0|58={}|", "x".repeat(2000)));
        let small = msg("35=0|34=9|");
        let mut f = Framer::new(512);
        let mut stream = big.clone();
        stream.extend_from_slice(&small);
        let mut out = Vec::new();
        let mut rest = &stream[..];
        while !rest.is_empty() {
            let n = f.handle_input(rest);
            rest = &rest[n..];
            drain(&mut f, &mut out);
        }
        assert!(matches!(out[0], Err(FrameError::TooLong { max: 512, .. })));
        assert_eq!(out.last(), Some(&Ok(small)));
    }

    #[test]
    fn offsets_are_stream_positions_across_compaction() {
        let a = msg("35=0|34=1|");
        let mut f = Framer::new(64);
        let mut pos = 0u64;
        for _ in 0..10_000 {
            assert_eq!(f.handle_input(&a), a.len());
            match f.poll_frame() {
                Some(FrameItem::Message { offset, .. }) => assert_eq!(offset, pos),
                other => panic!("{other:?}"),
            }
            pos += a.len() as u64;
        }
    }
}
