//! `fixgate record` on loopback (127.0.0.1 only, bounded count and time):
//! datagrams sent to two unicast lines come back from the pcap with the same
//! bytes, in the same order per line, with their receive times and
//! addresses; `max_packets` stops the feed thread; a recording of the CME
//! stream on both lines replays with one copy of each packet.

mod support;

use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, UdpSocket};
use std::time::Duration;

use fixgate::app::record::{RecordSection, Recorder, MAX_PAYLOAD};
use fixgate::app::replay::{replay_file, ReplayConfig, ReplayOptions};
use fixgate::app::strategies::StrategyRegistry;
use fixgate::net::feed::{Endpoint, FeedSocketConfig};
use fixgate::net::pcap::CaptureReader;
use fixgate_core::md::frame::{dissect, LinkType};
use fixgate_core::normalize::arbiter::Line;
use fixgate_core::time::{Clock, MonoNanos, SystemClock};
use support::replay_capture::scratch;

const LOOPBACK: Ipv4Addr = Ipv4Addr::LOCALHOST;
const DEADLINE: Duration = Duration::from_secs(10);

fn line(line: Line) -> FeedSocketConfig {
    FeedSocketConfig::new(line, Endpoint::Unicast(SocketAddrV4::new(LOOPBACK, 0)))
}

/// Waits (bounded) until `done` or the deadline; whether `done` came true.
fn wait_until(mut done: impl FnMut() -> bool) -> bool {
    let clock = SystemClock::new();
    let end: MonoNanos = clock
        .mono()
        .saturating_add_nanos(DEADLINE.as_nanos() as u64);
    while clock.mono() < end {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(2));
    }
    done()
}

/// Sends `payloads` to `addr` from `tx`, pausing now and then so that the
/// receive buffer never overflows.
fn send_all(tx: &UdpSocket, addr: SocketAddr, payloads: &[Vec<u8>]) {
    for (i, p) in payloads.iter().enumerate() {
        tx.send_to(p, addr).expect("send");
        if i % 32 == 31 {
            std::thread::sleep(Duration::from_millis(1));
        }
    }
}

/// `(dst port, src, ts, payload)` of every frame of the capture.
fn read_back(path: &std::path::Path) -> Vec<(u16, SocketAddrV4, u64, Vec<u8>)> {
    let bytes = std::fs::read(path).expect("read capture");
    let mut r = CaptureReader::new(&bytes[..]).expect("a pcap");
    let mut out = Vec::new();
    while let Some(f) = r.next_frame() {
        let f = f.expect("frame");
        let d = dissect(LinkType::from_dlt(f.dlt).unwrap(), &f.data).expect("dissects");
        out.push((
            d.dst_port,
            SocketAddrV4::new(d.src, d.src_port),
            f.ts_capture_ns.expect("stamped"),
            d.payload.to_vec(),
        ));
    }
    out
}

#[test]
fn two_lines_come_back_byte_for_byte_in_order() {
    let dir = scratch("record-two-lines");
    let path = dir.join("rec.pcap");
    let n_per_line = 300;
    let recorder = Recorder::start(
        &[line(Line::A), line(Line::B)],
        1024,
        std::fs::File::create(&path).unwrap(),
        u64::MAX,
    )
    .expect("start");
    let addrs = recorder.local_addrs().to_vec();
    let tx = UdpSocket::bind((LOOPBACK, 0)).unwrap();
    let sender = match tx.local_addr().unwrap() {
        SocketAddr::V4(a) => a,
        other => panic!("{other}"),
    };
    let sent: Vec<Vec<Vec<u8>>> = (0..2u8)
        .map(|l| {
            (0..n_per_line)
                .map(|i: usize| {
                    let len = 1 + (i * 37) % 1400;
                    (0..len)
                        .map(|k| (k as u8) ^ (i as u8) ^ (l * 0x55))
                        .collect()
                })
                .collect()
        })
        .collect();
    let clock = SystemClock::new();
    let before = clock.utc().as_nanos();
    for (l, addr) in addrs.iter().enumerate() {
        send_all(&tx, *addr, &sent[l]);
    }
    let total = 2 * n_per_line as u64;
    assert!(
        wait_until(|| recorder.written() >= total),
        "recorded {}",
        recorder.written()
    );
    let summary = recorder.finish().expect("finish");
    let after = clock.utc().as_nanos();
    assert_eq!(
        (summary.received, summary.written),
        (total, total),
        "{summary}"
    );
    assert_eq!((summary.ring_full, summary.too_long), (0, 0));
    let frames = read_back(&path);
    assert_eq!(frames.len() as u64, total);
    for (l, addr) in addrs.iter().enumerate() {
        let got: Vec<&Vec<u8>> = frames
            .iter()
            .filter(|f| f.0 == addr.port())
            .map(|f| &f.3)
            .collect();
        let want: Vec<&Vec<u8>> = sent[l].iter().collect();
        assert_eq!(got, want, "line {l}: bytes and order");
    }
    for (_, src, ts, _) in &frames {
        assert_eq!(*src, sender);
        assert!(
            (before..=after).contains(ts),
            "receive time {ts} within the run"
        );
    }
    println!("recorded {total} datagrams on two lines: {summary}");
}

#[test]
fn max_packets_stops_the_feed_thread() {
    let dir = scratch("record-max-packets");
    let path = dir.join("rec.pcap");
    let recorder = Recorder::start(
        &[line(Line::A)],
        64,
        std::fs::File::create(&path).unwrap(),
        10,
    )
    .expect("start");
    let addr = recorder.local_addrs()[0];
    let tx = UdpSocket::bind((LOOPBACK, 0)).unwrap();
    let payloads: Vec<Vec<u8>> = (0..25u8).map(|i| vec![i; 20]).collect();
    send_all(&tx, addr, &payloads);
    assert!(
        wait_until(|| recorder.feed_finished()),
        "the feed thread stops at 10"
    );
    let summary = recorder.finish().expect("finish");
    assert_eq!((summary.received, summary.written), (10, 10));
    let got: Vec<Vec<u8>> = read_back(&path).into_iter().map(|f| f.3).collect();
    assert_eq!(got, payloads[..10]);
}

#[test]
fn a_recording_of_both_lines_replays_with_one_copy_of_each_packet() {
    let Some(stream) = support::cme_stream::build() else {
        return;
    };
    // The packets that fit a record slot (an Ethernet MTU, as CME's do; the
    // stream's synthetic definition and snapshot packets can be larger),
    // renumbered so that each feed's `MsgSeqNum`s stay contiguous.
    let mut next_seq: std::collections::BTreeMap<_, u32> = Default::default();
    let payloads: Vec<Vec<u8>> = stream
        .packets
        .iter()
        .filter(|(_, p)| p.len() <= MAX_PAYLOAD)
        .map(|(feed, p)| {
            let seq = next_seq.entry(format!("{feed:?}")).or_insert(0);
            *seq += 1;
            let mut p = p.clone();
            p[0..4].copy_from_slice(&seq.to_le_bytes());
            p
        })
        .collect();
    assert!(payloads.len() > 10, "{} packets fit", payloads.len());
    let dir = scratch("record-replay");
    let path = dir.join("rec.pcap");
    let config = RecordSection::parse(
        "[record]\nring_slots = 256\n[[record.line]]\nline = \"A\"\nbind = \"127.0.0.1:0\"\n[[record.line]]\nline = \"B\"\nbind = \"127.0.0.1:0\"\n",
    )
    .expect("record config");
    let recorder = Recorder::start(
        &config.sockets().unwrap(),
        config.ring_slots,
        std::fs::File::create(&path).unwrap(),
        u64::MAX,
    )
    .expect("start");
    let addrs = recorder.local_addrs().to_vec();
    let tx = UdpSocket::bind((LOOPBACK, 0)).unwrap();
    // Each packet on A, then on B, then a pause, so that the recording holds
    // the packets in the order sent (two sockets, one receive thread).
    for p in &payloads {
        tx.send_to(p, addrs[0]).unwrap();
        tx.send_to(p, addrs[1]).unwrap();
        std::thread::sleep(Duration::from_millis(2));
    }
    let total = 2 * payloads.len() as u64;
    assert!(
        wait_until(|| recorder.written() >= total),
        "written {}",
        recorder.written()
    );
    let summary = recorder.finish().expect("finish");
    assert_eq!(summary.written, total);
    let lines = format!(
        "[replay]\n[[replay.line]]\naddress = \"127.0.0.1\"\nport = {}\nline = \"A\"\n[[replay.line]]\naddress = \"127.0.0.1\"\nport = {}\nline = \"B\"\n",
        addrs[0].port(),
        addrs[1].port()
    );
    let options = ReplayOptions::new(ReplayConfig::parse(&lines).unwrap());
    let replayed =
        replay_file(&path, &options, &StrategyRegistry::with_builtins()).expect("replay");
    let json = replayed.counters_json();
    let n = payloads.len() as u64;
    assert_eq!(json["packets"], n, "{json}");
    assert_eq!(json["duplicates"], n, "{json}");
    assert_eq!(json["unmapped"], 0);
    assert!(json["events"].as_u64().unwrap() > 0);
    println!("recorded and replayed {n} packets x2 lines: {json}");
}
