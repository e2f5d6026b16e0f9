//! The run-time numeric tower against an independent oracle: random exact integers (around the
//! fixnum boundary, and up to a few hundred bits) and doubles (any bit pattern) combined by the
//! arithmetic operations in a
//! generated Scheme program, whose output `loko --program` and a compiled executable must
//! match the results `num-bigint`/`num-rational` compute (the compile-time tower, `ir::number`,
//! prints them). Seeded, so a failure reproduces.

#[path = "../ir/tests/prng/mod.rs"]
mod prng;

use ir::number::Number;
use num_bigint::{BigInt, Sign};
use num_rational::BigRational;
use num_traits::{Signed, Zero};
use prng::Rng;
use std::fmt::Write;
use std::process::Command;

/// A random exact integer: small, near a fixnum limit (±2^60) or a limb boundary (2^64), or
/// large, with a random sign.
fn integer(rng: &mut Rng) -> BigInt {
    let magnitude = match rng.below(6) {
        0 => BigInt::from(rng.below(1000)),
        1 => (BigInt::from(1) << 60) + BigInt::from(rng.below(5)) - 2,
        2 => (BigInt::from(1) << 64) + BigInt::from(rng.below(5)) - 2,
        _ => {
            let limbs: Vec<u32> = (0..1 + rng.below(10)).map(|_| rng.next() as u32).collect();
            BigInt::from_slice(Sign::Plus, &limbs)
        }
    };
    if rng.below(2) == 0 {
        -magnitude
    } else {
        magnitude
    }
}

fn truncated_modulo(a: &BigInt, b: &BigInt) -> BigInt {
    let r = a % b;
    if !r.is_zero() && r.is_negative() != b.is_negative() {
        r + b
    } else {
        r
    }
}

fn boolean(b: bool) -> String {
    if b { "#t" } else { "#f" }.to_owned()
}

/// A random finite double: any bit pattern (so subnormals and huge values too), or a small
/// integer-valued one.
fn double(rng: &mut Rng) -> f64 {
    loop {
        let x = if rng.below(3) == 0 {
            rng.below(100) as f64 - 50.0
        } else {
            f64::from_bits(rng.next())
        };
        if x.is_finite() {
            return x;
        }
    }
}

/// A case of flonum arithmetic (inline in generated code, or mixed with a fixnum).
fn flonum_case(rng: &mut Rng) -> (String, String) {
    let (x, y) = (double(rng), double(rng));
    let n = rng.below(2000) as i64 - 1000;
    let show = |x: f64| Number::Flonum(x).to_string();
    let (sx, sy) = (show(x), show(y));
    match rng.below(6) {
        0 => (format!("(+ {sx} {sy})"), show(x + y)),
        1 => (format!("(- {sx} {n})"), show(x - n as f64)),
        2 => (format!("(* {n} {sy})"), show(n as f64 * y)),
        3 => (format!("(/ {sx} {sy})"), show(x / y)),
        4 => (
            format!("(list (< {sx} {sy}) (= {sx} {sx}) (>= {sx} {sy}))"),
            format!("({} #t {})", boolean(x < y), boolean(x >= y)),
        ),
        _ => (format!("(string->number (number->string {sx}))"), show(x)),
    }
}

/// One `(write EXPR)` line of the program and the text it must print.
fn case(rng: &mut Rng) -> (String, String) {
    if rng.below(5) == 0 {
        return flonum_case(rng);
    }
    let (a, b) = (integer(rng), integer(rng));
    let show = |n: &BigInt| Number::integer(n.clone()).to_string();
    let nonzero_b = if b.is_zero() {
        BigInt::from(7)
    } else {
        b.clone()
    };
    let (sa, sb, snz) = (show(&a), show(&b), show(&nonzero_b));
    match rng.below(19) {
        0 => (format!("(+ {sa} {sb})"), show(&(&a + &b))),
        1 => (format!("(- {sa} {sb})"), show(&(&a - &b))),
        2 => (format!("(* {sa} {sb})"), show(&(&a * &b))),
        3 => (format!("(quotient {sa} {snz})"), show(&(&a / &nonzero_b))),
        4 => (format!("(remainder {sa} {snz})"), show(&(&a % &nonzero_b))),
        5 => (
            format!("(modulo {sa} {snz})"),
            show(&truncated_modulo(&a, &nonzero_b)),
        ),
        6 => (
            format!("(/ {sa} {snz})"),
            Number::rational(BigRational::new(a.clone(), nonzero_b.clone())).to_string(),
        ),
        7 => (
            format!("(list (< {sa} {sb}) (= {sa} {sb}) (>= {sa} {sb}))"),
            format!(
                "({} {} {})",
                boolean(a < b),
                boolean(a == b),
                boolean(a >= b)
            ),
        ),
        8 => (
            format!("(number->string {sa} 16)"),
            format!("\"{}\"", a.to_str_radix(16)),
        ),
        9 => (
            format!("(inexact {sa})"),
            Number::Flonum(Number::integer(a.clone()).to_f64()).to_string(),
        ),
        10 => {
            let r = BigRational::new(a.clone(), nonzero_b.clone());
            (
                format!("(inexact (/ {sa} {snz}))"),
                Number::Flonum(Number::rational(r).to_f64()).to_string(),
            )
        }
        11 => {
            let k = rng.below(6) as u32;
            (format!("(expt {sa} {k})"), show(&a.pow(k)))
        }
        12 => (format!("(sqrt (* {sa} {sa}))"), show(&a.abs())),
        // (rnrs arithmetic bitwise): num-bigint's operators are two's complement too, and its
        // shift right rounds toward negative infinity, as R6RS's does.
        14 => (
            format!(
                "(list (bitwise-and {sa} {sb}) (bitwise-ior {sa} {sb}) (bitwise-xor {sa} {sb}))"
            ),
            format!(
                "({} {} {})",
                show(&(&a & &b)),
                show(&(&a | &b)),
                show(&(&a ^ &b))
            ),
        ),
        15 => {
            let k = rng.below(200) as i64 - 100;
            let shifted = if k >= 0 { &a << k } else { &a >> -k };
            (
                format!("(bitwise-arithmetic-shift {sa} {k})"),
                show(&shifted),
            )
        }
        16 => {
            // R6RS: a negative argument counts the bits of its complement, negated.
            let count = |n: &BigInt| BigInt::from(n.magnitude().count_ones());
            let bit_count = if a.is_negative() {
                -count(&!&a) - 1
            } else {
                count(&a)
            };
            (format!("(bitwise-bit-count {sa})"), show(&bit_count))
        }
        17 => {
            let length = if a.is_negative() {
                (!&a).bits()
            } else {
                a.bits()
            };
            (
                format!("(bitwise-length {sa})"),
                show(&BigInt::from(length)),
            )
        }
        18 => {
            let first = a.trailing_zeros().map_or(-1, |z| z as i64);
            (
                format!("(bitwise-first-bit-set {sa})"),
                show(&BigInt::from(first)),
            )
        }
        _ => (
            format!("(string->number (number->string (* {sa} {sb}) 16) 16)"),
            show(&(&a * &b)),
        ),
    }
}

#[test]
fn random_arithmetic_matches_the_compile_time_tower() {
    let mut rng = Rng::new(0x010c_0b19);
    let (mut program, mut expected) = ("(import (rnrs) (rnrs r5rs))\n".to_owned(), String::new());
    for _ in 0..2000 {
        let (expr, result) = case(&mut rng);
        let _ = writeln!(program, "(write {expr}) (newline)");
        let _ = writeln!(expected, "{result}");
    }
    let dir = std::env::temp_dir().join(format!("loko-numbers-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let source = dir.join("numbers.sps");
    std::fs::write(&source, &program).expect("the program is written");
    let executable = dir.join("numbers");
    let loko = env!("CARGO_BIN_EXE_loko");
    let compiled = Command::new(loko)
        .args([
            "--compile".as_ref(),
            source.as_os_str(),
            "--output".as_ref(),
        ])
        .arg(&executable)
        .output()
        .expect("loko runs");
    assert!(compiled.status.success(), "{compiled:?}");
    for output in [
        Command::new(loko).arg("--program").arg(&source).output(),
        Command::new(&executable).output(),
    ] {
        let output = output.expect("the program runs");
        let stdout = String::from_utf8_lossy(&output.stdout);
        for (i, (got, want)) in stdout.lines().zip(expected.lines()).enumerate() {
            assert_eq!(
                got,
                want,
                "line {}: {}",
                i + 1,
                program.lines().nth(i + 1).unwrap_or("")
            );
        }
        assert_eq!(
            stdout.lines().count(),
            expected.lines().count(),
            "{output:?}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
