//! One sort for the whole crate.
//!
//! Every `slice::sort*` call instantiates the standard library's driftsort or ipnsort for its
//! element type and comparator: in the wasm build the ~20 call sites came to 246 functions and
//! 119 KB (11 % of the module). Here every sort goes through a single instantiation that sorts
//! indices behind a `dyn` comparator, then moves the elements into place; per call site
//! only the small permutation step is generic. Stable, O(n log n) comparisons, O(n) moves.

use std::cmp::Ordering;

/// Stable sort of `v` by `cmp` (like `slice::sort_by`). Natively, where code size does not
/// matter, this is the standard sort (direct comparisons are ~5 % of `check` faster at 1000
/// rules); in wasm it is [`sort_by_index`].
pub fn sort_by<T>(v: &mut [T], cmp: impl FnMut(&T, &T) -> Ordering) {
    if cfg!(target_arch = "wasm32") {
        sort_by_index(v, cmp);
    } else {
        v.sort_by(cmp);
    }
}

/// Stable sort through the single instantiation of the standard sort (module docs).
pub fn sort_by_index<T>(v: &mut [T], mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let mut order: Vec<usize> = (0..v.len()).collect();
    sort_indices(&mut order, &mut |a, b| cmp(&v[a], &v[b]));
    permute(v, &mut order);
}

/// Stable sort by a key (like `slice::sort_by_key`).
pub fn sort_by_key<T, K: Ord>(v: &mut [T], mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)));
}

/// Sort (stable; for `Ord` elements equal to `sort_unstable` up to equal elements' order).
pub fn sort<T: Ord>(v: &mut [T]) {
    sort_by(v, T::cmp);
}

/// Sort, then drop consecutive duplicates.
pub fn sort_dedup<T: Ord>(v: &mut Vec<T>) {
    sort(v);
    v.dedup();
}

/// The only instantiation of the standard sort.
#[inline(never)]
fn sort_indices(order: &mut [usize], cmp: &mut dyn FnMut(usize, usize) -> Ordering) {
    order.sort_by(|&a, &b| cmp(a, b));
}

/// Reorders `v` so that `v[i]` becomes the old `v[order[i]]`, following each cycle of the
/// permutation with swaps. `order` is consumed (entries are marked done).
fn permute<T>(v: &mut [T], order: &mut [usize]) {
    const DONE: usize = usize::MAX;
    for start in 0..order.len() {
        let mut at = start;
        loop {
            let from = order[at];
            if from == DONE {
                break;
            }
            order[at] = DONE;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_std_stable_sort() {
        // Pseudo-random keys with many ties: stability shows in the payload order.
        let mut seed = 12345u32;
        for len in [0usize, 1, 2, 3, 7, 100, 1000] {
            let mut v: Vec<(u32, usize)> = (0..len)
                .map(|i| {
                    seed = seed.wrapping_mul(1_103_515_245).wrapping_add(12345);
                    ((seed >> 16) % 17, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|e| e.0);
            let mut w = v.clone();
            sort_by_key(&mut v, |e| e.0);
            assert_eq!(v, expected, "len {len}");
            sort_by_index(&mut w, |a, b| a.0.cmp(&b.0));
            assert_eq!(w, expected, "len {len} (by index)");
        }
    }

    #[test]
    fn sorts_and_dedups() {
        let mut v = vec!["b", "a", "c", "a", "b"];
        sort_dedup(&mut v);
        assert_eq!(v, ["a", "b", "c"]);
        let mut w = vec![3, 1, 2];
        sort_by(&mut w, |a, b| b.cmp(a));
        assert_eq!(w, [3, 2, 1]);
    }
}
