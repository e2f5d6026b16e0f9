//! The one helper pass tests call: parse the input language, run the pass, verify and print.

use expect_test::Expect;
use ir::nanopass::{Ir, Pass};

/// Runs pass `P` on `input` (IR text of its input language) and compares the input and output,
/// as printed, with `expected`. Both sides must pass the verifier.
pub fn check_pass<P: Pass + Default>(input: &str, expected: Expect) {
    let tree = P::Input::parse(input).unwrap_or_else(|e| panic!("input does not parse: {e}"));
    if let Err(errors) = tree.verify() {
        panic!("input does not verify: {errors:?}");
    }
    let before = tree.print();
    let after = P::default().run(tree);
    if let Err(errors) = after.verify() {
        panic!(
            "output of {} does not verify: {errors:?}\n{}",
            P::NAME,
            after.print()
        );
    }
    expected.assert_eq(&format!("{before}\n=> {}\n{}\n", P::NAME, after.print()));
}
