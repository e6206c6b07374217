//! Market-data decoding: venue wire formats as zero-copy views, and the capture
//! dissection that gets their bytes out of recorded frames.
//!
//! | module | what | hot path |
//! |---|---|---|
//! | [`cme`] | CME MDP 3.0 (SBE): packet and message framing, hand-written views of templates 4, 12, 27, 29, 30, 32, 35, 37, 42, 46–56, a field walk for tools | yes: no allocation, no panics, one length check per view |
//! | [`sbe`] | a generic SBE interpreter that loads a schema XML at run time and decodes any message into an owned tree | no: tests and tools use it as an independent check of [`cme`] |
//! | [`frame`] | sans-IO dissection of captured frames: Ethernet, 802.1Q, IPv4, UDP, TCP | no allocation; used by replay and `fixgate decode` |
//!
//! Not here: sequencing, A/B arbitration, books (the normalizer's job), sockets
//! and capture files (the root crate's `net`).

pub mod cme;
pub mod frame;
pub mod sbe;
