//! A multiply-rotate hasher over 8-byte words (as rustc's FxHash) for the crate's maps
//! and sets: their keys are short strings, for which SipHash's set-up dominates. Not
//! DoS-resistant, which is fine: the worst input costs a few hundred colliding probes.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

pub(crate) type FxMap<K, V> = HashMap<K, V, BuildHasherDefault<Fx>>;
pub(crate) type FxSet<K> = HashSet<K, BuildHasherDefault<Fx>>;

#[derive(Default)]
pub(crate) struct Fx(u64);

impl Fx {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Hasher for Fx {
    fn write(&mut self, bytes: &[u8]) {
        let mut words = bytes.chunks_exact(8);
        for w in &mut words {
            let mut a = [0u8; 8];
            a.copy_from_slice(w);
            self.add(u64::from_le_bytes(a));
        }
        let rest = words.remainder();
        let mut a = [0u8; 8];
        a[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(a) ^ (rest.len() as u64) << 59);
    }

    fn write_u8(&mut self, b: u8) {
        self.add(u64::from(b));
    }

    fn write_u64(&mut self, n: u64) {
        self.add(n);
    }

    fn write_usize(&mut self, n: usize) {
        self.add(n as u64);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sets_and_maps_work() {
        let mut s: FxSet<&str> = FxSet::default();
        for w in ["", "a", "abcdefgh", "abcdefghi", "a"] {
            s.insert(w);
        }
        assert_eq!(s.len(), 4);
        let mut m: FxMap<String, usize> = FxMap::default();
        m.insert("x".into(), 1);
        assert_eq!(m.get("x"), Some(&1));
        assert_eq!(m.get("y"), None);
    }
}
