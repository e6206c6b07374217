//! A firm's own strategy on fixgate's public API: `trade_imbalance` buys when
//! recent trades were mostly buyer-initiated (sells when seller-initiated),
//! joining the best price from the board, and cancels an order that has not
//! filled within its time to live.
//!
//! It is registered next to the built-ins, chosen by name in a TOML
//! configuration, and run on its own thread over a small generated stream:
//! this program plays the normalizer (board, then ring) and a toy order gateway
//! (acks, fills, cancels). `cargo run --example custom_strategy`.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use fixgate::app::strategies::{parse_strategies, start_strategies, StrategyRegistry, Wiring};
use fixgate::app::strategy_runner::TimeSource;
use fixgate_core::board::Board;
use fixgate_core::event::{Action, Event, EventFlags, EventHeader, LevelBody, TradeBody};
use fixgate_core::strategy::{
    Context, Intent, IntentKind, OrderUpdate, OrderUpdateKind, ParamError, Strategy,
    StrategyOrderId,
};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::{InstrumentId, Price, Qty, Side, TradeId, VenueId};
use fixgate_ring::{channel, RingConfig};
use serde::Deserialize;

/// The strategy's parameters, read from `[strategy.params]`.
#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ImbalanceParams {
    instrument_id: u32,
    /// Trades remembered.
    window_trades: usize,
    /// Buy minus sell volume (lots) over the window that triggers an order.
    threshold_lots: i64,
    size_lots: u32,
    /// Cancel an unfilled order after this long (runner time).
    order_ttl_ns: u64,
}

const MAX_WINDOW: usize = 64;

/// The strategy: a ring of recent signed trade sizes, at most one order live.
struct TradeImbalance {
    params: ImbalanceParams,
    window: [i64; MAX_WINDOW],
    next: usize,
    sum_lots: i64,
    live: Option<Intent>,
    next_id: u64,
    filled_lots: i64,
}

impl TradeImbalance {
    fn new(params: ImbalanceParams) -> Result<Self, ParamError> {
        if params.window_trades == 0 || params.window_trades > MAX_WINDOW {
            return Err(ParamError {
                param: "window_trades",
                problem: "must be 1..=64",
            });
        }
        if params.size_lots == 0 {
            return Err(ParamError {
                param: "size_lots",
                problem: "must be > 0",
            });
        }
        Ok(TradeImbalance {
            params,
            window: [0; MAX_WINDOW],
            next: 0,
            sum_lots: 0,
            live: None,
            next_id: 1,
            filled_lots: 0,
        })
    }
}

impl Strategy for TradeImbalance {
    fn on_event(&mut self, ctx: &mut Context<'_>, event: &Event) {
        let Some(trade) = event.trade() else { return };
        let instrument = InstrumentId(self.params.instrument_id);
        if event.instrument() != instrument {
            return;
        }
        let signed = match trade.aggressor {
            Side::Bid => i64::from(trade.qty.lots()),
            Side::Ask => -i64::from(trade.qty.lots()),
            Side::None => 0,
        };
        let slot = self.next % self.params.window_trades;
        self.sum_lots += signed - self.window[slot];
        self.window[slot] = signed;
        self.next += 1;
        if self.live.is_some() || self.sum_lots.abs() < self.params.threshold_lots {
            return;
        }
        // Join the best price on the side we want, from the board.
        let Some(state) = ctx.board().snapshot(instrument) else {
            return;
        };
        let (side, level) = if self.sum_lots > 0 {
            (Side::Bid, state.best_bid())
        } else {
            (Side::Ask, state.best_ask())
        };
        let Some(level) = level else { return };
        let id = StrategyOrderId(self.next_id);
        let order = Intent::new_order(
            id,
            instrument,
            side,
            level.price_e9,
            Qty::from_lots(self.params.size_lots),
        );
        if ctx.submit(order).is_ok() {
            self.next_id += 1;
            self.live = Some(order);
            let expiry = ctx.now().saturating_add_nanos(self.params.order_ttl_ns);
            let _ = ctx.set_timer(expiry, id.0);
        }
    }

    fn on_timer(&mut self, ctx: &mut Context<'_>, token: u64) {
        if let Some(order) = self.live.filter(|o| o.order_id.0 == token) {
            let cancel = Intent::cancel(
                order.order_id,
                order.instrument,
                order.side,
                order.price_e9,
                order.qty,
            );
            let _ = ctx.submit(cancel);
        }
    }

    fn on_order_update(&mut self, ctx: &mut Context<'_>, update: &OrderUpdate) {
        self.filled_lots += update.position_delta();
        if update.kind.is_terminal() && self.live.is_some_and(|o| o.order_id == update.order_id) {
            self.live = None;
            ctx.cancel_timer(update.order_id.0);
        }
    }
}

const CONFIG: &str = r#"
[[strategy]]
name = "trade_imbalance"
label = "imbalance"
subscribe = [{ ring = "sim", mode = "blocking" }]
[strategy.params]
instrument_id = 7
window_trades = 8
threshold_lots = 12
size_lots = 1
order_ttl_ns = 20000

[[strategy]]
name = "latency_probe"
subscribe = [{ ring = "sim", mode = "lossy" }]
[strategy.params]
venues = ["CME"]
"#;

/// A small deterministic market: a book that drifts and trades in bursts.
fn generate(n: u32) -> Vec<Event> {
    let mut x = 0x2545_f491_4f6c_dd1du64;
    let mut mid = 2_300i64; // in cents: 23.00
    (1..=n)
        .map(|seq| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            let header = EventHeader {
                flags: EventFlags::LAST,
                venue: VenueId::CME,
                instrument: InstrumentId(7),
                ts_recv_ns: UtcNanos::from_nanos(1_000 * u64::from(seq)),
                ts_event_ns: UtcNanos::from_nanos(1_000 * u64::from(seq) - 150),
                ts_in_delta_ns: 0,
                sequence: seq,
            };
            let cents = |c: i64| Price::from_e9(c * 10_000_000);
            if x.is_multiple_of(3) {
                // Trades come in runs of one aggressor side.
                let buyer = (seq / 16) % 2 == 0;
                mid += if buyer { 1 } else { -1 };
                return Event::new(
                    header,
                    TradeBody {
                        price_e9: cents(mid),
                        trade_id: TradeId(u64::from(seq)),
                        qty: Qty::from_lots(1 + (x % 4) as u32),
                        rpt_seq: seq,
                        aggressor: if buyer { Side::Bid } else { Side::Ask },
                        action: Action::Trade,
                    },
                );
            }
            let side = if x.is_multiple_of(2) {
                Side::Bid
            } else {
                Side::Ask
            };
            let px = if side == Side::Bid { mid - 1 } else { mid + 1 };
            Event::new(
                header,
                LevelBody {
                    price_e9: cents(px),
                    qty: Qty::from_lots(5 + (x % 20) as u32),
                    order_count: 1 + (x % 5) as u32,
                    rpt_seq: seq,
                    level: 1,
                    side,
                    action: Action::Modify,
                },
            )
        })
        .collect()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let instrument = InstrumentId(7);
    let (board, mut board_writer) = Board::new(&[(instrument, VenueId::CME)])?;
    let (mut ring, subscribers) = channel::<Event>(RingConfig::with_capacity(1024))?;

    // The firm's strategy, next to the built-ins.
    let mut registry = StrategyRegistry::with_builtins();
    registry.register("trade_imbalance", |p: ImbalanceParams| {
        Ok(Box::new(TradeImbalance::new(p)?))
    });
    let wiring = Wiring {
        board: Arc::clone(&board),
        rings: BTreeMap::from([("sim".to_owned(), subscribers)]),
        time: TimeSource::EventTime,
        spinning_cpus: None,
        latency: None,
    };
    let mut runners = start_strategies(&registry, &parse_strategies(CONFIG)?, &wiring)?;
    let mut intents = runners[0].take_intents().ok_or("intents taken")?;
    let mut updates = runners[0].take_update_sender().ok_or("updates taken")?;

    // Normalizer and gateway in one loop: board first, then the ring; every
    // new order is acked, every other one fills, cancels are confirmed.
    let events = generate(5_000);
    let (mut sent, mut bad, mut fills) = (Vec::new(), 0u64, 0u32);
    let mut done = Vec::new();
    let mut gateway = |sent: &mut Vec<Intent>| {
        let mut answer = Vec::new();
        intents.poll(256, &mut bad, |i| answer.push(i));
        for intent in answer {
            sent.push(intent);
            let mut update = OrderUpdate {
                kind: OrderUpdateKind::Acked,
                order_id: intent.order_id,
                instrument: intent.instrument,
                side: intent.side,
                price_e9: intent.price_e9,
                last_px_e9: Price::NULL,
                last_qty: Qty::ZERO,
                cum_qty: Qty::ZERO,
                leaves_qty: intent.qty,
                ts_event_ns: UtcNanos::from_nanos(0),
            };
            match intent.kind {
                // Too late: the order filled before the cancel arrived.
                IntentKind::Cancel if done.contains(&intent.order_id) => {
                    update.kind = OrderUpdateKind::CancelRejected;
                }
                IntentKind::Cancel => update.kind = OrderUpdateKind::Cancelled,
                _ if intent.order_id.0.is_multiple_of(2) => {
                    fills += 1;
                    done.push(intent.order_id);
                    update.kind = OrderUpdateKind::Filled;
                    update.last_px_e9 = intent.price_e9;
                    update.last_qty = intent.qty;
                    update.cum_qty = intent.qty;
                    update.leaves_qty = Qty::ZERO;
                }
                _ => {}
            }
            updates.send(&update);
        }
    };
    for event in &events {
        board_writer.apply(event);
        ring.publish(*event);
        gateway(&mut sent);
    }
    // Let the strategy finish the stream (bounded), answering as it goes.
    let status = Arc::clone(runners[0].status());
    for _ in 0..5_000 {
        gateway(&mut sent);
        if status.counter("events") == Some(events.len() as u64) {
            break;
        }
        std::thread::sleep(Duration::from_millis(1));
    }
    gateway(&mut sent);

    let probe = runners
        .pop()
        .ok_or("no probe")?
        .join(Duration::from_secs(5))?;
    let mine = runners
        .pop()
        .ok_or("no strategy")?
        .join(Duration::from_secs(5))?;
    let news = sent.iter().filter(|i| i.kind == IntentKind::New).count();
    let cancels = sent.iter().filter(|i| i.kind == IntentKind::Cancel).count();
    println!("events published   {}", events.len());
    println!(
        "trade_imbalance    {} events; {news} orders, {fills} filled, {cancels} cancel requests (time to live)",
        mine.stats.events
    );
    let any: Box<dyn std::any::Any> = mine.strategy;
    if let Ok(strategy) = any.downcast::<TradeImbalance>() {
        println!("position           {:+} lots", strategy.filled_lots);
    }
    println!(
        "latency_probe      {} events, {} missed (lossy subscriber)",
        probe.stats.events, probe.stats.events_missed
    );
    if let Some(state) = board.snapshot(instrument) {
        let show = |l: Option<fixgate_core::board::BookLevel>| {
            l.map_or("-".to_owned(), |l| format!("{} x {}", l.price_e9, l.qty))
        };
        println!(
            "board              bid {}  ask {}  last trade {} ({} updates)",
            show(state.best_bid()),
            show(state.best_ask()),
            state.last_trade.price_e9,
            state.updates
        );
    }
    Ok(())
}
