//! The message store the session writes through, journaled so the harness can check what was stored.

use super::*;

/// What the store saw, shared with the harness.
#[derive(Default)]
pub(super) struct Journal {
    pub(super) resets: u64,
    /// The highest next outbound number since the harness last drained the
    /// session (a reset later in the same call lowers the store's).
    pub(super) high: u64,
    /// Saved messages not yet seen on the wire: (reset epoch, MsgSeqNum, bytes).
    pub(super) saved: VecDeque<(u64, u64, Vec<u8>)>,
}

/// A [`MemoryStore`] that asserts persist-before-send numbering and journals saves.
pub(super) struct CheckedStore {
    pub(super) inner: MemoryStore,
    pub(super) journal: Rc<RefCell<Journal>>,
}

impl MessageStore for CheckedStore {
    fn next_sender_seq(&self) -> u64 {
        self.inner.next_sender_seq()
    }
    fn next_target_seq(&self) -> u64 {
        self.inner.next_target_seq()
    }
    fn set_next_sender_seq(&mut self, seq: u64) -> Result<(), StoreError> {
        let now = self.inner.next_sender_seq();
        assert!(
            seq > now,
            "next outbound MsgSeqNum set from {now} to {seq} without a reset"
        );
        let mut j = self.journal.borrow_mut();
        j.high = j.high.max(seq);
        self.inner.set_next_sender_seq(seq)
    }
    fn set_next_target_seq(&mut self, seq: u64) -> Result<(), StoreError> {
        let now = self.inner.next_target_seq();
        assert!(
            seq > now,
            "expected inbound MsgSeqNum set from {now} to {seq} without a reset"
        );
        self.inner.set_next_target_seq(seq)
    }
    fn save(&mut self, seq: u64, message: &[u8]) -> Result<(), StoreError> {
        let next = self.inner.next_sender_seq();
        assert_eq!(
            seq, next,
            "message saved as {seq} while the next outbound number is {next}"
        );
        let mut j = self.journal.borrow_mut();
        let epoch = j.resets;
        j.saved.push_back((epoch, seq, message.to_vec()));
        self.inner.save(seq, message)
    }
    fn for_each(
        &self,
        begin: u64,
        end: u64,
        f: &mut dyn FnMut(u64, &[u8]),
    ) -> Result<(), StoreError> {
        self.inner.for_each(begin, end, f)
    }
    fn reset(&mut self, now: UtcNanos) -> Result<(), StoreError> {
        self.journal.borrow_mut().resets += 1;
        self.inner.reset(now)
    }
    fn creation_time(&self) -> UtcNanos {
        self.inner.creation_time()
    }
}
