//! Normalization: venue updates in, books, statistics and 64-byte
//! [`Event`](crate::event::Event)s out, venue-neutral.
//!
//! ```text
//!  venue adapter (md::cme, ...)         normalize                         sink
//!  decoded entries ──► LevelUpdate ──► Normalizer ─┬─ registry  (definitions, trading state)
//!                      OrderOp                     ├─ book::mbp (outright + implied, per instrument)
//!                      TradeUpdate                 ├─ book::mbo (orders of the channel)
//!                      StatUpdate                  ├─ stats     (per instrument)
//!                      StatusUpdate                └─ batch ──► EventSink (ring, recorder, Vec)
//!                      InstrumentDef                     LAST at each venue-event end
//! ```
//!
//! Supported: instrument definitions with a fixed-capacity registry
//! ([`registry`]); market-by-price books with CME's six `MDUpdateAction`s,
//! level shifting and truncation at the definition's depth, the implied book
//! apart from the outright one ([`book::mbp`]); market-by-order books keyed by
//! order id with per-price aggregates ([`book::mbo`]); trades and busts
//! ([`trade`]); statistics ([`stats`]); security status for an instrument or a
//! product group ([`status`]); book and channel resets; event assembly with
//! `LAST` only at venue-event ends and top-of-book quotes ([`batch`],
//! [`channel`]). The [`Normalizer`] ties them together for one channel; its
//! docs say in what order to call it and what a consumer of its events may
//! assume.
//!
//! Venue adapters map decoded messages onto these update structs: [`cme`]
//! (CME MDP 3.0 packets, with per-feed duplicate dropping and per-instrument
//! `RptSeq` checks). In front of it, [`cme_channel::CmeChannel`] puts one CME
//! channel behind one call: A/B arbitration ([`arbiter`]), the definition and
//! snapshot loops and gap recovery. Not here (yet): other venues' adapters
//! and recovery, the seqlocked board, units and FX derivations.
//!
//! Nothing here allocates after construction: every table, book and buffer is
//! sized from [`NormalizerConfig`]; what does not fit is a typed, counted error.
//! `tests/normalize_no_alloc.rs` proves it with the counting allocator.
//!
//! | file | concern |
//! |---|---|
//! | `fixed_map.rs` | fixed-capacity open-addressing map (no allocation after construction) |
//! | `text.rs` | inline ASCII text for definitions |
//! | `registry/` | [`registry::InstrumentDef`], [`registry::InstrumentRegistry`] |
//! | `book/mbp.rs` | [`book::MbpBook`]: levels by index, the six actions |
//! | `book/mbo.rs` | [`book::MboBook`]: orders by id, aggregates by price |
//! | `trade.rs`, `stats.rs`, `status.rs` | trades and busts, statistics, security status inputs |
//! | `batch.rs` | [`batch::EventBatch`], [`batch::EventSink`] |
//! | `channel/` | the [`Normalizer`]: books, market state, lifecycle, end-of-event quotes, snapshot resets |
//! | `cme/` | [`cme::CmeNormalizer`]: the CME MDP 3.0 adapter |
//! | `arbiter/` | A/B arbitration by packet sequence, bounded reorder wait, gaps |
//! | `cme_channel/` | [`cme_channel::CmeChannel`]: arbitration + loops + gap recovery + the CME adapter |

pub mod arbiter;
pub mod batch;
pub mod book;
pub mod channel;
pub mod cme;
pub mod cme_channel;
pub mod fixed_map;
pub mod registry;
pub mod stats;
pub mod status;
pub mod text;
pub mod trade;

pub use channel::{
    LevelUpdate, MessageStamp, NormalizeCounters, NormalizeError, Normalizer, NormalizerConfig,
};
