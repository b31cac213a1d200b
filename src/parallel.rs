//! Work spread over the machine's cores, with results kept in input order so
//! that nothing written ever depends on which thread finished first.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, mpsc};

/// Threads to use: one per core, at most eight (reading is light work and
/// more threads only add memory). `BESTVALUE_THREADS` sets the number, for
/// a shared server where the tool should leave cores to others, and for
/// the tests that check one thread and several give the same output.
pub fn workers() -> usize {
    let set = std::env::var("BESTVALUE_THREADS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0);
    set.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
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
    map_in_order(items, None, f)
}

/// [`map`], starting the heaviest items first (by `weight`, such as a
/// file's size): a big file started last would leave the other cores
/// idle while it is read. Results still come back in the order of `items`.
pub fn map_heaviest_first<T, R, F>(items: &[T], weight: impl Fn(&T) -> u64, f: F) -> Vec<R>
where
    T: Sync,
    R: Send,
    F: Fn(usize, &T) -> R + Sync,
{
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(weight(&items[i])));
    map_in_order(items, Some(&order), f)
}

/// Works through `items` in `order` (all of them, each once), or in turn.
fn map_in_order<T, R, F>(items: &[T], order: Option<&[usize]>, f: F) -> Vec<R>
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
                    let k = next.fetch_add(1, Ordering::Relaxed);
                    let i = match order {
                        Some(order) => match order.get(k) {
                            Some(&i) => i,
                            None => break,
                        },
                        None => k,
                    };
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

/// Applies `f` to every item on all cores and hands each result to
/// `consume`, on the calling thread, in the order of `items`. Unlike [`map`],
/// results are not all held at once: workers run at most `window` items
/// ahead of the consumer, so memory follows the window, not the whole list.
/// For work in groups (one authority's returns after another), this keeps
/// every core busy across the groups' edges, where a [`map`] per group
/// would leave a core idle at the end of each.
pub fn stream<T, R, F, C>(items: &[T], window: usize, f: F, mut consume: C)
where
    T: Sync,
    R: Send,
    F: Fn(usize, &T) -> R + Sync,
    C: FnMut(usize, R),
{
    let workers = workers().min(items.len());
    if workers <= 1 {
        for (i, t) in items.iter().enumerate() {
            consume(i, f(i, t));
        }
        return;
    }
    let window = window.max(workers);
    let next = AtomicUsize::new(0);
    // How many results the consumer has taken, for workers to wait on.
    let taken = (Mutex::new(0usize), Condvar::new());
    // Set when a worker panics, so that no other waits for ever.
    let stop = AtomicBool::new(false);
    let (tx, rx) = mpsc::channel::<(usize, R)>();
    std::thread::scope(|s| {
        for _ in 0..workers {
            let tx = tx.clone();
            let (next, taken, stop, f) = (&next, &taken, &stop, &f);
            s.spawn(move || {
                let _guard = StopOnPanic { stop, taken };
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(i) else { break };
                    {
                        let mut done = taken.0.lock().unwrap_or_else(|p| p.into_inner());
                        while i >= *done + window && !stop.load(Ordering::Relaxed) {
                            done = taken.1.wait(done).unwrap_or_else(|p| p.into_inner());
                        }
                    }
                    if stop.load(Ordering::Relaxed) || tx.send((i, f(i, item))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        // Should `consume` panic, the workers must not wait for it for ever.
        let _guard = StopOnPanic {
            stop: &stop,
            taken: &taken,
        };
        // Results arrive in any order; hand them on in item order.
        let mut waiting = BTreeMap::new();
        let mut want = 0;
        for (i, r) in rx {
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&want) {
                consume(want, r);
                want += 1;
                *taken.0.lock().unwrap_or_else(|p| p.into_inner()) = want;
                taken.1.notify_all();
            }
        }
    });
}

/// Wakes every waiting worker if this thread (a worker or the consumer)
/// panics.
struct StopOnPanic<'a> {
    stop: &'a AtomicBool,
    taken: &'a (Mutex<usize>, Condvar),
}

impl Drop for StopOnPanic<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.stop.store(true, Ordering::Relaxed);
            self.taken.1.notify_all();
        }
    }
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

    #[test]
    fn heaviest_first_still_returns_in_order() {
        let items: Vec<u64> = (0..200).collect();
        let started = std::sync::Mutex::new(Vec::new());
        let out = super::map_heaviest_first(
            &items,
            |x| x % 10,
            |i, x| {
                started.lock().unwrap().push(*x);
                (i as u64, x * 3)
            },
        );
        assert!(
            out.iter()
                .enumerate()
                .all(|(i, (j, v))| i as u64 == *j && *v == 3 * i as u64)
        );
        // The first items started are the heaviest (weight 9), unless the
        // machine has one core, when they run in turn.
        if super::workers() > 1 {
            let started = started.into_inner().unwrap();
            assert!(started[..10].iter().all(|x| x % 10 == 9), "{started:?}");
        }
    }

    #[test]
    fn stream_hands_results_on_in_order() {
        let items: Vec<u64> = (0..500).collect();
        let mut seen = Vec::new();
        super::stream(
            &items,
            8,
            |i, x| {
                if x % 7 == 0 {
                    std::thread::yield_now();
                }
                (i, x * 2)
            },
            |i, (j, v)| seen.push((i, j, v)),
        );
        assert_eq!(seen.len(), 500);
        assert!(
            seen.iter()
                .enumerate()
                .all(|(k, (i, j, v))| *i == k && *j == k && *v == 2 * k as u64)
        );
    }

    #[test]
    fn stream_passes_on_a_panic_without_hanging() {
        let items: Vec<usize> = (0..1000).collect();
        let consumer = std::panic::catch_unwind(|| {
            super::stream(
                &items,
                4,
                |i, _| i,
                |i, _| assert!(i < 10, "consumer fails"),
            )
        });
        assert!(consumer.is_err());
        let worker = std::panic::catch_unwind(|| {
            super::stream(
                &items,
                4,
                |i, _| assert!(i != 20, "worker fails"),
                |_, _| {},
            )
        });
        assert!(worker.is_err());
    }

    #[test]
    fn stream_stays_within_its_window() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let items: Vec<usize> = (0..300).collect();
        let started = AtomicUsize::new(0);
        let mut consumed = 0;
        let mut furthest = 0;
        super::stream(
            &items,
            4,
            |i, _| {
                started.fetch_max(i + 1, Ordering::SeqCst);
                i
            },
            |_, _| {
                consumed += 1;
                // Workers may have started at most `window` items past
                // what had been consumed before this one.
                furthest = furthest.max(started.load(Ordering::SeqCst).saturating_sub(consumed));
            },
        );
        assert_eq!(consumed, 300);
        assert!(furthest <= 4, "ran {furthest} items ahead of the consumer");
    }
}
