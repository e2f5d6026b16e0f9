//! Natural numbers as slices of 64-bit limbs, least significant first: the magnitude arithmetic
//! under bignums. Every function writes into a buffer the caller provides (the runtime has no
//! allocator but the Scheme heap), and results may carry leading zero limbs: [`trim`] them.

use core::cmp::Ordering;

/// `digits` without its leading (most significant) zero limbs.
pub fn trim(digits: &[u64]) -> &[u64] {
    let mut n = digits.len();
    while n > 0 && digits[n - 1] == 0 {
        n -= 1;
    }
    &digits[..n]
}

/// Compares two trimmed naturals.
pub fn compare(a: &[u64], b: &[u64]) -> Ordering {
    if a.len() != b.len() {
        return a.len().cmp(&b.len());
    }
    for i in (0..a.len()).rev() {
        if a[i] != b[i] {
            return a[i].cmp(&b[i]);
        }
    }
    Ordering::Equal
}

/// `out = a + b`; `out` needs `max(a, b) + 1` limbs.
pub fn add(a: &[u64], b: &[u64], out: &mut [u64]) {
    let (long, short) = if a.len() >= b.len() { (a, b) } else { (b, a) };
    let mut carry = 0u64;
    for i in 0..long.len() {
        let (s, c1) = long[i].overflowing_add(*short.get(i).unwrap_or(&0));
        let (s, c2) = s.overflowing_add(carry);
        out[i] = s;
        carry = u64::from(c1 | c2);
    }
    out[long.len()] = carry;
    out[long.len() + 1..].fill(0);
}

/// `out = a - b` for `a >= b`; `out` needs `a.len()` limbs.
pub fn sub(a: &[u64], b: &[u64], out: &mut [u64]) {
    let mut borrow = 0u64;
    for i in 0..a.len() {
        let (d, b1) = a[i].overflowing_sub(*b.get(i).unwrap_or(&0));
        let (d, b2) = d.overflowing_sub(borrow);
        out[i] = d;
        borrow = u64::from(b1 | b2);
    }
    out[a.len()..].fill(0);
}

/// `out = a * b`; `out` needs `a.len() + b.len()` limbs (schoolbook multiplication).
pub fn mul(a: &[u64], b: &[u64], out: &mut [u64]) {
    out.fill(0);
    for (i, &x) in a.iter().enumerate() {
        if x == 0 {
            continue;
        }
        let mut carry = 0u128;
        for (j, &y) in b.iter().enumerate() {
            let t = u128::from(x) * u128::from(y) + u128::from(out[i + j]) + carry;
            out[i + j] = t as u64;
            carry = t >> 64;
        }
        out[i + b.len()] = carry as u64;
    }
}

/// `q = a / d` in place of `a`, returning the remainder; `d` must not be zero.
pub fn div_small_in_place(a: &mut [u64], d: u64) -> u64 {
    let mut rem = 0u128;
    for limb in a.iter_mut().rev() {
        let cur = (rem << 64) | u128::from(*limb);
        *limb = (cur / u128::from(d)) as u64;
        rem = cur % u128::from(d);
    }
    rem as u64
}

/// `q = a / b`, `r = a mod b` for a trimmed `b` of at least two limbs with `a >= b` (Knuth's
/// algorithm D, TAOCP 4.3.1). `q` needs `a.len() - b.len() + 1` limbs, `r` `b.len()` limbs;
/// `u` (`a.len() + 1` limbs) and `v` (`b.len()` limbs) are scratch.
pub fn div_rem(a: &[u64], b: &[u64], q: &mut [u64], r: &mut [u64], u: &mut [u64], v: &mut [u64]) {
    let n = b.len();
    let m = a.len() - n;
    // Normalize so that the divisor's top limb has its high bit set.
    let shift = b[n - 1].leading_zeros();
    shift_left(b, shift, v);
    shift_left(a, shift, &mut u[..a.len()]);
    u[a.len()] = if shift == 0 {
        0
    } else {
        a[a.len() - 1] >> (64 - shift)
    };
    let top = u128::from(v[n - 1]);
    let next = u128::from(v[n - 2]);
    for j in (0..=m).rev() {
        // Estimate the quotient limb from the top two limbs, then correct it.
        let numerator = (u128::from(u[j + n]) << 64) | u128::from(u[j + n - 1]);
        let mut qhat = numerator / top;
        let mut rhat = numerator % top;
        while qhat >> 64 != 0 || qhat * next > ((rhat << 64) | u128::from(u[j + n - 2])) {
            qhat -= 1;
            rhat += top;
            if rhat >> 64 != 0 {
                break;
            }
        }
        // u[j..=j+n] -= qhat * v
        let mut borrow = 0i128;
        let mut carry = 0u128;
        for i in 0..n {
            let p = qhat * u128::from(v[i]) + carry;
            carry = p >> 64;
            let t = i128::from(u[i + j]) - i128::from(p as u64) + borrow;
            u[i + j] = t as u64;
            borrow = t >> 64;
        }
        let t = i128::from(u[j + n]) - carry as i128 + borrow;
        u[j + n] = t as u64;
        if t < 0 {
            // qhat was one too large: add the divisor back.
            qhat -= 1;
            let mut carry = 0u128;
            for i in 0..n {
                let s = u128::from(u[i + j]) + u128::from(v[i]) + carry;
                u[i + j] = s as u64;
                carry = s >> 64;
            }
            u[j + n] = u[j + n].wrapping_add(carry as u64);
        }
        q[j] = qhat as u64;
    }
    // The remainder is u's low n limbs shifted back.
    for i in 0..n {
        r[i] = if shift == 0 {
            u[i]
        } else {
            (u[i] >> shift) | (u[i + 1] << (64 - shift))
        };
    }
}

/// `out = a << shift` for `shift < 64`, dropping bits shifted out of `a.len()` limbs.
fn shift_left(a: &[u64], shift: u32, out: &mut [u64]) {
    for i in (0..a.len()).rev() {
        let low = if shift == 0 || i == 0 {
            0
        } else {
            a[i - 1] >> (64 - shift)
        };
        out[i] = (a[i] << shift) | low;
    }
}

// The workspace's seeded generator (SplitMix64), so test failures reproduce.
#[cfg(test)]
#[path = "../../../ir/tests/prng/mod.rs"]
mod prng;

#[cfg(test)]
mod tests {
    use super::*;

    use super::prng::Rng;

    /// A natural of 1 to `max_len` limbs, rich in all-ones and zero limbs.
    fn natural(rng: &mut Rng, max_len: usize) -> Vec<u64> {
        let len = rng.below(max_len as u64) as usize + 1;
        (0..len)
            .map(|_| match rng.below(4) {
                0 => u64::MAX,
                1 => 0,
                _ => rng.next(),
            })
            .collect()
    }

    #[test]
    fn division_inverts_multiplication() {
        let mut rng = Rng::new(0x9e37_79b9_7f4a_7c15);
        let mut checked = 0;
        for _ in 0..2000 {
            let b = natural(&mut rng, 5);
            let b = trim(&b).to_vec();
            let q0 = natural(&mut rng, 5);
            if b.len() < 2 {
                continue;
            }
            // r0 < b: fewer limbs, or b with its top limb lowered.
            let mut r0 = natural(&mut rng, b.len());
            r0.truncate(b.len());
            if r0.len() == b.len() {
                r0[b.len() - 1] = b[b.len() - 1] - 1;
            }
            if compare(trim(&r0), &b) != Ordering::Less {
                continue;
            }
            // a = q0 * b + r0
            let mut p = vec![0; q0.len() + b.len()];
            mul(&q0, &b, &mut p);
            let mut a = vec![0; p.len() + 1];
            add(&p, &r0, &mut a);
            let a = trim(&a).to_vec();
            if compare(&a, &b) == Ordering::Less {
                continue;
            }
            let mut q = vec![0; a.len() - b.len() + 1];
            let mut r = vec![0; b.len()];
            let mut u = vec![0; a.len() + 1];
            let mut v = vec![0; b.len()];
            div_rem(&a, &b, &mut q, &mut r, &mut u, &mut v);
            assert_eq!(trim(&q), trim(&q0), "a={a:x?} b={b:x?}");
            assert_eq!(trim(&r), trim(&r0), "a={a:x?} b={b:x?}");
            checked += 1;
        }
        assert!(checked > 500, "only {checked} divisions checked");
    }

    #[test]
    fn add_sub_and_small_division() {
        let a = [u64::MAX, u64::MAX];
        let mut s = [0; 3];
        add(&a, &[1], &mut s);
        assert_eq!(s, [0, 0, 1]);
        let mut d = [0; 3];
        sub(&s, &[1], &mut d);
        assert_eq!(trim(&d), &a);
        let mut x = [0, 0, 1];
        assert_eq!(div_small_in_place(&mut x, 10), 6); // 2^128 = 34028236692093846346337460743176821145 6
        assert_eq!(
            compare(trim(&x), &[0x9999_9999_9999_9999, 0x1999_9999_9999_9999]),
            Ordering::Equal
        );
    }
}
