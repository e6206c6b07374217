//! Serving a ResendRequest: stored application messages go out again with
//! PossDupFlag=Y and OrigSendingTime; admin messages (and those the application
//! declines) collapse into SequenceReset-GapFill, as QuickFIX does.

use super::admin::render_time;
use super::app::Application;
use super::engine::Core;
use super::event::{DisconnectReason, SessionEvent};
use super::store::MessageStore;
use crate::fix::encode::Encoder;
use crate::fix::{FieldRef, Message, Tag};
use crate::time::UtcNanos;

impl<S: MessageStore> Core<S> {
    pub(crate) fn serve_resend<A: Application>(
        &mut self,
        now: UtcNanos,
        begin: u64,
        requested_end: u64,
        app: &mut A,
    ) {
        let next_sender = self.out.store.next_sender_seq();
        let infinity = if self.config.at_least_fix42() {
            requested_end == 0
        } else {
            requested_end == 999_999
        };
        let mut end = requested_end;
        if infinity || end >= next_sender {
            end = next_sender.saturating_sub(1);
        }
        if !self.config.persist_messages {
            let new_seq = end.saturating_add(1).min(next_sender);
            self.generate_gap_fill(now, begin, new_seq);
            return;
        }
        let mut stored: Vec<(u64, Vec<u8>)> = Vec::new();
        if self
            .out
            .store
            .for_each(begin, end, &mut |seq, m| stored.push((seq, m.to_vec())))
            .is_err()
        {
            self.event(SessionEvent::Disconnect(DisconnectReason::StoreFailed));
            return;
        }
        let data_tags = self
            .session_dict
            .as_ref()
            .map(|d| d.data_tags().clone())
            .unwrap_or_default();
        let mut gap_begin: Option<u64> = None;
        let mut current = begin;
        let mut last_seq = 0;
        for (seq, bytes) in &stored {
            let mut index = vec![FieldRef::default(); bytes.len() / 4 + 8];
            let Ok(msg) = Message::from_parts(bytes, &data_tags, &mut index) else {
                continue;
            };
            if current != *seq && gap_begin.is_none() {
                gap_begin = Some(current);
            }
            let admin = msg.msg_type().is_none_or(|t| t.is_admin());
            if admin {
                if gap_begin.is_none() {
                    gap_begin = Some(*seq);
                }
            } else if app.on_resend(&msg) {
                if let Some(b) = gap_begin.take() {
                    self.generate_gap_fill(now, b, *seq);
                }
                self.resend_message(now, &msg);
            } else if gap_begin.is_none() {
                gap_begin = Some(*seq);
            }
            current = seq.saturating_add(1);
            last_seq = *seq;
        }
        if let Some(b) = gap_begin {
            self.generate_gap_fill(now, b, last_seq.saturating_add(1));
        }
        if end > last_seq {
            let new_seq = end.saturating_add(1).min(next_sender);
            self.generate_gap_fill(now, begin, new_seq);
        }
    }

    /// Sends a stored message again: PossDupFlag=Y, OrigSendingTime = its old
    /// SendingTime, SendingTime = now, header fields in tag order, body as stored.
    fn resend_message(&mut self, now: UtcNanos, msg: &Message<'_>) {
        let Some(msg_type) = msg.msg_type() else {
            return;
        };
        let begin = msg.begin_string().unwrap_or_default().to_vec();
        let orig = msg
            .find(Tag::SENDING_TIME)
            .map(|f| f.value)
            .unwrap_or_default();
        let (time, tn) = render_time(now, self.config.timestamp_precision);
        // Header fields (after 8, 9, 35), sorted by tag, with 43, 52, 122 replaced.
        let mut header: Vec<(u32, &[u8])> = msg
            .iter()
            .skip(3)
            .filter(|f| {
                f.tag.is_standard_header() && !matches!(f.tag.0, 8 | 9 | 35 | 43 | 52 | 122)
            })
            .map(|f| (f.tag.0, f.value))
            .collect();
        header.push((43, b"Y"));
        header.push((52, &time[..tn]));
        header.push((122, orig));
        header.sort_by_key(|(t, _)| *t);
        let (scratch, _) = self.out.scratch_and_header();
        let mut e = Encoder::new(scratch, &begin, msg_type);
        for (t, v) in &header {
            e.raw_field(Tag(*t), v);
        }
        for f in msg.iter().skip(3) {
            if !f.tag.is_standard_header() && !f.tag.is_standard_trailer() {
                e.raw_field(f.tag, f.value);
            }
        }
        let bytes = match e.finish() {
            Ok(b) => b.to_vec(),
            Err(_) => return,
        };
        if self.out.send_bytes(now, &bytes).is_err() {
            self.event(SessionEvent::Disconnect(DisconnectReason::Backpressure));
        }
        self.counters.resent += 1;
    }
}
