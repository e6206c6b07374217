//! Capture reading on files written here with `pcap-file`'s writers.

use std::borrow::Cow;
use std::time::Duration;

use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::pcapng::blocks::enhanced_packet::EnhancedPacketBlock;
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption,
};
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::{DataLink, Endianness, TsResolution};

use super::*;

fn frames(file: &[u8]) -> Vec<(u64, Option<u64>, u32, Vec<u8>)> {
    let mut r = CaptureReader::new(file).unwrap();
    let mut out = Vec::new();
    while let Some(f) = r.next_frame() {
        let f = f.unwrap();
        out.push((f.index, f.ts_capture_ns, f.dlt, f.data.into_owned()));
    }
    out
}

#[test]
fn pcap_micro_and_nano_in_both_byte_orders() {
    for (res, endianness) in [
        (TsResolution::MicroSecond, Endianness::Big),
        (TsResolution::NanoSecond, Endianness::Little),
    ] {
        let header = PcapHeader {
            ts_resolution: res,
            endianness,
            datalink: DataLink::ETHERNET,
            ..PcapHeader::default()
        };
        let mut w = PcapWriter::with_header(Vec::new(), header).unwrap();
        let ts = Duration::new(1_536_760_535, 679_530_000);
        w.write_packet(&PcapPacket::new(ts, 3, b"abc")).unwrap();
        w.write_packet(&PcapPacket::new(ts + Duration::from_micros(1), 1, b"d"))
            .unwrap();
        let got = frames(&w.into_writer());
        assert_eq!(
            got,
            vec![
                (0, Some(1_536_760_535_679_530_000), 1, b"abc".to_vec()),
                (1, Some(1_536_760_535_679_531_000), 1, b"d".to_vec()),
            ]
        );
    }
}

fn idb(options: Vec<InterfaceDescriptionOption<'static>>) -> InterfaceDescriptionBlock<'static> {
    InterfaceDescriptionBlock {
        linktype: DataLink::ETHERNET,
        snaplen: 0,
        options,
    }
}

fn epb(interface_id: u32, ticks: u64, data: &'static [u8]) -> EnhancedPacketBlock<'static> {
    EnhancedPacketBlock {
        interface_id,
        timestamp: Duration::from_nanos(ticks),
        original_len: data.len() as u32,
        data: Cow::Borrowed(data),
        options: vec![],
    }
}

#[test]
fn pcapng_timestamps_follow_each_interfaces_resolution() {
    let mut w = PcapNgWriter::new(Vec::new()).unwrap();
    // interface 0: default resolution (microseconds); 1: nanoseconds; 2: 2^-10 s + 5 s offset
    w.write_pcapng_block(idb(vec![])).unwrap();
    w.write_pcapng_block(idb(vec![InterfaceDescriptionOption::IfTsResol(9)]))
        .unwrap();
    w.write_pcapng_block(idb(vec![
        InterfaceDescriptionOption::IfTsResol(0x80 | 10),
        InterfaceDescriptionOption::IfTsOffset(5),
    ]))
    .unwrap();
    w.write_pcapng_block(epb(0, 1_536_760_535_679_530, b"a"))
        .unwrap();
    w.write_pcapng_block(epb(1, 1_536_760_535_679_530_123, b"bc"))
        .unwrap();
    w.write_pcapng_block(epb(2, 1024 + 512, b"def")).unwrap();
    let got = frames(&w.into_inner());
    assert_eq!(
        got,
        vec![
            (0, Some(1_536_760_535_679_530_000), 1, b"a".to_vec()),
            (1, Some(1_536_760_535_679_530_123), 1, b"bc".to_vec()),
            (2, Some(6_500_000_000), 1, b"def".to_vec()),
        ]
    );
}

#[test]
fn unknown_formats_and_interfaces_are_errors() {
    assert!(matches!(
        CaptureReader::new(&b"GET / HTTP/1.1"[..]),
        Err(CaptureError::UnknownFormat { magic }) if &magic == b"GET "
    ));
    let mut w = PcapNgWriter::new(Vec::new()).unwrap();
    w.write_pcapng_block(idb(vec![])).unwrap();
    w.write_pcapng_block(epb(0, 1, b"x")).unwrap();
    let file = w.into_inner();
    // The last block is the 36-byte EPB; its interface id follows type and length.
    let mut bad = file.clone();
    let at = bad.len() - 36 + 8;
    bad[at] = 3;
    let mut r = CaptureReader::new(&bad[..]).unwrap();
    assert!(matches!(
        r.next_frame(),
        Some(Err(CaptureError::UnknownInterface {
            frame: 0,
            interface: 3
        } | CaptureError::Format { frame: 0, .. }))
    ));
    let mut truncated = file.clone();
    truncated.truncate(file.len() - 3);
    let mut r = CaptureReader::new(&truncated[..]).unwrap();
    let mut saw_error = false;
    while let Some(f) = r.next_frame() {
        if f.is_err() {
            saw_error = true;
            break;
        }
    }
    assert!(saw_error, "a truncated block is reported");
}

#[test]
fn an_input_that_hands_over_one_byte_at_a_time_reads_the_same() {
    let mut w = PcapWriter::new(Vec::new()).unwrap();
    let ts = Duration::new(1_700_000_000, 5_000);
    w.write_packet(&PcapPacket::new(ts, 3, b"abc")).unwrap();
    let pcap = w.into_writer();
    let mut w = PcapNgWriter::new(Vec::new()).unwrap();
    w.write_pcapng_block(idb(vec![])).unwrap();
    w.write_pcapng_block(epb(0, 7, b"xyz")).unwrap();
    let pcapng = w.into_inner();
    for file in [pcap, pcapng] {
        let whole = frames(&file);
        assert_eq!(whole.len(), 1);
        // A buffer of one byte: the magic arrives over four reads.
        let mut r = CaptureReader::new(std::io::BufReader::with_capacity(1, &file[..])).unwrap();
        let mut slow = Vec::new();
        while let Some(f) = r.next_frame() {
            let f = f.unwrap();
            slow.push((f.index, f.ts_capture_ns, f.dlt, f.data.into_owned()));
        }
        assert_eq!(slow, whole);
    }
    assert!(matches!(
        CaptureReader::new(&b"\xd4\xc3"[..]),
        Err(CaptureError::UnknownFormat { magic }) if magic == [0xd4, 0xc3, 0, 0]
    ));
}
