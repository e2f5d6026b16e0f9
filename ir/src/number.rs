//! Scheme numbers at compile time: the numeric tower as far as loko's datums need it.
//!
//! Exact integers are `Fixnum` when they fit in an `i64` and `Bignum` otherwise; exact
//! non-integers are `Ratnum` (always in lowest terms with a denominator above 1); inexact reals
//! are IEEE doubles, including the infinities, NaN and negative zero. The constructors keep these
//! invariants, so two equal exact numbers always have the same representation and derived
//! equality on exact numbers is numeric equality.
//!
//! **Complex numbers are not supported** (yet): the reader recognises their syntax and reports
//! "complex numbers are not supported" instead of misreading `+i` or `1+2i` as a symbol.
//!
//! Bignum and rational arithmetic come from `num-bigint`/`num-rational`: the compiler needs only
//! correct (not fast) exact arithmetic for constants, and those crates round big integer and
//! rational to double conversions correctly, which is easy to get subtly wrong.

use std::fmt;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{One, Signed, ToPrimitive, Zero};

/// A number of the Scheme numeric tower (real numbers only).
#[derive(Clone, PartialEq, Debug)]
pub enum Number {
    /// An exact integer in the range of `i64`.
    Fixnum(i64),
    /// An exact integer outside the range of `i64`. Boxed, like `Ratnum`, to keep `Number` (and
    /// so every datum) at 16 bytes: big numbers are rare in source.
    Bignum(Box<BigInt>),
    /// An exact rational that is not an integer, in lowest terms with a positive denominator.
    Ratnum(Box<BigRational>),
    /// An inexact real.
    Flonum(f64),
}

impl Number {
    /// The exact integer `n`, as a `Fixnum` when it fits.
    pub fn integer(n: BigInt) -> Number {
        match n.to_i64() {
            Some(small) => Number::Fixnum(small),
            None => Number::Bignum(Box::new(n)),
        }
    }

    /// The exact rational `r`, as an integer when its denominator is 1.
    pub fn rational(r: BigRational) -> Number {
        // `BigRational::new` reduces, but a ratio built with `new_raw` may not be; reduce again.
        let r = BigRational::new(r.numer().clone(), r.denom().clone());
        if r.denom().is_one() {
            Number::integer(r.numer().clone())
        } else {
            Number::Ratnum(Box::new(r))
        }
    }

    /// Whether the number is exact.
    pub fn is_exact(&self) -> bool {
        !matches!(self, Number::Flonum(_))
    }

    /// The exact value as a rational, or `None` for a flonum.
    pub fn to_rational(&self) -> Option<BigRational> {
        match self {
            Number::Fixnum(n) => Some(BigRational::from_integer(BigInt::from(*n))),
            Number::Bignum(n) => Some(BigRational::from_integer((**n).clone())),
            Number::Ratnum(r) => Some((**r).clone()),
            Number::Flonum(_) => None,
        }
    }

    /// The nearest double (`exact->inexact`), rounding ties to even.
    pub fn to_f64(&self) -> f64 {
        match self {
            Number::Fixnum(n) => *n as f64,
            Number::Bignum(n) => n.to_f64().unwrap_or(f64::NAN),
            Number::Ratnum(r) => r.to_f64().unwrap_or(f64::NAN),
            Number::Flonum(x) => *x,
        }
    }

    /// `eqv?` on numbers: same exactness and value; flonums compare by bit pattern except that
    /// all NaNs are alike (so `-0.0` and `0.0` differ, and `+nan.0` equals itself).
    pub fn eqv(&self, other: &Number) -> bool {
        match (self, other) {
            (Number::Flonum(a), Number::Flonum(b)) => {
                a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan())
            }
            _ => self == other,
        }
    }

    /// Whether the number is zero (of either exactness).
    pub fn is_zero(&self) -> bool {
        match self {
            Number::Fixnum(n) => *n == 0,
            Number::Bignum(n) => n.is_zero(),
            Number::Ratnum(r) => r.is_zero(),
            Number::Flonum(x) => *x == 0.0,
        }
    }

    /// Whether the number is negative (`-0.0` and NaN are not).
    pub fn is_negative(&self) -> bool {
        match self {
            Number::Fixnum(n) => *n < 0,
            Number::Bignum(n) => n.is_negative(),
            Number::Ratnum(r) => r.is_negative(),
            Number::Flonum(x) => *x < 0.0,
        }
    }
}

/// Writes the number in radix 10 as `write` does, in syntax the reader reads back as an `eqv?`
/// number.
impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Number::Fixnum(n) => write!(f, "{n}"),
            Number::Bignum(n) => write!(f, "{n}"),
            Number::Ratnum(r) => write!(f, "{}/{}", r.numer(), r.denom()),
            Number::Flonum(x) => f.write_str(&flonum_to_string(*x)),
        }
    }
}

/// The shortest Scheme text that reads back as exactly `x`.
///
/// Rust's float formatting already produces the shortest digit string that round-trips; this
/// only chooses between positional (`123.5`, `0.001`) and exponent (`1e300`, `1.5e-7`) notation
/// the way other Schemes do, and makes sure positional output has a `.` so it reads as inexact.
pub fn flonum_to_string(x: f64) -> String {
    if x.is_nan() {
        return "+nan.0".to_owned();
    }
    if x.is_infinite() {
        return if x > 0.0 { "+inf.0" } else { "-inf.0" }.to_owned();
    }
    // `{:e}` gives the shortest round-trip digits as `d.ddde<exp>`.
    let sci = format!("{x:e}");
    let (mantissa, exponent) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-6..21).contains(&exponent) {
        let positional = format!("{x}");
        if positional.contains('.') {
            positional
        } else {
            positional + ".0"
        }
    } else {
        format!("{mantissa}e{exponent}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flonums_print_in_scheme_syntax() {
        let cases = [
            (1.0, "1.0"),
            (-0.0, "-0.0"),
            (0.1, "0.1"),
            (1e300, "1e300"),
            (1.5e-7, "1.5e-7"),
            (123456.75, "123456.75"),
            (1e20, "100000000000000000000.0"),
            (1e21, "1e21"),
            (f64::INFINITY, "+inf.0"),
            (f64::NEG_INFINITY, "-inf.0"),
            (f64::NAN, "+nan.0"),
            (5e-324, "5e-324"),
        ];
        for (x, text) in cases {
            assert_eq!(flonum_to_string(x), text);
        }
    }

    #[test]
    fn constructors_normalise_exact_numbers() {
        let big: BigInt = BigInt::from(i64::MAX) + 1;
        assert!(matches!(Number::integer(big.clone()), Number::Bignum(_)));
        assert_eq!(Number::integer(big - 1), Number::Fixnum(i64::MAX));
        let r = BigRational::new(BigInt::from(6), BigInt::from(-4));
        assert_eq!(Number::rational(r).to_string(), "-3/2");
        let r = BigRational::new(BigInt::from(6), BigInt::from(3));
        assert_eq!(Number::rational(r), Number::Fixnum(2));
    }
}
