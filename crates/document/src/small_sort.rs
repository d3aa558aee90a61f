//! A stable insertion sort for the short lists the site keeps (tens of steps, runbooks,
//! events, diagnostics). The standard library's sorts cost several kilobytes of WebAssembly
//! for each element type they are used with (measured: 52 KB of the site's .wasm for nine
//! call sites); this one is a few hundred bytes. Quadratic: short lists only.

/// Sorts `items` by `key`, keeping the order of equal items. Quadratic: short lists only.
pub fn sort_by_key<T, K: Ord>(items: &mut [T], mut key: impl FnMut(&T) -> K) {
    for i in 1..items.len() {
        let mut j = i;
        while j > 0 && key(&items[j - 1]) > key(&items[j]) {
            items.swap(j - 1, j);
            j -= 1;
        }
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
}
