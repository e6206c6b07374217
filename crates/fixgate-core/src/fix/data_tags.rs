//! Which tags are length-prefixed data fields, whose values may contain SOH.

use super::tag::Tag;

/// The set of data tags (FIX type `data`) and, for each, its length tag.
///
/// The value of a data field is as long as the preceding length field says, SOH
/// bytes included. By FIX convention the length tag is the data tag minus one,
/// except Signature (89) whose length is SignatureLength (93) — the rule QuickFIX
/// applies too. Tags below 2048 are looked up in a table of one byte per tag
/// (2 KiB): the indexer asks for every field, and a byte compare with memory is
/// one instruction where a bit test takes a shift, a load and a `bt`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DataTags {
    low: [bool; 2048],
    /// The data tags of 2048 or more, sorted (binary search).
    high: [u32; MAX_HIGH_DATA_TAGS],
    high_len: usize,
}

/// How many data tags of 2048 or more a set holds: FIX 5.0SP2 (QuickFIX's
/// `FIX50SP2.xml`) defines 48.
pub const MAX_HIGH_DATA_TAGS: usize = 128;

/// The data fields of the FIX 4.2–5.0SP2 standard (length tag, data tag).
pub const STANDARD_DATA_FIELDS: &[(u32, u32)] = &[
    (90, 91),     // SecureDataLen, SecureData
    (93, 89),     // SignatureLength, Signature
    (95, 96),     // RawDataLength, RawData
    (212, 213),   // XmlDataLen, XmlData
    (348, 349),   // EncodedIssuerLen, EncodedIssuer
    (350, 351),   // EncodedSecurityDescLen, EncodedSecurityDesc
    (352, 353),   // EncodedListExecInstLen, EncodedListExecInst
    (354, 355),   // EncodedTextLen, EncodedText
    (356, 357),   // EncodedSubjectLen, EncodedSubject
    (358, 359),   // EncodedHeadlineLen, EncodedHeadline
    (360, 361),   // EncodedAllocTextLen, EncodedAllocText
    (362, 363),   // EncodedUnderlyingIssuerLen, EncodedUnderlyingIssuer
    (364, 365),   // EncodedUnderlyingSecurityDescLen, EncodedUnderlyingSecurityDesc
    (445, 446),   // EncodedListStatusTextLen, EncodedListStatusText
    (618, 619),   // EncodedLegIssuerLen, EncodedLegIssuer
    (621, 622),   // EncodedLegSecurityDescLen, EncodedLegSecurityDesc
    (1184, 1185), // SecurityXMLLen, SecurityXML
    (1277, 1278), // DerivativeEncodedIssuerLen, DerivativeEncodedIssuer
    (1401, 1402), // EncryptedPasswordLen, EncryptedPassword
    (1403, 1404), // EncryptedNewPasswordLen, EncryptedNewPassword
];

impl DataTags {
    /// No data fields: every value ends at the next SOH.
    pub const fn empty() -> Self {
        DataTags {
            low: [false; 2048],
            high: [0; MAX_HIGH_DATA_TAGS],
            high_len: 0,
        }
    }

    /// The data fields of the FIX standard ([`STANDARD_DATA_FIELDS`]).
    pub fn standard() -> Self {
        let mut t = DataTags::empty();
        for &(_, data) in STANDARD_DATA_FIELDS {
            t.insert(Tag(data));
        }
        t
    }

    /// Adds a data tag; returns false when the set of tags ≥ 2048 is full
    /// ([`MAX_HIGH_DATA_TAGS`]).
    pub fn insert(&mut self, tag: Tag) -> bool {
        let t = tag.0;
        if t < 2048 {
            self.low[t as usize] = true;
            return true;
        }
        match self.high[..self.high_len].binary_search(&t) {
            Ok(_) => true,
            Err(at) if self.high_len < self.high.len() => {
                self.high.copy_within(at..self.high_len, at + 1);
                self.high[at] = t;
                self.high_len += 1;
                true
            }
            Err(_) => false,
        }
    }

    /// Whether `tag` is a data field.
    #[inline(always)]
    pub fn contains(&self, tag: Tag) -> bool {
        let t = tag.0;
        if t < 2048 {
            self.low[t as usize]
        } else {
            self.high[..self.high_len].binary_search(&t).is_ok()
        }
    }

    /// Whether each tag below 1024 (every tag of up to three digits) is a data
    /// tag, for the indexer's loop: one byte compare per field.
    #[inline(always)]
    pub(super) fn below_1024(&self) -> &[bool; 1024] {
        self.low.first_chunk::<1024>().unwrap_or(&[true; 1024])
    }

    /// The length tag that carries the length of data tag `data`.
    #[inline]
    pub fn length_tag(data: Tag) -> Tag {
        if data == Tag::SIGNATURE {
            Tag::SIGNATURE_LENGTH
        } else {
            Tag(data.0.wrapping_sub(1))
        }
    }
}

impl Default for DataTags {
    fn default() -> Self {
        DataTags::standard()
    }
}

#[cfg(test)]
mod high_tag_tests {
    use super::*;

    #[test]
    fn high_tags_in_any_order_are_found_and_the_set_fills_at_its_capacity() {
        let mut t = DataTags::empty();
        // A scrambled order: inserts keep the set sorted for the binary search.
        let tags: Vec<u32> = (0..MAX_HIGH_DATA_TAGS as u32)
            .map(|i| 2048 + (i * 37) % MAX_HIGH_DATA_TAGS as u32 * 3)
            .collect();
        for &x in &tags {
            assert!(t.insert(Tag(x)));
        }
        assert!(t.insert(Tag(tags[5])), "a tag already there");
        assert!(!t.insert(Tag(1_000_000)), "full");
        assert!(tags.iter().all(|&x| t.contains(Tag(x))));
        assert!(!t.contains(Tag(2049)) && !t.contains(Tag(1_000_000)));
        assert!(t.insert(Tag(100)) && t.contains(Tag(100)) && !t.contains(Tag(101)));
    }
}
