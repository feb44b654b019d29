//! Cost of the status page family, without a server or a socket: one
//! `Endpoints::handle` per iteration, everything included (the three
//! probes' verdicts as a probe would get them, the history, rendering).
//!
//! `cargo bench -p health-http --bench ui`
//!
//! "20 checks x 60 results": 20 no-op readiness checks, uncached, each
//! with a full history of 60 results, the first of every four failing
//! with a 256-character message: a page view runs the 20 checks once (as
//! `/ready` would) and renders 1200 results. "20 cached checks": the same
//! checks cached for an hour, one result each: the page view runs nothing.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use health_core::{Check, Probe, Registry};
use health_http::{Disclosure, Endpoint, Endpoints, Method, Request};
use std::time::Duration;

fn registry(cache: Option<Duration>) -> Registry {
    Registry::builder()
        .without_declared()
        .version("1.2.3")
        .commit("abc1234")
        .checks((0..20).map(|i| {
            let check = Check::new(format!("check-{i:02}"), move || async move {
                if i % 4 == 0 {
                    Err(std::io::Error::other("x".repeat(300)))
                } else {
                    Ok(())
                }
            })
            .with_tags(["db", "external"]);
            match cache {
                Some(ttl) => check.cache(ttl),
                None => check,
            }
        }))
        .build()
        .expect("registry")
}

fn ui(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("runtime");
    let full = registry(None);
    let cached = registry(Some(Duration::from_secs(3600)));
    rt.block_on(async {
        for _ in 0..60 {
            full.run(Probe::Readiness).await;
        }
        cached.run(Probe::Readiness).await;
    });
    let open = |r: &Registry| {
        Endpoints::builder(r.clone())
            .disclosure(Disclosure::always())
            .build()
            .expect("endpoints")
    };
    let anonymous = Endpoints::new(full.clone()).expect("the default endpoints");
    let (full, cached) = (open(&full), open(&cached));

    let mut group = c.benchmark_group("ui");
    let cases = [
        (
            "page, 20 checks x 60 results",
            &full,
            Endpoint::Ui,
            "/health/ui",
        ),
        (
            "data, 20 checks x 60 results",
            &full,
            Endpoint::UiData,
            "/health/ui/data",
        ),
        ("page, anonymous", &anonymous, Endpoint::Ui, "/health/ui"),
        (
            "page, 20 cached checks",
            &cached,
            Endpoint::Ui,
            "/health/ui",
        ),
        ("badge", &anonymous, Endpoint::Badge, "/health/badge.svg"),
    ];
    for (name, endpoints, endpoint, path) in cases {
        let request = Request::new(Method::Get, path);
        let size = rt
            .block_on(endpoints.handle(endpoint, &request))
            .body()
            .len();
        eprintln!("{name}: {size} bytes");
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_function(name, |b| {
            b.to_async(&rt)
                .iter(|| endpoints.handle(endpoint, &request));
        });
    }
    group.finish();
}

criterion_group!(benches, ui);
criterion_main!(benches);
