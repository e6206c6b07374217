//! Strategies chosen by name in configuration, built by a registry of
//! constructors with typed parameters, and started as runners.
//!
//! ```toml
//! [[strategy]]
//! name = "market_maker"            # a name in the registry
//! label = "mm-gpu"                 # thread and counter name (default: name-index)
//! cpu = 2                          # pin to absolute CPU 2 (checked)
//! wait = "spin-yield-park"         # spin | spin-yield | spin-yield-park
//! subscribe = [{ ring = "cme", mode = "lossy" }]
//! [strategy.params]                # the constructor's typed parameters
//! instrument_id = 7
//! tick_e9 = 250000000
//! half_spread_ticks = 2
//! size_lots = 3
//! max_position_lots = 10
//! skew_ticks_per_lot = 1
//! requote_threshold_ticks = 2
//! ```
//!
//! Built-ins: `latency_probe` ([`LatencyProbeParams`]) and `market_maker`
//! ([`MarketMakerParams`]). A firm registers its own with
//! [`StrategyRegistry::register`] (see `examples/custom_strategy.rs`). Errors
//! name the `[[strategy]]` block and the parameter at fault: parameters are
//! deserialized with unknown fields denied, then checked by the constructor.
//!
//! Spinning threads never outnumber the cores: when more strategies ask for
//! `wait = "spin"` than there are CPUs to spare, the extra ones fall back to
//! spin-yield-park with a warning.

use std::collections::BTreeMap;
use std::sync::Arc;

use fixgate_core::board::Board;
use fixgate_core::event::Event;
use fixgate_core::strategy::latency_probe::{LatencyProbe, LatencyProbeParams};
use fixgate_core::strategy::market_maker::{MarketMaker, MarketMakerParams};
use fixgate_core::strategy::{ParamError, Strategy};
use fixgate_ring::{Subscribers, WaitStrategy};
use serde::de::DeserializeOwned;
use serde::Deserialize;

use super::strategy_runner::{
    RunnerConfig, RunnerError, RunnerLatency, StrategyRunner, Subscription, TimeSource,
};

/// How a strategy reads a ring.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SubscribeMode {
    /// Every event; the producer waits for this strategy.
    Blocking,
    /// Never slows the producer; lapped strategies resync from the board.
    Lossy,
}

/// One ring a strategy reads.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscribeConfig {
    /// The ring's name (as the application registered it).
    pub ring: String,
    /// Blocking or lossy.
    pub mode: SubscribeMode,
}

/// A wait strategy by name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
pub enum WaitName {
    /// Busy-spin (only on a core of its own).
    #[serde(rename = "spin")]
    Spin,
    /// Spin, then yield.
    #[serde(rename = "spin-yield")]
    SpinYield,
    /// Spin, yield, then park 50 µs at a time.
    #[serde(rename = "spin-yield-park")]
    #[default]
    SpinYieldPark,
}

impl WaitName {
    /// The ring's wait strategy.
    pub fn strategy(self) -> WaitStrategy {
        match self {
            WaitName::Spin => WaitStrategy::Spin,
            WaitName::SpinYield => WaitStrategy::SpinThenYield { spins: 100 },
            WaitName::SpinYieldPark => WaitStrategy::BACKOFF,
        }
    }
}

/// One `[[strategy]]` block.
#[derive(Clone, Debug, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StrategyConfig {
    /// The registry name.
    pub name: String,
    /// Thread and counter label (default `name-index`).
    #[serde(default)]
    pub label: Option<String>,
    /// Absolute CPU id to pin to.
    #[serde(default)]
    pub cpu: Option<usize>,
    /// How the thread waits when idle.
    #[serde(default)]
    pub wait: WaitName,
    /// The rings it reads.
    #[serde(default)]
    pub subscribe: Vec<SubscribeConfig>,
    /// The constructor's parameters.
    #[serde(default)]
    pub params: toml::Table,
}

/// The `[[strategy]]` blocks of a configuration file.
#[derive(Clone, Debug, Default, PartialEq, Deserialize)]
pub struct StrategiesFile {
    /// The blocks, in order.
    #[serde(default)]
    pub strategy: Vec<StrategyConfig>,
}

/// Why strategies could not be built or started.
#[derive(Debug, thiserror::Error)]
pub enum StrategyConfigError {
    /// The TOML does not describe strategies.
    #[error("strategy configuration: {message}")]
    Parse {
        /// The parser's message (with line and column).
        message: String,
    },
    /// No constructor has that name.
    #[error("[[strategy]] {index}: unknown strategy {name:?} (known: {known})")]
    UnknownStrategy {
        /// Position of the block.
        index: usize,
        /// The name given.
        name: String,
        /// The registered names.
        known: String,
    },
    /// The parameters do not deserialize (missing, unknown or mistyped).
    #[error("[[strategy]] {index} ({name}): params: {message}")]
    Params {
        /// Position of the block.
        index: usize,
        /// The strategy.
        name: String,
        /// The deserializer's message, which names the parameter.
        message: String,
    },
    /// A parameter has a value the strategy refuses.
    #[error("[[strategy]] {index} ({name}): {source}")]
    Invalid {
        /// Position of the block.
        index: usize,
        /// The strategy.
        name: String,
        /// The parameter and the problem.
        source: ParamError,
    },
    /// A subscription names a ring the application does not have.
    #[error("[[strategy]] {index} ({name}): unknown ring {ring:?}")]
    UnknownRing {
        /// Position of the block.
        index: usize,
        /// The strategy.
        name: String,
        /// The ring named.
        ring: String,
    },
    /// A blocking subscription found no free seat on its ring.
    #[error("[[strategy]] {index} ({name}): ring {ring:?}: {source}")]
    Join {
        /// Position of the block.
        index: usize,
        /// The strategy.
        name: String,
        /// The ring.
        ring: String,
        /// Why.
        source: fixgate_ring::JoinError,
    },
    /// The runner did not start (pinning, rings, thread).
    #[error("[[strategy]] {index}: {source}")]
    Runner {
        /// Position of the block.
        index: usize,
        /// Why.
        source: RunnerError,
    },
}

/// Why a constructor could not build its strategy.
#[derive(Debug)]
pub enum BuildError {
    /// The parameters do not deserialize; the message names the parameter.
    Params(String),
    /// A parameter's value is refused.
    Invalid(ParamError),
}

type Constructor = Box<dyn Fn(&toml::Table) -> Result<Box<dyn Strategy>, BuildError> + Send + Sync>;

/// Strategy constructors by name.
pub struct StrategyRegistry {
    constructors: BTreeMap<String, Constructor>,
}

impl std::fmt::Debug for StrategyRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.constructors.keys()).finish()
    }
}

impl Default for StrategyRegistry {
    fn default() -> Self {
        Self::with_builtins()
    }
}

impl StrategyRegistry {
    /// A registry without any strategy.
    pub fn empty() -> Self {
        StrategyRegistry {
            constructors: BTreeMap::new(),
        }
    }

    /// A registry with the built-ins: `latency_probe` and `market_maker`.
    pub fn with_builtins() -> Self {
        let mut registry = Self::empty();
        registry.register("latency_probe", |p: LatencyProbeParams| {
            Ok(Box::new(LatencyProbe::from_params(&p)?))
        });
        registry.register("market_maker", |p: MarketMakerParams| {
            Ok(Box::new(MarketMaker::new(p)?))
        });
        registry
    }

    /// Registers `build` under `name` (replacing an earlier one of that name).
    /// `P` is deserialized from the block's `[strategy.params]` table with
    /// serde, so mistyped, missing and (with `#[serde(deny_unknown_fields)]`)
    /// unknown parameters are reported by name.
    pub fn register<P, F>(&mut self, name: &str, build: F)
    where
        P: DeserializeOwned,
        F: Fn(P) -> Result<Box<dyn Strategy>, ParamError> + Send + Sync + 'static,
    {
        let constructor: Constructor = Box::new(move |table: &toml::Table| {
            let params = P::deserialize(toml::Value::Table(table.clone()))
                .map_err(|e| BuildError::Params(e.to_string().trim_end().to_owned()))?;
            build(params).map_err(BuildError::Invalid)
        });
        self.constructors.insert(name.to_owned(), constructor);
    }

    /// The registered names.
    pub fn names(&self) -> impl Iterator<Item = &str> + '_ {
        self.constructors.keys().map(String::as_str)
    }

    /// Builds the strategy of block `index`.
    ///
    /// # Errors
    /// [`StrategyConfigError::UnknownStrategy`], [`StrategyConfigError::Params`],
    /// [`StrategyConfigError::Invalid`].
    pub fn build(
        &self,
        index: usize,
        config: &StrategyConfig,
    ) -> Result<Box<dyn Strategy>, StrategyConfigError> {
        let name = config.name.clone();
        let Some(constructor) = self.constructors.get(&config.name) else {
            return Err(StrategyConfigError::UnknownStrategy {
                index,
                name,
                known: self.names().collect::<Vec<_>>().join(", "),
            });
        };
        constructor(&config.params).map_err(|e| match e {
            BuildError::Params(message) => StrategyConfigError::Params {
                index,
                name,
                message,
            },
            BuildError::Invalid(source) => StrategyConfigError::Invalid {
                index,
                name,
                source,
            },
        })
    }
}

/// Reads the `[[strategy]]` blocks of a TOML text (other tables are ignored).
///
/// # Errors
/// [`StrategyConfigError::Parse`].
pub fn parse_strategies(text: &str) -> Result<Vec<StrategyConfig>, StrategyConfigError> {
    let file: StrategiesFile = toml::from_str(text).map_err(|e| StrategyConfigError::Parse {
        message: e.to_string().trim_end().to_owned(),
    })?;
    Ok(file.strategy)
}

/// What the started strategies share.
#[derive(Clone, Debug)]
pub struct Wiring {
    /// The board every strategy reads.
    pub board: Arc<Board>,
    /// The application's event rings by name.
    pub rings: BTreeMap<String, Subscribers<Event>>,
    /// The runners' clock.
    pub time: TimeSource,
    /// CPUs that spinning threads may take (the others share cores); `None`:
    /// all of `available_parallelism` but one.
    pub spinning_cpus: Option<usize>,
    /// Latency recording for every runner (`None`: none); the merger takes
    /// each runner's sources with `StrategyRunner::take_latency_sources`.
    pub latency: Option<RunnerLatency>,
}

/// Builds every configured strategy, then starts one runner each. Nothing is
/// started unless every block builds and subscribes.
///
/// # Errors
/// The first [`StrategyConfigError`]; runners already started are stopped.
pub fn start_strategies(
    registry: &StrategyRegistry,
    configs: &[StrategyConfig],
    wiring: &Wiring,
) -> Result<Vec<StrategyRunner>, StrategyConfigError> {
    let mut prepared = Vec::with_capacity(configs.len());
    let spare = wiring.spinning_cpus.unwrap_or_else(|| {
        std::thread::available_parallelism().map_or(0, |n| n.get().saturating_sub(1))
    });
    let mut spinners = 0;
    for (index, config) in configs.iter().enumerate() {
        let strategy = registry.build(index, config)?;
        let mut runner = RunnerConfig::new(
            config
                .label
                .as_deref()
                .unwrap_or(&format!("{}-{index}", config.name)),
        );
        runner.cpu = config.cpu;
        runner.time = wiring.time.clone();
        runner.wait = config.wait.strategy();
        if config.wait == WaitName::Spin {
            spinners += 1;
            if spinners > spare {
                tracing::warn!(
                    strategy = %runner.label,
                    spare_cpus = spare,
                    "more spinning threads than spare CPUs: falling back to spin-yield-park"
                );
                runner.wait = WaitStrategy::BACKOFF;
            }
        }
        let mut subscriptions = Vec::with_capacity(config.subscribe.len());
        for sub in &config.subscribe {
            let Some(ring) = wiring.rings.get(&sub.ring) else {
                return Err(StrategyConfigError::UnknownRing {
                    index,
                    name: config.name.clone(),
                    ring: sub.ring.clone(),
                });
            };
            subscriptions.push(match sub.mode {
                SubscribeMode::Lossy => Subscription::Lossy(ring.lossy(runner.wait)),
                SubscribeMode::Blocking => {
                    let blocking =
                        ring.blocking(runner.wait)
                            .map_err(|source| StrategyConfigError::Join {
                                index,
                                name: config.name.clone(),
                                ring: sub.ring.clone(),
                                source,
                            })?;
                    Subscription::Blocking(blocking)
                }
            });
        }
        prepared.push((index, strategy, runner, subscriptions));
    }
    let mut started = Vec::with_capacity(prepared.len());
    for (index, strategy, runner, subscriptions) in prepared {
        let board = Arc::clone(&wiring.board);
        let latency = wiring.latency.clone();
        match StrategyRunner::spawn_with_latency(strategy, runner, board, subscriptions, latency) {
            Ok(r) => started.push(r),
            Err(source) => {
                for r in started {
                    r.request_stop();
                }
                return Err(StrategyConfigError::Runner { index, source });
            }
        }
    }
    Ok(started)
}
