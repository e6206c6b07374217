//! The set of DBN files of one recording: events in, one record appended to the
//! file of its schema.

use std::path::PathBuf;

use fixgate_core::dbn::{DbnEncoder, EncodeCounts, Encoded, Metadata, Schema, MAX_RECORD_LEN};
use fixgate_core::event::Event;
use fixgate_core::time::UtcNanos;

use super::file::{FileSummary, SchemaFile};
use super::{RecorderConfig, RecorderError};

/// Writes events as DBN files, one per configured schema.
///
/// Call [`DbnWriter::create`] with the recording's start time, [`DbnWriter::write`]
/// for each event (no allocation; a system call only when a file's buffer fills),
/// [`DbnWriter::flush`] when idle if wanted, and [`DbnWriter::finish`] with the end
/// time, which rewrites each header with it and syncs the files. Files of a
/// recording that was never finished (a crash) are still valid DBN with an open
/// end time, holding every record up to the last flush.
#[derive(Debug)]
pub struct DbnWriter {
    files: [Option<SchemaFile>; SCHEMAS],
    encoder: DbnEncoder,
    config: RecorderConfig,
    start: UtcNanos,
    not_selected: [u64; SCHEMAS],
}

/// The number of schemas fixgate writes (one file each at most).
const SCHEMAS: usize = Schema::WRITTEN.len();

impl DbnWriter {
    /// Creates the files of `config.schemas` in `config.dir` as
    /// `{stem}.{schema}.dbn` (refusing to overwrite) and writes their headers.
    ///
    /// # Errors
    /// [`RecorderError::Io`] when a file cannot be created or written (files
    /// already created stay); [`RecorderError::Dbn`] when the dataset or a symbol
    /// cannot be encoded.
    pub fn create(config: RecorderConfig, start: UtcNanos) -> Result<DbnWriter, RecorderError> {
        let mut files: [Option<SchemaFile>; SCHEMAS] = std::array::from_fn(|_| None);
        let symbols = config.symbols();
        for schema in Schema::WRITTEN {
            if !config.schemas.contains(&schema) {
                continue;
            }
            let meta = Metadata {
                dataset: &config.dataset,
                schema,
                start,
                end: None,
                limit: 0,
                instruments: &symbols,
            };
            let path = config.path_of(schema);
            let index = schema.index().unwrap_or_default();
            files[index] = Some(SchemaFile::create(&path, &meta, config.buffer_bytes)?);
        }
        Ok(DbnWriter {
            files,
            encoder: DbnEncoder::new(config.publishers),
            config,
            start,
            not_selected: [0; SCHEMAS],
        })
    }

    /// Encodes `event` and appends it to its schema's file; events without a
    /// DBN record (kinds without a schema, trade busts) or of a schema not
    /// configured are counted and dropped.
    ///
    /// # Errors
    /// [`RecorderError::Io`] when the file cannot be written.
    #[inline]
    pub fn write(&mut self, event: &Event) -> Result<(), RecorderError> {
        let mut record = [0u8; MAX_RECORD_LEN];
        match self.encoder.encode(event, &mut record) {
            Ok(Encoded::Record { schema, len }) => {
                let index = schema.index().unwrap_or_default();
                match &mut self.files[index] {
                    Some(file) => file.write_record(&record[..len]),
                    None => {
                        self.not_selected[index] += 1;
                        Ok(())
                    }
                }
            }
            Ok(Encoded::Skipped(_)) => Ok(()),
            // A MAX_RECORD_LEN buffer fits every record.
            Err(e) => Err(RecorderError::Dbn(e)),
        }
    }

    /// Flushes every file's buffer to the OS (not to the disk).
    ///
    /// # Errors
    /// [`RecorderError::Io`] from the first file that fails.
    pub fn flush(&mut self) -> Result<(), RecorderError> {
        for file in self.files.iter_mut().flatten() {
            file.flush()?;
        }
        Ok(())
    }

    /// Records encoded per schema (also those of schemas not configured) and
    /// events skipped per kind (trade busts under [`EventKind::Trade`](fixgate_core::event::EventKind::Trade)).
    pub fn counts(&self) -> &EncodeCounts {
        self.encoder.counts()
    }

    /// Records written to `schema`'s file (0 when it has none).
    pub fn records(&self, schema: Schema) -> u64 {
        schema
            .index()
            .and_then(|i| self.files[i].as_ref())
            .map_or(0, SchemaFile::records)
    }

    /// The files being written.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.files
            .iter()
            .flatten()
            .map(|f| f.path().to_path_buf())
            .collect()
    }

    /// Flushes, rewrites each header with `end` (exclusive; the recording's
    /// stop time) and syncs every file.
    ///
    /// # Errors
    /// [`RecorderError::Io`] from the first file that fails (the others are still
    /// finished first).
    pub fn finish(self, end: UtcNanos) -> Result<WriterSummary, RecorderError> {
        let symbols = self.config.symbols();
        let mut files = Vec::new();
        let mut first_error = None;
        for file in self.files.into_iter().flatten() {
            let meta = Metadata {
                dataset: &self.config.dataset,
                schema: file.schema(),
                start: self.start,
                end: Some(end),
                limit: 0,
                instruments: &symbols,
            };
            match file.finish(&meta) {
                Ok(summary) => files.push(summary),
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        if let Some(e) = first_error {
            return Err(e);
        }
        let mut not_selected = Vec::new();
        for (schema, n) in Schema::WRITTEN.into_iter().zip(self.not_selected) {
            if n > 0 {
                not_selected.push((schema, n));
            }
        }
        Ok(WriterSummary {
            files,
            counts: *self.encoder.counts(),
            not_selected,
        })
    }
}

/// What a finished recording holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriterSummary {
    /// One entry per file.
    pub files: Vec<FileSummary>,
    /// Records encoded per schema and events skipped per kind (gap, recovered
    /// and level events have no DBN schema; trade busts, counted under the
    /// trade kind and by [`EncodeCounts::trade_busts`], no DBN record).
    pub counts: EncodeCounts,
    /// Records of schemas that were not configured, dropped.
    pub not_selected: Vec<(Schema, u64)>,
}
