//! Fuzz-style test of the reader: random byte strings and random mutations of valid programs
//! must never panic. Inputs that read successfully must also survive a write/read round trip,
//! and failures must point inside the input.

mod prng;

use ir::datum::{Datums, equal};
use ir::reader::{read_bytes, read_str};
use ir::writer::write;
use prng::Rng;

const RANDOM_INPUTS: usize = 100_000;
const MUTATED_INPUTS: usize = 50_000;

/// Bytes that mean something to the reader, so random strings reach deep into its states.
const ALPHABET: &[u8] = b"()[]#\\|\"';`,@.+-/0123456789abcdefinxoutvEIX!= \n\t\r;xu8\xce\xbb\xff";

const SEEDS: &[&str] = &[
    "(define (fact n) (if (= n 0) 1 (* n (fact (- n 1)))))",
    "#!r6rs (library (foo) (export bar) (import (rnrs)) (define bar '#(1 2 #vu8(3))))",
    "`(a ,b ,@c #'d #`(e #,f #,@g)) [x . y] #0=(a . #0#) #;skipped |sym bol| \\x41;bc",
    "\"str\\x41;ing\\n\\\n  more\" #\\space #\\x3bb #\\a 1/2 -3.5e10 #e1.5 #x-1F +inf.0 -nan.0",
    "#| block #| nested |# |# ; line\n#!fold-case ABC #!no-fold-case #t #false ... ->x +.a",
];

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng::new(0xf022_0000_0000_0001);
    let mut read_ok = 0;
    for _ in 0..RANDOM_INPUTS {
        let len = rng.below(24) as usize;
        let bytes: Vec<u8> = (0..len)
            .map(|_| {
                if rng.below(8) == 0 {
                    rng.next() as u8
                } else {
                    ALPHABET[rng.below(ALPHABET.len() as u64) as usize]
                }
            })
            .collect();
        read_ok += usize::from(check_input(&bytes));
    }
    // Enough random inputs must be valid for the round-trip half of the check to mean something.
    assert!(
        read_ok > RANDOM_INPUTS / 50,
        "only {read_ok} random inputs read"
    );
}

#[test]
fn mutated_programs_never_panic() {
    let mut rng = Rng::new(0xf022_0000_0000_0002);
    for _ in 0..MUTATED_INPUTS {
        let mut bytes = SEEDS[rng.below(SEEDS.len() as u64) as usize]
            .as_bytes()
            .to_vec();
        for _ in 0..1 + rng.below(4) {
            let at = rng.below(bytes.len() as u64 + 1) as usize;
            let byte = ALPHABET[rng.below(ALPHABET.len() as u64) as usize];
            match rng.below(3) {
                0 => bytes.insert(at, byte),
                1 if at < bytes.len() => {
                    bytes.remove(at);
                }
                _ if at < bytes.len() => bytes[at] = byte,
                _ => bytes.push(byte),
            }
        }
        check_input(&bytes);
    }
}

/// Reads `bytes`; returns whether they read. Checks the properties every outcome must have.
fn check_input(bytes: &[u8]) -> bool {
    let mut datums = Datums::new();
    match read_bytes("fuzz.scm", bytes, &mut datums) {
        Ok(ids) => {
            for id in ids {
                let text = write(&datums, id);
                let mut copy = Datums::new();
                let back = read_str("fuzz-out.scm", &text, &mut copy).unwrap_or_else(|d| {
                    panic!("{bytes:?} wrote {text:?} which does not read:\n{d}")
                });
                assert!(
                    back.len() == 1 && equal(&datums, id, &copy, back[0]),
                    "{bytes:?} wrote {text:?} which reads back different"
                );
            }
            true
        }
        Err(diagnostic) => {
            let span = diagnostic.span.expect("reader errors have a location");
            assert!(
                span.start as usize <= bytes.len(),
                "{bytes:?}: span {span:?} outside the input"
            );
            assert!(span.line >= 1 && span.column >= 1);
            false
        }
    }
}
