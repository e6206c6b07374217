//! The properties a run is checked against, and the state report that goes with
//! a failure: (a) both sides logged on and in sync, (b) every order and every
//! ExecutionReport delivered, (c) every repeated delivery marked PossDupFlag=Y.

use std::collections::HashSet;

use super::net::Conn;
use super::{Sim, T0};

impl Sim {
    fn idle(&self) -> bool {
        self.conn == Conn::Up
            && self.cv.in_flight.is_empty()
            && self.vc.in_flight.is_empty()
            && self.client.session.poll_transmit().is_empty()
            && self.venue.session.poll_transmit().is_empty()
    }

    /// (a): logged on, and each side expects the other's next outbound number.
    pub fn in_sync(&self) -> bool {
        let (c_out, c_in) = self.client.session.seq_nums();
        let (v_out, v_in) = self.venue.session.seq_nums();
        self.idle()
            && self.client.session.is_logged_on()
            && self.venue.session.is_logged_on()
            && c_out == v_in
            && v_out == c_in
    }

    /// (b): every order sent, every NOS and every ER delivered.
    pub fn all_delivered(&self) -> bool {
        let (nos, ers) = self.missing();
        self.orders_sent == self.order_times.len() && nos.is_empty() && ers.is_empty()
    }

    /// ClOrdIDs not yet delivered to the venue and the client applications.
    pub fn missing(&self) -> (Vec<String>, Vec<String>) {
        let absent = |list: &[(String, bool)]| {
            let seen: HashSet<&str> = list.iter().map(|(id, _)| id.as_str()).collect();
            (0..self.order_times.len())
                .map(|i| format!("ORD{i}"))
                .filter(|id| !seen.contains(id.as_str()))
                .collect()
        };
        (absent(&self.venue.app.nos), absent(&self.client.app.ers))
    }

    pub fn state(&self) -> String {
        let (nos, ers) = self.missing();
        format!(
            "NOS never delivered: {nos:?}; ERs never delivered: {ers:?}; \
             t={:.3} s conn={:?} client: logged_on={} seq(out,in)={:?} counters={:?}; \
             venue: logged_on={} seq(out,in)={:?} counters={:?}; orders sent {}/{}, \
             NOS seen {}, ERs seen {}, in flight {}+{}, closes {}",
            (self.now - T0) as f64 / 1e9,
            self.conn,
            self.client.session.is_logged_on(),
            self.client.session.seq_nums(),
            self.client.session.counters(),
            self.venue.session.is_logged_on(),
            self.venue.session.seq_nums(),
            self.venue.session.counters(),
            self.orders_sent,
            self.order_times.len(),
            self.venue.app.nos.len(),
            self.client.app.ers.len(),
            self.cv.in_flight.len(),
            self.vc.in_flight.len(),
            self.closes,
        )
    }
}

/// (c): every delivery of an id after its first carried PossDupFlag=Y.
pub fn repeats_without_poss_dup(deliveries: &[(String, bool)]) -> Vec<String> {
    let mut seen = HashSet::new();
    deliveries
        .iter()
        .filter(|(id, poss_dup)| !seen.insert(id.as_str()) && !poss_dup)
        .map(|(id, _)| id.clone())
        .collect()
}
