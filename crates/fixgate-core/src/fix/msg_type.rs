//! MsgType (35): an open newtype, so unknown message types decode.

use std::fmt;

/// A MsgType value of one to four bytes, stored inline with its length (so any
/// byte, NUL included, is part of the value).
///
/// Open: unknown and user-defined types (`U1`, `AE`, ...) are representable; a
/// session rejects or skips them by policy. Constants name the types fixgate
/// handles itself.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MsgType {
    bytes: [u8; 4],
    len: u8,
}

impl MsgType {
    /// Heartbeat.
    pub const HEARTBEAT: MsgType = MsgType::lit(b"0");
    /// TestRequest.
    pub const TEST_REQUEST: MsgType = MsgType::lit(b"1");
    /// ResendRequest.
    pub const RESEND_REQUEST: MsgType = MsgType::lit(b"2");
    /// Reject (session level).
    pub const REJECT: MsgType = MsgType::lit(b"3");
    /// SequenceReset.
    pub const SEQUENCE_RESET: MsgType = MsgType::lit(b"4");
    /// Logout.
    pub const LOGOUT: MsgType = MsgType::lit(b"5");
    /// ExecutionReport.
    pub const EXECUTION_REPORT: MsgType = MsgType::lit(b"8");
    /// OrderCancelReject.
    pub const ORDER_CANCEL_REJECT: MsgType = MsgType::lit(b"9");
    /// Logon.
    pub const LOGON: MsgType = MsgType::lit(b"A");
    /// NewOrderSingle.
    pub const NEW_ORDER_SINGLE: MsgType = MsgType::lit(b"D");
    /// OrderCancelRequest.
    pub const ORDER_CANCEL_REQUEST: MsgType = MsgType::lit(b"F");
    /// OrderCancelReplaceRequest.
    pub const ORDER_CANCEL_REPLACE_REQUEST: MsgType = MsgType::lit(b"G");
    /// MarketDataRequest.
    pub const MARKET_DATA_REQUEST: MsgType = MsgType::lit(b"V");
    /// MarketDataSnapshotFullRefresh.
    pub const MARKET_DATA_SNAPSHOT: MsgType = MsgType::lit(b"W");
    /// MarketDataIncrementalRefresh.
    pub const MARKET_DATA_INCREMENTAL: MsgType = MsgType::lit(b"X");
    /// BusinessMessageReject.
    pub const BUSINESS_MESSAGE_REJECT: MsgType = MsgType::lit(b"j");

    const fn lit(b: &[u8]) -> MsgType {
        match MsgType::from_bytes(b) {
            Some(t) => t,
            None => panic!("MsgType literal must be 1 to 4 bytes"),
        }
    }

    /// The MsgType with these bytes; `None` when empty or longer than four bytes.
    #[inline]
    pub const fn from_bytes(b: &[u8]) -> Option<MsgType> {
        if b.is_empty() || b.len() > 4 {
            return None;
        }
        let mut out = [0u8; 4];
        let mut i = 0;
        while i < b.len() {
            out[i] = b[i];
            i += 1;
        }
        Some(MsgType {
            bytes: out,
            len: b.len() as u8,
        })
    }

    /// The value's bytes.
    #[inline]
    pub fn as_bytes(&self) -> &[u8] {
        &self.bytes[..self.len as usize]
    }

    /// Whether this is one of the seven session-level (admin) messages.
    #[inline]
    pub fn is_admin(&self) -> bool {
        matches!(
            self.as_bytes(),
            b"0" | b"1" | b"2" | b"3" | b"4" | b"5" | b"A"
        )
    }
}

impl fmt::Display for MsgType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&String::from_utf8_lossy(self.as_bytes()))
    }
}

impl fmt::Debug for MsgType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MsgType({self})")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_values_round_trip() {
        assert_eq!(MsgType::from_bytes(b"AE").unwrap().as_bytes(), b"AE");
        assert_eq!(MsgType::from_bytes(b"U1").unwrap().to_string(), "U1");
        assert_eq!(MsgType::from_bytes(b""), None);
        assert_eq!(MsgType::from_bytes(b"ABCDE"), None);
        let nul = MsgType::from_bytes(b"D\0").unwrap();
        assert_ne!(nul, MsgType::NEW_ORDER_SINGLE);
        assert_eq!(nul.as_bytes(), b"D\0");
        assert!(MsgType::LOGON.is_admin());
        assert!(!MsgType::NEW_ORDER_SINGLE.is_admin());
    }
}
