//! A sans-IO encoder of Databento Binary Encoding (DBN) version 3: the metadata
//! header and one record per [`Event`], into caller-owned buffers.
//!
//! The recorder (`src/app/recorder/` in the root crate) writes one file per schema
//! with it; Databento's own `dbn` crate and CLI read them (tested: round trips
//! through `dbn`'s decoder, and byte-for-byte against Databento's reference files).
//!
//! Supported: DBN version 3 (what `dbn` 0.73 writes by default and versions 0.36 on
//! read), uncompressed; the schemas below. Not supported: reading DBN, zstd
//! compression (pipe the file through `zstd` if wanted), version 1, 2 and 4 output,
//! `ts_out`, and the other schemas (`mbp-10`, `tbbo`, `ohlcv-*`, `definition`,
//! `statistics`, ...).
//!
//! | fixgate event | DBN schema (rtype) | record |
//! |---|---|---|
//! | [`OrderBody`](crate::event::OrderBody) | `mbo` (0xA0) | `order_id`, `price`, `size` = the order's remaining quantity, `action`, `side`; `channel_id` 0 |
//! | [`ClearBody`](crate::event::ClearBody) | `mbo` (0xA0) | action `R` (clear book), the cleared side, `order_id` 0, undefined price, `size` 0 |
//! | [`QuoteBody`](crate::event::QuoteBody) | `mbp-1` (0x01) | `levels[0]` = best bid and ask with sizes and counts; action `N`, side `N`, undefined price, size 0, depth 0 |
//! | [`TradeBody`](crate::event::TradeBody) | `trades` (0x00) | `price`, `size`, action `T`, `side` = aggressor (`N` if unknown), depth 0 |
//! | [`StatusBody`](crate::event::StatusBody) | `status` (0x12) | see [`status`] for the code mapping |
//! | [`LevelBody`](crate::event::LevelBody), [`GapBody`](crate::event::GapBody), [`RecoveredBody`](crate::event::RecoveredBody) | none | skipped and counted ([`EncodeCounts::skipped`]) |
//!
//! Every record carries the event's `instrument_id`, `ts_event`, `ts_recv`,
//! `flags` (fixgate's bits are DBN's: LAST 0x80, TOB 0x40, SNAPSHOT 0x20, MBP 0x10,
//! BAD_TS_RECV 0x08, MAYBE_BAD_BOOK 0x04, other bits copied as they are) and,
//! except `status`, `ts_in_delta` and `sequence`; `publisher_id` comes from a
//! [`PublisherMap`].
//!
//! Choices worth knowing:
//! - **`mbp-1` comes from quotes, not level events.** A DBN `mbp-1` record is the
//!   top of book after an update; fixgate's quote event is exactly that, whereas a
//!   level-1 event lacks the other side. A quote does not say which update made it,
//!   so its update fields are DBN's "no action". Level events (market by price at
//!   any depth) have no schema here: `mbp-10` would need the whole book per record.
//! - **Resulting state, not deltas.** fixgate's order events carry the order's
//!   quantity after the update, so an `mbo` cancel has `size` 0 where Databento's
//!   feeds give the cancelled quantity; adds and modifies agree.
//! - **Dropped fields** (no DBN field of the same meaning): an order's queue
//!   priority, a trade's id and `RptSeq`, a level's and a clear's `RptSeq`, a
//!   clear's channel, a status event's raw venue code, `ts_in_delta` and
//!   `sequence` of status events. Gap and recovery events are not market data in
//!   DBN's sense; the recorder reports their counts instead.
//! - A clear for [`InstrumentId::NONE`](crate::types::InstrumentId::NONE) (a whole
//!   channel) is written with `instrument_id` 0, which DBN readers do not treat
//!   specially.
//!
//! Use: build a [`DbnEncoder`], encode a [`Metadata`] header per file, then
//! [`DbnEncoder::encode`] each event into a [`MAX_RECORD_LEN`]-byte buffer and write
//! the returned bytes to the file of the returned [`Schema`]. Nothing here
//! allocates.

mod metadata;
mod record;
pub mod status;
pub mod wire;

pub use metadata::{InstrumentSymbol, Metadata};
pub use wire::{RType, SType, Schema, StatusAction, MAX_RECORD_LEN, VERSION};

use crate::event::{Event, EventKind};
use crate::types::VenueId;

/// Why a header or record could not be encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DbnError {
    /// The output buffer is too short (nothing was written).
    #[error("buffer of {have} bytes is too small, {need} needed")]
    BufferTooSmall {
        /// Bytes needed.
        need: usize,
        /// Bytes given.
        have: usize,
    },
    /// The dataset name is longer than 15 bytes or not printable ASCII.
    #[error("dataset name of {len} bytes is not 1-15 bytes of printable ASCII")]
    BadDataset {
        /// Its length.
        len: usize,
    },
    /// An instrument's symbol is longer than 70 bytes or not printable ASCII.
    #[error(
        "symbol #{index} ({len} bytes) is not printable ASCII of at most 70 bytes (byte {at})"
    )]
    BadSymbol {
        /// The instrument's position in the list.
        index: usize,
        /// The symbol's length.
        len: usize,
        /// The offending byte's position (70 when too long).
        at: usize,
    },
    /// The header would exceed DBN's 32-bit length.
    #[error("metadata of {len} bytes exceeds DBN's 32-bit length")]
    HeaderTooLarge {
        /// The header's size.
        len: usize,
    },
    /// A [`PublisherMap`] already holds [`PublisherMap::CAPACITY`] venues.
    #[error("publisher map is full ({capacity} venues)")]
    PublisherMapFull {
        /// The capacity.
        capacity: usize,
    },
}

/// What [`DbnEncoder::encode`] did with an event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoded {
    /// A record of `schema`, `len` bytes at the front of the buffer.
    Record {
        /// The schema (and so the file) the record belongs to.
        schema: Schema,
        /// The record's size in bytes.
        len: usize,
    },
    /// The event's kind has no DBN schema; nothing was written.
    Skipped(EventKind),
}

impl Encoded {
    fn record(schema: Schema) -> Encoded {
        Encoded::Record {
            schema,
            len: schema.record_len().unwrap_or(0),
        }
    }

    /// The schema of a written record.
    pub fn schema(self) -> Option<Schema> {
        match self {
            Encoded::Record { schema, .. } => Some(schema),
            Encoded::Skipped(_) => None,
        }
    }
}

/// Venue → DBN `publisher_id`.
///
/// Databento's publisher ids name Databento's datasets and venues (1 is
/// `GLBX.MDP3.GLBX`, CME Globex). fixgate's recordings are fixgate's own capture,
/// so by default a venue's publisher id is fixgate's venue number
/// ([`VenueId::get`]; CME is 1 there too); [`PublisherMap::with`] sets others.
/// Fixed capacity, no allocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PublisherMap {
    entries: [(VenueId, u16); PublisherMap::CAPACITY],
    len: usize,
}

impl Default for PublisherMap {
    fn default() -> Self {
        PublisherMap::identity()
    }
}

impl PublisherMap {
    /// The most venues a map holds besides the default rule.
    pub const CAPACITY: usize = 16;

    /// Every venue's publisher id is its fixgate venue number.
    pub const fn identity() -> Self {
        PublisherMap {
            entries: [(VenueId::NONE, 0); PublisherMap::CAPACITY],
            len: 0,
        }
    }

    /// This map with `venue`'s publisher id set to `publisher_id`.
    ///
    /// # Errors
    /// [`DbnError::PublisherMapFull`] when `venue` is new and the map is full.
    pub fn with(mut self, venue: VenueId, publisher_id: u16) -> Result<Self, DbnError> {
        if let Some(entry) = self.entries[..self.len].iter_mut().find(|e| e.0 == venue) {
            entry.1 = publisher_id;
            return Ok(self);
        }
        let entry = self
            .entries
            .get_mut(self.len)
            .ok_or(DbnError::PublisherMapFull {
                capacity: Self::CAPACITY,
            })?;
        *entry = (venue, publisher_id);
        self.len += 1;
        Ok(self)
    }

    /// The publisher id of `venue`.
    #[inline]
    pub fn publisher_id(&self, venue: VenueId) -> u16 {
        self.entries[..self.len]
            .iter()
            .find(|e| e.0 == venue)
            .map_or(venue.get(), |e| e.1)
    }
}

/// Records written per schema and events skipped per kind.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EncodeCounts {
    records: [u64; Schema::WRITTEN.len()],
    skipped: [u64; 9],
}

impl EncodeCounts {
    /// Records encoded for `schema` (0 for schemas fixgate does not write).
    pub fn records(&self, schema: Schema) -> u64 {
        schema.index().map_or(0, |i| self.records[i])
    }

    /// Events of `kind` skipped because the kind has no DBN schema.
    pub fn skipped(&self, kind: EventKind) -> u64 {
        self.skipped[kind.as_u8() as usize]
    }

    /// Records encoded over every schema.
    pub fn total_records(&self) -> u64 {
        self.records.iter().sum()
    }

    /// Events skipped over every kind.
    pub fn total_skipped(&self) -> u64 {
        self.skipped.iter().sum()
    }
}

/// Encodes events into DBN records and counts what it wrote and skipped.
///
/// Call [`DbnEncoder::encode`] for each event; read [`DbnEncoder::counts`] any
/// time. Stateless apart from the counts: each record depends on its event alone.
#[derive(Clone, Debug, Default)]
pub struct DbnEncoder {
    publishers: PublisherMap,
    counts: EncodeCounts,
}

impl DbnEncoder {
    /// An encoder taking publisher ids from `publishers`.
    pub fn new(publishers: PublisherMap) -> Self {
        DbnEncoder {
            publishers,
            counts: EncodeCounts::default(),
        }
    }

    /// Encodes `event` into the front of `out` (at least [`MAX_RECORD_LEN`] bytes
    /// fit any record): a record of the returned schema, or nothing for a kind
    /// without a schema. Never allocates.
    ///
    /// # Errors
    /// [`DbnError::BufferTooSmall`] when `out` is shorter than the record; nothing
    /// is written or counted then.
    #[inline]
    pub fn encode(&mut self, event: &Event, out: &mut [u8]) -> Result<Encoded, DbnError> {
        let publisher_id = self.publishers.publisher_id(event.venue());
        let encoded = record::encode(event, publisher_id, out)?;
        match encoded {
            Encoded::Record { schema, .. } => {
                if let Some(i) = schema.index() {
                    self.counts.records[i] += 1;
                }
            }
            Encoded::Skipped(kind) => self.counts.skipped[kind.as_u8() as usize] += 1,
        }
        Ok(encoded)
    }

    /// What has been encoded and skipped so far.
    pub fn counts(&self) -> &EncodeCounts {
        &self.counts
    }

    /// The publisher map in use.
    pub fn publishers(&self) -> &PublisherMap {
        &self.publishers
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{EventHeader, GapBody, RecoveredBody, RecoveryMethod, TradeBody};
    use crate::types::{InstrumentId, Price, Qty, Side, TradeId};

    #[test]
    fn publisher_map() {
        let m = PublisherMap::identity();
        assert_eq!(m.publisher_id(VenueId::ICE), 2);
        let m = m
            .with(VenueId::ICE, 29)
            .unwrap()
            .with(VenueId::ICE, 30)
            .unwrap();
        assert_eq!(m.publisher_id(VenueId::ICE), 30);
        assert_eq!(m.publisher_id(VenueId::CME), 1);
        let mut full = PublisherMap::identity();
        for v in 0..PublisherMap::CAPACITY as u16 {
            full = full.with(VenueId(100 + v), v).unwrap();
        }
        assert_eq!(
            full.with(VenueId(7), 1),
            Err(DbnError::PublisherMapFull { capacity: 16 })
        );
        assert!(
            full.with(VenueId(100), 9).is_ok(),
            "an existing venue still updates"
        );
    }

    #[test]
    fn counts_records_and_skips() {
        let mut enc = DbnEncoder::new(PublisherMap::identity().with(VenueId::FX, 900).unwrap());
        let header = EventHeader {
            venue: VenueId::FX,
            instrument: InstrumentId(3),
            ..EventHeader::default()
        };
        let trade = Event::new(
            header,
            TradeBody {
                price_e9: Price::from_e9(7_100_000_000),
                trade_id: TradeId(1),
                qty: Qty::from_lots(2),
                rpt_seq: 0,
                aggressor: Side::None,
            },
        );
        let gap = Event::new(
            header,
            GapBody {
                first_seq: 1,
                last_seq: 1,
                channel: 1,
                instruments_suspect: 0,
            },
        );
        let recovered = Event::new(
            header,
            RecoveredBody {
                first_seq: 1,
                last_seq: 1,
                channel: 1,
                method: RecoveryMethod::OtherLine,
            },
        );
        let mut buf = [0u8; MAX_RECORD_LEN];
        assert_eq!(
            enc.encode(&trade, &mut buf).unwrap().schema(),
            Some(Schema::TRADES)
        );
        assert_eq!(u16::from_le_bytes([buf[2], buf[3]]), 900);
        assert_eq!(
            enc.encode(&gap, &mut buf),
            Ok(Encoded::Skipped(EventKind::Gap))
        );
        assert_eq!(
            enc.encode(&gap, &mut buf),
            Ok(Encoded::Skipped(EventKind::Gap))
        );
        enc.encode(&recovered, &mut buf).unwrap();
        assert!(enc.encode(&trade, &mut buf[..47]).is_err());
        let c = enc.counts();
        assert_eq!(c.records(Schema::TRADES), 1);
        assert_eq!(c.records(Schema::MBO), 0);
        assert_eq!(c.records(Schema(2)), 0);
        assert_eq!(c.skipped(EventKind::Gap), 2);
        assert_eq!(c.skipped(EventKind::Recovered), 1);
        assert_eq!((c.total_records(), c.total_skipped()), (1, 3));
    }
}
