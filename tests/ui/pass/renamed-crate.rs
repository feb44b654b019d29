//! `crate = "..."`: the expansion reaches the runtime only through the given
//! path. `::health` names this crate here, which has no `__private`, so any
//! direct use of `::health` in the expansion would fail to compile.

pub extern crate health as real_health;
extern crate self as health;

mod platform {
    pub use real_health as checks;
}

mod checks {
    pub struct Pool;

    #[real_health::health_check(crate = "crate::platform::checks", timeout = "200ms")]
    async fn database(pool: &Pool) -> Result<(), std::io::Error> {
        let _ = pool;
        Ok(())
    }

    #[real_health::health_check(crate = "real_health", interval = "10s")]
    fn disk_space() -> bool {
        true
    }

    #[real_health::health_task(crate = "crate::platform::checks", stall_after = "30s")]
    async fn consumer(pool: &Pool, heartbeat: real_health::Heartbeat) -> Result<(), String> {
        let _ = pool;
        heartbeat.tick();
        Ok(())
    }
}

fn main() {}
