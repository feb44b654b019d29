//! Cost of the runner per check: N no-op checks run through a registry
//! (concurrently, each under its timeout, with panic isolation and single
//! flight) against a baseline that awaits the same boxed futures one after
//! another; and the same registry keeping no history (`history(0)`), to
//! show what recording each result costs.
//!
//! `cargo bench -p health-core --bench runner`; criterion reports time per
//! iteration and, through the throughput, checks per second.

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use health_core::{Check, Outcome, Probe, Registry};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

type Boxed = Pin<Box<dyn Future<Output = Outcome> + Send>>;

fn runner(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let mut group = c.benchmark_group("runner");
    for n in [1_usize, 10, 100, 1000] {
        group.throughput(Throughput::Elements(n as u64));

        for (name, history) in [("registry-without-history", 0), ("registry", 60)] {
            let registry = Registry::builder()
                .without_declared()
                .history_capacity(history)
                .checks((0..n).map(|i| Check::new(format!("check-{i}"), || async {})))
                .build()
                .expect("registry");
            group.bench_with_input(BenchmarkId::new(name, n), &registry, |b, registry| {
                b.to_async(&rt).iter(|| registry.run(Probe::Readiness));
            });
        }

        let fns: Vec<Arc<dyn Fn() -> Boxed + Send + Sync>> = (0..n)
            .map(|_| Arc::new(|| Box::pin(async { Outcome::up() }) as Boxed) as _)
            .collect();
        group.bench_with_input(
            BenchmarkId::new("sequential-baseline", n),
            &fns,
            |b, fns| {
                b.to_async(&rt).iter(|| async {
                    let mut up = 0;
                    for f in fns {
                        up += usize::from(f().await.status().is_serving());
                    }
                    up
                });
            },
        );
    }
    group.finish();
}

criterion_group!(benches, runner);
criterion_main!(benches);
