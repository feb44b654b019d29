//! trybuild UI tests of `#[health_check]` and `#[health_task]`: every
//! compile error they report, pinned with its span, and expansions that
//! must compile. One case per file: `args/` for `#[health_check]`'s
//! arguments, `item/` for its function, `task/` for `#[health_task]`'s
//! arguments and function, `pass/` for what must compile.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("args/*.rs");
    t.compile_fail("item/*.rs");
    t.compile_fail("task/*.rs");
    t.pass("pass/*.rs");
}
