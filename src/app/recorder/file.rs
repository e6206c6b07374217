//! One DBN file of one schema: header at creation, records through a buffer, the
//! header rewritten in place with the end time when finished.

use std::fs::{File, OpenOptions};
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use fixgate_core::dbn::{Metadata, Schema};

use super::RecorderError;

/// An open DBN file: `create`, `write_record` for each record, then `finish`.
#[derive(Debug)]
pub(super) struct SchemaFile {
    schema: Schema,
    path: PathBuf,
    out: BufWriter<File>,
    header_len: usize,
    records: u64,
    bytes: u64,
}

impl SchemaFile {
    /// Creates `path` (never over an existing file) and writes the header of
    /// `meta` (with its end open) through a buffer of `buffer_bytes`.
    pub(super) fn create(
        path: &Path,
        meta: &Metadata<'_>,
        buffer_bytes: usize,
    ) -> Result<SchemaFile, RecorderError> {
        let io = |op| {
            move |source| RecorderError::Io {
                path: path.to_path_buf(),
                op,
                source,
            }
        };
        let file = OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(path)
            .map_err(io("create"))?;
        let header = encode_header(meta)?;
        let mut out = BufWriter::with_capacity(buffer_bytes, file);
        out.write_all(&header).map_err(io("write the header of"))?;
        Ok(SchemaFile {
            schema: meta.schema,
            path: path.to_path_buf(),
            out,
            header_len: header.len(),
            records: 0,
            bytes: header.len() as u64,
        })
    }

    /// Appends one encoded record (into the buffer; a system call only when the
    /// buffer is full).
    #[inline]
    pub(super) fn write_record(&mut self, record: &[u8]) -> Result<(), RecorderError> {
        self.out
            .write_all(record)
            .map_err(|source| RecorderError::Io {
                path: self.path.clone(),
                op: "write a record to",
                source,
            })?;
        self.records += 1;
        self.bytes += record.len() as u64;
        Ok(())
    }

    /// Flushes the buffer to the file (to the OS, not to the disk).
    pub(super) fn flush(&mut self) -> Result<(), RecorderError> {
        self.out.flush().map_err(|source| RecorderError::Io {
            path: self.path.clone(),
            op: "flush",
            source,
        })
    }

    /// Flushes, rewrites the header from `meta` (now with its end; same length,
    /// since the length depends only on the instrument list) and syncs the file to
    /// disk.
    pub(super) fn finish(mut self, meta: &Metadata<'_>) -> Result<FileSummary, RecorderError> {
        let header = encode_header(meta)?;
        if header.len() != self.header_len {
            return Err(RecorderError::HeaderLengthChanged {
                path: self.path,
                was: self.header_len,
                now: header.len(),
            });
        }
        let path = self.path;
        let io = |op| {
            let path = path.clone();
            move |source| RecorderError::Io { path, op, source }
        };
        self.out.flush().map_err(io("flush"))?;
        let mut file = self
            .out
            .into_inner()
            .map_err(|e| io("flush")(e.into_error()))?;
        file.seek(SeekFrom::Start(0)).map_err(io("seek in"))?;
        file.write_all(&header)
            .map_err(io("rewrite the header of"))?;
        file.sync_all().map_err(io("sync"))?;
        Ok(FileSummary {
            schema: self.schema,
            path,
            records: self.records,
            bytes: self.bytes,
        })
    }

    pub(super) fn schema(&self) -> Schema {
        self.schema
    }

    pub(super) fn path(&self) -> &Path {
        &self.path
    }

    pub(super) fn records(&self) -> u64 {
        self.records
    }
}

/// The header bytes (allocates: once per file at start and at finish).
fn encode_header(meta: &Metadata<'_>) -> Result<Vec<u8>, RecorderError> {
    let mut header = vec![0u8; meta.encoded_len()];
    meta.encode(&mut header).map_err(RecorderError::Dbn)?;
    Ok(header)
}

/// What one finished file holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSummary {
    /// The file's schema.
    pub schema: Schema,
    /// Where it is.
    pub path: PathBuf,
    /// Records written.
    pub records: u64,
    /// The file's size in bytes, header included.
    pub bytes: u64,
}
