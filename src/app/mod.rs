//! Applications wired onto sessions and rings by the binary: the acceptance
//! echo application, strategy threads (runners, pinning, the per-strategy
//! order rings, and the registry that builds strategies from configuration),
//! the recorder of the normalized event stream (DBN files), and the replay of
//! captures through the live pipeline (`replay`), and the capture of feed
//! lines to pcap files (`record`).

pub mod echo;
pub mod order_rings;
pub mod pin;
pub mod record;
pub mod recorder;
pub mod replay;
mod runner_loop;
pub mod strategies;
pub mod strategy_runner;
