//! FIX encoding allocates nothing, on its success and error paths.
//!
//! A thread-local counting global allocator (`fixgate_ring::alloc_count`)
//! watches each step after its buffers and header template have been built
//! (those may allocate; they happen once): the `Encoder` for every field kind,
//! and `HeaderTemplate::start` + `finish`, including the error paths (buffer
//! too small, SOH in a value, null price, bad BeginString). A last test checks
//! that the counter does see allocations.
//!
//! Framing and indexing are in `fix_no_alloc_framing`, validation and groups
//! in `fix_no_alloc_validation`. Its own test binary because it installs the
//! counting global allocator.

mod no_alloc_support;

use std::hint::black_box;

use fixgate_core::fix::dictionary::Dictionary;
use fixgate_core::fix::encode::{
    EncodeError, Encoder, HeaderTemplate, TimePrecision, TimestampCache,
};
use fixgate_core::fix::{check_frame, FrameStatus, MsgType, Tag};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::Price;
use fixgate_ring::alloc_count::{count_allocations, CountingAllocator};

use no_alloc_support::no_alloc;

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

#[test]
fn encoding_does_not_allocate() {
    let mut buf = vec![0u8; 4096];
    let mut small = [0u8; 48];
    let mut tiny = [0u8; 4];
    let mut cache = TimestampCache::default();
    let t = UtcNanos::from_nanos(1_773_671_400_123_456_789);

    let got = no_alloc("Encoder: every field kind, then finish", || {
        let mut e = Encoder::new(&mut buf, b"FIX.4.4", MsgType::EXECUTION_REPORT);
        e.uint(Tag(34), 7);
        e.str(Tag(49), b"VENUE");
        e.timestamp(Tag(52), t, TimePrecision::Micros, &mut cache);
        e.field(Tag(56), b"CLIENT");
        e.int(Tag(1), -42);
        e.price(Tag(6), Price::from_e9(-12_345_000_000));
        e.char(Tag(54), b'1');
        e.bool(Tag(141), true);
        e.timestamp(Tag(60), t, TimePrecision::Nanos, &mut cache);
        e.raw(b"58=raw\x01");
        e.data(Tag(354), Tag(355), b"a\x01b=c");
        let body_len = e.body_len();
        let msg = e.finish()?;
        Ok::<_, EncodeError>((body_len, check_frame(msg, 4096), msg.len()))
    });
    let (body_len, status, len) = got.expect("encodes");
    assert!(body_len > 0);
    assert!(matches!(status, FrameStatus::Complete(l) if l.len == len));

    let got = no_alloc("Encoder errors", || {
        let mut e = Encoder::new(&mut small, b"FIX.4.4", MsgType::HEARTBEAT);
        e.field(Tag(58), &[b'x'; 64]);
        let too_small = e.finish().err();
        let header_does_not_fit = Encoder::new(&mut tiny, b"FIX.4.4", MsgType::HEARTBEAT)
            .finish()
            .err();
        let mut e = Encoder::new(&mut buf, b"FIX.4.4", MsgType::HEARTBEAT);
        e.field(Tag(58), b"a\x01b");
        let soh = e.finish().err();
        let mut e = Encoder::new(&mut buf, b"FIX.4.4", MsgType::HEARTBEAT);
        e.price(Tag(44), Price::NULL);
        let null = e.finish().err();
        let empty_begin = Encoder::new(&mut buf, b"", MsgType::HEARTBEAT)
            .finish()
            .err();
        let long_begin = Encoder::new(&mut buf, b"FIX.4.4.0123456789", MsgType::HEARTBEAT)
            .finish()
            .err();
        (
            too_small,
            header_does_not_fit,
            soh,
            null,
            empty_begin,
            long_begin,
        )
    });
    assert_eq!(got.0, Some(EncodeError::BufferTooSmall { have: 48 }));
    assert_eq!(got.1, Some(EncodeError::BufferTooSmall { have: 4 }));
    assert_eq!(got.2, Some(EncodeError::SohInValue { tag: Tag(58) }));
    assert_eq!(got.3, Some(EncodeError::NullPrice { tag: Tag(44) }));
    assert_eq!(got.4, Some(EncodeError::BadBeginString));
    assert_eq!(got.5, Some(EncodeError::BadBeginString));
}

#[test]
fn header_template_start_and_finish_do_not_allocate() {
    let mut template = HeaderTemplate::new("FIX.4.4", "ISLD", "TW44")
        .with_field(Tag(128), "JCD")
        .with_precision(TimePrecision::Millis);
    let mut buf = vec![0u8; 4096];
    let mut small = [0u8; 64];
    let start = 1_773_671_400_000_000_000u64;
    let extra: [(Tag, &[u8]); 2] = [(Tag(43), b"Y"), (Tag(122), b"20260316-14:29:00.000")];

    let got = no_alloc(
        "HeaderTemplate::start + body + finish, 1000 messages",
        || {
            let mut total = 0usize;
            let mut complete = 0usize;
            for seq in 1..=1000u64 {
                // Every message a new millisecond, every third a new second.
                let now = UtcNanos::from_nanos(start + seq * 333_000_000);
                let resend: &[(Tag, &[u8])] = if seq % 2 == 0 { &extra } else { &[] };
                let mut e = template.start(&mut buf, MsgType::NEW_ORDER_SINGLE, seq, now, resend);
                e.str(Tag(11), b"ID1");
                e.char(Tag(54), b'1');
                e.price(Tag(44), Price::from_e9(228_500_000_000));
                let Ok(msg) = e.finish() else {
                    return (total, complete);
                };
                total += msg.len();
                complete += usize::from(matches!(check_frame(msg, 4096), FrameStatus::Complete(_)));
            }
            (total, complete)
        },
    );
    assert_eq!(got.1, 1000);

    let got = no_alloc("HeaderTemplate error paths", || {
        let now = UtcNanos::from_nanos(start);
        let too_small = template
            .start(&mut small, MsgType::NEW_ORDER_SINGLE, 1, now, &extra)
            .finish()
            .err();
        let mut e = template.start(&mut buf, MsgType::NEW_ORDER_SINGLE, 1, now, &[]);
        e.field(Tag(58), b"a\x01b");
        let soh = e.finish().err();
        let soh_in_extra = template
            .start(
                &mut buf,
                MsgType::NEW_ORDER_SINGLE,
                1,
                now,
                &[(Tag(43), b"\x01")],
            )
            .finish()
            .err();
        (too_small, soh, soh_in_extra)
    });
    assert_eq!(got.0, Some(EncodeError::BufferTooSmall { have: 64 }));
    assert_eq!(got.1, Some(EncodeError::SohInValue { tag: Tag(58) }));
    assert_eq!(got.2, Some(EncodeError::SohInValue { tag: Tag(43) }));
}

/// The counting allocator does see allocations (so the zeros above mean
/// something).
#[test]
fn the_counter_counts() {
    let (allocs, v) = count_allocations(|| black_box(vec![1u8; 64]));
    assert!(allocs >= 1);
    assert_eq!(v.len(), 64);
    let (allocs, _) = count_allocations(|| Dictionary::from_xml("<fix></fix>"));
    assert!(allocs >= 1);
}
