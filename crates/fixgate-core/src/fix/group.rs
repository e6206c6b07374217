//! Repeating groups, driven by the dictionary, nested to any depth.
//!
//! A [`FieldMap`] is a message body or one group entry; [`FieldMap::group`] gives
//! the [`Group`] behind a NumInGroup field, whose entries are again `FieldMap`s.
//! Everything borrows the message and its field index: no allocation.
//!
//! Entry boundaries follow QuickFIX's parser, so that counts agree with it: an
//! entry starts at the delimiter (the group's first field), or at any member when
//! no entry is open yet, or at a member already present in the open entry; the
//! group ends at the first field that is not a member. A zero count with no
//! entries is a valid empty group; a count that differs from the entries found
//! is reported by [`Group::check_count`] (SessionRejectReason 16).

use super::dictionary::{Dictionary, GroupDef, Layout, Member};
use super::field::{Field, FieldRef};
use super::message::Message;
use super::tag::Tag;
use super::value::parse_uint;

/// Groups nest at most this deep; deeper NumInGroup fields read as plain fields.
pub const MAX_GROUP_DEPTH: u8 = 16;

/// Why a group cannot be read.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GroupError {
    /// The tag is not a NumInGroup field of this map's layout.
    #[error("tag {tag} is not a repeating group here")]
    NotAGroup {
        /// The tag asked for.
        tag: Tag,
    },
    /// The NumInGroup field is absent.
    #[error("group {tag} missing")]
    Missing {
        /// The NumInGroup tag.
        tag: Tag,
    },
    /// The NumInGroup value is not a number.
    #[error("group {tag} count is not a number")]
    BadCount {
        /// The NumInGroup tag.
        tag: Tag,
    },
    /// The NumInGroup value differs from the entries present.
    #[error("group {tag} declares {declared} entries, {found} present")]
    CountMismatch {
        /// The NumInGroup tag.
        tag: Tag,
        /// The count on the wire.
        declared: u64,
        /// Entries found.
        found: u32,
    },
}

/// The index after field `i` of a map with `layout`, past its whole group when it
/// is one of the layout's NumInGroup fields.
pub(crate) fn member_next(
    fields: &[FieldRef],
    i: usize,
    layout: &Layout,
    dict: &Dictionary,
    depth: u8,
) -> usize {
    match layout.member(fields[i].tag) {
        Some(Member::Group { group, .. }) if depth < MAX_GROUP_DEPTH => {
            group_extent(fields, i, dict.group(group), dict, depth + 1).0
        }
        _ => i + 1,
    }
}

/// `(end, entries)` of the group whose NumInGroup field is at `count_at`.
pub(crate) fn group_extent(
    fields: &[FieldRef],
    count_at: usize,
    g: &GroupDef,
    dict: &Dictionary,
    depth: u8,
) -> (usize, u32) {
    let mut i = count_at + 1;
    let mut entries = 0;
    while i < fields.len() && g.layout.contains(fields[i].tag) {
        i = entry_end(fields, i, g, dict, depth);
        entries += 1;
    }
    (i, entries)
}

/// End (exclusive) of the group entry that starts at `start`.
pub(crate) fn entry_end(
    fields: &[FieldRef],
    start: usize,
    g: &GroupDef,
    dict: &Dictionary,
    depth: u8,
) -> usize {
    let mut i = member_next(fields, start, &g.layout, dict, depth);
    while i < fields.len() {
        let tag = fields[i].tag;
        if tag == g.delimiter
            || !g.layout.contains(tag)
            || fields[start..i].iter().any(|f| f.tag == tag)
        {
            break;
        }
        i = member_next(fields, i, &g.layout, dict, depth);
    }
    i
}

/// A message body or one group entry: its direct fields and its groups.
#[derive(Clone, Copy, Debug)]
pub struct FieldMap<'m, 'd> {
    msg: Message<'m>,
    dict: &'d Dictionary,
    layout: &'d Layout,
    start: usize,
    end: usize,
    depth: u8,
}

impl<'m, 'd> FieldMap<'m, 'd> {
    /// The body of `msg` under its MsgType's layout in `dict` (`None` for a
    /// MsgType the dictionary does not define). Header and trailer fields are
    /// direct fields of the body map too.
    pub fn body(msg: Message<'m>, dict: &'d Dictionary) -> Option<Self> {
        let def = dict.message(msg.msg_type()?)?;
        Some(FieldMap {
            msg,
            dict,
            layout: &def.layout,
            start: 0,
            end: msg.len(),
            depth: 0,
        })
    }

    /// The layout describing this map.
    pub fn layout(&self) -> &'d Layout {
        self.layout
    }

    /// Index range of this map's fields in the message's field index.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start..self.end
    }

    /// The direct fields (a group's NumInGroup field, not its members), in wire order.
    pub fn fields(&self) -> impl Iterator<Item = Field<'m>> + '_ {
        let refs = self.msg.field_refs();
        let mut i = self.start;
        std::iter::from_fn(move || {
            if i >= self.end {
                return None;
            }
            let at = i;
            i = member_next(refs, i, self.layout, self.dict, self.depth);
            self.msg.field(at)
        })
    }

    /// The first direct field with `tag`.
    pub fn find(&self, tag: Tag) -> Option<Field<'m>> {
        self.fields().find(|f| f.tag == tag)
    }

    /// The group introduced by NumInGroup `count_tag`.
    ///
    /// # Errors
    /// [`GroupError::NotAGroup`], [`GroupError::Missing`], [`GroupError::BadCount`].
    pub fn group(&self, count_tag: Tag) -> Result<Group<'m, 'd>, GroupError> {
        let Some(Member::Group { group, .. }) = self.layout.member(count_tag) else {
            return Err(GroupError::NotAGroup { tag: count_tag });
        };
        if self.depth >= MAX_GROUP_DEPTH {
            return Err(GroupError::NotAGroup { tag: count_tag });
        }
        let refs = self.msg.field_refs();
        let mut i = self.start;
        while i < self.end {
            if refs[i].tag == count_tag {
                let def = self.dict.group(group);
                let declared = parse_uint(self.msg.value_of(&refs[i]))
                    .map_err(|_| GroupError::BadCount { tag: count_tag })?;
                let (end, found) = group_extent(refs, i, def, self.dict, self.depth + 1);
                return Ok(Group {
                    parent: *self,
                    def,
                    count_at: i,
                    end,
                    declared,
                    found,
                });
            }
            i = member_next(refs, i, self.layout, self.dict, self.depth);
        }
        Err(GroupError::Missing { tag: count_tag })
    }
}

/// A repeating group of a [`FieldMap`].
#[derive(Clone, Copy, Debug)]
pub struct Group<'m, 'd> {
    parent: FieldMap<'m, 'd>,
    def: &'d GroupDef,
    count_at: usize,
    end: usize,
    declared: u64,
    found: u32,
}

impl<'m, 'd> Group<'m, 'd> {
    /// The NumInGroup value on the wire.
    pub fn declared(&self) -> u64 {
        self.declared
    }

    /// The entries present.
    pub fn len(&self) -> usize {
        self.found as usize
    }

    /// Whether no entries are present.
    pub fn is_empty(&self) -> bool {
        self.found == 0
    }

    /// Index range in the message's field index: the NumInGroup field and every
    /// entry.
    pub fn range(&self) -> std::ops::Range<usize> {
        self.count_at..self.end
    }

    /// Whether the count on the wire matches the entries present.
    ///
    /// # Errors
    /// [`GroupError::CountMismatch`].
    pub fn check_count(&self) -> Result<(), GroupError> {
        if self.declared == u64::from(self.found) {
            Ok(())
        } else {
            Err(GroupError::CountMismatch {
                tag: self.def.count_tag,
                declared: self.declared,
                found: self.found,
            })
        }
    }

    /// The entries, in order.
    pub fn entries(&self) -> impl Iterator<Item = FieldMap<'m, 'd>> + '_ {
        let refs = self.parent.msg.field_refs();
        let mut s = self.count_at + 1;
        let depth = self.parent.depth + 1;
        std::iter::from_fn(move || {
            if s >= self.end {
                return None;
            }
            let e = entry_end(refs, s, self.def, self.parent.dict, depth);
            let entry = FieldMap {
                msg: self.parent.msg,
                dict: self.parent.dict,
                layout: &self.def.layout,
                start: s,
                end: e,
                depth,
            };
            s = e;
            Some(entry)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::dictionary::fixgate44;
    use crate::fix::encode::Encoder;
    use crate::fix::{FieldIndex, MsgType};

    fn snapshot(entries: &[(u8, &str)], declared: u64) -> Vec<u8> {
        let mut buf = vec![0u8; 4096];
        let mut e = Encoder::new(&mut buf, b"FIX.4.4", MsgType::MARKET_DATA_SNAPSHOT);
        e.uint(Tag(34), 2);
        e.field(Tag(49), b"A");
        e.field(Tag(52), b"20260316-14:30:00.000");
        e.field(Tag(56), b"B");
        e.field(Tag(55), b"GPUH6");
        e.uint(Tag(268), declared);
        for (side, px) in entries {
            e.char(Tag(269), *side);
            e.field(Tag(270), px.as_bytes());
            e.uint(Tag(271), 5);
        }
        e.finish().unwrap().to_vec()
    }

    #[test]
    fn reads_entries_and_counts() {
        let d = fixgate44();
        let bytes = snapshot(&[(b'0', "2.10"), (b'1', "2.15")], 2);
        let mut ix = FieldIndex::<64>::new();
        let msg = ix.index(&bytes).unwrap();
        let body = FieldMap::body(msg, &d).unwrap();
        assert_eq!(body.find(Tag(55)).unwrap().value, b"GPUH6");
        assert!(
            body.find(Tag(270)).is_none(),
            "group members are not direct fields"
        );
        let g = body.group(Tag(268)).unwrap();
        assert_eq!((g.declared(), g.len()), (2, 2));
        g.check_count().unwrap();
        let px: Vec<_> = g
            .entries()
            .map(|e| e.find(Tag(270)).unwrap().value.to_vec())
            .collect();
        assert_eq!(px, vec![b"2.10".to_vec(), b"2.15".to_vec()]);
        assert_eq!(
            body.group(Tag(55)).unwrap_err(),
            GroupError::NotAGroup { tag: Tag(55) }
        );
        assert_eq!(
            body.group(Tag(146)).unwrap_err(),
            GroupError::NotAGroup { tag: Tag(146) }
        );
    }

    #[test]
    fn zero_entries_and_mismatches() {
        let d = fixgate44();
        let bytes = snapshot(&[], 0);
        let mut ix = FieldIndex::<64>::new();
        let msg = ix.index(&bytes).unwrap();
        let g = FieldMap::body(msg, &d).unwrap().group(Tag(268)).unwrap();
        assert!(g.is_empty());
        g.check_count().unwrap();
        let bytes = snapshot(&[(b'0', "1")], 3);
        let msg = ix.index(&bytes).unwrap();
        let g = FieldMap::body(msg, &d).unwrap().group(Tag(268)).unwrap();
        assert_eq!(
            g.check_count(),
            Err(GroupError::CountMismatch {
                tag: Tag(268),
                declared: 3,
                found: 1
            })
        );
    }
}
