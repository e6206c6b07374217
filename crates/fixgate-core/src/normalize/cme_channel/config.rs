//! How a [`CmeChannel`](super::CmeChannel) is built, and what it refuses.

use thiserror::Error;

use crate::event::EventFlags;
use crate::md::cme::PacketError;
use crate::normalize::arbiter::{ArbiterConfig, ArbiterError, ConfigError};
use crate::normalize::cme::{CmeConfig, OrderData};

/// Settings of a [`CmeChannel`](super::CmeChannel).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CmeChannelConfig {
    /// The adapter and normalizer sizes (channel id, instruments, orders).
    pub cme: CmeConfig,
    /// A/B arbitration of the incremental feed.
    pub arbiter: ArbiterConfig,
    /// Incremental packets held while instruments wait for a snapshot (the
    /// recovery buffer); each slot holds up to `arbiter.max_packet_len` bytes.
    /// Allocated once; when full, the oldest packet is dropped and counted
    /// (snapshots older than what is left can then no longer be used).
    pub recovery_buffer_packets: usize,
    /// Whether the channel carries order data (MBO): after a gap its orders
    /// then wait for a 53 snapshot.
    pub orders: OrderData,
    /// Flags added to every event (e.g. `BAD_TS_RECV` when the receive times
    /// come from a fallback clock).
    pub recv_flags: EventFlags,
}

impl CmeChannelConfig {
    /// A CME channel with the adapter's defaults ([`CmeConfig::channel`]),
    /// CME arbitration ([`ArbiterConfig::cme`]) and a recovery buffer of 4,096
    /// packets (about 6 MiB at 1,500 bytes).
    pub fn channel(channel: u32, max_instruments: usize, max_orders: usize) -> Self {
        CmeChannelConfig {
            cme: CmeConfig::channel(channel, max_instruments, max_orders),
            arbiter: ArbiterConfig::cme(),
            recovery_buffer_packets: 4096,
            orders: OrderData::Detect,
            recv_flags: EventFlags::empty(),
        }
    }
}

/// A packet the channel could not take (counted; the channel goes on).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum CmeChannelError {
    /// Shorter than the 12-byte packet header: no sequence number to read.
    #[error(transparent)]
    Packet(#[from] PacketError),
    /// Longer than the arbiter's `max_packet_len`.
    #[error(transparent)]
    Arbiter(#[from] ArbiterError),
}

/// A [`CmeChannelConfig`] that cannot be built.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum CmeChannelConfigError {
    /// The arbiter's settings are out of range.
    #[error(transparent)]
    Arbiter(#[from] ConfigError),
    /// `recovery_buffer_packets` is 0.
    #[error("recovery_buffer_packets must be at least 1")]
    EmptyRecoveryBuffer,
}
