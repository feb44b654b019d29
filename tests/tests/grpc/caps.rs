//! The caps on open watches: a client past one gets `RESOURCE_EXHAUSTED`
//! (naming the cap, never a count) while every other call, open watch and
//! connection is served; a watch given back makes room.

use crate::checks::{builder, up};
use crate::grpc_support::{BOUND, Client, eventually, serve};
use health::Registry;
use health::tonic::proto::ServingStatus::{NotServing, ServiceUnknown, Serving};
use health::tonic::{DEFAULT_MAX_WATCHES, HealthServer, HealthServerBuilder};
use std::time::Duration;
use tonic::Code;

fn registry() -> Registry {
    builder().check(up("db")).build().unwrap()
}

/// A refused `Watch`, with the message it must carry.
#[track_caller]
fn refused(result: Result<crate::grpc_support::Watch, tonic::Status>, message: &str) {
    let Err(status) = result else {
        panic!("the Watch was accepted, past the cap ({message})");
    };
    assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
    assert_eq!(status.message(), message);
}

async fn served(builder: HealthServerBuilder) -> crate::grpc_support::Served {
    serve(builder.components(true).build().unwrap()).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_cap_on_one_connection() {
    let registry = registry();
    let server =
        served(HealthServer::builder(registry.clone()).max_watches_per_connection(2)).await;
    let mut a = server.client().await;
    let mut whole = a.watch("").await;
    assert_eq!(whole.expect(BOUND).await, Serving);
    let mut db = a.watch("db").await;
    assert_eq!(db.expect(BOUND).await, Serving);
    refused(
        a.try_watch("liveness").await,
        "too many open watches on this connection",
    );
    // The same client's other calls and open watches are served...
    assert_eq!(a.status("db").await, Serving);
    assert_eq!(a.list().await.unwrap()["db"], Serving);
    registry.set_maintenance("reindexing", Duration::from_secs(60));
    assert_eq!(whole.expect(BOUND).await, NotServing);
    registry.clear_maintenance();
    assert_eq!(whole.expect(BOUND).await, Serving);
    // ...and so is everybody else.
    let mut b = server.client().await;
    let mut live = b.watch("liveness").await;
    assert_eq!(live.expect(BOUND).await, Serving);
    // A watch given back (the client cancels) makes room.
    drop(db);
    eventually(BOUND, "the cancelled watch is given back", || {
        server.health.open_watches() == 2
    })
    .await;
    let mut again = a.watch("db").await;
    assert_eq!(again.expect(BOUND).await, Serving);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn past_the_cap_in_total() {
    let server = served(HealthServer::builder(registry()).max_watches(3)).await;
    let mut clients: Vec<Client> = Vec::new();
    let mut watches = Vec::new();
    for service in ["", "db", "nope"] {
        let mut client = server.client().await;
        let mut watch = client.watch(service).await;
        watch.expect(BOUND).await;
        watches.push(watch);
        clients.push(client);
    }
    assert_eq!(server.health.open_watches(), 3);
    let mut late = server.client().await;
    refused(
        late.try_watch("db").await,
        "too many open watches on this server",
    );
    refused(
        clients[0].try_watch("db").await,
        "too many open watches on this server",
    );
    // Check and List are not watches: served.
    assert_eq!(late.status("db").await, Serving);
    assert_eq!(late.list().await.unwrap().len(), 5);
    watches.pop();
    eventually(BOUND, "the dropped watch is given back", || {
        server.health.open_watches() == 2
    })
    .await;
    assert_eq!(late.watch("db").await.expect(BOUND).await, Serving);
}

/// A `Watch` of an unknown name stays open (the protocol asks it) though
/// nothing will follow: a small cap of its own bounds them, and known
/// names are still watched.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unknown_names_have_a_small_cap_of_their_own() {
    let server = served(HealthServer::builder(registry()).max_unknown_watches(2)).await;
    let mut a = server.client().await;
    let mut b = server.client().await;
    let mut first = a.watch("nope").await;
    assert_eq!(first.expect(BOUND).await, ServiceUnknown);
    let mut second = b.watch("other").await;
    assert_eq!(second.expect(BOUND).await, ServiceUnknown);
    refused(
        b.try_watch("third").await,
        "too many open watches of unknown services",
    );
    let mut known = b.watch("db").await;
    assert_eq!(known.expect(BOUND).await, Serving);
    second.stays_quiet(Duration::from_millis(200)).await;
}

/// The defaults: a cap in total, per connection and for unknown names.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn capped_by_default() {
    assert_eq!(DEFAULT_MAX_WATCHES, 1000);
    let server = serve(HealthServer::new(registry()).unwrap()).await;
    let mut client = server.client().await;
    let mut open = Vec::new();
    for _ in 0..health::tonic::DEFAULT_MAX_WATCHES_PER_CONNECTION {
        open.push(client.watch("").await);
    }
    refused(
        client.try_watch("").await,
        "too many open watches on this connection",
    );
    let mut other = server.client().await;
    let mut unknown = Vec::new();
    for i in 0..health::tonic::DEFAULT_MAX_UNKNOWN_WATCHES {
        let mut watch = other.watch(&format!("nope-{i}")).await;
        assert_eq!(watch.expect(BOUND).await, ServiceUnknown);
        unknown.push(watch);
        if unknown.len() % 8 == 0 {
            // Per connection too: spread them.
            other = server.client().await;
        }
    }
    refused(
        other.try_watch("nope").await,
        "too many open watches of unknown services",
    );
}
