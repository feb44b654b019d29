//! Placeholder service.
fn main() {}
