//! trybuild UI tests of `#[health_check]`: every compile error it reports,
//! pinned with its span, and expansions that must compile.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("ui/args/*.rs");
    t.compile_fail("ui/item/*.rs");
    t.pass("ui/pass/*.rs");
}
