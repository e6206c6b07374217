//! The receive interface: the [`Rx`] trait and the preallocated [`RxBatch`]
//! it fills.

use std::net::SocketAddr;
use std::time::Duration;

use fixgate_core::normalize::arbiter::Line;
use fixgate_core::time::UtcNanos;
use nix::errno::Errno;
use thiserror::Error;

/// The most packets one batch holds (and one `recvmmsg` call asks for).
pub const MAX_BATCH: usize = 256;

/// The largest slot: a whole UDP payload.
pub const MAX_SLOT_LEN: usize = 65_536;

/// Where a packet's `ts_recv` came from, best first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum TsSource {
    /// The NIC's clock at the wire (SO_TIMESTAMPING raw hardware stamp). It is
    /// the NIC's PTP hardware clock, in whatever timescale that clock is
    /// disciplined to (ptp4l keeps it on TAI by default, 37 s ahead of UTC;
    /// phc2sys and the NIC setup decide): fixgate reports it as given.
    Hardware,
    /// The kernel's receive time (SO_TIMESTAMPNS, or the software stamp of
    /// SO_TIMESTAMPING): CLOCK_REALTIME, UTC, taken when the packet reached
    /// the socket layer, before it waited in the socket buffer.
    Kernel,
    /// The feed thread's clock read right after the receive call returned:
    /// UTC, and includes the time the packet waited in the socket buffer.
    User,
}

impl TsSource {
    /// A short name for logs and reports.
    pub const fn name(self) -> &'static str {
        match self {
            TsSource::Hardware => "hardware",
            TsSource::Kernel => "kernel",
            TsSource::User => "user",
        }
    }
}

/// A receive failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum RxError {
    /// `recvmmsg` failed on a socket (other than "nothing to read").
    #[error("receive on socket {socket} (line {line}) failed: {errno}")]
    Recv {
        /// The socket's index in its receiver.
        socket: u16,
        /// Its line.
        line: Line,
        /// The error.
        errno: Errno,
    },
    /// `poll` failed while waiting for the sockets.
    #[error("waiting for the feed sockets failed: {errno}")]
    Wait {
        /// The error.
        errno: Errno,
    },
}

/// A bad [`RxBatch`] size.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Error)]
pub enum BatchError {
    /// `capacity` outside `1..=MAX_BATCH` or `slot_len` outside `1..=MAX_SLOT_LEN`.
    #[error("a batch of {capacity} slots of {slot_len} bytes is outside 1..={MAX_BATCH} slots of 1..={MAX_SLOT_LEN} bytes")]
    Size {
        /// Slots asked for.
        capacity: usize,
        /// Slot size asked for.
        slot_len: usize,
    },
}

/// One received packet, borrowed from its batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RxPacket<'a> {
    /// The UDP payload.
    pub payload: &'a [u8],
    /// When it was received (see `ts_source`).
    pub ts_recv: UtcNanos,
    /// Where `ts_recv` came from.
    pub ts_source: TsSource,
    /// The line its socket serves.
    pub line: Line,
    /// Its socket's index in the receiver (several channels may share one).
    pub socket: u16,
    /// The sender, when the receive path knows it.
    pub src: Option<SocketAddr>,
}

/// A packet's place and stamps in the batch.
#[derive(Clone, Copy, Debug)]
pub(super) struct Meta {
    pub(super) slot: u16,
    pub(super) len: u32,
    pub(super) ts_recv: UtcNanos,
    pub(super) ts_source: TsSource,
    pub(super) line: Line,
    pub(super) socket: u16,
    pub(super) src: Option<SocketAddr>,
}

const EMPTY: Meta = Meta {
    slot: 0,
    len: 0,
    ts_recv: UtcNanos::EPOCH,
    ts_source: TsSource::User,
    line: Line::A,
    socket: 0,
    src: None,
};

/// A batch of received packets in a buffer pool allocated once: `capacity`
/// slots of `slot_len` bytes, reused by every receive call.
///
/// A receive path fills it ([`Rx::recv_batch`] clears it first); the consumer
/// reads it with [`RxBatch::iter`]. A datagram longer than `slot_len` is
/// truncated by the kernel and dropped by the receiver (counted), so size
/// slots for the venue's largest packet.
pub struct RxBatch {
    slot_len: usize,
    pool: Box<[u8]>,
    meta: Box<[Meta]>,
    /// Packets in the batch.
    len: usize,
    /// Slots consumed (≥ `len`: a truncated datagram uses a slot too).
    used: usize,
    kernel_drops: [u64; 2],
}

impl RxBatch {
    /// A batch of `capacity` slots of `slot_len` bytes.
    ///
    /// # Errors
    /// [`BatchError::Size`] outside `1..=MAX_BATCH` slots of
    /// `1..=MAX_SLOT_LEN` bytes.
    pub fn new(capacity: usize, slot_len: usize) -> Result<Self, BatchError> {
        if !(1..=MAX_BATCH).contains(&capacity) || !(1..=MAX_SLOT_LEN).contains(&slot_len) {
            return Err(BatchError::Size { capacity, slot_len });
        }
        Ok(RxBatch {
            slot_len,
            pool: vec![0; capacity * slot_len].into_boxed_slice(),
            meta: vec![EMPTY; capacity].into_boxed_slice(),
            len: 0,
            used: 0,
            kernel_drops: [0; 2],
        })
    }

    /// Slots in the pool.
    pub fn capacity(&self) -> usize {
        self.meta.len()
    }

    /// Bytes per slot.
    pub fn slot_len(&self) -> usize {
        self.slot_len
    }

    /// Packets in the batch.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the batch holds no packet.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Slots not yet used in this batch.
    pub fn free_slots(&self) -> usize {
        self.capacity() - self.used
    }

    /// Empties the batch (the pool stays).
    pub fn clear(&mut self) {
        self.len = 0;
        self.used = 0;
        self.kernel_drops = [0; 2];
    }

    /// Datagrams the kernel reported dropped on `line`'s sockets during this
    /// batch (SO_RXQ_OVFL; 0 where the receive path cannot tell).
    pub fn kernel_drops(&self, line: Line) -> u64 {
        self.kernel_drops[line.index()]
    }

    /// Adds kernel drops seen on `line` (for receive paths).
    pub fn add_kernel_drops(&mut self, line: Line, count: u64) {
        self.kernel_drops[line.index()] += count;
    }

    /// The `i`-th packet.
    pub fn get(&self, i: usize) -> Option<RxPacket<'_>> {
        let m = self.meta[..self.len].get(i)?;
        let start = usize::from(m.slot) * self.slot_len;
        Some(RxPacket {
            payload: &self.pool[start..start + m.len as usize],
            ts_recv: m.ts_recv,
            ts_source: m.ts_source,
            line: m.line,
            socket: m.socket,
            src: m.src,
        })
    }

    /// The packets in receive order.
    pub fn iter(&self) -> impl Iterator<Item = RxPacket<'_>> + '_ {
        (0..self.len).filter_map(|i| self.get(i))
    }

    /// Copies a packet in (for receive paths that do not read straight into
    /// the pool, such as a capture replay). `false` when the batch is full or
    /// the payload is longer than a slot.
    pub fn push(&mut self, packet: RxPacket<'_>) -> bool {
        if self.used == self.capacity() || packet.payload.len() > self.slot_len {
            return false;
        }
        let slot = self.used;
        let start = slot * self.slot_len;
        self.pool[start..start + packet.payload.len()].copy_from_slice(packet.payload);
        self.used += 1;
        self.record(Meta {
            slot: slot as u16,
            len: packet.payload.len() as u32,
            ts_recv: packet.ts_recv,
            ts_source: packet.ts_source,
            line: packet.line,
            socket: packet.socket,
            src: packet.src,
        });
        true
    }

    /// The unused part of the pool, as whole slots, and the index of its
    /// first slot (for receiving straight into the pool).
    pub(super) fn free_pool(&mut self) -> (usize, &mut [u8]) {
        (self.used, &mut self.pool[self.used * self.slot_len..])
    }

    /// Marks `n` more slots used (received into, kept or not).
    pub(super) fn use_slots(&mut self, n: usize) {
        self.used = (self.used + n).min(self.capacity());
    }

    /// Records a packet already in its slot.
    pub(super) fn record(&mut self, meta: Meta) {
        if let Some(m) = self.meta.get_mut(self.len) {
            *m = meta;
            self.len += 1;
        }
    }
}

impl std::fmt::Debug for RxBatch {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RxBatch")
            .field("capacity", &self.capacity())
            .field("slot_len", &self.slot_len)
            .field("len", &self.len)
            .field("kernel_drops", &self.kernel_drops)
            .finish()
    }
}

/// A source of received packets: UDP sockets ([`super::UdpRx`]) today;
/// capture replay or a kernel-bypass API can be added behind the same trait.
///
/// The feed thread ([`super::FeedThread`]) calls `recv_batch` in a loop and,
/// when it comes back empty, waits by its [`super::WaitStrategy`], which for
/// the blocking strategy calls `wait_readable`.
pub trait Rx {
    /// Clears `batch` and fills it with whatever is ready, without blocking;
    /// returns how many packets it holds. Must not allocate.
    ///
    /// # Errors
    /// A receive failure other than "nothing ready" or an interrupted call.
    fn recv_batch(&mut self, batch: &mut RxBatch) -> Result<usize, RxError>;

    /// Blocks until a packet may be ready or `timeout` has passed (spurious
    /// returns are fine).
    ///
    /// # Errors
    /// A failure of the wait itself.
    fn wait_readable(&mut self, timeout: Duration) -> Result<(), RxError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pkt(payload: &[u8], line: Line) -> RxPacket<'_> {
        RxPacket {
            payload,
            ts_recv: UtcNanos::from_nanos(5),
            ts_source: TsSource::Kernel,
            line,
            socket: 1,
            src: None,
        }
    }

    #[test]
    fn batches_hold_what_fits_and_clear() {
        assert_eq!(
            RxBatch::new(0, 10).unwrap_err(),
            BatchError::Size {
                capacity: 0,
                slot_len: 10
            }
        );
        assert!(RxBatch::new(MAX_BATCH + 1, 10).is_err());
        assert!(RxBatch::new(1, MAX_SLOT_LEN + 1).is_err());
        let mut b = RxBatch::new(2, 4).unwrap();
        assert!(b.is_empty());
        assert!(b.push(pkt(b"abcd", Line::A)));
        assert!(!b.push(pkt(b"abcde", Line::B)), "longer than a slot");
        assert!(b.push(pkt(b"xy", Line::B)));
        assert!(!b.push(pkt(b"z", Line::B)), "full");
        b.add_kernel_drops(Line::B, 3);
        assert_eq!(
            (b.len(), b.free_slots(), b.kernel_drops(Line::B)),
            (2, 0, 3)
        );
        let got: Vec<_> = b.iter().map(|p| (p.payload.to_vec(), p.line)).collect();
        assert_eq!(
            got,
            [(b"abcd".to_vec(), Line::A), (b"xy".to_vec(), Line::B)]
        );
        assert_eq!(b.get(1).unwrap().ts_source.name(), "kernel");
        assert_eq!(b.get(2), None);
        b.clear();
        assert_eq!(
            (b.len(), b.free_slots(), b.kernel_drops(Line::B)),
            (0, 2, 0)
        );
        assert_eq!(b.capacity(), 2);
        assert_eq!(b.slot_len(), 4);
        assert!(format!("{b:?}").contains("capacity: 2"));
    }
}
