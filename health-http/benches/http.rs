//! Cost of the HTTP contract itself, without a server or a socket: what
//! `health_core::http::handle` adds to a framework's own request handling.
//! `bench/http.sh` measures the same cases over real HTTP; this bench
//! isolates the part that is ours from the kernel's noise.
//!
//! `cargo bench -p health-core --bench http`

use criterion::{Criterion, criterion_group, criterion_main};
use health_core::http::{self, Details, Endpoint, Method, Request};
use health_core::{Check, Probe, Registry};
use std::time::Duration;

fn http(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let registry = Registry::builder()
        .without_declared()
        .details(Details::bearer("s3cret"))
        .checks((0..10).map(|i| {
            Check::new(format!("check-{i}"), || async {}).cache(Duration::from_secs(3600))
        }))
        .build()
        .expect("registry");
    rt.block_on(registry.check(Probe::Readiness)); // fill the caches

    let mut group = c.benchmark_group("http");
    let cases = [
        ("health (static)", Endpoint::Liveness, "/health", None, None),
        (
            "ready 10 cached, anonymous",
            Endpoint::Readiness,
            "/ready",
            None,
            None,
        ),
        (
            "ready 10 cached, verbose",
            Endpoint::Readiness,
            "/ready",
            Some("verbose"),
            Some("Bearer s3cret"),
        ),
    ];
    for (name, endpoint, path, query, authorization) in cases {
        let request = Request::new(Method::Get, path)
            .query(query)
            .authorization(authorization);
        group.bench_function(name, |b| {
            b.to_async(&rt)
                .iter(|| http::handle(&registry, endpoint, &request));
        });
    }
    group.finish();
}

criterion_group!(benches, http);
criterion_main!(benches);
