//! The pipeline stages that fixgate times, each between two stamps.

use std::fmt;

/// One hop of the pipeline, timed from the stamp that opens it to the stamp that
/// closes it.
///
/// Every stamp is a raw monotonic reading ([`crate::time::Ticks`] from the
/// thread's [`crate::time::Clock`], the TSC in production): never a wall-clock
/// time, so an NTP step cannot bend a stage. Each stage ends where the next one
/// starts, so the stages of one message add up to its time through the
/// process, receive to wire.
///
/// ```text
///  recv ─► decoded ─► published ─► strategy callback ─► order encoded ─► order written
///      ReceiveToDecoded  DecodedToPublished  PublishedToStrategy  StrategyToOrderEncoded  OrderEncodedToWritten
/// ```
///
/// The order is the pipeline's, and `Ord` follows it (reports list stages in it).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Stage {
    /// Feed or session thread. Start: the stamp taken right after the receive
    /// call (`recvmmsg`, a busy-poll `read`, a pcap record handed over) returns
    /// the bytes. End: the decoder has checked the message and produced its view
    /// (an MDP3 message, a FIX message indexed and validated), before
    /// normalization. A packet's messages share its start stamp, so later
    /// messages of a packet include the decoding of the earlier ones.
    ReceiveToDecoded = 0,
    /// Feed thread. Start: the `ReceiveToDecoded` end stamp. End: the normalized
    /// `Event` is in its ring slot and the producer cursor has been published
    /// (after the release store), i.e. subscribers can see it. Covers
    /// sequencing, A/B arbitration, the book update, the board write and any
    /// wait of the producer on a `Blocking` subscriber.
    DecodedToPublished = 1,
    /// Strategy thread. Start: the producer's publish stamp, carried with the
    /// event's slot. End: the runner's stamp just before it calls the
    /// strategy's event callback. Covers the wake-up of the subscriber (its wait
    /// strategy) and the read of the slot.
    PublishedToStrategy = 2,
    /// Strategy, then order-gateway thread. Start: the callback stamp of the
    /// event that caused the order. End: the order gateway has passed the risk
    /// checks and encoded the order into the session's send buffer. Covers the
    /// strategy's own work, the intent's SPSC hop and the checks.
    StrategyToOrderEncoded = 3,
    /// Order-gateway thread. Start: the `StrategyToOrderEncoded` end stamp. End:
    /// the socket `write`/`send` of those bytes has returned (the kernel has the
    /// bytes; the time on the wire is not included).
    OrderEncodedToWritten = 4,
}

impl Stage {
    /// How many stages there are.
    pub const COUNT: usize = 5;

    /// Every stage, in pipeline order.
    pub const ALL: [Stage; Stage::COUNT] = [
        Stage::ReceiveToDecoded,
        Stage::DecodedToPublished,
        Stage::PublishedToStrategy,
        Stage::StrategyToOrderEncoded,
        Stage::OrderEncodedToWritten,
    ];

    /// The position in [`Stage::ALL`].
    #[inline]
    pub const fn index(self) -> usize {
        self as usize
    }

    /// The stage's short name in reports, logs and file names
    /// (`receive_decoded`): lower case, `_` between the two stamps' names, no
    /// space or comma, so it can sit in an HdrHistogram log tag.
    pub const fn name(self) -> &'static str {
        match self {
            Stage::ReceiveToDecoded => "receive_decoded",
            Stage::DecodedToPublished => "decoded_published",
            Stage::PublishedToStrategy => "published_strategy",
            Stage::StrategyToOrderEncoded => "strategy_order_encoded",
            Stage::OrderEncodedToWritten => "order_encoded_written",
        }
    }

    /// The stage's label for people (`receive → decoded`).
    pub const fn label(self) -> &'static str {
        match self {
            Stage::ReceiveToDecoded => "receive → decoded",
            Stage::DecodedToPublished => "decoded → published",
            Stage::PublishedToStrategy => "published → strategy",
            Stage::StrategyToOrderEncoded => "strategy → order encoded",
            Stage::OrderEncodedToWritten => "order encoded → written",
        }
    }

    /// The stage called `name` (its [`Stage::name`]).
    pub fn from_name(name: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.name() == name)
    }
}

impl fmt::Display for Stage {
    /// The short name.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_are_in_pipeline_order_with_unique_names() {
        for (i, stage) in Stage::ALL.into_iter().enumerate() {
            assert_eq!(stage.index(), i);
            assert_eq!(Stage::from_name(stage.name()), Some(stage));
            assert_eq!(stage.to_string(), stage.name());
            assert!(
                !stage.name().contains([' ', ',', '.', '\n']),
                "{stage:?} cannot be a log tag part"
            );
            if i > 0 {
                assert!(Stage::ALL[i - 1] < stage);
            }
        }
        assert_eq!(Stage::from_name("receive"), None);
        assert_eq!(Stage::from_name(""), None);
    }
}
