//! Encoding FIX messages into caller-owned buffers.
//!
//! Space for the header's `8=…␁9=…␁` is reserved at the front of the buffer; the
//! body is written from there; [`Encoder::finish`] then writes BeginString and
//! BodyLength right in front of the body (never zero-padded) and appends CheckSum.
//! Integers, exact prices and timestamps are rendered without allocation, and a
//! [`HeaderTemplate`] keeps the constant header fields pre-rendered.

mod digits;
mod encoder;
mod header_template;

pub use digits::{TimePrecision, TimestampCache};
pub use encoder::{EncodeError, Encoder, HEADER_RESERVE};
pub use header_template::HeaderTemplate;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{check_frame, FieldIndex, FrameStatus, MsgType, Tag};
    use crate::time::UtcNanos;
    use crate::types::Price;

    #[test]
    fn template_writes_quickfix_header_order() {
        let mut h = HeaderTemplate::new("FIX.4.4", "ISLD", "TW44");
        let mut buf = [0u8; 512];
        let t = UtcNanos::from_nanos(1_773_671_400_123_000_000);
        let mut e = h.start(&mut buf, MsgType::LOGON, 1, t, &[]);
        e.uint(Tag(98), 0);
        e.uint(Tag(108), 30);
        let m = e.finish().unwrap();
        let text = String::from_utf8_lossy(m).replace('\x01', "|");
        assert!(
            text.starts_with(
                "8=FIX.4.4|9=63|35=A|34=1|49=ISLD|52=20260316-14:30:00.123|56=TW44|98=0|108=30|10="
            ),
            "{text}"
        );
        assert!(matches!(check_frame(m, 4096), FrameStatus::Complete(l) if l.len == m.len()));
    }

    #[test]
    fn extra_header_fields_are_merged_in_tag_order() {
        let mut h = HeaderTemplate::new("FIX.4.4", "ISLD", "TW44").with_field(Tag(128), "JCD");
        let mut buf = [0u8; 512];
        let t = UtcNanos::from_nanos(1_773_671_400_000_000_000);
        let e = h.start(
            &mut buf,
            MsgType::NEW_ORDER_SINGLE,
            3,
            t,
            &[(Tag(43), b"Y"), (Tag(122), b"20260316-14:29:00.000")],
        );
        let m = e.finish().unwrap();
        let mut ix = FieldIndex::<32>::new();
        let msg = ix.index(m).unwrap();
        let tags: Vec<u32> = msg.iter().map(|f| f.tag.0).collect();
        assert_eq!(tags, vec![8, 9, 35, 34, 43, 49, 52, 56, 122, 128, 10]);
    }

    #[test]
    fn every_value_kind_parses_back() {
        let mut buf = [0u8; 512];
        let mut cache = TimestampCache::default();
        let mut e = Encoder::new(&mut buf, b"FIXT.1.1", MsgType::NEW_ORDER_SINGLE);
        e.int(Tag(1), -42);
        e.price(Tag(44), Price::from_e9(-12_345_000_000));
        e.char(Tag(54), b'1');
        e.bool(Tag(141), true);
        e.timestamp(
            Tag(60),
            UtcNanos::from_nanos(1_773_671_400_123_456_789),
            TimePrecision::Nanos,
            &mut cache,
        );
        e.data(Tag(95), Tag(96), b"a\x01b");
        let m = e.finish().unwrap();
        let mut ix = FieldIndex::<32>::new();
        let msg = ix.index(m).unwrap();
        assert_eq!(msg.int(Tag(1)), Ok(-42));
        assert_eq!(msg.price(Tag(44)), Ok(Price::from_e9(-12_345_000_000)));
        assert_eq!(msg.char(Tag(54)), Ok(b'1'));
        assert_eq!(msg.bool(Tag(141)), Ok(true));
        assert_eq!(
            msg.timestamp(Tag(60)).unwrap().as_nanos(),
            1_773_671_400_123_456_789
        );
        assert_eq!(msg.data(Tag(96)), Ok(&b"a\x01b"[..]));
        assert!(matches!(check_frame(m, 4096), FrameStatus::Complete(_)));
    }

    #[test]
    fn errors_instead_of_panics() {
        let mut small = [0u8; 40];
        let mut e = Encoder::new(&mut small, b"FIX.4.4", MsgType::HEARTBEAT);
        e.field(Tag(58), &[b'x'; 64]);
        assert_eq!(e.finish(), Err(EncodeError::BufferTooSmall { have: 40 }));
        let mut tiny = [0u8; 4];
        assert!(Encoder::new(&mut tiny, b"FIX.4.4", MsgType::HEARTBEAT)
            .finish()
            .is_err());
        let mut buf = [0u8; 256];
        let mut e = Encoder::new(&mut buf, b"FIX.4.4", MsgType::HEARTBEAT);
        e.field(Tag(58), b"a\x01b");
        assert_eq!(e.finish(), Err(EncodeError::SohInValue { tag: Tag(58) }));
        let mut e = Encoder::new(&mut buf, b"FIX.4.4", MsgType::HEARTBEAT);
        e.price(Tag(44), Price::NULL);
        assert_eq!(e.finish(), Err(EncodeError::NullPrice { tag: Tag(44) }));
        assert_eq!(
            Encoder::new(&mut buf, b"", MsgType::HEARTBEAT).finish(),
            Err(EncodeError::BadBeginString)
        );
    }
}
