//! Exact rationals (ratnums) and the conversions between exact and inexact numbers.
//!
//! A ratnum holds two exact integers in lowest terms, the denominator above 1. Every exact
//! number is read here as a fraction `n/d` (an integer is `n/1`), so `+ - * /` and comparisons
//! are written once for integers and ratnums alike.

use super::heap::{Int, flonum_value, integer as int_of, make_flonum};
use super::{Cx, Kind, NumberOp, ZERO, integer};
use crate::error::{ErrorKind, raise};
use crate::object::{allocate_reserved as allocate, field};
use crate::value::*;
use core::cmp::Ordering;

/// The numerator and denominator of the ratnum `v`.
///
/// # Safety
/// `v` must be a ratnum.
pub unsafe fn parts(v: u64) -> (u64, u64) {
    unsafe { (field(v, OBJECT_DATA), field(v, OBJECT_DATA + 8)) }
}

/// The exact number `v` as a fraction.
unsafe fn fraction(v: u64) -> (u64, u64) {
    unsafe {
        if super::kind(v) == Some(Kind::Ratnum) {
            parts(v)
        } else {
            (v, fixnum(1))
        }
    }
}

// ---- Exact integer values: thin wrappers over `integer` for values known to be integers.

unsafe fn add(cx: Cx, a: u64, b: u64) -> u64 {
    let (mut ba, mut bb) = ([0], [0]);
    unsafe { integer::add(cx.ctx, int(a, &mut ba), int(b, &mut bb)) }
}

unsafe fn sub(cx: Cx, a: u64, b: u64) -> u64 {
    let (mut ba, mut bb) = ([0], [0]);
    unsafe { integer::sub(cx.ctx, int(a, &mut ba), int(b, &mut bb)) }
}

unsafe fn mul(cx: Cx, a: u64, b: u64) -> u64 {
    if a == fixnum(1) {
        return b;
    }
    if b == fixnum(1) {
        return a;
    }
    let (mut ba, mut bb) = ([0], [0]);
    unsafe { integer::mul(cx.ctx, int(a, &mut ba), int(b, &mut bb)) }
}

unsafe fn div_rem(cx: Cx, a: u64, b: u64) -> (u64, u64) {
    let (mut ba, mut bb) = ([0], [0]);
    unsafe { integer::div_rem(cx.ctx, int(a, &mut ba), int(b, &mut bb)) }
}

unsafe fn int(v: u64, buffer: &mut [u64; 1]) -> Int<'_> {
    unsafe { int_of(v, buffer) }.unwrap_or(ZERO)
}

unsafe fn sign(v: u64) -> Ordering {
    let mut b = [0];
    unsafe { integer::compare(int(v, &mut b), ZERO) }
}

unsafe fn negate(cx: Cx, v: u64) -> u64 {
    unsafe { sub(cx, fixnum(0), v) }
}

/// The greatest common divisor of two exact integers (non-negative).
unsafe fn gcd(cx: Cx, a: u64, b: u64) -> u64 {
    unsafe {
        let (mut a, mut b) = (a, b);
        if sign(a) == Ordering::Less {
            a = negate(cx, a);
        }
        if sign(b) == Ordering::Less {
            b = negate(cx, b);
        }
        while b != fixnum(0) {
            if tag(a) == TAG_FIXNUM && tag(b) == TAG_FIXNUM {
                let (mut x, mut y) = (a as i64 >> FIXNUM_SHIFT, b as i64 >> FIXNUM_SHIFT);
                while y != 0 {
                    (x, y) = (y, x % y);
                }
                return fixnum(x);
            }
            let (_, r) = div_rem(cx, a, b);
            (a, b) = (b, r);
        }
        a
    }
}

fn tag(v: u64) -> u64 {
    v & TAG_MASK
}

/// The exact number `n/d` for exact integers `n` and `d` (not zero), normalized.
///
/// # Safety
/// `cx.ctx` must be the running program's context and `n`, `d` exact integers.
pub unsafe fn make_ratio(cx: Cx, n: u64, d: u64) -> u64 {
    unsafe {
        let (mut n, mut d) = (n, d);
        if sign(d) == Ordering::Less {
            n = negate(cx, n);
            d = negate(cx, d);
        }
        let g = gcd(cx, n, d);
        if g != fixnum(1) {
            n = div_rem(cx, n, g).0;
            d = div_rem(cx, d, g).0;
        }
        if d == fixnum(1) {
            return n;
        }
        let p = allocate(cx.ctx, 24);
        *p = header(HEADER_RATNUM, 2);
        *p.add(1) = n;
        *p.add(2) = d;
        p as u64 + TAG_OBJECT
    }
}

/// `+ - * /` of exact numbers, at least one a ratnum or the operation `/`.
///
/// # Safety
/// `cx.ctx` must be the running program's context and `a`, `b` exact numbers.
pub unsafe fn arithmetic(cx: Cx, op: NumberOp, a: u64, b: u64) -> u64 {
    unsafe {
        let ((na, da), (nb, db)) = (fraction(a), fraction(b));
        match op {
            NumberOp::Add | NumberOp::Subtract => {
                let left = mul(cx, na, db);
                let right = mul(cx, nb, da);
                let n = if op == NumberOp::Add {
                    add(cx, left, right)
                } else {
                    sub(cx, left, right)
                };
                make_ratio(cx, n, mul(cx, da, db))
            }
            NumberOp::Multiply => make_ratio(cx, mul(cx, na, nb), mul(cx, da, db)),
            _ => {
                if nb == fixnum(0) {
                    raise(cx.ctx, ErrorKind::DivisionByZero, cx.who, a);
                }
                make_ratio(cx, mul(cx, na, db), mul(cx, da, nb))
            }
        }
    }
}

/// Compares two exact numbers.
///
/// # Safety
/// As for [`arithmetic`].
pub unsafe fn compare(cx: Cx, a: u64, b: u64) -> Ordering {
    unsafe {
        let ((na, da), (nb, db)) = (fraction(a), fraction(b));
        let (mut bl, mut br) = ([0], [0]);
        let (left, right) = (mul(cx, na, db), mul(cx, nb, da));
        integer::compare(int(left, &mut bl), int(right, &mut br))
    }
}

/// `floor`, `ceiling`, `round` (ties to even), `truncate` of a ratnum.
///
/// # Safety
/// As for [`arithmetic`]; `v` must be a ratnum.
pub unsafe fn rounding(cx: Cx, op: NumberOp, v: u64) -> u64 {
    unsafe {
        let (n, d) = parts(v);
        let (q, _) = div_rem(cx, n, d);
        let negative = sign(n) == Ordering::Less;
        // A ratnum is never an integer, so the truncated quotient is strictly between.
        let floor = if negative { sub(cx, q, fixnum(1)) } else { q };
        match op {
            NumberOp::Truncate => q,
            NumberOp::Floor => floor,
            NumberOp::Ceiling => add(cx, floor, fixnum(1)),
            _ => {
                // Compare the fractional part v - floor with 1/2: 2 (n - floor d) against d.
                let twice = mul(cx, fixnum(2), sub(cx, n, mul(cx, floor, d)));
                let (mut bt, mut bd) = ([0], [0]);
                match integer::compare(int(twice, &mut bt), int(d, &mut bd)) {
                    Ordering::Less => floor,
                    Ordering::Greater => add(cx, floor, fixnum(1)),
                    Ordering::Equal => {
                        let (_, r) = div_rem(cx, floor, fixnum(2));
                        if r == fixnum(0) {
                            floor
                        } else {
                            add(cx, floor, fixnum(1))
                        }
                    }
                }
            }
        }
    }
}

/// `numerator` or `denominator` of a rational number (of a flonum: the inexact one of its
/// exact value).
///
/// # Safety
/// As for [`arithmetic`].
pub unsafe fn numerator_denominator(cx: Cx, op: NumberOp, v: u64) -> u64 {
    unsafe {
        let inexact = cx.number(v) == Kind::Flonum;
        let exact_value = if inexact { exact(cx, v) } else { v };
        let (n, d) = fraction(exact_value);
        let part = if op == NumberOp::Numerator { n } else { d };
        if inexact {
            make_flonum(cx.ctx, cx.to_f64(part))
        } else {
            part
        }
    }
}

/// `exact`: the exact number equal to `v` (a flonum must be finite).
///
/// # Safety
/// As for [`arithmetic`].
pub unsafe fn exact(cx: Cx, v: u64) -> u64 {
    unsafe {
        if cx.number(v) != Kind::Flonum {
            return v;
        }
        let x = flonum_value(v);
        if !x.is_finite() {
            cx.wrong_type(v);
        }
        exact_from_f64(cx, x)
    }
}

/// The exact value of the finite double `x`: `mantissa * 2^exponent`.
///
/// # Safety
/// `cx.ctx` must be the running program's context.
pub unsafe fn exact_from_f64(cx: Cx, x: f64) -> u64 {
    let bits = x.to_bits();
    let biased = ((bits >> 52) & 0x7ff) as i32;
    let fraction = bits & ((1 << 52) - 1);
    let (mut mantissa, mut exponent) = if biased == 0 {
        (fraction, -1074)
    } else {
        (fraction | (1 << 52), biased - 1075)
    };
    if mantissa == 0 {
        return fixnum(0);
    }
    let shift = mantissa.trailing_zeros() as i32;
    mantissa >>= shift;
    exponent += shift;
    let negative = x < 0.0;
    unsafe {
        let m = super::heap::integer_from_i128(
            cx.ctx,
            if negative {
                -i128::from(mantissa)
            } else {
                i128::from(mantissa)
            },
        );
        let power = power_of_two(cx, exponent.unsigned_abs());
        if exponent >= 0 {
            mul(cx, m, power)
        } else {
            make_ratio(cx, m, power)
        }
    }
}

/// `2^k` as an exact integer.
unsafe fn power_of_two(cx: Cx, k: u32) -> u64 {
    unsafe {
        let mut big = super::heap::NewBignum::new(cx.ctx, k as usize / 64 + 1);
        big.limbs()[k as usize / 64] = 1 << (k % 64);
        big.finish(cx.ctx, false)
    }
}

/// The number of significant bits of a non-zero exact integer's magnitude.
unsafe fn bit_length(v: u64) -> i64 {
    let mut b = [0];
    let m = unsafe { int(v, &mut b) }.magnitude;
    match m.last() {
        Some(top) => 64 * m.len() as i64 - i64::from(top.leading_zeros()),
        None => 0,
    }
}

/// The nearest double to the ratnum `v`: the quotient is computed to 128 or more bits with a
/// sticky bit for the remainder, so the conversion rounds once. (Results in the subnormal
/// range may round twice.)
///
/// # Safety
/// As for [`arithmetic`]; `v` must be a ratnum.
pub unsafe fn ratnum_to_f64(cx: Cx, v: u64) -> f64 {
    unsafe {
        let (n, d) = parts(v);
        let shift = 130 - (bit_length(n) - bit_length(d));
        let (scaled_n, scaled_d) = if shift >= 0 {
            (mul(cx, n, power_of_two(cx, shift as u32)), d)
        } else {
            (n, mul(cx, d, power_of_two(cx, (-shift) as u32)))
        };
        let (q, r) = div_rem(cx, scaled_n, scaled_d);
        // q has at least 129 bits, so a sticky bit for the remainder in its lowest bit is far
        // below the rounding position.
        let mut bq = [0];
        let qi = int(q, &mut bq);
        let f = if r == fixnum(0) {
            integer::to_f64(qi)
        } else {
            let copy = super::heap::scratch(cx.ctx, qi.magnitude.len());
            copy.copy_from_slice(qi.magnitude);
            copy[0] |= 1;
            integer::to_f64(Int {
                negative: qi.negative,
                magnitude: copy,
            })
        };
        scale_down(f, shift)
    }
}

/// `x * 2^-shift`, for `shift` of either sign.
fn scale_down(mut x: f64, mut shift: i64) -> f64 {
    while shift != 0 && x != 0.0 && x.is_finite() {
        let step = shift.clamp(-1000, 1000);
        x *= f64::from_bits(((1023 - step) as u64) << 52);
        shift -= step;
    }
    x
}
