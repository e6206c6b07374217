//! The UDP receive shell on loopback: two unicast lines (A and B), batching,
//! receive stamps and their sources, the receive buffer read back, kernel
//! drops told apart, truncation, the feed thread under each wait strategy,
//! and multicast on 239.255.x.y pinned to 127.0.0.1 (TTL 0), skipped with a
//! reason where loopback multicast is unavailable.
//!
//! Only 127.0.0.1 and 239.255.0.0/16 on the loopback interface are used;
//! every test sends a bounded count and gives up after a bounded time.

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::ops::ControlFlow;
use std::time::{Duration, Instant};

use fixgate::net::feed::{
    open_feed_socket, Endpoint, FeedSocketConfig, FeedThread, Rx, RxBatch, TimestampMode, TsSource,
    UdpRx, WaitStrategy,
};
use fixgate_core::normalize::arbiter::Line;
use fixgate_core::time::{Clock, SystemClock, UtcNanos};

const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;
const DEADLINE: Duration = Duration::from_secs(10);

fn unicast(line: Line, timestamps: TimestampMode) -> FeedSocketConfig {
    FeedSocketConfig {
        rcvbuf_bytes: 1 << 20,
        timestamps,
        ..FeedSocketConfig::new(line, Endpoint::Unicast(SocketAddrV4::new(LOOPBACK, 0)))
    }
}

fn payload(line: Line, seq: u32, len: usize) -> Vec<u8> {
    let mut p = vec![line.index() as u8; len.max(5)];
    p[..4].copy_from_slice(&seq.to_le_bytes());
    p
}

fn sender() -> UdpSocket {
    UdpSocket::bind((LOOPBACK, 0)).expect("bind a loopback sender")
}

/// Receives until `want` packets came or the deadline passed; returns
/// `(line, seq, len, ts_recv, source, src)` per packet and the batch sizes.
#[allow(clippy::type_complexity, reason = "a test's flat record")]
fn receive<C: Clock>(
    rx: &mut UdpRx<C>,
    batch: &mut RxBatch,
    want: usize,
) -> (
    Vec<(Line, u32, usize, UtcNanos, TsSource, Option<SocketAddr>)>,
    Vec<usize>,
) {
    receive_for(rx, batch, want, DEADLINE)
}

/// As [`receive`], giving up after `limit`.
#[allow(clippy::type_complexity, reason = "a test's flat record")]
fn receive_for<C: Clock>(
    rx: &mut UdpRx<C>,
    batch: &mut RxBatch,
    want: usize,
    limit: Duration,
) -> (
    Vec<(Line, u32, usize, UtcNanos, TsSource, Option<SocketAddr>)>,
    Vec<usize>,
) {
    let start = Instant::now();
    let (mut got, mut sizes) = (Vec::new(), Vec::new());
    while got.len() < want && start.elapsed() < limit {
        let n = rx.recv_batch(batch).expect("recv_batch");
        if n == 0 {
            rx.wait_readable(Duration::from_millis(5)).expect("wait");
            continue;
        }
        sizes.push(n);
        for p in batch.iter() {
            let seq = u32::from_le_bytes(p.payload[..4].try_into().unwrap());
            assert_eq!(p.payload[4], p.line.index() as u8, "the line's own payload");
            got.push((p.line, seq, p.payload.len(), p.ts_recv, p.ts_source, p.src));
        }
    }
    (got, sizes)
}

#[test]
fn unicast_a_and_b_in_batches_with_sane_stamps() {
    let clock = SystemClock::new();
    let configs = [
        unicast(Line::A, TimestampMode::Kernel),
        unicast(Line::B, TimestampMode::User),
    ];
    let mut rx = UdpRx::open(&configs, SystemClock::new()).expect("open A and B");
    let addrs: Vec<SocketAddr> = rx.local_addrs().collect();
    let reports: Vec<_> = rx.reports().copied().collect();
    assert_eq!(reports[0].timestamps, TimestampMode::Kernel);
    assert_eq!(reports[1].timestamps, TimestampMode::User);
    assert!(reports
        .iter()
        .all(|r| r.rxq_ovfl && r.local.ip() == LOOPBACK));
    let mut batch = RxBatch::new(32, 2048).unwrap();
    let tx = sender();
    const N: u32 = 200;
    let before = clock.utc();
    for seq in 0..N {
        for (line, addr) in Line::ALL.iter().zip(&addrs) {
            tx.send_to(&payload(*line, seq, 100 + seq as usize), addr)
                .unwrap();
        }
    }
    let (got, sizes) = receive(&mut rx, &mut batch, 2 * N as usize);
    let after = clock.utc();
    assert_eq!(got.len(), 2 * N as usize, "every packet arrived");
    for line in Line::ALL {
        let seqs: Vec<u32> = got.iter().filter(|g| g.0 == line).map(|g| g.1).collect();
        assert_eq!(seqs, (0..N).collect::<Vec<_>>(), "line {line} in order");
    }
    let tx_addr = tx.local_addr().unwrap();
    for &(line, seq, len, ts, source, src) in &got {
        assert_eq!(len, 100 + seq as usize);
        assert_eq!(src, Some(tx_addr));
        let want = if line == Line::A {
            TsSource::Kernel
        } else {
            TsSource::User
        };
        assert_eq!(source, want, "line {line}");
        // Sane: within the test's own window (1 ms slack for clock reads).
        assert!(
            ts.as_nanos() + 1_000_000 >= before.as_nanos()
                && ts <= after.saturating_add_nanos(1_000_000),
            "stamp {ts} outside {before}..{after}"
        );
    }
    // Kernel stamps of one line never go backwards.
    let kernel: Vec<u64> = got
        .iter()
        .filter(|g| g.0 == Line::A)
        .map(|g| g.3.as_nanos())
        .collect();
    assert!(kernel.windows(2).all(|w| w[0] <= w[1]));
    // Everything was queued before the first read: batches came full.
    assert!(sizes.iter().any(|&n| n > 1), "batches: {sizes:?}");
    assert_eq!(sizes.iter().max(), Some(&32));
    let stats = [rx.stats(0).unwrap(), rx.stats(1).unwrap()];
    assert_eq!(stats.map(|s| s.packets), [u64::from(N); 2]);
    assert_eq!(stats.map(|s| s.kernel_drops), [0; 2]);
    assert_eq!(
        stats[0].bytes,
        (0..N).map(|s| 100 + u64::from(s)).sum::<u64>()
    );
    println!(
        "feed_udp_loopback: {} packets on A and B in {} batches (largest {})",
        got.len(),
        sizes.len(),
        sizes.iter().max().unwrap()
    );
}

#[test]
fn hardware_mode_falls_back_to_kernel_stamps_on_loopback() {
    // Loopback has no NIC clock: SO_TIMESTAMPING gives software stamps only.
    let mut rx = UdpRx::open(
        &[unicast(Line::A, TimestampMode::Hardware)],
        SystemClock::new(),
    )
    .expect("open");
    let mode = rx.reports().next().unwrap().timestamps;
    assert!(matches!(
        mode,
        TimestampMode::Hardware | TimestampMode::Kernel
    ));
    let addr = rx.local_addrs().next().unwrap();
    let tx = sender();
    let before = SystemClock::new().utc();
    for seq in 0..5 {
        tx.send_to(&payload(Line::A, seq, 64), addr).unwrap();
    }
    let mut batch = RxBatch::new(8, 256).unwrap();
    let (got, _) = receive(&mut rx, &mut batch, 5);
    let after = SystemClock::new().utc();
    assert_eq!(got.len(), 5);
    for g in &got {
        assert_eq!(g.4, TsSource::Kernel, "mode {mode:?}");
        assert!(g.3.as_nanos() + 1_000_000 >= before.as_nanos() && g.3 <= after);
    }
}

#[test]
fn the_receive_buffer_is_read_back_and_clamping_reported() {
    let Ok(max) = std::fs::read_to_string("/proc/sys/net/core/rmem_max") else {
        println!("feed_udp_loopback: SKIPPED rcvbuf readback: no /proc/sys/net/core/rmem_max");
        return;
    };
    let rmem_max: usize = max.trim().parse().unwrap();
    for want in [64 << 10, rmem_max, rmem_max + (1 << 20)] {
        let cfg = FeedSocketConfig {
            rcvbuf_bytes: want,
            ..unicast(Line::B, TimestampMode::Kernel)
        };
        let (_socket, report) = open_feed_socket(&cfg).expect("open");
        assert_eq!(report.rcvbuf_requested, want);
        // Linux: twice min(request, rmem_max).
        assert_eq!(
            report.rcvbuf_effective,
            2 * want.min(rmem_max),
            "asked {want}"
        );
        assert_eq!(report.rcvbuf_clamped, want > rmem_max, "asked {want}");
    }
    println!("feed_udp_loopback: rcvbuf readback checked against rmem_max {rmem_max}");
}

/// Reads until nothing is left: (packets, kernel drops on line B).
fn drain(rx: &mut UdpRx<SystemClock>, batch: &mut RxBatch) -> (u64, u64) {
    let (mut received, mut drops) = (0, 0);
    while rx.recv_batch(batch).unwrap() > 0 {
        received += batch.len() as u64;
        drops += batch.kernel_drops(Line::B);
        assert_eq!(batch.kernel_drops(Line::A), 0);
    }
    (received, drops)
}

#[test]
fn kernel_drops_are_counted_apart_from_what_arrived() {
    let cfg = FeedSocketConfig {
        rcvbuf_bytes: 4096, // the kernel's floor: a few packets fit
        ..unicast(Line::B, TimestampMode::Kernel)
    };
    let mut rx = UdpRx::open(&[cfg], SystemClock::new()).expect("open");
    let addr = rx.local_addrs().next().unwrap();
    let tx = sender();
    const BURST: u32 = 300;
    for seq in 0..BURST {
        tx.send_to(&payload(Line::B, seq, 1000), addr).unwrap();
    }
    let mut batch = RxBatch::new(64, 2048).unwrap();
    let (mut received, mut drops) = drain(&mut rx, &mut batch);
    // The kernel's running drop count rides on packets queued after the
    // drops: send a few more, one at a time, until every packet sent is
    // accounted for as received or dropped.
    let mut sent = u64::from(BURST);
    let start = Instant::now();
    while received + drops < sent && sent < u64::from(BURST) + 10 && start.elapsed() < DEADLINE {
        tx.send_to(&payload(Line::B, sent as u32, 1000), addr)
            .unwrap();
        sent += 1;
        std::thread::sleep(Duration::from_millis(2));
        let (r, d) = drain(&mut rx, &mut batch);
        received += r;
        drops += d;
    }
    assert!(drops > 0, "a 4 KiB buffer overflowed ({received} received)");
    assert_eq!(received + drops, sent, "{received} + {drops}");
    let stats = rx.stats(0).unwrap();
    assert_eq!(stats.kernel_drops, drops);
    assert!(stats.header_rebuilds <= 1, "{stats:?}");
    println!("feed_udp_loopback: {received} received, {drops} dropped by the kernel");
}

#[test]
fn datagrams_longer_than_a_slot_are_dropped_and_counted() {
    let mut rx = UdpRx::open(
        &[unicast(Line::A, TimestampMode::Kernel)],
        SystemClock::new(),
    )
    .expect("open");
    let addr = rx.local_addrs().next().unwrap();
    let tx = sender();
    tx.send_to(&payload(Line::A, 1, 60), addr).unwrap();
    tx.send_to(&payload(Line::A, 2, 65), addr).unwrap();
    tx.send_to(&payload(Line::A, 3, 64), addr).unwrap();
    let mut batch = RxBatch::new(4, 64).unwrap();
    let start = Instant::now();
    let mut seqs = Vec::new();
    while rx.stats(0).unwrap().truncated + (seqs.len() as u64) < 3 && start.elapsed() < DEADLINE {
        rx.recv_batch(&mut batch).unwrap();
        seqs.extend(batch.iter().map(|p| p.payload[0]));
    }
    assert_eq!(seqs, [1, 3]);
    assert_eq!(rx.stats(0).unwrap().truncated, 1);
}

fn run_thread(wait: WaitStrategy) {
    let configs = [
        unicast(Line::A, TimestampMode::Kernel),
        unicast(Line::B, TimestampMode::Kernel),
    ];
    let rx = UdpRx::open(&configs, SystemClock::new()).expect("open");
    let addrs: Vec<SocketAddr> = rx.local_addrs().collect();
    const N: u64 = 100;
    let mut seen = [0u64; 2];
    let thread = FeedThread::spawn(
        "feed-test",
        rx,
        RxBatch::new(16, 512).unwrap(),
        wait,
        move |batch: &RxBatch| {
            for p in batch.iter() {
                seen[p.line.index()] += 1;
            }
            if seen == [N, N] {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        },
    )
    .expect("spawn");
    let tx = sender();
    for seq in 0..N as u32 {
        for (line, addr) in Line::ALL.iter().zip(&addrs) {
            tx.send_to(&payload(*line, seq, 32), addr).unwrap();
        }
        if seq % 10 == 0 {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
    let start = Instant::now();
    while !thread.is_finished() && start.elapsed() < DEADLINE {
        std::thread::sleep(Duration::from_millis(2));
    }
    thread.stop();
    let exit = thread.join().expect("the thread ends cleanly");
    assert_eq!(exit.packets, 2 * N, "{wait:?}");
    assert!(exit.batches >= 1);
    let stats = exit.rx.stats(0).unwrap();
    assert_eq!(stats.packets, N);
}

#[test]
fn the_feed_thread_receives_under_each_wait_strategy() {
    run_thread(WaitStrategy::Block {
        timeout: Duration::from_millis(2),
    });
    run_thread(WaitStrategy::SpinThenYield { spins: 100 });
    run_thread(WaitStrategy::Spin);
}

#[test]
fn a_stopped_idle_thread_ends() {
    let rx =
        UdpRx::open(&[unicast(Line::A, TimestampMode::User)], SystemClock::new()).expect("open");
    let thread = FeedThread::spawn(
        "feed-idle",
        rx,
        RxBatch::new(4, 64).unwrap(),
        WaitStrategy::Block {
            timeout: Duration::from_millis(1),
        },
        |_: &RxBatch| ControlFlow::Continue(()),
    )
    .unwrap();
    std::thread::sleep(Duration::from_millis(20));
    thread.stop();
    let exit = thread.join().unwrap();
    assert_eq!((exit.batches, exit.packets), (0, 0));
    assert!(exit.rx.stats(0).unwrap().empty_calls > 0);
}

/// A multicast sender pinned to loopback: IP_MULTICAST_IF 127.0.0.1, TTL 0
/// (never leaves the host), loop on (so local members get it).
fn multicast_sender() -> std::io::Result<socket2::Socket> {
    use socket2::{Domain, Protocol, Socket, Type};
    let s = Socket::new(Domain::IPV4, Type::DGRAM, Some(Protocol::UDP))?;
    s.bind(&SocketAddrV4::new(LOOPBACK, 0).into())?;
    s.set_multicast_if_v4(&LOOPBACK)?;
    s.set_multicast_ttl_v4(0)?;
    s.set_multicast_loop_v4(true)?;
    Ok(s)
}

/// `Err(reason)` when loopback multicast does not work here.
fn probe_multicast(group: Ipv4Addr) -> Result<(), String> {
    let cfg = FeedSocketConfig::new(
        Line::A,
        Endpoint::Multicast {
            group,
            port: 0,
            interface: LOOPBACK,
        },
    );
    let (rx, report) = open_feed_socket(&cfg).map_err(|e| format!("join failed: {e}"))?;
    let tx = multicast_sender().map_err(|e| format!("sender setup failed: {e}"))?;
    let to = SocketAddrV4::new(group, report.local.port());
    tx.send_to(b"probe", &to.into())
        .map_err(|e| format!("send to {to} failed: {e}"))?;
    let start = Instant::now();
    let mut buf = [std::mem::MaybeUninit::new(0u8); 64];
    while start.elapsed() < Duration::from_millis(500) {
        if rx.recv(&mut buf).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    Err(format!(
        "a probe to {to} via 127.0.0.1 did not come back within 500 ms"
    ))
}

#[test]
fn multicast_a_and_b_on_loopback() {
    let (group_a, group_b) = (
        Ipv4Addr::new(239, 255, 77, 1),
        Ipv4Addr::new(239, 255, 77, 2),
    );
    if let Err(reason) = probe_multicast(group_a) {
        println!("feed_udp_loopback: SKIPPED multicast: {reason}");
        return;
    }
    let mc = |line, group| FeedSocketConfig {
        rcvbuf_bytes: 1 << 20,
        ..FeedSocketConfig::new(
            line,
            Endpoint::Multicast {
                group,
                port: 0,
                interface: LOOPBACK,
            },
        )
    };
    let mut rx = UdpRx::open(
        &[mc(Line::A, group_a), mc(Line::B, group_b)],
        SystemClock::new(),
    )
    .expect("join both groups");
    let ports: Vec<u16> = rx.local_addrs().map(|a| a.port()).collect();
    let tx = multicast_sender().unwrap();
    const N: u32 = 50;
    for seq in 0..N {
        for (line, (group, port)) in Line::ALL
            .iter()
            .zip([(group_a, ports[0]), (group_b, ports[1])])
        {
            tx.send_to(
                &payload(*line, seq, 80),
                &SocketAddrV4::new(group, port).into(),
            )
            .unwrap();
        }
    }
    // A stray datagram to group B on A's port must not reach A's socket:
    // each socket is bound to its own group.
    tx.send_to(
        &payload(Line::B, 999, 80),
        &SocketAddrV4::new(group_b, ports[0]).into(),
    )
    .unwrap();
    let mut batch = RxBatch::new(16, 256).unwrap();
    let (got, _) = receive(&mut rx, &mut batch, 2 * N as usize);
    let (extra, _) = receive_for(&mut rx, &mut batch, 1, Duration::from_millis(100));
    assert_eq!(got.len(), 2 * N as usize);
    assert!(
        extra.is_empty(),
        "a datagram to another group reached a socket: {extra:?}"
    );
    for line in Line::ALL {
        let seqs: Vec<u32> = got.iter().filter(|g| g.0 == line).map(|g| g.1).collect();
        assert_eq!(seqs, (0..N).collect::<Vec<_>>());
    }
    assert!(got.iter().all(|g| g.4 == TsSource::Kernel));
    println!(
        "feed_udp_loopback: multicast {} packets on {group_a} and {group_b}",
        got.len()
    );
}

#[test]
fn a_unicast_address_is_refused_as_a_group() {
    let cfg = FeedSocketConfig::new(
        Line::B,
        Endpoint::Multicast {
            group: LOOPBACK,
            port: 0,
            interface: LOOPBACK,
        },
    );
    let err = open_feed_socket(&cfg).unwrap_err();
    assert_eq!(
        err.to_string(),
        "line B: 127.0.0.1 is not a multicast group"
    );
}
