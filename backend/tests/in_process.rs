//! Running images inside the current process with the loader.

mod common;

use std::process::Command;

use backend::{LoadedImage, Outcome, run_image};
use common::{Addressing, Ending, HELLO, program};

/// Set in the child process that [`hello_world_writes_to_stdout`] starts.
const CHILD: &str = "LOKO_BACKEND_TEST_CHILD";
/// Printed by the child before running the program, to separate the test
/// harness's own output from the program's.
const MARKER: &str = "--- program output ---\n";

#[test]
fn hello_world_writes_to_stdout() {
    if std::env::var_os(CHILD).is_some() {
        // The child: run the program with stdout being the real fd 1.
        use std::io::Write;
        print!("{MARKER}");
        std::io::stdout().flush().expect("flushes");
        let image = program(HELLO, 1, Addressing::RipRelative, Ending::Exit(0));
        match run_image(&image).expect("loads") {
            Outcome::Exited(status) => std::process::exit(status),
            other => panic!("unexpected outcome {other:?}"),
        }
    }
    // The parent: re-run this test alone in a child, whose stdout we read.
    let output = Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "hello_world_writes_to_stdout",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD, "1")
        .output()
        .expect("runs the child");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let (_, program_output) = stdout
        .split_once(MARKER)
        .expect("the child printed the marker");
    assert_eq!(program_output, HELLO);
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn exit_returns_control_to_the_host() {
    let image = program("", 2, Addressing::ThroughRelocatedPointer, Ending::Exit(3));
    assert_eq!(run_image(&image), Ok(Outcome::Exited(3)));
    // Callee-saved registers survived the jump: we are still running, and
    // can run again.
    assert_eq!(run_image(&image), Ok(Outcome::Exited(3)));
}

#[test]
fn a_returning_entry_reports_its_value() {
    let image = program(
        "",
        2,
        Addressing::RipRelative,
        Ending::Return(0x1234_5678_9abc),
    );
    assert_eq!(run_image(&image), Ok(Outcome::Returned(0x1234_5678_9abc)));
}

#[test]
fn code_is_never_writable() {
    let image = program(HELLO, 1, Addressing::RipRelative, Ending::Exit(0));
    let loaded = LoadedImage::map(&image).expect("maps");
    let code = loaded.code_range();
    let maps = std::fs::read_to_string("/proc/self/maps").expect("reads /proc/self/maps");
    let perms = maps
        .lines()
        .find_map(|line| {
            let (range, rest) = line.split_once(' ')?;
            let (start, end) = range.split_once('-')?;
            let start = u64::from_str_radix(start, 16).ok()?;
            let end = u64::from_str_radix(end, 16).ok()?;
            (start <= code.start && code.end <= end).then(|| rest[..4].to_owned())
        })
        .expect("the code is mapped");
    assert_eq!(perms, "r-xp");
}
