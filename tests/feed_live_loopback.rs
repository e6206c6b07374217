//! The live path on loopback (127.0.0.1 only, bounded count and time): the
//! CME stream built from the shared captures is sent to the
//! feed receive thread, which hands each datagram to a [`CmeChannel`]
//! (arbitration, loops, normalization) publishing into the broadcast ring; a
//! strategy on its runner thread must receive exactly the events a direct,
//! single-line run of the channel produces, in order.
//!
//! Every packet goes out on both lines, and the next one only after both
//! copies were handled: the stream seeds each book with a snapshot just
//! before the packet that changes it, and the feeds (separate sockets, read
//! in `recvmmsg` batches) have no order between them; the channel's loop
//! dedup also drops only a copy of the sequence number it has just handled.

mod support;

use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::ops::ControlFlow;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fixgate::app::strategy_runner::{RunnerConfig, StrategyRunner, Subscription};
use fixgate::net::feed::{Endpoint, FeedSocketConfig, FeedThread, RxBatch, UdpRx, WaitStrategy};
use fixgate_core::board::Board;
use fixgate_core::event::Event;
use fixgate_core::md::cme::Packet;
use fixgate_core::normalize::arbiter::Line;
use fixgate_core::normalize::batch::FnSink;
use fixgate_core::normalize::cme::Feed;
use fixgate_core::normalize::cme_channel::{CmeChannel, CmeChannelConfig, CmeChannelCounters};
use fixgate_core::strategy::{Context, Strategy};
use fixgate_core::time::{Clock, MonoNanos, SystemClock, TscClock, UtcNanos};
use fixgate_ring::{RingConfig, WaitStrategy as RingWait};

const DEADLINE: Duration = Duration::from_secs(10);

/// Keeps what it is given.
#[derive(Default)]
struct Collect {
    events: Vec<Event>,
}

impl Strategy for Collect {
    fn on_event(&mut self, _ctx: &mut Context<'_>, event: &Event) {
        self.events.push(*event);
    }
}

fn feed_of(payload: &[u8]) -> Feed {
    Packet::new(payload).map_or(Feed::Incremental, |p| Feed::of_packet(&p))
}

/// What an event says, without its receive time (the live one is the
/// kernel's).
fn shape(e: &Event) -> (u8, u32, u32, u64, [u8; 32]) {
    (
        e.kind() as u8,
        e.instrument().0,
        e.sequence(),
        e.ts_event_ns().as_nanos(),
        *e.body_bytes(),
    )
}

#[test]
fn stream_on_a_and_b_reaches_a_strategy_through_the_ring() {
    let Some(stream) = support::cme_stream::build() else {
        return;
    };
    let payloads: Vec<Vec<u8>> = stream.packets.iter().map(|(_, p)| p.clone()).collect();

    // The reference: the channel fed each packet once, directly.
    let config = CmeChannelConfig::channel(0, 4096, 1 << 16);
    let mut direct = CmeChannel::new(config, Vec::<Event>::new()).unwrap();
    for (i, p) in payloads.iter().enumerate() {
        direct
            .handle_packet(
                Line::A,
                feed_of(p),
                p,
                UtcNanos::EPOCH,
                MonoNanos::from_nanos(i as u64),
            )
            .unwrap();
    }
    let want: Vec<_> = direct.sink_mut().iter().map(shape).collect();
    assert!(!want.is_empty());

    // The live wiring: sockets → feed thread → channel → ring → runner.
    let (mut producer, subscribers) = fixgate_ring::channel::<Event>(RingConfig {
        capacity: 1024,
        max_blocking: 1,
        producer_wait: RingWait::SpinThenYield { spins: 100 },
    })
    .unwrap();
    let (board, _writer) = Board::new(&[]).unwrap();
    let sub = subscribers
        .blocking(RingWait::SpinThenYield { spins: 100 })
        .unwrap();
    let runner = StrategyRunner::spawn(
        Box::new(Collect::default()),
        RunnerConfig::new("collect"),
        Arc::clone(&board),
        vec![Subscription::Blocking(sub)],
    )
    .expect("runner");
    let local = SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0);
    let rx = UdpRx::open(
        &[
            FeedSocketConfig::new(Line::A, Endpoint::Unicast(local)),
            FeedSocketConfig::new(Line::B, Endpoint::Unicast(local)),
        ],
        SystemClock::new(),
    )
    .expect("open A and B");
    let addrs: Vec<_> = rx.local_addrs().collect();
    let sink = FnSink(move |events: &[Event]| {
        producer.publish_batch(events);
    });
    let mut channel = CmeChannel::new(config, sink).unwrap();
    let counters: Arc<Mutex<CmeChannelCounters>> = Arc::default();
    let seen = Arc::clone(&counters);
    let clock = TscClock::new();
    let feed = FeedThread::spawn(
        "feed-live",
        rx,
        RxBatch::new(64, 8192).unwrap(),
        WaitStrategy::Block {
            timeout: Duration::from_millis(5),
        },
        move |batch: &RxBatch| {
            for p in batch.iter() {
                let _ = channel.handle_packet(
                    p.line,
                    feed_of(p.payload),
                    p.payload,
                    p.ts_recv,
                    clock.mono(),
                );
            }
            *seen.lock().unwrap() = channel.counters();
            ControlFlow::Continue(())
        },
    )
    .expect("feed thread");

    let tx = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    // Each packet's copies are handled before the next is sent (module docs).
    let handled = |c: &CmeChannelCounters| {
        let a = &c.arbiter.channel;
        a.accepted
            + a.duplicate
            + a.late
            + c.definitions.accepted
            + c.definitions.duplicate
            + c.snapshots.accepted
            + c.snapshots.duplicate
    };
    let sys = SystemClock::new();
    let end = sys.mono().saturating_add_nanos(DEADLINE.as_nanos() as u64);
    let mut incrementals = 0;
    let mut sent = 0;
    for p in &payloads {
        if feed_of(p) == Feed::Incremental {
            incrementals += 1;
        }
        tx.send_to(p, addrs[0]).unwrap();
        tx.send_to(p, addrs[1]).unwrap();
        sent += 2;
        while handled(&counters.lock().unwrap()) < sent && sys.mono() < end {
            std::thread::sleep(Duration::from_micros(200));
        }
    }
    let status = Arc::clone(runner.status());
    while status.counter("events").unwrap_or(0) < want.len() as u64 && sys.mono() < end {
        std::thread::sleep(Duration::from_millis(2));
    }
    feed.stop();
    let exit = feed.join().expect("feed thread");
    let report = runner.join(DEADLINE).expect("runner stops");
    let strategy: Box<dyn std::any::Any> = report.strategy;
    let got: Vec<_> = strategy
        .downcast::<Collect>()
        .expect("the collecting strategy")
        .events
        .iter()
        .map(shape)
        .collect();
    let c = *counters.lock().unwrap();
    let n = payloads.len() as u64;
    assert_eq!(exit.packets, 2 * n, "every copy received");
    let accepted = c.arbiter.channel.accepted + c.definitions.accepted + c.snapshots.accepted;
    let duplicates = c.arbiter.channel.duplicate + c.definitions.duplicate + c.snapshots.duplicate;
    assert_eq!(
        (accepted, duplicates),
        (n, n),
        "one copy of each packet: {c:?}"
    );
    assert_eq!(got.len(), want.len(), "every event reached the strategy");
    assert!(got == want, "the same events, in order");
    println!(
        "live loopback: {n} packets ({incrementals} incremental) on A and B, {} events through the ring",
        got.len()
    );
}
