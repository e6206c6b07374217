//! The loader's limits on hostile dictionaries: exponential component
//! expansion, deep XML nesting, data tags the indexer cannot hold, cycles.

use super::*;

/// A dictionary whose message includes `C0`, each of `n` components including
/// the next `fan` times, the last one field.
fn chain(n: usize, fan: usize) -> String {
    let mut x = String::from(
        r#"<fix><messages><message name="M" msgtype="X"><component name="C0" required="Y"/></message></messages><components>"#,
    );
    for i in 0..n - 1 {
        x += &format!(r#"<component name="C{i}">"#);
        for _ in 0..fan {
            x += &format!(r#"<component name="C{}" required="Y"/>"#, i + 1);
        }
        x += "</component>";
    }
    x += &format!(
        r#"<component name="C{}"><field name="F" required="Y"/></component></components><fields><field number="1" name="F" type="INT"/></fields></fix>"#,
        n - 1
    );
    x
}

#[test]
fn components_that_expand_exponentially_are_refused() {
    // Found while writing the `fix_dictionary_xml` fuzz target (by reading the
    // loader): 30 components that each include the next twice took 2^30 steps
    // (no cycle, so the depth limit of 32 never fired).
    let small = load_str(&chain(10, 2)).unwrap();
    let m = small.message(MsgType::from_bytes(b"X").unwrap()).unwrap();
    assert_eq!(m.layout.members().len(), 1);
    assert_eq!(m.layout.required(), &[Tag(1)]);
    assert_eq!(
        load_str(&chain(30, 2)).unwrap_err(),
        DictionaryError::TooLarge {
            limit: MAX_EXPANDED_MEMBERS
        }
    );
}

#[test]
fn cycles_are_refused() {
    let xml = r#"<fix><messages><message name="M" msgtype="X"><component name="A"/></message></messages>
        <components><component name="A"><component name="B"/></component>
        <component name="B"><component name="A"/></component></components><fields/></fix>"#;
    assert!(matches!(load_str(xml), Err(DictionaryError::TooDeep(_))));
}

#[test]
fn deep_xml_nesting_is_refused_without_overflowing_the_stack() {
    // Found while writing the `fix_dictionary_xml` fuzz target (its inputs are
    // too short to reach it): the element tree is dropped recursively, so
    // 200,000 nested elements overflowed the stack.
    let depth = 200_000;
    let xml = format!("<fix>{}{}</fix>", "<a>".repeat(depth), "</a>".repeat(depth));
    assert_eq!(
        load_str(&xml).unwrap_err(),
        DictionaryError::NestsTooDeep {
            limit: MAX_XML_DEPTH
        }
    );
    let ok = format!("<fix>{}{}</fix>", "<a>".repeat(60), "</a>".repeat(60));
    assert!(load_str(&ok).is_ok());
}

#[test]
fn data_tags_the_indexer_cannot_hold_are_refused() {
    // Found by the `fix_dictionary_xml` fuzz check's data-tag invariant on a
    // hand-written seed: the 17th DATA field with a tag of 2048 or more was
    // silently not a data tag (QuickFIX's FIX50SP2.xml has 48 such fields:
    // the set now holds 128).
    let fields = |n: u32| {
        let f: String = (0..n)
            .map(|i| format!(r#"<field number="{}" name="D{i}" type="DATA"/>"#, 3000 + i))
            .collect();
        format!("<fix><fields>{f}</fields></fix>")
    };
    let d = load_str(&fields(128)).unwrap();
    assert!((0..128).all(|i| d.data_tags().contains(Tag(3000 + i))));
    assert!(!d.data_tags().contains(Tag(3128)) && !d.data_tags().contains(Tag(2999)));
    assert_eq!(
        load_str(&fields(129)).unwrap_err(),
        DictionaryError::TooManyHighDataTags {
            name: "D128".into(),
            tag: 3128
        }
    );
}
