//! Walking a message's structure with a dictionary: which top-level section a
//! field belongs to, where repeating groups and their entries end.
//!
//! Entry boundaries follow QuickFIX's parser exactly, because the NumInGroup
//! count check depends on them: an entry starts at the delimiter, or at any
//! member when no entry is open yet, or at a member already present in the open
//! entry; the group ends at the first field that is not a member.

use crate::fix::dictionary::{Dictionary, GroupDef, Layout, Member};
use crate::fix::field::FieldRef;
use crate::fix::tag::Tag;

/// Groups nest at most this deep; deeper nesting is treated as plain fields.
pub(super) const MAX_DEPTH: u8 = 16;

/// The part of the message a top-level field belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Section {
    Header,
    Body,
    Trailer,
}

/// Header tags QuickFIX knows without a dictionary (its `Message::isHeaderField`).
const STANDARD_HEADER: &[u32] = &[
    8, 9, 35, 49, 56, 115, 128, 90, 91, 34, 50, 142, 57, 143, 116, 144, 129, 145, 43, 97, 52, 122,
    212, 213, 347, 369, 370, 627, 628, 629, 630, 1128, 1129, 1156,
];
/// Trailer tags QuickFIX knows without a dictionary.
const STANDARD_TRAILER: &[u32] = &[93, 89, 10];

/// A message's fields with the dictionaries that describe them.
pub(super) struct Walk<'a> {
    pub fields: &'a [FieldRef],
    pub session: &'a Dictionary,
    pub app: &'a Dictionary,
    /// The body layout, when the MsgType is known.
    pub body: Option<&'a Layout>,
}

impl<'a> Walk<'a> {
    pub fn section(&self, tag: Tag) -> Section {
        if self.session.header().contains(tag) || STANDARD_HEADER.contains(&tag.0) {
            Section::Header
        } else if self.session.trailer().contains(tag) || STANDARD_TRAILER.contains(&tag.0) {
            Section::Trailer
        } else {
            Section::Body
        }
    }

    /// The dictionary and layout that own a section's fields and groups.
    pub fn section_scope(&self, s: Section) -> (&'a Dictionary, Option<&'a Layout>) {
        match s {
            Section::Header => (self.session, Some(self.session.header())),
            Section::Trailer => (self.session, Some(self.session.trailer())),
            Section::Body => (self.app, self.body),
        }
    }

    /// The index after top-level field `i`, past its group when it is a NumInGroup.
    pub fn top_next(&self, i: usize) -> (Section, usize) {
        let s = self.section(self.fields[i].tag);
        let (dict, layout) = self.section_scope(s);
        let next = layout.map_or(i + 1, |l| self.member_next(i, l, dict, 0));
        (s, next)
    }

    /// The index after field `i` of a map with `layout`, past its whole group when
    /// it is one of the layout's NumInGroup fields.
    pub fn member_next(&self, i: usize, layout: &Layout, dict: &Dictionary, depth: u8) -> usize {
        match layout.member(self.fields[i].tag) {
            Some(Member::Group { group, .. }) if depth < MAX_DEPTH => {
                self.group_extent(i, dict.group(group), dict, depth + 1).0
            }
            _ => i + 1,
        }
    }

    /// `(end, entries)` of the group whose NumInGroup field is at `count_at`.
    pub fn group_extent(
        &self,
        count_at: usize,
        g: &GroupDef,
        dict: &Dictionary,
        depth: u8,
    ) -> (usize, u32) {
        let mut i = count_at + 1;
        let mut entries = 0;
        while i < self.fields.len() && g.layout.contains(self.fields[i].tag) {
            i = self.entry_end(i, g, dict, depth);
            entries += 1;
        }
        (i, entries)
    }

    /// End (exclusive) of the group entry that starts at `start`.
    pub fn entry_end(&self, start: usize, g: &GroupDef, dict: &Dictionary, depth: u8) -> usize {
        let mut i = self.member_next(start, &g.layout, dict, depth);
        while i < self.fields.len() {
            let tag = self.fields[i].tag;
            if tag == g.delimiter
                || !g.layout.contains(tag)
                || self.fields[start..i].iter().any(|f| f.tag == tag)
            {
                break;
            }
            i = self.member_next(i, &g.layout, dict, depth);
        }
        i
    }

    /// The first header field after the body started, or body field after the
    /// trailer started (QuickFIX's "Tag specified out of required order").
    pub fn first_out_of_order(&self) -> Option<Tag> {
        let mut state = Section::Header;
        let mut i = 0;
        while i < self.fields.len() {
            let (s, next) = self.top_next(i);
            let misplaced = match s {
                Section::Header => state != Section::Header,
                Section::Body => state == Section::Trailer,
                Section::Trailer => false,
            };
            if misplaced {
                return Some(self.fields[i].tag);
            }
            if s != Section::Header {
                state = s;
            }
            i = next;
        }
        None
    }
}
