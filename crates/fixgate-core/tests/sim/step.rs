//! Stepping the simulation: at each instant, connect, close or cut the
//! connection when due, deliver the chunks due, fire the timers whose
//! `poll_timeout` has passed and send the orders due, until nothing moves; then
//! jump the clock to the next instant anything is due.

use fixgate_core::fix::MsgType;
use fixgate_core::time::UtcNanos;

use super::apps::nos_body;
use super::net::{Conn, Dir};
use super::{Sim, T0, TIMER_BACKOFF};

impl Sim {
    /// Fires each side's timer whose deadline has passed. True when any fired.
    fn fire_timers(&mut self) -> bool {
        let mut moved = false;
        for dir in [Dir::Cv, Dir::Vc] {
            let now = self.now;
            let due = match dir {
                Dir::Cv => self.client.deadline(),
                Dir::Vc => self.venue.deadline(),
            };
            if due.is_none_or(|d| d > now) {
                continue;
            }
            let t = UtcNanos::from_nanos(now);
            match dir {
                Dir::Cv => self.client.session.handle_timeout(t, &mut self.client.app),
                Dir::Vc => self.venue.session.handle_timeout(t, &mut self.venue.app),
            }
            let out = self.drain(dir);
            let (session, floor, stale) = match dir {
                Dir::Cv => (
                    &self.client.session,
                    &mut self.client.timer_floor,
                    &mut self.client.stale_timers,
                ),
                Dir::Vc => (
                    &self.venue.session,
                    &mut self.venue.timer_floor,
                    &mut self.venue.stale_timers,
                ),
            };
            match session.poll_timeout().map(UtcNanos::as_nanos) {
                Some(d) if d <= now && !out => {
                    // Nothing happened and the deadline did not move: a shell
                    // obeying poll_timeout would spin here. Back off like a
                    // shell with a 10 ms sleep.
                    stale.push((now, d));
                    *floor = now + TIMER_BACKOFF;
                    self.log(|| format!("{dir:?} timer fired without effect; deadline {d} stays"));
                }
                _ => moved = true,
            }
        }
        moved
    }

    fn send_due_orders(&mut self) -> bool {
        let mut moved = false;
        while self.orders_sent < self.order_times.len()
            && self.order_times[self.orders_sent] <= self.now
        {
            self.send_order(self.orders_sent);
            self.orders_sent += 1;
            moved = true;
        }
        moved
    }

    /// The client application sends NOS `ORD{i}` now.
    pub fn send_order(&mut self, i: usize) {
        let now = UtcNanos::from_nanos(self.now);
        self.client
            .session
            .send(now, MsgType::NEW_ORDER_SINGLE, |e| nos_body(e, i, now))
            .expect("the client's NewOrderSingle is stored");
        self.drain(Dir::Cv);
    }

    fn connection_due(&mut self) -> bool {
        match self.conn {
            Conn::Closing { at } if at <= self.now => {
                self.close("a session asked");
                true
            }
            Conn::Down {
                reconnect_at: Some(at),
            } if at <= self.now => {
                self.connect();
                true
            }
            Conn::Up if self.faulty() && self.next_cut <= self.now => {
                self.close("cut by the fault layer");
                self.next_cut = self.now
                    + self
                        .rng
                        .range(self.faults.cut_every / 2, self.faults.cut_every * 3 / 2);
                true
            }
            _ => false,
        }
    }

    /// Runs everything due at the current instant until nothing moves.
    pub fn settle(&mut self) {
        for _ in 0..100_000 {
            let moved = self.connection_due()
                | self.deliver_due()
                | self.fire_timers()
                | self.send_due_orders();
            let moved = moved | self.drain(Dir::Cv) | self.drain(Dir::Vc);
            if !moved {
                return;
            }
        }
        panic!(
            "seed {}: no quiescence at t={} ns",
            self.seed,
            self.now - T0
        );
    }

    /// The next instant anything is due.
    pub fn next_wake(&self) -> Option<u64> {
        let mut next = u64::MAX;
        for c in self.cv.in_flight.iter().chain(&self.vc.in_flight) {
            next = next.min(c.at);
        }
        match self.conn {
            Conn::Closing { at } => next = next.min(at),
            Conn::Down {
                reconnect_at: Some(at),
            } => next = next.min(at),
            Conn::Up if self.faulty() => next = next.min(self.next_cut),
            _ => {}
        }
        if let Some(&t) = self.order_times.get(self.orders_sent) {
            next = next.min(t);
        }
        for d in [self.client.deadline(), self.venue.deadline()]
            .into_iter()
            .flatten()
        {
            next = next.min(d);
        }
        if self.faulty() {
            next = next.min(self.faults_until);
        }
        (next != u64::MAX).then(|| next.max(self.now + 1))
    }

    /// Steps until `until` (inclusive), settling at each instant.
    pub fn run_until(&mut self, until: u64) {
        self.settle();
        while let Some(t) = self.next_wake().filter(|&t| t <= until) {
            self.now = t;
            self.settle();
        }
        self.now = self.now.max(until);
        self.settle();
    }
}
