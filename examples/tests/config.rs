//! The example's configuration: who sees the status page's checks by
//! default (a browser on this machine when the service binds loopback, and
//! nobody once it binds elsewhere), and a `Debug` that shows no secret.
#![cfg(feature = "services")]

use health::http::{Method, Request, Resource};
use health_examples::{Config, LOOPBACK_NETWORKS, Service};
use std::net::IpAddr;

/// The configuration of exactly these variables (no other is set).
fn config(default_bind: &str, vars: &[(&str, &str)]) -> Config {
    Config::from_vars(default_bind, |name| {
        vars.iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| (*v).to_owned())
    })
    .expect("a valid configuration")
}

/// The check names `/health/ui/data` shows a caller from `peer`.
async fn checks_shown(service: &Service, peer: IpAddr) -> Vec<String> {
    let request = Request::new(Method::Get, "/health/ui/data").peer(Some(peer));
    let response = service.endpoints().handle(Resource::UiData, &request).await;
    let body: serde_json::Value = serde_json::from_slice(response.body()).expect("JSON");
    body["checks"]
        .as_array()
        .map(|checks| {
            checks
                .iter()
                .filter_map(|c| c["name"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

const LOCAL_V4: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);
const LOCAL_V6: IpAddr = IpAddr::V6(std::net::Ipv6Addr::LOCALHOST);
const ELSEWHERE: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(10, 1, 2, 3));

/// The default `BIND` (loopback) and no `HEALTH_NETWORKS`: a browser on
/// this machine sees every check, with no token.
#[tokio::test]
async fn bound_to_loopback_this_machine_sees_the_checks() {
    for bind in ["127.0.0.1:8080", "[::1]:8080"] {
        let config = config(bind, &[]);
        assert_eq!(config.health_networks, LOOPBACK_NETWORKS, "{bind}");
        let service = Service::new("test", config).expect("service");
        for local in [LOCAL_V4, LOCAL_V6] {
            let shown = checks_shown(&service, local).await;
            assert!(shown.contains(&"database".to_owned()), "{bind}: {shown:?}");
        }
        assert_eq!(
            checks_shown(&service, ELSEWHERE).await,
            Vec::<String>::new()
        );
    }
}

/// Bound to any other address, the default is off: nobody sees a check
/// without a token, a browser on this machine included.
#[tokio::test]
async fn bound_elsewhere_nobody_sees_the_checks_by_default() {
    for vars in [
        &[("BIND", "0.0.0.0:8080")][..],
        &[("BIND", "[::]:8080")],
        &[("BIND", "192.0.2.10:8080")],
    ] {
        let config = config("127.0.0.1:8080", vars);
        assert!(config.health_networks.is_empty(), "{vars:?}");
        let service = Service::new("test", config).expect("service");
        for peer in [LOCAL_V4, LOCAL_V6, ELSEWHERE] {
            assert_eq!(
                checks_shown(&service, peer).await,
                Vec::<String>::new(),
                "{vars:?} {peer}"
            );
        }
    }
}

/// `HEALTH_NETWORKS` replaces the loopback default: `none` turns it off (a
/// reverse proxy on this machine makes every client local), a list names
/// the networks.
#[tokio::test]
async fn health_networks_replaces_the_loopback_default() {
    let off = config("127.0.0.1:8080", &[("HEALTH_NETWORKS", "none")]);
    assert!(off.health_networks.is_empty());
    let service = Service::new("test", off).expect("service");
    assert_eq!(checks_shown(&service, LOCAL_V4).await, Vec::<String>::new());

    let listed = config("127.0.0.1:8080", &[("HEALTH_NETWORKS", " 10.0.0.0/8 ,")]);
    assert_eq!(listed.health_networks, ["10.0.0.0/8"]);
    let service = Service::new("test", listed).expect("service");
    assert_eq!(checks_shown(&service, LOCAL_V4).await, Vec::<String>::new());
    assert!(
        checks_shown(&service, ELSEWHERE)
            .await
            .contains(&"database".to_owned())
    );
}

#[test]
fn bad_values_are_named() {
    for (vars, named) in [
        (&[("BIND", "localhost")][..], "BIND=\"localhost\""),
        (&[("DRAIN_DELAY_SECS", "5s")], "DRAIN_DELAY_SECS=\"5s\""),
    ] {
        let error = Config::from_vars("127.0.0.1:8080", |name| {
            vars.iter()
                .find(|(n, _)| *n == name)
                .map(|(_, v)| (*v).to_owned())
        })
        .expect_err("refused")
        .to_string();
        assert!(error.starts_with(named), "{error}");
    }
}

/// `{:?}` of the configuration (which a service may log) shows no token
/// and no credential of a URL, and still says what is configured.
#[test]
fn debug_shows_no_secret() {
    let config = config(
        "127.0.0.1:8080",
        &[
            ("DATABASE_URL", "postgres://app:pg-hunter2@db:5432/app"),
            ("REDIS_URL", "redis://:redis-hunter2@cache:6379/0"),
            ("UPSTREAM_URL", "http://upstream/health?key=url-hunter2"),
            ("HEALTH_TOKEN", "details-hunter2-0123456789"),
            ("HEALTH_ADMIN_TOKEN", "admin-hunter2-0123456789"),
        ],
    );
    for shown in [format!("{config:?}"), format!("{config:#?}")] {
        assert!(!shown.contains("hunter2"), "{shown}");
    }
    let shown = format!("{config:?}");
    for expected in [
        "database_url: Some(\"postgres://***@db:5432/app\")",
        "redis_url: Some(\"redis://***@cache:6379/0\")",
        "upstream_url: Some(\"http://upstream/health?***\")",
        "health_token: Some(<redacted>)",
        "admin_token: Some(<redacted>)",
        "bind: 127.0.0.1:8080",
    ] {
        assert!(shown.contains(expected), "{expected} in {shown}");
    }
    let unset = format!("{:?}", self::config("127.0.0.1:8080", &[]));
    assert!(
        unset.contains("health_token: None") && unset.contains("database_url: None"),
        "{unset}"
    );
}

/// Behind an ingress, the page is opened through a name: a network rule
/// turns the DNS-rebinding guard on, and `HEALTH_ALLOWED_HOSTS` lets that
/// name in while any other name still gets 421.
#[tokio::test]
async fn allowed_hosts_let_the_ingress_name_in() {
    let page = |service: &Service, host: &'static str| {
        let endpoints = service.endpoints().clone();
        async move {
            let request = Request::new(Method::Get, "/health/ui/data")
                .peer(Some(ELSEWHERE))
                .authority(Some(host));
            endpoints.handle(Resource::UiData, &request).await.status()
        }
    };
    let networks = ("HEALTH_NETWORKS", "10.0.0.0/8");
    let guarded = Service::new("test", config("0.0.0.0:8080", &[networks])).expect("service");
    assert_eq!(page(&guarded, "status.example.internal").await, 421);
    assert_eq!(
        page(&guarded, "10.0.0.7:8080").await,
        200,
        "an address cannot be rebound"
    );
    let config = config(
        "0.0.0.0:8080",
        &[
            networks,
            (
                "HEALTH_ALLOWED_HOSTS",
                "status.example.internal, other.internal",
            ),
        ],
    );
    assert_eq!(
        config.allowed_hosts,
        ["status.example.internal", "other.internal"]
    );
    let allowed = Service::new("test", config).expect("service");
    assert_eq!(page(&allowed, "status.example.internal:443").await, 200);
    assert_eq!(page(&allowed, "attacker.example").await, 421);
}
