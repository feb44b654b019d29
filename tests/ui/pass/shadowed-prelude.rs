//! The expansion names std and runtime items by absolute paths: user items
//! called `Result`, `Option`, `Box`, `Clone`, `Send` change nothing.
#![allow(dead_code)]

pub mod checks {
    use health::{health_check, health_task};

    pub enum Result<T> {
        Fine(T),
    }
    pub enum Option {
        Nothing,
    }
    pub struct Box;
    pub trait Clone {}
    pub trait Send {}
    pub struct Vec;
    pub struct String;
    pub fn drop() {}
    #[allow(unused_macros)]
    macro_rules! file {
        () => {
            0
        };
    }
    #[allow(unused_macros)]
    macro_rules! line {
        () => {
            "nope"
        };
    }

    pub struct Pool;

    #[health_check]
    async fn database(pool: &Pool) -> core::result::Result<(), std::io::Error> {
        let _ = pool;
        Ok(())
    }

    #[health_check]
    fn disk_space(pool: &Pool) -> bool {
        let _ = pool;
        true
    }

    #[health_task(stall_after = "1s")]
    async fn consumer(
        pool: &Pool,
        heartbeat: health::Heartbeat,
    ) -> core::result::Result<(), std::io::Error> {
        let _ = pool;
        heartbeat.tick();
        core::result::Result::Ok(())
    }
}

fn main() {}
