//! The recorder: writes the normalized event stream as DBN files (Databento
//! Binary Encoding, version 3), one file per schema, with the instrument
//! symbology in each header, so that Databento's tools (`dbn` CLI, the `dbn`
//! crate, `databento` Python) read fixgate's captures.
//!
//! ```text
//!  ring ──(Lossy subscriber: never slows the producer)──► recorder thread
//!                                                          (RecorderStrategy under a runner,
//!                                                           or spawn_recorder)
//!                                                          DbnEncoder (fixgate-core::dbn)
//!                                                          ├─► {stem}.mbo.dbn     orders, clears
//!                                                          ├─► {stem}.mbp-1.dbn   quotes
//!                                                          ├─► {stem}.trades.dbn  trades (busts counted, not written)
//!                                                          ├─► {stem}.status.dbn  status
//!                                                          └─► {stem}.statistics.dbn  statistics
//! ```
//!
//! Supported: the five schemas of [`fixgate_core::dbn`] (its docs give the field
//! mapping and what DBN cannot hold), any subset of them, uncompressed files,
//! buffered writes, a clean finish that rewrites each header with the end time
//! and syncs to disk. Not supported: compression (pipe through `zstd`), rotating
//! files by day or size, events of instruments added after the start (their
//! records are written, but the header has no symbol for them).
//!
//! Files:
//! - `file.rs`: one file: header, buffered records, in-place header rewrite.
//! - `writer.rs`: [`DbnWriter`], the files of one recording.
//! - `strategy.rs`: [`RecorderStrategy`], the `recorder` built-in strategy: the
//!   writer driven by a strategy runner on its own thread, subscribed Lossy.
//! - `thread.rs`: [`spawn_recorder`], the recorder on a thread of its own without
//!   a runner, fed by an [`EventSource`] (the ring's Lossy subscriber, the only
//!   ring subscriber it accepts), reporting missed events.
//!
//! Durability: records reach the OS when a file's buffer fills, when the thread
//! is idle ([`DbnWriter::flush`]) and at the finish, which also syncs to disk.
//! After a crash, each file is valid DBN up to its last flushed record, with an
//! open end time in its header (a record may be cut short at the very end; `dbn`
//! reports it as an error after the whole records).

mod file;
mod strategy;
mod thread;
mod writer;

use std::path::PathBuf;

use fixgate_core::dbn::{DbnError, InstrumentSymbol, PublisherMap, Schema};
use fixgate_core::types::InstrumentId;

pub use file::FileSummary;
pub use strategy::RecorderStrategy;
pub use thread::{spawn_recorder, EventSource, RecorderHandle, RecorderSummary, SourcePoll};
pub use writer::{DbnWriter, WriterSummary};

/// Why recording failed.
#[derive(Debug, thiserror::Error)]
pub enum RecorderError {
    /// A file operation failed.
    #[error("{op} {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What was being done ("create", "write a record to", ...).
        op: &'static str,
        /// Why.
        source: std::io::Error,
    },
    /// The header could not be encoded (dataset or symbol not printable ASCII or
    /// too long).
    #[error("DBN encoding: {0}")]
    Dbn(#[from] DbnError),
    /// The header's length changed between start and finish (a bug: it depends only
    /// on the instrument list).
    #[error("header of {path} was {was} bytes at start and {now} at finish")]
    HeaderLengthChanged {
        /// The file.
        path: PathBuf,
        /// Its length at start.
        was: usize,
        /// Its length at finish.
        now: usize,
    },
    /// The recorder thread panicked.
    #[error("recorder thread panicked")]
    Panicked,
}

/// What to record and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecorderConfig {
    /// The directory of the files (it must exist).
    pub dir: PathBuf,
    /// The files' name stem: `{stem}.{schema}.dbn` (`mbo`, `mbp-1`, `trades`,
    /// `status`, `statistics`).
    pub stem: String,
    /// The DBN dataset name: printable ASCII, at most 15 bytes.
    pub dataset: String,
    /// The schemas to write (default: all five, [`Schema::WRITTEN`]); events of
    /// the others are counted and dropped.
    pub schemas: Vec<Schema>,
    /// fixgate instrument id → venue symbol, for the headers' symbology.
    pub instruments: Vec<(InstrumentId, String)>,
    /// Venue → DBN publisher id (default: fixgate's venue number).
    pub publishers: PublisherMap,
    /// The write buffer of each file, in bytes.
    pub buffer_bytes: usize,
}

impl RecorderConfig {
    /// The dataset name written when none is configured.
    pub const DEFAULT_DATASET: &'static str = "FIXGATE";
    /// The default write buffer: 1 MiB per file (about 18,000 `mbo` records).
    pub const DEFAULT_BUFFER_BYTES: usize = 1 << 20;

    /// All five schemas into `dir/{stem}.*.dbn`, dataset `FIXGATE`, no symbology,
    /// default publishers and buffers.
    pub fn new(dir: impl Into<PathBuf>, stem: impl Into<String>) -> Self {
        RecorderConfig {
            dir: dir.into(),
            stem: stem.into(),
            dataset: Self::DEFAULT_DATASET.to_owned(),
            schemas: Schema::WRITTEN.to_vec(),
            instruments: Vec::new(),
            publishers: PublisherMap::identity(),
            buffer_bytes: Self::DEFAULT_BUFFER_BYTES,
        }
    }

    /// The path of `schema`'s file.
    pub fn path_of(&self, schema: Schema) -> PathBuf {
        let name = schema.name().unwrap_or("unknown");
        self.dir.join(format!("{}.{name}.dbn", self.stem))
    }

    /// The symbology, borrowed (built at start and finish only).
    fn symbols(&self) -> Vec<InstrumentSymbol<'_>> {
        self.instruments
            .iter()
            .map(|(instrument, symbol)| InstrumentSymbol {
                instrument: *instrument,
                symbol,
            })
            .collect()
    }
}
