//! The FIX session layer, sans-IO: logon, heartbeats and test requests, resend
//! and gap fill, sequence reset, reject, logout; initiator and acceptor.
//!
//! [`Session`] takes bytes and timestamps and gives back bytes to send and
//! events; a shell (`fixgate::net`) owns the socket and the clock. Behaviour and
//! wording follow QuickFIX's `Session` so that its acceptance suite passes
//! unmodified: header fields in tag order, millisecond SendingTime, QuickFIX's
//! reject and logout texts, its sequence-number rules (too high: queue and
//! ResendRequest; too low without PossDup: Logout), and its resend rules
//! (application messages resent with PossDupFlag and OrigSendingTime, admin
//! messages collapsed into SequenceReset-GapFill).
//!
//! The logon state is kept as QuickFIX keeps it (flags for logon and logout
//! sent and received, resets sent and received) rather than as one enum per
//! state, because QuickFIX's rules are stated over those flags and matching them
//! exactly is the point.
//!
//! Persistence: every outbound message is saved in the [`MessageStore`] before
//! it is offered to the transport; the expected inbound number advances after
//! the application has handled the message (at-least-once delivery).

mod admin;
mod app;
mod config;
mod engine;
mod event;
mod inbound;
mod outbound;
mod resend;
mod store;
#[cfg(test)]
mod tests;

pub use app::{AppReject, Application, Outbox};
pub use config::{Role, SessionConfig};
pub use engine::Session;
pub use event::{DisconnectReason, GarbledReason, SessionCounters, SessionEvent};
pub use outbound::SendError;
pub use store::{MemoryStore, MessageStore, StoreError};
