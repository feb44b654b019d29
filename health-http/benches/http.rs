//! Cost of the HTTP contract itself, without a server or a socket: what
//! `Endpoints::handle` adds to a framework's own request handling.
//! `bench/http.sh` measures the same cases over real HTTP; this bench
//! isolates the part that is ours from the kernel's noise.
//!
//! `cargo bench -p health-http --bench http`

use criterion::{Criterion, criterion_group, criterion_main};
use health_core::{Check, Probe, Registry};
use health_http::{Disclosure, Endpoints, Method, Request, Resource};
use std::time::Duration;

const TOKEN: &str = "bench-0123456789abcdef";

fn http(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let registry = Registry::builder()
        .without_declared()
        .checks((0..10).map(|i| {
            Check::new(format!("check-{i}"), || async {}).with_cache(Duration::from_secs(3600))
        }))
        .build()
        .expect("registry");
    rt.block_on(registry.run(Probe::Readiness)); // fill the caches
    let endpoints = Endpoints::builder(registry)
        .disclosure(Disclosure::bearer(TOKEN))
        .build()
        .expect("endpoints");

    let mut group = c.benchmark_group("http");
    let cases = [
        ("health (static)", Resource::Liveness, "/health", None, None),
        (
            "ready 10 cached, anonymous",
            Resource::Readiness,
            "/ready",
            None,
            None,
        ),
        (
            "ready 10 cached, verbose",
            Resource::Readiness,
            "/ready",
            Some("verbose"),
            Some(concat!("Bearer ", "bench-0123456789abcdef")),
        ),
    ];
    for (name, resource, path, query, authorization) in cases {
        let headers: Vec<(&str, &str)> = authorization
            .map(|a| ("authorization", a))
            .into_iter()
            .collect();
        let request = Request::new(Method::Get, path)
            .query(query)
            .headers(&headers);
        group.bench_function(name, |b| {
            b.to_async(&rt)
                .iter(|| endpoints.handle(resource, &request));
        });
    }
    group.finish();
}

criterion_group!(benches, http);
criterion_main!(benches);
