//! Applications wired onto sessions and rings by the binary: the acceptance
//! echo application, and strategy threads (runners, pinning, the per-strategy
//! order rings, and the registry that builds strategies from configuration).

pub mod echo;
pub mod order_rings;
pub mod pin;
mod runner_loop;
pub mod strategies;
pub mod strategy_runner;
