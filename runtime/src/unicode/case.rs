//! Case mappings: simple ones (one character to one, for `char-upcase` and friends) and full
//! ones over strings (`string-upcase` and friends), with the special casings of R6RS: `ß`
//! upcases to `SS`, `Σ` downcases to `ς` at the end of a word, titlecase starts each word.

use super::tables;
use super::{is_case_ignorable, is_cased, is_word_constituent};
use crate::context::Context;
use crate::object::{allocate, string_bytes};
use crate::value::*;

/// Which full case mapping a string operation applies.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Mapping {
    Upper,
    Lower,
    Title,
    Fold,
}

/// The entry for `c` in a table sorted by its first column.
fn lookup<T: Copy>(table: &[(u32, T)], c: char) -> Option<T> {
    let c = c as u32;
    table
        .binary_search_by_key(&c, |&(k, _)| k)
        .ok()
        .map(|i| table[i].1)
}

/// `(c, upper, lower)` from [`tables::SIMPLE_CASE`], for characters whose full mapping is
/// longer than one character.
fn simple_case(c: char) -> Option<(char, char)> {
    let table = &tables::SIMPLE_CASE;
    let i = table
        .binary_search_by_key(&(c as u32), |&(k, _, _)| k)
        .ok()?;
    let (_, upper, lower) = table[i];
    Some((char::from_u32(upper)?, char::from_u32(lower)?))
}

/// The one character `chars` yields, if it yields exactly one.
fn single(mut chars: impl Iterator<Item = char>) -> Option<char> {
    let first = chars.next()?;
    chars.next().is_none().then_some(first)
}

pub fn simple_upper(c: char) -> char {
    single(c.to_uppercase()).unwrap_or_else(|| simple_case(c).map_or(c, |(upper, _)| upper))
}

pub fn simple_lower(c: char) -> char {
    single(c.to_lowercase()).unwrap_or_else(|| simple_case(c).map_or(c, |(_, lower)| lower))
}

pub fn simple_title(c: char) -> char {
    lookup(&tables::TITLE_SIMPLE, c)
        .and_then(char::from_u32)
        .unwrap_or_else(|| simple_upper(c))
}

pub fn simple_fold(c: char) -> char {
    lookup(&tables::FOLD_SIMPLE, c)
        .and_then(char::from_u32)
        .unwrap_or_else(|| simple_lower(c))
}

/// Up to three characters of a full mapping.
#[derive(Clone, Copy)]
struct Full {
    chars: [char; 3],
    len: usize,
}

impl Full {
    fn one(c: char) -> Full {
        Full {
            chars: [c, '\0', '\0'],
            len: 1,
        }
    }

    fn from_padded(padded: [u32; 3]) -> Full {
        let mut full = Full::one('\0');
        full.len = 0;
        for code in padded.into_iter().take_while(|&code| code != 0) {
            if let Some(c) = char::from_u32(code) {
                full.chars[full.len] = c;
                full.len += 1;
            }
        }
        full
    }

    fn from_iter(chars: impl Iterator<Item = char>) -> Full {
        let mut full = Full::one('\0');
        full.len = 0;
        for c in chars.take(3) {
            full.chars[full.len] = c;
            full.len += 1;
        }
        full
    }

    fn as_slice(&self) -> &[char] {
        &self.chars[..self.len]
    }
}

fn full_title(c: char) -> Full {
    lookup(&tables::TITLE_FULL, c).map_or_else(|| Full::one(simple_title(c)), Full::from_padded)
}

fn full_fold(c: char) -> Full {
    lookup(&tables::FOLD_FULL, c).map_or_else(|| Full::one(simple_fold(c)), Full::from_padded)
}

/// The character of a string element (strings hold scalar values; anything else is kept as
/// U+FFFD rather than trusted).
fn decode(code: u32) -> char {
    char::from_u32(code).unwrap_or('\u{fffd}')
}

/// Unicode's Final_Sigma condition for the character at `i`: a cased letter comes before it
/// and none after it, skipping case-ignorable characters both ways.
fn is_final_sigma(chars: &[u32], i: usize) -> bool {
    let significant = |&&code: &&u32| !is_case_ignorable(decode(code));
    let before = chars[..i].iter().rev().find(significant);
    let after = chars[i + 1..].iter().find(significant);
    let cased = |code: &u32| is_cased(decode(*code));
    before.is_some_and(cased) && !after.is_some_and(cased)
}

const CAPITAL_SIGMA: char = '\u{3a3}';
const FINAL_SIGMA: char = '\u{3c2}';

/// The full lowercase of `chars[i]`, with final sigma.
fn lower_at(chars: &[u32], i: usize) -> Full {
    let c = decode(chars[i]);
    if c == CAPITAL_SIGMA && is_final_sigma(chars, i) {
        Full::one(FINAL_SIGMA)
    } else {
        Full::from_iter(c.to_lowercase())
    }
}

/// Calls `out` with the mapping of each character of `chars` in turn.
pub(super) fn for_each_mapped(chars: &[u32], mapping: Mapping, mut out: impl FnMut(&[char])) {
    // For titlecase: inside a word, and whether its first cased character has been seen.
    let mut in_word = false;
    let mut cased_seen = false;
    for (i, &code) in chars.iter().enumerate() {
        let c = decode(code);
        let full = match mapping {
            Mapping::Upper => Full::from_iter(c.to_uppercase()),
            Mapping::Lower => lower_at(chars, i),
            Mapping::Fold => full_fold(c),
            Mapping::Title => {
                if is_word_constituent(c) {
                    if !in_word {
                        in_word = true;
                        cased_seen = false;
                    }
                } else if !(in_word && is_case_ignorable(c)) {
                    in_word = false;
                }
                if in_word && is_cased(c) {
                    if cased_seen {
                        lower_at(chars, i)
                    } else {
                        cased_seen = true;
                        full_title(c)
                    }
                } else {
                    Full::one(c)
                }
            }
        };
        out(full.as_slice());
    }
}

/// A new string: `source` mapped by `mapping`, or [`RETRY`] when the heap is full. The
/// result's length is counted first, so nothing is allocated until it is known to fit, and
/// a retry redoes the same work.
///
/// # Safety
/// `ctx` must be the running program's context; `source` must stay put during the call (it
/// does: services never collect).
pub unsafe fn map_string(ctx: *mut Context, source: &[u32], mapping: Mapping) -> u64 {
    let mut length = 0usize;
    for_each_mapped(source, mapping, |mapped| length += mapped.len());
    let Some(p) = (unsafe { allocate(ctx, string_bytes(length)) }) else {
        return RETRY;
    };
    unsafe {
        *p = header(HEADER_STRING, length as u64);
        let data = p.add(1) as *mut u32;
        let mut at = 0;
        for_each_mapped(source, mapping, |mapped| {
            for &c in mapped {
                if at < length {
                    // SAFETY: `at < length`, the characters allocated.
                    *data.add(at) = c as u32;
                    at += 1;
                }
            }
        });
    }
    p as u64 + TAG_OBJECT
}
