//! `fixgate record --config FILE --out FILE.pcap`: the configured feed lines
//! captured to a pcap file, with their receive timestamps.
//!
//! ```text
//!  sockets ─► feed thread (UdpRx, recvmmsg) ─► PacketSlot ─► SPSC ring ─► writer thread ─► UdpPcapWriter ─► FILE.pcap
//!             no file I/O, no allocation        fixed-size slots (fixgate-ring)    BufWriter, Ethernet/IPv4/UDP frames
//! ```
//!
//! The feed thread only copies each datagram into a preallocated ring slot
//! ([`slot`]); the writer thread frames and writes it. When the ring is full
//! (the disk is slower than the feed) the feed thread does not wait: the
//! datagram is dropped and counted (`ring_full`), so the socket never backs
//! up into kernel drops. Payloads longer than a slot (1,472 bytes, an
//! Ethernet MTU's UDP payload) are dropped and counted (`too_long`).
//!
//! Each frame carries the sender's address and the receiving socket's (the
//! group for multicast), so `fixgate replay` with the same `[[replay.line]]`
//! map arbitrates a recording of both lines.
//!
//! ```toml
//! [record]
//! ring_slots = 8192                     # a power of two
//! [[record.line]]
//! line = "A"
//! bind = "127.0.0.1:14310"              # unicast; or group/port/interface:
//! [[record.line]]
//! line = "B"
//! group = "239.255.0.1"
//! port = 15310
//! interface = "127.0.0.1"
//! ```
//!
//! Bounds: `--max-packets` (the feed thread stops after that many) and
//! `--max-seconds`; without either it records until killed, and a kill loses
//! what the writer still buffered (up to 64 KiB; pcap-file's writer does not
//! lend its writer out for a flush). Not here: TCP, rotation of capture
//! files, pcapng, a clean stop on a signal.

mod slot;

use std::fs::File;
use std::io::{BufWriter, Write};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::ops::ControlFlow;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Duration;

use fixgate_core::normalize::arbiter::Line;

use fixgate_core::time::{Clock, MonoNanos, TscClock};
use fixgate_ring::{Blocking, Producer, RingConfig, WaitStrategy as RingWait};
use serde::Deserialize;

pub use slot::{PacketSlot, SlotHeader, MAX_PAYLOAD};

use crate::app::replay::LineName;
use crate::net::feed::{
    Endpoint, FeedSocketConfig, FeedSocketError, FeedThread, FeedThreadError, RxBatch,
    TimestampMode, UdpRx, WaitStrategy,
};
use crate::net::pcap::{CaptureWriteError, UdpPcapWriter};

/// One `[[record.line]]` block: a unicast `bind` address, or a multicast
/// `group` and `port` joined on `interface`.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordLine {
    /// Line A or B.
    pub line: LineName,
    /// Unicast: the local address to bind.
    #[serde(default)]
    pub bind: Option<SocketAddrV4>,
    /// Multicast: the group.
    #[serde(default)]
    pub group: Option<Ipv4Addr>,
    /// Multicast: the port.
    #[serde(default)]
    pub port: Option<u16>,
    /// Multicast: the interface address to join on.
    #[serde(default)]
    pub interface: Option<Ipv4Addr>,
}

/// The `[record]` table.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordSection {
    /// Slots of the feed → writer ring (a power of two).
    #[serde(default = "default_slots")]
    pub ring_slots: usize,
    /// The lines.
    #[serde(default)]
    pub line: Vec<RecordLine>,
}

fn default_slots() -> usize {
    8192
}

#[derive(Deserialize)]
struct RecordFile {
    record: RecordSection,
}

/// Why recording failed.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The configuration does not parse or describes no usable line.
    #[error("record configuration: {0}")]
    Config(String),
    /// A socket could not be opened.
    #[error(transparent)]
    Socket(#[from] FeedSocketError),
    /// The ring's size is refused.
    #[error("record ring: {0:?}")]
    Ring(fixgate_ring::ConfigError),
    /// The output file could not be created or written.
    #[error("capture file: {0}")]
    Io(#[from] std::io::Error),
    /// The capture could not be written.
    #[error(transparent)]
    Write(#[from] CaptureWriteError),
    /// The feed thread failed.
    #[error(transparent)]
    Feed(#[from] FeedThreadError),
    /// The writer thread panicked.
    #[error("the capture writer thread panicked")]
    WriterPanicked,
}

impl RecordSection {
    /// Reads the `[record]` table of a configuration's text.
    ///
    /// # Errors
    /// [`RecordError::Config`].
    pub fn parse(text: &str) -> Result<Self, RecordError> {
        let file: RecordFile = toml::from_str(text)
            .map_err(|e| RecordError::Config(e.to_string().trim_end().to_owned()))?;
        Ok(file.record)
    }

    /// The feed sockets of the lines (kernel receive stamps).
    ///
    /// # Errors
    /// [`RecordError::Config`] for a line that is neither unicast nor a whole
    /// multicast triple, or when there is none.
    pub fn sockets(&self) -> Result<Vec<FeedSocketConfig>, RecordError> {
        if self.line.is_empty() {
            return Err(RecordError::Config("no [[record.line]]".into()));
        }
        self.line
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let endpoint = match (l.bind, l.group, l.port, l.interface) {
                    (Some(bind), None, None, None) => Endpoint::Unicast(bind),
                    (None, Some(group), Some(port), Some(interface)) => Endpoint::Multicast {
                        group,
                        port,
                        interface,
                    },
                    _ => {
                        return Err(RecordError::Config(format!(
                            "[[record.line]] {i}: give either bind, or group, port and interface"
                        )))
                    }
                };
                Ok(FeedSocketConfig {
                    timestamps: TimestampMode::Kernel,
                    ..FeedSocketConfig::new(l.line.line(), endpoint)
                })
            })
            .collect()
    }
}

/// What a recording did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RecordSummary {
    /// Datagrams received by the feed thread.
    pub received: u64,
    /// Datagrams written to the capture.
    pub written: u64,
    /// Dropped: the ring was full (the writer fell behind).
    pub ring_full: u64,
    /// Dropped: longer than a slot.
    pub too_long: u64,
    /// Datagrams the kernel dropped (SO_RXQ_OVFL), both lines.
    pub kernel_drops: u64,
}

impl std::fmt::Display for RecordSummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "received={} written={} ring_full={} too_long={} kernel_drops={}",
            self.received, self.written, self.ring_full, self.too_long, self.kernel_drops
        )
    }
}

/// The feed thread's counts, shared with the recorder (one writer).
#[derive(Debug, Default)]
struct SharedCounts {
    received: AtomicU64,
    ring_full: AtomicU64,
    too_long: AtomicU64,
    kernel_drops: AtomicU64,
}

/// The feed thread's handler: datagrams into ring slots.
struct Handoff {
    producer: Producer<PacketSlot>,
    slot: Box<PacketSlot>,
    /// The receiving socket's address, by socket index.
    dst: Vec<SocketAddrV4>,
    max_packets: u64,
    counts: RecordSummary,
    shared: Arc<SharedCounts>,
}

impl Handoff {
    fn handle(&mut self, batch: &RxBatch) -> ControlFlow<()> {
        for line in [Line::A, Line::B] {
            self.counts.kernel_drops += batch.kernel_drops(line);
        }
        for p in batch.iter() {
            if self.counts.received >= self.max_packets {
                break;
            }
            self.counts.received += 1;
            let src = match p.src {
                Some(SocketAddr::V4(a)) => a,
                _ => SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0),
            };
            let dst = self
                .dst
                .get(usize::from(p.socket))
                .copied()
                .unwrap_or(SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, 0));
            let header = SlotHeader {
                ts_recv: p.ts_recv,
                line: p.line,
                src,
                dst,
            };
            if !self.slot.fill(&header, p.payload) {
                self.counts.too_long += 1;
                continue;
            }
            if self.producer.try_publish(*self.slot).is_err() {
                self.counts.ring_full += 1;
            }
        }
        let s = &self.shared;
        s.received.store(self.counts.received, Ordering::Relaxed);
        s.ring_full.store(self.counts.ring_full, Ordering::Relaxed);
        s.too_long.store(self.counts.too_long, Ordering::Relaxed);
        s.kernel_drops
            .store(self.counts.kernel_drops, Ordering::Relaxed);
        if self.counts.received >= self.max_packets {
            ControlFlow::Break(())
        } else {
            ControlFlow::Continue(())
        }
    }
}

type Handler = Box<dyn FnMut(&RxBatch) -> ControlFlow<()> + Send>;

/// A running recording: the feed thread and the writer thread.
pub struct Recorder {
    feed: FeedThread<UdpRx<TscClock>, Handler>,
    writer: std::thread::JoinHandle<Result<u64, RecordError>>,
    local: Vec<SocketAddr>,
    shared: Arc<SharedCounts>,
    written: Arc<AtomicU64>,
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("local", &self.local)
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// Opens the sockets of `lines`, starts the writer thread on `out` and the
    /// feed thread; the feed thread stops by itself after `max_packets`.
    ///
    /// # Errors
    /// [`RecordError`] for a socket, the ring size, the file header or a thread.
    pub fn start<W: Write + Send + 'static>(
        lines: &[FeedSocketConfig],
        ring_slots: usize,
        out: W,
        max_packets: u64,
    ) -> Result<Self, RecordError> {
        let clock = TscClock::new();
        let rx = UdpRx::open(lines, clock)?;
        let local: Vec<SocketAddr> = rx.local_addrs().collect();
        let dst = lines
            .iter()
            .zip(&local)
            .map(|(cfg, local)| match (cfg.endpoint, local) {
                (Endpoint::Multicast { group, port, .. }, _) => SocketAddrV4::new(group, port),
                (_, SocketAddr::V4(a)) => *a,
                _ => SocketAddrV4::new(Ipv4Addr::UNSPECIFIED, local.port()),
            })
            .collect();
        let config = RingConfig {
            capacity: ring_slots,
            max_blocking: 1,
            producer_wait: RingWait::default(),
        };
        let (producer, subscribers) = fixgate_ring::channel(config).map_err(RecordError::Ring)?;
        let consumer = subscribers
            .blocking(RingWait::BACKOFF)
            .map_err(|_| RecordError::Config("the record ring has no blocking seat".into()))?;
        let pcap = UdpPcapWriter::new(BufWriter::with_capacity(64 << 10, out))?;
        let written = Arc::new(AtomicU64::new(0));
        let writer = {
            let written = Arc::clone(&written);
            std::thread::Builder::new()
                .name("record-writer".into())
                .spawn(move || write_loop(consumer, pcap, &written))?
        };
        let shared = Arc::new(SharedCounts::default());
        let mut handoff = Handoff {
            producer,
            slot: Box::new(PacketSlot::EMPTY),
            dst,
            max_packets,
            counts: RecordSummary::default(),
            shared: Arc::clone(&shared),
        };
        let handler: Handler = Box::new(move |batch: &RxBatch| handoff.handle(batch));
        let batch = RxBatch::new(64, MAX_PAYLOAD.next_power_of_two())
            .map_err(|e| RecordError::Config(e.to_string()))?;
        let feed = FeedThread::spawn(
            "record-feed",
            rx,
            batch,
            WaitStrategy::Block {
                timeout: Duration::from_millis(10),
            },
            handler,
        )?;
        Ok(Recorder {
            feed,
            writer,
            local,
            shared,
            written,
        })
    }

    /// The sockets' local addresses (the ports the kernel chose for port 0).
    pub fn local_addrs(&self) -> &[SocketAddr] {
        &self.local
    }

    /// Datagrams received so far.
    pub fn received(&self) -> u64 {
        self.shared.received.load(Ordering::Relaxed)
    }

    /// Datagrams written so far.
    pub fn written(&self) -> u64 {
        self.written.load(Ordering::Relaxed)
    }

    /// Whether the feed thread has stopped by itself (`max_packets` reached
    /// or a receive failure).
    pub fn feed_finished(&self) -> bool {
        self.feed.is_finished()
    }

    /// Stops receiving, lets the writer write what was handed over, and
    /// returns the counts.
    ///
    /// # Errors
    /// [`RecordError`] from the feed thread or the writer.
    pub fn finish(self) -> Result<RecordSummary, RecordError> {
        self.feed.stop();
        // The handler (and with it the ring's producer) goes with the exit:
        // the writer then drains the ring and ends.
        let feed = self.feed.join().map(drop);
        let written = self
            .writer
            .join()
            .map_err(|_| RecordError::WriterPanicked)?;
        feed?;
        let s = &self.shared;
        Ok(RecordSummary {
            received: s.received.load(Ordering::Relaxed),
            written: written?,
            ring_full: s.ring_full.load(Ordering::Relaxed),
            too_long: s.too_long.load(Ordering::Relaxed),
            kernel_drops: s.kernel_drops.load(Ordering::Relaxed),
        })
    }
}

/// The writer thread: slots out of the ring into the capture until the feed
/// side is gone.
fn write_loop<W: Write>(
    mut consumer: Blocking<PacketSlot>,
    mut pcap: UdpPcapWriter<BufWriter<W>>,
    written: &AtomicU64,
) -> Result<u64, RecordError> {
    let mut payload = Box::new([0u8; MAX_PAYLOAD]);
    let mut failed = None;
    while consumer
        .recv_batch(256, |_, slot| {
            if failed.is_some() {
                return;
            }
            let h = slot.header();
            let n = slot.payload_into(&mut payload);
            match pcap.write_datagram(h.ts_recv, h.src, h.dst, &payload[..n]) {
                Ok(()) => {
                    written.fetch_add(1, Ordering::Relaxed);
                }
                Err(e) => failed = Some(e),
            }
        })
        .is_ok()
    {
        if let Some(e) = failed.take() {
            return Err(e.into());
        }
    }
    if let Some(e) = failed {
        return Err(e.into());
    }
    let n = pcap.written();
    pcap.finish().flush()?;
    Ok(n)
}

/// `fixgate record`: records the lines of the configuration at `config` into
/// `out` until `max_packets` or `max_seconds` (whichever first; neither:
/// until the process is stopped).
///
/// # Errors
/// [`RecordError`].
pub fn record_to_file(
    config: &RecordSection,
    out: &Path,
    max_packets: Option<u64>,
    max_seconds: Option<f64>,
) -> Result<RecordSummary, RecordError> {
    let sockets = config.sockets()?;
    let file = File::create(out)?;
    let recorder = Recorder::start(
        &sockets,
        config.ring_slots,
        file,
        max_packets.unwrap_or(u64::MAX),
    )?;
    for addr in recorder.local_addrs() {
        tracing::info!(%addr, "recording");
    }
    let clock = TscClock::new();
    let start = clock.mono();
    let limit_ns = max_seconds.map(|s| (s.max(0.0) * 1e9) as u64);
    while !recorder.feed_finished() {
        if limit_ns.is_some_and(|l| MonoNanos::saturating_sub(clock.mono(), start) >= l) {
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    recorder.finish()
}
