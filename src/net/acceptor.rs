//! A tokio TCP acceptor driving [`Session`]s: many sessions on one port, routed
//! by CompIDs.
//!
//! Each connection is read until its first whole message; the message's
//! BeginString, SenderCompID and TargetCompID pick the session (ours are the
//! reverse of the counterparty's). An unknown identity, or one whose session is
//! already connected, is disconnected at once. The session then owns the
//! connection until it asks to disconnect or the peer goes away: bytes in go to
//! [`Session::handle_input`], its timer to [`Session::handle_timeout`], and what
//! it has to send is written out after every step (TCP_NODELAY, bounded
//! buffers).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use fixgate_core::fix::{check_frame, FieldIndex, FrameStatus, Tag};
use fixgate_core::session::{Application, MemoryStore, Session, SessionEvent};
use fixgate_core::time::{Clock, SystemClock};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

use crate::config::ResolvedSession;

/// `(BeginString, our SenderCompID, our TargetCompID)`.
type SessionKey = (String, String, String);

/// A session with its application, parked while no connection holds it.
struct Slot<A> {
    parked: Option<(Session<MemoryStore>, A)>,
}

/// What the acceptor has seen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AcceptorStats {
    /// Connections accepted.
    pub connections: u64,
    /// Connections dropped before reaching a session (unknown identity, garbage).
    pub unrouted: u64,
    /// Connections dropped because their session was already connected.
    pub duplicates: u64,
}

/// The listening side of `fixgate acceptor`.
pub struct Acceptor<A> {
    listener: TcpListener,
    slots: Arc<Mutex<HashMap<SessionKey, Slot<A>>>>,
    stats: Arc<Mutex<AcceptorStats>>,
}

const READ_BUF: usize = 64 * 1024;
const ROUTE_TIMEOUT: Duration = Duration::from_secs(10);

impl<A: Application + Send + 'static> Acceptor<A> {
    /// Binds `addr` and sets up one session per entry, each with the application
    /// `make_app` builds for it.
    ///
    /// # Errors
    /// The bind error.
    pub async fn bind(
        addr: SocketAddr,
        sessions: Vec<ResolvedSession>,
        make_app: impl Fn(&ResolvedSession) -> A,
    ) -> std::io::Result<Self> {
        let listener = TcpListener::bind(addr).await?;
        let clock = SystemClock::new();
        let mut slots = HashMap::new();
        for s in sessions {
            let key = (
                s.config.begin_string.clone(),
                s.config.sender_comp_id.clone(),
                s.config.target_comp_id.clone(),
            );
            let app = make_app(&s);
            let session = Session::new(
                s.config,
                MemoryStore::new(clock.utc()),
                s.session_dict.clone(),
                s.app_dict.clone(),
            );
            slots.insert(
                key,
                Slot {
                    parked: Some((session, app)),
                },
            );
        }
        Ok(Acceptor {
            listener,
            slots: Arc::new(Mutex::new(slots)),
            stats: Arc::new(Mutex::new(AcceptorStats::default())),
        })
    }

    /// The address actually bound (useful with port 0).
    ///
    /// # Errors
    /// The socket's error.
    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// What the acceptor has counted.
    pub fn stats(&self) -> AcceptorStats {
        self.stats.lock().map(|s| *s).unwrap_or_default()
    }

    /// Accepts connections until the task is dropped.
    ///
    /// # Errors
    /// A failing `accept`.
    pub async fn run(self) -> std::io::Result<()> {
        loop {
            let (stream, _) = self.listener.accept().await?;
            if let Ok(mut s) = self.stats.lock() {
                s.connections += 1;
            }
            let slots = self.slots.clone();
            let stats = self.stats.clone();
            tokio::spawn(async move {
                let _ = serve_connection(stream, slots, stats).await;
            });
        }
    }
}

fn bump(stats: &Mutex<AcceptorStats>, f: impl FnOnce(&mut AcceptorStats)) {
    if let Ok(mut s) = stats.lock() {
        f(&mut s);
    }
}

/// Reads until the first whole message and returns the bytes read and its key.
async fn route(stream: &mut TcpStream, max_len: usize) -> Option<(Vec<u8>, SessionKey)> {
    let mut pending = Vec::with_capacity(4096);
    let mut buf = vec![0u8; READ_BUF];
    let read = async {
        loop {
            match check_frame(&pending, max_len) {
                FrameStatus::Complete(layout) => {
                    let mut index = FieldIndex::<128>::new();
                    let msg = index.index_frame(&pending[..layout.len], &layout).ok()?;
                    let text = |t| {
                        msg.raw(t)
                            .ok()
                            .map(|v| String::from_utf8_lossy(v).into_owned())
                    };
                    let key = (
                        text(Tag::BEGIN_STRING)?,
                        text(Tag::TARGET_COMP_ID)?,
                        text(Tag::SENDER_COMP_ID)?,
                    );
                    return Some(key);
                }
                FrameStatus::Invalid(_) => return None,
                FrameStatus::Incomplete { .. } if pending.len() > max_len => return None,
                FrameStatus::Incomplete { .. } => {}
            }
            let n = stream.read(&mut buf).await.ok()?;
            if n == 0 {
                return None;
            }
            pending.extend_from_slice(&buf[..n]);
        }
    };
    let key = tokio::time::timeout(ROUTE_TIMEOUT, read).await.ok()??;
    Some((pending, key))
}

async fn serve_connection<A: Application + Send + 'static>(
    mut stream: TcpStream,
    slots: Arc<Mutex<HashMap<SessionKey, Slot<A>>>>,
    stats: Arc<Mutex<AcceptorStats>>,
) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let Some((first, key)) = route(&mut stream, 1 << 20).await else {
        tracing::warn!("connection sent no routable first message: disconnecting");
        bump(&stats, |s| s.unrouted += 1);
        return Ok(());
    };
    let taken = {
        let Ok(mut map) = slots.lock() else {
            return Ok(());
        };
        match map.get_mut(&key) {
            None => Err(true),
            Some(slot) => slot.parked.take().ok_or(false),
        }
    };
    let (mut session, mut app) = match taken {
        Ok(pair) => pair,
        Err(unknown) => {
            bump(&stats, |s| {
                if unknown {
                    s.unrouted += 1
                } else {
                    s.duplicates += 1
                }
            });
            return Ok(());
        }
    };
    let clock = SystemClock::new();
    session.handle_connect(clock.utc());
    session.handle_input(clock.utc(), &first, &mut app);
    let result = drive(&mut stream, &mut session, &mut app, &clock).await;
    let _ = stream.shutdown().await;
    session.handle_disconnect(clock.utc(), &mut app);
    if let Ok(mut map) = slots.lock() {
        if let Some(slot) = map.get_mut(&key) {
            slot.parked = Some((session, app));
        }
    }
    result
}

/// Runs one connection of a session until it ends.
async fn drive<A: Application>(
    stream: &mut TcpStream,
    session: &mut Session<MemoryStore>,
    app: &mut A,
    clock: &SystemClock,
) -> std::io::Result<()> {
    let mut buf = vec![0u8; READ_BUF];
    loop {
        // Write what the session has to send, then act on its events.
        let out = session.poll_transmit();
        if !out.is_empty() {
            let n = out.len();
            stream.write_all(out).await?;
            session.transmitted(n);
        }
        while let Some(event) = session.poll_event() {
            log_event(session, &event);
            if let SessionEvent::Disconnect(_) = event {
                stream.flush().await?;
                return Ok(());
            }
        }
        let now = clock.utc();
        let wait = session
            .poll_timeout()
            .map(|t| Duration::from_nanos(t.saturating_sub(now)))
            .unwrap_or(Duration::from_secs(1))
            .min(Duration::from_secs(1));
        tokio::select! {
            r = stream.read(&mut buf) => {
                let n = r?;
                if n == 0 {
                    return Ok(());
                }
                session.handle_input(clock.utc(), &buf[..n], app);
            }
            _ = tokio::time::sleep(wait) => {
                session.handle_timeout(clock.utc(), app);
            }
        }
    }
}

/// Logs what a session reports: garbled frames are warnings (FIX wants them
/// ignored, so the log and the counters are where they show).
fn log_event(session: &Session<MemoryStore>, event: &SessionEvent) {
    let c = session.config();
    let id = format!(
        "{}:{}->{}",
        c.begin_string, c.sender_comp_id, c.target_comp_id
    );
    match event {
        SessionEvent::Garbled { offset, error } => {
            tracing::warn!(session = %id, offset, %error, "garbled frame ignored")
        }
        SessionEvent::Rejected { seq, reason } => {
            tracing::info!(session = %id, seq, ?reason, "rejected")
        }
        SessionEvent::Disconnect(reason) => tracing::info!(session = %id, ?reason, "disconnecting"),
        SessionEvent::LoggedOn => tracing::info!(session = %id, "logged on"),
        SessionEvent::GapDetected { begin, end } => {
            tracing::info!(session = %id, begin, end, "gap, resend requested")
        }
    }
}
