//! A replay's configuration file: the `[replay]` table (line map, channel
//! sizes) and the `[[strategy]]` blocks (the same as live, see
//! [`crate::app::strategies`]).
//!
//! ```toml
//! [replay]
//! channel = 310
//! max_instruments = 4096
//! max_orders = 65536
//! unknown_instruments = "define"     # define | refuse
//! ring_capacity = 4096
//!
//! [[replay.line]]
//! address = "224.0.31.1"
//! port = 14310
//! line = "A"
//! feed = "incremental"               # auto (default) | incremental | definition | recovery
//!
//! [[strategy]]
//! name = "latency_probe"
//! subscribe = [{ ring = "cme", mode = "blocking" }]
//! ```

use serde::Deserialize;

use super::lines::LineConfig;
use crate::app::strategies::{parse_strategies, StrategyConfig, StrategyConfigError};

/// What to do with entries of instruments that the capture never defined.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnknownInstruments {
    /// A placeholder definition (10 outright, 2 implied levels) at first sight:
    /// captures often start after the definition loop went by.
    #[default]
    Define,
    /// Refuse and count them.
    Refuse,
}

/// The `[replay]` table.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReplaySection {
    /// The channel id stamped on events.
    #[serde(default)]
    pub channel: u32,
    /// Instruments the normalizer holds.
    #[serde(default = "default_instruments")]
    pub max_instruments: usize,
    /// Resting orders the normalizer holds (MBO).
    #[serde(default = "default_orders")]
    pub max_orders: usize,
    /// Instruments without a definition.
    #[serde(default)]
    pub unknown_instruments: UnknownInstruments,
    /// Slots of the event ring (a power of two).
    #[serde(default = "default_ring")]
    pub ring_capacity: usize,
    /// The destination map.
    #[serde(default)]
    pub line: Vec<LineConfig>,
}

fn default_instruments() -> usize {
    4096
}
fn default_orders() -> usize {
    1 << 16
}
fn default_ring() -> usize {
    4096
}

impl Default for ReplaySection {
    fn default() -> Self {
        ReplaySection {
            channel: 0,
            max_instruments: default_instruments(),
            max_orders: default_orders(),
            unknown_instruments: UnknownInstruments::Define,
            ring_capacity: default_ring(),
            line: Vec::new(),
        }
    }
}

#[derive(Deserialize)]
struct ReplayFile {
    #[serde(default)]
    replay: ReplaySection,
}

/// A whole replay configuration.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReplayConfig {
    /// The `[replay]` table (defaults when absent).
    pub replay: ReplaySection,
    /// The strategies to run.
    pub strategies: Vec<StrategyConfig>,
}

impl ReplayConfig {
    /// Reads a configuration's text (other tables are ignored).
    ///
    /// # Errors
    /// [`StrategyConfigError::Parse`] naming the line and column.
    pub fn parse(text: &str) -> Result<Self, StrategyConfigError> {
        let file: ReplayFile = toml::from_str(text).map_err(|e| StrategyConfigError::Parse {
            message: e.to_string().trim_end().to_owned(),
        })?;
        Ok(ReplayConfig {
            replay: file.replay,
            strategies: parse_strategies(text)?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::replay::lines::LineName;

    #[test]
    fn parses_lines_and_strategies_with_defaults() {
        let c = ReplayConfig::parse(
            r#"
            [replay]
            channel = 310
            [[replay.line]]
            address = "224.0.31.1"
            port = 14310
            line = "B"
            [[strategy]]
            name = "latency_probe"
            "#,
        )
        .unwrap();
        assert_eq!(c.replay.channel, 310);
        assert_eq!(c.replay.max_instruments, 4096);
        assert_eq!(c.replay.line[0].line, LineName::B);
        assert_eq!(c.strategies.len(), 1);
        assert_eq!(ReplayConfig::parse("").unwrap(), ReplayConfig::default());
        let bad = ReplayConfig::parse("[replay]\nchanel = 1\n").unwrap_err();
        assert!(bad.to_string().contains("chanel"), "{bad}");
    }
}
