//! `fixgate bench fix-parse FILE`: how fast fixgate frames, checksums and indexes
//! a file of concatenated FIX messages.
//!
//! One pass frames every message (BodyLength and CheckSum verified) and indexes
//! every field. Passes repeat for a few seconds; the result line is
//!
//! ```text
//! fixgate ns_per_msg=<f> mb_per_s=<f> msgs=<n> fields=<n> checksum=<c>
//! ```
//!
//! where `msgs`, `fields` and `checksum` count one pass (`checksum`: the u64 sum
//! of tag + value length over every field, 8, 9 and 10 included), so that other
//! parsers doing the same work on the same file can be checked against it.

use fixgate_core::fix::frame::find_resync;
use fixgate_core::fix::{check_frame, FieldIndex, FieldRef, FrameStatus};
use fixgate_core::time::{Clock, SystemClock};

/// Counts of one pass over the file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct PassCounts {
    /// Messages framed and indexed.
    pub msgs: u64,
    /// Fields indexed, 8, 9 and 10 included.
    pub fields: u64,
    /// Sum of tag + value length over every field.
    pub checksum: u64,
    /// Bad frames or unindexable messages skipped.
    pub errors: u64,
}

/// The benchmark's result.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BenchResult {
    /// Counts of one pass.
    pub pass: PassCounts,
    /// Passes run.
    pub passes: u64,
    /// Mean nanoseconds per message.
    pub ns_per_msg: f64,
    /// Throughput in MB (10^6 bytes) per second.
    pub mb_per_s: f64,
}

impl std::fmt::Display for BenchResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "fixgate ns_per_msg={:.1} mb_per_s={:.1} msgs={} fields={} checksum={}",
            self.ns_per_msg, self.mb_per_s, self.pass.msgs, self.pass.fields, self.pass.checksum
        )
    }
}

/// One pass: frame, verify and index every message of `data`.
pub fn one_pass(
    data: &[u8],
    index: &mut FieldIndex<256>,
    large: &mut [FieldRef],
    max_len: usize,
) -> PassCounts {
    let mut c = PassCounts::default();
    let mut pos = 0;
    while pos < data.len() {
        let rest = &data[pos..];
        match check_frame(rest, max_len) {
            FrameStatus::Complete(layout) => {
                let bytes = &rest[..layout.len];
                match index.index_frame_or_spill(bytes, &layout, large) {
                    Ok(msg) => {
                        c.msgs += 1;
                        c.fields += msg.len() as u64;
                        for f in msg.field_refs() {
                            c.checksum += u64::from(f.tag.0) + f.len() as u64;
                        }
                    }
                    Err(_) => c.errors += 1,
                }
                pos += layout.len;
            }
            FrameStatus::Invalid(_) => {
                c.errors += 1;
                pos = find_resync(data, pos + 1).unwrap_or(data.len());
            }
            FrameStatus::Incomplete { .. } => {
                c.errors += 1;
                break;
            }
        }
    }
    c
}

/// Runs passes over `data` for at least `seconds` (and at least one pass).
pub fn bench(data: &[u8], seconds: f64, max_len: usize) -> BenchResult {
    let mut index = FieldIndex::<256>::new();
    let mut large = vec![FieldRef::default(); max_len / 4 + 1];
    let clock = SystemClock::new();
    let pass = one_pass(data, &mut index, &mut large, max_len);
    let budget = (seconds * 1e9) as u64;
    let start = clock.mono();
    let mut passes = 0u64;
    let mut elapsed;
    loop {
        let c = one_pass(data, &mut index, &mut large, max_len);
        std::hint::black_box(c);
        passes += 1;
        elapsed = clock.mono().saturating_sub(start);
        if elapsed >= budget {
            break;
        }
    }
    let msgs = (pass.msgs + pass.errors).max(1) * passes;
    BenchResult {
        pass,
        passes,
        ns_per_msg: elapsed as f64 / msgs as f64,
        mb_per_s: (data.len() as f64 * passes as f64) / (elapsed as f64 / 1e9) / 1e6,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_one_pass() {
        let m = b"8=FIX.4.4\x019=20\x0135=0\x0134=7\x0149=A\x0156=B\x0110=131\x01";
        let mut data = m.to_vec();
        data.extend_from_slice(m);
        let r = bench(&data, 0.01, 4096);
        assert_eq!(r.pass.msgs, 2);
        assert_eq!(r.pass.fields, 14);
        // per message: 8+7, 9+2, 35+1, 34+1, 49+1, 56+1, 10+3
        assert_eq!(r.pass.checksum, 2 * (15 + 11 + 36 + 35 + 50 + 57 + 13));
        assert!(r.to_string().starts_with("fixgate ns_per_msg="));
    }
}
