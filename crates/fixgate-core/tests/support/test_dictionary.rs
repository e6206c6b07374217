//! The test dictionaries the property tests generate messages against: the
//! built-in `fixgate44()`, and two small dictionaries with nested repeating
//! groups and data fields, in QuickFIX's XML format next to this module
//! (`nested.xml`, `small_nested.xml`).

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use std::sync::LazyLock;

use fixgate_core::fix::dictionary::{fixgate44, Dictionary};

/// The built-in FIX 4.4 dictionary.
pub static FIXGATE44: LazyLock<Dictionary> = LazyLock::new(fixgate44);

/// The dictionary of `NESTED_XML`, for the round-trip properties.
pub static NESTED: LazyLock<Dictionary> =
    LazyLock::new(|| Dictionary::from_xml(NESTED_XML).expect("the test dictionary loads"));

/// The dictionary of `SMALL_NESTED_XML`, for the malformed-input properties.
pub static SMALL_NESTED: LazyLock<Dictionary> =
    LazyLock::new(|| Dictionary::from_xml(SMALL_NESTED_XML).expect("the test dictionary loads"));

/// A test dictionary: three levels of nested groups (NoOrders → NoFills →
/// NoNotes), a group after which its parent entry goes on (FillQty), a data
/// field in a third-level entry (6022/6023), and every value type.
pub const NESTED_XML: &str = include_str!("nested.xml");

/// A smaller test dictionary with three levels of nested groups and data
/// fields: no components, only the required header fields, a STRING field with
/// enumerated values (FillKind) and a message with a required INT (Quote).
pub const SMALL_NESTED_XML: &str = include_str!("small_nested.xml");
