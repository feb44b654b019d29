//! TTL checks (`Check::ttl`): readiness follows the heartbeat the
//! application pushes: 503 once it is silent past its TTL or failed, 200
//! again after the next touch (within a quarter of the TTL: the check
//! runs in the background at that interval).

use crate::support::{build, builder, disclose, ready_becomes};
use health::Check;
use health::http::Disclosure;
use health_tests::client::Response;
use std::time::{Duration, Instant};

conformance! {
    /// Silent past the TTL: 503 with "no heartbeat for"; touched: 200,
    /// with the progress count; failed: 503 with the message.
    async fn a_ttl_check_follows_its_heartbeat(adapter) {
        let (check, heartbeat) = Check::ttl("consumer", Duration::from_millis(300));
        let registry = build(builder().check(check));
        let server = adapter.spawn(disclose(registry, Disclosure::always())).await;
        heartbeat.progress(3);
        let consumer = |r: &Response| r.json()["components"]["consumer"].clone();
        // The count, from the first background run after the touch.
        let deadline = Instant::now() + Duration::from_secs(2);
        while consumer(&ready_becomes(&server, 200).await)["observed_value"] != 3 {
            assert!(Instant::now() < deadline, "the progress count never shown");
            tokio::time::sleep(Duration::from_millis(10)).await;
        }

        // Silent for longer than the TTL.
        tokio::time::sleep(Duration::from_millis(400)).await;
        let r = ready_becomes(&server, 503).await;
        let message = consumer(&r)["message"].as_str().map(str::to_owned);
        assert!(message.as_deref().is_some_and(|m| m.starts_with("no heartbeat for ")), "{message:?}");

        heartbeat.tick();
        ready_becomes(&server, 200).await;
        heartbeat.fail("broker refused the subscription");
        let r = ready_becomes(&server, 503).await;
        assert_eq!(consumer(&r)["message"], "broker refused the subscription");
        heartbeat.tick();
        ready_becomes(&server, 200).await;
    }
}
