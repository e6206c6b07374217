//! A hash map whose capacity is fixed at construction: open addressing with
//! linear probing and backward-shift deletion (no tombstones).
//!
//! Why not `std::collections::HashMap`: its capacity is a lower bound, not a
//! promise, and its default hasher (SipHash) costs more than the books it indexes.
//! Here the table is allocated once, holds at most `capacity` entries with a load
//! factor of at most one half, and an insert past capacity is a typed error
//! ([`MapFull`]), never a reallocation. Lookups, inserts and removals never
//! allocate.
//!
//! Keys are hashed with [`FixedKey::hash64`] and then mixed (the splitmix64
//! finalizer), so keys that differ only in high bits still spread. Adversarial
//! keys can at worst make a probe walk the table: slow, never wrong and never a
//! panic.

/// A key of a [`FixedMap`]: copyable, comparable, with a 64-bit hash.
pub trait FixedKey: Copy + Eq {
    /// The key's bits, or any function of them that equal keys share.
    fn hash64(self) -> u64;
}

impl FixedKey for u64 {
    #[inline]
    fn hash64(self) -> u64 {
        self
    }
}

impl FixedKey for u32 {
    #[inline]
    fn hash64(self) -> u64 {
        u64::from(self)
    }
}

/// The map already holds `capacity` entries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error("fixed map full ({capacity} entries)")]
pub struct MapFull {
    /// The map's capacity.
    pub capacity: usize,
}

/// Why [`FixedMap::insert_new`] did not insert.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InsertNewError {
    /// The key is already present (its value is unchanged).
    #[error("key already present")]
    Present,
    /// The key is new and the map is full.
    #[error(transparent)]
    Full(#[from] MapFull),
}

/// A fixed-capacity hash map (see the [module docs](self)).
#[derive(Clone, Debug)]
pub struct FixedMap<K, V> {
    slots: Box<[Option<(K, V)>]>,
    mask: usize,
    len: usize,
    capacity: usize,
}

/// The splitmix64 finalizer: a cheap bijective mix of all 64 bits.
#[inline]
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

impl<K: FixedKey, V: Copy> FixedMap<K, V> {
    /// A map for at most `capacity` entries (at least one, at most
    /// `usize::MAX / 4`). Allocates its table, a power of two at least twice the
    /// capacity, here and never again.
    pub fn with_capacity(capacity: usize) -> Self {
        let capacity = capacity.clamp(1, usize::MAX / 4);
        let table = capacity.saturating_mul(2).next_power_of_two();
        FixedMap {
            slots: vec![None; table].into_boxed_slice(),
            mask: table - 1,
            len: 0,
            capacity,
        }
    }

    /// The most entries the map holds.
    #[inline]
    pub fn capacity(&self) -> usize {
        self.capacity
    }

    /// The entries it holds.
    #[inline]
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether it holds none.
    #[inline]
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    #[inline]
    fn home(&self, key: K) -> usize {
        // Truncation to the table's index bits is the point of the mask.
        (mix(key.hash64()) as usize) & self.mask
    }

    /// The slot holding `key`, if any.
    #[inline]
    fn find(&self, key: K) -> Option<usize> {
        let mut i = self.home(key);
        loop {
            match &self.slots[i] {
                None => return None,
                Some((k, _)) if *k == key => return Some(i),
                Some(_) => i = (i + 1) & self.mask,
            }
        }
    }

    /// The value of `key`.
    #[inline]
    pub fn get(&self, key: K) -> Option<&V> {
        let i = self.find(key)?;
        self.slots[i].as_ref().map(|(_, v)| v)
    }

    /// The value of `key`, mutably.
    #[inline]
    pub fn get_mut(&mut self, key: K) -> Option<&mut V> {
        let i = self.find(key)?;
        self.slots[i].as_mut().map(|(_, v)| v)
    }

    /// Whether `key` is present.
    #[inline]
    pub fn contains_key(&self, key: K) -> bool {
        self.find(key).is_some()
    }

    /// Sets `key` to `value`; returns the value it replaced.
    ///
    /// # Errors
    /// [`MapFull`] when `key` is new and the map already holds `capacity`
    /// entries; the map is unchanged.
    #[inline]
    pub fn insert(&mut self, key: K, value: V) -> Result<Option<V>, MapFull> {
        let mut i = self.home(key);
        loop {
            match &mut self.slots[i] {
                Some((k, v)) if *k == key => return Ok(Some(std::mem::replace(v, value))),
                Some(_) => i = (i + 1) & self.mask,
                empty @ None => {
                    if self.len == self.capacity {
                        return Err(MapFull {
                            capacity: self.capacity,
                        });
                    }
                    *empty = Some((key, value));
                    self.len += 1;
                    return Ok(None);
                }
            }
        }
    }

    /// Inserts `key` only when absent, with one probe (where
    /// `contains_key` then `insert` take two).
    ///
    /// # Errors
    /// [`InsertNewError::Present`] when `key` is present, else
    /// [`InsertNewError::Full`] when the map holds `capacity` entries; the map
    /// is unchanged either way.
    #[inline]
    pub fn insert_new(&mut self, key: K, value: V) -> Result<(), InsertNewError> {
        let mut i = self.home(key);
        loop {
            match &mut self.slots[i] {
                Some((k, _)) if *k == key => return Err(InsertNewError::Present),
                Some(_) => i = (i + 1) & self.mask,
                empty @ None => {
                    if self.len == self.capacity {
                        return Err(MapFull {
                            capacity: self.capacity,
                        }
                        .into());
                    }
                    *empty = Some((key, value));
                    self.len += 1;
                    return Ok(());
                }
            }
        }
    }

    /// The value of `key`, `value` inserted first when it is absent, with one
    /// probe (where `get_mut` then `insert` take two).
    ///
    /// # Errors
    /// [`MapFull`] when `key` is absent and the map holds `capacity` entries;
    /// the map is unchanged.
    #[inline]
    pub fn get_or_insert(&mut self, key: K, value: V) -> Result<&mut V, MapFull> {
        let mut i = self.home(key);
        loop {
            match &self.slots[i] {
                Some((k, _)) if *k == key => break,
                Some(_) => i = (i + 1) & self.mask,
                None => {
                    if self.len == self.capacity {
                        return Err(MapFull {
                            capacity: self.capacity,
                        });
                    }
                    self.slots[i] = Some((key, value));
                    self.len += 1;
                    break;
                }
            }
        }
        match &mut self.slots[i] {
            Some((_, v)) => Ok(v),
            // The loop left `i` at an occupied slot.
            None => Err(MapFull {
                capacity: self.capacity,
            }),
        }
    }

    /// Applies `f` to the value of `key` and removes the entry when `f`
    /// returns `true`, with one probe (where `get_mut` then `remove` take
    /// two). Returns `None` when `key` is absent (`f` is not called), else
    /// whether the entry was removed.
    #[inline]
    pub fn update_or_remove(&mut self, key: K, f: impl FnOnce(&mut V) -> bool) -> Option<bool> {
        let i = self.find(key)?;
        let (_, v) = self.slots[i].as_mut()?;
        if !f(v) {
            return Some(false);
        }
        self.remove_at(i);
        Some(true)
    }

    /// Removes `key`; returns its value.
    #[inline]
    pub fn remove(&mut self, key: K) -> Option<V> {
        let i = self.find(key)?;
        self.remove_at(i)
    }

    /// Removes the entry in slot `hole` (found by a probe since the last
    /// change); returns its value.
    ///
    /// Backward-shift deletion: the entries after the hole that could live in it
    /// (their home is not between the hole and themselves) move back, so every
    /// probe sequence stays unbroken without tombstones.
    #[inline]
    fn remove_at(&mut self, mut hole: usize) -> Option<V> {
        let (_, value) = self.slots[hole].take()?;
        self.len -= 1;
        let mut j = hole;
        loop {
            j = (j + 1) & self.mask;
            let Some((k, _)) = self.slots[j] else {
                return Some(value);
            };
            let home = self.home(k);
            // Distance from home to j and from home to the hole, cyclically: the
            // entry may move into the hole when the hole lies on its probe path.
            let dist_j = j.wrapping_sub(home) & self.mask;
            let dist_hole = hole.wrapping_sub(home) & self.mask;
            if dist_hole < dist_j {
                self.slots[hole] = self.slots[j].take();
                hole = j;
            }
        }
    }

    /// Removes every entry (walks the whole table).
    pub fn clear(&mut self) {
        self.slots.fill(None);
        self.len = 0;
    }

    /// Every entry, in table order.
    pub fn iter(&self) -> impl Iterator<Item = (K, &V)> + '_ {
        self.slots
            .iter()
            .filter_map(|s| s.as_ref().map(|(k, v)| (*k, v)))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use proptest::prelude::*;

    use super::*;

    #[test]
    fn insert_get_remove() {
        let mut m = FixedMap::<u64, u32>::with_capacity(3);
        assert_eq!(m.insert(7, 70), Ok(None));
        assert_eq!(m.insert(8, 80), Ok(None));
        assert_eq!(m.insert(7, 71), Ok(Some(70)));
        assert_eq!(m.insert(9, 90), Ok(None));
        assert_eq!(m.insert(10, 100), Err(MapFull { capacity: 3 }));
        assert_eq!(m.len(), 3);
        assert_eq!(m.get(7), Some(&71));
        assert_eq!(m.remove(8), Some(80));
        assert_eq!(m.remove(8), None);
        assert_eq!(m.insert(10, 100), Ok(None));
        *m.get_mut(10).unwrap() += 1;
        assert_eq!(m.get(10), Some(&101));
        let mut all: Vec<_> = m.iter().map(|(k, v)| (k, *v)).collect();
        all.sort();
        assert_eq!(all, [(7, 71), (9, 90), (10, 101)]);
        m.clear();
        assert!(m.is_empty());
        assert_eq!(m.get(7), None);
    }

    #[test]
    fn colliding_keys_survive_removals() {
        // A capacity-8 map has 16 slots; keys that collide after mixing are found
        // by brute force, then removed in every position of their cluster.
        let mut m = FixedMap::<u64, u64>::with_capacity(8);
        let target = m.home(0);
        let colliding: Vec<u64> = (0..).filter(|&k| m.home(k) == target).take(5).collect();
        for &k in &colliding {
            m.insert(k, k * 10).unwrap();
        }
        for (n, &gone) in colliding.iter().enumerate() {
            assert_eq!(m.remove(gone), Some(gone * 10));
            for &k in &colliding[n + 1..] {
                assert_eq!(m.get(k), Some(&(k * 10)), "lost {k} after removing {gone}");
            }
        }
        assert!(m.is_empty());
    }

    #[test]
    fn single_probe_operations() {
        let mut m = FixedMap::<u64, u32>::with_capacity(2);
        assert_eq!(m.insert_new(1, 10), Ok(()));
        assert_eq!(m.insert_new(1, 11), Err(InsertNewError::Present));
        assert_eq!(m.get(1), Some(&10));
        *m.get_or_insert(1, 0).unwrap() += 1;
        assert_eq!(m.get(1), Some(&11));
        *m.get_or_insert(2, 20).unwrap() += 1;
        assert_eq!(m.get(2), Some(&21));
        assert_eq!(m.get_or_insert(3, 30), Err(MapFull { capacity: 2 }));
        assert_eq!(
            m.insert_new(3, 30),
            Err(InsertNewError::Full(MapFull { capacity: 2 }))
        );
        assert_eq!(m.insert_new(2, 0), Err(InsertNewError::Present));
        assert_eq!(m.update_or_remove(3, |_| true), None);
        assert_eq!(
            m.update_or_remove(1, |v| {
                *v -= 1;
                false
            }),
            Some(false)
        );
        assert_eq!(m.get(1), Some(&10));
        assert_eq!(m.update_or_remove(1, |v| *v == 10), Some(true));
        assert_eq!(m.get(1), None);
        assert_eq!(m.len(), 1);
    }

    proptest! {
        /// The single-probe operations against `std::collections::HashMap`,
        /// with the same small key range (collisions, clusters, removals in
        /// the middle of them).
        #[test]
        fn single_probe_operations_behave_like_a_hash_map(ops in prop::collection::vec((0u8..3, 0u64..40, any::<u16>()), 0..400)) {
            let mut m = FixedMap::<u64, u16>::with_capacity(24);
            let mut model: HashMap<u64, u16> = HashMap::new();
            for (op, key, value) in ops {
                let full = model.len() == 24 && !model.contains_key(&key);
                match op {
                    0 => {
                        let expected = match model.entry(key) {
                            std::collections::hash_map::Entry::Occupied(_) => {
                                Err(InsertNewError::Present)
                            }
                            std::collections::hash_map::Entry::Vacant(_) if full => {
                                Err(InsertNewError::Full(MapFull { capacity: 24 }))
                            }
                            std::collections::hash_map::Entry::Vacant(v) => {
                                v.insert(value);
                                Ok(())
                            }
                        };
                        prop_assert_eq!(m.insert_new(key, value), expected);
                    }
                    1 => {
                        let got = m.get_or_insert(key, value).map(|v| {
                            *v = v.wrapping_add(1);
                            *v
                        });
                        let expected = if full {
                            Err(MapFull { capacity: 24 })
                        } else {
                            let v = model.entry(key).or_insert(value);
                            *v = v.wrapping_add(1);
                            Ok(*v)
                        };
                        prop_assert_eq!(got, expected);
                    }
                    _ => {
                        // Remove when the value is odd, else halve it.
                        let update = |v: &mut u16| {
                            if *v % 2 == 1 {
                                true
                            } else {
                                *v /= 2;
                                false
                            }
                        };
                        let expected = match model.get_mut(&key) {
                            None => None,
                            Some(v) if *v % 2 == 1 => {
                                model.remove(&key);
                                Some(true)
                            }
                            Some(v) => {
                                *v /= 2;
                                Some(false)
                            }
                        };
                        prop_assert_eq!(m.update_or_remove(key, update), expected);
                    }
                }
                prop_assert_eq!(m.len(), model.len());
                for k in 0..40 {
                    prop_assert_eq!(m.get(k), model.get(&k));
                }
            }
        }

        /// Against `std::collections::HashMap` under random inserts and removals of
        /// keys from a small range (many collisions and clusters).
        #[test]
        fn behaves_like_a_hash_map(ops in prop::collection::vec((any::<bool>(), 0u64..40, any::<u16>()), 0..400)) {
            let mut m = FixedMap::<u64, u16>::with_capacity(24);
            let mut model: HashMap<u64, u16> = HashMap::new();
            for (insert, key, value) in ops {
                if insert {
                    let expected = if model.len() == 24 && !model.contains_key(&key) {
                        Err(MapFull { capacity: 24 })
                    } else {
                        Ok(model.insert(key, value))
                    };
                    prop_assert_eq!(m.insert(key, value), expected);
                } else {
                    prop_assert_eq!(m.remove(key), model.remove(&key));
                }
                prop_assert_eq!(m.len(), model.len());
                for k in 0..40 {
                    prop_assert_eq!(m.get(k), model.get(&k));
                }
            }
        }
    }
}
