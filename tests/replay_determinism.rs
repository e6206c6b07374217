//! Replay determinism: the same capture and configuration give the same
//! intents, in the same order, run after run, with strategies on their own
//! threads reading the board (the replay runs them in lockstep with the
//! producer). Strategies: the built-in `market_maker` on the most active
//! two-sided instrument, `latency_probe`, and a test strategy that follows
//! the board at every batch end (so any change in what a strategy saw, or in
//! where its batches ended, changes its intents). Also: every latency stage
//! along the pipeline is recorded once per packet or event.
//!
//! The capture is a generated CME incremental feed (eight two-sided books,
//! 3,000 packets of level changes and trades), on lines A and B.

mod support;

use std::collections::BTreeMap;

use fixgate::app::replay::{digest_kept, replay_file, ReplayConfig, ReplayOptions, ReplaySummary};
use fixgate::app::strategies::StrategyRegistry;
use fixgate_core::event::Event;
use fixgate_core::latency::{Stage, StageKey};
use fixgate_core::strategy::{Context, Intent, ParamError, Strategy, StrategyOrderId};
use fixgate_core::types::{InstrumentId, Qty, VenueId};
use serde::Deserialize;
use support::replay_capture::{both_lines, scratch, write_capture, LINES_TOML};

/// Follows the board: at each batch end, for every instrument the batch
/// touched (in order of first touch), a new order at the best bid, or a
/// replace of the live one.
struct BoardFollower {
    touched: Vec<InstrumentId>,
    live: BTreeMap<InstrumentId, StrategyOrderId>,
    next_id: u64,
    max_instruments: usize,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FollowerParams {
    max_instruments: usize,
}

impl Strategy for BoardFollower {
    fn on_event(&mut self, _ctx: &mut Context<'_>, event: &Event) {
        let id = event.instrument();
        if !id.is_none() && !self.touched.contains(&id) {
            self.touched.push(id);
        }
    }

    fn on_batch_end(&mut self, ctx: &mut Context<'_>) {
        for id in std::mem::take(&mut self.touched) {
            let Some(bid) = ctx.board().snapshot(id).and_then(|s| s.best_bid()) else {
                continue;
            };
            let qty = Qty::from_lots(bid.qty.lots().clamp(1, 1000));
            let intent = match self.live.get(&id) {
                Some(&order) => {
                    Intent::replace(order, id, fixgate_core::types::Side::Bid, bid.price_e9, qty)
                }
                None if self.live.len() < self.max_instruments => {
                    self.next_id += 1;
                    let order = StrategyOrderId(self.next_id);
                    self.live.insert(id, order);
                    Intent::new_order(order, id, fixgate_core::types::Side::Bid, bid.price_e9, qty)
                }
                None => continue,
            };
            let _ = ctx.submit(intent);
        }
    }
}

fn config(instrument: InstrumentId) -> ReplayConfig {
    let text = format!(
        r#"{LINES_TOML}
[[strategy]]
name = "market_maker"
subscribe = [{{ ring = "cme", mode = "lossy" }}]
[strategy.params]
instrument_id = {id}
tick_e9 = 250000000
half_spread_ticks = 2
size_lots = 3
max_position_lots = 10
skew_ticks_per_lot = 1
requote_threshold_ticks = 1

[[strategy]]
name = "board_follower"
label = "follower"
subscribe = [{{ ring = "cme", mode = "blocking" }}]
[strategy.params]
max_instruments = 200

[[strategy]]
name = "latency_probe"
subscribe = [{{ ring = "cme", mode = "blocking" }}]
"#,
        id = instrument.0
    );
    ReplayConfig::parse(&text).expect("config")
}

fn registry() -> StrategyRegistry {
    let mut r = StrategyRegistry::with_builtins();
    r.register("board_follower", |p: FollowerParams| {
        if p.max_instruments == 0 {
            return Err(ParamError {
                param: "max_instruments",
                problem: "must be > 0",
            });
        }
        Ok(Box::new(BoardFollower {
            touched: Vec::new(),
            live: BTreeMap::new(),
            next_id: 0,
            max_instruments: p.max_instruments,
        }))
    });
    r
}

fn run(path: &std::path::Path, config: &ReplayConfig) -> ReplaySummary {
    let options = ReplayOptions {
        keep_intents: true,
        ..ReplayOptions::new(config.clone())
    };
    replay_file(path, &options, &registry()).expect("replay")
}

#[test]
fn the_same_capture_gives_the_same_intents() {
    let payloads = support::replay_stream::generate(8, 3_000, 11);
    let instrument = InstrumentId(support::replay_stream::FIRST_ID as u32);
    let dir = scratch("replay-determinism");
    let path = dir.join("ab.pcap");
    write_capture(&path, &both_lines(&payloads));
    let config = config(instrument);

    let first = run(&path, &config);
    let labels: Vec<&str> = first.intents.iter().map(|s| s.label.as_str()).collect();
    assert_eq!(labels, ["market_maker-0", "follower", "latency_probe-2"]);
    let (mm, follower, probe) = (&first.intents[0], &first.intents[1], &first.intents[2]);
    assert!(mm.count >= 2, "the market maker quotes both sides: {mm:?}");
    assert!(
        follower.count > 20,
        "the follower acts on every batch: {}",
        follower.count
    );
    assert_eq!(probe.count, 0, "the probe only measures");
    // Per runner, then across runners in order: however the rings were drained.
    assert_eq!(first.intents_digest, digest_kept(&first.intents));
    for run_no in 2..=3 {
        let again = run(&path, &config);
        for (a, b) in first.intents.iter().zip(&again.intents) {
            assert_eq!(
                a.kept, b.kept,
                "run {run_no}: {} sent other intents",
                a.label
            );
        }
        assert_eq!(again.intents_digest, first.intents_digest, "run {run_no}");
        assert_eq!(
            again.counters_json()["events"],
            first.counters_json()["events"]
        );
    }

    // Stages along the pipeline: one record per copy, per event, per event
    // and strategy.
    let count = |stage| {
        first
            .latency
            .get(StageKey::new(VenueId::CME, stage))
            .map_or(0, |e| e.histogram.len())
    };
    assert_eq!(count(Stage::ReceiveToDecoded), 2 * payloads.len() as u64);
    assert_eq!(count(Stage::DecodedToPublished), first.events);
    assert_eq!(count(Stage::PublishedToStrategy), 3 * first.events);
    println!(
        "determinism: {} packets x2 lines, {} events, intents mm={} follower={}, digest {:016x}, 3 runs",
        payloads.len(),
        first.events,
        mm.count,
        follower.count,
        first.intents_digest
    );
}
