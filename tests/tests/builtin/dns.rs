//! Checks that resolve a host name, against a resolver that never answers
//! (inside a network namespace of the test's own, see
//! `servers::hung_resolver`): at most one lookup per check is outstanding,
//! however many runs time out, so a hung resolver holds one thread, not
//! one per probe.

use super::*;
use health_tests::servers::{HungResolver, hung_resolver};

const TIMEOUT: Duration = Duration::from_millis(300);
const RUNS: usize = 10;

/// The threads of this process.
fn threads() -> usize {
    // The registry's event delivery thread is not a lookup's.
    std::fs::read_dir("/proc/self/task")
        .unwrap()
        .filter_map(Result::ok)
        .filter(|task| {
            std::fs::read_to_string(task.path().join("comm"))
                .is_ok_and(|name| name.trim_end() != "health-events")
        })
        .count()
}

/// What `RUNS` runs of `registry`'s one check measured.
struct Measured {
    messages: Vec<String>,
    /// Threads started during the runs (and still there).
    threads: usize,
    /// DNS queries received during the first run, and during all of them.
    queries_first_run: u64,
    queries: u64,
}

/// Runs the check `RUNS` times back to back on a current-thread runtime:
/// every thread started meanwhile is one a lookup took.
fn measure(resolver: &HungResolver, registry: impl FnOnce() -> Registry) -> Measured {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let registry = {
        let _entered = runtime.enter();
        registry()
    };
    let threads_before = threads();
    let queries_before = resolver.queries();
    let mut messages = Vec::new();
    let mut queries_first_run = 0;
    for i in 0..RUNS {
        let (c, took) = runtime.block_on(run(&registry));
        assert_down_within(&c, took, TIMEOUT);
        messages.push(c.message().unwrap().to_owned());
        if i == 0 {
            queries_first_run = resolver.queries() - queries_before;
        }
    }
    // Queries of a lookup started by the last run would arrive by now.
    std::thread::sleep(Duration::from_millis(200));
    let measured = Measured {
        messages,
        threads: threads() - threads_before,
        queries_first_run,
        queries: resolver.queries() - queries_before,
    };
    // Dropping the runtime would wait for blocking tasks stuck in lookups.
    runtime.shutdown_background();
    println!(
        "{RUNS} runs: {} thread(s) started, {} DNS queries ({} in the first run)",
        measured.threads, measured.queries, measured.queries_first_run
    );
    measured
}

fn assert_one_lookup(m: &Measured) {
    assert!(
        m.threads <= 1,
        "{} threads started for {RUNS} runs",
        m.threads
    );
    assert!(m.queries_first_run > 0, "the resolver was never asked");
    assert_eq!(
        m.queries, m.queries_first_run,
        "no lookup after the first run's"
    );
    assert_eq!(
        m.messages[0],
        "timed out after 300ms while resolving db.internal"
    );
    for message in &m.messages[1..] {
        assert_eq!(
            message,
            "the DNS lookup of db.internal from a previous run has not returned yet"
        );
    }
}

#[test]
fn a_hung_resolver_holds_one_thread_per_tcp_check() {
    let Some(resolver) = hung_resolver("dns::a_hung_resolver_holds_one_thread_per_tcp_check")
        .expect("a namespace with a hung resolver (unshare, ip)")
    else {
        return;
    };
    let m = measure(&resolver, || {
        registry(health::checks::tcp("db", "db.internal:5432").with_timeout(TIMEOUT))
    });
    assert_one_lookup(&m);
}

#[test]
fn a_hung_resolver_holds_one_thread_per_postgres_check_and_no_connection() {
    let Some(resolver) =
        hung_resolver("dns::a_hung_resolver_holds_one_thread_per_postgres_check_and_no_connection")
            .expect("a namespace with a hung resolver (unshare, ip)")
    else {
        return;
    };
    let mut pool = None;
    let m = measure(&resolver, || {
        // An acquire timeout longer than the whole test: only the check's
        // timeout ends a run.
        let p = sqlx::postgres::PgPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(60))
            .connect_lazy("postgres://postgres@db.internal:5432/postgres")
            .unwrap();
        pool = Some(p.clone());
        registry(health::checks::postgres("db", p).with_timeout(TIMEOUT))
    });
    assert_one_lookup(&m);
    let pool = pool.unwrap();
    assert_eq!(pool.size(), 0, "sqlx was asked to open connections");
}
