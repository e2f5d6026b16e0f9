//! The framework's compile errors, as a pass or language author meets them: each file in
//! `compile_fail/` must fail to build with the message in its `.stderr` file. Regenerate the
//! messages with `TRYBUILD=overwrite cargo test -p passes --test compile_fail` and read them.

#[test]
fn framework_errors_are_clear() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/compile_fail/*.rs");
}
