//! Runs the benchmark programs (every `bench/programs/*.sps`: fib(35), tak(18,12,6) 1000 times,
//! a 500M-iteration loop, ctak and fibc (call/cc), deep recursion over a million-element list,
//! fib(30) on flonums, factorial of 2000 100 times with bignums) with
//! `loko --program` and, when Chez Scheme is installed as `scheme`, the same files with
//! `scheme --program`, and prints the times and the ratio (and any difference in output). Each measurement is the best of three runs of a fresh process, so start-up is
//! included for both systems.
//!
//! Usage: `cargo run --release -p loko-bench --bin codegen -- [PATH/TO/loko]` (default: the
//! release build next to this benchmark's own executable).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

fn best_of_three(command: &mut dyn FnMut() -> Command) -> Option<(Duration, String)> {
    let mut best: Option<(Duration, String)> = None;
    for _ in 0..3 {
        let start = Instant::now();
        let output = command().output().ok()?;
        let elapsed = start.elapsed();
        if !output.status.success() {
            eprintln!("  failed: {}", String::from_utf8_lossy(&output.stderr));
            return None;
        }
        let stdout = String::from_utf8_lossy(&output.stdout).trim().to_owned();
        if best.as_ref().is_none_or(|(t, _)| elapsed < *t) {
            best = Some((elapsed, stdout));
        }
    }
    best
}

fn main() {
    let loko = std::env::args()
        .nth(1)
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let me = std::env::current_exe().unwrap_or_default();
            me.with_file_name("loko")
        });
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("programs");
    let chez = Command::new("scheme").arg("--version").output().is_ok();
    if !chez {
        println!("(Chez Scheme is not installed as `scheme`: loko's times only)");
    }
    let mut programs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|entries| entries.filter_map(|e| Some(e.ok()?.path())).collect())
        .unwrap_or_default();
    programs.retain(|p| p.extension().is_some_and(|e| e == "sps"));
    programs.sort();
    for sps in programs {
        let name = sps
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let Some((loko_time, loko_out)) = best_of_three(&mut || {
            let mut c = Command::new(&loko);
            c.arg("--program").arg(&sps);
            c
        }) else {
            println!("{name:6} loko failed");
            continue;
        };
        print!(
            "{name:6} loko {:8.3} s  ({loko_out})",
            loko_time.as_secs_f64()
        );
        if chez
            && let Some((chez_time, chez_out)) = best_of_three(&mut || {
                let mut c = Command::new("scheme");
                c.arg("--program").arg(&sps);
                c
            })
        {
            print!(
                "   chez {:8.3} s  ({chez_out})   loko/chez {:.2}",
                chez_time.as_secs_f64(),
                loko_time.as_secs_f64() / chez_time.as_secs_f64()
            );
            if chez_out != loko_out {
                print!("   OUTPUTS DIFFER");
            }
        }
        println!();
    }
}
