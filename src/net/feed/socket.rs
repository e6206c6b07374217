//! Opening a feed socket: unicast or multicast, receive buffer, timestamps
//! and the kernel drop counter.

use std::fmt;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};

use fixgate_core::normalize::arbiter::Line;
use nix::sys::socket::{setsockopt, sockopt, TimestampingFlag};
use socket2::{Domain, Protocol, Socket, Type};
use thiserror::Error;

/// Where a feed socket receives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Endpoint {
    /// Unicast datagrams to this local address.
    Unicast(SocketAddrV4),
    /// A multicast group on a port, joined on one interface only.
    Multicast {
        /// The group (224.0.0.0/4).
        group: Ipv4Addr,
        /// The UDP port.
        port: u16,
        /// The IPv4 address of the interface to join on (127.0.0.1 in tests).
        interface: Ipv4Addr,
    },
}

impl fmt::Display for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Endpoint::Unicast(a) => write!(f, "udp://{a}"),
            Endpoint::Multicast {
                group,
                port,
                interface,
            } => write!(f, "udp://{group}:{port} on {interface}"),
        }
    }
}

/// How receive times are taken.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TimestampMode {
    /// SO_TIMESTAMPING with raw hardware and software receive stamps: the NIC
    /// stamp where the NIC's receive filter is on (switched on by the host's
    /// PTP setup, e.g. `hwstamp_ctl -r 1` or ptp4l: it needs an ioctl and
    /// CAP_NET_ADMIN, which fixgate leaves to the host), else the kernel's
    /// software stamp. Falls back to `Kernel` if the option is refused.
    Hardware,
    /// SO_TIMESTAMPNS: the kernel's receive time, UTC, nanoseconds.
    Kernel,
    /// No socket stamps: the feed thread reads its clock after each receive.
    User,
}

/// One feed socket's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FeedSocketConfig {
    /// The line it serves.
    pub line: Line,
    /// Where it receives.
    pub endpoint: Endpoint,
    /// SO_RCVBUF to ask for, in bytes (0: the system default). A feed wants
    /// megabytes: the buffer absorbs bursts while the feed thread is busy.
    pub rcvbuf_bytes: usize,
    /// Try SO_RCVBUFFORCE first (needs CAP_NET_ADMIN; passes
    /// `net.core.rmem_max`), then SO_RCVBUF.
    pub rcvbuf_force: bool,
    /// How receive times are taken.
    pub timestamps: TimestampMode,
}

impl FeedSocketConfig {
    /// A line on an endpoint with a 4 MiB receive buffer and kernel stamps.
    pub const fn new(line: Line, endpoint: Endpoint) -> Self {
        FeedSocketConfig {
            line,
            endpoint,
            rcvbuf_bytes: 4 << 20,
            rcvbuf_force: false,
            timestamps: TimestampMode::Kernel,
        }
    }
}

/// What a socket ended up with: report it at start-up.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SocketReport {
    /// The line.
    pub line: Line,
    /// The endpoint asked for.
    pub endpoint: Endpoint,
    /// The bound local address (the port the kernel chose for port 0).
    pub local: SocketAddr,
    /// SO_RCVBUF asked for (0: default).
    pub rcvbuf_requested: usize,
    /// SO_RCVBUF read back. Linux doubles the value set (the extra half is
    /// its bookkeeping) and caps it at twice `net.core.rmem_max`.
    pub rcvbuf_effective: usize,
    /// Whether the kernel gave less than asked (effective below twice the
    /// request): raise `net.core.rmem_max` or use `rcvbuf_force`.
    pub rcvbuf_clamped: bool,
    /// The timestamp mode in force (the request, or `Kernel`/`User` after a
    /// refusal).
    pub timestamps: TimestampMode,
    /// Whether SO_RXQ_OVFL (kernel drop counts) is on.
    pub rxq_ovfl: bool,
}

/// A feed socket could not be set up.
#[derive(Debug, Error)]
pub enum FeedSocketError {
    /// A system call failed.
    #[error("line {line} ({endpoint}): {step} failed: {source}")]
    Setup {
        /// The line.
        line: Line,
        /// The endpoint.
        endpoint: Endpoint,
        /// What was being done (`bind`, `IP_ADD_MEMBERSHIP`, ...).
        step: &'static str,
        /// The error.
        #[source]
        source: io::Error,
    },
    /// A multicast endpoint whose group is not a multicast address.
    #[error("line {line}: {group} is not a multicast group")]
    NotMulticast {
        /// The line.
        line: Line,
        /// The address given as group.
        group: Ipv4Addr,
    },
}

/// Opens, configures and binds a non-blocking feed socket.
///
/// Multicast sockets are bound to the group address (so only that group's
/// datagrams reach them, whatever else the host joined), have
/// IP_MULTICAST_ALL off (Linux: deliver only groups joined on this socket)
/// and join on the configured interface only. SO_REUSEADDR is set on them so
/// that several processes can listen to one group. Plain BSD sockets, so a
/// preloaded kernel-bypass library (Onload, VMA) accelerates them unchanged.
///
/// Logs a warning when the kernel clamped the receive buffer or refused the
/// timestamp mode.
///
/// # Errors
/// [`FeedSocketError`] naming the step that failed.
pub fn open_feed_socket(cfg: &FeedSocketConfig) -> Result<(Socket, SocketReport), FeedSocketError> {
    let fail = |step: &'static str| {
        move |source: io::Error| FeedSocketError::Setup {
            line: cfg.line,
            endpoint: cfg.endpoint,
            step,
            source,
        }
    };
    let socket =
        Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP)).map_err(fail("socket"))?;
    socket.set_nonblocking(true).map_err(fail("O_NONBLOCK"))?;
    let (rcvbuf_effective, rcvbuf_clamped) = set_rcvbuf(&socket, cfg).map_err(fail("SO_RCVBUF"))?;
    let timestamps = set_timestamps(&socket, cfg).map_err(fail("SO_TIMESTAMPNS"))?;
    setsockopt(&socket, sockopt::RxqOvfl, &1)
        .map_err(io::Error::from)
        .map_err(fail("SO_RXQ_OVFL"))?;
    match cfg.endpoint {
        Endpoint::Unicast(addr) => {
            socket.bind(&addr.into()).map_err(fail("bind"))?;
        }
        Endpoint::Multicast {
            group,
            port,
            interface,
        } => {
            if !group.is_multicast() {
                return Err(FeedSocketError::NotMulticast {
                    line: cfg.line,
                    group,
                });
            }
            socket
                .set_reuse_address(true)
                .map_err(fail("SO_REUSEADDR"))?;
            socket
                .bind(&SocketAddrV4::new(group, port).into())
                .map_err(fail("bind"))?;
            socket
                .set_multicast_all_v4(false)
                .map_err(fail("IP_MULTICAST_ALL"))?;
            socket
                .join_multicast_v4(&group, &interface)
                .map_err(fail("IP_ADD_MEMBERSHIP"))?;
        }
    }
    let local = socket
        .local_addr()
        .map_err(fail("getsockname"))?
        .as_socket()
        .unwrap_or(SocketAddr::V4(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0)));
    let report = SocketReport {
        line: cfg.line,
        endpoint: cfg.endpoint,
        local,
        rcvbuf_requested: cfg.rcvbuf_bytes,
        rcvbuf_effective,
        rcvbuf_clamped,
        timestamps,
        rxq_ovfl: true,
    };
    if rcvbuf_clamped {
        tracing::warn!(
            line = %cfg.line,
            endpoint = %cfg.endpoint,
            requested = cfg.rcvbuf_bytes,
            effective = rcvbuf_effective,
            "the kernel clamped SO_RCVBUF (raise net.core.rmem_max, or rcvbuf_force with CAP_NET_ADMIN): bursts may overflow the socket"
        );
    }
    Ok((socket, report))
}

/// Sets the receive buffer and reads it back: `(effective, clamped)`.
fn set_rcvbuf(socket: &Socket, cfg: &FeedSocketConfig) -> io::Result<(usize, bool)> {
    let want = cfg.rcvbuf_bytes;
    if want > 0 {
        let forced = cfg.rcvbuf_force && setsockopt(socket, sockopt::RcvBufForce, &want).is_ok();
        if !forced {
            socket.set_recv_buffer_size(want)?;
        }
    }
    let effective = socket.recv_buffer_size()?;
    // Linux stores twice the value set; less than that means a cap applied.
    Ok((effective, want > 0 && effective < want.saturating_mul(2)))
}

/// Switches on the receive stamps; returns the mode in force.
fn set_timestamps(socket: &Socket, cfg: &FeedSocketConfig) -> io::Result<TimestampMode> {
    if cfg.timestamps == TimestampMode::Hardware {
        let flags = TimestampingFlag::SOF_TIMESTAMPING_RX_HARDWARE
            | TimestampingFlag::SOF_TIMESTAMPING_RAW_HARDWARE
            | TimestampingFlag::SOF_TIMESTAMPING_RX_SOFTWARE
            | TimestampingFlag::SOF_TIMESTAMPING_SOFTWARE;
        match setsockopt(socket, sockopt::Timestamping, &flags) {
            Ok(()) => return Ok(TimestampMode::Hardware),
            Err(errno) => tracing::warn!(
                line = %cfg.line,
                %errno,
                "SO_TIMESTAMPING refused; falling back to SO_TIMESTAMPNS"
            ),
        }
    }
    if cfg.timestamps == TimestampMode::User {
        return Ok(TimestampMode::User);
    }
    setsockopt(socket, sockopt::ReceiveTimestampns, &true)?;
    Ok(TimestampMode::Kernel)
}
