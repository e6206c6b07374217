//! `fixgate decode --fix FILE`: one JSON object per message of a stream of
//! concatenated FIX messages.
//!
//! ```text
//! {"offset":0,"msg_type":"D","fields":[[8,"FIX.4.4"],[9,"120"],[35,"D"],...]}
//! {"offset":151,"error":"BadChecksum","detail":"CheckSum 012 on the wire, 013 computed"}
//! ```
//!
//! Values are written byte for byte: each byte becomes the character with that
//! code point (Latin-1), so the JSON is lossless even for data fields holding SOH
//! or non-UTF-8 bytes. A bad frame or a message whose fields cannot be indexed
//! prints an error line and decoding goes on with the next message.

use std::io::{self, Read, Write};

use fixgate_core::fix::{FieldIndex, FieldRef, FrameItem, Framer, Message};
use serde_json::json;

/// What a decode run saw.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DecodeSummary {
    /// Messages printed.
    pub messages: u64,
    /// Error lines printed.
    pub errors: u64,
}

fn latin1(bytes: &[u8]) -> String {
    bytes.iter().map(|&b| b as char).collect()
}

/// Decodes the FIX stream from `input` and writes JSON lines to `out`.
///
/// # Errors
/// I/O errors of `input` or `out`; malformed messages are reported in the output.
pub fn decode_fix(
    mut input: impl Read,
    out: impl Write,
    max_message_len: usize,
) -> io::Result<DecodeSummary> {
    let mut out = io::BufWriter::new(out);
    let mut framer = Framer::new(max_message_len);
    let mut index = FieldIndex::<256>::new();
    let mut large = vec![FieldRef::default(); max_message_len / 4 + 1];
    let mut summary = DecodeSummary::default();
    loop {
        let n = input.read(framer.read_buf())?;
        framer.commit(n);
        while let Some(item) = framer.poll_frame() {
            let line = match item {
                FrameItem::Message {
                    offset,
                    bytes,
                    layout,
                } => match index.index_frame_or_spill(bytes, &layout, &mut large) {
                    Ok(msg) => {
                        summary.messages += 1;
                        message_json(offset, &msg)
                    }
                    Err(e) => {
                        summary.errors += 1;
                        json!({"offset": offset, "error": index_error_name(&e), "detail": e.to_string()})
                    }
                },
                FrameItem::Invalid { offset, error, .. } => {
                    summary.errors += 1;
                    json!({"offset": offset, "error": error.name(), "detail": error.to_string()})
                }
            };
            serde_json::to_writer(&mut out, &line)?;
            out.write_all(b"\n")?;
        }
        if n == 0 {
            break;
        }
    }
    if framer.buffered() > 0 {
        let offset = framer.stream_position();
        summary.errors += 1;
        let line = json!({"offset": offset, "error": "Truncated", "detail": format!("{} bytes at end of input are not a whole message", framer.buffered())});
        serde_json::to_writer(&mut out, &line)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(summary)
}

fn index_error_name(e: &fixgate_core::fix::IndexError) -> &'static str {
    use fixgate_core::fix::IndexError as E;
    match e {
        E::BadTag { .. } => "BadTag",
        E::MissingEquals { .. } => "MissingEquals",
        E::Unterminated { .. } => "Unterminated",
        E::DataLength { .. } => "DataLength",
        E::TooManyFields { .. } => "TooManyFields",
        E::TooLarge => "TooLarge",
    }
}

fn message_json(offset: u64, msg: &Message<'_>) -> serde_json::Value {
    let fields: Vec<serde_json::Value> = msg
        .iter()
        .map(|f| json!([f.tag.wire_value(), latin1(f.value)]))
        .collect();
    let msg_type = msg.msg_type().map(|t| latin1(t.as_bytes()));
    json!({"offset": offset, "msg_type": msg_type, "fields": fields})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_messages_and_reports_bad_frames() {
        let good = b"8=FIX.4.4\x019=20\x0135=0\x0134=7\x0149=A\x0156=B\x0110=131\x01";
        let mut input = good.to_vec();
        input.extend_from_slice(b"8=FIX.4.4\x019=20\x0135=0\x0134=8\x0149=A\x0156=B\x0110=000\x01");
        input.extend_from_slice(good);
        let mut out = Vec::new();
        let s = decode_fix(&input[..], &mut out, 4096).unwrap();
        assert_eq!(
            s,
            DecodeSummary {
                messages: 2,
                errors: 1
            }
        );
        let lines: Vec<serde_json::Value> = String::from_utf8(out)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        assert_eq!(lines[0]["msg_type"], "0");
        assert_eq!(lines[0]["fields"][3], json!([34, "7"]));
        assert_eq!(lines[1]["error"], "BadChecksum");
        assert_eq!(lines[1]["offset"], good.len());
        assert_eq!(lines[2]["offset"], 2 * good.len());
    }
}
