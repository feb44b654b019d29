//! Checks in a private nested module: sync and async, with state
//! parameters, returning every kind of result.
#![allow(dead_code)]

mod app {
    mod checks {
        use health::{IntoOutcome, Observed, Outcome, health_check};
        use std::fmt;

        pub struct Pool;
        pub struct Client<'a>(&'a str);
        pub struct Config;

        #[derive(Debug)]
        pub struct CheckError;
        impl fmt::Display for CheckError {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("check failed")
            }
        }

        #[health_check]
        fn unit() {}

        #[health_check(probe = "liveness")]
        async fn unit_async() {}

        #[health_check(timeout = "250ms", critical = false)]
        fn boolean(pool: &Pool, config: &Config) -> bool {
            let _ = (pool, config);
            true
        }

        #[health_check(tags = ["db", "sql"], cache = "5s", cache_failure = "1s")]
        async fn result(pool: &Pool) -> Result<(), CheckError> {
            let _ = pool;
            Ok(())
        }

        #[health_check(name = "result.observed", interval = "30s", failure_threshold = 3)]
        fn result_observed(config: &Config) -> Result<Observed, std::io::Error> {
            let _ = config;
            Ok(Observed::new(42, "MiB"))
        }

        #[health_check(probes = ["readiness", "startup"])]
        async fn outcome<'a>(client: &'a Client<'a>, pool: &Pool) -> Outcome {
            let _ = pool;
            Outcome::degraded(client.0.to_owned())
        }

        #[health_check(timeout = "1.5s")]
        async fn observed() -> Observed {
            Observed::without_unit(7)
        }

        #[health_check]
        fn opaque() -> impl IntoOutcome {
            true
        }

        #[health_check]
        async fn r#type() -> Result<Result<Observed, CheckError>, String> {
            Ok(Ok(Observed::without_unit("x")))
        }
    }
}

fn main() {}
