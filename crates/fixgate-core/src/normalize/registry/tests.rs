use super::*;
use crate::normalize::text::Text;
use crate::types::Price;

fn def(id: u32, symbol: &str) -> InstrumentDef {
    let mut d = InstrumentDef::new(InstrumentId(id), Text::new(symbol.as_bytes()).unwrap());
    d.security_group = Text::new(b"ES").unwrap();
    d.tick_e9 = Price::from_e9(250_000_000);
    d.depth = BookDepth {
        outright: 10,
        implied: 2,
    };
    d
}

const LIMITS: BookDepth = BookDepth {
    outright: 10,
    implied: 2,
};

#[test]
fn add_modify_delete_as_security_update_action() {
    let mut r = InstrumentRegistry::new(4, LIMITS);
    let a = r.apply(DefinitionAction::Add, &def(11, "ESZ6")).unwrap();
    let DefinitionOutcome::Added(slot) = a else {
        panic!("{a:?}")
    };
    assert_eq!(r.slot(InstrumentId(11)), Some(slot));
    assert_eq!(r.get(InstrumentId(11)).unwrap().symbol.as_str(), "ESZ6");

    // The definition loop re-sends A: an update, depth unchanged.
    let mut again = def(11, "ESZ6");
    again.tick_e9 = Price::from_e9(1);
    assert_eq!(
        r.apply(DefinitionAction::Add, &again),
        Ok(DefinitionOutcome::Modified {
            slot,
            depth_changed: false
        })
    );
    assert_eq!(r.get(InstrumentId(11)).unwrap().tick_e9, Price::from_e9(1));

    // M with another depth.
    again.depth.outright = 5;
    assert_eq!(
        r.apply(DefinitionAction::Modify, &again),
        Ok(DefinitionOutcome::Modified {
            slot,
            depth_changed: true
        })
    );
    // M of an unknown instrument adds it.
    assert!(matches!(
        r.apply(DefinitionAction::Modify, &def(12, "ESH7")),
        Ok(DefinitionOutcome::Added(_))
    ));
    assert_eq!(r.len(), 2);

    assert_eq!(
        r.apply(DefinitionAction::Delete, &def(11, "")),
        Ok(DefinitionOutcome::Deleted(slot))
    );
    assert_eq!(r.get(InstrumentId(11)), None);
    assert_eq!(r.at(slot), None);
    assert_eq!(r.len(), 1);
}

#[test]
fn full_unknown_and_invalid_are_typed_errors() {
    let mut r = InstrumentRegistry::new(2, LIMITS);
    r.apply(DefinitionAction::Add, &def(1, "A")).unwrap();
    r.apply(DefinitionAction::Add, &def(2, "B")).unwrap();
    assert_eq!(
        r.apply(DefinitionAction::Add, &def(3, "C")),
        Err(RegistryError::Full {
            capacity: 2,
            id: InstrumentId(3)
        })
    );
    assert_eq!(r.get(InstrumentId(3)), None);
    assert_eq!(
        r.apply(DefinitionAction::Delete, &def(9, "")),
        Err(RegistryError::Unknown {
            id: InstrumentId(9)
        })
    );
    assert_eq!(
        r.set_trading_state(InstrumentId(9), TradingState::Halted),
        Err(RegistryError::Unknown {
            id: InstrumentId(9)
        })
    );
    assert_eq!(
        r.apply(DefinitionAction::Add, &def(0, "Z")),
        Err(RegistryError::NoneId)
    );
    let mut deep = def(1, "A");
    deep.depth.implied = 3;
    assert!(matches!(
        r.apply(DefinitionAction::Modify, &deep),
        Err(RegistryError::TooDeep {
            implied: 3,
            max_implied: 2,
            ..
        })
    ));
    assert_eq!(r.get(InstrumentId(1)).unwrap().depth.implied, 2);

    // A delete frees a slot for the next add.
    let freed = r.remove(InstrumentId(1)).unwrap();
    assert!(matches!(
        r.apply(DefinitionAction::Add, &def(3, "C")),
        Ok(DefinitionOutcome::Added(s)) if s == freed
    ));
}

#[test]
fn trading_state_and_iteration() {
    let mut r = InstrumentRegistry::new(8, LIMITS);
    for id in [5, 3, 9] {
        r.apply(DefinitionAction::Add, &def(id, "X")).unwrap();
    }
    r.set_trading_state(InstrumentId(3), TradingState::Trading)
        .unwrap();
    assert_eq!(
        r.get(InstrumentId(3)).unwrap().trading_state,
        TradingState::Trading
    );
    let ids: Vec<u32> = r.iter().map(|(_, d)| d.id.get()).collect();
    assert_eq!(
        ids,
        [5, 3, 9],
        "slot order is add order on a fresh registry"
    );
    assert_eq!(r.capacity(), 8);
}
