//! Frame dissection on hand-built frames: each layer's good case and each
//! typed error.

use super::*;

fn ipv4(protocol: u8, payload: &[u8], frag: u16) -> Vec<u8> {
    let total = (20 + payload.len()) as u16;
    let mut h = vec![0x45, 0];
    h.extend_from_slice(&total.to_be_bytes());
    h.extend_from_slice(&[0, 0]);
    h.extend_from_slice(&frag.to_be_bytes());
    h.extend_from_slice(&[64, protocol, 0, 0]);
    h.extend_from_slice(&[10, 0, 0, 1, 224, 0, 31, 1]);
    h.extend_from_slice(payload);
    h
}

fn udp(payload: &[u8]) -> Vec<u8> {
    let mut u = 14310u16.to_be_bytes().to_vec();
    u.extend_from_slice(&14310u16.to_be_bytes());
    u.extend_from_slice(&((8 + payload.len()) as u16).to_be_bytes());
    u.extend_from_slice(&[0, 0]);
    u.extend_from_slice(payload);
    u
}

fn ethernet(tags: &[u16], ip: &[u8]) -> Vec<u8> {
    let mut f = vec![1, 0, 0x5e, 0, 0x1f, 1, 0, 0x1c, 0x73, 0, 0, 1];
    for &t in tags {
        f.extend_from_slice(&ethertype::VLAN.to_be_bytes());
        f.extend_from_slice(&t.to_be_bytes());
    }
    f.extend_from_slice(&ethertype::IPV4.to_be_bytes());
    f.extend_from_slice(ip);
    f
}

#[test]
fn udp_over_ethernet_with_and_without_vlan_and_padding() {
    let mut frame = ethernet(&[], &ipv4(protocol::UDP, &udp(b"mdp"), 0));
    frame.extend_from_slice(&[0; 6]); // link padding past the IP total length
    let d = dissect(LinkType::Ethernet, &frame).unwrap();
    assert_eq!(d.payload, b"mdp");
    assert_eq!((d.src_port, d.dst_port, d.vlan), (14310, 14310, None));
    assert_eq!(d.dst, Ipv4Addr::new(224, 0, 31, 1));
    assert_eq!(d.transport, Transport::Udp);
    let frame = ethernet(&[0x2663, 5], &ipv4(protocol::UDP, &udp(b"x"), 0));
    let d = dissect(LinkType::Ethernet, &frame).unwrap();
    assert_eq!((d.payload, d.vlan), (&b"x"[..], Some(0x663)));
    let ip = ipv4(protocol::UDP, &udp(b"raw"), 0);
    assert_eq!(dissect(LinkType::RawIpv4, &ip).unwrap().payload, b"raw");
    let mut sll = vec![0; 14];
    sll.extend_from_slice(&ethertype::IPV4.to_be_bytes());
    sll.extend_from_slice(&ip);
    assert_eq!(dissect(LinkType::LinuxSll, &sll).unwrap().payload, b"raw");
}

#[test]
fn tcp_segment_payload() {
    let mut tcp = vec![0x24, 0x10, 0xdb, 0xfc, 0, 0, 0, 0, 0, 0, 0, 0, 0x60, 0x18];
    tcp.extend_from_slice(&[0; 10]); // 24-byte header (one option word)
    tcp.extend_from_slice(b"\xfe\xca");
    let frame = ethernet(&[], &ipv4(protocol::TCP, &tcp, 0));
    let d = dissect(LinkType::Ethernet, &frame).unwrap();
    assert_eq!(
        (d.transport, d.src_port, d.payload),
        (Transport::Tcp, 9232, &b"\xfe\xca"[..])
    );
    tcp[12] = 0x40;
    let frame = ethernet(&[], &ipv4(protocol::TCP, &tcp, 0));
    assert!(matches!(
        dissect(LinkType::Ethernet, &frame),
        Err(FrameError::BadTcpDataOffset { header_len: 16, .. })
    ));
}

#[test]
fn each_layer_reports_its_error() {
    let good_ip = ipv4(protocol::UDP, &udp(b"abc"), 0);
    let e = |frame: &[u8]| dissect(LinkType::Ethernet, frame).unwrap_err();
    assert_eq!(
        e(&[0; 13]),
        FrameError::TooShort {
            layer: Layer::Ethernet,
            need: 14,
            have: 13
        }
    );
    let mut arp = ethernet(&[], &good_ip);
    arp[12..14].copy_from_slice(&0x0806u16.to_be_bytes());
    assert_eq!(e(&arp), FrameError::NotIpv4 { ethertype: 0x0806 });
    assert_eq!(
        e(&ethernet(&[1, 2, 3], &good_ip)),
        FrameError::TooManyVlanTags
    );
    let mut cut = ethernet(&[7], &good_ip);
    cut.truncate(16);
    assert!(matches!(
        e(&cut),
        FrameError::TooShort {
            layer: Layer::Vlan,
            ..
        }
    ));
    let mut v6 = good_ip.clone();
    v6[0] = 0x65;
    assert_eq!(
        e(&ethernet(&[], &v6)),
        FrameError::BadIpVersion { version: 6 }
    );
    let mut ihl = good_ip.clone();
    ihl[0] = 0x44;
    assert!(matches!(
        e(&ethernet(&[], &ihl)),
        FrameError::BadIpHeaderLength { header_len: 16, .. }
    ));
    let mut total = good_ip.clone();
    total[2..4].copy_from_slice(&999u16.to_be_bytes());
    assert!(matches!(
        e(&ethernet(&[], &total)),
        FrameError::BadIpTotalLength { total_len: 999, .. }
    ));
    assert_eq!(
        e(&ethernet(&[], &ipv4(protocol::UDP, &udp(b"abc"), 0x2000))),
        FrameError::Fragmented {
            offset_bytes: 0,
            more_fragments: true
        }
    );
    assert_eq!(
        e(&ethernet(&[], &ipv4(protocol::UDP, &udp(b"abc"), 3))),
        FrameError::Fragmented {
            offset_bytes: 24,
            more_fragments: false
        }
    );
    assert_eq!(
        e(&ethernet(&[], &ipv4(1, &[0; 8], 0))),
        FrameError::NotUdpOrTcp { protocol: 1 }
    );
    let mut u = udp(b"abc");
    u[4..6].copy_from_slice(&50u16.to_be_bytes());
    assert!(matches!(
        e(&ethernet(&[], &ipv4(protocol::UDP, &u, 0))),
        FrameError::BadUdpLength { length: 50, .. }
    ));
    assert!(matches!(
        e(&ethernet(&[], &ipv4(protocol::UDP, &[0; 7], 0))),
        FrameError::TooShort {
            layer: Layer::Udp,
            ..
        }
    ));
}
