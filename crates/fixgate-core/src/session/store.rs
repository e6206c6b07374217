//! Message stores: where sent messages and sequence numbers are kept so that a
//! session can resend and survive restarts.
//!
//! Semantics: an outbound message is saved (with the next sender sequence number)
//! before it is handed to the transport, so a crash after the send can always
//! resend it. The inbound sequence number is saved after the application has
//! handled the message, so delivery is at least once.

use std::collections::BTreeMap;

use crate::time::UtcNanos;

/// Why a store operation failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum StoreError {
    /// The store's backing medium failed.
    #[error("message store I/O failed: {0}")]
    Io(String),
    /// The store's contents are inconsistent (a torn or corrupt record).
    #[error("message store is corrupt: {0}")]
    Corrupt(String),
}

/// Persistence for one session.
pub trait MessageStore {
    /// The sequence number the next outbound message gets.
    fn next_sender_seq(&self) -> u64;
    /// The sequence number expected on the next inbound message.
    fn next_target_seq(&self) -> u64;
    /// Sets the next outbound sequence number.
    ///
    /// # Errors
    /// [`StoreError`].
    fn set_next_sender_seq(&mut self, seq: u64) -> Result<(), StoreError>;
    /// Sets the next expected inbound sequence number.
    ///
    /// # Errors
    /// [`StoreError`].
    fn set_next_target_seq(&mut self, seq: u64) -> Result<(), StoreError>;
    /// Saves outbound message `seq` (before it is sent).
    ///
    /// # Errors
    /// [`StoreError`].
    fn save(&mut self, seq: u64, message: &[u8]) -> Result<(), StoreError>;
    /// Calls `f` with every saved message from `begin` to `end` inclusive, in order.
    ///
    /// # Errors
    /// [`StoreError`].
    fn for_each(
        &self,
        begin: u64,
        end: u64,
        f: &mut dyn FnMut(u64, &[u8]),
    ) -> Result<(), StoreError>;
    /// Forgets all messages and sets both sequence numbers to 1.
    ///
    /// # Errors
    /// [`StoreError`].
    fn reset(&mut self, now: UtcNanos) -> Result<(), StoreError>;
    /// When the store was created or last reset.
    fn creation_time(&self) -> UtcNanos;
}

/// A store in memory: fast, and lost with the process.
#[derive(Clone, Debug)]
pub struct MemoryStore {
    next_sender: u64,
    next_target: u64,
    messages: BTreeMap<u64, Vec<u8>>,
    created: UtcNanos,
}

impl MemoryStore {
    /// An empty store; both sequence numbers at 1.
    pub fn new(now: UtcNanos) -> Self {
        MemoryStore {
            next_sender: 1,
            next_target: 1,
            messages: BTreeMap::new(),
            created: now,
        }
    }

    /// Messages held.
    pub fn len(&self) -> usize {
        self.messages.len()
    }

    /// Whether no messages are held.
    pub fn is_empty(&self) -> bool {
        self.messages.is_empty()
    }
}

impl MessageStore for MemoryStore {
    fn next_sender_seq(&self) -> u64 {
        self.next_sender
    }
    fn next_target_seq(&self) -> u64 {
        self.next_target
    }
    fn set_next_sender_seq(&mut self, seq: u64) -> Result<(), StoreError> {
        self.next_sender = seq;
        Ok(())
    }
    fn set_next_target_seq(&mut self, seq: u64) -> Result<(), StoreError> {
        self.next_target = seq;
        Ok(())
    }
    fn save(&mut self, seq: u64, message: &[u8]) -> Result<(), StoreError> {
        self.messages.insert(seq, message.to_vec());
        Ok(())
    }
    fn for_each(
        &self,
        begin: u64,
        end: u64,
        f: &mut dyn FnMut(u64, &[u8]),
    ) -> Result<(), StoreError> {
        if begin <= end {
            for (seq, m) in self.messages.range(begin..=end) {
                f(*seq, m);
            }
        }
        Ok(())
    }
    fn reset(&mut self, now: UtcNanos) -> Result<(), StoreError> {
        self.next_sender = 1;
        self.next_target = 1;
        self.messages.clear();
        self.created = now;
        Ok(())
    }
    fn creation_time(&self) -> UtcNanos {
        self.created
    }
}

impl<T: MessageStore + ?Sized> MessageStore for Box<T> {
    fn next_sender_seq(&self) -> u64 {
        (**self).next_sender_seq()
    }
    fn next_target_seq(&self) -> u64 {
        (**self).next_target_seq()
    }
    fn set_next_sender_seq(&mut self, seq: u64) -> Result<(), StoreError> {
        (**self).set_next_sender_seq(seq)
    }
    fn set_next_target_seq(&mut self, seq: u64) -> Result<(), StoreError> {
        (**self).set_next_target_seq(seq)
    }
    fn save(&mut self, seq: u64, message: &[u8]) -> Result<(), StoreError> {
        (**self).save(seq, message)
    }
    fn for_each(
        &self,
        begin: u64,
        end: u64,
        f: &mut dyn FnMut(u64, &[u8]),
    ) -> Result<(), StoreError> {
        (**self).for_each(begin, end, f)
    }
    fn reset(&mut self, now: UtcNanos) -> Result<(), StoreError> {
        (**self).reset(now)
    }
    fn creation_time(&self) -> UtcNanos {
        (**self).creation_time()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_store_keeps_messages_in_order() {
        let mut s = MemoryStore::new(UtcNanos::EPOCH);
        for seq in [3u64, 1, 2] {
            s.save(seq, format!("m{seq}").as_bytes()).unwrap();
        }
        let mut got = Vec::new();
        s.for_each(2, 9, &mut |seq, m| got.push((seq, m.to_vec())))
            .unwrap();
        assert_eq!(got, vec![(2, b"m2".to_vec()), (3, b"m3".to_vec())]);
        s.set_next_sender_seq(4).unwrap();
        s.reset(UtcNanos::from_nanos(5)).unwrap();
        assert_eq!(
            (s.next_sender_seq(), s.next_target_seq(), s.len()),
            (1, 1, 0)
        );
    }
}
