//! Unicode for `(rnrs unicode)` and `(scheme char)`: character properties, case mappings and
//! the general category, behind the one `unicode` service ([`unicode_service`]).
//!
//! The simple and full uppercase and lowercase mappings and the Alphabetic, Numeric,
//! White_Space, Uppercase and Lowercase properties come from Rust's `core`; what `core` lacks
//! (general category, titlecase, case folding, Cased and Case_Ignorable) is in [`tables`],
//! generated from the Unicode Character Database by `runtime/unicode/generate.py`. The two
//! may differ in Unicode version (`core` follows the compiler; the tables say theirs in
//! [`tables::UNICODE_VERSION`]), which matters only for characters added in between.
//!
//! Scheme code (`stdlib/unicode.scm`) checks the argument types and takes the ASCII fast
//! paths; the service trusts its operands' types but still answers anything else harmlessly.

pub mod case;
pub mod tables;

use crate::context::Context;
use crate::object::{is_object, string_chars};
use crate::value::*;
use case::Mapping;

/// The operations of the `unicode` service: the first eleven take a character in `a`, the
/// string operations a string in `a` and return a new string (or [`RETRY`]).
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u64)]
pub enum UnicodeOp {
    CharUpcase,
    CharDowncase,
    CharTitlecase,
    CharFoldcase,
    IsAlphabetic,
    IsNumeric,
    IsWhitespace,
    IsUpperCase,
    IsLowerCase,
    IsTitleCase,
    GeneralCategory,
    DigitValue,
    StringUpcase,
    StringDowncase,
    StringTitlecase,
    StringFoldcase,
}

impl UnicodeOp {
    const ALL: [UnicodeOp; 16] = [
        UnicodeOp::CharUpcase,
        UnicodeOp::CharDowncase,
        UnicodeOp::CharTitlecase,
        UnicodeOp::CharFoldcase,
        UnicodeOp::IsAlphabetic,
        UnicodeOp::IsNumeric,
        UnicodeOp::IsWhitespace,
        UnicodeOp::IsUpperCase,
        UnicodeOp::IsLowerCase,
        UnicodeOp::IsTitleCase,
        UnicodeOp::GeneralCategory,
        UnicodeOp::DigitValue,
        UnicodeOp::StringUpcase,
        UnicodeOp::StringDowncase,
        UnicodeOp::StringTitlecase,
        UnicodeOp::StringFoldcase,
    ];

    pub fn from_u64(n: u64) -> Option<UnicodeOp> {
        UnicodeOp::ALL.get(n as usize).copied()
    }
}

/// The general categories in the order of their indexes in [`tables::CATEGORY_RUNS`] (and of
/// the vector in `stdlib/unicode.scm` that turns an index into a symbol).
pub const CATEGORIES: [&str; 30] = [
    "Lu", "Ll", "Lt", "Lm", "Lo", "Mn", "Mc", "Me", "Nd", "Nl", "No", "Ps", "Pe", "Pi", "Pf", "Pd",
    "Pc", "Po", "Sc", "Sm", "Sk", "So", "Zs", "Zp", "Zl", "Cc", "Cf", "Cs", "Co", "Cn",
];
const LT: u32 = 2;
const ND: u32 = 8;
const PC: u32 = 16;

/// The `unicode` service: `op` on `a` (`b` is unused so far, for operations to come).
///
/// # Safety
/// `ctx` must be the running program's context and `a` a valid value.
pub unsafe extern "sysv64" fn unicode_service(ctx: *mut Context, op: u64, a: u64, _b: u64) -> u64 {
    let Some(op) = UnicodeOp::from_u64(op) else {
        return FALSE;
    };
    use UnicodeOp::*;
    match op {
        StringUpcase | StringDowncase | StringTitlecase | StringFoldcase => {
            if !is_object(a, HEADER_STRING) {
                return FALSE;
            }
            let mapping = match op {
                StringUpcase => Mapping::Upper,
                StringDowncase => Mapping::Lower,
                StringTitlecase => Mapping::Title,
                _ => Mapping::Fold,
            };
            // SAFETY: `a` is a string.
            unsafe { case::map_string(ctx, string_chars(a), mapping) }
        }
        _ => {
            let Some(c) = char_of(a) else {
                return FALSE;
            };
            let boolean = |b: bool| if b { TRUE } else { FALSE };
            match op {
                CharUpcase => character(case::simple_upper(c)),
                CharDowncase => character(case::simple_lower(c)),
                CharTitlecase => character(case::simple_title(c)),
                CharFoldcase => character(case::simple_fold(c)),
                IsAlphabetic => boolean(c.is_alphabetic()),
                IsNumeric => boolean(c.is_numeric()),
                IsWhitespace => boolean(c.is_whitespace()),
                IsUpperCase => boolean(c.is_uppercase()),
                IsLowerCase => boolean(c.is_lowercase()),
                IsTitleCase => boolean(category(c) == LT),
                GeneralCategory => fixnum(category(c) as i64),
                DigitValue => digit_value(c).map_or(FALSE, |d| fixnum(d as i64)),
                _ => FALSE,
            }
        }
    }
}

/// The character `v` holds, if it is one.
fn char_of(v: u64) -> Option<char> {
    if v & IMMEDIATE_MASK != CHAR_TAG {
        return None;
    }
    char::from_u32((v >> CHAR_SHIFT) as u32)
}

/// The index in [`CATEGORIES`] of `c`'s general category.
pub fn category(c: char) -> u32 {
    let c = c as u32;
    let runs = &tables::CATEGORY_RUNS;
    let i = runs.partition_point(|&run| run >> 5 <= c);
    // The first run starts at 0, so `i >= 1`.
    runs[i.saturating_sub(1)] & 31
}

/// Whether `c` is in one of the sorted inclusive `ranges`.
fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let c = c as u32;
    let i = ranges.partition_point(|&(_, last)| last < c);
    ranges.get(i).is_some_and(|&(first, _)| first <= c)
}

/// The Cased property (letters with case, and a few symbols).
pub fn is_cased(c: char) -> bool {
    in_ranges(&tables::CASED, c)
}

/// The Case_Ignorable property (combining marks, apostrophes, modifiers).
pub fn is_case_ignorable(c: char) -> bool {
    in_ranges(&tables::CASE_IGNORABLE, c)
}

/// Whether `c` continues a word for `string-titlecase`: a simplification of Unicode's word
/// boundaries (UAX #29) in which letters, digits and connector punctuation (`_`) make up words
/// and case-ignorable characters (`'`, marks) do not break them.
pub fn is_word_constituent(c: char) -> bool {
    c.is_alphabetic() || c.is_numeric() || category(c) == PC
}

/// The value of a decimal digit (general category Nd), whatever its script.
pub fn digit_value(c: char) -> Option<u32> {
    let code = c as u32;
    let runs = &tables::CATEGORY_RUNS;
    let i = runs
        .partition_point(|&run| run >> 5 <= code)
        .saturating_sub(1);
    // Decimal digits come in runs of ten from zero (checked by the generator).
    (runs[i] & 31 == ND).then(|| (code - (runs[i] >> 5)) % 10)
}

#[cfg(test)]
mod tests;
