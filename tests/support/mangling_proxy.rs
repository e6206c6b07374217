//! A TCP proxy on 127.0.0.1 that rewrites the messages an acceptor sends, to show
//! that the acceptance runner notices.
//!
//! Client-to-acceptor bytes pass unchanged. Acceptor-to-client bytes are framed
//! with fixgate's [`Framer`]; each whole message goes through the rewrite
//! function, which must return a complete message (use [`reframe`] to fix
//! BodyLength and CheckSum after editing fields). A close on either side is
//! passed on as a close of the other side's writing half.
//!
//! Every loop is bounded: sockets have short read timeouts, the threads check a
//! stop flag and give up after [`MAX_LIFETIME`].

#![allow(dead_code, reason = "each test binary uses part of the support code")]

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use fixgate_core::fix::checksum::{checksum, checksum_digits};
use fixgate_core::fix::{FrameItem, Framer};

/// How long a proxy thread runs at most.
pub const MAX_LIFETIME: Duration = Duration::from_secs(900);
/// The read timeout with which the threads poll their stop flag.
const POLL: Duration = Duration::from_millis(10);
/// Poll rounds in [`MAX_LIFETIME`].
const MAX_ROUNDS: u64 = MAX_LIFETIME.as_millis() as u64 / 10;

/// A running proxy; dropping it stops it.
pub struct ManglingProxy {
    addr: SocketAddr,
    stop: Arc<AtomicBool>,
    accept_thread: Option<JoinHandle<()>>,
}

impl ManglingProxy {
    /// Listens on a free 127.0.0.1 port and forwards each connection to
    /// `upstream`, passing every message from `upstream` through `rewrite`.
    ///
    /// # Panics
    /// If it cannot listen.
    pub fn start(upstream: SocketAddr, rewrite: fn(&[u8]) -> Vec<u8>) -> ManglingProxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("proxy listen");
        listener
            .set_nonblocking(true)
            .expect("nonblocking listener");
        let addr = listener.local_addr().expect("proxy address");
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let accept_thread = std::thread::spawn(move || {
            let mut pumps = Vec::new();
            for _ in 0..MAX_ROUNDS {
                if flag.load(Ordering::Relaxed) {
                    break;
                }
                match listener.accept() {
                    Ok((client, _)) => {
                        let _ = client.set_nonblocking(false);
                        match TcpStream::connect(upstream) {
                            Ok(server) => pumps.extend(spawn_pumps(client, server, rewrite, &flag)),
                            Err(_) => drop(client),
                        }
                    }
                    Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(POLL),
                    Err(_) => std::thread::sleep(POLL),
                }
            }
            flag.store(true, Ordering::Relaxed);
            for p in pumps {
                let _ = p.join();
            }
        });
        ManglingProxy {
            addr,
            stop,
            accept_thread: Some(accept_thread),
        }
    }

    /// Where clients connect.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }
}

impl Drop for ManglingProxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.accept_thread.take() {
            let _ = t.join();
        }
    }
}

fn spawn_pumps(
    client: TcpStream,
    server: TcpStream,
    rewrite: fn(&[u8]) -> Vec<u8>,
    stop: &Arc<AtomicBool>,
) -> Vec<JoinHandle<()>> {
    let (Ok(client2), Ok(server2)) = (client.try_clone(), server.try_clone()) else {
        return Vec::new();
    };
    let _ = client.set_nodelay(true);
    let _ = server.set_nodelay(true);
    let (s1, s2) = (stop.clone(), stop.clone());
    vec![
        std::thread::spawn(move || pump_raw(client, server, &s1)),
        std::thread::spawn(move || pump_messages(server2, client2, rewrite, &s2)),
    ]
}

/// Copies bytes from `from` to `to` until `from` closes or the proxy stops.
fn pump_raw(mut from: TcpStream, mut to: TcpStream, stop: &AtomicBool) {
    let _ = from.set_read_timeout(Some(POLL));
    let mut buf = [0u8; 16 * 1024];
    for _ in 0..MAX_ROUNDS * 4 {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        match from.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                if to.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(_) => break,
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

/// Frames what `from` sends and writes each message, rewritten, to `to`.
fn pump_messages(
    mut from: TcpStream,
    mut to: TcpStream,
    rewrite: fn(&[u8]) -> Vec<u8>,
    stop: &AtomicBool,
) {
    let _ = from.set_read_timeout(Some(POLL));
    let mut framer = Framer::new(64 * 1024);
    'outer: for _ in 0..MAX_ROUNDS * 4 {
        if stop.load(Ordering::Relaxed) {
            break;
        }
        let buf = framer.read_buf();
        match from.read(buf) {
            Ok(0) => break,
            Ok(n) => framer.commit(n),
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => continue,
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            Err(_) => break,
        }
        while let Some(item) = framer.poll_frame() {
            if let FrameItem::Message { bytes, .. } = item {
                if to.write_all(&rewrite(bytes)).is_err() {
                    break 'outer;
                }
            }
        }
    }
    let _ = to.shutdown(Shutdown::Write);
}

/// The fields of `msg` (SOH-terminated `tag=value` strings), without the trailing
/// SOH of each.
pub fn split_fields(msg: &[u8]) -> Vec<Vec<u8>> {
    let msg = msg.strip_suffix(b"\x01").unwrap_or(msg);
    msg.split(|&b| b == 1).map(<[u8]>::to_vec).collect()
}

/// Joins fields into a message with a correct BodyLength (9) and CheckSum (10),
/// replacing whatever 9 and 10 the fields had.
pub fn reframe(fields: &[Vec<u8>]) -> Vec<u8> {
    let is = |f: &Vec<u8>, tag: &[u8]| f.starts_with(tag) && f.get(tag.len()) == Some(&b'=');
    let mut body = Vec::new();
    for f in fields.iter().skip(1) {
        if !is(f, b"9") && !is(f, b"10") {
            body.extend_from_slice(f);
            body.push(1);
        }
    }
    let mut out = fields.first().cloned().unwrap_or_default();
    out.push(1);
    out.extend_from_slice(format!("9={}\x01", body.len()).as_bytes());
    out.extend_from_slice(&body);
    let sum = checksum_digits(checksum(&out));
    out.extend_from_slice(b"10=");
    out.extend_from_slice(&sum);
    out.push(1);
    out
}

/// A rewrite for [`ManglingProxy::start`]: in a session-level Reject (35=3) the
/// Text (58) gets its words in reverse order ("CompID problem" becomes "problem
/// CompID"); the length and byte sum stay the same, so only a comparison of the
/// text itself can tell. Other messages pass unchanged.
pub fn reverse_reject_text(msg: &[u8]) -> Vec<u8> {
    let mut fields = split_fields(msg);
    if !fields.iter().any(|f| f.as_slice() == b"35=3") {
        return msg.to_vec();
    }
    for f in fields.iter_mut().filter(|f| f.starts_with(b"58=")) {
        let text = String::from_utf8_lossy(&f[3..]).into_owned();
        let mut words: Vec<&str> = text.split(' ').collect();
        words.reverse();
        let mut mangled = words.join(" ");
        if mangled == text {
            mangled.push_str(" (mangled)");
        }
        *f = format!("58={mangled}").into_bytes();
    }
    reframe(&fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reject_text_is_reversed_and_frame_stays_valid() {
        let m = reframe(&split_fields(
            b"8=FIX.4.4\x019=0\x0135=3\x0134=2\x0145=2\x0158=CompID problem\x01373=9\x0110=000\x01",
        ));
        let r = reverse_reject_text(&m);
        assert_eq!(
            String::from_utf8_lossy(&r).replace('\x01', "|"),
            String::from_utf8_lossy(&m)
                .replace('\x01', "|")
                .replace("CompID problem", "problem CompID")
        );
        assert!(matches!(
            fixgate_core::fix::check_frame(&r, 1 << 16),
            fixgate_core::fix::FrameStatus::Complete(_)
        ));
    }
}
