//! Generic arithmetic: the numeric tower at run time (fixnums, bignums, ratnums, flonums).
//!
//! Generated code open-codes fixnum arithmetic and calls the one `number` service
//! ([`number_service`]) when an operand is not a fixnum or a result overflows; the primitives
//! that are never open-coded (`/`, `sqrt`, `exact`, `number->string`, ...) call it directly.
//! The operation is a [`NumberOp`] number.
//!
//! * [`natural`]: magnitudes as limb slices (add, subtract, multiply, Knuth division).
//! * [`heap`]: number objects on the heap, scratch space, reading values.
//! * [`integer`]: exact integers (fixnum or bignum) to values.
//! * [`rational`]: ratnums, and exact/inexact conversions.
//! * [`text`]: `number->string`, `string->number` and printing.
//! * [`bitwise`]: two's complement logical operations, shifts and bit counts.
//!
//! Representations are normalized, so `eqv?` on exact numbers is structural: an exact integer
//! is a fixnum whenever it fits, a ratnum is in lowest terms with a denominator above 1.

pub mod bitwise;
pub mod heap;
pub mod integer;
pub mod natural;
pub mod rational;
pub mod text;

use crate::context::Context;
use crate::error::{ErrorKind, raise};
use crate::object::{header_of, tag};
use crate::value::*;
use core::cmp::Ordering;
use heap::{Int, flonum_value, integer as int_of, make_flonum};

/// The operations of the `number` service. Binary operations use both operands, unary ones the
/// first only.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
#[repr(u64)]
pub enum NumberOp {
    Add,
    Subtract,
    Multiply,
    Divide,
    Quotient,
    Remainder,
    Modulo,
    Equal,
    Less,
    Greater,
    LessEqual,
    GreaterEqual,
    Eqv,
    Expt,
    NumberToString,
    StringToNumber,
    Negate,
    IsZero,
    IsNumber,
    IsInteger,
    IsRational,
    IsExact,
    IsInexact,
    IsExactInteger,
    IsNan,
    IsInfinite,
    IsFinite,
    IsFlonum,
    Exact,
    Inexact,
    Floor,
    Ceiling,
    Round,
    Truncate,
    Sqrt,
    Exp,
    Log,
    Sin,
    Cos,
    Tan,
    Asin,
    Acos,
    Atan,
    Numerator,
    Denominator,
    BitAnd,
    BitIor,
    BitXor,
    ArithmeticShift,
    BitCount,
    BitLength,
    FirstBitSet,
}

impl NumberOp {
    const ALL: [NumberOp; 52] = [
        NumberOp::Add,
        NumberOp::Subtract,
        NumberOp::Multiply,
        NumberOp::Divide,
        NumberOp::Quotient,
        NumberOp::Remainder,
        NumberOp::Modulo,
        NumberOp::Equal,
        NumberOp::Less,
        NumberOp::Greater,
        NumberOp::LessEqual,
        NumberOp::GreaterEqual,
        NumberOp::Eqv,
        NumberOp::Expt,
        NumberOp::NumberToString,
        NumberOp::StringToNumber,
        NumberOp::Negate,
        NumberOp::IsZero,
        NumberOp::IsNumber,
        NumberOp::IsInteger,
        NumberOp::IsRational,
        NumberOp::IsExact,
        NumberOp::IsInexact,
        NumberOp::IsExactInteger,
        NumberOp::IsNan,
        NumberOp::IsInfinite,
        NumberOp::IsFinite,
        NumberOp::IsFlonum,
        NumberOp::Exact,
        NumberOp::Inexact,
        NumberOp::Floor,
        NumberOp::Ceiling,
        NumberOp::Round,
        NumberOp::Truncate,
        NumberOp::Sqrt,
        NumberOp::Exp,
        NumberOp::Log,
        NumberOp::Sin,
        NumberOp::Cos,
        NumberOp::Tan,
        NumberOp::Asin,
        NumberOp::Acos,
        NumberOp::Atan,
        NumberOp::Numerator,
        NumberOp::Denominator,
        NumberOp::BitAnd,
        NumberOp::BitIor,
        NumberOp::BitXor,
        NumberOp::ArithmeticShift,
        NumberOp::BitCount,
        NumberOp::BitLength,
        NumberOp::FirstBitSet,
    ];

    fn from_u64(n: u64) -> Option<NumberOp> {
        NumberOp::ALL.get(n as usize).copied()
    }
}

/// What kind of number a value is.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Fixnum,
    Bignum,
    Ratnum,
    Flonum,
}

/// The kind of number `v` is, or `None` when it is not a number.
///
/// # Safety
/// `v` must be a valid value.
pub unsafe fn kind(v: u64) -> Option<Kind> {
    match tag(v) {
        TAG_FIXNUM => Some(Kind::Fixnum),
        TAG_OBJECT => match unsafe { header_of(v) }.0 {
            HEADER_BIGNUM => Some(Kind::Bignum),
            HEADER_RATNUM => Some(Kind::Ratnum),
            HEADER_FLONUM => Some(Kind::Flonum),
            _ => None,
        },
        _ => None,
    }
}

fn boolean(b: bool) -> u64 {
    if b { TRUE } else { FALSE }
}

/// The `number` service: `op` applied to `a` (and `b`), errors naming `who`.
///
/// # Safety
/// `ctx` must be the running program's context and the values valid.
pub unsafe extern "sysv64" fn number_service(
    ctx: *mut Context,
    op: u64,
    a: u64,
    b: u64,
    who: u64,
) -> u64 {
    let Some(op) = NumberOp::from_u64(op) else {
        unsafe { raise(ctx, ErrorKind::Unsupported, who, fixnum(op as i64)) }
    };
    // The collector's retry protocol: room for a generous bound on what the operation makes
    // (results and scratch space grow with the operands' sizes), or a retry after a
    // collection. Within the operation, allocation may run past the bound into the heap's
    // reserve (`object::allocate_reserved`), so an underestimate costs no correctness.
    let mut bound = unsafe { 4096 + 64 * 8 * (words(a) + words(b)) };
    if op == NumberOp::ArithmeticShift && tag(b) == TAG_FIXNUM && (b as i64) > 0 {
        // A left shift makes `count / 64` limbs more than it was given.
        bound = bound.saturating_add(((b as i64 >> FIXNUM_SHIFT) / 8) as usize + 16);
    }
    if !unsafe { crate::object::reserve(ctx, bound) } {
        return RETRY;
    }
    let cx = Cx { ctx, who };
    unsafe { cx.apply(op, a, b) }
}

/// The words of the heap object `v` (and of a ratnum's parts), or 0 for anything else; a
/// string counts its characters, for `string->number`.
///
/// # Safety
/// `v` must be a valid value.
unsafe fn words(v: u64) -> usize {
    if tag(v) != TAG_OBJECT {
        return 0;
    }
    unsafe {
        let (kind, len) = header_of(v);
        match kind {
            HEADER_RATNUM => {
                let part = |offset: i32| words(crate::object::field(v, offset));
                3 + part(OBJECT_DATA) + part(OBJECT_DATA + 8)
            }
            HEADER_BIGNUM | HEADER_FLONUM => 1 + len,
            HEADER_STRING => len,
            _ => 0,
        }
    }
}

/// One service call's context: where to allocate, whom errors name.
#[derive(Clone, Copy)]
pub struct Cx {
    pub ctx: *mut Context,
    pub who: u64,
}

impl Cx {
    /// Reports `bad` as a wrong-type argument.
    ///
    /// # Safety
    /// `self.ctx` must be the running program's context and the values valid.
    pub unsafe fn wrong_type(self, bad: u64) -> ! {
        unsafe { raise(self.ctx, ErrorKind::WrongType, self.who, bad) }
    }

    /// The kind of `v`, which must be a number.
    ///
    /// # Safety
    /// `self.ctx` must be the running program's context and the values valid.
    pub unsafe fn number(self, v: u64) -> Kind {
        match unsafe { kind(v) } {
            Some(k) => k,
            None => unsafe { self.wrong_type(v) },
        }
    }

    /// `v`, which must be a real number, as a double.
    ///
    /// # Safety
    /// `self.ctx` must be the running program's context and the values valid.
    pub unsafe fn to_f64(self, v: u64) -> f64 {
        unsafe {
            match self.number(v) {
                Kind::Flonum => flonum_value(v),
                Kind::Ratnum => rational::ratnum_to_f64(self, v),
                Kind::Fixnum | Kind::Bignum => integer::to_f64(int_of(v, &mut [0]).unwrap_or(ZERO)),
            }
        }
    }

    unsafe fn apply(self, op: NumberOp, a: u64, b: u64) -> u64 {
        use NumberOp::*;
        unsafe {
            match op {
                Add | Subtract | Multiply | Divide => self.arithmetic(op, a, b),
                Quotient | Remainder | Modulo => self.integer_division(op, a, b),
                Equal => boolean(self.compare(a, b) == Some(Ordering::Equal)),
                Less => boolean(self.compare(a, b) == Some(Ordering::Less)),
                Greater => boolean(self.compare(a, b) == Some(Ordering::Greater)),
                LessEqual => boolean(matches!(
                    self.compare(a, b),
                    Some(Ordering::Less | Ordering::Equal)
                )),
                GreaterEqual => boolean(matches!(
                    self.compare(a, b),
                    Some(Ordering::Greater | Ordering::Equal)
                )),
                Eqv => boolean(eqv(a, b)),
                Expt => self.expt(a, b),
                NumberToString => text::number_to_string(self, a, b),
                StringToNumber => text::string_to_number(self, a, b),
                Negate => match self.number(a) {
                    Kind::Flonum => make_flonum(self.ctx, -flonum_value(a)),
                    _ => self.arithmetic(Subtract, fixnum(0), a),
                },
                IsZero => match self.number(a) {
                    Kind::Flonum => boolean(flonum_value(a) == 0.0),
                    _ => boolean(a == fixnum(0)),
                },
                IsNumber => boolean(kind(a).is_some()),
                IsInteger => boolean(match kind(a) {
                    Some(Kind::Fixnum | Kind::Bignum) => true,
                    Some(Kind::Flonum) => {
                        let x = flonum_value(a);
                        x.is_finite() && libm::trunc(x) == x
                    }
                    _ => false,
                }),
                IsRational => boolean(match kind(a) {
                    Some(Kind::Flonum) => flonum_value(a).is_finite(),
                    k => k.is_some(),
                }),
                IsExact => boolean(self.number(a) != Kind::Flonum),
                IsInexact => boolean(self.number(a) == Kind::Flonum),
                IsExactInteger => boolean(matches!(kind(a), Some(Kind::Fixnum | Kind::Bignum))),
                IsFlonum => boolean(kind(a) == Some(Kind::Flonum)),
                IsNan => boolean(self.number(a) == Kind::Flonum && flonum_value(a).is_nan()),
                IsInfinite => {
                    boolean(self.number(a) == Kind::Flonum && flonum_value(a).is_infinite())
                }
                IsFinite => boolean(self.number(a) != Kind::Flonum || flonum_value(a).is_finite()),
                Exact => rational::exact(self, a),
                Inexact => match self.number(a) {
                    Kind::Flonum => a,
                    _ => make_flonum(self.ctx, self.to_f64(a)),
                },
                Floor | Ceiling | Round | Truncate => self.rounding(op, a),
                Sqrt => self.sqrt(a),
                // Two-argument forms: `(atan y x)`, `(log z base)`.
                Atan if b != FALSE => {
                    make_flonum(self.ctx, libm::atan2(self.to_f64(a), self.to_f64(b)))
                }
                Log if b != FALSE => make_flonum(
                    self.ctx,
                    libm::log(self.to_f64(a)) / libm::log(self.to_f64(b)),
                ),
                Exp | Log | Sin | Cos | Tan | Asin | Acos | Atan => {
                    let x = self.to_f64(a);
                    if op == Exp && a == fixnum(0) {
                        return fixnum(1);
                    }
                    let y = match op {
                        Exp => libm::exp(x),
                        Log => libm::log(x),
                        Sin => libm::sin(x),
                        Cos => libm::cos(x),
                        Tan => libm::tan(x),
                        Asin => libm::asin(x),
                        Acos => libm::acos(x),
                        _ => libm::atan(x),
                    };
                    make_flonum(self.ctx, y)
                }
                Numerator | Denominator => rational::numerator_denominator(self, op, a),
                BitAnd | BitIor | BitXor | ArithmeticShift | BitCount | BitLength | FirstBitSet => {
                    self.bitwise(op, a, b)
                }
            }
        }
    }

    /// `+ - * /` of two numbers of any kinds: inexact if either is, else exact.
    ///
    /// # Safety
    /// `self.ctx` must be the running program's context and the values valid.
    pub unsafe fn arithmetic(self, op: NumberOp, a: u64, b: u64) -> u64 {
        unsafe {
            let (ka, kb) = (self.number(a), self.number(b));
            if ka == Kind::Flonum || kb == Kind::Flonum {
                let (x, y) = (self.to_f64(a), self.to_f64(b));
                let z = match op {
                    NumberOp::Add => x + y,
                    NumberOp::Subtract => x - y,
                    NumberOp::Multiply => x * y,
                    // With a flonum operand, dividing by zero gives an infinity or a NaN, as in
                    // Chez Scheme; only exact division by exact zero is an error.
                    _ => x / y,
                };
                return make_flonum(self.ctx, z);
            }
            if ka == Kind::Ratnum || kb == Kind::Ratnum || op == NumberOp::Divide {
                return rational::arithmetic(self, op, a, b);
            }
            let (mut ba, mut bb) = ([0], [0]);
            let x = int_of(a, &mut ba).unwrap_or(ZERO);
            let y = int_of(b, &mut bb).unwrap_or(ZERO);
            match op {
                NumberOp::Add => integer::add(self.ctx, x, y),
                NumberOp::Subtract => integer::sub(self.ctx, x, y),
                _ => integer::mul(self.ctx, x, y),
            }
        }
    }

    /// The bitwise operations on exact integers; `ArithmeticShift`'s count `b` is a fixnum.
    unsafe fn bitwise(self, op: NumberOp, a: u64, b: u64) -> u64 {
        use bitwise::Logic;
        unsafe {
            let mut ba = [0];
            let Some(x) = int_of(a, &mut ba) else {
                self.wrong_type(a)
            };
            match op {
                NumberOp::BitCount => return bitwise::bit_count(x),
                NumberOp::BitLength => return bitwise::length(x),
                NumberOp::FirstBitSet => return bitwise::first_bit_set(x),
                NumberOp::ArithmeticShift => {
                    if tag(b) != TAG_FIXNUM {
                        self.wrong_type(b);
                    }
                    return bitwise::shift(self.ctx, x, b as i64 >> FIXNUM_SHIFT);
                }
                _ => {}
            }
            let mut bb = [0];
            let Some(y) = int_of(b, &mut bb) else {
                self.wrong_type(b)
            };
            let logic = match op {
                NumberOp::BitAnd => Logic::And,
                NumberOp::BitIor => Logic::Ior,
                _ => Logic::Xor,
            };
            bitwise::logical(self.ctx, logic, x, y)
        }
    }

    /// `quotient`, `remainder`, `modulo` of integers (flonum integers give flonums).
    unsafe fn integer_division(self, op: NumberOp, a: u64, b: u64) -> u64 {
        unsafe {
            let (ka, kb) = (self.number(a), self.number(b));
            if ka == Kind::Flonum || kb == Kind::Flonum {
                let (x, y) = (self.to_f64(a), self.to_f64(b));
                for (v, z) in [(a, x), (b, y)] {
                    if !(z.is_finite() && libm::trunc(z) == z) {
                        self.wrong_type(v);
                    }
                }
                if y == 0.0 {
                    raise(self.ctx, ErrorKind::DivisionByZero, self.who, a);
                }
                let r = libm::fmod(x, y);
                let z = match op {
                    NumberOp::Quotient => libm::trunc(x / y),
                    NumberOp::Remainder => r,
                    _ if r != 0.0 && (r < 0.0) != (y < 0.0) => r + y,
                    _ => r,
                };
                return make_flonum(self.ctx, z);
            }
            let (mut ba, mut bb) = ([0], [0]);
            let Some(x) = int_of(a, &mut ba) else {
                self.wrong_type(a)
            };
            let Some(y) = int_of(b, &mut bb) else {
                self.wrong_type(b)
            };
            if y.is_zero() {
                raise(self.ctx, ErrorKind::DivisionByZero, self.who, a);
            }
            let (q, r) = integer::div_rem(self.ctx, x, y);
            match op {
                NumberOp::Quotient => q,
                NumberOp::Remainder => r,
                _ => {
                    // modulo takes the divisor's sign.
                    let mut br = [0];
                    let rem = int_of(r, &mut br).unwrap_or(ZERO);
                    if !rem.is_zero() && rem.negative != y.negative {
                        integer::add(self.ctx, rem, y)
                    } else {
                        r
                    }
                }
            }
        }
    }

    /// Compares two real numbers; `None` when either is a NaN. Exact and inexact numbers are
    /// compared exactly (a finite flonum is converted), so the comparison is transitive.
    ///
    /// # Safety
    /// `self.ctx` must be the running program's context and the values valid.
    pub unsafe fn compare(self, a: u64, b: u64) -> Option<Ordering> {
        unsafe {
            let (ka, kb) = (self.number(a), self.number(b));
            match (ka, kb) {
                (Kind::Flonum, Kind::Flonum) => flonum_value(a).partial_cmp(&flonum_value(b)),
                (Kind::Flonum, _) | (_, Kind::Flonum) => {
                    let (f, exact, flipped) = if ka == Kind::Flonum {
                        (flonum_value(a), b, false)
                    } else {
                        (flonum_value(b), a, true)
                    };
                    let order = if f.is_nan() {
                        return None;
                    } else if f.is_infinite() {
                        if f > 0.0 {
                            Ordering::Greater
                        } else {
                            Ordering::Less
                        }
                    } else {
                        self.compare(rational::exact_from_f64(self, f), exact)?
                    };
                    Some(if flipped { order.reverse() } else { order })
                }
                (Kind::Ratnum, _) | (_, Kind::Ratnum) => Some(rational::compare(self, a, b)),
                _ => {
                    let (mut ba, mut bb) = ([0], [0]);
                    Some(integer::compare(
                        int_of(a, &mut ba).unwrap_or(ZERO),
                        int_of(b, &mut bb).unwrap_or(ZERO),
                    ))
                }
            }
        }
    }

    /// `floor`, `ceiling`, `round` (to even), `truncate`.
    unsafe fn rounding(self, op: NumberOp, a: u64) -> u64 {
        unsafe {
            match self.number(a) {
                Kind::Fixnum | Kind::Bignum => a,
                Kind::Flonum => {
                    let x = flonum_value(a);
                    let y = match op {
                        NumberOp::Floor => libm::floor(x),
                        NumberOp::Ceiling => libm::ceil(x),
                        NumberOp::Truncate => libm::trunc(x),
                        _ => libm::rint(x),
                    };
                    make_flonum(self.ctx, y)
                }
                Kind::Ratnum => rational::rounding(self, op, a),
            }
        }
    }

    /// `sqrt`: exact for exact squares of integers and ratnums, else a flonum (NaN for a
    /// negative argument: complex numbers are not supported).
    unsafe fn sqrt(self, a: u64) -> u64 {
        unsafe {
            let exact_root = |v: u64| -> Option<u64> {
                let r = self.exact_integer_sqrt(v)?;
                eqv(self.arithmetic(NumberOp::Multiply, r, r), v).then_some(r)
            };
            match self.number(a) {
                Kind::Fixnum | Kind::Bignum => {
                    if let Some(r) = exact_root(a) {
                        return r;
                    }
                }
                Kind::Ratnum => {
                    let (n, d) = rational::parts(a);
                    if let (Some(rn), Some(rd)) = (exact_root(n), exact_root(d)) {
                        return rational::make_ratio(self, rn, rd);
                    }
                }
                Kind::Flonum => {}
            }
            make_flonum(self.ctx, libm::sqrt(self.to_f64(a)))
        }
    }

    /// The largest exact integer whose square is at most the non-negative exact integer `n`
    /// (Newton's iteration from above), or `None` for a negative `n`.
    unsafe fn exact_integer_sqrt(self, n: u64) -> Option<u64> {
        unsafe {
            let zero = fixnum(0);
            match self.compare(n, zero)? {
                Ordering::Less => return None,
                Ordering::Equal => return Some(zero),
                Ordering::Greater => {}
            }
            // Start above the root: 2^ceil(bits/2).
            let mut bits = [0];
            let magnitude = int_of(n, &mut bits).unwrap_or(ZERO).magnitude;
            let top = magnitude.last().copied().unwrap_or(1);
            let bit_length = 64 * magnitude.len() as i64 - i64::from(top.leading_zeros());
            let mut x = self.expt(fixnum(2), fixnum((bit_length + 1) / 2));
            loop {
                // y = (x + n / x) / 2
                let q = self.integer_division(NumberOp::Quotient, n, x);
                let sum = self.arithmetic(NumberOp::Add, x, q);
                let y = self.integer_division(NumberOp::Quotient, sum, fixnum(2));
                if self.compare(y, x)? != Ordering::Less {
                    return Some(x);
                }
                x = y;
            }
        }
    }

    /// `expt`: exact powers by repeated squaring for an exact integer exponent, else `pow`.
    ///
    /// # Safety
    /// `self.ctx` must be the running program's context and the values valid.
    pub unsafe fn expt(self, base: u64, exponent: u64) -> u64 {
        unsafe {
            let kb = self.number(base);
            match self.number(exponent) {
                Kind::Fixnum => {
                    let e = exponent as i64 >> FIXNUM_SHIFT;
                    if kb == Kind::Flonum {
                        return make_flonum(self.ctx, libm::pow(flonum_value(base), e as f64));
                    }
                    let mut result = fixnum(1);
                    let mut square = base;
                    let mut k = e.unsigned_abs();
                    while k > 0 {
                        if k & 1 == 1 {
                            result = self.arithmetic(NumberOp::Multiply, result, square);
                        }
                        k >>= 1;
                        if k > 0 {
                            square = self.arithmetic(NumberOp::Multiply, square, square);
                        }
                    }
                    if e < 0 {
                        self.arithmetic(NumberOp::Divide, fixnum(1), result)
                    } else {
                        result
                    }
                }
                Kind::Bignum if base == fixnum(1) || base == fixnum(0) => base,
                _ => make_flonum(
                    self.ctx,
                    libm::pow(self.to_f64(base), self.to_f64(exponent)),
                ),
            }
        }
    }
}

/// Zero as an [`Int`], for values already known to be integers.
pub const ZERO: Int<'static> = Int {
    negative: false,
    magnitude: &[],
};

/// `eqv?` on two values: numbers of the same exactness and value (flonums by bit pattern, all
/// NaNs alike), anything else by identity.
///
/// # Safety
/// The values must be valid.
pub unsafe fn eqv(a: u64, b: u64) -> bool {
    if a == b {
        return true;
    }
    unsafe {
        match (kind(a), kind(b)) {
            (Some(Kind::Flonum), Some(Kind::Flonum)) => {
                let (x, y) = (flonum_value(a), flonum_value(b));
                x.to_bits() == y.to_bits() || (x.is_nan() && y.is_nan())
            }
            (Some(Kind::Bignum), Some(Kind::Bignum)) => {
                let (x, y) = (heap::bignum_parts(a), heap::bignum_parts(b));
                x.negative == y.negative && x.magnitude == y.magnitude
            }
            (Some(Kind::Ratnum), Some(Kind::Ratnum)) => {
                let (na, da) = rational::parts(a);
                let (nb, db) = rational::parts(b);
                eqv(na, nb) && eqv(da, db)
            }
            _ => false,
        }
    }
}
