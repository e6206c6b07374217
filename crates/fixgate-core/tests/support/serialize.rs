//! The independent serializer: FIX wire text written without the library, so
//! that the library's encoder, framer and parsers can be checked against it.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

/// `tag=value␁`.
pub fn field(tag: u32, value: &[u8]) -> Vec<u8> {
    let mut b = format!("{tag}=").into_bytes();
    b.extend_from_slice(value);
    b.push(1);
    b
}

/// The FIX checksum of `bytes`: their sum modulo 256.
pub fn checksum(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |a, &b| a.wrapping_add(b))
}

/// `8=…␁9=…␁<body>10=…␁`, BodyLength and CheckSum computed here.
pub fn frame_body(begin: &str, body: &[u8]) -> Vec<u8> {
    frame_declaring(begin, body.len(), body)
}

/// `8=…␁9=<declared>␁<body>10=…␁`, whatever the body's length; CheckSum
/// computed here.
pub fn frame_declaring(begin: &str, declared: usize, body: &[u8]) -> Vec<u8> {
    let mut m = format!("8={begin}\x019={declared}\x01").into_bytes();
    m.extend_from_slice(body);
    let sum = checksum(&m);
    m.extend_from_slice(format!("10={sum:03}\x01").as_bytes());
    m
}

/// `e9` nanounits as a decimal with trailing zeros trimmed.
pub fn render_price(e9: i64) -> String {
    let sign = if e9 < 0 { "-" } else { "" };
    let abs = e9.unsigned_abs();
    let (int, frac) = (abs / 1_000_000_000, abs % 1_000_000_000);
    if frac == 0 {
        return format!("{sign}{int}");
    }
    let frac = format!("{frac:09}");
    format!("{sign}{int}.{}", frac.trim_end_matches('0'))
}

/// A message for an assertion message: SOH shown as `|`.
pub fn show(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).replace('\x01', "|")
}
