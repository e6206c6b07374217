//! Property tests: the MBP book against a reference model (each side a `Vec`
//! kept sorted by price, where a level's index is wherever its price sorts), and
//! the reported changes against two consumers that rebuild the book from them
//! (one keyed by price, one by position).

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;

const GRID: i64 = 200;

/// The reference model of one side: levels sorted best first.
#[derive(Clone, Debug, Default, PartialEq)]
struct ModelSide {
    bid: bool,
    levels: Vec<Level>,
}

impl ModelSide {
    /// Where `p` sorts (`Err` when present).
    fn position(&self, p: Price) -> Result<usize, usize> {
        let r = self.levels.binary_search_by(|l| {
            if self.bid {
                p.cmp(&l.price_e9)
            } else {
                l.price_e9.cmp(&p)
            }
        });
        match r {
            Ok(i) => Err(i),
            Err(i) => Ok(i),
        }
    }
}

/// The model's book: the same actions, defined through sorted insertion.
#[derive(Clone, Debug)]
struct Model {
    depth: usize,
    sides: [ModelSide; 2],
}

impl Model {
    fn new(depth: usize) -> Self {
        Model {
            depth,
            sides: [
                ModelSide {
                    bid: true,
                    levels: Vec::new(),
                },
                ModelSide::default(),
            ],
        }
    }

    /// Applies `op`; `false` (and no change) when the action is invalid.
    fn apply(&mut self, op: &MbpOp) -> bool {
        let depth = self.depth;
        let s = match op.side {
            Side::Bid => &mut self.sides[0],
            Side::Ask => &mut self.sides[1],
            Side::None => return false,
        };
        let l = usize::from(op.level);
        let new = Level {
            price_e9: op.price_e9,
            qty: op.qty,
            order_count: op.order_count,
        };
        let values = !op.price_e9.is_null() && !op.qty.is_null();
        let len = s.levels.len();
        match op.action {
            MbpAction::New => {
                if !(values && (1..=depth).contains(&l)) || s.position(new.price_e9) != Ok(l - 1) {
                    return false;
                }
                s.levels.insert(l - 1, new);
                s.levels.truncate(depth);
            }
            MbpAction::Change | MbpAction::Overlay => {
                let append = op.action == MbpAction::Overlay && l == len + 1 && l <= depth;
                if !values || l == 0 || (l > len && !append) {
                    return false;
                }
                if !append && s.levels[l - 1].price_e9 == new.price_e9 {
                    s.levels[l - 1] = new;
                    return true;
                }
                let mut trial = s.clone();
                if !append {
                    trial.levels.remove(l - 1);
                }
                if trial.position(new.price_e9) != Ok(l - 1) {
                    return false;
                }
                trial.levels.insert(l - 1, new);
                *s = trial;
            }
            MbpAction::Delete => {
                if l == 0 || l > len {
                    return false;
                }
                if !op.price_e9.is_null() && s.levels[l - 1].price_e9 != op.price_e9 {
                    return false;
                }
                s.levels.remove(l - 1);
            }
            MbpAction::DeleteThru => s.levels.clear(),
            MbpAction::DeleteFrom => {
                if l == 0 || l > depth {
                    return false;
                }
                s.levels.drain(..l.min(len));
            }
        }
        true
    }
}

/// A consumer that rebuilds a side from the changes, keyed by price.
#[derive(Default)]
struct ByPrice(BTreeMap<i64, (u32, u32)>);

/// A consumer that rebuilds a side from the changes, keyed by position.
#[derive(Default)]
struct ByPosition(Vec<Level>);

fn consume(by_price: &mut [ByPrice; 2], by_pos: &mut [ByPosition; 2], c: &LevelChange) {
    let i = usize::from(c.side == Side::Ask);
    let at = usize::from(c.level).saturating_sub(1);
    let lvl = Level {
        price_e9: c.price_e9,
        qty: c.qty,
        order_count: c.order_count,
    };
    match c.action {
        Action::Add => {
            by_price[i]
                .0
                .insert(c.price_e9.e9(), (c.qty.lots(), c.order_count));
            by_pos[i].0.insert(at, lvl);
        }
        Action::Modify => {
            by_price[i]
                .0
                .insert(c.price_e9.e9(), (c.qty.lots(), c.order_count));
            by_pos[i].0[at] = lvl;
        }
        Action::Cancel => {
            by_price[i].0.remove(&c.price_e9.e9());
            let gone = by_pos[i].0.remove(at);
            assert_eq!(
                gone.price_e9, c.price_e9,
                "position consumer removed another price"
            );
        }
        Action::Clear => {
            by_price[i].0.clear();
            by_pos[i].0.clear();
        }
        other => panic!("unexpected action {other:?}"),
    }
}

/// A raw action: (kind 0..=6, level seed, price seed, qty, fit price?).
type Raw = (u8, u8, u8, u16, bool);

fn raw_ops() -> impl Strategy<Value = Vec<Raw>> {
    prop::collection::vec(
        (
            0u8..=6,
            any::<u8>(),
            any::<u8>(),
            any::<u16>(),
            any::<bool>(),
        ),
        0..300,
    )
}

/// A price that fits between the levels around index `at` once `skip` (the level
/// being replaced, if any) is taken out; `None` when there is no room.
fn fitting_price(side: &ModelSide, at: usize, skip: Option<usize>, seed: u8) -> Option<Price> {
    let mut around: Vec<i64> = side.levels.iter().map(|l| l.price_e9.e9()).collect();
    if let Some(i) = skip {
        around.remove(i);
    }
    let better = at.checked_sub(1).and_then(|i| around.get(i).copied());
    let worse = around.get(at).copied();
    let (lo, hi) = if side.bid {
        (worse.unwrap_or(0), better.unwrap_or(GRID + 1))
    } else {
        (better.unwrap_or(0), worse.unwrap_or(GRID + 1))
    };
    (hi - lo >= 2).then(|| Price::from_e9(lo + 1 + i64::from(seed) % (hi - lo - 1)))
}

/// Builds an op from a raw tuple. With `fit`, the level is drawn from the range
/// the action allows and the price fits there (so the op is valid unless no
/// price fits); otherwise level and price are raw (often invalid).
fn build(model: &Model, raw: Raw, valid_only: bool) -> Option<MbpOp> {
    let (kind, lseed, pseed, qty, fit) = raw;
    let side_i = usize::from(lseed & 1);
    let s = &model.sides[side_i];
    let side = if kind == 6 {
        Side::None
    } else if side_i == 0 {
        Side::Bid
    } else {
        Side::Ask
    };
    let action = MbpAction::from_fix(kind % 6)?;
    let len = s.levels.len();
    let depth = model.depth;
    let seed = usize::from(lseed >> 1);
    let fit = fit || valid_only;
    let (level, price) = if fit {
        let pick = |n: usize| (n > 0).then(|| 1 + seed % n);
        match action {
            MbpAction::New => {
                let l = pick((len + 1).min(depth))?;
                (l, fitting_price(s, l - 1, None, pseed))
            }
            MbpAction::Change | MbpAction::Overlay => {
                let n = if action == MbpAction::Overlay {
                    (len + 1).min(depth)
                } else {
                    len
                };
                let l = pick(n)?;
                let skip = (l <= len).then_some(l - 1);
                if pseed % 3 == 0 && l <= len {
                    (l, Some(s.levels[l - 1].price_e9))
                } else {
                    (l, fitting_price(s, l - 1, skip, pseed))
                }
            }
            MbpAction::Delete => {
                let l = pick(len)?;
                (l, Some(s.levels[l - 1].price_e9))
            }
            MbpAction::DeleteThru => (1, Some(Price::NULL)),
            MbpAction::DeleteFrom => (pick(depth)?, Some(Price::NULL)),
        }
    } else {
        (
            seed % (depth + 3),
            Some(Price::from_e9(i64::from(pseed) % GRID)),
        )
    };
    if valid_only && (side == Side::None) {
        return None;
    }
    Some(MbpOp {
        side,
        action,
        level: level as u8,
        price_e9: price?,
        qty: Qty::from_lots(u32::from(qty)),
        order_count: u32::from(qty % 7),
    })
}

fn run(depth: u8, ops: Vec<Raw>, valid_only: bool) -> Result<(), TestCaseError> {
    let mut book = MbpBook::with_capacity(depth);
    let mut model = Model::new(usize::from(depth));
    let mut by_price: [ByPrice; 2] = Default::default();
    let mut by_pos: [ByPosition; 2] = Default::default();
    let mut refused = false;
    for raw in ops {
        let Some(op) = build(&model, raw, valid_only) else {
            continue;
        };
        let valid = model.apply(&op);
        let mut changes = Vec::new();
        let result = book.apply(&op, |c| changes.push(c));
        prop_assert_eq!(result.is_ok(), valid, "{:?}: {:?}", op, result);
        if valid_only {
            prop_assert!(
                result.is_ok(),
                "a valid op was refused: {:?} {:?}",
                op,
                result
            );
        }
        if result.is_err() {
            prop_assert!(changes.is_empty(), "a refused op reported changes");
            refused = true;
        }
        prop_assert_eq!(book.is_suspect(), refused);
        for c in &changes {
            consume(&mut by_price, &mut by_pos, c);
        }
        for (i, side) in [book.bids(), book.asks()].into_iter().enumerate() {
            prop_assert_eq!(side.levels(), &model.sides[i].levels[..]);
            prop_assert!(side.len() <= usize::from(depth));
            let strictly = side.levels().windows(2).all(|w| {
                if i == 0 {
                    w[0].price_e9 > w[1].price_e9
                } else {
                    w[0].price_e9 < w[1].price_e9
                }
            });
            prop_assert!(strictly, "side {} out of order", i);
            prop_assert_eq!(&by_pos[i].0[..], side.levels());
            let rebuilt: Vec<(i64, (u32, u32))> =
                by_price[i].0.iter().map(|(k, v)| (*k, *v)).collect();
            let mut expected: Vec<(i64, (u32, u32))> = side
                .levels()
                .iter()
                .map(|l| (l.price_e9.e9(), (l.qty.lots(), l.order_count)))
                .collect();
            expected.sort();
            prop_assert_eq!(rebuilt, expected);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random valid action sequences: every one is accepted and the book equals
    /// the model (and both consumers) after each.
    #[test]
    fn valid_sequences_match_the_model(depth in 1u8..=10, ops in raw_ops()) {
        run(depth, ops, true)?;
    }

    /// Random sequences, mostly invalid ones among them: the book refuses exactly
    /// what the model refuses and stays equal to it.
    #[test]
    fn arbitrary_sequences_match_the_model(depth in 0u8..=6, ops in raw_ops()) {
        run(depth, ops, false)?;
    }
}
