//! FIX validation and group iteration allocate nothing, on valid messages and
//! on rejected ones.
//!
//! A thread-local counting global allocator (`fixgate_ring::alloc_count`)
//! watches each step after its dictionary, validator and index have been built
//! (those may allocate; they happen once):
//!
//! * group iteration: `FieldMap` and `Group` through three levels of nested
//!   groups, and each `GroupError`;
//! * validation of valid messages and of each rejection class (0, 1, 2, 4, 5,
//!   6, 11, 13, 14, 16 and an unsupported BeginString).
//!
//! Framing and indexing are in `fix_no_alloc_framing`, encoding in
//! `fix_no_alloc_encoding`. Its own test binary because it installs the
//! counting global allocator.

mod no_alloc_support;

use fixgate_core::fix::dictionary::fixgate44;
use fixgate_core::fix::{
    FieldIndex, FieldMap, GroupError, SessionRejectReason, Tag, ValidationError, Validator,
};
use fixgate_ring::alloc_count::CountingAllocator;

use no_alloc_support::{execution_report, frame, msg, new_order, no_alloc, HEADER};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

#[test]
fn group_iteration_does_not_allocate() {
    let dict = fixgate44();
    let good = execution_report("2");
    let wrong_count = execution_report("3");
    let bad_count = execution_report("x");
    let mut index = FieldIndex::<128>::with_data_tags(dict.data_tags().clone());

    let msg = index.index(&good).unwrap();
    let got = no_alloc("FieldMap and Group, three levels deep", || {
        let body = FieldMap::body(msg, &dict)?;
        let direct = body.fields().count();
        let symbol = body.find(Tag(55)).map(|f| f.value);
        let legs = body.group(Tag(555)).ok()?;
        legs.check_count().ok()?;
        let mut leaf_fields = 0;
        let mut leg_refs = 0;
        for leg in legs.entries() {
            leg_refs += usize::from(leg.find(Tag(654)).is_some());
            let Ok(parties) = leg.group(Tag(539)) else {
                continue;
            };
            for party in parties.entries() {
                let subs = party.group(Tag(804)).ok()?;
                subs.check_count().ok()?;
                for sub in subs.entries() {
                    leaf_fields += sub.fields().count();
                }
            }
        }
        Some((
            direct,
            symbol,
            legs.len(),
            legs.declared(),
            leg_refs,
            leaf_fields,
        ))
    });
    assert_eq!(got, Some((23, Some(&b"GPUH6"[..]), 2, 2, 1, 4)));

    let got = no_alloc("FieldMap/Group errors", || {
        let body = FieldMap::body(msg, &dict)?;
        Some((
            body.group(Tag(55)).err(),
            body.group(Tag(453)).err(),
            body.group(Tag(555))
                .ok()?
                .entries()
                .nth(1)?
                .group(Tag(539))
                .err(),
        ))
    });
    assert_eq!(
        got,
        Some((
            Some(GroupError::NotAGroup { tag: Tag(55) }),
            Some(GroupError::Missing { tag: Tag(453) }),
            Some(GroupError::Missing { tag: Tag(539) }),
        ))
    );

    let msg = index.index(&wrong_count).unwrap();
    let got = no_alloc("Group::check_count mismatch", || {
        FieldMap::body(msg, &dict).map(|b| b.group(Tag(555)).map(|g| g.check_count()))
    });
    assert_eq!(
        got,
        Some(Ok(Err(GroupError::CountMismatch {
            tag: Tag(555),
            declared: 3,
            found: 2
        })))
    );
    let msg = index.index(&bad_count).unwrap();
    let got = no_alloc("FieldMap::group bad count", || {
        FieldMap::body(msg, &dict).map(|b| b.group(Tag(555)).err())
    });
    assert_eq!(got, Some(Some(GroupError::BadCount { tag: Tag(555) })));
}

#[test]
fn validation_does_not_allocate_on_valid_or_rejected_messages() {
    let dict = fixgate44();
    let reject = |reason, tag: Option<u32>| {
        Err(ValidationError::Reject {
            reason,
            ref_tag: tag.map(Tag),
        })
    };
    let nos_body = "11=ID1|453=2|448=P1|447=D|452=1|802=1|523=S|803=1|448=P2|447=D|452=3|\
                    55=INTC|54=1|60=20260316-14:30:00|38=100|40=2|44=12.5|";
    let nos = |body: &str| msg("D", body);
    let cases: Vec<(&str, Vec<u8>, Result<(), ValidationError>)> = vec![
        ("valid ExecutionReport", execution_report("2"), Ok(())),
        ("valid NewOrderSingle", new_order("2"), Ok(())),
        (
            "valid Logon with data and a group",
            msg(
                "A",
                "98=0|108=30|95=5|96=a|b=c|384=2|372=D|385=R|372=8|385=S|",
            ),
            Ok(()),
        ),
        (
            "valid MarketDataSnapshot",
            msg(
                "W",
                "55=GPU|268=2|269=0|270=2.10|271=5|269=1|270=2.15|271=7|",
            ),
            Ok(()),
        ),
        ("valid Heartbeat", msg("0", ""), Ok(())),
        (
            "13 tag appears more than once",
            nos(&nos_body.replace("11=ID1|", "11=ID1|11=ID1|")),
            reject(SessionRejectReason::TAG_APPEARS_MORE_THAN_ONCE, Some(11)),
        ),
        (
            "1 required tag missing",
            nos(&nos_body.replace("11=ID1|", "")),
            reject(SessionRejectReason::REQUIRED_TAG_MISSING, Some(11)),
        ),
        (
            "4 tag without value",
            nos(&nos_body.replace("11=ID1|", "11=|")),
            reject(SessionRejectReason::TAG_WITHOUT_VALUE, Some(11)),
        ),
        (
            "0 invalid tag number",
            nos(&format!("{nos_body}4999=x|")),
            reject(SessionRejectReason::INVALID_TAG_NUMBER, Some(4999)),
        ),
        (
            "2 tag not defined for this message",
            nos(&format!("{nos_body}112=T|")),
            reject(SessionRejectReason::TAG_NOT_DEFINED_FOR_MESSAGE, Some(112)),
        ),
        (
            "14 tag out of order",
            frame(
                "FIX.4.4",
                &format!("35=D|11=ID1|{HEADER}{}", &nos_body[7..]),
            ),
            reject(SessionRejectReason::TAG_OUT_OF_ORDER, Some(34)),
        ),
        (
            "16 incorrect NumInGroup",
            new_order("3"),
            reject(SessionRejectReason::INCORRECT_NUM_IN_GROUP, Some(453)),
        ),
        (
            "5 value out of range",
            nos(&nos_body.replace("54=1|", "54=Z|")),
            reject(SessionRejectReason::VALUE_OUT_OF_RANGE, Some(54)),
        ),
        (
            "6 incorrect data format",
            nos(&nos_body.replace("452=3|", "452=x1|")),
            reject(SessionRejectReason::INCORRECT_DATA_FORMAT, Some(452)),
        ),
        (
            "11 invalid MsgType",
            msg("ZZ", nos_body),
            reject(SessionRejectReason::INVALID_MSG_TYPE, None),
        ),
        (
            "unsupported BeginString",
            frame("FIX.4.2", &format!("35=D|{HEADER}{nos_body}")),
            Err(ValidationError::UnsupportedVersion),
        ),
    ];
    let mut index = FieldIndex::<128>::with_data_tags(dict.data_tags().clone());
    let validator = Validator::new(&dict);
    for (name, bytes, want) in &cases {
        let got = no_alloc(&format!("index + validate: {name}"), || {
            let msg = index.index(bytes).expect("indexes");
            validator.validate(&msg)
        });
        assert_eq!(got, *want, "{name}");
    }
}
