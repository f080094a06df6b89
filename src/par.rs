//! Work spread over threads that really run at the same time.
//!
//! Owns: [`map`], the one parallel map of the crate (workspace planning, formatting a render in
//! parts), and where its threads run. Does not own: what the work is.
//!
//! Why placement: a thread the kernel starts is queued on the CPU of the thread that started
//! it, and an idle CPU takes it over only when the kernel next balances its queues, which on
//! virtual machines (2-CPU CI runners) can be milliseconds later: about as long as flue's work
//! lasts. Measured here (Linux 6.18, 2 vCPUs), two threads of 2 ms of work each took 4.1 ms more
//! often than not. So each thread [`map`] starts first moves itself off the starting thread's
//! CPU, while that thread yields to let it run; then it may run anywhere again. Two such threads
//! take 2.2 ms.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};

thread_local! {
    /// Whether this thread is working for a [`map`]: a `map` inside one (formatting a render
    /// while planning a workspace package) runs in order, on this thread, since the outer one
    /// keeps every CPU busy already.
    static IN_MAP: Cell<bool> = const { Cell::new(false) };
}

/// Maps `f` over `items` on up to `max_threads` threads (this one included, one per CPU this
/// process may run on, and within its CPU quota when that matters), keeping the order of
/// `items` in the result. Threads take the next `block` items as they finish theirs, so one
/// slow item (a long class, an edited file's formatter passes) or a thread the system set
/// aside does not leave the others idle. With one CPU, one thread, one block of items, or
/// inside another `map`, `f` runs here, in order.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    max_threads: usize,
    block: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let block = block.max(1);
    let blocks = items.len().div_ceil(block);
    // Inside another map, or with one block, the CPUs are not worth asking for (two syscalls
    // per render formatted in a workspace worker).
    if IN_MAP.get() || max_threads < 2 || blocks < 2 {
        return items.iter().map(&f).collect();
    }
    let cpus = placement::Cpus::of_this_thread();
    let threads = threads(&cpus, max_threads, blocks);
    if threads < 2 {
        return items.iter().map(&f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
        let was = IN_MAP.replace(true);
        // Restored even when `f` panics.
        let _restore = Restore(was);
        let mut done = Vec::new();
        loop {
            let start = next.fetch_add(block, Ordering::Relaxed);
            if start >= items.len() {
                return done;
            }
            let end = (start + block).min(items.len());
            done.extend((start..end).map(|i| (i, f(&items[i]))));
        }
    };
    let mut slots: Vec<Option<R>> = std::iter::repeat_with(|| None).take(items.len()).collect();
    std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads)
            .map(|_| {
                s.spawn(|| {
                    cpus.move_off();
                    work()
                })
            })
            .collect();
        // The threads just started wait on this CPU: let them run, and move off it.
        std::thread::yield_now();
        for (i, r) in work() {
            slots[i] = Some(r);
        }
        for h in handles {
            let done = h.join().unwrap_or_else(|p| std::panic::resume_unwind(p));
            for (i, r) in done {
                slots[i] = Some(r);
            }
        }
    });
    slots
        .into_iter()
        .map(|r| r.expect("every item is mapped once"))
        .collect()
}

/// How many threads [`map`] runs on for `blocks` blocks of items, outside another map.
fn threads(cpus: &placement::Cpus, max_threads: usize, blocks: usize) -> usize {
    let threads = max_threads.min(cpus.count()).min(blocks);
    if threads > 2 {
        // A container's CPU quota (cgroups) may be below its CPU mask. Reading it costs about
        // 0.05 ms: worth it for a run that starts many threads, not for formatting a render.
        return threads.min(std::thread::available_parallelism().map_or(1, |n| n.get()));
    }
    threads
}

/// Puts back [`IN_MAP`]'s value when dropped.
struct Restore(bool);

impl Drop for Restore {
    fn drop(&mut self) {
        IN_MAP.set(self.0);
    }
}

#[cfg(target_os = "linux")]
mod placement {
    use std::mem::{size_of, zeroed};

    /// The CPUs this process may run on, and the one the calling thread runs on; or, when the
    /// kernel does not say (a machine with more CPUs than a `cpu_set_t` holds), how many the
    /// standard library counts, with threads left where the kernel puts them.
    pub enum Cpus {
        Known {
            allowed: libc::cpu_set_t,
            current: Option<usize>,
        },
        Counted(usize),
    }

    /// CPU numbers a `cpu_set_t` holds (1,024).
    const SET_BITS: usize = 8 * size_of::<libc::cpu_set_t>();

    impl Cpus {
        pub fn of_this_thread() -> Cpus {
            // SAFETY: `cpu_set_t` is a plain bit array, valid when zeroed; `sched_getaffinity`
            // writes at most `size_of::<cpu_set_t>()` bytes into it, and `sched_getcpu` takes
            // no arguments.
            let (got, allowed, cpu) = unsafe {
                let mut allowed: libc::cpu_set_t = zeroed();
                let got = libc::sched_getaffinity(0, size_of::<libc::cpu_set_t>(), &mut allowed);
                (got, allowed, libc::sched_getcpu())
            };
            if got != 0 {
                return Cpus::Counted(std::thread::available_parallelism().map_or(1, |n| n.get()));
            }
            let current = usize::try_from(cpu).ok().filter(|&c| c < SET_BITS);
            Cpus::Known { allowed, current }
        }

        pub fn count(&self) -> usize {
            match self {
                // SAFETY: `allowed` is an initialised `cpu_set_t`.
                Cpus::Known { allowed, .. } => {
                    usize::try_from(unsafe { libc::CPU_COUNT(allowed) }).unwrap_or(0)
                }
                Cpus::Counted(n) => *n,
            }
        }

        /// Moves the calling thread to another allowed CPU than the starting thread's, then
        /// lets it run on any allowed CPU again (it stays where it moved until the kernel
        /// balances). Does nothing when there is no other CPU or the kernel refuses.
        pub fn move_off(&self) {
            let Cpus::Known {
                allowed,
                current: Some(current),
            } = self
            else {
                return;
            };
            let mut others = *allowed;
            // SAFETY: `others` and `allowed` are initialised `cpu_set_t`s, passed with their
            // size; `current` is below `SET_BITS` (`CPU_CLR` would panic past it); pid 0 is the
            // calling thread.
            unsafe {
                libc::CPU_CLR(*current, &mut others);
                if libc::CPU_COUNT(&others) == 0 {
                    return;
                }
                if libc::sched_setaffinity(0, size_of::<libc::cpu_set_t>(), &others) == 0 {
                    libc::sched_setaffinity(0, size_of::<libc::cpu_set_t>(), allowed);
                }
            }
        }
    }
}

#[cfg(not(target_os = "linux"))]
mod placement {
    /// The CPUs this process may run on; where threads run is the system's choice here.
    pub struct Cpus(usize);

    impl Cpus {
        pub fn of_this_thread() -> Cpus {
            Cpus(std::thread::available_parallelism().map_or(1, |n| n.get()))
        }

        pub fn count(&self) -> usize {
            self.0
        }

        pub fn move_off(&self) {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn map_keeps_order_on_any_number_of_threads() {
        let v: Vec<u32> = (0..1000).collect();
        let doubled: Vec<u32> = v.iter().map(|x| x * 2).collect();
        for (threads, block) in [(1, 1), (2, 1), (8, 8), (3, 1000), (64, 7)] {
            assert_eq!(
                map(&v, threads, block, |x| x * 2),
                doubled,
                "{threads} × {block}"
            );
        }
        assert_eq!(map(&[] as &[u32], 8, 1, |x| *x), Vec::<u32>::new());
    }

    /// Whether [`map`] with `max_threads` threads may use others than this one here.
    fn others_allowed(max_threads: usize) -> bool {
        threads(&placement::Cpus::of_this_thread(), max_threads, usize::MAX) > 1
    }

    #[test]
    fn map_uses_other_threads_when_it_may() {
        let v: Vec<u32> = (0..64).collect();
        let here = std::thread::current().id();
        let elsewhere = map(&v, 4, 1, |_| {
            // Long enough that this thread cannot take every item before the others start.
            std::thread::sleep(std::time::Duration::from_millis(2));
            std::thread::current().id() != here
        });
        assert_eq!(elsewhere.iter().any(|&e| e), others_allowed(4));
    }

    #[test]
    fn a_map_inside_a_map_runs_on_its_own_thread() {
        let v: Vec<u32> = (0..32).collect();
        let inner_spread = map(&v, 4, 1, |_| {
            let here = std::thread::current().id();
            map(&v, 4, 1, |_| {
                std::thread::sleep(std::time::Duration::from_micros(200));
                std::thread::current().id() != here
            })
            .into_iter()
            .any(|e| e)
        });
        assert!(!inner_spread.iter().any(|&e| e));
        // Outside any map again, this thread may spread work.
        assert!(!IN_MAP.get());
    }

    #[test]
    fn a_panic_in_another_thread_reaches_the_caller() {
        let v: Vec<u32> = (0..64).collect();
        let here = std::thread::current().id();
        let ran = std::panic::catch_unwind(|| {
            map(&v, 2, 1, |_| {
                std::thread::sleep(std::time::Duration::from_millis(1));
                assert!(std::thread::current().id() == here, "panicked elsewhere");
            })
        });
        let message = ran.err().map(|p| {
            p.downcast_ref::<String>()
                .cloned()
                .or_else(|| p.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_default()
        });
        if others_allowed(2) {
            assert_eq!(message.as_deref(), Some("panicked elsewhere"));
        } else {
            assert_eq!(message, None);
        }
        assert!(!IN_MAP.get());
    }
}
