//! The arbiter's settings and their limits.

use thiserror::Error;

/// What happens to a packet that arrives after its gap was declared.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum LatePolicy {
    /// Count it (`late`) and drop it: the gap stands and recovery (a snapshot)
    /// repairs what it missed. The default: a late packet cannot be applied in
    /// order any more.
    #[default]
    Drop,
    /// Count it and hand it out as [`Action::Late`](super::Action::Late), for a
    /// recovery layer that can still use it (e.g. to shorten a recovery).
    Surface,
}

/// Settings of an [`Arbiter`](super::Arbiter).
///
/// The two bounds on waiting for out-of-order packets: at most
/// `reorder_window` packets are buffered ahead of the next expected one (a
/// packet further ahead forces the oldest holes to be declared at once), and a
/// missing packet is declared lost `max_wait_ns` after the first packet behind
/// it arrived.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ArbiterConfig {
    /// How far ahead of the next expected sequence number a packet may be and
    /// still be buffered (1..=[`ArbiterConfig::MAX_REORDER_WINDOW`]); also the
    /// most packets ever buffered. Memory: `reorder_window + 1` packet slots.
    pub reorder_window: u16,
    /// How long a hole may stay open, from the arrival of the first packet
    /// after it, before it is declared a gap.
    pub max_wait_ns: u64,
    /// The longest payload accepted (1..=[`ArbiterConfig::MAX_PACKET_LEN`]);
    /// longer ones are refused and counted (`too_long`). Buffered copies are
    /// stored in slots of this size.
    pub max_packet_len: u16,
    /// How far behind the next expected sequence number a packet may be and
    /// still be classified exactly as a duplicate or a late packet
    /// (64..=[`ArbiterConfig::MAX_DUP_HORIZON`], a multiple of 64; one bit per
    /// sequence number per line and for the channel). A packet further behind
    /// starts a new sequence epoch (the weekly reset; see the module docs).
    pub dup_horizon: u32,
    /// What to do with late packets.
    pub late: LatePolicy,
}

impl ArbiterConfig {
    /// The largest `reorder_window`.
    pub const MAX_REORDER_WINDOW: u16 = 4096;
    /// The largest `max_packet_len`: a UDP payload.
    pub const MAX_PACKET_LEN: u16 = 65_507;
    /// The largest `dup_horizon` (2^24: 2 MiB of bitmaps per line).
    pub const MAX_DUP_HORIZON: u32 = 1 << 24;

    /// Defaults for a CME MDP3 incremental channel: 64 packets or 2 ms of
    /// reordering, 1,500-byte payloads (CME stays under the Ethernet MTU),
    /// 65,536 sequence numbers of duplicate history, late packets dropped.
    ///
    /// A/B copies normally arrive within microseconds of each other; 2 ms
    /// covers a slow line without holding a real gap long (the gap's
    /// instruments stay stale until it is declared and recovery starts).
    pub const fn cme() -> Self {
        ArbiterConfig {
            reorder_window: 64,
            max_wait_ns: 2_000_000,
            max_packet_len: 1_500,
            dup_horizon: 1 << 16,
            late: LatePolicy::Drop,
        }
    }

    /// Checks the limits.
    ///
    /// # Errors
    /// The first setting out of range, with the value and the allowed range.
    pub fn validate(&self) -> Result<(), ConfigError> {
        if self.reorder_window == 0 || self.reorder_window > Self::MAX_REORDER_WINDOW {
            return Err(ConfigError::ReorderWindow {
                have: self.reorder_window,
                max: Self::MAX_REORDER_WINDOW,
            });
        }
        if self.max_packet_len == 0 || self.max_packet_len > Self::MAX_PACKET_LEN {
            return Err(ConfigError::MaxPacketLen {
                have: self.max_packet_len,
                max: Self::MAX_PACKET_LEN,
            });
        }
        if self.dup_horizon < 64
            || self.dup_horizon % 64 != 0
            || self.dup_horizon > Self::MAX_DUP_HORIZON
        {
            return Err(ConfigError::DupHorizon {
                have: self.dup_horizon,
                max: Self::MAX_DUP_HORIZON,
            });
        }
        Ok(())
    }
}

impl Default for ArbiterConfig {
    fn default() -> Self {
        Self::cme()
    }
}

/// A setting of [`ArbiterConfig`] out of range.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum ConfigError {
    /// `reorder_window` is 0 or above the maximum.
    #[error("reorder_window {have} is outside 1..={max}")]
    ReorderWindow {
        /// The value given.
        have: u16,
        /// The largest allowed.
        max: u16,
    },
    /// `max_packet_len` is 0 or above the maximum.
    #[error("max_packet_len {have} is outside 1..={max}")]
    MaxPacketLen {
        /// The value given.
        have: u16,
        /// The largest allowed.
        max: u16,
    },
    /// `dup_horizon` is below 64, not a multiple of 64, or above the maximum.
    #[error("dup_horizon {have} is not a multiple of 64 in 64..={max}")]
    DupHorizon {
        /// The value given.
        have: u32,
        /// The largest allowed.
        max: u32,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_valid_and_limits_are_enforced() {
        assert_eq!(ArbiterConfig::default().validate(), Ok(()));
        let c = ArbiterConfig::cme();
        let bad = |f: fn(&mut ArbiterConfig)| {
            let mut c = c;
            f(&mut c);
            c.validate().unwrap_err()
        };
        assert_eq!(
            bad(|c| c.reorder_window = 0),
            ConfigError::ReorderWindow { have: 0, max: 4096 }
        );
        assert!(matches!(
            bad(|c| c.reorder_window = 4097),
            ConfigError::ReorderWindow { .. }
        ));
        assert!(matches!(
            bad(|c| c.max_packet_len = 0),
            ConfigError::MaxPacketLen { .. }
        ));
        assert!(matches!(
            bad(|c| c.max_packet_len = u16::MAX),
            ConfigError::MaxPacketLen { .. }
        ));
        for h in [0, 63, 100, (1 << 24) + 64] {
            let mut c = c;
            c.dup_horizon = h;
            assert!(
                matches!(c.validate(), Err(ConfigError::DupHorizon { .. })),
                "{h}"
            );
        }
        assert_eq!(
            bad(|c| c.dup_horizon = 32).to_string(),
            "dup_horizon 32 is not a multiple of 64 in 64..=16777216"
        );
    }
}
