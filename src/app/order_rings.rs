//! The per-strategy SPSC rings between a strategy thread and the order gateway:
//! intents out, order updates back. Each is a fixgate-ring broadcast ring with
//! one producer and one `Blocking` subscriber (never a tokio channel: no
//! allocation, no lock, no syscall per message).
//!
//! ```text
//!  strategy thread  IntentSender ──[IntentSlot ring]──► IntentReceiver       order gateway
//!                   UpdateReceiver ◄──[UpdateSlot ring]── UpdateSender
//! ```
//!
//! The ring copies values as whole words and needs types without padding bytes,
//! so intents and updates travel as fixed word arrays ([`IntentSlot`],
//! [`UpdateSlot`]) encoded at the sender and decoded at the receiver; the core
//! types stay plain structs.

use fixgate_core::strategy::{Intent, IntentKind, OrderUpdate, OrderUpdateKind, StrategyOrderId};
use fixgate_core::time::UtcNanos;
use fixgate_core::types::{InstrumentId, Price, Qty, Side};
use fixgate_ring::{
    Blocking, ConfigError, Producer, RingConfig, RingFull, RingPayload, WaitStrategy,
};

/// An [`Intent`] as four words: price, order id, instrument | qty << 32,
/// kind | side << 8.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct IntentSlot([u64; 4]);
fixgate_ring::ring_payload!(struct IntentSlot { 0: [u64; 4] });

const fn kind_byte(kind: IntentKind) -> u64 {
    match kind {
        IntentKind::New => 1,
        IntentKind::Replace => 2,
        IntentKind::Cancel => 3,
    }
}

fn side_of(byte: u64) -> Option<Side> {
    Side::from_dbn(u8::try_from(byte & 0xFF).ok()?)
}

fn lo(word: u64) -> u32 {
    (word & 0xFFFF_FFFF) as u32
}

fn hi(word: u64) -> u32 {
    (word >> 32) as u32
}

fn pair(lo: u32, hi: u32) -> u64 {
    u64::from(lo) | u64::from(hi) << 32
}

impl IntentSlot {
    /// Encodes `intent`.
    pub fn encode(intent: &Intent) -> Self {
        IntentSlot([
            intent.price_e9.e9() as u64,
            intent.order_id.0,
            pair(intent.instrument.0, intent.qty.lots()),
            kind_byte(intent.kind) | u64::from(intent.side.to_dbn()) << 8,
        ])
    }

    /// Decodes the intent; `None` for words no [`IntentSlot::encode`] wrote.
    pub fn decode(&self) -> Option<Intent> {
        let [px, id, iq, ks] = self.0;
        let kind = match ks & 0xFF {
            1 => IntentKind::New,
            2 => IntentKind::Replace,
            3 => IntentKind::Cancel,
            _ => return None,
        };
        Some(Intent {
            kind,
            order_id: StrategyOrderId(id),
            instrument: InstrumentId(lo(iq)),
            side: side_of(ks >> 8)?,
            price_e9: Price::from_e9(px as i64),
            qty: Qty::from_lots(hi(iq)),
        })
    }
}

/// An [`OrderUpdate`] as seven words: price, last price, order id, event time,
/// instrument | last qty << 32, cum qty | leaves qty << 32, kind | side << 8.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[repr(C)]
pub struct UpdateSlot([u64; 7]);
fixgate_ring::ring_payload!(struct UpdateSlot { 0: [u64; 7] });

const UPDATE_KINDS: [OrderUpdateKind; 6] = [
    OrderUpdateKind::Acked,
    OrderUpdateKind::PartiallyFilled,
    OrderUpdateKind::Filled,
    OrderUpdateKind::Cancelled,
    OrderUpdateKind::Rejected,
    OrderUpdateKind::CancelRejected,
];

impl UpdateSlot {
    /// Encodes `update`.
    pub fn encode(update: &OrderUpdate) -> Self {
        let kind = UPDATE_KINDS
            .iter()
            .position(|k| *k == update.kind)
            .map_or(0, |i| i as u64 + 1);
        UpdateSlot([
            update.price_e9.e9() as u64,
            update.last_px_e9.e9() as u64,
            update.order_id.0,
            update.ts_event_ns.as_nanos(),
            pair(update.instrument.0, update.last_qty.lots()),
            pair(update.cum_qty.lots(), update.leaves_qty.lots()),
            kind | u64::from(update.side.to_dbn()) << 8,
        ])
    }

    /// Decodes the update; `None` for words no [`UpdateSlot::encode`] wrote.
    pub fn decode(&self) -> Option<OrderUpdate> {
        let [px, last_px, id, ts, il, cl, ks] = self.0;
        let kind = *UPDATE_KINDS.get(((ks & 0xFF) as usize).checked_sub(1)?)?;
        Some(OrderUpdate {
            kind,
            order_id: StrategyOrderId(id),
            instrument: InstrumentId(lo(il)),
            side: side_of(ks >> 8)?,
            price_e9: Price::from_e9(px as i64),
            last_px_e9: Price::from_e9(last_px as i64),
            last_qty: Qty::from_lots(hi(il)),
            cum_qty: Qty::from_lots(lo(cl)),
            leaves_qty: Qty::from_lots(hi(cl)),
            ts_event_ns: UtcNanos::from_nanos(ts),
        })
    }
}

/// The strategy thread's end of its intent ring.
pub struct IntentSender(Producer<IntentSlot>);

/// The order gateway's end of one strategy's intent ring.
pub struct IntentReceiver(Blocking<IntentSlot>);

/// The order gateway's end of one strategy's update ring.
pub struct UpdateSender(Producer<UpdateSlot>);

/// The strategy thread's end of its update ring.
pub struct UpdateReceiver(Blocking<UpdateSlot>);

fn spsc<T: RingPayload>(
    capacity: usize,
    wait: WaitStrategy,
) -> Result<(Producer<T>, Blocking<T>), ConfigError> {
    let config = RingConfig {
        capacity,
        max_blocking: 1,
        producer_wait: wait,
    };
    let (producer, subscribers) = fixgate_ring::channel(config)?;
    // One seat and no one else joins: this cannot fail.
    let consumer = subscribers
        .blocking(wait)
        .map_err(|_| ConfigError::BadCapacity { capacity })?;
    Ok((producer, consumer))
}

/// An intent ring of `capacity` slots (a power of two ≥ 2).
///
/// # Errors
/// [`ConfigError::BadCapacity`].
pub fn intent_ring(capacity: usize) -> Result<(IntentSender, IntentReceiver), ConfigError> {
    let (p, c) = spsc(capacity, WaitStrategy::default())?;
    Ok((IntentSender(p), IntentReceiver(c)))
}

/// An order-update ring of `capacity` slots (a power of two ≥ 2).
///
/// # Errors
/// [`ConfigError::BadCapacity`].
pub fn update_ring(capacity: usize) -> Result<(UpdateSender, UpdateReceiver), ConfigError> {
    let (p, c) = spsc(capacity, WaitStrategy::default())?;
    Ok((UpdateSender(p), UpdateReceiver(c)))
}

impl IntentSender {
    /// Sends `intent` if the gateway has room.
    ///
    /// # Errors
    /// [`RingFull`] when the gateway has not consumed a ring's worth.
    #[inline]
    pub fn try_send(&mut self, intent: &Intent) -> Result<(), RingFull> {
        self.0.try_publish(IntentSlot::encode(intent)).map(|_| ())
    }
}

impl IntentReceiver {
    /// Takes up to `max` intents available now, in order; returns how many.
    /// Slots that do not decode are skipped and counted in `bad`.
    pub fn poll(&mut self, max: usize, bad: &mut u64, mut on_intent: impl FnMut(Intent)) -> usize {
        self.0.poll_batch(max, |_, slot| match slot.decode() {
            Some(intent) => on_intent(intent),
            None => *bad += 1,
        })
    }
}

impl UpdateSender {
    /// Sends `update` if the strategy thread has room.
    ///
    /// # Errors
    /// [`RingFull`] when the strategy thread has not consumed a ring's worth.
    pub fn try_send(&mut self, update: &OrderUpdate) -> Result<(), RingFull> {
        self.0.try_publish(UpdateSlot::encode(update)).map(|_| ())
    }

    /// Sends `update`, waiting while the ring is full (an update must not be
    /// lost: it carries fills).
    pub fn send(&mut self, update: &OrderUpdate) {
        self.0.publish(UpdateSlot::encode(update));
    }
}

impl UpdateReceiver {
    /// Takes up to `max` updates available now, in order; returns how many.
    /// Slots that do not decode are skipped and counted in `bad`.
    #[inline]
    pub fn poll(
        &mut self,
        max: usize,
        bad: &mut u64,
        mut on_update: impl FnMut(OrderUpdate),
    ) -> usize {
        self.0.poll_batch(max, |_, slot| match slot.decode() {
            Some(update) => on_update(update),
            None => *bad += 1,
        })
    }
}

impl std::fmt::Debug for IntentSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IntentSender")
    }
}

impl std::fmt::Debug for IntentReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("IntentReceiver")
    }
}

impl std::fmt::Debug for UpdateSender {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UpdateSender")
    }
}

impl std::fmt::Debug for UpdateReceiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("UpdateReceiver")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn update(kind: OrderUpdateKind) -> OrderUpdate {
        OrderUpdate {
            kind,
            order_id: StrategyOrderId(u64::MAX - 1),
            instrument: InstrumentId(u32::MAX),
            side: Side::Ask,
            price_e9: Price::from_e9(-5),
            last_px_e9: Price::NULL,
            last_qty: Qty::NULL,
            cum_qty: Qty::from_lots(7),
            leaves_qty: Qty::from_lots(u32::MAX - 1),
            ts_event_ns: UtcNanos::from_nanos(u64::MAX),
        }
    }

    #[test]
    fn slots_round_trip_every_kind_and_extreme() {
        for kind in [IntentKind::New, IntentKind::Replace, IntentKind::Cancel] {
            for side in [Side::Bid, Side::Ask, Side::None] {
                let intent = Intent {
                    kind,
                    order_id: StrategyOrderId(u64::MAX),
                    instrument: InstrumentId(u32::MAX),
                    side,
                    price_e9: Price::from_e9(i64::MIN),
                    qty: Qty::NULL,
                };
                assert_eq!(IntentSlot::encode(&intent).decode(), Some(intent));
            }
        }
        for kind in UPDATE_KINDS {
            let u = update(kind);
            assert_eq!(UpdateSlot::encode(&u).decode(), Some(u));
        }
        assert_eq!(IntentSlot::default().decode(), None);
        assert_eq!(UpdateSlot::default().decode(), None);
        assert_eq!(
            IntentSlot([0, 0, 0, 1 | 0x7A << 8]).decode(),
            None,
            "bad side"
        );
    }

    #[test]
    fn rings_carry_values_in_order() {
        let (mut tx, mut rx) = intent_ring(4).unwrap();
        let intent = |id| {
            Intent::cancel(
                StrategyOrderId(id),
                InstrumentId(1),
                Side::Bid,
                Price::from_e9(1),
                Qty::from_lots(1),
            )
        };
        for id in 0..4 {
            tx.try_send(&intent(id)).unwrap();
        }
        assert!(
            tx.try_send(&intent(9)).is_err(),
            "full: the gateway is behind"
        );
        let (mut got, mut bad) = (Vec::new(), 0);
        assert_eq!(rx.poll(16, &mut bad, |i| got.push(i.order_id.0)), 4);
        assert_eq!((got, bad), (vec![0, 1, 2, 3], 0));

        let (mut tx, mut rx) = update_ring(2).unwrap();
        tx.send(&update(OrderUpdateKind::Acked));
        tx.try_send(&update(OrderUpdateKind::Filled)).unwrap();
        let mut kinds = Vec::new();
        rx.poll(8, &mut bad, |u| kinds.push(u.kind));
        assert_eq!(kinds, [OrderUpdateKind::Acked, OrderUpdateKind::Filled]);
        assert!(intent_ring(3).is_err());
    }
}
