//! fixgate's own compact FIX 4.4 dictionary (`specs/fix/FIXGATE44.xml`), built in
//! so that tools and tests work without a dictionary file.

use super::model::Dictionary;

/// The text of `specs/fix/FIXGATE44.xml`.
pub const FIXGATE44_XML: &str = include_str!("../../../../../specs/fix/FIXGATE44.xml");

/// Loads fixgate's compact FIX 4.4 dictionary: the session messages, order entry
/// (D F G H 8 9), market data (V W X Y) and BusinessMessageReject (j).
///
/// # Panics
/// Never in practice: the embedded file is checked by this module's test.
pub fn fixgate44() -> Dictionary {
    Dictionary::from_xml(FIXGATE44_XML).expect("the embedded FIXGATE44.xml loads")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fix::{MsgType, Tag};

    #[test]
    fn embedded_dictionary_loads_with_its_groups() {
        let d = fixgate44();
        assert_eq!(d.begin_string(), "FIX.4.4");
        assert_eq!(d.messages().len(), 18);
        let w = d.message(MsgType::MARKET_DATA_SNAPSHOT).unwrap();
        let Some(super::super::Member::Group { group, .. }) = w.layout.member(Tag(268)) else {
            panic!("W has NoMDEntries")
        };
        assert_eq!(d.group(group).delimiter, Tag(269));
        assert!(d.data_tags().contains(Tag(96)));
        assert!(d.header().required().contains(&Tag(49)));
    }
}
