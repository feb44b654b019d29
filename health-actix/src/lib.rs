//! actix adapter of the `health` crate (HTTP contract: see health-core).
