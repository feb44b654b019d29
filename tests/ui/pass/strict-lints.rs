//! The expansion compiles under strict crate lints: no `unsafe` of its own
//! that `forbid(unsafe_code)` would reject, nothing public, nothing unused.
#![forbid(unsafe_code)]
#![deny(
    warnings,
    missing_docs,
    unreachable_pub,
    unused,
    unused_qualifications,
    unused_results,
    rust_2018_idioms,
    non_snake_case,
    non_upper_case_globals,
    trivial_casts,
    single_use_lifetimes
)]

/// A connection pool.
pub struct Pool;

/// The state.
pub struct Client<'a>(pub &'a str);

/// A check.
#[health::health_check(timeout = "100ms")]
pub async fn database(pool: &Pool, client: &Client<'_>) -> Result<(), std::io::Error> {
    let _ = (pool, client);
    Ok(())
}

/// A blocking check.
#[health::health_check]
pub fn disk_space() -> bool {
    true
}

fn main() {}
