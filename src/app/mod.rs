//! Applications wired onto sessions and rings by the binary: the acceptance
//! echo application, strategy threads (runners, pinning, the per-strategy
//! order rings, and the registry that builds strategies from configuration),
//! and the recorder of the normalized event stream (DBN files).

pub mod echo;
pub mod order_rings;
pub mod pin;
pub mod recorder;
mod runner_loop;
pub mod strategies;
pub mod strategy_runner;
