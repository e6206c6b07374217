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
    high: [u32; 16],
    high_len: usize,
}

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
            high: [0; 16],
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

    /// Adds a data tag; returns false when the set of tags ≥ 2048 is full (16).
    pub fn insert(&mut self, tag: Tag) -> bool {
        let t = tag.0;
        if t < 2048 {
            self.low[t as usize] = true;
            true
        } else if self.high[..self.high_len].contains(&t) {
            true
        } else if self.high_len < self.high.len() {
            self.high[self.high_len] = t;
            self.high_len += 1;
            true
        } else {
            false
        }
    }

    /// Whether `tag` is a data field.
    #[inline(always)]
    pub fn contains(&self, tag: Tag) -> bool {
        let t = tag.0;
        if t < 2048 {
            self.low[t as usize]
        } else {
            self.high[..self.high_len].contains(&t)
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
