//! Number syntax: turns the text of a number token into a [`Number`].
//!
//! Follows the R6RS/R7RS grammar: radix and exactness prefixes in either order, integers,
//! rationals, decimals with exponents (markers `e s f d l`, radix 10 only), `+inf.0`, `-inf.0`,
//! `+nan.0`, `-nan.0`. Conversions are exact: an inexact decimal is the double nearest to its
//! value (Rust's float parser rounds correctly), an exact decimal is the rational it denotes, and
//! an inexact rational or big integer is rounded once, not via intermediate doubles.
//!
//! Complex syntax (`1+2i`, `+i`, `1@2`) is recognised only to be rejected with a clear message,
//! so that it is never silently read as a symbol.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{Num, Pow, Zero};

use crate::number::Number;

/// The largest power of ten an exact decimal may be scaled by; beyond it the exact value would
/// take unreasonable time and memory to build (`#e1e1000000000`).
const MAX_EXACT_EXPONENT: i64 = 100_000;

/// Parses a number token. `Ok(None)` means the text is not number syntax at all (so it may be
/// an identifier); `Err` is number syntax that denotes no number we can represent.
pub(crate) fn parse(text: &str) -> Result<Option<Number>, String> {
    match parse_simple(text) {
        Some(number) => Ok(Some(number)),
        None => parse_grammar(text),
    }
}

/// [`parse`] by the full grammar, without the fast path for common shapes (tests check that the
/// two agree).
pub(super) fn parse_grammar(text: &str) -> Result<Option<Number>, String> {
    let mut body = text.as_bytes();
    let mut radix = None;
    let mut exact = None;
    while let [b'#', prefix, rest @ ..] = body {
        match prefix.to_ascii_lowercase() {
            c @ (b'x' | b'o' | b'b' | b'd') if radix.is_none() => {
                radix = Some(match c {
                    b'x' => 16,
                    b'o' => 8,
                    b'b' => 2,
                    _ => 10,
                })
            }
            c @ (b'e' | b'i') if exact.is_none() => exact = Some(c == b'e'),
            b'x' | b'o' | b'b' | b'd' => return Err("more than one radix prefix".to_owned()),
            b'e' | b'i' => return Err("more than one exactness prefix".to_owned()),
            _ => return Ok(None),
        }
        body = rest;
    }
    let radix = radix.unwrap_or(10);
    let Some((real, used)) = parse_real(body, radix) else {
        if body.eq_ignore_ascii_case(b"+i") || body.eq_ignore_ascii_case(b"-i") {
            return Err(COMPLEX.to_owned());
        }
        return Ok(None);
    };
    let rest = &body[used..];
    if rest.is_empty() {
        return convert(real, exact).map(Some);
    }
    if is_complex_tail(body, rest, radix) {
        return Err(COMPLEX.to_owned());
    }
    Ok(None)
}

/// The common shapes of number in source, read without the general grammar: a decimal integer
/// that fits a fixnum (`-42`) and a decimal with digits on both sides of its point and no
/// exponent (`3.25`). `None` means "parse it the general way", not "not a number".
fn parse_simple(text: &str) -> Option<Number> {
    let bytes = text.as_bytes();
    let digits = match bytes.first()? {
        b'+' | b'-' => &bytes[1..],
        _ => bytes,
    };
    let int_len = digits.iter().take_while(|b| b.is_ascii_digit()).count();
    if int_len == 0 {
        return None;
    }
    if int_len == digits.len() {
        // 18 digits always fit in an `i64`; longer integers take the general path.
        if int_len > 18 {
            return None;
        }
        let magnitude = digits
            .iter()
            .fold(0i64, |n, d| n * 10 + i64::from(d - b'0'));
        return Some(Number::Fixnum(if bytes[0] == b'-' {
            -magnitude
        } else {
            magnitude
        }));
    }
    let frac = digits[int_len + 1..].iter();
    if digits[int_len] != b'.' || frac.len() == 0 || !frac.clone().all(u8::is_ascii_digit) {
        return None;
    }
    // Rust's float syntax includes this shape, sign and all, and rounds correctly; rounding is
    // symmetric, so parsing the sign along gives the same double as negating afterwards.
    text.parse::<f64>().ok().map(Number::Flonum)
}

const COMPLEX: &str = "complex numbers are not supported";

/// A real number's syntax, before exactness is applied. Digit strings are validated ASCII.
enum Real<'a> {
    Integer(bool, &'a str, u32),
    Ratio(bool, &'a str, &'a str, u32),
    Decimal {
        negative: bool,
        int: &'a str,
        frac: &'a str,
        exponent: i64,
        /// The unsigned text when it is also Rust float syntax (no exponent marker other
        /// than `e`), so it can be converted without building a string.
        plain: Option<&'a str>,
    },
    Inf(bool),
    Nan,
}

/// Whether `rest`, the text after a real number at the start of `body`, makes `body` a complex
/// number: `<real>i` (with a sign), `<real>@<real>`, `<real>+<ureal>i`, `<real>+i`.
fn is_complex_tail(body: &[u8], rest: &[u8], radix: u32) -> bool {
    let signed = matches!(body.first(), Some(b'+' | b'-'));
    let whole = |s: &[u8]| parse_real(s, radix).is_some_and(|(_, n)| n == s.len());
    match rest {
        [b'i' | b'I'] => signed,
        [b'@', polar @ ..] => whole(polar),
        [b'+' | b'-', .., b'i' | b'I'] => {
            let imag = &rest[..rest.len() - 1];
            imag.len() == 1 || whole(imag)
        }
        _ => false,
    }
}

/// Parses the longest real number at the start of `s`, returning it and the bytes it used.
fn parse_real(s: &[u8], radix: u32) -> Option<(Real<'_>, usize)> {
    let (negative, sign_len) = match s.first() {
        Some(b'+') => (false, 1),
        Some(b'-') => (true, 1),
        _ => (false, 0),
    };
    let body = &s[sign_len..];
    if sign_len == 1 && body.len() >= 5 {
        if body[..5].eq_ignore_ascii_case(b"inf.0") {
            return Some((Real::Inf(negative), 6));
        }
        if body[..5].eq_ignore_ascii_case(b"nan.0") {
            return Some((Real::Nan, 6));
        }
    }
    let digits = |from: usize| {
        from + body[from..]
            .iter()
            .take_while(|b| (**b as char).is_digit(radix))
            .count()
    };
    let text = |from: usize, to: usize| std::str::from_utf8(&body[from..to]).unwrap_or("");
    let int_end = digits(0);
    if radix == 10 && body.get(int_end) == Some(&b'.') {
        let frac_end = digits(int_end + 1);
        if int_end == 0 && frac_end == 1 {
            return None;
        }
        let (exponent, end) = parse_exponent(body, frac_end);
        let real = Real::Decimal {
            negative,
            int: text(0, int_end),
            frac: text(int_end + 1, frac_end),
            exponent,
            plain: is_rust_exponent(body, frac_end).then(|| text(0, end)),
        };
        return Some((real, sign_len + end));
    }
    if int_end == 0 {
        return None;
    }
    if body.get(int_end) == Some(&b'/') {
        let denom_end = digits(int_end + 1);
        if denom_end > int_end + 1 {
            let real = Real::Ratio(
                negative,
                text(0, int_end),
                text(int_end + 1, denom_end),
                radix,
            );
            return Some((real, sign_len + denom_end));
        }
    }
    if radix == 10 {
        let (exponent, end) = parse_exponent(body, int_end);
        if end > int_end {
            let real = Real::Decimal {
                negative,
                int: text(0, int_end),
                frac: "",
                exponent,
                plain: is_rust_exponent(body, int_end).then(|| text(0, end)),
            };
            return Some((real, sign_len + end));
        }
    }
    Some((
        Real::Integer(negative, text(0, int_end), radix),
        sign_len + int_end,
    ))
}

/// Whether the decimal's exponent, if any, at `at` uses the marker Rust's float syntax knows.
fn is_rust_exponent(s: &[u8], at: usize) -> bool {
    matches!(s.get(at), None | Some(b'e' | b'E')) || !s[at].is_ascii_alphabetic()
}

/// Parses an exponent suffix (`e-10`) at `at`, returning its value (saturated far beyond any
/// double's range) and where it ends; no suffix gives `(0, at)`.
fn parse_exponent(s: &[u8], at: usize) -> (i64, usize) {
    let Some(marker) = s.get(at) else {
        return (0, at);
    };
    if !matches!(
        marker.to_ascii_lowercase(),
        b'e' | b's' | b'f' | b'd' | b'l'
    ) {
        return (0, at);
    }
    let (negative, digits_at) = match s.get(at + 1) {
        Some(b'+') => (false, at + 2),
        Some(b'-') => (true, at + 2),
        _ => (false, at + 1),
    };
    let count = s
        .get(digits_at..)
        .unwrap_or(&[])
        .iter()
        .take_while(|b| b.is_ascii_digit())
        .count();
    if count == 0 {
        return (0, at);
    }
    let value = s[digits_at..digits_at + count].iter().fold(0i64, |acc, d| {
        (acc * 10 + i64::from(d - b'0')).min(i64::MAX / 100)
    });
    (if negative { -value } else { value }, digits_at + count)
}

/// Applies the exactness (`Some(true)` for `#e`, `Some(false)` for `#i`, `None` for the
/// default: exact unless written as a decimal, infinity or NaN).
fn convert(real: Real<'_>, exact: Option<bool>) -> Result<Number, String> {
    match real {
        Real::Integer(negative, digits, radix) => {
            // Fast path for the common small integer: no big-integer allocation.
            if exact != Some(false)
                && let Ok(small) = i64::from_str_radix(digits, radix)
            {
                return Ok(Number::Fixnum(if negative { -small } else { small }));
            }
            let n = parse_integer(digits, radix);
            Ok(finish(negative, Number::integer(n), exact != Some(false)))
        }
        Real::Ratio(negative, numer, denom, radix) => {
            let denom = parse_integer(denom, radix);
            if denom.is_zero() {
                return Err("division by zero in a rational number".to_owned());
            }
            let r = BigRational::new(parse_integer(numer, radix), denom);
            Ok(finish(negative, Number::rational(r), exact != Some(false)))
        }
        Real::Decimal {
            negative,
            int,
            frac,
            exponent,
            plain,
        } => {
            if exact == Some(true) {
                let value = exact_decimal(int, frac, exponent)?;
                Ok(finish(negative, value, true))
            } else if let Some(x) = plain.and_then(|text| text.parse::<f64>().ok()) {
                Ok(Number::Flonum(if negative { -x } else { x }))
            } else {
                let text = format!(
                    "{}.{}e{exponent}",
                    if int.is_empty() { "0" } else { int },
                    if frac.is_empty() { "0" } else { frac }
                );
                let x: f64 = text
                    .parse()
                    .map_err(|_| format!("bad decimal number `{text}`"))?;
                Ok(Number::Flonum(if negative { -x } else { x }))
            }
        }
        Real::Inf(negative) => {
            if exact == Some(true) {
                return Err("an infinity has no exact representation".to_owned());
            }
            Ok(Number::Flonum(if negative {
                f64::NEG_INFINITY
            } else {
                f64::INFINITY
            }))
        }
        Real::Nan => {
            if exact == Some(true) {
                return Err("a NaN has no exact representation".to_owned());
            }
            Ok(Number::Flonum(f64::NAN))
        }
    }
}

/// Negates the magnitude if needed and makes it inexact unless `exact`; negating after the
/// conversion is what makes `#i-0` read as `-0.0`.
fn finish(negative: bool, magnitude: Number, exact: bool) -> Number {
    if !exact {
        let x = magnitude.to_f64();
        return Number::Flonum(if negative { -x } else { x });
    }
    if !negative {
        return magnitude;
    }
    match magnitude {
        Number::Fixnum(n) => Number::Fixnum(-n),
        Number::Bignum(n) => Number::integer(-*n),
        Number::Ratnum(r) => Number::Ratnum(Box::new(-*r)),
        Number::Flonum(x) => Number::Flonum(-x),
    }
}

/// A validated digit string in `radix` as an integer, without allocating when it is small.
fn parse_integer(digits: &str, radix: u32) -> BigInt {
    if let Ok(small) = u64::from_str_radix(digits, radix) {
        return BigInt::from(small);
    }
    BigInt::from_str_radix(digits, radix).unwrap_or_default()
}

/// The exact value of the decimal `int.frac` × 10^`exponent`.
fn exact_decimal(int: &str, frac: &str, exponent: i64) -> Result<Number, String> {
    let mantissa = parse_integer(&format!("{int}{frac}"), 10);
    if mantissa.is_zero() {
        return Ok(Number::Fixnum(0));
    }
    let scale = exponent - frac.len() as i64;
    if scale.abs() > MAX_EXACT_EXPONENT {
        return Err("exponent too large for an exact number".to_owned());
    }
    let power: BigInt = Pow::pow(BigInt::from(10), scale.unsigned_abs());
    Ok(if scale >= 0 {
        Number::integer(mantissa * power)
    } else {
        Number::rational(BigRational::new(mantissa, power))
    })
}
