//! `fixgate record`'s per-datagram path allocates nothing, on either thread:
//! the feed thread's copy into a fixed-size slot and its publish into the
//! SPSC ring, the writer thread's read of the slot, the frame built around
//! the payload and the pcap record written (into a buffer that has its
//! room). Both sides run here on one thread, because the counting allocator
//! counts per thread. Its own test binary because it installs the counting
//! global allocator.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddrV4};

use fixgate::app::record::{PacketSlot, SlotHeader, MAX_PAYLOAD};
use fixgate::net::pcap::UdpPcapWriter;
use fixgate_core::normalize::arbiter::Line;
use fixgate_core::time::UtcNanos;
use fixgate_ring::alloc_count::{count_allocations, CountingAllocator};
use fixgate_ring::{RingConfig, WaitStrategy};

#[global_allocator]
static ALLOC: CountingAllocator = CountingAllocator;

/// A writer with a fixed room (a `Vec` that never grows past its capacity).
struct Room(Vec<u8>);

impl Write for Room {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = buf.len().min(self.0.capacity() - self.0.len());
        self.0.extend_from_slice(&buf[..n]);
        if self.0.len() == self.0.capacity() {
            self.0.clear();
        }
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn a_datagram_from_socket_to_file_does_not_allocate() {
    let (mut producer, subscribers) = fixgate_ring::channel::<PacketSlot>(RingConfig {
        capacity: 64,
        max_blocking: 1,
        producer_wait: WaitStrategy::Spin,
    })
    .unwrap();
    let mut consumer = subscribers.blocking(WaitStrategy::Spin).unwrap();
    let mut pcap = UdpPcapWriter::new(Room(Vec::with_capacity(1 << 20))).unwrap();
    let mut slot = Box::new(PacketSlot::EMPTY);
    let mut payload = Box::new([0u8; MAX_PAYLOAD]);
    let datagrams: Vec<Vec<u8>> = (0..200usize)
        .map(|i| {
            (0..(i * 53) % MAX_PAYLOAD + 1)
                .map(|k| (k ^ i) as u8)
                .collect()
        })
        .collect();
    let header = SlotHeader {
        ts_recv: UtcNanos::from_nanos(1_773_671_400_000_000_000),
        line: Line::B,
        src: SocketAddrV4::new(Ipv4Addr::LOCALHOST, 40000),
        dst: SocketAddrV4::new(Ipv4Addr::new(239, 255, 0, 1), 15310),
    };
    let mut run = |slot: &mut PacketSlot, payload: &mut [u8; MAX_PAYLOAD]| {
        let mut lens = 0;
        for d in &datagrams {
            assert!(slot.fill(&header, d));
            producer.try_publish(*slot).expect("room");
            consumer.poll_batch(1, |_, s| {
                let h = s.header();
                let n = s.payload_into(payload);
                lens += n;
                pcap.write_datagram(h.ts_recv, h.src, h.dst, &payload[..n])
                    .unwrap();
            });
        }
        lens
    };
    // Warm-up: the frame buffer grows to the largest frame once.
    run(&mut slot, &mut payload);
    let (allocations, lens) = count_allocations(|| run(&mut slot, &mut payload));
    assert_eq!(lens, datagrams.iter().map(Vec::len).sum::<usize>());
    assert_eq!(allocations, 0, "allocations on the per-datagram path");
    assert_eq!(pcap.written(), 2 * datagrams.len() as u64);
}
