//! The sending half of a session: sequence numbers, the header template, the
//! store (persist before send) and the bytes waiting for the transport.

use super::config::SessionConfig;
use super::store::{MessageStore, StoreError};
use crate::fix::encode::{EncodeError, Encoder, HeaderTemplate, HEADER_RESERVE};
use crate::fix::{MsgType, Tag};
use crate::time::UtcNanos;

/// Why a message could not be sent.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// Encoding failed (buffer, SOH in a value, ...).
    #[error("encode: {0}")]
    Encode(#[from] EncodeError),
    /// The store failed, so the message was not sent (persist before send).
    #[error("store: {0}")]
    Store(#[from] StoreError),
    /// Too many bytes are already waiting for the transport.
    #[error("{pending} bytes already waiting for the transport")]
    Backpressure {
        /// Bytes waiting.
        pending: usize,
    },
}

/// Whether a message goes on the wire now or only into the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Delivery {
    /// Save and transmit.
    Transmit,
    /// Save only (not logged on: it will be resent or gap-filled later).
    StoreOnly,
}

/// The sending half of a session.
#[derive(Debug)]
pub struct Outbound<S> {
    pub(crate) store: S,
    header: HeaderTemplate,
    scratch: Vec<u8>,
    pending: Vec<u8>,
    pending_from: usize,
    max_pending: usize,
    pub(crate) last_sent: UtcNanos,
    pub(crate) sent_messages: u64,
}

impl<S: MessageStore> Outbound<S> {
    pub(crate) fn new(config: &SessionConfig, store: S) -> Self {
        let header = HeaderTemplate::new(
            &config.begin_string,
            &config.sender_comp_id,
            &config.target_comp_id,
        )
        .with_precision(config.timestamp_precision);
        Outbound {
            store,
            header,
            scratch: vec![0u8; config.max_message_len + HEADER_RESERVE],
            pending: Vec::with_capacity(64 * 1024),
            pending_from: 0,
            max_pending: config.max_outbound_bytes,
            last_sent: UtcNanos::EPOCH,
            sent_messages: 0,
        }
    }

    /// Encodes a message with the next sequence number, saves it, and queues it
    /// for the transport when `delivery` says so. Returns its sequence number.
    pub(crate) fn send(
        &mut self,
        now: UtcNanos,
        msg_type: MsgType,
        extra_header: &[(Tag, &[u8])],
        delivery: Delivery,
        body: impl FnOnce(&mut Encoder<'_>),
    ) -> Result<u64, SendError> {
        let seq = self.store.next_sender_seq();
        self.check_backpressure()?;
        let mut e = self
            .header
            .start(&mut self.scratch, msg_type, seq, now, extra_header);
        body(&mut e);
        let bytes = e.finish()?;
        self.store.save(seq, bytes)?;
        self.store.set_next_sender_seq(seq.saturating_add(1))?;
        if delivery == Delivery::Transmit {
            self.pending.extend_from_slice(bytes);
            self.last_sent = now;
            self.sent_messages += 1;
        }
        Ok(seq)
    }

    /// Encodes and queues a message with a given sequence number, neither saved
    /// nor counted (SequenceReset-GapFill during a resend).
    pub(crate) fn send_with_seq(
        &mut self,
        now: UtcNanos,
        seq: u64,
        msg_type: MsgType,
        extra_header: &[(Tag, &[u8])],
        body: impl FnOnce(&mut Encoder<'_>),
    ) -> Result<(), SendError> {
        self.check_backpressure()?;
        let mut e = self
            .header
            .start(&mut self.scratch, msg_type, seq, now, extra_header);
        body(&mut e);
        let bytes = e.finish()?;
        self.pending.extend_from_slice(bytes);
        self.last_sent = now;
        self.sent_messages += 1;
        Ok(())
    }

    /// Queues bytes that are already a whole message (a rewritten resend).
    pub(crate) fn send_bytes(&mut self, now: UtcNanos, bytes: &[u8]) -> Result<(), SendError> {
        self.check_backpressure()?;
        self.pending.extend_from_slice(bytes);
        self.last_sent = now;
        self.sent_messages += 1;
        Ok(())
    }

    fn check_backpressure(&self) -> Result<(), SendError> {
        let pending = self.pending.len() - self.pending_from;
        if pending > self.max_pending {
            Err(SendError::Backpressure { pending })
        } else {
            Ok(())
        }
    }

    /// The header template (for rewriting resent messages).
    pub(crate) fn scratch_and_header(&mut self) -> (&mut [u8], &mut HeaderTemplate) {
        (&mut self.scratch, &mut self.header)
    }

    /// Bytes waiting for the transport.
    pub(crate) fn pending(&self) -> &[u8] {
        &self.pending[self.pending_from..]
    }

    /// Marks `n` pending bytes as written to the transport.
    pub(crate) fn consume(&mut self, n: usize) {
        self.pending_from = (self.pending_from + n).min(self.pending.len());
        if self.pending_from == self.pending.len() {
            self.pending.clear();
            self.pending_from = 0;
        }
    }

    /// Drops bytes not yet written (the connection is gone).
    pub(crate) fn discard_pending(&mut self) {
        self.pending.clear();
        self.pending_from = 0;
    }
}
