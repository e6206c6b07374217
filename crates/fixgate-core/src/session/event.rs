//! What a session reports to its shell and operators.

use crate::fix::{FrameError, IndexError, SessionRejectReason};

/// Why the session wants its connection closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DisconnectReason {
    /// A Logout exchange completed.
    LoggedOut,
    /// We sent Logout and the counterparty did not answer in time.
    LogoutTimeout,
    /// No Logon (or Logon answer) in time.
    LogonTimeout,
    /// Nothing received for 2.4 heartbeat intervals.
    HeartbeatTimeout,
    /// The first message was not a Logon, or arrived in a state that forbids it.
    InvalidLogonState,
    /// A garbled Logon.
    GarbledLogon,
    /// MsgSeqNum lower than expected without PossDupFlag.
    SeqNumTooLow {
        /// Expected.
        expected: u64,
        /// Received.
        received: u64,
    },
    /// The authenticator (or application) refused the Logon; a Logout with its
    /// text was sent.
    LogonRejected,
    /// The counterparty's NextExpectedMsgSeqNum (789) is beyond what we sent.
    NextExpectedTooHigh,
    /// A problem that must be rejected arrived before Logon completed.
    RejectBeforeLogon,
    /// The store failed; nothing can be sent safely.
    StoreFailed,
    /// The transport is not draining what we send.
    Backpressure,
}

/// Why an inbound frame was garbled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GarbledReason {
    /// Framing: BeginString, BodyLength, MsgType position, CheckSum.
    #[error("{0}")]
    Frame(FrameError),
    /// The frame is whole but its fields cannot be read (`4garbled9=`).
    #[error("{0}")]
    Fields(IndexError),
}

/// Something that happened in the session.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionEvent {
    /// Logon completed.
    LoggedOn,
    /// The session asks its shell to flush what is pending and close the connection.
    Disconnect(DisconnectReason),
    /// A garbled frame was ignored (counted, as FIX requires no Reject).
    Garbled {
        /// Stream offset of the bad frame.
        offset: u64,
        /// Why it is garbled.
        error: GarbledReason,
    },
    /// We rejected an inbound message.
    Rejected {
        /// Its MsgSeqNum (0 when unknown).
        seq: u64,
        /// SessionRejectReason, or `None` for a BusinessMessageReject.
        reason: Option<SessionRejectReason>,
    },
    /// A gap was detected and a ResendRequest sent.
    GapDetected {
        /// First missing sequence number.
        begin: u64,
        /// Last missing sequence number.
        end: u64,
    },
}

/// Counters of one session.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SessionCounters {
    /// Messages received and accepted in sequence.
    pub received: u64,
    /// Garbled frames ignored.
    pub garbled: u64,
    /// Rejects and BusinessMessageRejects sent.
    pub rejects_sent: u64,
    /// ResendRequests sent.
    pub resend_requests_sent: u64,
    /// Messages resent in answer to ResendRequests.
    pub resent: u64,
    /// Gap fills sent.
    pub gap_fills_sent: u64,
    /// Out-of-order messages dropped because the queue was full.
    pub queue_overflow: u64,
}
