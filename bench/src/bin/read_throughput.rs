//! Reader throughput: generates about 10 MB of Scheme source (definitions with nested lists,
//! symbols, integers, decimals, strings, characters, vectors and comments), reads it with the
//! reader and prints MB/s. Run with `cargo run --release -p loko-bench --bin read_throughput`.
//!
//! The generator is seeded, so every run reads the same text; the best of several runs is
//! reported to reduce noise from the machine.

use std::fmt::Write as _;
use std::time::Instant;

use ir::datum::Datums;
use ir::reader::read_str;

const TARGET_BYTES: usize = 10 * 1024 * 1024;
const RUNS: usize = 5;

fn main() {
    let source = generate(TARGET_BYTES);
    let mut best = f64::INFINITY;
    let mut datum_count = 0;
    let mut arena_size = 0;
    for _ in 0..RUNS {
        let mut datums = Datums::new();
        let start = Instant::now();
        let result = read_str("generated.scm", &source, &mut datums);
        let seconds = start.elapsed().as_secs_f64();
        match result {
            Ok(ids) => {
                datum_count = ids.len();
                arena_size = datums.len();
            }
            Err(diagnostic) => {
                eprintln!("the generated source does not read:\n{diagnostic}");
                std::process::exit(1);
            }
        }
        best = best.min(seconds);
    }
    let megabytes = source.len() as f64 / 1e6;
    println!(
        "read {megabytes:.1} MB ({datum_count} top-level datums, {arena_size} in all) in {:.1} ms: \
         {:.0} MB/s (best of {RUNS})",
        best * 1e3,
        megabytes / best
    );
}

/// A small seeded PRNG (SplitMix64).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const NAMES: &[&str] = &[
    "define",
    "lambda",
    "let",
    "let*",
    "if",
    "cond",
    "else",
    "car",
    "cdr",
    "cons",
    "list",
    "vector-ref",
    "string-append",
    "call-with-current-continuation",
    "x",
    "y",
    "acc",
    "loop",
    "hash-table-update!/default",
    "<=",
    "+",
    "-",
    "...",
    "->string",
    "fx+",
    "bytevector-u8-ref",
];

/// Generates Scheme source of about `size` bytes, in top-level `define` forms.
fn generate(size: usize) -> String {
    let mut rng = Rng(0x00be_ac00_0000_0001);
    let mut out = String::with_capacity(size + 4096);
    let mut n = 0;
    while out.len() < size {
        if n % 4 == 0 {
            let _ = writeln!(out, ";; definition number {n}: a line comment");
        }
        if n % 50 == 0 {
            out.push_str("#| a block comment\n   spanning lines |#\n");
        }
        let _ = write!(out, "(define (proc-{n} a b)\n  ");
        expression(&mut rng, &mut out, 4);
        out.push_str(")\n\n");
        n += 1;
    }
    out
}

fn expression(rng: &mut Rng, out: &mut String, depth: u32) {
    let choice = if depth == 0 {
        rng.below(7)
    } else {
        rng.below(10)
    };
    match choice {
        0 | 1 => out.push_str(NAMES[rng.below(NAMES.len() as u64) as usize]),
        2 => {
            let _ = write!(out, "{}", rng.below(100_000) as i64 - 50_000);
        }
        3 => {
            let _ = write!(out, "{:.3}", (rng.below(1_000_000) as f64) / 7.0);
        }
        4 => {
            let _ = write!(
                out,
                "\"string {} with \\\"escapes\\\"\\n\"",
                rng.below(1000)
            );
        }
        5 => out.push_str(["#\\a", "#\\space", "#\\x41", "#t", "#f"][rng.below(5) as usize]),
        6 => {
            let _ = write!(out, "'sym-{}", rng.below(500));
        }
        7 => {
            out.push_str("#(");
            for i in 0..rng.below(4) {
                if i > 0 {
                    out.push(' ');
                }
                expression(rng, out, depth - 1);
            }
            out.push(')');
        }
        _ => {
            out.push('(');
            out.push_str(NAMES[rng.below(NAMES.len() as u64) as usize]);
            for _ in 0..1 + rng.below(4) {
                out.push(if rng.below(4) == 0 { '\n' } else { ' ' });
                expression(rng, out, depth - 1);
            }
            out.push(')');
        }
    }
}
