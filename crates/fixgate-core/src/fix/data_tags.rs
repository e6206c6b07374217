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
    /// The two per-tag tables the indexer's loop reads, boxed (66 KiB) so that
    /// a `DataTags`, and the `FieldIndex` or dictionary holding one, stays small.
    tables: Box<Tables>,
    /// The data tags of 2048 or more, sorted (binary search).
    high: [u32; MAX_HIGH_DATA_TAGS],
    high_len: usize,
}

/// The tables of [`DataTags`], side by side so that the indexer's loop
/// addresses both from one pointer.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Tables {
    /// Whether each tag below 2048 is a data tag.
    low: [bool; 2048],
    /// Every two- and three-digit tag (`00` to `999`) that is not a data tag,
    /// by [`short_tag_slot`]: the indexer's loop checks, converts and clears
    /// a tag of this set with one table entry and one masked compare.
    short: [ShortTag; SHORT_TAG_SLOTS],
}

/// One entry of [`DataTags`]' short-tag table: the first bytes of a field
/// with a two- or three-digit tag that is not a data tag (`dd=` or `ddd=`),
/// which bytes of the four at the field's start they are, the tag and where
/// its value starts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct ShortTag {
    /// The field's first four bytes under `mask`, little-endian; for an empty
    /// slot a word whose own slot is another (so no input matches it).
    pub(super) word: u32,
    /// Which of the four bytes belong to the tag and its `=`.
    pub(super) mask: u32,
    /// The tag number.
    pub(super) tag: u32,
    /// The value's offset from the field's start (3 or 4).
    pub(super) skip: u32,
}

/// Slots of the short-tag table: 12 bits, three 4-bit nibbles.
pub(super) const SHORT_TAG_SLOTS: usize = 4096;

/// The short-tag table slot of the four bytes `w` at a field's start: the low
/// nibbles of its first three bytes, gathered by one multiply.
///
/// With `x = w & 0x0F0F0F` (nibbles n0, n1, n2 at bits 0, 8 and 16), `x` times
/// `0x0100_1001` adds `x`, `x << 12` and `x << 24`; their nine nibbles land on
/// distinct positions (so nothing carries), and bits 16 to 27 of the product
/// hold n2, n1, n0 from the low end. A three-digit tag `ddd=` has three digit
/// nibbles there and a two-digit one `dd=` the nibble of `=` (13) third, so
/// each tag has a slot of its own; any other word lands somewhere and is told
/// apart by the masked compare with [`ShortTag::word`].
#[inline(always)]
pub(super) const fn short_tag_slot(w: u32) -> usize {
    (((w & 0x000F_0F0F).wrapping_mul(0x0100_1001) >> 16) & 0xFFF) as usize
}

/// The entry of an empty slot `slot`.
const fn empty_slot(slot: usize) -> ShortTag {
    ShortTag {
        // 0 maps to slot 0 and 1 to slot 256: neither to the slot it fills.
        word: if slot == 0 { 1 } else { 0 },
        mask: u32::MAX,
        tag: 0,
        skip: 0,
    }
}

/// The entry of tag `tag` (10 to 999; below 100 written with two digits, else
/// three, as a leading zero makes another word), and its slot.
const fn short_tag(tag: u32, digits: u32) -> (usize, ShortTag) {
    let (word, mask) = if digits == 3 {
        let w = u32::from_le_bytes([
            b'0' + (tag / 100) as u8,
            b'0' + (tag / 10 % 10) as u8,
            b'0' + (tag % 10) as u8,
            b'=',
        ]);
        (w, u32::MAX)
    } else {
        let w = u32::from_le_bytes([b'0' + (tag / 10) as u8, b'0' + (tag % 10) as u8, b'=', 0]);
        (w, 0x00FF_FFFF)
    };
    let entry = ShortTag {
        word,
        mask,
        tag,
        skip: digits + 1,
    };
    (short_tag_slot(word), entry)
}

/// The table with every three-digit tag (`000` to `999`) and every two-digit
/// one (`00` to `99`) in it.
const fn full_short_tag_table() -> [ShortTag; SHORT_TAG_SLOTS] {
    let mut t = [empty_slot(1); SHORT_TAG_SLOTS];
    t[0] = empty_slot(0);
    let mut tag = 0u32;
    while tag < 1000 {
        let (slot, entry) = short_tag(tag, 3);
        t[slot] = entry;
        if tag < 100 {
            let (slot, entry) = short_tag(tag, 2);
            t[slot] = entry;
        }
        tag += 1;
    }
    t
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
    pub fn empty() -> Self {
        /// Built at compile time; each set starts as a copy.
        const EMPTY: Tables = Tables {
            low: [false; 2048],
            short: full_short_tag_table(),
        };
        DataTags {
            tables: Box::new(EMPTY),
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
            self.tables.low[t as usize] = true;
            if t < 1000 {
                let (slot, _) = short_tag(t, 3);
                self.tables.short[slot] = empty_slot(slot);
            }
            if t < 100 {
                let (slot, _) = short_tag(t, 2);
                self.tables.short[slot] = empty_slot(slot);
            }
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
            self.tables.low[t as usize]
        } else {
            self.high[..self.high_len].binary_search(&t).is_ok()
        }
    }

    /// The short-tag entry for the four bytes `w` at a field's start (see
    /// [`short_tag_slot`]), for the indexer's loop.
    #[inline(always)]
    pub(super) fn short_tag(&self, w: u32) -> &ShortTag {
        &self.tables.short[short_tag_slot(w)]
    }

    /// Whether `tag` (below 1024) is a data tag, for the indexer's loop: one
    /// byte compare, addressed from the same base as [`DataTags::short_tag`]
    /// so that the loop keeps one pointer for both.
    #[inline(always)]
    pub(super) fn contains_below_1024(&self, tag: u32) -> bool {
        self.tables.low[(tag & 1023) as usize]
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

#[cfg(test)]
mod short_tag_tests {
    use super::*;

    /// The entry a field starting with `text` (four bytes) finds, if any.
    fn lookup(t: &DataTags, text: &[u8; 4]) -> Option<(u32, u32)> {
        let w = u32::from_le_bytes(*text);
        let e = t.short_tag(w);
        (w & e.mask == e.word).then_some((e.tag, e.skip))
    }

    #[test]
    fn every_short_tag_but_the_data_tags_has_its_own_entry() {
        let mut t = DataTags::standard();
        t.insert(Tag(7));
        t.insert(Tag(42));
        t.insert(Tag(999));
        let mut hits = 0;
        for tag in 0..1000u32 {
            let three = format!("{tag:03}=");
            let want = (!t.contains(Tag(tag))).then_some((tag, 4));
            assert_eq!(
                lookup(&t, three.as_bytes().try_into().unwrap()),
                want,
                "{three}"
            );
            hits += usize::from(want.is_some());
            if tag < 100 {
                // Whatever byte follows the `=`.
                for next in [b'0', b'x', 0x01, 0xFF, b'='] {
                    let mut two = format!("{tag:02}=").into_bytes();
                    two.push(next);
                    let want = (!t.contains(Tag(tag))).then_some((tag, 3));
                    assert_eq!(
                        lookup(&t, two.as_slice().try_into().unwrap()),
                        want,
                        "{two:?}"
                    );
                }
            }
        }
        // 1,000 three-digit and 100 two-digit entries, less the data tags: 19
        // below 1000 (16 standard, 7, 42, 999), five of them as two digits
        // too (07, 42, 89, 91, 96).
        assert_eq!(hits, 1000 - 19);
        let filled = t.tables.short.iter().filter(|e| e.skip != 0).count();
        assert_eq!(filled, 1000 - 19 + 100 - 5);
    }

    #[test]
    fn other_words_find_no_entry() {
        let t = DataTags::standard();
        for text in [
            b"1=ab",
            b"12=3",
            b"-12=",
            b"1234",
            b"12a=",
            b"a12=",
            b"\0\0\0\0",
            b"\x01\x01\x01\x01",
            b"99\x01=",
            b"=123",
            b"\xFF\xFF\xFF\xFF",
        ] {
            let got = lookup(&t, text);
            // "12=3" is the two-digit tag 12; nothing else matches.
            let want = (text == b"12=3").then_some((12, 3));
            assert_eq!(got, want, "{text:?}");
        }
        // Every slot's empty word misses in its own slot.
        let empty = DataTags::empty();
        for (slot, e) in empty.tables.short.iter().enumerate() {
            if e.skip == 0 {
                assert_ne!(short_tag_slot(e.word), slot, "slot {slot}");
            }
        }
    }
}
