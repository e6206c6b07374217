//! [`UdpRx`]: `recvmmsg` over a set of feed sockets, straight into a batch's
//! pool, with each packet's receive stamp and the kernel's drop counts.

use std::cell::RefCell;
use std::io::IoSliceMut;
use std::net::{SocketAddr, SocketAddrV4, SocketAddrV6};
use std::os::fd::{AsFd, AsRawFd, RawFd};
use std::time::Duration;

use fixgate_core::time::{Clock, UtcNanos};
use nix::errno::Errno;
use nix::poll::{poll, PollFd, PollFlags, PollTimeout};
use nix::sys::socket::{
    recvmmsg, ControlMessageOwned, MsgFlags, MultiHeaders, SockaddrStorage, Timestamps,
};
use nix::sys::time::TimeSpec;
use socket2::Socket;

use super::rx::{Meta, Rx, RxBatch, RxError, TsSource, MAX_BATCH};
use super::socket::{open_feed_socket, FeedSocketConfig, FeedSocketError, SocketReport};

/// The most sockets one receiver polls.
pub const MAX_SOCKETS: usize = 16;

/// What one socket has seen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SocketStats {
    /// Packets received and kept.
    pub packets: u64,
    /// Their payload bytes.
    pub bytes: u64,
    /// Datagrams longer than a batch slot (truncated by the kernel, dropped).
    pub truncated: u64,
    /// Datagrams the kernel dropped because the socket buffer was full
    /// (SO_RXQ_OVFL).
    pub kernel_drops: u64,
    /// Packets whose control messages came back truncated (no socket stamp
    /// for them; see `header_rebuilds`).
    pub cmsg_truncated: u64,
    /// Times this socket's `recvmmsg` headers were rebuilt after a truncation
    /// (expected at most once, at the first kernel drop).
    pub header_rebuilds: u64,
    /// `recvmmsg` calls.
    pub recv_calls: u64,
    /// Of those, the ones that found nothing.
    pub empty_calls: u64,
}

thread_local! {
    /// `recvmmsg` headers, one set per socket (by descriptor) per thread.
    ///
    /// They point into themselves (raw pointers, so not `Send`): each feed
    /// thread makes its own on its first receive from a socket ([`MAX_BATCH`]
    /// messages with room for the control messages, about 70 KiB), which keeps
    /// [`UdpRx`] `Send` (opened on one thread, run on another).
    ///
    /// One set per socket, and rebuilt when a message comes back with its
    /// control data truncated: the kernel writes the length it used back into
    /// each header's control capacity, and nix 0.30 does not restore it
    /// between calls (nix-rust/nix PR 2813), so a slot that once received
    /// fewer control messages (no SO_RXQ_OVFL count before the first drop; a
    /// socket without stamps) would truncate every later, larger set. The
    /// set a socket's messages carry only grows once (when the kernel first
    /// drops on it), so this costs at most one rebuild per socket, at the
    /// first overflow, and that batch's stamps; the drop count itself is a
    /// running total, carried again by the next packet.
    static HEADERS: RefCell<Vec<(RawFd, MultiHeaders<SockaddrStorage>)>> =
        const { RefCell::new(Vec::new()) };
}

fn new_headers() -> MultiHeaders<SockaddrStorage> {
    // Room for SO_TIMESTAMPING's three stamps (or SO_TIMESTAMPNS's one) and
    // SO_RXQ_OVFL's counter, per message.
    let cmsg = nix::cmsg_space!(Timestamps, TimeSpec, u32);
    MultiHeaders::preallocate(MAX_BATCH, Some(cmsg))
}

/// The index of `fd`'s headers in the thread's list, made if missing.
fn headers_for(list: &mut Vec<(RawFd, MultiHeaders<SockaddrStorage>)>, fd: RawFd) -> usize {
    if let Some(i) = list.iter().position(|(f, _)| *f == fd) {
        return i;
    }
    if list.len() >= 4 * MAX_SOCKETS {
        // Descriptors of closed sockets: start over.
        list.clear();
    }
    list.push((fd, new_headers()));
    list.len() - 1
}

struct LineSocket {
    socket: Socket,
    report: SocketReport,
    stats: SocketStats,
    /// The last SO_RXQ_OVFL total seen (the kernel's running count).
    ovfl_total: u32,
}

/// Receives from UDP sockets with `recvmmsg` (up to a batch per call per
/// socket, straight into the batch's slots), stamping each packet with the
/// best receive time it has ([`TsSource`]).
///
/// Sockets are polled round robin, starting one further each call, so a busy
/// line cannot starve the other. Nothing allocates per call: the `recvmmsg`
/// headers and control-message space are allocated in [`UdpRx::new`], the
/// I/O vectors live on the stack, and the `recvmmsg` headers are allocated
/// once per thread, on the first receive.
pub struct UdpRx<C: Clock> {
    sockets: Vec<LineSocket>,
    clock: C,
    next_first: usize,
}

impl<C: Clock> UdpRx<C> {
    /// Opens one socket per configuration ([`open_feed_socket`]).
    ///
    /// # Errors
    /// The first socket that could not be set up; more than [`MAX_SOCKETS`]
    /// configurations is reported as `EINVAL` on the last one.
    pub fn open(configs: &[FeedSocketConfig], clock: C) -> Result<Self, FeedSocketError> {
        let mut sockets = Vec::with_capacity(configs.len());
        for (i, cfg) in configs.iter().enumerate() {
            if i >= MAX_SOCKETS {
                return Err(FeedSocketError::Setup {
                    line: cfg.line,
                    endpoint: cfg.endpoint,
                    step: "too many sockets for one receiver",
                    source: std::io::Error::from(std::io::ErrorKind::InvalidInput),
                });
            }
            let (socket, report) = open_feed_socket(cfg)?;
            sockets.push(LineSocket {
                socket,
                report,
                stats: SocketStats::default(),
                ovfl_total: 0,
            });
        }
        Ok(UdpRx {
            sockets,
            clock,
            next_first: 0,
        })
    }

    /// What each socket ended up with, in configuration order.
    pub fn reports(&self) -> impl Iterator<Item = &SocketReport> + '_ {
        self.sockets.iter().map(|s| &s.report)
    }

    /// Socket `index`'s counts.
    pub fn stats(&self, index: usize) -> Option<SocketStats> {
        self.sockets.get(index).map(|s| s.stats)
    }

    /// The sockets' local addresses (the port the kernel chose for port 0).
    pub fn local_addrs(&self) -> impl Iterator<Item = SocketAddr> + '_ {
        self.sockets.iter().map(|s| s.report.local)
    }

    /// One `recvmmsg` on socket `index` into the batch's free slots.
    fn recv_socket(&mut self, index: usize, batch: &mut RxBatch) -> Result<(), RxError> {
        let slot_len = batch.slot_len();
        let want = batch.free_slots().min(MAX_BATCH);
        let UdpRx { sockets, clock, .. } = self;
        let Some(ls) = sockets.get_mut(index) else {
            return Ok(());
        };
        if want == 0 {
            return Ok(());
        }
        let line = ls.report.line;
        let fd = ls.socket.as_raw_fd();
        // Per-packet results, copied out of the headers so that the batch is
        // free to borrow again when they are recorded.
        let mut got = [Got::EMPTY; MAX_BATCH];
        let mut dropped = 0u64;
        let outcome = HEADERS.with_borrow_mut(|list| {
            let i = headers_for(list, fd);
            let mut ctrunc = false;
            let headers = &mut list[i].1;
            let (first_slot, pool) = batch.free_pool();
            let mut chunks = pool.chunks_exact_mut(slot_len);
            let mut iovs: [[IoSliceMut<'_>; 1]; MAX_BATCH] =
                std::array::from_fn(|_| [IoSliceMut::new(chunks.next().unwrap_or_default())]);
            ls.stats.recv_calls += 1;
            let result = recvmmsg(
                fd,
                headers,
                iovs[..want].iter_mut(),
                MsgFlags::MSG_DONTWAIT,
                None,
            );
            // The user-space stamp: right after the call returned.
            let t_user = clock.utc();
            let results = match result {
                Ok(r) => r,
                Err(Errno::EAGAIN | Errno::EINTR) => return Ok((first_slot, 0, t_user)),
                Err(errno) => {
                    return Err(RxError::Recv {
                        socket: index as u16,
                        line,
                        errno,
                    })
                }
            };
            let mut n = 0;
            for (r, out) in results.zip(got.iter_mut()) {
                out.len = r.bytes as u32;
                out.truncated = r.flags.contains(MsgFlags::MSG_TRUNC);
                out.src = r.address.as_ref().and_then(sockaddr);
                match r.cmsgs() {
                    Ok(cmsgs) => {
                        for c in cmsgs {
                            match c {
                                ControlMessageOwned::ScmTimestampns(t) => {
                                    out.stamp = utc(t).map(|t| (t, TsSource::Kernel));
                                }
                                ControlMessageOwned::ScmTimestampsns(t) => {
                                    out.stamp = utc(t.hw_raw)
                                        .map(|t| (t, TsSource::Hardware))
                                        .or_else(|| utc(t.system).map(|t| (t, TsSource::Kernel)));
                                }
                                ControlMessageOwned::RxqOvfl(total) => {
                                    // The kernel's running count of drops on
                                    // this socket, as of this packet.
                                    dropped += u64::from(total.wrapping_sub(ls.ovfl_total));
                                    ls.ovfl_total = total;
                                }
                                _ => {}
                            }
                        }
                    }
                    Err(_) => {
                        ls.stats.cmsg_truncated += 1;
                        ctrunc = true;
                    }
                }
                n += 1;
            }
            if ctrunc {
                ls.stats.header_rebuilds += 1;
                list[i].1 = new_headers();
            }
            Ok((first_slot, n, t_user))
        });
        let (first_slot, received, t_user) = outcome?;
        if received == 0 {
            ls.stats.empty_calls += 1;
        }
        ls.stats.kernel_drops += dropped;
        batch.add_kernel_drops(line, dropped);
        batch.use_slots(received);
        for (k, g) in got[..received].iter().enumerate() {
            if g.truncated {
                ls.stats.truncated += 1;
                continue;
            }
            ls.stats.packets += 1;
            ls.stats.bytes += u64::from(g.len);
            let (ts_recv, ts_source) = g.stamp.unwrap_or((t_user, TsSource::User));
            batch.record(Meta {
                slot: (first_slot + k) as u16,
                len: g.len,
                ts_recv,
                ts_source,
                line,
                socket: index as u16,
                src: g.src,
            });
        }
        Ok(())
    }
}

/// One datagram's result, out of the `recvmmsg` headers.
#[derive(Clone, Copy)]
struct Got {
    len: u32,
    truncated: bool,
    stamp: Option<(UtcNanos, TsSource)>,
    src: Option<SocketAddr>,
}

impl Got {
    const EMPTY: Got = Got {
        len: 0,
        truncated: false,
        stamp: None,
        src: None,
    };
}

impl<C: Clock> Rx for UdpRx<C> {
    fn recv_batch(&mut self, batch: &mut RxBatch) -> Result<usize, RxError> {
        batch.clear();
        let n = self.sockets.len();
        if n == 0 {
            return Ok(0);
        }
        let first = self.next_first % n;
        self.next_first = (first + 1) % n;
        for k in 0..n {
            if batch.free_slots() == 0 {
                break;
            }
            self.recv_socket((first + k) % n, batch)?;
        }
        Ok(batch.len())
    }

    fn wait_readable(&mut self, timeout: Duration) -> Result<(), RxError> {
        let n = self.sockets.len().min(MAX_SOCKETS);
        if n == 0 {
            std::thread::sleep(timeout);
            return Ok(());
        }
        // Unused entries repeat the last socket: harmless, and no allocation.
        let mut fds: [PollFd<'_>; MAX_SOCKETS] = std::array::from_fn(|i| {
            PollFd::new(self.sockets[i.min(n - 1)].socket.as_fd(), PollFlags::POLLIN)
        });
        let ms = timeout.as_millis().clamp(1, i32::MAX as u128) as i32;
        let timeout = PollTimeout::try_from(ms).unwrap_or(PollTimeout::MAX);
        match poll(&mut fds[..n], timeout) {
            Ok(_) | Err(Errno::EINTR) => Ok(()),
            Err(errno) => Err(RxError::Wait { errno }),
        }
    }
}

/// A stamp as UTC nanoseconds; `None` for the zero the kernel leaves in
/// stamps it did not take (and anything before 1970).
fn utc(t: TimeSpec) -> Option<UtcNanos> {
    let secs = u64::try_from(t.tv_sec()).ok()?;
    let nanos = u64::try_from(t.tv_nsec()).ok()?;
    let total = secs.checked_mul(1_000_000_000)?.checked_add(nanos)?;
    (total > 0).then_some(UtcNanos::from_nanos(total))
}

/// A sender address in std form.
fn sockaddr(a: &SockaddrStorage) -> Option<SocketAddr> {
    if let Some(v4) = a.as_sockaddr_in() {
        return Some(SocketAddr::V4(SocketAddrV4::from(*v4)));
    }
    a.as_sockaddr_in6()
        .map(|v6| SocketAddr::V6(SocketAddrV6::from(*v6)))
}
