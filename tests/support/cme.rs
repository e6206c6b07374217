//! CME MDP 3.0 captures and schema from `../shared/conformance/mdp3`, for the
//! decoder tests.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use std::path::PathBuf;

use fixgate::net::pcap::CaptureReader;
use fixgate_core::md::frame::{dissect, LinkType, Transport};
use fixgate_core::md::sbe::Schema;

use super::shared::shared_path;

/// One captured MDP payload.
pub struct Payload {
    /// The capture, relative to `conformance/mdp3/pcap` (`v9/MdIncrementalRefreshBook.pcap`).
    pub capture: String,
    /// Frame index.
    pub frame: u64,
    /// UDP or TCP.
    pub transport: Transport,
    /// Destination `address:port`.
    pub dst: String,
    /// The UDP payload or TCP segment data.
    pub bytes: Vec<u8>,
}

/// Every `.pcap`/`.pcapng` under `conformance/mdp3/pcap`, sorted, as paths
/// relative to it; `None` (after saying why) when `../shared` is missing.
pub fn captures() -> Option<Vec<(String, PathBuf)>> {
    let root = shared_path("conformance/mdp3/pcap")?;
    let mut out = Vec::new();
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .expect("read pcap dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    for d in dirs {
        let mut files: Vec<_> = std::fs::read_dir(&d)
            .expect("read capture dir")
            .map(|e| e.expect("entry").path())
            .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
            .collect();
        files.sort();
        for f in files {
            let rel = f
                .strip_prefix(&root)
                .expect("under the pcap dir")
                .to_string_lossy()
                .replace('\\', "/");
            out.push((rel, f));
        }
    }
    assert!(!out.is_empty(), "no captures under {}", root.display());
    Some(out)
}

/// The payloads of one capture, in frame order.
pub fn payloads_of(rel: &str, path: &PathBuf) -> Vec<Payload> {
    let file = std::fs::read(path).expect("read capture");
    let mut reader = CaptureReader::new(&file[..]).expect("open capture");
    let mut out = Vec::new();
    while let Some(frame) = reader.next_frame() {
        let frame = frame.expect("frame");
        let link = LinkType::from_dlt(frame.dlt).expect("supported link type");
        let d = dissect(link, &frame.data).expect("frame dissects");
        if d.payload.is_empty() {
            continue;
        }
        out.push(Payload {
            capture: rel.to_owned(),
            frame: frame.index,
            transport: d.transport,
            dst: format!("{}:{}", d.dst, d.dst_port),
            bytes: d.payload.to_vec(),
        });
    }
    out
}

/// The payloads of every capture.
pub fn all_payloads() -> Option<Vec<Payload>> {
    let caps = captures()?;
    Some(
        caps.iter()
            .flat_map(|(rel, path)| payloads_of(rel, path))
            .collect(),
    )
}

/// The v9 schema, loaded at run time.
pub fn schema() -> Option<Schema> {
    let p = shared_path("conformance/mdp3/schema/templates_FixBinary_v9.xml")?;
    let xml = std::fs::read_to_string(p).expect("read schema");
    Some(Schema::from_xml(&xml).expect("schema loads"))
}
