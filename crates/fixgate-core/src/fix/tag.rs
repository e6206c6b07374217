//! Field tags: an open newtype with the standard header and trailer tags named.

use std::fmt;

/// A FIX field tag.
///
/// Open: any number that appears on the wire is a `Tag`, so unknown and
/// user-defined tags decode. A tag written on the wire as a negative number (which
/// QuickFIX reports back verbatim in RefTagID, e.g. `371=-1`) is kept as its
/// two's-complement bit pattern: [`Tag::wire_value`] gives it back, and
/// [`Tag::is_valid_number`] is false for it and for 0.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
#[repr(transparent)]
pub struct Tag(pub u32);

impl Tag {
    /// BeginString.
    pub const BEGIN_STRING: Tag = Tag(8);
    /// BodyLength.
    pub const BODY_LENGTH: Tag = Tag(9);
    /// CheckSum.
    pub const CHECK_SUM: Tag = Tag(10);
    /// MsgType.
    pub const MSG_TYPE: Tag = Tag(35);
    /// MsgSeqNum.
    pub const MSG_SEQ_NUM: Tag = Tag(34);
    /// SenderCompID.
    pub const SENDER_COMP_ID: Tag = Tag(49);
    /// TargetCompID.
    pub const TARGET_COMP_ID: Tag = Tag(56);
    /// SendingTime.
    pub const SENDING_TIME: Tag = Tag(52);
    /// PossDupFlag.
    pub const POSS_DUP_FLAG: Tag = Tag(43);
    /// PossResend.
    pub const POSS_RESEND: Tag = Tag(97);
    /// OrigSendingTime.
    pub const ORIG_SENDING_TIME: Tag = Tag(122);
    /// Text.
    pub const TEXT: Tag = Tag(58);
    /// RefSeqNum.
    pub const REF_SEQ_NUM: Tag = Tag(45);
    /// RefTagID.
    pub const REF_TAG_ID: Tag = Tag(371);
    /// RefMsgType.
    pub const REF_MSG_TYPE: Tag = Tag(372);
    /// SessionRejectReason.
    pub const SESSION_REJECT_REASON: Tag = Tag(373);
    /// SignatureLength.
    pub const SIGNATURE_LENGTH: Tag = Tag(93);
    /// Signature.
    pub const SIGNATURE: Tag = Tag(89);
    /// ApplVerID (FIXT.1.1).
    pub const APPL_VER_ID: Tag = Tag(1128);
    /// DefaultApplVerID (FIXT.1.1 Logon).
    pub const DEFAULT_APPL_VER_ID: Tag = Tag(1137);

    /// A tag from the signed number written on the wire.
    #[inline]
    pub const fn from_wire(value: i32) -> Tag {
        Tag(value as u32)
    }

    /// The tag as the signed number written on the wire.
    #[inline]
    pub const fn wire_value(self) -> i32 {
        self.0 as i32
    }

    /// Whether this is one of the standard header tags that QuickFIX knows
    /// without a dictionary (its `Message::isHeaderField`): where a field goes when
    /// a message is rewritten or echoed, and how validation splits a message.
    #[inline]
    pub fn is_standard_header(self) -> bool {
        matches!(
            self.0,
            8 | 9
                | 35
                | 49
                | 56
                | 115
                | 128
                | 90
                | 91
                | 34
                | 50
                | 142
                | 57
                | 143
                | 116
                | 144
                | 129
                | 145
                | 43
                | 97
                | 52
                | 122
                | 212
                | 213
                | 347
                | 369
                | 370
                | 627
                | 628
                | 629
                | 630
                | 1128
                | 1129
                | 1156
        )
    }

    /// Whether this is one of the standard trailer tags (SignatureLength,
    /// Signature, CheckSum).
    #[inline]
    pub fn is_standard_trailer(self) -> bool {
        matches!(self.0, 93 | 89 | 10)
    }

    /// Whether this is a positive tag number (FIX tags start at 1).
    #[inline]
    pub const fn is_valid_number(self) -> bool {
        self.wire_value() > 0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.wire_value())
    }
}

impl From<u32> for Tag {
    fn from(v: u32) -> Self {
        Tag(v)
    }
}
