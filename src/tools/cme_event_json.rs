//! JSON for normalized [`Event`]s: one flat object per event.
//!
//! | key | value |
//! |---|---|
//! | `venue`, `kind` | `"cme"`; `"level"`, `"order"`, `"quote"`, `"trade"`, `"clear"`, `"status"`, `"stat"`, ... |
//! | `flags` | array of flag names (`["MBP","LAST"]`) |
//! | `instrument` | the instrument id (0: the whole channel) |
//! | `seq`, `ts_recv_ns`, `ts_event_ns`, `ts_in_delta_ns` | the header |
//! | prices | twice: `price` as an exact decimal string (`"12952.25"`) and `price_e9` as the integer at 1e-9; `null` for a null price |
//! | quantities | integers; `null` for a null quantity |
//! | sides, actions | `"bid"`, `"ask"`, `"none"`; `"add"`, `"modify"`, `"cancel"`, `"clear"`, `"trade"`, ... |
//! | the body's other fields | by their names in the body structs |

use fixgate_core::event::{Action, Body, Event, EventFlags};
use fixgate_core::types::{Price, Qty, Side};
use serde_json::{json, Map, Value};

fn side(s: Side) -> &'static str {
    match s {
        Side::Bid => "bid",
        Side::Ask => "ask",
        Side::None => "none",
    }
}

fn action(a: Action) -> &'static str {
    match a {
        Action::Add => "add",
        Action::Modify => "modify",
        Action::Cancel => "cancel",
        Action::Clear => "clear",
        Action::Trade => "trade",
        Action::Fill => "fill",
        Action::None => "none",
    }
}

fn flags(f: EventFlags) -> Value {
    let names = [
        (EventFlags::LAST, "LAST"),
        (EventFlags::TOB, "TOB"),
        (EventFlags::SNAPSHOT, "SNAPSHOT"),
        (EventFlags::MBP, "MBP"),
        (EventFlags::BAD_TS_RECV, "BAD_TS_RECV"),
        (EventFlags::MAYBE_BAD_BOOK, "MAYBE_BAD_BOOK"),
        (EventFlags::IMPLIED, "IMPLIED"),
    ];
    Value::Array(
        names
            .iter()
            .filter(|(flag, _)| f.contains(*flag))
            .map(|(_, n)| json!(n))
            .collect(),
    )
}

fn price(m: &mut Map<String, Value>, key: &str, p: Price) {
    let (text, e9) = if p.is_null() {
        (Value::Null, Value::Null)
    } else {
        (json!(p.to_string()), json!(p.e9()))
    };
    m.insert(key.to_owned(), text);
    m.insert(format!("{key}_e9"), e9);
}

fn qty(q: Qty) -> Value {
    if q.is_null() {
        Value::Null
    } else {
        json!(q.lots())
    }
}

/// The JSON object of one event.
pub(crate) fn event_json(e: &Event) -> Value {
    let mut m = Map::new();
    m.insert("venue".into(), json!("cme"));
    let body = e.body();
    let kind = match body {
        Body::Quote(_) => "quote",
        Body::Trade(_) => "trade",
        Body::Level(_) => "level",
        Body::Order(_) => "order",
        Body::Clear(_) => "clear",
        Body::Status(_) => "status",
        Body::Gap(_) => "gap",
        Body::Recovered(_) => "recovered",
        Body::Stat(_) => "stat",
    };
    m.insert("kind".into(), json!(kind));
    m.insert("flags".into(), flags(e.flags()));
    m.insert("instrument".into(), json!(e.instrument().get()));
    m.insert("seq".into(), json!(e.sequence()));
    m.insert("ts_recv_ns".into(), json!(e.ts_recv_ns().as_nanos()));
    m.insert("ts_event_ns".into(), json!(e.ts_event_ns().as_nanos()));
    m.insert("ts_in_delta_ns".into(), json!(e.ts_in_delta_ns()));
    match body {
        Body::Level(l) => {
            m.insert("side".into(), json!(side(l.side)));
            m.insert("level".into(), json!(l.level));
            price(&mut m, "price", l.price_e9);
            m.insert("qty".into(), qty(l.qty));
            m.insert("order_count".into(), json!(l.order_count));
            m.insert("action".into(), json!(action(l.action)));
            m.insert("rpt_seq".into(), json!(l.rpt_seq));
        }
        Body::Order(o) => {
            m.insert("order_id".into(), json!(o.order_id.get()));
            m.insert("side".into(), json!(side(o.side)));
            price(&mut m, "price", o.price_e9);
            m.insert("qty".into(), qty(o.qty));
            m.insert("priority".into(), json!(o.priority));
            m.insert("action".into(), json!(action(o.action)));
        }
        Body::Quote(q) => {
            price(&mut m, "bid_price", q.bid_px_e9);
            m.insert("bid_qty".into(), qty(q.bid_qty));
            m.insert("bid_count".into(), json!(q.bid_count));
            price(&mut m, "ask_price", q.ask_px_e9);
            m.insert("ask_qty".into(), qty(q.ask_qty));
            m.insert("ask_count".into(), json!(q.ask_count));
        }
        Body::Trade(t) => {
            price(&mut m, "price", t.price_e9);
            m.insert("qty".into(), qty(t.qty));
            m.insert("trade_id".into(), json!(t.trade_id.get()));
            m.insert("aggressor".into(), json!(side(t.aggressor)));
            m.insert("action".into(), json!(action(t.action)));
            m.insert("rpt_seq".into(), json!(t.rpt_seq));
        }
        Body::Clear(c) => {
            m.insert("channel".into(), json!(c.channel));
            m.insert("side".into(), json!(side(c.side)));
            m.insert("rpt_seq".into(), json!(c.rpt_seq));
        }
        Body::Status(s) => {
            m.insert("state".into(), json!(format!("{:?}", s.state)));
            m.insert("venue_status".into(), json!(s.venue_status));
            m.insert("halt_reason".into(), json!(s.halt_reason));
            m.insert("trading_event".into(), json!(s.trading_event));
        }
        Body::Stat(s) => {
            m.insert("stat".into(), json!(format!("{:?}", s.stat)));
            price(&mut m, "price", s.price_e9);
            m.insert("qty".into(), qty(s.qty));
            m.insert("action".into(), json!(action(s.action)));
            m.insert("venue_flags".into(), json!(s.venue_flags));
            m.insert("rpt_seq".into(), json!(s.rpt_seq));
        }
        Body::Gap(g) => {
            m.insert("first_seq".into(), json!(g.first_seq));
            m.insert("last_seq".into(), json!(g.last_seq));
            m.insert("channel".into(), json!(g.channel));
        }
        Body::Recovered(r) => {
            m.insert("detail".into(), json!(format!("{r:?}")));
        }
    }
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;
    use fixgate_core::event::{EventHeader, LevelBody};
    use fixgate_core::types::InstrumentId;

    #[test]
    fn a_level_event() {
        let e = Event::new(
            EventHeader {
                flags: EventFlags::MBP | EventFlags::LAST,
                instrument: InstrumentId(157_660),
                sequence: 7,
                ..EventHeader::default()
            },
            LevelBody {
                price_e9: Price::from_e9(12_952_250_000_000),
                qty: Qty::from_lots(3),
                order_count: 2,
                rpt_seq: 411,
                level: 1,
                side: Side::Ask,
                action: Action::Cancel,
            },
        );
        let v = event_json(&e);
        assert_eq!(v["kind"], "level");
        assert_eq!(v["flags"], json!(["LAST", "MBP"]));
        assert_eq!(v["price"], "12952.25");
        assert_eq!(v["price_e9"], 12_952_250_000_000i64);
        assert_eq!(
            (v["side"].clone(), v["action"].clone()),
            (json!("ask"), json!("cancel"))
        );
        assert_eq!(v["instrument"], 157_660);
    }
}
