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

use std::sync::atomic::{AtomicUsize, Ordering};

/// Maps `f` over `items` on up to `max_threads` threads (this one included, one per CPU this
/// process may run on, and within its CPU quota when that matters), keeping the order of
/// `items` in the result. Threads take the next
/// `block` items as they finish theirs, so one slow item (a long class, an edited file's
/// formatter passes) or a thread the system set aside does not leave the others idle. With one
/// CPU, one thread, or one block of items, `f` runs here, in order.
pub fn map<T: Sync, R: Send>(
    items: &[T],
    max_threads: usize,
    block: usize,
    f: impl Fn(&T) -> R + Sync,
) -> Vec<R> {
    let block = block.max(1);
    let cpus = placement::Cpus::of_this_thread();
    let mut threads = max_threads
        .min(cpus.count())
        .min(items.len().div_ceil(block));
    if threads > 2 {
        // A container's CPU quota (cgroups) may be below its CPU mask. Reading it costs about
        // 0.05 ms: worth it for a run that starts many threads, not for formatting a render.
        threads = threads.min(std::thread::available_parallelism().map_or(1, |n| n.get()));
    }
    if threads < 2 {
        return items.iter().map(&f).collect();
    }
    let next = AtomicUsize::new(0);
    let work = || {
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

#[cfg(target_os = "linux")]
mod placement {
    use std::mem::{size_of, zeroed};

    /// The CPUs this process may run on, and the one the calling thread runs on.
    pub struct Cpus {
        allowed: libc::cpu_set_t,
        current: Option<usize>,
    }

    impl Cpus {
        pub fn of_this_thread() -> Cpus {
            // SAFETY: `cpu_set_t` is a plain bit array, valid when zeroed; `sched_getaffinity`
            // writes at most `size_of::<cpu_set_t>()` bytes into it, and `sched_getcpu` takes
            // no arguments.
            unsafe {
                let mut allowed: libc::cpu_set_t = zeroed();
                if libc::sched_getaffinity(0, size_of::<libc::cpu_set_t>(), &mut allowed) != 0 {
                    libc::CPU_ZERO(&mut allowed);
                }
                let current = usize::try_from(libc::sched_getcpu()).ok();
                Cpus { allowed, current }
            }
        }

        pub fn count(&self) -> usize {
            // SAFETY: `allowed` is an initialised `cpu_set_t`.
            usize::try_from(unsafe { libc::CPU_COUNT(&self.allowed) }).unwrap_or(0)
        }

        /// Moves the calling thread to another allowed CPU than the starting thread's, then
        /// lets it run on any allowed CPU again (it stays where it moved until the kernel
        /// balances). Does nothing when there is no other CPU or the kernel refuses.
        pub fn move_off(&self) {
            let Some(current) = self.current else { return };
            let mut others = self.allowed;
            // SAFETY: `others` and `allowed` are initialised `cpu_set_t`s, passed with their
            // size (`CPU_CLR` ignores a CPU number past the set's end); pid 0 is the calling
            // thread.
            unsafe {
                libc::CPU_CLR(current, &mut others);
                if libc::CPU_COUNT(&others) == 0 {
                    return;
                }
                if libc::sched_setaffinity(0, size_of::<libc::cpu_set_t>(), &others) == 0 {
                    libc::sched_setaffinity(0, size_of::<libc::cpu_set_t>(), &self.allowed);
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

    #[test]
    fn map_uses_other_threads_when_it_may() {
        let cpus = placement::Cpus::of_this_thread().count();
        let v: Vec<u32> = (0..64).collect();
        let here = std::thread::current().id();
        let elsewhere = map(&v, 4, 1, |_| {
            // Long enough that this thread cannot take every item before the others start.
            std::thread::sleep(std::time::Duration::from_millis(2));
            std::thread::current().id() != here
        });
        let used_others = elsewhere.iter().any(|&e| e);
        assert_eq!(used_others, cpus > 1, "{cpus} CPUs");
    }

    #[test]
    #[should_panic(expected = "item 7")]
    fn a_panic_in_a_thread_reaches_the_caller() {
        let v: Vec<u32> = (0..64).collect();
        map(&v, 2, 1, |&x| {
            std::thread::sleep(std::time::Duration::from_millis(1));
            assert!(x != 7, "item 7");
        });
    }
}
