//! What a [`Heartbeat`] costs on a task's hot loop: `tick()` (a clock
//! read and an atomic store), `progress(1)` (and an atomic add), and the
//! TTL check's read. `cargo bench -p health-core --bench heartbeat`.

use criterion::{Criterion, criterion_group, criterion_main};
use health_core::Check;
use std::hint::black_box;
use std::time::Duration;

fn heartbeat(c: &mut Criterion) {
    let (_check, heartbeat) = Check::ttl("consumer", Duration::from_secs(30));
    c.bench_function("heartbeat/tick", |b| {
        b.iter(|| black_box(&heartbeat).tick())
    });
    c.bench_function("heartbeat/progress", |b| {
        b.iter(|| black_box(&heartbeat).progress(black_box(1)))
    });
    c.bench_function("heartbeat/since_last", |b| {
        b.iter(|| black_box(black_box(&heartbeat).since_last()))
    });
}

criterion_group!(benches, heartbeat);
criterion_main!(benches);
