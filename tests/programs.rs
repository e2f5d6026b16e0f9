//! End-to-end programs: each `tests/programs/NAME.sps` (a Scheme program) or `NAME.sexp`
//! (CoreScheme IR text) runs through `loko --program` and, separately, through
//! `loko --compile` plus running the executable. Both runs must print
//! `NAME.out` on stdout and exit with the status in `NAME.status` (0 if absent); when
//! `NAME.err` exists, every line of it must appear in stderr. `NAME.args` holds the program's
//! arguments, one per line, `NAME.env` environment variables (`VAR=value` lines), and
//! `NAME.in` what the program reads on stdin (empty when absent). Scheme
//! programs find their libraries in `tests/programs/lib` (through `LOKO_LIBRARY_PATH`).
//!
//! The executable runs a second time in the collector's stress mode (`LOKO_GC_STRESS=1`:
//! collect at every allocation), with the same expectations. `NAME.stress` overrides the
//! value, for programs whose stack or allocation makes a collection at every allocation
//! too slow (each collection walks the whole stack).
//!
//! `tests/programs/bad/NAME.sexp` are programs the compiler must reject with a diagnostic
//! (exit status 1, every line of `NAME.err` in stderr) — never a panic.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn loko() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_loko"));
    let libraries = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/lib");
    command.env("LOKO_LIBRARY_PATH", libraries);
    command
}

struct Expected {
    stdout: String,
    status: i32,
    stderr_lines: Vec<String>,
    args: Vec<String>,
    env: Vec<(String, String)>,
    stress: String,
    stdin: Vec<u8>,
}

/// Runs `command` with `input` on its stdin, capturing stdout and stderr.
fn run_with_input(command: &mut Command, input: &[u8]) -> Output {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program starts");
    let mut stdin = child.stdin.take().expect("a piped stdin");
    // A program that does not read all of its input may exit first: a broken pipe is fine.
    let _ = stdin.write_all(input);
    drop(stdin);
    child.wait_with_output().expect("the program runs")
}

fn expected(program: &Path) -> Expected {
    let read = |ext: &str| std::fs::read_to_string(program.with_extension(ext)).ok();
    Expected {
        stdout: read("out").unwrap_or_default(),
        status: read("status").map_or(0, |s| s.trim().parse().expect("a status number")),
        stderr_lines: read("err")
            .map(|s| s.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
        args: read("args")
            .map(|s| s.lines().map(str::to_owned).collect())
            .unwrap_or_default(),
        env: read("env")
            .map(|s| {
                s.lines()
                    .filter_map(|line| line.split_once('='))
                    .map(|(k, v)| (k.to_owned(), v.to_owned()))
                    .collect()
            })
            .unwrap_or_default(),
        stress: read("stress").map_or("1".to_owned(), |s| s.trim().to_owned()),
        stdin: std::fs::read(program.with_extension("in")).unwrap_or_default(),
    }
}

fn check(how: &str, program: &Path, expected: &Expected, output: &Output) -> Vec<String> {
    let mut problems = Vec::new();
    let name = program.display();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    if stdout != expected.stdout {
        problems.push(format!(
            "{name} ({how}): stdout\n--- expected\n{}--- got\n{stdout}--- stderr\n{stderr}",
            expected.stdout
        ));
    }
    if output.status.code() != Some(expected.status) {
        problems.push(format!(
            "{name} ({how}): exit status {:?}, expected {}\n{stderr}",
            output.status, expected.status
        ));
    }
    for line in &expected.stderr_lines {
        if !stderr.contains(line.as_str()) {
            problems.push(format!("{name} ({how}): stderr lacks {line:?}:\n{stderr}"));
        }
    }
    problems
}

fn programs() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs");
    let mut programs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("tests/programs exists")
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.extension().is_some_and(|e| e == "sexp" || e == "sps"))
        .collect();
    programs.sort();
    programs
}

#[test]
fn programs_run_in_process_and_as_executables_and_under_gc_stress() {
    let out_dir = std::env::temp_dir().join(format!("loko-programs-{}", std::process::id()));
    std::fs::create_dir_all(&out_dir).expect("a temporary directory");
    let programs = programs();
    assert!(programs.len() >= 60, "the program corpus is missing");
    let mut problems = Vec::new();
    for program in &programs {
        let expected = expected(program);
        let run = run_with_input(
            loko()
                .arg("--program")
                .arg(program)
                .args(&expected.args)
                .envs(expected.env.iter().map(|(k, v)| (k, v))),
            &expected.stdin,
        );
        problems.extend(check("--program", program, &expected, &run));

        let stem = program.file_stem().expect("a file name");
        let executable = out_dir.join(stem);
        let compiled = loko()
            .arg("--compile")
            .arg(program)
            .arg("--output")
            .arg(&executable)
            .output()
            .expect("loko runs");
        if !compiled.status.success() {
            problems.push(format!(
                "{}: --compile failed: {}",
                program.display(),
                String::from_utf8_lossy(&compiled.stderr)
            ));
            continue;
        }
        let run = run_with_input(
            Command::new(&executable)
                .args(&expected.args)
                .envs(expected.env.iter().map(|(k, v)| (k, v))),
            &expected.stdin,
        );
        problems.extend(check("--compile", program, &expected, &run));
        let run = run_with_input(
            Command::new(&executable)
                .args(&expected.args)
                .envs(expected.env.iter().map(|(k, v)| (k, v)))
                .env("LOKO_GC_STRESS", &expected.stress),
            &expected.stdin,
        );
        problems.extend(check("--compile, GC stress", program, &expected, &run));
    }
    let _ = std::fs::remove_dir_all(&out_dir);
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn unsupported_programs_are_diagnostics() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/programs/bad");
    let mut count = 0;
    for entry in std::fs::read_dir(&dir).expect("tests/programs/bad exists") {
        let program = entry.expect("a directory entry").path();
        if program.extension().is_none_or(|e| e != "sexp") {
            continue;
        }
        count += 1;
        let expected = expected(&program);
        for how in ["--program", "--compile"] {
            let output = loko()
                .arg(how)
                .arg(&program)
                .arg("--output")
                .arg(std::env::temp_dir().join("loko-bad-program-never-written"))
                .output()
                .expect("loko runs");
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert_eq!(
                output.status.code(),
                Some(1),
                "{}: {stderr}",
                program.display()
            );
            for line in &expected.stderr_lines {
                assert!(
                    stderr.contains(line.as_str()),
                    "{}: {stderr}",
                    program.display()
                );
            }
        }
    }
    assert!(count >= 3);
}
