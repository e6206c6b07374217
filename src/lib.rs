//! fixgate: a low-latency FIX market gateway and feed handler.
//!
//! This root crate holds the I/O shells around the sans-IO core
//! ([`fixgate_core`]): sockets and timers ([`net`]), configuration files
//! ([`config`]), applications wired onto sessions ([`app`]), latency reports
//! ([`report`]), simulators ([`sim`]) and the command-line tools ([`tools`]). Protocol logic lives in
//! `fixgate-core`; `unsafe_code` only in `fixgate-ring`.
//!
//! ```text
//!  files / sockets ──► fixgate (this crate: net, config, app, report, tools, sim)
//!                          └─► fixgate-core (sans-IO)   └─► fixgate-ring (ring, unsafe_code)
//! ```
#![deny(unsafe_code)]
#![deny(missing_docs)]

pub mod app;
pub mod config;
pub mod net;
pub mod report;
pub mod sim;
pub mod tools;
