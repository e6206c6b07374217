//! Helpers shared by the FIX benches: the environment line, the seeded corpus,
//! an independent message splitter, and a reference NewOrderSingle builder.
//!
//! Nothing here uses fixgate's or fefix's code, so the inputs both parsers see
//! (and the reference bytes the encoders are checked against) do not depend on
//! either implementation under test.
#![allow(dead_code, reason = "each bench binary uses a subset of these helpers")]

use std::ops::Range;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The FIX field delimiter.
pub const SOH: u8 = 0x01;

/// Prints one line: logical cores and, where `/proc/cpuinfo` is readable, the
/// CPU model. Benchmarks from different machines are not comparable.
pub fn print_environment(bench: &str) {
    let cores = std::thread::available_parallelism().map_or(0, |n| n.get());
    let model = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split_once(':'))
                .map(|(_, m)| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown (no /proc/cpuinfo)".to_owned());
    println!("{bench}: environment: cores={cores} cpu=\"{model}\"");
}

/// The byte sum modulo 256 (FIX CheckSum), written independently of both codecs.
pub fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |s, &b| s.wrapping_add(b))
}

/// Wraps `body` (fields from `35=` on, each ended by SOH) into a whole message:
/// `8=<begin>␁9=<len>␁<body>10=<sum>␁`, with BodyLength and CheckSum computed.
pub fn frame(begin_string: &str, body: &[u8]) -> Vec<u8> {
    let mut m = Vec::with_capacity(body.len() + 32);
    m.extend_from_slice(b"8=");
    m.extend_from_slice(begin_string.as_bytes());
    m.push(SOH);
    m.extend_from_slice(format!("9={}", body.len()).as_bytes());
    m.push(SOH);
    m.extend_from_slice(body);
    let sum = checksum(&m);
    m.extend_from_slice(format!("10={sum:03}").as_bytes());
    m.push(SOH);
    m
}

/// A message with the given fields after `8=<begin>␁9=<len>␁` (the first must
/// be 35), each written as `tag=value␁`, framed by [`frame`].
pub fn message(begin_string: &str, fields: &[(u32, &[u8])]) -> Vec<u8> {
    let mut body = Vec::with_capacity(fields.len() * 12);
    for (tag, value) in fields {
        body.extend_from_slice(tag.to_string().as_bytes());
        body.push(b'=');
        body.extend_from_slice(value);
        body.push(SOH);
    }
    frame(begin_string, &body)
}

/// A price in cents as FIX text with trailing zeros trimmed: 22850 → `228.5`,
/// 22851 → `228.51`, 22900 → `229` (how both encoders under test write it).
pub fn price_text(cents: u64) -> String {
    let (int, frac) = (cents / 100, cents % 100);
    match frac {
        0 => format!("{int}"),
        f if f % 10 == 0 => format!("{int}.{}", f / 10),
        f => format!("{int}.{f:02}"),
    }
}

/// The fields of a FIX.4.4 NewOrderSingle (35=D): header 34, 49, 52, 56 and
/// body 11, 21, 38, 40, 44, 54, 55, 59, 60, in that order.
#[derive(Clone, Copy, Debug)]
pub struct NosFields<'a> {
    /// MsgSeqNum (34).
    pub seq_num: u64,
    /// SenderCompID (49).
    pub sender: &'a str,
    /// SendingTime (52), rendered.
    pub sending_time: &'a str,
    /// TargetCompID (56).
    pub target: &'a str,
    /// ClOrdID (11).
    pub cl_ord_id: &'a str,
    /// OrderQty (38), whole shares.
    pub qty: u64,
    /// Price (44) in cents.
    pub price_cents: u64,
    /// Symbol (55).
    pub symbol: &'a str,
    /// TransactTime (60), rendered.
    pub transact_time: &'a str,
}

/// The sample order: a 151-byte limit buy of 100 AAPL at 228.5.
pub const NOS_SAMPLE: NosFields<'static> = NosFields {
    seq_num: 1234,
    sender: "C1",
    sending_time: "20260316-14:30:00.123",
    target: "GW",
    cl_ord_id: "O1234",
    qty: 100,
    price_cents: 22_850,
    symbol: "AAPL",
    transact_time: "20260316-14:30:00.120",
};

/// The NewOrderSingle with `f`'s values, BodyLength and CheckSum computed.
pub fn new_order_single(f: &NosFields<'_>) -> Vec<u8> {
    let seq = f.seq_num.to_string();
    let qty = f.qty.to_string();
    let price = price_text(f.price_cents);
    message(
        "FIX.4.4",
        &[
            (35, b"D"),
            (34, seq.as_bytes()),
            (49, f.sender.as_bytes()),
            (52, f.sending_time.as_bytes()),
            (56, f.target.as_bytes()),
            (11, f.cl_ord_id.as_bytes()),
            (21, b"1"),
            (38, qty.as_bytes()),
            (40, b"2"),
            (44, price.as_bytes()),
            (54, b"1"),
            (55, f.symbol.as_bytes()),
            (59, b"0"),
            (60, f.transact_time.as_bytes()),
        ],
    )
}

/// Where the parse bench keeps its generated corpus.
pub fn bench_data_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench-data")
}

/// Returns the bytes of `fixcorpus.py --count <count> --seed <seed> --mix <mix>`,
/// generating the file under `target/bench-data/` the first time. `None` (after
/// printing why) when the generator or Python is not available.
pub fn load_corpus(count: u32, seed: u32, mix: &str) -> Option<Vec<u8>> {
    let tool = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/tools/fixcorpus.py");
    let dir = bench_data_dir();
    let path = dir.join(format!("fixcorpus-{mix}-n{count}-seed{seed}.fix"));
    if !path.exists() {
        if !tool.exists() {
            println!(
                "SKIPPED corpus benches: generator {} not found",
                tool.display()
            );
            return None;
        }
        if let Err(e) = std::fs::create_dir_all(&dir) {
            println!(
                "SKIPPED corpus benches: cannot create {}: {e}",
                dir.display()
            );
            return None;
        }
        // Write to a temporary name so an interrupted run never leaves a
        // truncated corpus that a later run would trust.
        let tmp = path.with_extension("fix.partial");
        let status = Command::new("python3")
            .arg(&tool)
            .args(["--count", &count.to_string(), "--seed", &seed.to_string()])
            .args(["--mix", mix, "--out"])
            .arg(&tmp)
            .status();
        match status {
            Ok(s) if s.success() => {
                if let Err(e) = std::fs::rename(&tmp, &path) {
                    println!("SKIPPED corpus benches: cannot rename corpus: {e}");
                    return None;
                }
            }
            Ok(s) => {
                println!("SKIPPED corpus benches: {} exited with {s}", tool.display());
                return None;
            }
            Err(e) => {
                println!("SKIPPED corpus benches: cannot run python3: {e}");
                return None;
            }
        }
    }
    match std::fs::read(&path) {
        Ok(bytes) => Some(bytes),
        Err(e) => {
            println!(
                "SKIPPED corpus benches: cannot read {}: {e}",
                path.display()
            );
            None
        }
    }
}

/// Splits a stream of well-formed messages at the lengths their BodyLength
/// fields declare. Independent of both parsers (it checks nothing else), and
/// run once, outside any timed loop.
///
/// # Panics
/// If the stream is not a sequence of `8=..␁9=N␁` framed messages.
pub fn split_messages(stream: &[u8]) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut pos = 0;
    while pos < stream.len() {
        let rest = &stream[pos..];
        let soh = |from: usize| {
            rest[from..]
                .iter()
                .position(|&b| b == SOH)
                .map(|p| from + p)
                .expect("corpus field is not terminated by SOH")
        };
        assert!(rest.starts_with(b"8="), "corpus message at {pos} lacks 8=");
        let bs_end = soh(0);
        assert_eq!(&rest[bs_end + 1..bs_end + 3], b"9=", "no 9= at {pos}");
        let bl_end = soh(bs_end + 3);
        let body_len: usize = std::str::from_utf8(&rest[bs_end + 3..bl_end])
            .ok()
            .and_then(|s| s.parse().ok())
            .expect("BodyLength is not a number");
        let len = bl_end + 1 + body_len + 7;
        assert!(len <= rest.len(), "truncated corpus message at {pos}");
        out.push(pos..pos + len);
        pos += len;
    }
    out
}
