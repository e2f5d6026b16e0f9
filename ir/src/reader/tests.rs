//! Snapshot tests of the reader: each syntax class read and written back with `write`.

use expect_test::{Expect, expect};

use crate::datum::Datums;
use crate::reader::read_str;
use crate::writer::write;

/// Reads `input` and writes each datum on its own line, or shows the diagnostic.
fn check(input: &str, expect: Expect) {
    let mut datums = Datums::new();
    let actual = match read_str("test.scm", input, &mut datums) {
        Ok(ids) => ids
            .iter()
            .map(|&id| write(&datums, id) + "\n")
            .collect::<String>(),
        Err(diagnostic) => diagnostic.to_string(),
    };
    expect.assert_eq(&actual);
}

#[test]
fn smoke() {
    check(
        "(a b . c) #(1 2) \"x\\ny\" #\\a 1.5 #e1.5 'x",
        expect![[r#"
        (a b . c)
        #(1 2)
        "x\ny"
        #\a
        1.5
        3/2
        'x
    "#]],
    );
}
