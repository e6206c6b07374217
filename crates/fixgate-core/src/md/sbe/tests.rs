//! The interpreter on a small inline schema: every kind of type, implicit and
//! explicit offsets, `sinceVersion` on fields and groups, both dimension
//! encodings, wire block lengths shorter and longer than the schema's.

use super::*;

const XML: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<sbe:messageSchema xmlns:sbe="http://fixprotocol.io/2016/sbe" id="1" version="9">
  <types>
    <type name="uInt8" primitiveType="uint8"/>
    <type name="uInt8NULL" presence="optional" nullValue="255" primitiveType="uint8"/>
    <type name="Int32NULL" presence="optional" nullValue="2147483647" primitiveType="int32"/>
    <type name="uInt64" primitiveType="uint64"/>
    <type name="Sym" length="4" primitiveType="char"/>
    <type name="TypeJ" presence="constant" primitiveType="char">J</type>
    <composite name="messageHeader">
      <type name="blockLength" primitiveType="uint16"/>
      <type name="templateId" primitiveType="uint16"/>
      <type name="schemaId" primitiveType="uint16"/>
      <type name="version" primitiveType="uint16"/>
    </composite>
    <composite name="groupSize">
      <type name="blockLength" primitiveType="uint16"/>
      <type name="numInGroup" primitiveType="uint8"/>
    </composite>
    <composite name="groupSize8Byte">
      <type name="blockLength" primitiveType="uint16"/>
      <type name="numInGroup" offset="7" primitiveType="uint8"/>
    </composite>
    <composite name="PRICENULL9">
      <type name="mantissa" presence="optional" nullValue="9223372036854775807" primitiveType="int64"/>
      <type name="exponent" presence="constant" primitiveType="int8">-9</type>
    </composite>
    <enum name="Side" encodingType="uInt8NULL">
      <validValue name="Buy">1</validValue>
      <validValue name="Sell">2</validValue>
    </enum>
    <set name="Flags" encodingType="uInt8">
      <choice name="First">0</choice>
      <choice name="Last">7</choice>
    </set>
  </types>
  <sbe:message name="Test1" id="1" blockLength="21">
    <field name="Time" id="60" type="uInt64" offset="0"/>
    <field name="Px" id="270" type="PRICENULL9"/>
    <field name="Flags" id="5799" type="Flags"/>
    <field name="Symbol" id="55" type="Sym"/>
    <field name="Kind" id="269" type="TypeJ"/>
    <field name="New" id="9" type="Int32NULL" offset="21" sinceVersion="8"/>
    <group name="Entries" id="268" blockLength="5" dimensionType="groupSize">
      <field name="Side" id="54" type="Side" offset="0"/>
      <field name="Qty" id="271" type="Int32NULL" offset="1"/>
    </group>
    <group name="Orders" id="37705" blockLength="1" sinceVersion="7" dimensionType="groupSize8Byte">
      <field name="N" id="1" type="uInt8" offset="0"/>
    </group>
  </sbe:message>
</sbe:messageSchema>"#;

fn msg(version: u16, root: &[u8], groups: &[u8]) -> Vec<u8> {
    let mut m = Vec::new();
    m.extend_from_slice(&(root.len() as u16).to_le_bytes());
    m.extend_from_slice(&1u16.to_le_bytes());
    m.extend_from_slice(&1u16.to_le_bytes());
    m.extend_from_slice(&version.to_le_bytes());
    m.extend_from_slice(root);
    m.extend_from_slice(groups);
    m
}

fn root(extra: &[u8]) -> Vec<u8> {
    let mut r = 7u64.to_le_bytes().to_vec();
    r.extend_from_slice(&1_500_000_000i64.to_le_bytes());
    r.push(0x81);
    r.extend_from_slice(b"ES\0\0");
    r.extend_from_slice(extra);
    r
}

fn field<'m>(m: &'m DecodedMessage, name: &str) -> Option<&'m Value> {
    m.fields.iter().find(|f| f.name == name).map(|f| &f.value)
}

#[test]
fn loads_types_offsets_and_dimensions() {
    let s = Schema::from_xml(XML).unwrap();
    assert_eq!((s.id, s.version), (1, 9));
    let m = s.message(1).unwrap();
    let offsets: Vec<usize> = m.fields.iter().map(|f| f.offset).collect();
    assert_eq!(offsets, vec![0, 8, 16, 17, 0, 21]);
    let TypeDef::Composite(g8) = s.type_def("groupSize8Byte").unwrap() else {
        panic!()
    };
    assert_eq!(g8.size, 8);
    assert_eq!(m.groups[1].since, 7);
    assert!(matches!(Schema::from_xml("<x/>"), Err(SchemaError::Xml(_))));
    let bad = XML.replace("primitiveType=\"uint64\"", "primitiveType=\"double\"");
    assert!(matches!(
        Schema::from_xml(&bad),
        Err(SchemaError::Unsupported(_))
    ));
}

#[test]
fn decodes_by_wire_lengths_and_versions() {
    let s = Schema::from_xml(XML).unwrap();
    // v9: root of 25 bytes (New present), Entries of 2 entries of 6 bytes (one
    // unknown byte each), Orders (since 7) with one entry.
    let mut groups = vec![6, 0, 2, 1, 0xff, 0xff, 0xff, 0x7f, 9, 255, 3, 0, 0, 0, 0];
    groups.extend_from_slice(&[1, 0, 0, 0, 0, 0, 0, 1, 42]);
    let m = msg(9, &root(&5i32.to_le_bytes()), &groups);
    let DecodeOutcome::Message(d) = s.decode(&m).unwrap() else {
        panic!()
    };
    assert_eq!(field(&d, "Time"), Some(&Value::UInt(7)));
    assert_eq!(
        field(&d, "Px"),
        Some(&Value::Decimal {
            mantissa: 1_500_000_000,
            exponent: -9
        })
    );
    assert_eq!(
        field(&d, "Flags"),
        Some(&Value::Set {
            raw: 0x81,
            choices: vec!["First".into(), "Last".into()]
        })
    );
    assert_eq!(field(&d, "Symbol"), Some(&Value::Chars(b"ES".to_vec())));
    assert_eq!(field(&d, "Kind"), Some(&Value::Char(b'J')));
    assert_eq!(field(&d, "New"), Some(&Value::Int(5)));
    let e = &d.groups[0].entries;
    assert_eq!(
        e[0].fields[0].value,
        Value::Enum {
            raw: 1,
            name: Some("Buy".into())
        }
    );
    assert_eq!(e[0].fields[1].value, Value::Null);
    assert_eq!(e[1].fields[0].value, Value::Null);
    assert_eq!(e[1].fields[1].value, Value::Int(3));
    assert_eq!(d.groups[1].entries[0].fields[0].value, Value::UInt(42));
    assert_eq!(d.known_len, m.len() - 8);

    // v6: New (since 8) and Orders (since 7) are absent; a 19-byte root drops
    // Symbol (does not fit) but keeps the constant.
    let short_root = &root(&[])[..19];
    let m = msg(6, short_root, &[5, 0, 0]);
    let DecodeOutcome::Message(d) = s.decode(&m).unwrap() else {
        panic!()
    };
    let names: Vec<&str> = d.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, vec!["Time", "Px", "Flags", "Kind"]);
    assert_eq!(d.groups.len(), 1);
}

#[test]
fn rejects_what_does_not_fit_and_skips_what_it_does_not_know() {
    let s = Schema::from_xml(XML).unwrap();
    assert!(matches!(
        s.decode(&[0; 7]),
        Err(InterpretError::HeaderTooShort { need: 8, have: 7 })
    ));
    let mut m = msg(9, &root(&[]), &[5, 0, 1]);
    assert!(matches!(
        s.decode(&m),
        Err(InterpretError::GroupTooLong { .. })
    ));
    m.truncate(8 + 21 + 2);
    assert!(matches!(
        s.decode(&m),
        Err(InterpretError::GroupHeaderTruncated { .. })
    ));
    m[0] = 200;
    assert!(matches!(
        s.decode(&m),
        Err(InterpretError::RootTooLong {
            block_length: 200,
            ..
        })
    ));
    m[2] = 99;
    assert_eq!(
        s.decode(&m).unwrap(),
        DecodeOutcome::UnknownTemplate { template_id: 99 }
    );
    m[4] = 2;
    assert_eq!(
        s.decode(&m).unwrap(),
        DecodeOutcome::UnknownSchema { schema_id: 2 }
    );
}

/// A schema of one message with one group whose dimension composite counts
/// entries with `num` (the message header is the usual one).
fn group_schema(num: &str, group_block_length: &str) -> String {
    format!(
        r#"<messageSchema id="1" version="0"><types>
        <composite name="messageHeader">
          <type name="blockLength" primitiveType="uint16"/>
          <type name="templateId" primitiveType="uint16"/>
          <type name="schemaId" primitiveType="uint16"/>
          <type name="version" primitiveType="uint16"/>
        </composite>
        <composite name="groupSize">
          <type name="blockLength" primitiveType="uint16"/>
          <type name="numInGroup" primitiveType="{num}"/>
        </composite></types>
        <message name="M" id="1" blockLength="0">
          <group name="G" id="2" dimensionType="groupSize" blockLength="{group_block_length}"/>
        </message></messageSchema>"#
    )
}

#[test]
fn offsets_lengths_and_block_lengths_past_u16_are_refused_not_overflowed() {
    // Found by the `sbe_schema_xml` fuzz check on its generated seeds:
    // `offset + size` overflowed (a debug-build panic) for offsets near
    // `usize::MAX`.
    let field_at = |offset: &str| {
        format!(
            r#"<messageSchema><types><type name="T" primitiveType="uint8"/></types>
            <message name="M" id="1"><field name="f" id="1" type="T" offset="{offset}"/>
            <field name="g" id="2" type="T"/></message></messageSchema>"#
        )
    };
    assert!(Schema::from_xml(&field_at("65535")).is_ok());
    assert_eq!(
        Schema::from_xml(&field_at("18446744073709551615")),
        Err(SchemaError::BadAttribute {
            element: "field".into(),
            name: "f".into(),
            attribute: "offset",
            value: "18446744073709551615".into(),
        })
    );
    let member_at = r#"<messageSchema><types><composite name="C">
        <type name="a" primitiveType="uint64" offset="18446744073709551615"/>
        </composite></types></messageSchema>"#;
    assert!(matches!(
        Schema::from_xml(member_at),
        Err(SchemaError::BadAttribute {
            attribute: "offset",
            ..
        })
    ));
    let long_array = r#"<messageSchema><types>
        <type name="S" primitiveType="char" length="9223372036854775807"/>
        </types></messageSchema>"#;
    assert!(matches!(
        Schema::from_xml(long_array),
        Err(SchemaError::BadAttribute {
            attribute: "length",
            ..
        })
    ));
    assert!(matches!(
        Schema::from_xml(&group_schema("uint8", "65536")),
        Err(SchemaError::BadAttribute {
            attribute: "blockLength",
            ..
        })
    ));
}

#[test]
fn empty_entries_are_bounded() {
    // Found while writing the `sbe_schema_xml` fuzz target (by reading the
    // interpreter): a `uint32` numInGroup with a wire blockLength of 0 had a
    // 14-byte message decode billions of entries.
    let s = Schema::from_xml(&group_schema("uint32", "0")).unwrap();
    let message = |count: u32| {
        let mut m = vec![0, 0, 1, 0, 1, 0, 0, 0, 0, 0];
        m.extend_from_slice(&count.to_le_bytes());
        m
    };
    let DecodeOutcome::Message(d) = s.decode(&message(3)).unwrap() else {
        panic!("not a message")
    };
    assert_eq!(d.groups[0].entries.len(), 3);
    let max = u32::try_from(MAX_EMPTY_ENTRIES).unwrap();
    let DecodeOutcome::Message(d) = s.decode(&message(max)).unwrap() else {
        panic!("not a message")
    };
    assert_eq!(d.groups[0].entries.len(), max as usize);
    assert_eq!(
        s.decode(&message(u32::MAX)),
        Err(InterpretError::TooManyEmptyEntries {
            group: "G".into(),
            count: u64::from(u32::MAX),
        })
    );
}

#[test]
fn deep_xml_nesting_is_refused_without_overflowing_the_stack() {
    // The element tree is dropped recursively: 200,000 nested elements
    // overflowed the stack before the depth limit.
    let depth = 200_000;
    let xml = format!(
        "<messageSchema>{}{}</messageSchema>",
        "<a>".repeat(depth),
        "</a>".repeat(depth)
    );
    assert_eq!(
        Schema::from_xml(&xml),
        Err(SchemaError::Xml(format!(
            "elements nest deeper than {}",
            super::xml::MAX_XML_DEPTH
        )))
    );
}
