//! Numbers as text: printing (`display`, `write`, `number->string`) and reading
//! (`string->number`). Flonums print as the shortest text that reads back as the same double
//! (core's float formatting finds the digits; the layout is the one `ir::number` uses at
//! compile time), exact numbers in any radix from 2 to 16.

use super::heap::{NewBignum, flonum_value, integer as int_of, make_flonum};
use super::{Cx, Kind, NumberOp, ZERO, integer, rational};
use crate::context::Context;
use crate::object::{header_of, make_string, string_chars, tag};
use crate::value::*;
use core::fmt::Write;

/// Writes the number `v` in `radix` through `emit` (flonums always in radix 10).
///
/// # Safety
/// `ctx` must be the running program's context and `v` a number.
pub unsafe fn write_number(ctx: *mut Context, v: u64, radix: u32, emit: &mut dyn FnMut(u8)) {
    unsafe {
        match super::kind(v) {
            Some(Kind::Flonum) => {
                let mut buffer = Buffer::default();
                write_flonum(&mut buffer, flonum_value(v));
                for &b in buffer.text() {
                    emit(b);
                }
            }
            Some(Kind::Ratnum) => {
                let (n, d) = rational::parts(v);
                write_number(ctx, n, radix, emit);
                emit(b'/');
                write_number(ctx, d, radix, emit);
            }
            _ => integer::write_digits(ctx, int_of(v, &mut [0]).unwrap_or(ZERO), radix, emit),
        }
    }
}

/// A small text buffer for core's formatting.
struct Buffer {
    bytes: [u8; 64],
    len: usize,
}

impl Default for Buffer {
    fn default() -> Buffer {
        Buffer {
            bytes: [0; 64],
            len: 0,
        }
    }
}

impl Buffer {
    fn text(&self) -> &[u8] {
        &self.bytes[..self.len]
    }
}

impl Write for Buffer {
    fn write_str(&mut self, s: &str) -> core::fmt::Result {
        let end = self.len + s.len();
        if end > self.bytes.len() {
            return Err(core::fmt::Error);
        }
        self.bytes[self.len..end].copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

/// The shortest Scheme text for `x`: positional for exponents from -7 to 20 (with a `.`, so
/// it reads as inexact), otherwise `d.ddde<exp>`; `+inf.0`, `-inf.0`, `+nan.0`.
fn write_flonum(out: &mut Buffer, x: f64) {
    // 64 bytes hold every case: at most 17 digits, 20 zeros, a sign, a point and an exponent.
    let _ = if x.is_nan() {
        out.write_str("+nan.0")
    } else if x.is_infinite() {
        out.write_str(if x > 0.0 { "+inf.0" } else { "-inf.0" })
    } else {
        let mut sci = Buffer::default();
        let _ = write!(sci, "{x:e}");
        let text = sci.text();
        let e = text.iter().position(|&b| b == b'e').unwrap_or(text.len());
        let exponent = core::str::from_utf8(&text[(e + 1).min(text.len())..])
            .ok()
            .and_then(|s| s.parse::<i32>().ok())
            .unwrap_or(0);
        if (-7..21).contains(&exponent) {
            let start = out.len;
            let _ = write!(out, "{x}");
            if !out.bytes[start..out.len].contains(&b'.') {
                let _ = out.write_str(".0");
            }
            Ok(())
        } else {
            out.write_str(core::str::from_utf8(text).unwrap_or("+nan.0"))
        }
    };
}

/// `number->string`: `radix` is #f (10) or 2, 8, 10 or 16; flonums are written in radix 10
/// only (another radix is reported rather than ignored).
///
/// # Safety
/// `cx.ctx` must be the running program's context.
pub unsafe fn number_to_string(cx: Cx, v: u64, radix: u64) -> u64 {
    unsafe {
        let kind = cx.number(v);
        let radix = match radix {
            FALSE => 10,
            r if [2, 8, 10, 16].map(fixnum).contains(&r) => (r >> FIXNUM_SHIFT) as u32,
            r => cx.wrong_type(r),
        };
        if kind == Kind::Flonum && radix != 10 {
            cx.wrong_type(fixnum(i64::from(radix)));
        }
        // Count the characters first, then fill the string: one allocation for the result.
        let mut count = 0usize;
        write_number(cx.ctx, v, radix, &mut |_| count += 1);
        let Some(s) = make_string(cx.ctx, core::iter::repeat_n(0u32, count)) else {
            return RETRY;
        };
        let data = (s as i64 + OBJECT_DATA as i64) as *mut u32;
        let mut i = 0;
        write_number(cx.ctx, v, radix, &mut |b| {
            *data.add(i) = u32::from(b);
            i += 1;
        });
        s
    }
}

/// `string->number`: the number the string `s` denotes in `radix` (#f for 10), or #f.
///
/// # Safety
/// `cx.ctx` must be the running program's context.
pub unsafe fn string_to_number(cx: Cx, s: u64, radix: u64) -> u64 {
    unsafe {
        if tag(s) != TAG_OBJECT || header_of(s).0 != HEADER_STRING {
            cx.wrong_type(s);
        }
        let radix = match radix {
            FALSE => 10,
            r if [2, 8, 10, 16].map(fixnum).contains(&r) => (r >> FIXNUM_SHIFT) as u32,
            r => cx.wrong_type(r),
        };
        let chars = string_chars(s);
        let mut text = [0u8; 256];
        if chars.len() > text.len() || chars.iter().any(|&c| c > 0x7f) {
            return parse_long(cx, chars, radix);
        }
        for (t, &c) in text.iter_mut().zip(chars) {
            *t = (c as u8).to_ascii_lowercase();
        }
        parse(cx, &text[..chars.len()], radix).unwrap_or(FALSE)
    }
}

/// Strings too long for the stack buffer: only plain integers are accepted.
unsafe fn parse_long(cx: Cx, chars: &[u32], radix: u32) -> u64 {
    if chars.iter().any(|&c| c > 0x7f) {
        return FALSE;
    }
    unsafe {
        let bytes = super::heap::scratch(cx.ctx, chars.len().div_ceil(8));
        let bytes = core::slice::from_raw_parts_mut(bytes.as_mut_ptr() as *mut u8, chars.len());
        for (b, &c) in bytes.iter_mut().zip(chars) {
            *b = (c as u8).to_ascii_lowercase();
        }
        let (negative, digits) = match bytes.first() {
            Some(b'-') => (true, &bytes[1..]),
            Some(b'+') => (false, &bytes[1..]),
            _ => (false, &bytes[..]),
        };
        parse_integer(cx, digits, radix, negative).unwrap_or(FALSE)
    }
}

/// Parses R6RS number syntax (real numbers only): prefixes `#x #o #b #d #e #i`, integers,
/// fractions, decimals with exponents (radix 10), `+inf.0`, `-inf.0`, `+nan.0`.
unsafe fn parse(cx: Cx, mut text: &[u8], mut radix: u32) -> Option<u64> {
    let mut exactness = None;
    while text.first() == Some(&b'#') && text.len() >= 2 {
        match text[1] {
            b'x' => radix = 16,
            b'o' => radix = 8,
            b'b' => radix = 2,
            b'd' => radix = 10,
            b'e' if exactness.is_none() => exactness = Some(true),
            b'i' if exactness.is_none() => exactness = Some(false),
            _ => return None,
        }
        text = &text[2..];
    }
    let (negative, body) = match text.first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    let signed = text.len() != body.len();
    unsafe {
        let value = if signed && (body == b"inf.0" || body == b"nan.0") {
            let x = match (body[0], negative) {
                (b'n', _) => f64::NAN,
                (_, true) => f64::NEG_INFINITY,
                _ => f64::INFINITY,
            };
            make_flonum(cx.ctx, x)
        } else if let Some(slash) = body.iter().position(|&b| b == b'/') {
            let n = parse_integer(cx, &body[..slash], radix, negative)?;
            let d = parse_integer(cx, &body[slash + 1..], radix, false)?;
            if d == fixnum(0) {
                return None;
            }
            rational::make_ratio(cx, n, d)
        } else if body.iter().all(|&b| (b as char).is_digit(radix)) {
            parse_integer(cx, body, radix, negative)?
        } else if radix == 10 {
            return parse_decimal(cx, body, negative, exactness);
        } else {
            return None;
        };
        Some(match exactness {
            Some(true) => rational::exact(cx, value),
            Some(false) if super::kind(value) != Some(Kind::Flonum) => {
                make_flonum(cx.ctx, cx.to_f64(value))
            }
            _ => value,
        })
    }
}

/// The exact integer written with `digits` in `radix`; `None` unless all are digits.
unsafe fn parse_integer(cx: Cx, digits: &[u8], radix: u32, negative: bool) -> Option<u64> {
    if digits.is_empty() {
        return None;
    }
    unsafe {
        // Each digit adds at most 4 bits.
        let mut big = NewBignum::new(cx.ctx, digits.len() / 16 + 1);
        let limbs = big.limbs();
        for &b in digits {
            let d = (b as char).to_digit(radix)?;
            let mut carry = u128::from(d);
            for limb in limbs.iter_mut() {
                let t = u128::from(*limb) * u128::from(radix) + carry;
                *limb = t as u64;
                carry = t >> 64;
            }
        }
        Some(big.finish(cx.ctx, negative))
    }
}

/// A decimal with a point or an exponent (`1.5`, `.5`, `1e10`, `2.5e-3`): a flonum read with
/// core's correctly rounded parser, or with `#e` its exact value.
unsafe fn parse_decimal(cx: Cx, body: &[u8], negative: bool, exact: Option<bool>) -> Option<u64> {
    // Validate: digits [. digits] [e [sign] digits], with at least one mantissa digit.
    let e = body
        .iter()
        .position(|&b| matches!(b, b'e' | b's' | b'f' | b'd' | b'l'));
    let (mantissa, exponent) = match e {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    let point = mantissa.iter().position(|&b| b == b'.');
    let (whole, fraction) = match point {
        Some(p) => (&mantissa[..p], &mantissa[p + 1..]),
        None => (mantissa, &mantissa[mantissa.len()..]),
    };
    let all_digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    if !all_digits(whole) || !all_digits(fraction) || whole.len() + fraction.len() == 0 {
        return None;
    }
    let exponent_value: i64 = match exponent {
        Some(text) => {
            let (sign, digits) = match text.first() {
                Some(b'-') => (-1, &text[1..]),
                Some(b'+') => (1, &text[1..]),
                _ => (1, text),
            };
            if digits.is_empty() || !all_digits(digits) {
                return None;
            }
            let mut n: i64 = 0;
            for &d in digits {
                n = (n * 10 + i64::from(d - b'0')).min(1 << 40);
            }
            sign * n
        }
        None => 0,
    };
    unsafe {
        if exact == Some(true) {
            // (whole fraction) * 10^(exponent - fraction digits), exactly.
            let mut digits = [0u8; 256];
            digits[..whole.len()].copy_from_slice(whole);
            digits[whole.len()..whole.len() + fraction.len()].copy_from_slice(fraction);
            let m = parse_integer(cx, &digits[..whole.len() + fraction.len()], 10, negative)?;
            let k = exponent_value - fraction.len() as i64;
            if k.abs() > 100_000 {
                return None;
            }
            let power = cx.expt(fixnum(10), fixnum(k.abs()));
            return Some(if k >= 0 {
                cx.arithmetic(NumberOp::Multiply, m, power)
            } else {
                rational::make_ratio(cx, m, power)
            });
        }
        // core's parser wants `[digits][.digits][e[sign]digits]`, which `body` is with the
        // exponent marker made an `e`.
        let mut text = [0u8; 260];
        let mut len = 0;
        if negative {
            text[0] = b'-';
            len = 1;
        }
        for &b in body {
            text[len] = if Some(len - usize::from(negative)) == e {
                b'e'
            } else {
                b
            };
            len += 1;
        }
        let s = core::str::from_utf8(&text[..len]).ok()?;
        let x: f64 = s.parse().ok()?;
        Some(make_flonum(cx.ctx, x))
    }
}
