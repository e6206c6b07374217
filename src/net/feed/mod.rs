//! Feed receive: UDP unicast and multicast A/B lines read on a dedicated
//! thread, in batches, with receive timestamps and kernel drop counts.
//!
//! ```text
//!  line A socket ─┐  recvmmsg (batch)   ┌──────────┐  &RxBatch   ┌──────────────────────┐
//!                 ├───────────────────► │  UdpRx   │ ──────────► │ handler (feed thread)│ ─► arbiter, decoder
//!  line B socket ─┘  + SO_TIMESTAMPNS   │ (impl Rx)│  payload,   └──────────────────────┘
//!                    + SO_RXQ_OVFL      └──────────┘  ts_recv, ts source, line, src
//! ```
//!
//! | what | how | notes |
//! |---|---|---|
//! | unicast and multicast (IPv4) | [`open_feed_socket`]: socket2 for the options it has, nix for SO_TIMESTAMPNS, SO_TIMESTAMPING, SO_RXQ_OVFL, SO_RCVBUFFORCE | multicast sockets bound to the group, IP_MULTICAST_ALL off, joined on the configured interface only |
//! | batching | [`UdpRx`]: `recvmmsg` straight into a preallocated [`RxBatch`] pool; round robin over the sockets | no allocation per call (tested) |
//! | receive time | per packet, the best of hardware (SO_TIMESTAMPING), kernel (SO_TIMESTAMPNS, UTC), user space (the thread's [`Clock`](fixgate_core::time::Clock) read right after the call), recorded as [`TsSource`] | hardware stamps need the NIC's receive filter switched on by the host |
//! | kernel drops | SO_RXQ_OVFL's running count per socket, as a per-line count in each batch ([`RxBatch::kernel_drops`]) and per socket ([`SocketStats`]) | local overflow, told apart from upstream loss (the arbiter's `lost`) |
//! | receive buffer | SO_RCVBUF (or SO_RCVBUFFORCE) set, read back and reported ([`SocketReport`]); a warning when the kernel clamped it | |
//! | the thread | [`FeedThread`]: a named OS thread, [`WaitStrategy`] spin, spin-then-yield or blocking `poll` with a timeout | pinning and priorities are the app's wiring |
//! | other receive paths | the [`Rx`] trait (capture replay, a kernel-bypass API) | |
//!
//! Not here: IPv6 multicast, source-specific multicast (IGMPv3 joins), the
//! NIC's hardware timestamp filter (SIOCSHWTSTAMP, an ioctl with no safe
//! wrapper, needing CAP_NET_ADMIN: the host's PTP setup switches it on),
//! kernel bypass of its own (plain sockets, so a preloaded Onload or VMA
//! accelerates them unchanged), arbitration (`fixgate_core::normalize::arbiter`)
//! and decoding (`fixgate_core::md`).
//!
//! Linux only: `recvmmsg`, SO_RXQ_OVFL, IP_MULTICAST_ALL and the timestamp
//! options are Linux's.

mod rx;
mod socket;
mod thread;
mod udp;
mod wait;

pub use rx::{BatchError, Rx, RxBatch, RxError, RxPacket, TsSource, MAX_BATCH, MAX_SLOT_LEN};
pub use socket::{
    open_feed_socket, Endpoint, FeedSocketConfig, FeedSocketError, SocketReport, TimestampMode,
};
pub use thread::{FeedExit, FeedThread, FeedThreadError};
pub use udp::{SocketStats, UdpRx, MAX_SOCKETS};
pub use wait::WaitStrategy;
