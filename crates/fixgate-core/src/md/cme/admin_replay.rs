//! TCP replay administration: templates 15 `AdminLogin15` and 16
//! `AdminLogout16` (sent on the TCP historical replay session, never on the
//! multicast feeds; decoded so that a replay capture's session messages read).
//!
//! **15 AdminLogin15** (root 1):
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 1 | HeartBtInt (108) | Int8: heartbeat interval, seconds |
//!
//! **16 AdminLogout16** (root 180):
//!
//! | off | size | field (tag) | type |
//! |---:|---:|---|---|
//! | 0 | 180 | Text (58) | char[180]: free text (logout reason) |
//!
//! Neither has groups nor `sinceVersion` fields.

use super::block::sbe_block;
use super::encoding::{Chars, I8};
use super::group::sbe_message;

sbe_block! {
    /// Root of `AdminLogin15`.
    pub struct AdminLogin15Root, schema block length 1 {
        heart_bt_int_s [HEART_BT_INT @ 0]: I8 = "HeartBtInt", since 0;
    }
}

sbe_block! {
    /// Root of `AdminLogout16`.
    pub struct AdminLogout16Root, schema block length 180 {
        text [TEXT @ 0]: Chars<180> = "Text", since 0;
    }
}

sbe_message! {
    /// Template 15: TCP replay logon.
    pub struct AdminLogin15 = ADMIN_LOGIN_15, "AdminLogin15", root AdminLogin15Root {}
}

sbe_message! {
    /// Template 16: TCP replay logout.
    pub struct AdminLogout16 = ADMIN_LOGOUT_16, "AdminLogout16", root AdminLogout16Root {}
}
