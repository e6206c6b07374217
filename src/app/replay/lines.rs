//! Which feed and line a captured datagram belongs to: by its UDP
//! destination (address, port) when the configuration maps it, else by its
//! content on line A.
//!
//! A capture of a live A/B channel holds both lines' copies, each sent to its
//! own multicast group or port; mapping both destinations makes the replay
//! arbitrate them as the live feed handler would. A capture that was taken
//! on one line (or from a tool) needs no mapping: every datagram is taken as
//! line A and its feed is guessed from its templates
//! ([`Feed::of_packet`]).

use std::net::{Ipv4Addr, SocketAddrV4};

use fixgate_core::md::cme::Packet;
use fixgate_core::normalize::arbiter::Line;
use fixgate_core::normalize::cme::Feed;
use serde::Deserialize;

/// A feed as named in configuration.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FeedName {
    /// Guess from the packet's templates ([`Feed::of_packet`]).
    #[default]
    Auto,
    /// The incremental feed.
    Incremental,
    /// The instrument-definition loop.
    Definition,
    /// The snapshot (market recovery) loop.
    Recovery,
}

/// A line as named in configuration (`"A"` or `"B"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
pub enum LineName {
    /// Line A.
    A,
    /// Line B.
    B,
}

impl LineName {
    /// The arbiter's line.
    pub fn line(self) -> Line {
        match self {
            LineName::A => Line::A,
            LineName::B => Line::B,
        }
    }
}

/// One `[[replay.line]]` block: datagrams to `address:port` are `line` of
/// `feed`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LineConfig {
    /// Destination IPv4 address (the multicast group).
    pub address: Ipv4Addr,
    /// Destination UDP port.
    pub port: u16,
    /// Line A or B.
    pub line: LineName,
    /// The feed; `auto` guesses from the content.
    #[serde(default)]
    pub feed: FeedName,
}

/// Where a datagram goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// Its feed.
    pub feed: Feed,
    /// Its line.
    pub line: Line,
    /// Whether the destination was in the map (false: line A by default).
    pub mapped: bool,
}

/// The destination → (feed, line) map of a replay.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LineMap {
    entries: Vec<(SocketAddrV4, Line, FeedName)>,
}

impl LineMap {
    /// The map of `lines` (a later block for the same destination wins).
    pub fn new(lines: &[LineConfig]) -> Self {
        let mut entries: Vec<(SocketAddrV4, Line, FeedName)> = Vec::with_capacity(lines.len());
        for l in lines {
            let dst = SocketAddrV4::new(l.address, l.port);
            entries.retain(|e| e.0 != dst);
            entries.push((dst, l.line.line(), l.feed));
        }
        LineMap { entries }
    }

    /// Whether no destination is mapped.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The route of a datagram sent to `dst` with `payload`.
    pub fn route(&self, dst: SocketAddrV4, payload: &[u8]) -> Route {
        let (line, feed, mapped) = match self.entries.iter().find(|e| e.0 == dst) {
            Some(&(_, line, feed)) => (line, feed, true),
            None => (Line::A, FeedName::Auto, false),
        };
        let feed = match feed {
            FeedName::Incremental => Feed::Incremental,
            FeedName::Definition => Feed::Definition,
            FeedName::Recovery => Feed::Recovery,
            FeedName::Auto => {
                Packet::new(payload).map_or(Feed::Incremental, |p| Feed::of_packet(&p))
            }
        };
        Route { feed, line, mapped }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapped_destinations_choose_the_line_others_are_line_a() {
        let g = Ipv4Addr::new(224, 0, 31, 1);
        let map = LineMap::new(&[
            LineConfig {
                address: g,
                port: 14310,
                line: LineName::A,
                feed: FeedName::Incremental,
            },
            LineConfig {
                address: g,
                port: 15310,
                line: LineName::B,
                feed: FeedName::Auto,
            },
            LineConfig {
                address: g,
                port: 15310,
                line: LineName::B,
                feed: FeedName::Recovery,
            },
        ]);
        let a = map.route(SocketAddrV4::new(g, 14310), b"");
        assert_eq!(
            (a.feed, a.line, a.mapped),
            (Feed::Incremental, Line::A, true)
        );
        let b = map.route(SocketAddrV4::new(g, 15310), b"");
        assert_eq!(
            (b.feed, b.line, b.mapped),
            (Feed::Recovery, Line::B, true),
            "the later block wins"
        );
        let other = map.route(SocketAddrV4::new(g, 1), b"short");
        assert_eq!(
            (other.feed, other.line, other.mapped),
            (Feed::Incremental, Line::A, false)
        );
        assert!(LineMap::default().is_empty());
    }
}
