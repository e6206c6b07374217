//! Pre-rendered standard headers: a message touches only MsgSeqNum and
//! SendingTime.

use super::digits::{TimePrecision, TimestampCache};
use super::encoder::Encoder;
use crate::fix::frame::MAX_BEGIN_STRING_LEN;
use crate::fix::msg_type::MsgType;
use crate::fix::tag::Tag;
use crate::time::UtcNanos;

/// The constant part of a session's standard header, rendered once.
///
/// Header fields go out in QuickFIX's order: 8, 9, 35, then ascending tags
/// (34 MsgSeqNum, 49 SenderCompID, 52 SendingTime, 56 TargetCompID, ...).
/// Construction allocates; [`HeaderTemplate::start`] does not.
#[derive(Clone, Debug)]
pub struct HeaderTemplate {
    begin: [u8; MAX_BEGIN_STRING_LEN],
    begin_len: usize,
    /// Rendered constant fields, ascending by tag, and where each ends.
    fields: Vec<(Tag, usize)>,
    rendered: Vec<u8>,
    precision: TimePrecision,
    cache: TimestampCache,
}

impl HeaderTemplate {
    /// A header for `begin_string` from `sender` to `target`, with millisecond
    /// SendingTime.
    ///
    /// # Panics
    /// If `begin_string` is empty or longer than 16 bytes, or an id contains SOH
    /// (configuration errors, caught at start-up).
    pub fn new(begin_string: &str, sender: &str, target: &str) -> Self {
        assert!(
            !begin_string.is_empty() && begin_string.len() <= MAX_BEGIN_STRING_LEN,
            "BeginString must be 1 to 16 bytes"
        );
        let mut begin = [0u8; MAX_BEGIN_STRING_LEN];
        begin[..begin_string.len()].copy_from_slice(begin_string.as_bytes());
        HeaderTemplate {
            begin,
            begin_len: begin_string.len(),
            fields: Vec::new(),
            rendered: Vec::new(),
            precision: TimePrecision::Millis,
            cache: TimestampCache::default(),
        }
        .with_field(Tag::SENDER_COMP_ID, sender)
        .with_field(Tag::TARGET_COMP_ID, target)
    }

    /// Adds a constant header field (SenderSubID, OnBehalfOfCompID, ...).
    ///
    /// # Panics
    /// If `value` contains SOH.
    pub fn with_field(mut self, tag: Tag, value: &str) -> Self {
        assert!(
            !value.as_bytes().contains(&1),
            "header values cannot contain SOH"
        );
        let mut all: Vec<(Tag, Vec<u8>)> = Vec::new();
        let mut from = 0;
        for &(t, end) in &self.fields {
            all.push((t, self.rendered[from..end].to_vec()));
            from = end;
        }
        all.retain(|(t, _)| *t != tag);
        all.push((tag, format!("{}={}\x01", tag.0, value).into_bytes()));
        all.sort_by_key(|(t, _)| *t);
        self.rendered.clear();
        self.fields.clear();
        for (t, bytes) in all {
            self.rendered.extend_from_slice(&bytes);
            self.fields.push((t, self.rendered.len()));
        }
        self
    }

    /// The same header with SendingTime at another precision.
    pub fn with_precision(mut self, precision: TimePrecision) -> Self {
        self.precision = precision;
        self
    }

    /// The BeginString.
    pub fn begin_string(&self) -> &[u8] {
        &self.begin[..self.begin_len]
    }

    /// Starts a message: writes 35, the constant fields, 34 and 52 in tag order,
    /// plus `extra` header fields (ascending by tag, e.g. PossDupFlag and
    /// OrigSendingTime on a resend). The body follows.
    pub fn start<'b>(
        &mut self,
        buf: &'b mut [u8],
        msg_type: MsgType,
        seq_num: u64,
        sending_time: UtcNanos,
        extra: &[(Tag, &[u8])],
    ) -> Encoder<'b> {
        let mut e = Encoder::new(buf, &self.begin[..self.begin_len], msg_type);
        let mut extra = extra.iter().peekable();
        let mut from = 0;
        // Constant fields, with 34 and 52 (and any extras) merged in by tag.
        let mut variable = [Tag::MSG_SEQ_NUM, Tag::SENDING_TIME].into_iter().peekable();
        for i in 0..self.fields.len() {
            let (tag, end) = self.fields[i];
            loop {
                let next_extra = extra.peek().map(|(t, _)| *t).filter(|t| *t < tag);
                let next_var = variable.peek().copied().filter(|t| *t < tag);
                match (next_var, next_extra) {
                    (Some(v), Some(x)) if x < v => Self::write_extra(&mut e, &mut extra),
                    (Some(v), _) => {
                        variable.next();
                        self.write_variable(&mut e, v, seq_num, sending_time);
                    }
                    (None, Some(_)) => Self::write_extra(&mut e, &mut extra),
                    (None, None) => break,
                }
            }
            e.raw(&self.rendered[from..end]);
            from = end;
        }
        loop {
            let next_extra = extra.peek().map(|(t, _)| *t);
            match (variable.peek().copied(), next_extra) {
                (Some(v), Some(x)) if x < v => Self::write_extra(&mut e, &mut extra),
                (Some(v), _) => {
                    variable.next();
                    self.write_variable(&mut e, v, seq_num, sending_time);
                }
                (None, Some(_)) => Self::write_extra(&mut e, &mut extra),
                (None, None) => break,
            }
        }
        e
    }

    #[inline]
    fn write_variable(
        &mut self,
        e: &mut Encoder<'_>,
        tag: Tag,
        seq_num: u64,
        sending_time: UtcNanos,
    ) {
        if tag == Tag::MSG_SEQ_NUM {
            e.uint(Tag::MSG_SEQ_NUM, seq_num);
        } else {
            e.timestamp(
                Tag::SENDING_TIME,
                sending_time,
                self.precision,
                &mut self.cache,
            );
        }
    }

    #[inline]
    fn write_extra(
        e: &mut Encoder<'_>,
        extra: &mut std::iter::Peekable<std::slice::Iter<'_, (Tag, &[u8])>>,
    ) {
        if let Some((t, v)) = extra.next() {
            e.field(*t, v);
        }
    }
}
