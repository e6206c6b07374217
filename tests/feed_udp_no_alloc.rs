//! Receiving does not allocate: `UdpRx::recv_batch` with packets waiting
//! (kernel stamps, user stamps, kernel drop counts, a truncated datagram),
//! with nothing waiting, and `wait_readable`. Only opening the sockets, the
//! batch's pool and the thread's first receive from each socket (its
//! `recvmmsg` headers) allocate.
//!
//! Its own test binary because it installs the counting global allocator.
//! Loopback only (127.0.0.1), bounded counts.

use std::net::{Ipv4Addr, SocketAddrV4, UdpSocket};
use std::time::Duration;

use fixgate::net::feed::{Endpoint, FeedSocketConfig, Rx, RxBatch, TimestampMode, UdpRx};
use fixgate_core::normalize::arbiter::Line;
use fixgate_core::time::SystemClock;
use fixgate_ring::alloc_count::{count_allocations, CountingAllocator};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

fn cfg(line: Line, timestamps: TimestampMode, rcvbuf_bytes: usize) -> FeedSocketConfig {
    FeedSocketConfig {
        rcvbuf_bytes,
        timestamps,
        ..FeedSocketConfig::new(
            line,
            Endpoint::Unicast(SocketAddrV4::new(Ipv4Addr::LOCALHOST, 0)),
        )
    }
}

#[test]
fn receiving_does_not_allocate() {
    let configs = [
        cfg(Line::A, TimestampMode::Kernel, 1 << 20),
        cfg(Line::B, TimestampMode::User, 4096),
    ];
    let mut rx = UdpRx::open(&configs, SystemClock::new()).unwrap();
    let addrs: Vec<_> = rx.local_addrs().collect();
    let mut batch = RxBatch::new(32, 1500).unwrap();
    let tx = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let send = |n: usize| {
        for i in 0..n {
            tx.send_to(&[i as u8; 1000], addrs[0]).unwrap();
            tx.send_to(&[i as u8; 1000], addrs[1]).unwrap();
        }
        tx.send_to(&[0u8; 1600], addrs[0]).unwrap(); // longer than a slot
    };
    // Warm up: the thread's headers for both sockets, and B's one rebuild at
    // its first overflow (a 4 KiB buffer overflows on this burst).
    send(40);
    for _ in 0..4 {
        while rx.recv_batch(&mut batch).unwrap() > 0 {}
        send(40);
    }
    while rx.recv_batch(&mut batch).unwrap() > 0 {}

    let mut packets = 0;
    let mut drops = 0;
    for _ in 0..20 {
        send(40);
        let (allocs, ()) = count_allocations(|| {
            while rx.recv_batch(&mut batch).unwrap() > 0 {
                packets += batch.len();
                drops += batch.kernel_drops(Line::B);
            }
            // Nothing waiting: an empty call and a short wait.
            assert_eq!(rx.recv_batch(&mut batch).unwrap(), 0);
            rx.wait_readable(Duration::from_millis(1)).unwrap();
        });
        assert_eq!(allocs, 0, "receiving allocated {allocs} times");
    }
    let (a, b) = (rx.stats(0).unwrap(), rx.stats(1).unwrap());
    assert!(packets >= 20 * 40, "{packets} packets");
    assert!(
        drops > 0 && b.kernel_drops > 0,
        "B's 4 KiB buffer overflowed"
    );
    assert!(a.truncated >= 20);
    assert!(b.header_rebuilds <= 1, "{b:?}");
    println!(
        "feed_udp_no_alloc: {packets} packets, {drops} kernel drops, {} truncated, 0 allocations",
        a.truncated
    );
}
