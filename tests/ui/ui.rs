//! trybuild UI tests of `#[health_check]`: every compile error it reports,
//! pinned with its span, and expansions that must compile. One case per
//! file: `args/` for the attribute's arguments, `item/` for the function,
//! `pass/` for what must compile.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("args/*.rs");
    t.compile_fail("item/*.rs");
    t.pass("pass/*.rs");
}
