//! The replay's strategies: built from configuration by the same registry as
//! live, each wrapped to record its `PublishedToStrategy` stage
//! ([`super::stamps`]), on its own runner thread, every subscription made
//! blocking, run in lockstep with the producer, and their intents collected.
//!
//! Why lockstep: a strategy reads the board in its callbacks, and the board
//! is shared state that the producer keeps writing; if the producer ran ahead,
//! what a strategy saw would depend on thread timing, and two replays of one
//! capture would send different intents. So before it publishes a venue
//! event (and writes the board), the producer waits until every running
//! strategy has taken all events published so far (its `events` counter,
//! published by the runner after the batch's `on_batch_end` and its due
//! timers); decoding the next packet overlaps with the strategies' work. Blocking subscriptions make sure no
//! strategy misses an event; timers run on event time
//! ([`TimeSource::EventTime`]: the capture's receive times). A strategy that
//! panicked is disabled and no longer waited for.
//!
//! Every strategy reads the replay's one event ring, whatever ring its
//! `subscribe` names: a replay has one channel.
//!
//! Intents go to no venue in a replay: they are taken from each runner's
//! intent ring, counted, hashed into a digest and optionally kept. Each
//! runner's intents are hashed apart (FNV-1a over each intent's fields) and
//! the replay's digest folds those per-runner digests in runner order: when
//! the rings are drained, and so how two runners' intents interleave, depends
//! on thread timing, but each runner's own sequence does not.

use std::sync::Arc;
use std::time::Duration;

use fixgate_core::board::Board;
use fixgate_core::event::Event;
use fixgate_core::strategy::{Failure, HostStats, Intent, IntentKind};
use fixgate_core::time::{Clock, MonoNanos, TscClock};
use fixgate_core::types::VenueId;
use fixgate_ring::{Subscribers, WaitStrategy};

use crate::app::order_rings::IntentReceiver;
use crate::app::strategies::{StrategyConfig, StrategyConfigError, StrategyRegistry};
use crate::app::strategy_runner::{
    RunnerConfig, RunnerLatency, RunnerState, RunnerStatus, StrategyRunner, Subscription,
    TimeSource,
};
use crate::report::LatencySource;

/// How long a stopping runner is given.
const JOIN_TIMEOUT: Duration = Duration::from_secs(10);

/// The intents of one strategy.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StrategyIntents {
    /// The runner's label.
    pub label: String,
    /// Intents taken.
    pub count: u64,
    /// Ring slots that did not decode.
    pub bad: u64,
    /// The intents, when kept.
    pub kept: Vec<Intent>,
    /// The host's counts at the end (events, intents refused, timers, ...).
    pub stats: HostStats,
    /// Why the strategy was disabled, if it panicked.
    pub failure: Option<Failure>,
}

/// The running strategies of a replay.
pub struct ReplayRunners {
    runners: Vec<(StrategyRunner, IntentReceiver)>,
    intents: Vec<StrategyIntents>,
    /// One FNV-1a digest per runner, over that runner's intents in order.
    digests: Vec<u64>,
    keep: bool,
    clock: TscClock,
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// The producer's wait for the strategies: before each publish, until every
/// running strategy has handled every event published before it.
#[derive(Clone, Debug, Default)]
pub struct Lockstep {
    statuses: Vec<Arc<RunnerStatus>>,
}

impl Lockstep {
    /// Whether some running strategy has handled fewer than `published` events.
    pub fn behind(&self, published: u64) -> bool {
        self.statuses.iter().any(|status| {
            status.state() == RunnerState::Running
                && status.counter("events").unwrap_or(u64::MAX) < published
        })
    }

    /// Waits until no running strategy is behind `published`.
    pub fn wait_for(&self, published: u64) {
        if self.statuses.is_empty() {
            return;
        }
        let mut waiter = WaitStrategy::SpinThenYield { spins: 64 }.waiter();
        while self.behind(published) {
            waiter.wait();
        }
    }
}

/// Folds `intent` into an FNV-1a digest (field by field, little-endian).
pub fn digest_intent(h: u64, intent: &Intent) -> u64 {
    let kind: u8 = match intent.kind {
        IntentKind::New => 1,
        IntentKind::Replace => 2,
        IntentKind::Cancel => 3,
    };
    let h = fnv(h, &[kind, intent.side.to_dbn()]);
    let h = fnv(h, &intent.order_id.0.to_le_bytes());
    let h = fnv(h, &intent.instrument.0.to_le_bytes());
    let h = fnv(h, &intent.price_e9.e9().to_le_bytes());
    fnv(h, &intent.qty.lots().to_le_bytes())
}

/// The replay's digest computed from kept intents (a replay run with every
/// intent kept gives exactly this): each runner's intents folded apart, then
/// the runners' digests folded in runner order.
pub fn digest_kept(intents: &[StrategyIntents]) -> u64 {
    intents.iter().fold(FNV_OFFSET, |h, runner| {
        let d = runner.kept.iter().fold(FNV_OFFSET, digest_intent);
        fnv(h, &d.to_le_bytes())
    })
}

impl ReplayRunners {
    /// Builds every configured strategy (nothing starts unless all build),
    /// subscribes each to `ring` as a blocking subscriber, and starts them.
    ///
    /// # Errors
    /// The first [`StrategyConfigError`]; runners already started are stopped.
    #[allow(
        clippy::too_many_arguments,
        reason = "the wiring of one replay, built once"
    )]
    pub fn start(
        registry: &StrategyRegistry,
        configs: &[StrategyConfig],
        ring: &Subscribers<Event>,
        board: &Arc<Board>,
        clock: &TscClock,
        keep: bool,
    ) -> Result<(Self, Vec<LatencySource>), StrategyConfigError> {
        let mut prepared = Vec::with_capacity(configs.len());
        let mut sources = Vec::with_capacity(configs.len());
        for (index, config) in configs.iter().enumerate() {
            let inner = registry.build(index, config)?;
            let label = config
                .label
                .clone()
                .unwrap_or_else(|| format!("{}-{index}", config.name));
            let mut runner = RunnerConfig::new(&label);
            runner.cpu = config.cpu;
            runner.time = TimeSource::EventTime;
            // A spinning runner would starve the producer it runs in lockstep
            // with on a small machine: spin, then yield.
            runner.wait = WaitStrategy::SpinThenYield { spins: 100 };
            let blocking =
                ring.blocking(runner.wait)
                    .map_err(|source| StrategyConfigError::Join {
                        index,
                        name: config.name.clone(),
                        ring: "cme".into(),
                        source,
                    })?;
            prepared.push((index, inner, runner, blocking));
        }
        let mut runners = Vec::with_capacity(prepared.len());
        let mut intents = Vec::with_capacity(prepared.len());
        for (index, strategy, config, blocking) in prepared {
            let latency = RunnerLatency {
                clock: Arc::new(clock.clone()),
                venues: vec![VenueId::CME],
                interval: Duration::from_secs(1),
                spares: 2,
            };
            let spawned = StrategyRunner::spawn_with_latency(
                strategy,
                config,
                Arc::clone(board),
                vec![Subscription::Blocking(blocking)],
                Some(latency),
            );
            match spawned {
                Ok(mut r) => {
                    // The runner's published → strategy histograms (the
                    // first source); a strategy's own recorder (the probe
                    // keeps one) would count the same stage again.
                    let mut own = r.take_latency_sources();
                    own.truncate(1);
                    sources.extend(own);
                    intents.push(StrategyIntents {
                        label: r.label().to_owned(),
                        ..Default::default()
                    });
                    // Taken once, right after the spawn: present.
                    let rx = r.take_intents().ok_or(StrategyConfigError::Parse {
                        message: "runner intent ring already taken".into(),
                    })?;
                    runners.push((r, rx));
                }
                Err(source) => {
                    for (r, _) in runners {
                        r.request_stop();
                    }
                    return Err(StrategyConfigError::Runner { index, source });
                }
            }
        }
        Ok((
            ReplayRunners {
                runners,
                digests: vec![FNV_OFFSET; intents.len()],
                intents,
                keep,
                clock: clock.clone(),
            },
            sources,
        ))
    }

    /// Takes the intents waiting in every runner's ring.
    pub fn drain_intents(&mut self) {
        let outs = self.intents.iter_mut().zip(self.digests.iter_mut());
        for ((_, rx), (out, digest)) in self.runners.iter_mut().zip(outs) {
            drain_one(rx, out, digest, self.keep);
        }
    }

    /// The producer's side of the lockstep (see the [module docs](self)).
    pub fn lockstep(&self) -> Lockstep {
        Lockstep {
            statuses: self
                .runners
                .iter()
                .map(|(r, _)| Arc::clone(r.status()))
                .collect(),
        }
    }

    /// Waits until every running strategy has handled `published` events,
    /// taking intents meanwhile.
    pub fn wait_for(&mut self, published: u64) {
        let lockstep = self.lockstep();
        let mut waiter = WaitStrategy::SpinThenYield { spins: 64 }.waiter();
        while lockstep.behind(published) {
            self.drain_intents();
            waiter.wait();
        }
    }

    /// Stops every runner (after it took every event), takes the last intents,
    /// and returns what each sent and the digest over all of them.
    ///
    /// # Errors
    /// The first runner that did not stop in time or whose thread panicked.
    pub fn finish(
        mut self,
        published: u64,
    ) -> Result<(Vec<StrategyIntents>, u64), crate::app::strategy_runner::RunnerError> {
        self.wait_for(published);
        for (r, _) in &self.runners {
            r.request_stop();
        }
        let mut first_error = None;
        let runners = std::mem::take(&mut self.runners);
        let mut receivers = Vec::with_capacity(runners.len());
        let mut handles = Vec::with_capacity(runners.len());
        for (r, rx) in runners {
            receivers.push(rx);
            handles.push(r);
        }
        // The receivers stay readable while the threads finish: drain as they do.
        self.runners = Vec::new();
        let mut pending: Vec<_> = handles.into_iter().map(Some).collect();
        let mut waiter = WaitStrategy::SpinThenYield { spins: 64 }.waiter();
        let clock = self.clock.clone();
        let start = clock.mono();
        let mut reports = Vec::new();
        while pending.iter().any(Option::is_some) {
            for (i, slot) in pending.iter_mut().enumerate() {
                drain_one(
                    &mut receivers[i],
                    &mut self.intents[i],
                    &mut self.digests[i],
                    self.keep,
                );
                if slot
                    .as_ref()
                    .is_some_and(|r| r.status().state() == RunnerState::Stopped)
                {
                    if let Some(r) = slot.take() {
                        reports.push((i, r.join(JOIN_TIMEOUT)));
                    }
                }
            }
            if MonoNanos::saturating_sub(clock.mono(), start) > JOIN_TIMEOUT.as_nanos() as u64 {
                for (i, slot) in pending.iter_mut().enumerate() {
                    if let Some(r) = slot.take() {
                        reports.push((i, r.join(Duration::ZERO)));
                    }
                }
                break;
            }
            waiter.wait();
        }
        for (i, rx) in receivers.iter_mut().enumerate() {
            drain_one(rx, &mut self.intents[i], &mut self.digests[i], self.keep);
        }
        for (i, r) in reports {
            match r {
                Ok(report) => {
                    self.intents[i].stats = report.stats;
                    self.intents[i].failure = report.failure;
                }
                Err(e) => {
                    first_error.get_or_insert(e);
                }
            }
        }
        match first_error {
            Some(e) => Err(e),
            None => {
                let digest = self
                    .digests
                    .iter()
                    .fold(FNV_OFFSET, |h, d| fnv(h, &d.to_le_bytes()));
                Ok((std::mem::take(&mut self.intents), digest))
            }
        }
    }
}

fn drain_one(rx: &mut IntentReceiver, out: &mut StrategyIntents, digest: &mut u64, keep: bool) {
    let mut bad = 0;
    rx.poll(usize::MAX, &mut bad, |intent| {
        out.count += 1;
        *digest = digest_intent(*digest, &intent);
        if keep {
            out.kept.push(intent);
        }
    });
    out.bad += bad;
}
