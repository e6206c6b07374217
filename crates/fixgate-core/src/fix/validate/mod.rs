//! Validation of a message against its dictionaries, with the SessionRejectReason
//! (373) and RefTagID (371) that QuickFIX would report.
//!
//! The checks and their precedence follow QuickFIX's `DataDictionary::validate`,
//! so that a counterparty (and QuickFIX's acceptance suite) gets the same Reject
//! from fixgate as from QuickFIX:
//!
//! 1. BeginString equals the dictionary's ([`ValidationError::UnsupportedVersion`]);
//! 2. header, body and trailer in order (14, the first misplaced tag);
//! 3. MsgType defined (11);
//! 4. required fields present: header, trailer, body, then every group entry,
//!    each in ascending tag order (1);
//! 5. header, then trailer, then body, each field in the order QuickFIX sorts
//!    them (header 8, 9, 35 first; body by tag; group entries in dictionary
//!    order): repeated tag (13), no value (4), data format (6), enumerated value
//!    (5), known tag (0), tag defined for the message (2), NumInGroup count (16);
//!    then the fields of each group's entries the same way.
//!
//! Validation never allocates: QuickFIX's sorted iteration is reproduced by
//! picking, among the failing fields of a map, the one that sorts first.

mod reject;
mod walk;

pub use reject::{SessionRejectReason, ValidationError};

use self::walk::{Section, Walk, MAX_DEPTH};
use super::dictionary::{Dictionary, Layout, Member};
use super::message::Message;
use super::tag::Tag;
use super::value::parse_int;

/// Validation switches, named after QuickFIX's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ValidationOptions {
    /// `ValidateFieldsOutOfOrder`: header fields after body fields are rejected.
    pub check_fields_out_of_order: bool,
    /// `ValidateFieldsHaveValues`: empty values are rejected.
    pub check_fields_have_values: bool,
    /// `ValidateUserDefinedFields`: tags 5000 and up must be in the dictionary.
    pub check_user_defined_fields: bool,
    /// `AllowUnknownMsgFields`: standard tags unknown to the message are accepted.
    pub allow_unknown_message_fields: bool,
}

impl Default for ValidationOptions {
    fn default() -> Self {
        ValidationOptions {
            check_fields_out_of_order: true,
            check_fields_have_values: true,
            check_user_defined_fields: true,
            allow_unknown_message_fields: false,
        }
    }
}

/// The first tag of the user-defined range.
const USER_MIN: u32 = 5000;

/// Validates messages against a session (transport) and an application dictionary.
///
/// For FIX 4.x both are the same dictionary ([`Validator::new`]). For FIXT 1.1 the
/// transport dictionary describes header, trailer and admin messages, the
/// application dictionary the rest ([`Validator::fixt`]).
#[derive(Clone, Copy, Debug)]
pub struct Validator<'d> {
    session: &'d Dictionary,
    app: &'d Dictionary,
    options: ValidationOptions,
}

/// How a map's fields sort in QuickFIX's iteration.
#[derive(Clone, Copy)]
enum Order<'l> {
    Header,
    Trailer,
    Body,
    Group(&'l Layout),
}

impl Order<'_> {
    fn key(self, tag: Tag) -> u64 {
        let t = tag.0 as u64;
        match self {
            Order::Header => match tag.0 {
                8 => 0,
                9 => 1,
                35 => 2,
                _ => t + 3,
            },
            Order::Trailer => match tag.0 {
                93 => 0,
                89 => 1,
                10 => u64::MAX,
                _ => t + 2,
            },
            Order::Body => t,
            Order::Group(l) => l.position(tag).map_or(1 << 33 | t, u64::from),
        }
    }
}

/// A map of fields: a top-level section or one group entry.
#[derive(Clone, Copy)]
struct Map<'l> {
    start: usize,
    end: usize,
    /// For a top-level map, the section whose fields it holds.
    section: Option<Section>,
    layout: Option<&'l Layout>,
    dict: &'l Dictionary,
    order: Order<'l>,
    depth: u8,
}

impl<'d> Validator<'d> {
    /// A validator for FIX 4.x, where one dictionary describes everything.
    pub fn new(dict: &'d Dictionary) -> Self {
        Validator {
            session: dict,
            app: dict,
            options: ValidationOptions::default(),
        }
    }

    /// A validator for FIXT 1.1: `transport` (FIXT11.xml) and `app` (e.g. FIX50SP2.xml).
    pub fn fixt(transport: &'d Dictionary, app: &'d Dictionary) -> Self {
        Validator {
            session: transport,
            app,
            options: ValidationOptions::default(),
        }
    }

    /// The same validator with other options.
    pub fn with_options(mut self, options: ValidationOptions) -> Self {
        self.options = options;
        self
    }

    /// The options in force.
    pub fn options(&self) -> ValidationOptions {
        self.options
    }

    /// Validates `msg`.
    ///
    /// # Errors
    /// The first problem QuickFIX would report, as a [`ValidationError`].
    pub fn validate(&self, msg: &Message<'_>) -> Result<(), ValidationError> {
        if msg.begin_string() != Some(self.session.begin_string().as_bytes()) {
            return Err(ValidationError::UnsupportedVersion);
        }
        let msg_type = msg.msg_type();
        // FIXT: admin messages are described by the transport dictionary.
        let app = match msg_type {
            Some(t) if self.session.message(t).is_some() => self.session,
            _ => self.app,
        };
        let def = msg_type.and_then(|t| app.message(t));
        let mut walk = Walk {
            fields: msg.field_refs(),
            session: self.session,
            app,
            body: def.map(|d| &d.layout),
            top: None,
        };
        let mut cache = [(Section::Body, 0u32); 256];
        if walk.fill_top_cache(&mut cache) {
            walk.top = Some(&cache[..]);
        }
        if self.options.check_fields_out_of_order {
            if let Some(tag) = walk.first_out_of_order() {
                return Err(ValidationError::reject(
                    SessionRejectReason::TAG_OUT_OF_ORDER,
                    tag,
                ));
            }
        }
        let Some(_) = def else {
            return Err(ValidationError::Reject {
                reason: SessionRejectReason::INVALID_MSG_TYPE,
                ref_tag: None,
            });
        };
        let n = msg.len();
        let top = |section, order| {
            let (dict, layout) = walk.section_scope(section);
            Map {
                start: 0,
                end: n,
                section: Some(section),
                layout,
                dict,
                order,
                depth: 0,
            }
        };
        let header = top(Section::Header, Order::Header);
        let trailer = top(Section::Trailer, Order::Trailer);
        let body = top(Section::Body, Order::Body);
        for map in [header, trailer, body] {
            self.check_required(&walk, map)?;
        }
        for map in [header, trailer, body] {
            self.check_map(&walk, msg, map)?;
        }
        Ok(())
    }

    /// Calls `f(index, next)` for each direct field of `map` (skipping the members
    /// of its groups, which `next` jumps over).
    fn for_each_direct<E>(
        &self,
        walk: &Walk<'_>,
        map: Map<'_>,
        mut f: impl FnMut(usize, usize) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut i = map.start;
        while i < map.end {
            let (in_map, next) = match map.section {
                Some(s) => {
                    let (fs, next) = walk.top_next(i);
                    (fs == s, next)
                }
                None => {
                    let next = map
                        .layout
                        .map_or(i + 1, |l| walk.member_next(i, l, map.dict, map.depth));
                    (true, next)
                }
            };
            if in_map {
                f(i, next)?;
            }
            i = next;
        }
        Ok(())
    }

    /// Required fields of `map`, then of each entry of its groups.
    fn check_required(&self, walk: &Walk<'_>, map: Map<'_>) -> Result<(), ValidationError> {
        let Some(layout) = map.layout else {
            return Ok(());
        };
        let required = layout.required();
        if !required.is_empty() {
            // One pass over the map: mark which required tags are present (a bit
            // per position in the ascending required list; longer lists, rare,
            // fall back to one scan per tag).
            let mut seen: u128 = 0;
            let mut missing_any = false;
            if required.len() <= 128 {
                self.for_each_direct(walk, map, |i, _| {
                    if let Ok(k) = required.binary_search(&walk.fields[i].tag) {
                        seen |= 1 << k;
                    }
                    Ok::<(), ()>(())
                })
                .ok();
                missing_any = seen.count_ones() as usize != required.len();
            }
            for (k, &tag) in required.iter().enumerate() {
                let present = if k < 128 && required.len() <= 128 {
                    if !missing_any {
                        break;
                    }
                    seen & (1 << k) != 0
                } else {
                    let mut found = false;
                    self.for_each_direct(walk, map, |i, _| {
                        found |= walk.fields[i].tag == tag;
                        Ok::<(), ()>(())
                    })
                    .ok();
                    found
                };
                if !present {
                    return Err(ValidationError::reject(
                        SessionRejectReason::REQUIRED_TAG_MISSING,
                        tag,
                    ));
                }
            }
        }
        self.for_each_group(walk, map, |entry| self.check_required(walk, entry))
    }

    /// Calls `f` for every entry of every group of `map`, groups in ascending
    /// NumInGroup tag order (QuickFIX's group map order).
    fn for_each_group(
        &self,
        walk: &Walk<'_>,
        map: Map<'_>,
        mut f: impl FnMut(Map<'_>) -> Result<(), ValidationError>,
    ) -> Result<(), ValidationError> {
        let Some(layout) = map.layout else {
            return Ok(());
        };
        if map.depth >= MAX_DEPTH {
            return Ok(());
        }
        let mut last: Option<Tag> = None;
        loop {
            // The smallest NumInGroup tag above `last` present in the map.
            let mut next_count: Option<(Tag, u32)> = None;
            self.for_each_direct(walk, map, |i, _| {
                let tag = walk.fields[i].tag;
                if let Some(Member::Group { group, .. }) = layout.member(tag) {
                    if last.is_none_or(|l| tag > l) && next_count.is_none_or(|(t, _)| tag < t) {
                        next_count = Some((tag, group));
                    }
                }
                Ok::<(), ()>(())
            })
            .ok();
            let Some((count_tag, group)) = next_count else {
                return Ok(());
            };
            last = Some(count_tag);
            let g = map.dict.group(group);
            let mut result = Ok(());
            self.for_each_direct(walk, map, |i, _| {
                if walk.fields[i].tag != count_tag || result.is_err() {
                    return Ok::<(), ()>(());
                }
                let (end, _) = walk.group_extent(i, g, map.dict, map.depth + 1);
                let mut s = i + 1;
                while s < end && result.is_ok() {
                    let e = walk.entry_end(s, g, map.dict, map.depth + 1);
                    result = f(Map {
                        start: s,
                        end: e,
                        section: None,
                        layout: Some(&g.layout),
                        dict: map.dict,
                        order: Order::Group(&g.layout),
                        depth: map.depth + 1,
                    });
                    s = e;
                }
                Ok(())
            })
            .ok();
            result?;
        }
    }

    /// Field-level checks of `map` (the failing field that sorts first wins),
    /// then the entries of its groups.
    fn check_map(
        &self,
        walk: &Walk<'_>,
        msg: &Message<'_>,
        map: Map<'_>,
    ) -> Result<(), ValidationError> {
        let mut worst: Option<(u64, usize, ValidationError)> = None;
        let mut seen = SeenTags::default();
        self.for_each_direct(walk, map, |i, _| {
            let tag = walk.fields[i].tag;
            let repeated = seen.insert(tag, || {
                let mut count = 0;
                self.for_each_direct(walk, map, |j, _| {
                    count += usize::from(j < i && walk.fields[j].tag == tag);
                    Ok::<(), ()>(())
                })
                .ok();
                count > 0
            });
            let error = if repeated {
                Some(ValidationError::reject(
                    SessionRejectReason::TAG_APPEARS_MORE_THAN_ONCE,
                    tag,
                ))
            } else {
                self.field_error(walk, msg, map, i)
            };
            if let Some(e) = error {
                let key = map.order.key(tag);
                if worst.as_ref().is_none_or(|(k, j, _)| (key, i) < (*k, *j)) {
                    worst = Some((key, i, e));
                }
            }
            Ok::<(), ()>(())
        })
        .ok();
        if let Some((_, _, e)) = worst {
            return Err(e);
        }
        self.for_each_group(walk, map, |entry| self.check_map(walk, msg, entry))
    }

    fn should_check_tag(&self, tag: Tag) -> bool {
        let user = tag.0 >= USER_MIN && tag.is_valid_number();
        if self.options.allow_unknown_message_fields && !user {
            return false;
        }
        !user || self.options.check_user_defined_fields
    }

    /// The checks QuickFIX runs on one field, in its order.
    fn field_error(
        &self,
        walk: &Walk<'_>,
        msg: &Message<'_>,
        map: Map<'_>,
        i: usize,
    ) -> Option<ValidationError> {
        let f = walk.fields[i];
        let tag = f.tag;
        let value = msg.value_of(&f);
        let reject = |reason| Some(ValidationError::reject(reason, tag));
        if value.is_empty() && self.options.check_fields_have_values {
            return reject(SessionRejectReason::TAG_WITHOUT_VALUE);
        }
        let def = map.dict.field(tag);
        if let Some(def) = def {
            if !def.ty.accepts(value) {
                return reject(SessionRejectReason::INCORRECT_DATA_FORMAT);
            }
            if !def.allows(value) {
                return reject(SessionRejectReason::VALUE_OUT_OF_RANGE);
            }
        }
        if !self.should_check_tag(tag) {
            return None;
        }
        if def.is_none() {
            return reject(SessionRejectReason::INVALID_TAG_NUMBER);
        }
        if matches!(map.section, Some(Section::Header | Section::Trailer)) {
            return None;
        }
        let layout = map.layout?;
        match layout.member(tag) {
            None => reject(SessionRejectReason::TAG_NOT_DEFINED_FOR_MESSAGE),
            Some(Member::Group { group, .. }) if map.depth < MAX_DEPTH => {
                let (_, entries) =
                    walk.group_extent(i, map.dict.group(group), map.dict, map.depth + 1);
                if parse_int(value).ok() != Some(i64::from(entries)) {
                    reject(SessionRejectReason::INCORRECT_NUM_IN_GROUP)
                } else {
                    None
                }
            }
            Some(_) => None,
        }
    }
}

/// Tags seen among a map's direct fields: a bit set for tags below 1024, and a
/// caller-supplied re-scan for the rest.
#[derive(Default)]
struct SeenTags {
    low: [u64; 16],
}

impl SeenTags {
    /// Records `tag`; true when it was seen before.
    fn insert(&mut self, tag: Tag, rescan: impl FnOnce() -> bool) -> bool {
        if tag.0 < 1024 {
            let (w, b) = ((tag.0 >> 6) as usize, tag.0 & 63);
            let seen = self.low[w] & (1 << b) != 0;
            self.low[w] |= 1 << b;
            seen
        } else {
            rescan()
        }
    }
}
