//! fixgate: a low-latency FIX market gateway and feed handler.
//!
//! This root crate holds the I/O shells around the sans-IO core
//! ([`fixgate_core`]): file and socket handling, simulators, and the command-line
//! tools. Protocol logic lives in `fixgate-core`; unsafe code only in
//! `fixgate-ring`.
//!
//! ```text
//!  files / sockets ──► fixgate (this crate: tools, sim) ──► fixgate-core (sans-IO)
//!                                                        └─► fixgate-ring (ring, unsafe)
//! ```
#![deny(unsafe_code)]
#![deny(missing_docs)]

pub mod sim;
pub mod tools;
