//! Checks, before timing, that fixgate's and fefix's encoders wrote the same
//! message: fixgate's bytes must equal a reference built by `support::message`,
//! and fefix's fields (BodyLength and CheckSum aside) must equal the reference's.
//! Messages are read back with fixgate's framer and indexer.

use fixgate_core::fix::{check_frame, FieldIndex, FrameStatus, Tag};

use crate::support;

/// Longest message read back.
const MAX_MESSAGE_LEN: usize = 64 * 1024;

/// The fields of a whole message after framing it (BodyLength and CheckSum
/// checked), 9 and 10 left out; empty if it does not frame or index.
fn fields_of(msg: &[u8]) -> Vec<(u32, Vec<u8>)> {
    match check_frame(msg, MAX_MESSAGE_LEN) {
        FrameStatus::Complete(l) if l.len == msg.len() => unframed_fields_of(msg),
        _ => Vec::new(),
    }
}

/// The fields of `msg` without checking its frame, 9 and 10 left out.
fn unframed_fields_of(msg: &[u8]) -> Vec<(u32, Vec<u8>)> {
    let mut index = FieldIndex::<256>::new();
    let Ok(m) = index.index(msg) else {
        return Vec::new();
    };
    m.iter()
        .filter(|f| f.tag != Tag::BODY_LENGTH && f.tag != Tag::CHECK_SUM)
        .map(|f| (f.tag.0, f.value.to_vec()))
        .collect()
}

/// How one input's outputs compare with the reference.
enum Outcome {
    /// fixgate's bytes equal the reference; fefix's fields (9 and 10 aside) do too.
    Same,
    /// As `Same`, except that fefix wrote a wrong BodyLength: fefix 0.7's
    /// `EncoderHandle::write_body_length` casts to `u8` before taking each digit
    /// (`(len / 1) as u8 % 10`), so most bodies of 256 bytes or more get a wrong
    /// BodyLength. Its CheckSum is right for the bytes it wrote.
    FefixBodyLength {
        /// BodyLength as fefix wrote it.
        written: usize,
        /// The body's real length.
        actual: usize,
    },
    /// Anything else, described.
    Differs(String),
}

/// BodyLength as written and as counted, if `msg` is `8=..␁9=..␁..10=NNN␁`
/// with a correct CheckSum.
fn body_lengths(msg: &[u8]) -> Option<(usize, usize)> {
    let start = msg.windows(3).position(|w| w == b"\x019=")? + 3;
    let end = start + msg[start..].iter().position(|&b| b == support::SOH)?;
    let written = std::str::from_utf8(&msg[start..end]).ok()?.parse().ok()?;
    let trailer = msg.len().checked_sub(7)?;
    let sum = std::str::from_utf8(&msg[trailer + 3..trailer + 6]).ok()?;
    (sum.parse::<u8>().ok()? == support::checksum(&msg[..trailer]))
        .then_some((written, trailer.checked_sub(end + 1)?))
}

fn compare(fixgate: &[u8], fefix: &[u8], reference: &[u8]) -> Outcome {
    let want = fields_of(reference);
    if want.is_empty() {
        return Outcome::Differs("the reference does not frame".to_owned());
    }
    let show = |m: &[u8]| String::from_utf8_lossy(m).replace('\x01', "|");
    if fixgate != reference {
        return Outcome::Differs(format!(
            "fixgate wrote {} where the reference is {}",
            show(fixgate),
            show(reference)
        ));
    }
    if fields_of(fefix) == want {
        return Outcome::Same;
    }
    match body_lengths(fefix) {
        Some((written, actual)) if written != actual && unframed_fields_of(fefix) == want => {
            Outcome::FefixBodyLength { written, actual }
        }
        _ => Outcome::Differs(format!(
            "fefix wrote {} where the reference is {}",
            show(fefix),
            show(reference)
        )),
    }
}

/// Checks every input's `(fixgate, fefix, reference)` and prints one line.
pub fn report_check(label: &str, outputs: &[(Vec<u8>, Vec<u8>, Vec<u8>)]) {
    let (mut bad_len, mut differs, mut first_bad_len, mut first_differs) = (0, 0, None, None);
    for (fixgate, fefix, reference) in outputs {
        match compare(fixgate, fefix, reference) {
            Outcome::Same => {}
            Outcome::FefixBodyLength { written, actual } => {
                bad_len += 1;
                first_bad_len.get_or_insert((written, actual));
            }
            Outcome::Differs(why) => {
                differs += 1;
                first_differs.get_or_insert(why);
            }
        }
    }
    let n = outputs.len();
    let (a, b) = outputs
        .first()
        .map_or((0, 0), |(a, b, _)| (a.len(), b.len()));
    if differs > 0 {
        println!(
            "fix_encode/{label}: WARNING {differs} of {n} inputs encode differently; first: {}",
            first_differs.unwrap_or_default()
        );
        return;
    }
    println!(
        "fix_encode/{label}: {n} inputs checked: fixgate matches the reference byte for byte, \
         fefix field for field (first: fixgate {a} bytes, fefix {b} bytes)"
    );
    if let Some((written, actual)) = first_bad_len {
        println!(
            "fix_encode/{label}: NOTE fefix 0.7 wrote a wrong BodyLength in {bad_len} of {n} \
             messages (first: 9={written} for a {actual}-byte body; its encoder truncates to u8 \
             before taking digits); same bytes otherwise, so the timing still compares"
        );
    }
}
