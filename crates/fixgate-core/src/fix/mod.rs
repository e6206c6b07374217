//! The FIX tag=value codec: FIX 4.2, 4.4 and FIXT 1.1 / 5.0SP2.
//!
//! | concern | module |
//! |---|---|
//! | framing a byte stream, BodyLength, CheckSum | [`frame`], [`framer`], [`checksum`] |
//! | zero-copy messages and their field index | [`message`], [`index`], [`field`] |
//! | typed values (ints, exact prices, timestamps) | [`value`] |
//! | tags and message types (open newtypes) | [`tag`], [`msg_type`] |
//! | length-prefixed data fields | [`data_tags`] |
//!
//! Decoding is two steps: the [`Framer`] (or [`check_frame`] on a slice) finds a
//! whole, checksummed message; a [`FieldIndex`] indexes its fields without
//! allocating and hands out a [`Message`] view with typed accessors.

pub mod checksum;
pub mod data_tags;
pub mod dictionary;
pub mod encode;
pub mod field;
pub mod frame;
pub mod framer;
pub mod group;
pub mod index;
mod index_fast;
pub mod message;
pub mod msg_type;
pub mod tag;
pub mod validate;
pub mod value;

pub use checksum::checksum;
pub use data_tags::DataTags;
pub use dictionary::{Dictionary, DictionaryError};
pub use field::{Field, FieldRef};
pub use frame::{check_frame, FrameError, FrameLayout, FrameStatus, SOH};
pub use framer::{FrameItem, Framer, FramerStats};
pub use group::{FieldMap, Group, GroupError};
pub use index::{index_fields, index_frame_fields, IndexError};
pub use message::{FieldError, FieldIndex, Message};
pub use msg_type::MsgType;
pub use tag::Tag;
pub use validate::{SessionRejectReason, ValidationError, ValidationOptions, Validator};
pub use value::ValueError;
