//! The end of a venue event: top-of-book quotes for the instruments whose
//! consolidated best level changed, then `LAST` and publication.

use super::{header, Normalizer};
use crate::event::{Event, EventFlags, QuoteBody};
use crate::normalize::batch::EventSink;
use crate::normalize::book::{Level, MbpSide};
use crate::types::{Price, Qty, Side};

/// The better of the outright and implied best levels of one side; at equal
/// prices, one level with the quantities and counts summed (CME's consolidated
/// book). `None` when both are empty.
fn consolidated(outright: &MbpSide, implied: &MbpSide) -> Option<Level> {
    match (outright.best(), implied.best()) {
        (None, None) => None,
        (Some(l), None) | (None, Some(l)) => Some(*l),
        (Some(o), Some(i)) if o.price_e9 == i.price_e9 => Some(Level {
            price_e9: o.price_e9,
            qty: o.qty.saturating_add(i.qty),
            order_count: o.order_count.saturating_add(i.order_count),
        }),
        (Some(o), Some(i)) => {
            let implied_better = match outright.side() {
                Side::Bid => i.price_e9 > o.price_e9,
                _ => i.price_e9 < o.price_e9,
            };
            Some(if implied_better { *i } else { *o })
        }
    }
}

fn parts(level: Option<Level>) -> (Price, Qty, u32) {
    level.map_or((Price::NULL, Qty::ZERO, 0), |l| {
        (l.price_e9, l.qty, l.order_count)
    })
}

impl<S: EventSink> Normalizer<S> {
    /// Ends the venue event (see [`Normalizer::end_message`]).
    pub(super) fn end_event(&mut self) {
        let Normalizer {
            venue,
            registry,
            instruments,
            batch,
            sink,
            stamp,
            touched,
            counters,
            ..
        } = self;
        for &slot in touched.iter() {
            let st = &mut instruments[slot.index()];
            st.touched = false;
            let Some(def) = registry.at(slot) else {
                continue;
            };
            let (bid_px_e9, bid_qty, bid_count) =
                parts(consolidated(st.outright.bids(), st.implied.bids()));
            let (ask_px_e9, ask_qty, ask_count) =
                parts(consolidated(st.outright.asks(), st.implied.asks()));
            let quote = QuoteBody {
                bid_px_e9,
                ask_px_e9,
                bid_qty,
                ask_qty,
                bid_count,
                ask_count,
            };
            if quote == st.published_top {
                continue;
            }
            st.published_top = quote;
            let mut flags = EventFlags::MBP | EventFlags::TOB;
            if st.outright.is_suspect() || st.implied.is_suspect() {
                flags |= EventFlags::MAYBE_BAD_BOOK;
            }
            counters.events += 1;
            batch.push(
                Event::new(header(*venue, stamp, def.id, flags), quote),
                sink,
            );
        }
        touched.clear();
        batch.finish(sink);
        counters.venue_events += 1;
        self.in_event = false;
    }
}
