//! The session state machine's public face: inputs, outputs, timers.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Arc;

use super::app::Application;
use super::config::{Role, SessionConfig};
use super::event::{DisconnectReason, GarbledReason, SessionCounters, SessionEvent};
use super::outbound::{Outbound, SendError};
use super::store::MessageStore;
use crate::fix::{Dictionary, FieldIndex, FieldRef, FrameItem, Framer, MsgType, Tag};
use crate::time::UtcNanos;

pub(crate) const NANOS: u64 = 1_000_000_000;

/// A FIX session (initiator or acceptor), sans-IO.
///
/// Call order, for each connection:
/// 1. [`Session::handle_connect`] when the transport is up (an initiator then
///    sends its Logon);
/// 2. [`Session::handle_input`] with every chunk of bytes received, and
///    [`Session::handle_timeout`] whenever [`Session::poll_timeout`]'s instant
///    passes; both take the current time and the [`Application`];
/// 3. after each of those, drain [`Session::poll_transmit`] (bytes to write,
///    then [`Session::transmitted`]) and [`Session::poll_event`]; a
///    [`SessionEvent::Disconnect`] means: flush what is pending, then close;
/// 4. [`Session::handle_disconnect`] when the transport is gone.
///
/// Outbound messages are saved in the [`MessageStore`] before they are offered
/// for transmission. Behaviour and wording follow QuickFIX, so its acceptance
/// suite passes unmodified.
pub struct Session<S: MessageStore> {
    pub(crate) rx: Rx,
    pub(crate) core: Core<S>,
}

/// The receiving buffers: kept apart from [`Core`] so that a message can
/// borrow them while the core handles it.
pub(crate) struct Rx {
    pub framer: Framer,
    pub index: FieldIndex<256>,
    pub large: Vec<FieldRef>,
}

/// Logon-level state, as QuickFIX keeps it.
#[derive(Clone, Debug, Default)]
pub(crate) struct LogonState {
    pub connected: bool,
    pub sent_logon: bool,
    pub received_logon: bool,
    pub sent_logout: bool,
    pub received_reset: bool,
    pub sent_reset: bool,
    pub disconnecting: bool,
}

/// An outstanding ResendRequest: the whole gap, and the end of the chunk
/// asked for so far.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct ResendRange {
    pub begin: u64,
    pub chunk_end: u64,
    pub end: u64,
}

/// Everything but the receive buffers.
pub(crate) struct Core<S: MessageStore> {
    pub config: SessionConfig,
    pub session_dict: Option<Arc<Dictionary>>,
    pub app_dict: Option<Arc<Dictionary>>,
    pub out: Outbound<S>,
    pub st: LogonState,
    pub heart_bt_int: u64,
    pub last_received: UtcNanos,
    pub logon_started: UtcNanos,
    pub logout_started: UtcNanos,
    pub test_requests: u32,
    pub resend_range: Option<ResendRange>,
    pub queue: BTreeMap<u64, Vec<u8>>,
    pub events: VecDeque<SessionEvent>,
    pub counters: SessionCounters,
}

impl<S: MessageStore> Session<S> {
    /// A session with its store. `session_dict` validates (FIX 4.x: the one
    /// dictionary; FIXT: the transport dictionary); `app_dict` is FIXT's
    /// application dictionary.
    pub fn new(
        config: SessionConfig,
        store: S,
        session_dict: Option<Arc<Dictionary>>,
        app_dict: Option<Arc<Dictionary>>,
    ) -> Self {
        let data_tags = session_dict
            .as_ref()
            .map(|d| d.data_tags().clone())
            .unwrap_or_default();
        let rx = Rx {
            framer: Framer::new(config.max_message_len),
            index: FieldIndex::with_data_tags(data_tags),
            large: vec![FieldRef::default(); config.max_message_len / 4 + 1],
        };
        let heart_bt_int = u64::from(config.heart_bt_int);
        let out = Outbound::new(&config, store);
        Session {
            rx,
            core: Core {
                config,
                session_dict,
                app_dict,
                out,
                st: LogonState::default(),
                heart_bt_int,
                last_received: UtcNanos::EPOCH,
                logon_started: UtcNanos::EPOCH,
                logout_started: UtcNanos::EPOCH,
                test_requests: 0,
                resend_range: None,
                queue: BTreeMap::new(),
                events: VecDeque::new(),
                counters: SessionCounters::default(),
            },
        }
    }

    /// The configuration.
    pub fn config(&self) -> &SessionConfig {
        &self.core.config
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.core.out.store
    }

    /// Counters.
    pub fn counters(&self) -> SessionCounters {
        self.core.counters
    }

    /// Whether Logon has completed in both directions.
    pub fn is_logged_on(&self) -> bool {
        self.core.is_logged_on()
    }

    /// Whether a transport is attached.
    pub fn is_connected(&self) -> bool {
        self.core.st.connected
    }

    /// The next outbound and expected inbound sequence numbers.
    pub fn seq_nums(&self) -> (u64, u64) {
        (
            self.core.out.store.next_sender_seq(),
            self.core.out.store.next_target_seq(),
        )
    }

    /// The transport is up. An initiator sends its Logon now.
    pub fn handle_connect(&mut self, now: UtcNanos) {
        self.rx.framer = Framer::new(self.core.config.max_message_len);
        self.core.out.discard_pending();
        self.core.st = LogonState {
            connected: true,
            ..LogonState::default()
        };
        self.core.last_received = now;
        self.core.out.last_sent = now;
        self.core.logon_started = now;
        self.core.test_requests = 0;
        if self.core.config.role == Role::Initiator {
            self.core.heart_bt_int = u64::from(self.core.config.heart_bt_int);
            self.core.generate_logon(now, None);
        }
    }

    /// The transport is gone.
    pub fn handle_disconnect<A: Application>(&mut self, _now: UtcNanos, app: &mut A) {
        self.core.disconnect_state(app);
    }

    /// Bytes received; processes every whole message they complete.
    pub fn handle_input<A: Application>(&mut self, now: UtcNanos, bytes: &[u8], app: &mut A) {
        let mut rest = bytes;
        while !rest.is_empty() && self.core.st.connected && !self.core.st.disconnecting {
            let n = self.rx.framer.handle_input(rest);
            rest = &rest[n..];
            self.drain_frames(now, app);
            if n == 0 {
                break;
            }
        }
    }

    fn drain_frames<A: Application>(&mut self, now: UtcNanos, app: &mut A) {
        let Rx {
            framer,
            index,
            large,
        } = &mut self.rx;
        while self.core.st.connected && !self.core.st.disconnecting {
            let Some(item) = framer.poll_frame() else {
                break;
            };
            match item {
                FrameItem::Message {
                    offset,
                    bytes,
                    layout,
                } => match index.index_frame_or_spill(bytes, &layout, large) {
                    Ok(msg) => self.core.next_message(now, &msg, app, false),
                    Err(e) => {
                        let msg_type =
                            crate::fix::frame::peek_header(bytes).and_then(|h| h.msg_type);
                        self.core
                            .garbled(offset, GarbledReason::Fields(e), msg_type);
                    }
                },
                FrameItem::Invalid {
                    offset,
                    error,
                    msg_type,
                } => self
                    .core
                    .garbled(offset, GarbledReason::Frame(error), msg_type),
            }
        }
    }

    /// Timers: heartbeats, test requests, logon and logout timeouts.
    pub fn handle_timeout<A: Application>(&mut self, now: UtcNanos, app: &mut A) {
        self.core.on_timer(now, app);
    }

    /// When [`Session::handle_timeout`] should next be called.
    pub fn poll_timeout(&self) -> Option<UtcNanos> {
        self.core.next_timeout()
    }

    /// Bytes waiting to be written to the transport (empty when none).
    pub fn poll_transmit(&self) -> &[u8] {
        self.core.out.pending()
    }

    /// Marks `n` bytes of [`Session::poll_transmit`] as written.
    pub fn transmitted(&mut self, n: usize) {
        self.core.out.consume(n);
    }

    /// The next event, if any.
    pub fn poll_event(&mut self) -> Option<SessionEvent> {
        self.core.events.pop_front()
    }

    /// Sends an application message (stored only while not logged on: it goes out
    /// with the next resend). Returns its sequence number.
    ///
    /// # Errors
    /// [`SendError`].
    pub fn send(
        &mut self,
        now: UtcNanos,
        msg_type: MsgType,
        body: impl FnOnce(&mut crate::fix::encode::Encoder<'_>),
    ) -> Result<u64, SendError> {
        self.core.send_app_message(now, msg_type, &[], body)
    }

    /// Starts a Logout (with an optional Text); the connection closes when the
    /// counterparty answers or after the logout timeout.
    pub fn logout(&mut self, now: UtcNanos, text: Option<&str>) {
        if self.core.st.connected && !self.core.st.sent_logout {
            self.core.generate_logout(now, text.map(str::as_bytes));
        }
    }
}

/// `hb * tenths / 10`, saturating.
fn tenths(hb: u64, tenths: u64) -> u64 {
    u64::try_from(u128::from(hb) * u128::from(tenths) / 10).unwrap_or(u64::MAX)
}

impl<S: MessageStore> Core<S> {
    pub fn is_logged_on(&self) -> bool {
        self.st.received_logon && self.st.sent_logon
    }

    pub fn event(&mut self, e: SessionEvent) {
        self.events.push_back(e);
    }

    /// Asks the shell to close the connection, and resets logon state as
    /// QuickFIX's `disconnect()` does.
    pub fn disconnect<A: Application>(&mut self, reason: DisconnectReason, app: &mut A) {
        if !self.st.connected || self.st.disconnecting {
            return;
        }
        self.event(SessionEvent::Disconnect(reason));
        self.disconnect_state(app);
        // Keep the pending bytes: the shell flushes them before closing.
        self.st.connected = true;
        self.st.disconnecting = true;
    }

    pub fn disconnect_state<A: Application>(&mut self, app: &mut A) {
        if self.st.received_logon || self.st.sent_logon {
            app.on_logout();
        }
        self.st = LogonState::default();
        self.queue.clear();
        self.resend_range = None;
        if self.config.reset_on_disconnect {
            self.reset_store(self.last_received);
        }
    }

    pub fn reset_store(&mut self, now: UtcNanos) {
        if self.out.store.reset(now).is_err() {
            self.event(SessionEvent::Disconnect(DisconnectReason::StoreFailed));
        }
    }

    fn on_timer<A: Application>(&mut self, now: UtcNanos, app: &mut A) {
        if !self.st.connected || self.st.disconnecting {
            return;
        }
        let since = |t: UtcNanos| now.saturating_sub(t);
        if !self.st.received_logon {
            if (self.st.sent_logon || self.config.role == Role::Acceptor)
                && since(self.logon_started) >= self.config.logon_timeout_s.saturating_mul(NANOS)
            {
                self.disconnect(DisconnectReason::LogonTimeout, app);
            }
            return;
        }
        if self.st.sent_logout
            && since(self.logout_started) >= self.config.logout_timeout_s.saturating_mul(NANOS)
        {
            self.disconnect(DisconnectReason::LogoutTimeout, app);
            return;
        }
        let hb = self.heart_bt_int.saturating_mul(NANOS);
        if hb == 0 {
            return;
        }
        let quiet_in = since(self.last_received);
        let quiet_out = since(self.out.last_sent);
        if quiet_in < hb && quiet_out < hb {
            return;
        }
        if quiet_in >= tenths(hb, 24) {
            self.disconnect(DisconnectReason::HeartbeatTimeout, app);
        } else if quiet_in >= tenths(hb, 12 * (u64::from(self.test_requests) + 1)) {
            self.generate_test_request(now, b"TEST");
            self.test_requests += 1;
        } else if quiet_out >= hb && self.test_requests == 0 {
            self.generate_heartbeat(now, None);
        }
    }

    /// The earliest instant at which [`Core::on_timer`] will act. Uses the same
    /// integer thresholds as `on_timer`, so a deadline never passes without an
    /// action (a shell that sleeps until it would otherwise spin).
    fn next_timeout(&self) -> Option<UtcNanos> {
        if !self.st.connected || self.st.disconnecting {
            return None;
        }
        if !self.st.received_logon {
            return Some(
                self.logon_started
                    .saturating_add_nanos(self.config.logon_timeout_s.saturating_mul(NANOS)),
            );
        }
        let mut next = u64::MAX;
        if self.st.sent_logout {
            next = next.min(
                self.logout_started
                    .as_nanos()
                    .saturating_add(self.config.logout_timeout_s.saturating_mul(NANOS)),
            );
        }
        let hb = self.heart_bt_int.saturating_mul(NANOS);
        if hb > 0 {
            let received = self.last_received.as_nanos();
            // No Heartbeat goes out while a TestRequest is outstanding, so that
            // deadline only counts before one.
            if self.test_requests == 0 {
                next = next.min(self.out.last_sent.as_nanos().saturating_add(hb));
            }
            let test_request =
                received.saturating_add(tenths(hb, 12 * (u64::from(self.test_requests) + 1)));
            let timeout = received.saturating_add(tenths(hb, 24));
            next = next.min(test_request).min(timeout);
        }
        (next != u64::MAX).then(|| UtcNanos::from_nanos(next))
    }

    pub fn send_app_message(
        &mut self,
        now: UtcNanos,
        msg_type: MsgType,
        extra_header: &[(Tag, &[u8])],
        body: impl FnOnce(&mut crate::fix::encode::Encoder<'_>),
    ) -> Result<u64, SendError> {
        let delivery = if self.is_logged_on() && !self.st.disconnecting {
            super::outbound::Delivery::Transmit
        } else {
            super::outbound::Delivery::StoreOnly
        };
        let r = self.out.send(now, msg_type, extra_header, delivery, body);
        if let Err(SendError::Backpressure { .. }) = r {
            self.event(SessionEvent::Disconnect(DisconnectReason::Backpressure));
        }
        r
    }
}
