//! One side of the simulation: its session (FIX.4.4, dictionary `fixgate44`,
//! CheckLatency on, messages persisted in a `MemoryStore`), its application,
//! and what the harness records about it.

use std::sync::{Arc, OnceLock};

use fixgate_core::fix::dictionary::fixgate44;
use fixgate_core::fix::Dictionary;
use fixgate_core::session::{Application, MemoryStore, Role, Session, SessionConfig, SessionEvent};
use fixgate_core::time::UtcNanos;

use super::T0;

pub(super) fn dict() -> Arc<Dictionary> {
    static DICT: OnceLock<Arc<Dictionary>> = OnceLock::new();
    DICT.get_or_init(|| Arc::new(fixgate44())).clone()
}

pub(super) fn config(role: Role, heart_bt_int: u32) -> SessionConfig {
    let (me, them) = match role {
        Role::Initiator => ("CLIENT", "VENUE"),
        Role::Acceptor => ("VENUE", "CLIENT"),
    };
    let mut c = SessionConfig::new("FIX.4.4", me, them, role);
    c.heart_bt_int = heart_bt_int;
    c.reset_on_logon = false;
    c.persist_messages = true;
    c.check_latency = true;
    c.max_latency_s = 24 * 3600;
    c
}

/// One side: its session, its application, and its timer bookkeeping.
pub struct Peer<A> {
    pub session: Session<MemoryStore>,
    pub app: A,
    /// The timer is not fired again before this instant (set after a fire
    /// that did nothing and left the deadline in the past).
    pub(super) timer_floor: u64,
    /// Fires that did nothing and left `poll_timeout` at or before `now`:
    /// (now, deadline) of each.
    pub stale_timers: Vec<(u64, u64)>,
    pub events: Vec<(u64, SessionEvent)>,
}

impl<A: Application> Peer<A> {
    pub fn new(config: SessionConfig, app: A) -> Self {
        Peer {
            session: Session::new(
                config,
                MemoryStore::new(UtcNanos::from_nanos(T0)),
                Some(dict()),
                None,
            ),
            app,
            timer_floor: 0,
            stale_timers: Vec::new(),
            events: Vec::new(),
        }
    }

    pub(super) fn deadline(&self) -> Option<u64> {
        self.session
            .poll_timeout()
            .map(|t| t.as_nanos().max(self.timer_floor))
    }
}
