//! The application side of a session: callbacks with each message in sequence,
//! and an outbox to answer through.

use super::outbound::SendError;
use crate::fix::encode::Encoder;
use crate::fix::{Message, MsgType, SessionRejectReason, Tag};
use crate::time::UtcNanos;

/// How the application refuses a message (QuickFIX's exceptions from `fromApp`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AppReject {
    /// The application does not handle this MsgType: BusinessMessageReject with
    /// BusinessRejectReason 3 (FIX 4.2 and later), else a session Reject.
    UnsupportedMessageType,
    /// A field the application needs is missing: BusinessMessageReject 5
    /// (conditionally required field missing) naming it.
    FieldMissing(Tag),
    /// A session-level Reject with this reason and tag.
    Session {
        /// SessionRejectReason (373).
        reason: SessionRejectReason,
        /// RefTagID (371).
        ref_tag: Option<Tag>,
    },
}

/// Sends application messages from inside a callback.
pub struct Outbox<'o> {
    pub(crate) now: UtcNanos,
    pub(crate) sender: &'o mut dyn SendApp,
}

/// The session's sending interface as the outbox sees it.
pub(crate) trait SendApp {
    fn send_app(
        &mut self,
        now: UtcNanos,
        msg_type: MsgType,
        extra_header: &[(Tag, &[u8])],
        body: &mut dyn FnMut(&mut Encoder<'_>),
    ) -> Result<u64, SendError>;
}

impl Outbox<'_> {
    /// The time the session is processing (use it for TransactTime and the like).
    pub fn now(&self) -> UtcNanos {
        self.now
    }

    /// Sends an application message: header (34, 49, 52, 56) from the session,
    /// body from `body`. Returns its sequence number.
    ///
    /// # Errors
    /// [`SendError`]; the message is not sent.
    pub fn send(
        &mut self,
        msg_type: MsgType,
        mut body: impl FnMut(&mut Encoder<'_>),
    ) -> Result<u64, SendError> {
        self.sender.send_app(self.now, msg_type, &[], &mut body)
    }

    /// As [`Outbox::send`], with extra header fields (ascending by tag, none of
    /// 8, 9, 34, 35, 49, 52, 56, which the session writes).
    ///
    /// # Errors
    /// [`SendError`]; the message is not sent.
    pub fn send_with_header(
        &mut self,
        msg_type: MsgType,
        extra_header: &[(Tag, &[u8])],
        mut body: impl FnMut(&mut Encoder<'_>),
    ) -> Result<u64, SendError> {
        self.sender
            .send_app(self.now, msg_type, extra_header, &mut body)
    }
}

/// What a session calls as messages arrive. Callbacks run on the session's
/// thread, in sequence order, and must not block.
pub trait Application {
    /// An application message, in sequence. A resent duplicate carries
    /// PossDupFlag (43) = Y; delivery is at least once.
    ///
    /// # Errors
    /// An [`AppReject`] is turned into the matching Reject or BusinessMessageReject.
    fn on_message(&mut self, msg: &Message<'_>, out: &mut Outbox<'_>) -> Result<(), AppReject>;

    /// A Logon passed the session's checks; refuse it with a Logout text (for
    /// example after checking Username 553 and Password 554). This is the
    /// pluggable authenticator: the default accepts every Logon.
    ///
    /// # Errors
    /// The Text (58) of the Logout that answers the refused Logon.
    fn authenticate(&mut self, _logon: &Message<'_>) -> Result<(), String> {
        Ok(())
    }

    /// The session is logged on.
    fn on_logon(&mut self, _out: &mut Outbox<'_>) {}

    /// The session logged out or lost its connection.
    fn on_logout(&mut self) {}

    /// A stored application message is about to be resent; return false to send
    /// a SequenceReset-GapFill in its place (e.g. a stale order).
    fn on_resend(&mut self, _msg: &Message<'_>) -> bool {
        true
    }
}
