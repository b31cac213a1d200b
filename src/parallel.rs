//! Work spread over the machine's cores, with results kept in input order so
//! that nothing written ever depends on which thread finished first.

use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

/// Threads to use: one per core, at most eight (reading is light work and
/// more threads only add memory).
pub fn workers() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(1, 8)
}

/// Applies `f` to every item (with its index) on all cores. The results come
/// back in the order of `items`.
pub fn map<T, R, F>(items: &[T], f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(usize, &T) -> R + Sync,
{
    let workers = workers().min(items.len());
    if workers <= 1 {
        return items.iter().enumerate().map(|(i, t)| f(i, t)).collect();
    }
    let next = AtomicUsize::new(0);
    let mut slots: Vec<Option<R>> = (0..items.len()).map(|_| None).collect();
    let done = Mutex::new(&mut slots);
    std::thread::scope(|s| {
        for _ in 0..workers {
            s.spawn(|| {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    let r = f(i, item);
                    // A poisoned lock means another worker panicked; keep going.
                    let mut d = done.lock().unwrap_or_else(|p| p.into_inner());
                    d[i] = Some(r);
                }
            });
        }
    });
    slots.into_iter().flatten().collect()
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_keep_the_input_order() {
        let items: Vec<u64> = (0..500).collect();
        let out = super::map(&items, |i, x| {
            // Uneven work so threads finish out of order.
            if x % 7 == 0 {
                std::thread::yield_now();
            }
            (i as u64, x * 2)
        });
        assert_eq!(out.len(), 500);
        assert!(
            out.iter()
                .enumerate()
                .all(|(i, (j, v))| i as u64 == *j && *v == 2 * i as u64)
        );
    }
}
