//! Golden files that pin a tool's output over the `../shared` captures without
//! republishing it.
//!
//! The captures' README says their market data is for internal testing only, so
//! the repository must not carry their decoded contents (prices, sizes, order
//! ids). A golden digest keeps, per output line, only its line number, the
//! header keys that identify it (`seq`, `type`, `name` or `kind`), its length and
//! a 64-bit FNV-1a hash of the whole line: any change to any byte of the output
//! is caught, and the failure says which line (re-run `fixgate decode` on the
//! capture to see it), but no market data is stored.

#![allow(dead_code, reason = "each test binary uses part of the support code")]

/// FNV-1a, 64 bits: stable across platforms and Rust versions (unlike `DefaultHasher`).
fn fnv1a64(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// The value of a top-level scalar key in one JSON line, or `-`.
fn key(line: &serde_json::Value, name: &str) -> String {
    match line.get(name) {
        Some(serde_json::Value::String(s)) => s.clone(),
        Some(v @ serde_json::Value::Number(_)) => v.to_string(),
        _ => "-".to_owned(),
    }
}

/// The digest of a JSON-lines output: one line per output line.
pub fn digest(output: &[u8]) -> String {
    let mut out = String::new();
    for (i, line) in output.split(|&b| b == b'\n').enumerate() {
        if line.is_empty() {
            continue;
        }
        let json: serde_json::Value =
            serde_json::from_slice(line).unwrap_or(serde_json::Value::Null);
        let kind = if json.get("name").is_some() {
            key(&json, "name")
        } else {
            key(&json, "kind")
        };
        out.push_str(&format!(
            "{} seq={} type={} {} len={} fnv={:016x}\n",
            i + 1,
            key(&json, "seq"),
            key(&json, "type"),
            kind,
            line.len(),
            fnv1a64(line)
        ));
    }
    out
}

/// Compares `output`'s digest with the golden digest file, or writes it when
/// `FIXGATE_BLESS=1`. Returns a description of the first differing line.
pub fn check(golden: &std::path::Path, output: &[u8]) -> Result<(), String> {
    let got = digest(output);
    if std::env::var("FIXGATE_BLESS").as_deref() == Ok("1") {
        std::fs::create_dir_all(golden.parent().expect("golden file has a parent"))
            .expect("create golden dir");
        std::fs::write(golden, &got).expect("write golden digest");
        return Ok(());
    }
    let want = std::fs::read_to_string(golden).map_err(|e| format!("{}: {e}", golden.display()))?;
    if want == got {
        return Ok(());
    }
    let first = want
        .lines()
        .zip(got.lines())
        .find(|(w, g)| w != g)
        .map(|(w, g)| format!("expected `{w}`, got `{g}`"))
        .unwrap_or_else(|| {
            format!(
                "{} lines expected, {} produced",
                want.lines().count(),
                got.lines().count()
            )
        });
    Err(format!("{}: {first}", golden.display()))
}
