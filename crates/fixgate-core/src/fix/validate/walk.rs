//! Walking a message's structure with its dictionaries: which top-level section
//! (header, body, trailer) a field belongs to; group and entry boundaries come
//! from [`crate::fix::group`].

use crate::fix::dictionary::{Dictionary, GroupDef, Layout};
use crate::fix::field::FieldRef;
use crate::fix::group;
use crate::fix::tag::Tag;

pub(super) use crate::fix::group::MAX_GROUP_DEPTH as MAX_DEPTH;

/// The part of the message a top-level field belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Section {
    Header,
    Body,
    Trailer,
}

/// A message's fields with the dictionaries that describe them.
pub(super) struct Walk<'a> {
    pub fields: &'a [FieldRef],
    pub session: &'a Dictionary,
    pub app: &'a Dictionary,
    /// The body layout, when the MsgType is known.
    pub body: Option<&'a Layout>,
    /// Section and successor of each top-level field, when computed.
    pub top: Option<&'a [(Section, u32)]>,
}

impl<'a> Walk<'a> {
    pub fn section(&self, tag: Tag) -> Section {
        if tag.is_standard_header() || self.session.header().contains(tag) {
            Section::Header
        } else if tag.is_standard_trailer() || self.session.trailer().contains(tag) {
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
        // Cached entries exist for top-level positions only (next > i).
        if let Some(&(s, next)) = self
            .top
            .and_then(|t| t.get(i))
            .filter(|(_, n)| *n as usize > i)
        {
            return (s, next as usize);
        }
        self.top_next_uncached(i)
    }

    /// Fills `cache` with the section and successor of every top-level field
    /// (validation walks the top level about ten times; this makes each walk
    /// array reads). Returns false when the message has too many fields.
    pub fn fill_top_cache(&self, cache: &mut [(Section, u32)]) -> bool {
        if self.fields.len() > cache.len() {
            return false;
        }
        let mut i = 0;
        while i < self.fields.len() {
            let (s, next) = self.top_next_uncached(i);
            cache[i] = (s, next as u32);
            i = next;
        }
        true
    }

    fn top_next_uncached(&self, i: usize) -> (Section, usize) {
        let s = self.section(self.fields[i].tag);
        let (dict, layout) = self.section_scope(s);
        let next = layout.map_or(i + 1, |l| self.member_next(i, l, dict, 0));
        (s, next)
    }

    /// See [`group::member_next`].
    pub fn member_next(&self, i: usize, layout: &Layout, dict: &Dictionary, depth: u8) -> usize {
        group::member_next(self.fields, i, layout, dict, depth)
    }

    /// See [`group::group_extent`].
    pub fn group_extent(
        &self,
        count_at: usize,
        g: &GroupDef,
        dict: &Dictionary,
        depth: u8,
    ) -> (usize, u32) {
        group::group_extent(self.fields, count_at, g, dict, depth)
    }

    /// See [`group::entry_end`].
    pub fn entry_end(&self, start: usize, g: &GroupDef, dict: &Dictionary, depth: u8) -> usize {
        group::entry_end(self.fields, start, g, dict, depth)
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
