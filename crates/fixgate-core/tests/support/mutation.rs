//! Where the malformed-input properties mutate a valid message: which fields
//! qualify, where a field may be inserted, byte offsets of fields, and values
//! that break an enumeration.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use fixgate_core::fix::dictionary::FieldDef;

use super::raw_message::{field_bytes, Kind, Msg, F};
use super::serialize::checksum;

/// Indices of the fields matching `pred`.
pub fn positions(m: &Msg, pred: impl Fn(&F) -> bool) -> Vec<usize> {
    (0..m.fields.len())
        .filter(|&i| pred(&m.fields[i]))
        .collect()
}

/// Positions at which a new top-level body field can be inserted without
/// changing the structure: before a top-level item, or at the end.
pub fn top_boundaries(m: &Msg) -> Vec<usize> {
    let mut at: Vec<usize> = positions(m, |f| {
        f.depth == 0 && matches!(f.kind, Kind::Plain | Kind::Count | Kind::DataLen)
    });
    let header_end = m
        .fields
        .iter()
        .take_while(|f| f.kind == Kind::Header)
        .count();
    at.push(header_end);
    at.push(m.fields.len());
    at.sort_unstable();
    at.dedup();
    at
}

/// Offset of the first body byte (the `3` of `35=`).
pub fn body_start(bytes: &[u8]) -> usize {
    let nine = bytes.iter().position(|&b| b == 1).expect("SOH after 8=") + 1;
    nine + bytes[nine..]
        .iter()
        .position(|&b| b == 1)
        .expect("SOH after 9=")
        + 1
}

/// Offset of field `i` of `m.fields` in `serialize(m)`.
pub fn field_offset(m: &Msg, bytes: &[u8], i: usize) -> usize {
    body_start(bytes)
        + m.fields[..i]
            .iter()
            .map(|f| field_bytes(f).len())
            .sum::<usize>()
}

/// Rewrites CheckSum after a same-length mutation.
pub fn fix_checksum(bytes: &mut [u8]) {
    let n = bytes.len();
    let sum = checksum(&bytes[..n - 7]);
    bytes[n - 4..n - 1].copy_from_slice(format!("{sum:03}").as_bytes());
}

/// A value of `def`'s format that its enumeration does not allow, if any.
pub fn invalid_enum_value(def: &FieldDef) -> Option<Vec<u8>> {
    if def.values.is_empty() {
        return None;
    }
    let candidates: Vec<Vec<u8>> = (b'!'..=b'~')
        .map(|c| vec![c])
        .chain((0..1000).map(|n: i32| n.to_string().into_bytes()))
        .chain([b"-7".to_vec(), b"ZZZ".to_vec(), b"2.5".to_vec()])
        .collect();
    candidates
        .into_iter()
        .find(|v| def.ty.accepts(v) && !def.allows(v))
}
