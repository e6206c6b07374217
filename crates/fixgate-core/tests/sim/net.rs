//! The in-memory network: one `Link` per direction holding the chunks in
//! flight (delivered in order of due time, the stream kept FIFO), the state of
//! the connection, and delivery into the receiving session.

use fixgate_core::time::UtcNanos;

use super::Sim;

/// A scenario's hook on one direction: false drops the whole message.
pub type Filter = Box<dyn FnMut(&[u8]) -> bool>;

/// A chunk on the wire.
pub(super) struct Chunk {
    pub(super) at: u64,
    pub(super) id: u64,
    pub(super) bytes: Vec<u8>,
}

/// One direction of the network.
#[derive(Default)]
pub struct Link {
    pub(super) in_flight: Vec<Chunk>,
    /// Latest delivery time of an in-order chunk (the stream stays FIFO).
    pub(super) fifo_at: u64,
    /// Whole messages written by the sender: (time, bytes, passed the filter).
    pub written: Vec<(u64, Vec<u8>, bool)>,
    /// Scenario hook: false drops the whole message before the fault layer.
    pub filter: Option<Filter>,
    /// When the last chunk was handed to the receiver.
    pub delivered_at: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Conn {
    Up,
    /// A session asked to close; in-flight bytes land first.
    Closing {
        at: u64,
    },
    Down {
        reconnect_at: Option<u64>,
    },
}

/// Which side.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dir {
    /// Client to venue.
    Cv,
    /// Venue to client.
    Vc,
}

impl Sim {
    pub(super) fn link(&mut self, dir: Dir) -> &mut Link {
        match dir {
            Dir::Cv => &mut self.cv,
            Dir::Vc => &mut self.vc,
        }
    }

    pub(super) fn push(&mut self, dir: Dir, at: u64, bytes: Vec<u8>) {
        let id = self.next_chunk_id;
        self.next_chunk_id += 1;
        self.link(dir).in_flight.push(Chunk { at, id, bytes });
    }

    /// Delivers every chunk due now, in order. True when any was.
    pub(super) fn deliver_due(&mut self) -> bool {
        let mut moved = false;
        for dir in [Dir::Cv, Dir::Vc] {
            loop {
                let link = match dir {
                    Dir::Cv => &mut self.cv,
                    Dir::Vc => &mut self.vc,
                };
                let Some(i) = (0..link.in_flight.len())
                    .filter(|&i| link.in_flight[i].at <= self.now)
                    .min_by_key(|&i| (link.in_flight[i].at, link.in_flight[i].id))
                else {
                    break;
                };
                let chunk = link.in_flight.swap_remove(i);
                link.delivered_at = self.now;
                let now = UtcNanos::from_nanos(self.now);
                match dir {
                    Dir::Cv => {
                        self.venue
                            .session
                            .handle_input(now, &chunk.bytes, &mut self.venue.app)
                    }
                    Dir::Vc => {
                        self.client
                            .session
                            .handle_input(now, &chunk.bytes, &mut self.client.app)
                    }
                }
                moved = true;
                self.drain(Dir::Cv);
                self.drain(Dir::Vc);
            }
        }
        moved
    }
}
