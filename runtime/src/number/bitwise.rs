//! Bitwise operations on exact integers, for `(rnrs arithmetic bitwise)` and the fixnum
//! procedures: integers are two's complement numbers of unbounded width (a negative one has
//! infinitely many leading ones). Bignums are sign and magnitude, so the logical operations
//! convert negative operands to two's complement limbs in scratch space and the result back;
//! the counts and shifts work on the magnitude directly.

use super::heap::{Int, NewBignum, scratch};
use crate::context::Context;
use crate::value::fixnum;

/// A logical operation on limbs.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Logic {
    And,
    Ior,
    Xor,
}

/// `a` `op` `b` in two's complement.
///
/// # Safety
/// `ctx` must be the running program's context.
pub unsafe fn logical(ctx: *mut Context, op: Logic, a: Int<'_>, b: Int<'_>) -> u64 {
    // One limb more than either magnitude: room for the sign.
    let n = a.magnitude.len().max(b.magnitude.len()) + 1;
    unsafe {
        let x = twos_complement(ctx, a, n);
        let y = twos_complement(ctx, b, n);
        let mut result = NewBignum::new(ctx, n);
        let limbs = result.limbs();
        for (r, (&x, &y)) in limbs.iter_mut().zip(x.iter().zip(y.iter())) {
            *r = match op {
                Logic::And => x & y,
                Logic::Ior => x | y,
                Logic::Xor => x ^ y,
            };
        }
        let negative = limbs[n - 1] >> 63 == 1;
        if negative {
            negate(limbs);
        }
        result.finish(ctx, negative)
    }
}

/// `a`'s low `n` limbs in two's complement, in scratch space.
unsafe fn twos_complement<'a>(ctx: *mut Context, a: Int<'_>, n: usize) -> &'a mut [u64] {
    let limbs = unsafe { scratch(ctx, n) };
    limbs[..a.magnitude.len()].copy_from_slice(a.magnitude);
    if a.negative {
        negate(limbs);
    }
    limbs
}

/// Two's complement negation in place: invert, then add one.
fn negate(limbs: &mut [u64]) {
    let mut carry = true;
    for limb in limbs {
        let (sum, overflow) = (!*limb).overflowing_add(u64::from(carry));
        *limb = sum;
        carry = overflow;
    }
}

/// `a * 2^count` rounded toward negative infinity (an arithmetic shift left for a positive
/// `count`, right for a negative one).
///
/// # Safety
/// `ctx` must be the running program's context, with room for the result (the caller's
/// bound counts `count / 64` limbs).
pub unsafe fn shift(ctx: *mut Context, a: Int<'_>, count: i64) -> u64 {
    let m = a.magnitude;
    unsafe {
        if count >= 0 {
            let words = (count / 64) as usize;
            let bits = (count % 64) as u32;
            let mut result = NewBignum::new(ctx, m.len() + words + 1);
            let limbs = result.limbs();
            for (i, &limb) in m.iter().enumerate() {
                limbs[i + words] |= limb << bits;
                if bits > 0 {
                    limbs[i + words + 1] |= limb >> (64 - bits);
                }
            }
            return result.finish(ctx, a.negative);
        }
        // Right: floor(a / 2^s). For a negative `a` that is -(((|a| - 1) >> s) + 1).
        let s = count.unsigned_abs();
        let source: &[u64] = if a.negative {
            let less = scratch(ctx, m.len());
            less.copy_from_slice(m);
            for limb in less.iter_mut() {
                let (difference, borrow) = limb.overflowing_sub(1);
                *limb = difference;
                if !borrow {
                    break;
                }
            }
            less
        } else {
            m
        };
        let words = (s / 64).min(source.len() as u64) as usize;
        let bits = (s % 64) as u32;
        let kept = source.len() - words;
        let mut result = NewBignum::new(ctx, kept + 1);
        let limbs = result.limbs();
        for i in 0..kept {
            let low = source[i + words];
            let high = source.get(i + words + 1).copied().unwrap_or(0);
            limbs[i] = if bits == 0 {
                low
            } else {
                (low >> bits) | (high << (64 - bits))
            };
        }
        if a.negative {
            // Add one: the shifted value has a spare limb on top for the carry.
            for limb in limbs.iter_mut() {
                let (sum, carry) = limb.overflowing_add(1);
                *limb = sum;
                if !carry {
                    break;
                }
            }
        }
        result.finish(ctx, a.negative)
    }
}

/// R6RS `bitwise-bit-count`: the number of one bits of a non-negative `a`, and for a negative
/// one `(bitwise-not (bitwise-bit-count (bitwise-not a)))`, which is `-(ones(|a|) +
/// trailing zeros(|a|))` (|a| - 1 turns the lowest one into a zero and the zeros below it into
/// ones).
pub fn bit_count(a: Int<'_>) -> u64 {
    let ones: u64 = a.magnitude.iter().map(|l| u64::from(l.count_ones())).sum();
    if a.negative {
        fixnum(-((ones + trailing_zeros(a.magnitude)) as i64))
    } else {
        fixnum(ones as i64)
    }
}

/// R6RS `bitwise-length`: the bits needed for `a` without its sign; for a negative `a`, the
/// length of `|a| - 1`, one less than `|a|`'s when that is a power of two.
pub fn length(a: Int<'_>) -> u64 {
    let m = a.magnitude;
    let Some(&top) = m.last() else {
        return fixnum(0);
    };
    let bits = 64 * (m.len() as u64 - 1) + u64::from(64 - top.leading_zeros());
    let power_of_two = top.is_power_of_two() && m[..m.len() - 1].iter().all(|&l| l == 0);
    fixnum((bits - u64::from(a.negative && power_of_two)) as i64)
}

/// R6RS `bitwise-first-bit-set`: the index of the lowest one bit, -1 for zero (the same for
/// `a` and `-a`).
pub fn first_bit_set(a: Int<'_>) -> u64 {
    if a.magnitude.is_empty() {
        return fixnum(-1);
    }
    fixnum(trailing_zeros(a.magnitude) as i64)
}

fn trailing_zeros(m: &[u64]) -> u64 {
    let zero_limbs = m.iter().take_while(|&&l| l == 0).count();
    64 * zero_limbs as u64
        + m.get(zero_limbs)
            .map_or(0, |l| u64::from(l.trailing_zeros()))
}
