//! The DBN version 3 metadata header: what a file holds (dataset, schema, time
//! range) and its symbology (venue symbol → fixgate instrument id, per date range).
//!
//! | offset | size | field |
//! |---:|---:|---|
//! | 0 | 3 | `"DBN"` |
//! | 3 | 1 | version (3) |
//! | 4 | 4 | length of the rest of the header, a multiple of 8 |
//! | 8 | 16 | dataset, NUL-padded ASCII |
//! | 24 | 2 | schema |
//! | 26 | 8 | start, UTC ns |
//! | 34 | 8 | end, UTC ns (exclusive; `u64::MAX` while open) |
//! | 42 | 8 | limit (0: none) |
//! | 50 | 1 | stype_in (raw symbol) |
//! | 51 | 1 | stype_out (instrument id) |
//! | 52 | 1 | ts_out (0: records carry no gateway send time) |
//! | 53 | 2 | symbol string length (71) |
//! | 55 | 53 | reserved, zero |
//! | 108 | 4 | schema definition length (0) |
//! | 112 | .. | symbols, partial, not_found: each a u32 count then 71-byte strings |
//! | .. | .. | mappings: u32 count; each a raw symbol, a u32 interval count and intervals of (start date, end date as u32 YYYYMMDD, end exclusive; instrument id as a 71-byte string) |
//! | .. | 0..7 | zero padding to a multiple of 8 |
//!
//! fixgate writes `symbols` = every instrument's symbol, empty `partial` and
//! `not_found`, and one mapping per instrument with one interval covering the
//! recording's dates. The header's size depends only on the instrument list, so a
//! writer can write it with an open end at start and overwrite it in place with the
//! real end (and end date) when it finishes: see [`Metadata::encoded_len`].

use super::wire::{SType, Schema, DATASET_CSTR_LEN, SYMBOL_CSTR_LEN, UNDEF_TIMESTAMP, VERSION};
use super::DbnError;
use crate::time::UtcNanos;
use crate::types::InstrumentId;

/// One instrument of the symbology: fixgate's id and the venue's symbol.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InstrumentSymbol<'a> {
    /// fixgate's instrument id (the records' `instrument_id`).
    pub instrument: InstrumentId,
    /// The venue's symbol (`"ESH1"`): printable ASCII, at most 70 bytes.
    pub symbol: &'a str,
}

/// What a DBN file holds, for its header. Borrowed: encoding allocates nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Metadata<'a> {
    /// The dataset name (`"GLBX.MDP3"` for Databento's CME data; fixgate's
    /// recorder defaults to `"FIXGATE"`): printable ASCII, at most 15 bytes.
    pub dataset: &'a str,
    /// The schema of every record in the file.
    pub schema: Schema,
    /// Start of the recording, UTC.
    pub start: UtcNanos,
    /// Exclusive end of the recording, UTC; `None` while it is still open.
    pub end: Option<UtcNanos>,
    /// The record limit of a query (0: none). Recordings have none.
    pub limit: u64,
    /// The instruments, for the symbology.
    pub instruments: &'a [InstrumentSymbol<'a>],
}

/// The fixed part of the header after the 8-byte prelude, up to and including the
/// schema definition length.
const FIXED_LEN: usize = 104;
const PRELUDE_LEN: usize = 8;
const START_OFFSET: usize = 26;
const NANOS_PER_DAY: u64 = 86_400_000_000_000;

impl Metadata<'_> {
    /// The encoded header's size in bytes; it depends only on
    /// [`Metadata::instruments`], never on the times.
    pub fn encoded_len(&self) -> usize {
        PRELUDE_LEN + padded(self.unpadded_len())
    }

    fn unpadded_len(&self) -> usize {
        let n = self.instruments.len();
        let symbols = 4 + n * SYMBOL_CSTR_LEN;
        let partial_and_not_found = 4 + 4;
        let one_mapping = SYMBOL_CSTR_LEN + 4 + (4 + 4 + SYMBOL_CSTR_LEN);
        let mappings = 4 + n * one_mapping;
        FIXED_LEN + symbols + partial_and_not_found + mappings
    }

    /// Writes the header into the front of `out` and returns its size.
    ///
    /// # Errors
    /// [`DbnError::BufferTooSmall`] when `out` is shorter than
    /// [`Metadata::encoded_len`]; [`DbnError::BadDataset`] or
    /// [`DbnError::BadSymbol`] when a string is too long or not printable ASCII;
    /// [`DbnError::HeaderTooLarge`] when the header would not fit DBN's 32-bit
    /// length (about 28 million instruments). Nothing is written on error.
    pub fn encode(&self, out: &mut [u8]) -> Result<usize, DbnError> {
        check_cstr(self.dataset, DATASET_CSTR_LEN).map_err(|_| DbnError::BadDataset {
            len: self.dataset.len(),
        })?;
        for (index, inst) in self.instruments.iter().enumerate() {
            check_cstr(inst.symbol, SYMBOL_CSTR_LEN).map_err(|at| DbnError::BadSymbol {
                index,
                len: inst.symbol.len(),
                at,
            })?;
        }
        let len = self.encoded_len();
        let length_field =
            u32::try_from(len - PRELUDE_LEN).map_err(|_| DbnError::HeaderTooLarge { len })?;
        let Some(out) = out.get_mut(..len) else {
            return Err(DbnError::BufferTooSmall {
                need: len,
                have: out.len(),
            });
        };
        out.fill(0);
        let mut w = Cursor { out, at: 0 };
        w.bytes(b"DBN");
        w.bytes(&[VERSION]);
        w.bytes(&length_field.to_le_bytes());
        w.cstr(self.dataset, DATASET_CSTR_LEN);
        w.bytes(&self.schema.0.to_le_bytes());
        debug_assert_eq!(w.at, START_OFFSET);
        w.bytes(&self.start.as_nanos().to_le_bytes());
        let end = self.end.map_or(UNDEF_TIMESTAMP, UtcNanos::as_nanos);
        w.bytes(&end.to_le_bytes());
        w.bytes(&self.limit.to_le_bytes());
        w.bytes(&[SType::RAW_SYMBOL.0, SType::INSTRUMENT_ID.0, 0]);
        w.bytes(&(SYMBOL_CSTR_LEN as u16).to_le_bytes());
        w.at += 53; // reserved
        w.bytes(&0u32.to_le_bytes()); // schema definition length
        debug_assert_eq!(w.at, PRELUDE_LEN + FIXED_LEN);

        let count = (self.instruments.len() as u32).to_le_bytes();
        w.bytes(&count);
        for inst in self.instruments {
            w.cstr(inst.symbol, SYMBOL_CSTR_LEN);
        }
        w.bytes(&0u32.to_le_bytes()); // partial
        w.bytes(&0u32.to_le_bytes()); // not_found
        let (start_date, end_date) = self.date_range();
        w.bytes(&count);
        for inst in self.instruments {
            w.cstr(inst.symbol, SYMBOL_CSTR_LEN);
            w.bytes(&1u32.to_le_bytes());
            w.bytes(&start_date.to_le_bytes());
            w.bytes(&end_date.to_le_bytes());
            let mut digits = [0u8; 10];
            w.bytes(decimal(inst.instrument.get(), &mut digits));
            w.at += SYMBOL_CSTR_LEN - decimal_len(inst.instrument.get());
        }
        debug_assert_eq!(w.at, PRELUDE_LEN + self.unpadded_len());
        Ok(len)
    }

    /// The mappings' date range as YYYYMMDD: the start's date, and the day after
    /// the last instant before the end (exclusive; the day after the start's while
    /// the end is open or not after the start).
    pub fn date_range(&self) -> (u32, u32) {
        let last = match self.end {
            Some(end) if end > self.start => UtcNanos::from_nanos(end.as_nanos() - 1),
            _ => self.start,
        };
        (
            yyyymmdd(self.start),
            yyyymmdd(last.saturating_add_nanos(NANOS_PER_DAY)),
        )
    }
}

/// `len` rounded up to a multiple of 8 (version 3 pads the header).
const fn padded(len: usize) -> usize {
    len.div_ceil(8) * 8
}

fn yyyymmdd(t: UtcNanos) -> u32 {
    let c = t.to_civil();
    u32::from(c.year) * 10_000 + u32::from(c.month) * 100 + u32::from(c.day)
}

/// Checks that `s` fits a `cap`-byte NUL-terminated field and is printable ASCII
/// (space included); the error is the offending byte's position (`cap - 1` when too long).
fn check_cstr(s: &str, cap: usize) -> Result<(), usize> {
    if s.len() >= cap {
        return Err(cap - 1);
    }
    match s.bytes().position(|b| !(0x20..=0x7e).contains(&b)) {
        Some(at) => Err(at),
        None => Ok(()),
    }
}

fn decimal_len(mut n: u32) -> usize {
    let mut len = 1;
    while n >= 10 {
        n /= 10;
        len += 1;
    }
    len
}

/// `n` in decimal, in the tail of `buf`.
fn decimal(mut n: u32, buf: &mut [u8; 10]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        buf[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            return &buf[at..];
        }
    }
}

/// A write position in a buffer already checked to be large enough and zeroed.
struct Cursor<'b> {
    out: &'b mut [u8],
    at: usize,
}

impl Cursor<'_> {
    fn bytes(&mut self, b: &[u8]) {
        self.out[self.at..self.at + b.len()].copy_from_slice(b);
        self.at += b.len();
    }

    /// A string in a `cap`-byte field (checked to fit; the tail stays zero).
    fn cstr(&mut self, s: &str, cap: usize) {
        self.out[self.at..self.at + s.len()].copy_from_slice(s.as_bytes());
        self.at += cap;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ESH1: [InstrumentSymbol<'static>; 1] = [InstrumentSymbol {
        instrument: InstrumentId(5482),
        symbol: "ESH1",
    }];

    fn meta(instruments: &'static [InstrumentSymbol<'static>]) -> Metadata<'static> {
        Metadata {
            dataset: "GLBX.MDP3",
            schema: Schema::MBO,
            start: UtcNanos::from_nanos(1_609_160_400_000_000_000),
            end: Some(UtcNanos::from_nanos(1_609_200_000_000_000_000)),
            limit: 2,
            instruments,
        }
    }

    #[test]
    fn layout_of_one_instrument() {
        let m = meta(&ESH1);
        // Databento's own v3 header for the same content is 360 bytes long
        // (tests/dbn_conformance.rs compares the bytes).
        assert_eq!(m.encoded_len(), 360);
        let mut buf = [0xAAu8; 400];
        assert_eq!(m.encode(&mut buf), Ok(360));
        assert_eq!(&buf[..4], b"DBN\x03");
        assert_eq!(u32::from_le_bytes(buf[4..8].try_into().unwrap()), 352);
        assert_eq!(&buf[8..18], b"GLBX.MDP3\0");
        assert_eq!(buf[START_OFFSET - 2..START_OFFSET], [0, 0]);
        assert_eq!(&buf[50..55], &[1, 0, 0, 71, 0]);
        // The mapping's interval: 20201228..20201229, "5482".
        let interval = 112 + 4 + 71 + 8 + 4 + 71 + 4;
        assert_eq!(
            u32::from_le_bytes(buf[interval..interval + 4].try_into().unwrap()),
            20_201_228
        );
        assert_eq!(
            u32::from_le_bytes(buf[interval + 4..interval + 8].try_into().unwrap()),
            20_201_229
        );
        assert_eq!(&buf[interval + 8..interval + 13], b"5482\0");
        assert!(buf[353..360].iter().all(|&b| b == 0), "padding");
        assert_eq!(buf[360], 0xAA, "wrote past its length");
    }

    #[test]
    fn length_does_not_depend_on_times() {
        let mut m = meta(&ESH1);
        let len = m.encoded_len();
        m.end = None;
        m.start = UtcNanos::from_nanos(u64::MAX);
        assert_eq!(m.encoded_len(), len);
        let mut buf = vec![0u8; len];
        assert_eq!(m.encode(&mut buf), Ok(len));
        assert_eq!(buf[34..42], [0xFF; 8], "open end");
    }

    #[test]
    fn date_ranges() {
        let day = NANOS_PER_DAY;
        let mut m = meta(&ESH1);
        m.start = UtcNanos::from_nanos(18_000 * day + 5);
        m.end = None;
        let d0 = yyyymmdd(m.start);
        let d1 = yyyymmdd(UtcNanos::from_nanos(18_001 * day));
        let d2 = yyyymmdd(UtcNanos::from_nanos(18_002 * day));
        assert_eq!(m.date_range(), (d0, d1));
        m.end = Some(UtcNanos::from_nanos(18_001 * day));
        assert_eq!(m.date_range(), (d0, d1), "midnight end is exclusive");
        m.end = Some(UtcNanos::from_nanos(18_001 * day + 1));
        assert_eq!(m.date_range(), (d0, d2));
        m.end = Some(UtcNanos::from_nanos(1));
        assert_eq!(m.date_range(), (d0, d1), "end before start");
    }

    #[test]
    fn rejects_bad_strings_and_small_buffers() {
        let mut buf = [0u8; 1024];
        let mut m = meta(&ESH1);
        m.dataset = "A.DATASET.TOO.LONG";
        assert_eq!(m.encode(&mut buf), Err(DbnError::BadDataset { len: 18 }));
        m.dataset = "BAD\0";
        assert_eq!(m.encode(&mut buf), Err(DbnError::BadDataset { len: 4 }));
        let long = "X".repeat(71);
        let bad = [
            InstrumentSymbol {
                instrument: InstrumentId(1),
                symbol: "OK",
            },
            InstrumentSymbol {
                instrument: InstrumentId(2),
                symbol: "é",
            },
            InstrumentSymbol {
                instrument: InstrumentId(3),
                symbol: &long,
            },
        ];
        let m = Metadata {
            dataset: "FIXGATE",
            instruments: &bad,
            ..meta(&ESH1)
        };
        assert_eq!(
            m.encode(&mut buf),
            Err(DbnError::BadSymbol {
                index: 1,
                len: 2,
                at: 0
            })
        );
        let m = Metadata {
            instruments: &bad[2..],
            ..m
        };
        assert_eq!(
            m.encode(&mut buf),
            Err(DbnError::BadSymbol {
                index: 0,
                len: 71,
                at: 70
            })
        );
        let m = meta(&ESH1);
        assert_eq!(
            m.encode(&mut buf[..359]),
            Err(DbnError::BufferTooSmall {
                need: 360,
                have: 359
            })
        );
    }

    #[test]
    fn decimal_ids() {
        let mut b = [0u8; 10];
        for n in [0, 9, 10, 5482, u32::MAX] {
            assert_eq!(decimal(n, &mut b), n.to_string().as_bytes());
            assert_eq!(decimal_len(n), n.to_string().len());
        }
    }
}
