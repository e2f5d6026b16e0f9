//! The malformed-input corpus: every `tests/reader/bad/NAME.scm` must fail to read with exactly
//! the diagnostic in `NAME.expected`. `UPDATE_EXPECT=1` rewrites the expected files.

use std::fs;
use std::path::PathBuf;

use ir::datum::Datums;
use ir::reader::read_bytes;

#[test]
fn every_bad_input_gets_its_expected_diagnostic() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/reader/bad");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut inputs: Vec<PathBuf> = fs::read_dir(&dir)
        .expect("the corpus directory exists")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "scm"))
        .collect();
    inputs.sort();
    assert!(inputs.len() >= 30, "only {} bad inputs", inputs.len());
    let mut failures = Vec::new();
    for input in &inputs {
        let name = input.file_name().and_then(|n| n.to_str()).unwrap_or("?");
        let bytes = fs::read(input).expect("a readable input");
        let mut datums = Datums::new();
        let actual = match read_bytes(name, &bytes, &mut datums) {
            Ok(_) => {
                failures.push(format!("{name}: read without error"));
                continue;
            }
            Err(diagnostic) => diagnostic.to_string(),
        };
        let expected_path = input.with_extension("expected");
        if update {
            fs::write(&expected_path, &actual).expect("writable expected file");
            continue;
        }
        let expected = fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!("{name}: expected\n{expected}\nbut got\n{actual}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
