//! HTTP conformance: health-core's HTTP contract (DESIGN.md, "HTTP
//! contract") checked over real HTTP on 127.0.0.1 against every adapter.
//!
//! Each case is written once, as `async fn case(adapter: Adapter)`, inside
//! [`conformance!`], which turns it into one test per adapter:
//! `<module>::axum::<case>`, `<module>::actix::<case>` and
//! `<module>::tower::<case>` (the tower service on a dedicated probe
//! listener). Requests go
//! through the raw client of `health_tests::client`, so hostile targets
//! reach the server byte for byte.

/// Defines shared cases and a `#[tokio::test]` per case and adapter.
macro_rules! conformance {
    ($(
        $(#[doc = $doc:literal])*
        $(#[ignore = $ignore:literal])?
        async fn $name:ident($adapter:ident) $body:block
    )*) => {
        $(
            $(#[doc = $doc])*
            async fn $name($adapter: $crate::support::Adapter) $body
        )*

        mod axum {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                $(#[ignore = $ignore])?
                async fn $name() {
                    super::$name($crate::support::Adapter::Axum).await;
                }
            )*
        }

        mod actix {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                $(#[ignore = $ignore])?
                async fn $name() {
                    super::$name($crate::support::Adapter::Actix).await;
                }
            )*
        }

        mod tower {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                $(#[ignore = $ignore])?
                async fn $name() {
                    super::$name($crate::support::Adapter::Tower).await;
                }
            )*
        }
    };
}

mod adapters;
mod added;
mod balancers;
mod deadline;
mod details;
mod endpoints;
mod hostile;
mod hosts;
mod lifecycle;
mod methods;
mod paths;
mod proxies;
mod query;
mod runtime;
mod signals;
mod support;
mod tasks;
mod ttl;
mod ui;
