//! A stable sort for the lists the site keeps (steps, runbooks, events, diagnostics). The
//! standard library's sorts cost several kilobytes of WebAssembly for each element type they
//! are used with (measured: 52 KB of the site's .wasm for nine call sites); here the merge
//! sort runs once, over indices with a comparison behind `dyn`, so each element type adds
//! only a key copy and a permutation. O(n log n), and O(n) on a list already in order.

/// Sorts `items` by `key`, keeping the order of equal items.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    if items.len() < 2 {
        return;
    }
    let keys: Vec<K> = items.iter().map(&mut key).collect();
    if keys.windows(2).all(|pair| pair[0] <= pair[1]) {
        return;
    }
    let order = stable_order(keys.len(), &|a, b| keys[a] <= keys[b]);
    permute(items, order);
}

/// The indices `0..n` in stable sorted order, by a bottom-up merge sort; `in_order(a, b)`
/// says whether `a` may stay before `b`.
fn stable_order(n: usize, in_order: &dyn Fn(usize, usize) -> bool) -> Vec<usize> {
    let mut from: Vec<usize> = (0..n).collect();
    let mut into = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let middle = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut left, mut right) = (start, middle);
            for slot in &mut into[start..end] {
                // Ties take the left run first: that is what keeps the sort stable.
                let take_left = right == end || (left < middle && in_order(from[left], from[right]));
                if take_left {
                    *slot = from[left];
                    left += 1;
                } else {
                    *slot = from[right];
                    right += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut from, &mut into);
        width *= 2;
    }
    from
}

/// Puts `items[order[i]]` at `i`, following each cycle of the permutation once.
fn permute<T>(items: &mut [T], mut order: Vec<usize>) {
    for start in 0..order.len() {
        let mut current = start;
        while order[current] != start {
            let next = order[current];
            items.swap(current, next);
            order[current] = current;
            current = next;
        }
        order[current] = current;
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn sorts_by_key_and_keeps_ties_in_order() {
        let mut items = vec![(3, 'a'), (1, 'b'), (3, 'c'), (2, 'd'), (1, 'e')];
        super::sort_by_key(&mut items, |item| item.0);
        assert_eq!(items, [(1, 'b'), (1, 'e'), (2, 'd'), (3, 'a'), (3, 'c')]);
        let mut empty: Vec<u8> = Vec::new();
        super::sort_by_key(&mut empty, |x| *x);
        assert!(empty.is_empty());
    }

    #[test]
    fn sorts_every_order_of_up_to_seven_items_as_the_standard_stable_sort_does() {
        // Every sequence of keys 0..3 of each length, tagged with its place to see stability.
        for len in 0..=7u32 {
            for code in 0..3u32.pow(len) {
                let mut items: Vec<(u32, usize)> = (0..len).map(|i| (code / 3u32.pow(i) % 3, i as usize)).collect();
                let mut expected = items.clone();
                expected.sort_by_key(|item| item.0);
                super::sort_by_key(&mut items, |item| item.0);
                assert_eq!(items, expected);
            }
        }
    }

    #[test]
    fn ten_thousand_items_in_reverse_come_out_in_order() {
        let mut items: Vec<i64> = (0..10_000).rev().collect();
        super::sort_by_key(&mut items, |x| *x);
        assert!(items.iter().copied().eq(0..10_000));
    }
}
