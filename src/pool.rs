//! A pool of models lent to one thread at a time, and a parallel map over batches with it.
//!
//! rust-bert models are `Send` but not `Sync`: a model stage that rayon workers call at the
//! same time keeps its copies here. [`ModelPool::map`] runs a list of batches through the
//! pool with one thread per model, each taking the next batch as it frees up, and returns
//! the results in batch order.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};

use anyhow::{anyhow, Result};

/// Models lent to one thread at a time. `T` is usually a trait object
/// (`dyn TokenClassifier`, `dyn SentenceTranslator`).
pub struct ModelPool<T: ?Sized> {
    free: Mutex<Vec<Box<T>>>,
    available: Condvar,
    size: usize,
}

impl<T: ?Sized + Send> ModelPool<T> {
    /// A pool of the given models; it must hold at least one.
    pub fn new(models: Vec<Box<T>>) -> Result<Self> {
        anyhow::ensure!(!models.is_empty(), "a model pool needs at least one model");
        Ok(ModelPool {
            size: models.len(),
            free: Mutex::new(models),
            available: Condvar::new(),
        })
    }

    /// Models in the pool, lent or not.
    pub fn size(&self) -> usize {
        self.size
    }

    /// Items per batch for `items` items and batches of at most `max`: smaller when there
    /// are too few for a batch per model, so that no model idles on a small input.
    pub fn batch_len(&self, items: usize, max: usize) -> usize {
        max.min(items.div_ceil(self.size)).max(1)
    }

    /// Waits for a free model; it returns to the pool when the lease is dropped.
    pub fn take(&self) -> Lease<'_, T> {
        let mut free = lock(&self.free);
        loop {
            if let Some(model) = free.pop() {
                return Lease {
                    pool: self,
                    model: Some(model),
                };
            }
            free = self.available.wait(free).unwrap_or_else(|e| e.into_inner());
        }
    }

    /// `run` over every batch, in order with one model, else on one rayon task per model
    /// (each takes the next batch as it frees up, so pass the longest first). Results come
    /// back in batch order. After a batch fails, the tasks take no new batches and the
    /// first error (in batch order) is returned.
    pub fn map<B, O>(
        &self,
        batches: &[B],
        run: impl Fn(&mut T, &B) -> Result<O> + Sync,
    ) -> Result<Vec<O>>
    where
        B: Sync,
        O: Send,
    {
        if self.size <= 1 || batches.len() <= 1 {
            let mut model = self.take();
            return batches.iter().map(|b| run(model.get(), b)).collect();
        }
        let next = AtomicUsize::new(0);
        let failed = std::sync::atomic::AtomicBool::new(false);
        let results: Vec<Mutex<Option<Result<O>>>> =
            batches.iter().map(|_| Mutex::new(None)).collect();
        rayon::scope(|scope| {
            for _ in 0..self.size.min(batches.len()) {
                scope.spawn(|_| {
                    let mut model = self.take();
                    while !failed.load(Ordering::Relaxed) {
                        let i = next.fetch_add(1, Ordering::Relaxed);
                        let Some(batch) = batches.get(i) else { break };
                        let out = run(model.get(), batch);
                        if out.is_err() {
                            failed.store(true, Ordering::Relaxed);
                        }
                        *lock(&results[i]) = Some(out);
                    }
                });
            }
        });
        results
            .into_iter()
            .map(|r| {
                r.into_inner()
                    .unwrap_or_else(|e| e.into_inner())
                    .unwrap_or_else(|| {
                        Err(anyhow!("a batch was not run (an earlier batch failed)"))
                    })
            })
            .collect()
    }
}

/// A model taken from a [`ModelPool`]; it goes back when dropped.
pub struct Lease<'p, T: ?Sized> {
    pool: &'p ModelPool<T>,
    model: Option<Box<T>>,
}

impl<T: ?Sized> Lease<'_, T> {
    pub fn get(&mut self) -> &mut T {
        self.model.as_deref_mut().expect("leased model")
    }
}

impl<T: ?Sized> Drop for Lease<'_, T> {
    fn drop(&mut self) {
        if let Some(model) = self.model.take() {
            lock(&self.pool.free).push(model);
            self.pool.available.notify_one();
        }
    }
}

fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    trait Doubler: Send {
        fn run(&mut self, x: i32) -> Result<i32>;
    }

    struct Counting(usize);

    impl Doubler for Counting {
        fn run(&mut self, x: i32) -> Result<i32> {
            self.0 += 1;
            anyhow::ensure!(x >= 0, "negative input {x}");
            Ok(2 * x)
        }
    }

    fn pool(n: usize) -> ModelPool<dyn Doubler> {
        ModelPool::new(
            (0..n)
                .map(|_| Box::new(Counting(0)) as Box<dyn Doubler>)
                .collect(),
        )
        .unwrap()
    }

    #[test]
    fn results_come_back_in_batch_order_with_any_pool_size() {
        let batches: Vec<i32> = (0..50).collect();
        let want: Vec<i32> = batches.iter().map(|x| 2 * x).collect();
        for n in [1, 2, 3, 8] {
            let rayon = rayon::ThreadPoolBuilder::new()
                .num_threads(4)
                .build()
                .unwrap();
            let got = rayon
                .install(|| pool(n).map(&batches, |m, &b| m.run(b)))
                .unwrap();
            assert_eq!(got, want, "pool of {n}");
        }
    }

    #[test]
    fn a_failed_batch_is_reported_and_every_model_returns_to_the_pool() {
        let p = pool(2);
        let batches = [1, 2, -3, 4, 5, 6];
        let err = p.map(&batches, |m, &b| m.run(b)).unwrap_err();
        assert!(err.to_string().contains("negative input -3"), "{err}");
        let (a, b) = (p.take(), p.take());
        drop((a, b));
    }

    #[test]
    fn small_inputs_are_cut_so_every_model_gets_a_batch() {
        let p = pool(2);
        assert_eq!(p.batch_len(16, 16), 8);
        assert_eq!(p.batch_len(17, 16), 9);
        assert_eq!(p.batch_len(100, 16), 16);
        assert_eq!(p.batch_len(1, 16), 1);
        assert_eq!(p.batch_len(0, 16), 1);
        assert_eq!(pool(1).batch_len(5, 16), 5);
    }

    #[test]
    fn an_empty_pool_is_refused() {
        assert!(ModelPool::<dyn Doubler>::new(Vec::new()).is_err());
    }
}
