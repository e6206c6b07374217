//! SessionRejectReason (373) and what validation reports.

use std::fmt;

use crate::fix::tag::Tag;

/// SessionRejectReason (373): an open newtype, so any value received decodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct SessionRejectReason(pub u32);

impl SessionRejectReason {
    /// 0: Invalid tag number.
    pub const INVALID_TAG_NUMBER: Self = Self(0);
    /// 1: Required tag missing.
    pub const REQUIRED_TAG_MISSING: Self = Self(1);
    /// 2: Tag not defined for this message type.
    pub const TAG_NOT_DEFINED_FOR_MESSAGE: Self = Self(2);
    /// 3: Undefined tag.
    pub const UNDEFINED_TAG: Self = Self(3);
    /// 4: Tag specified without a value.
    pub const TAG_WITHOUT_VALUE: Self = Self(4);
    /// 5: Value is incorrect (out of range) for this tag.
    pub const VALUE_OUT_OF_RANGE: Self = Self(5);
    /// 6: Incorrect data format for value.
    pub const INCORRECT_DATA_FORMAT: Self = Self(6);
    /// 7: Decryption problem.
    pub const DECRYPTION_PROBLEM: Self = Self(7);
    /// 8: Signature problem.
    pub const SIGNATURE_PROBLEM: Self = Self(8);
    /// 9: CompID problem.
    pub const COMP_ID_PROBLEM: Self = Self(9);
    /// 10: SendingTime accuracy problem.
    pub const SENDING_TIME_ACCURACY: Self = Self(10);
    /// 11: Invalid MsgType.
    pub const INVALID_MSG_TYPE: Self = Self(11);
    /// 12: XML validation error.
    pub const XML_VALIDATION_ERROR: Self = Self(12);
    /// 13: Tag appears more than once.
    pub const TAG_APPEARS_MORE_THAN_ONCE: Self = Self(13);
    /// 14: Tag specified out of required order.
    pub const TAG_OUT_OF_ORDER: Self = Self(14);
    /// 15: Repeating group fields out of order.
    pub const GROUP_FIELDS_OUT_OF_ORDER: Self = Self(15);
    /// 16: Incorrect NumInGroup count for repeating group.
    pub const INCORRECT_NUM_IN_GROUP: Self = Self(16);
    /// 17: Non "data" value includes field delimiter (SOH).
    pub const NON_DATA_VALUE_INCLUDES_SOH: Self = Self(17);
    /// 99: Other.
    pub const OTHER: Self = Self(99);

    /// The Text (58) QuickFIX sends with this reason, word for word, so that
    /// counterparties and the QuickFIX acceptance suite see the same rejects.
    pub fn text(self) -> &'static str {
        match self.0 {
            0 => "Invalid tag number",
            1 => "Required tag missing",
            2 => "Tag not defined for this message type",
            3 => "Undefined Tag",
            4 => "Tag specified without a value",
            5 => "Value is incorrect (out of range) for this tag",
            6 => "Incorrect data format for value",
            7 => "Decryption problem",
            8 => "Signature problem",
            9 => "CompID problem",
            10 => "SendingTime accuracy problem",
            11 => "Invalid MsgType",
            12 => "XML Validation error",
            13 => "Tag appears more than once",
            14 => "Tag specified out of required order",
            15 => "Repeating group fields out of order",
            16 => "Incorrect NumInGroup count for repeating group",
            17 => "Non Data value includes field delimiter (SOH character)",
            _ => "Other",
        }
    }
}

impl fmt::Display for SessionRejectReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.text(), self.0)
    }
}

/// Why a message fails validation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ValidationError {
    /// BeginString is not the dictionary's; a session answers with Logout, not
    /// Reject.
    #[error("BeginString does not match the dictionary")]
    UnsupportedVersion,
    /// The message is to be rejected with this reason and RefTagID.
    #[error("{reason}, RefTagID {ref_tag:?}")]
    Reject {
        /// SessionRejectReason (373).
        reason: SessionRejectReason,
        /// RefTagID (371), when the reason names a tag.
        ref_tag: Option<Tag>,
    },
}

impl ValidationError {
    pub(super) fn reject(reason: SessionRejectReason, tag: Tag) -> Self {
        ValidationError::Reject {
            reason,
            ref_tag: Some(tag),
        }
    }

    /// The reject reason, for a `Reject`.
    pub fn reason(&self) -> Option<SessionRejectReason> {
        match self {
            ValidationError::Reject { reason, .. } => Some(*reason),
            ValidationError::UnsupportedVersion => None,
        }
    }
}
