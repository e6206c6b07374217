//! Property test: the field indexer gives exactly the fields, or the error, of
//! a byte-at-a-time reference indexer (`fuzz/checks/index_reference.rs`, shared
//! with the `fix_index_validate` fuzz check), on messages built from fields
//! that are mostly well formed: tags of 1 to 10 digits, negative, empty or
//! garbled; values with `=`, digits and stray SOH; data fields (95/96, and 5001
//! when registered) with right and wrong lengths; raw noise; truncation; and
//! index capacities from 0 up. The indexer has fast paths (tags of up to three
//! digits matched as one word, SOH found by 64-byte masks) that hand anything
//! unusual to a slower path; this checks the seams between them.

#[path = "../../../fuzz/checks/index_reference.rs"]
mod index_reference;

use fixgate_core::fix::{index_fields, DataTags, FieldRef, Tag};
use proptest::prelude::*;

use index_reference::reference_index;

/// A tag as written on the wire, usually an ordinary one.
fn tag_text() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => (1u32..1000).prop_map(|t| t.to_string()),
        2 => (1000u32..100_000).prop_map(|t| t.to_string()),
        1 => (0u32..1000).prop_map(|t| format!("0{t}")),
        1 => (100_000_000u32..=u32::MAX).prop_map(|t| t.to_string()),
        1 => (1u32..500).prop_map(|t| format!("-{t}")),
        1 => Just(String::new()),
        1 => "[0-9]{0,3}[a-z:= -][0-9]{0,3}",
    ]
}

/// Value bytes: text with `=`, digits and, rarely, SOH.
fn value_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop::collection::vec(
        prop_oneof![
            20 => prop::sample::select(b"abcXYZ0123456789.-:".to_vec()),
            2 => Just(b'='),
            1 => Just(0x01u8),
            1 => any::<u8>(),
        ],
        0..40,
    )
}

/// One piece of a message.
fn piece() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        12 => (tag_text(), value_bytes().prop_map(|v| v.into_iter().filter(|&b| b != 1).collect::<Vec<u8>>()))
            .prop_map(|(t, v)| {
                let mut f = t.into_bytes();
                f.push(b'=');
                f.extend_from_slice(&v);
                f.push(1);
                f
            }),
        2 => (value_bytes(), -2i64..=2, prop::bool::ANY).prop_map(|(v, skew, high)| {
            let (len_tag, data_tag) = if high { ("5000", "5001") } else { ("95", "96") };
            let declared = (v.len() as i64 + skew).max(0);
            let mut f = format!("{len_tag}={declared}\x01{data_tag}=").into_bytes();
            f.extend_from_slice(&v);
            f.push(1);
            f
        }),
        1 => prop::collection::vec(
            prop::sample::select(b"0123456789=-\x01ab".to_vec()),
            0..12,
        ),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 512,
        max_shrink_iters: 4096,
        failure_persistence: None,
        ..ProptestConfig::default()
    })]

    #[test]
    fn index_agrees_with_the_reference(
        pieces in prop::collection::vec(piece(), 0..70),
        cut in prop::option::weighted(0.2, any::<prop::sample::Index>()),
        capacity in prop_oneof![3 => Just(256usize), 1 => 0usize..80],
        high_data_tag: bool,
    ) {
        let mut msg = b"8=FIX.4.4\x019=000\x0135=X\x01".to_vec();
        for p in &pieces {
            msg.extend_from_slice(p);
        }
        msg.extend_from_slice(b"10=000\x01");
        if let Some(cut) = cut {
            msg.truncate(cut.index(msg.len() + 1));
        }
        let mut data_tags = DataTags::standard();
        if high_data_tag {
            data_tags.insert(Tag(5001));
        }
        let mut out = vec![FieldRef::default(); capacity];
        let got = index_fields(&msg, &data_tags, &mut out).map(|n| out[..n].to_vec());
        let want = reference_index(&msg, &data_tags, capacity);
        prop_assert_eq!(got, want, "{:?}", String::from_utf8_lossy(&msg));
    }
}
