//! Session settings, named after QuickFIX's (in snake_case in configuration files).

use crate::fix::encode::TimePrecision;
use crate::fix::ValidationOptions;

/// Which side opens the connection and sends the first Logon.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Waits for the counterparty's Logon and answers it.
    Acceptor,
    /// Sends the Logon.
    Initiator,
}

/// One session's configuration.
#[derive(Clone, Debug, PartialEq)]
pub struct SessionConfig {
    /// `BeginString` (`FIX.4.2`, `FIX.4.4`, `FIXT.1.1`).
    pub begin_string: String,
    /// Our `SenderCompID`.
    pub sender_comp_id: String,
    /// The counterparty's CompID (our `TargetCompID`).
    pub target_comp_id: String,
    /// Acceptor or initiator.
    pub role: Role,
    /// `HeartBtInt` in seconds that an initiator proposes (an acceptor takes the
    /// counterparty's).
    pub heart_bt_int: u32,
    /// `ResetOnLogon`: sequence numbers restart at 1 on every Logon.
    pub reset_on_logon: bool,
    /// `ResetOnLogout`.
    pub reset_on_logout: bool,
    /// `ResetOnDisconnect`.
    pub reset_on_disconnect: bool,
    /// `CheckLatency`: reject messages whose SendingTime is off by more than
    /// `max_latency_s`.
    pub check_latency: bool,
    /// `MaxLatency` in seconds.
    pub max_latency_s: u64,
    /// `CheckCompID`: reject messages whose CompIDs do not match the session.
    pub check_comp_id: bool,
    /// `UseDataDictionary`: validate against the dictionary.
    pub use_data_dictionary: bool,
    /// `ValidateFieldsOutOfOrder`, `ValidateFieldsHaveValues`,
    /// `ValidateUserDefinedFields`, `AllowUnknownMsgFields`.
    pub validation: ValidationOptions,
    /// `ResendRequestChunkSize`: most messages asked for in one ResendRequest
    /// (0: all at once).
    pub resend_request_chunk_size: u64,
    /// `SendRedundantResendRequests`.
    pub send_redundant_resend_requests: bool,
    /// `PersistMessages`: keep sent messages for resending (else gap-fill all).
    pub persist_messages: bool,
    /// `LogonTimeout` in seconds.
    pub logon_timeout_s: u64,
    /// `LogoutTimeout` in seconds.
    pub logout_timeout_s: u64,
    /// Precision of SendingTime and OrigSendingTime (QuickFIX: milliseconds).
    pub timestamp_precision: TimePrecision,
    /// `DefaultApplVerID` sent on a FIXT Logon (e.g. `9` for FIX.5.0SP2).
    pub default_appl_ver_id: Option<String>,
    /// `EnableNextExpectedMsgSeqNum`: Logon carries NextExpectedMsgSeqNum (789)
    /// and a counterparty's 789 triggers the resend it implies (FIX 4.4+).
    pub enable_next_expected_msg_seq_num: bool,
    /// Username (553) an initiator sends on Logon.
    pub username: Option<String>,
    /// Password (554) an initiator sends on Logon.
    pub password: Option<String>,
    /// Largest inbound message accepted, in bytes.
    pub max_message_len: usize,
    /// Most out-of-order messages kept while a gap is being filled.
    pub max_queued_messages: usize,
    /// Most bytes waiting to be transmitted before the session gives up on the peer.
    pub max_outbound_bytes: usize,
}

impl SessionConfig {
    /// A configuration with QuickFIX's defaults for everything but the identity.
    pub fn new(begin_string: &str, sender_comp_id: &str, target_comp_id: &str, role: Role) -> Self {
        SessionConfig {
            begin_string: begin_string.to_string(),
            sender_comp_id: sender_comp_id.to_string(),
            target_comp_id: target_comp_id.to_string(),
            role,
            heart_bt_int: 30,
            reset_on_logon: false,
            reset_on_logout: false,
            reset_on_disconnect: false,
            check_latency: true,
            max_latency_s: 120,
            check_comp_id: true,
            use_data_dictionary: true,
            validation: ValidationOptions::default(),
            resend_request_chunk_size: 0,
            send_redundant_resend_requests: false,
            persist_messages: true,
            logon_timeout_s: 10,
            logout_timeout_s: 2,
            timestamp_precision: TimePrecision::Millis,
            default_appl_ver_id: None,
            enable_next_expected_msg_seq_num: false,
            username: None,
            password: None,
            max_message_len: 1 << 20,
            max_queued_messages: 10_000,
            max_outbound_bytes: 64 << 20,
        }
    }

    /// Whether this is a FIXT 1.1 session (FIX 5.0 and later on top).
    pub fn is_fixt(&self) -> bool {
        self.begin_string.starts_with("FIXT")
    }

    /// Whether the version is FIX 4.2 or later (BusinessMessageReject,
    /// SessionRejectReason, EndSeqNo 0 for "infinity").
    pub fn at_least_fix42(&self) -> bool {
        self.is_fixt() || self.begin_string.as_str() >= "FIX.4.2"
    }
}
