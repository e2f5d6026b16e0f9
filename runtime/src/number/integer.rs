//! Exact integer arithmetic on [`Int`]s (fixnums and bignums alike), producing Scheme values:
//! results that fit in a fixnum are fixnums.

use super::heap::{Int, NewBignum, scratch};
use super::natural;
use crate::context::Context;
use core::cmp::Ordering;

/// `a + b`.
///
/// # Safety
/// `ctx` must be the running program's context.
pub unsafe fn add(ctx: *mut Context, a: Int<'_>, b: Int<'_>) -> u64 {
    let (x, y) = (a.magnitude, b.magnitude);
    unsafe {
        if a.negative == b.negative {
            let mut big = NewBignum::new(ctx, x.len().max(y.len()) + 1);
            natural::add(x, y, big.limbs());
            return big.finish(ctx, a.negative);
        }
        // Opposite signs: the larger magnitude minus the smaller, with the larger's sign.
        let (large, small, negative) = match natural::compare(x, y) {
            Ordering::Less => (y, x, b.negative),
            _ => (x, y, a.negative),
        };
        let mut big = NewBignum::new(ctx, large.len());
        natural::sub(large, small, big.limbs());
        big.finish(ctx, negative)
    }
}

/// `a - b`.
///
/// # Safety
/// As for [`add`].
pub unsafe fn sub(ctx: *mut Context, a: Int<'_>, b: Int<'_>) -> u64 {
    unsafe { add(ctx, a, b.negate()) }
}

/// `a * b`.
///
/// # Safety
/// As for [`add`].
pub unsafe fn mul(ctx: *mut Context, a: Int<'_>, b: Int<'_>) -> u64 {
    unsafe {
        let mut big = NewBignum::new(ctx, a.magnitude.len() + b.magnitude.len());
        natural::mul(a.magnitude, b.magnitude, big.limbs());
        big.finish(ctx, a.negative != b.negative)
    }
}

/// Truncating division: `(quotient, remainder)`, the remainder taking the dividend's sign.
/// `b` must not be zero.
///
/// # Safety
/// As for [`add`].
pub unsafe fn div_rem(ctx: *mut Context, a: Int<'_>, b: Int<'_>) -> (u64, u64) {
    let (x, y) = (a.magnitude, b.magnitude);
    let q_negative = a.negative != b.negative;
    unsafe {
        if natural::compare(x, y) == Ordering::Less {
            let mut r = NewBignum::new(ctx, x.len());
            r.limbs().copy_from_slice(x);
            return (
                super::heap::integer_from_i128(ctx, 0),
                r.finish(ctx, a.negative),
            );
        }
        if y.len() == 1 {
            let mut q = NewBignum::new(ctx, x.len());
            q.limbs().copy_from_slice(x);
            let rem = natural::div_small_in_place(q.limbs(), y[0]);
            let q = q.finish(ctx, q_negative);
            let mut r = NewBignum::new(ctx, 1);
            r.limbs()[0] = rem;
            return (q, r.finish(ctx, a.negative));
        }
        let u = scratch(ctx, x.len() + 1);
        let v = scratch(ctx, y.len());
        let mut q = NewBignum::new(ctx, x.len() - y.len() + 1);
        let mut r = NewBignum::new(ctx, y.len());
        natural::div_rem(x, y, q.limbs(), r.limbs(), u, v);
        // `r` was allocated last, so it shrinks in place; `q` leaves a dead gap if it shrinks.
        let r = r.finish(ctx, a.negative);
        (q.finish(ctx, q_negative), r)
    }
}

/// Compares two exact integers.
pub fn compare(a: Int<'_>, b: Int<'_>) -> Ordering {
    match (a.negative, b.negative) {
        (false, true) => Ordering::Greater,
        (true, false) => Ordering::Less,
        (false, false) => natural::compare(a.magnitude, b.magnitude),
        (true, true) => natural::compare(b.magnitude, a.magnitude),
    }
}

/// The nearest double to `a` (ties to even; infinite beyond the double range).
pub fn to_f64(a: Int<'_>) -> f64 {
    let m = a.magnitude;
    let magnitude = match m.len() {
        0 => 0.0,
        1 => m[0] as f64,
        n => {
            // The top two limbs hold at least 65 significant bits; a sticky bit for any lower
            // non-zero limb makes rounding the 128-bit value the same as rounding the whole.
            let sticky = u128::from(m[..n - 2].iter().any(|&l| l != 0));
            let top = (u128::from(m[n - 1]) << 64) | u128::from(m[n - 2]) | sticky;
            scale(top as f64, 64 * (n as i32 - 2))
        }
    };
    if a.negative { -magnitude } else { magnitude }
}

/// `x * 2^exponent` for a non-negative `exponent`, exactly until it overflows to infinity.
fn scale(mut x: f64, mut exponent: i32) -> f64 {
    while exponent > 0 && x.is_finite() {
        let step = exponent.min(1000);
        x *= f64::from_bits(((1023 + step) as u64) << 52);
        exponent -= step;
    }
    x
}

/// Writes the digits of `a` in `radix` (2 to 16) through `emit`, a `-` first when negative.
///
/// # Safety
/// `ctx` must be the running program's context (the digits are computed in heap scratch).
pub unsafe fn write_digits(ctx: *mut Context, a: Int<'_>, radix: u32, emit: &mut dyn FnMut(u8)) {
    if a.negative {
        emit(b'-');
    }
    let m = a.magnitude;
    if m.is_empty() {
        return emit(b'0');
    }
    // Divide by the largest power of the radix that fits in a limb, collecting the chunks
    // (least significant first), then print them most significant first.
    let (chunk_base, chunk_digits) = {
        let (mut base, mut digits) = (u64::from(radix), 1);
        while let Some(next) = base.checked_mul(u64::from(radix)) {
            base = next;
            digits += 1;
        }
        (base, digits)
    };
    unsafe {
        let work = scratch(ctx, m.len());
        work.copy_from_slice(m);
        let chunks = scratch(ctx, 2 * m.len() + 1);
        let mut count = 0;
        let mut len = m.len();
        while len > 0 {
            chunks[count] = natural::div_small_in_place(&mut work[..len], chunk_base);
            count += 1;
            len = natural::trim(&work[..len]).len();
        }
        let digit = |d: u64| b"0123456789abcdef"[d as usize];
        for (i, &chunk) in chunks[..count].iter().rev().enumerate() {
            let mut buf = [0u8; 64];
            let mut c = chunk;
            for slot in buf[..chunk_digits].iter_mut().rev() {
                *slot = digit(c % u64::from(radix));
                c /= u64::from(radix);
            }
            let text = &buf[..chunk_digits];
            // The most significant chunk goes without its leading zeros.
            let start = if i == 0 {
                text.iter()
                    .position(|&b| b != b'0')
                    .unwrap_or(chunk_digits - 1)
            } else {
                0
            };
            for &b in &text[start..] {
                emit(b);
            }
        }
    }
}
