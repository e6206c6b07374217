//! Reading whole FIX messages as text: a field's value, a one-line summary for
//! traces and assertion messages, and cutting a session's output into messages.

/// The value of `tag` in a whole message, by scanning its text.
pub fn field(msg: &[u8], tag: u32) -> Option<&str> {
    let prefix = format!("{tag}=");
    msg.split(|&b| b == 1)
        .find_map(|f| f.strip_prefix(prefix.as_bytes()))
        .and_then(|v| std::str::from_utf8(v).ok())
}

/// One line per message: the fields that tell the session story.
pub fn summary(msg: &[u8]) -> String {
    let mut s = String::new();
    for tag in [35, 34, 43, 122, 7, 16, 36, 123, 11, 112, 45, 373, 58] {
        if let Some(v) = field(msg, tag) {
            s.push_str(&format!("{tag}={v} "));
        }
    }
    s.trim_end().to_string()
}

/// Cuts a session's output (whole messages, back to back) into messages.
pub fn split_messages(mut bytes: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let first_soh = bytes.iter().position(|&b| b == 1).expect("BeginString");
        let len_start = first_soh + 3;
        let len_end = len_start + bytes[len_start..].iter().position(|&b| b == 1).expect("9=");
        let body: usize = std::str::from_utf8(&bytes[len_start..len_end])
            .expect("digits")
            .parse()
            .expect("BodyLength");
        let end = len_end + 1 + body + 7;
        out.push(&bytes[..end]);
        bytes = &bytes[end..];
    }
    out
}
