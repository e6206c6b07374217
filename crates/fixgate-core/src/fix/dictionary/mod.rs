//! FIX dictionaries in QuickFIX's XML format: what fields exist, their types and
//! enumerated values, what each message carries, and how repeating groups nest.
//!
//! Supported: the `<header>`, `<trailer>`, `<messages>`, `<components>` and
//! `<fields>` sections of QuickFIX's FIX42/FIX44/FIXT11/FIX50SP2 files and of
//! fixgate's own `specs/` dictionary; components nested to any depth; groups
//! nested to any depth. Not used: field descriptions beyond the enum values.

mod builtin;
mod field_type;
mod model;
mod xml;

pub use builtin::{fixgate44, FIXGATE44_XML};
pub use field_type::FieldType;
pub use model::{Dictionary, DictionaryError, FieldDef, GroupDef, Layout, Member, MessageDef};
