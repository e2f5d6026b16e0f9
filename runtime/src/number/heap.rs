//! Heap objects for numbers: allocating bignums sized for the worst case and trimming them,
//! scratch buffers, and reading numbers out of values.
//!
//! Allocation follows the runtime's protocol for services (common to every track): the
//! service reserves room for a bound on what it makes (or returns `RETRY`, see
//! `number_service`), then allocates with `object::allocate_reserved`; nothing here keeps a
//! heap pointer across a collection, because services never collect.

use crate::context::Context;
use crate::object::{allocate_reserved as allocate, field, header_of, tag};
use crate::value::*;

/// An exact integer's sign and magnitude (trimmed limbs, least significant first; zero has no
/// limbs). Borrowed from a bignum on the heap or from a caller's one-limb buffer.
#[derive(Clone, Copy, Debug)]
pub struct Int<'a> {
    pub negative: bool,
    pub magnitude: &'a [u64],
}

impl Int<'_> {
    pub fn is_zero(&self) -> bool {
        self.magnitude.is_empty()
    }

    pub fn negate(self) -> Self {
        Int {
            negative: !self.negative && !self.is_zero(),
            magnitude: self.magnitude,
        }
    }
}

/// The exact integer `v` (a fixnum or a bignum) with `buffer` holding a fixnum's magnitude.
///
/// # Safety
/// `v` must be a valid value.
pub unsafe fn integer<'a>(v: u64, buffer: &'a mut [u64; 1]) -> Option<Int<'a>> {
    if tag(v) == TAG_FIXNUM {
        let n = v as i64 >> FIXNUM_SHIFT;
        buffer[0] = n.unsigned_abs();
        let len = usize::from(n != 0);
        return Some(Int {
            negative: n < 0,
            magnitude: &buffer[..len],
        });
    }
    if tag(v) == TAG_OBJECT && unsafe { header_of(v) }.0 == HEADER_BIGNUM {
        return Some(unsafe { bignum_parts(v) });
    }
    None
}

/// The sign and limbs of the bignum `v`.
///
/// # Safety
/// `v` must be a bignum.
pub unsafe fn bignum_parts<'a>(v: u64) -> Int<'a> {
    unsafe {
        let (_, len) = header_of(v);
        let data = (v as i64 + OBJECT_DATA as i64) as *const u64;
        Int {
            negative: *data != 0,
            magnitude: core::slice::from_raw_parts(data.add(1), len - 1),
        }
    }
}

/// The double in the flonum `v`.
///
/// # Safety
/// `v` must be a flonum.
pub unsafe fn flonum_value(v: u64) -> f64 {
    f64::from_bits(unsafe { field(v, OBJECT_DATA) })
}

/// A new flonum.
///
/// # Safety
/// `ctx` must be the running program's context.
pub unsafe fn make_flonum(ctx: *mut Context, x: f64) -> u64 {
    unsafe {
        let p = allocate(ctx, 16);
        *p = header(HEADER_FLONUM, 1);
        *p.add(1) = x.to_bits();
        p as u64 + TAG_OBJECT
    }
}

/// A bignum under construction: room for `capacity` limbs, all zero.
pub struct NewBignum {
    object: *mut u64,
    capacity: usize,
}

impl NewBignum {
    /// # Safety
    /// `ctx` must be the running program's context.
    pub unsafe fn new(ctx: *mut Context, capacity: usize) -> NewBignum {
        unsafe {
            let object = allocate(ctx, 8 * (2 + capacity));
            core::ptr::write_bytes(object, 0, 2 + capacity);
            NewBignum { object, capacity }
        }
    }

    pub fn limbs(&mut self) -> &mut [u64] {
        // SAFETY: the object was allocated with room for `capacity` limbs after two words.
        unsafe { core::slice::from_raw_parts_mut(self.object.add(2), self.capacity) }
    }

    /// The finished integer: a fixnum when it fits (the allocation is then given back), else
    /// the bignum with its leading zero limbs trimmed off.
    ///
    /// # Safety
    /// `ctx` must be the context the bignum was allocated in.
    pub unsafe fn finish(mut self, ctx: *mut Context, negative: bool) -> u64 {
        let len = crate::number::natural::trim(self.limbs()).len();
        let limbs = self.limbs();
        let fits = match len {
            0 => Some(0),
            1 if negative && limbs[0] <= 1 << 60 => Some(-(limbs[0] as i64)),
            1 if !negative && limbs[0] < 1 << 60 => Some(limbs[0] as i64),
            _ => None,
        };
        unsafe {
            if let Some(n) = fits {
                shrink(ctx, self.object, 2 + self.capacity, 0);
                return fixnum(n);
            }
            shrink(ctx, self.object, 2 + self.capacity, 2 + len);
            *self.object = header(HEADER_BIGNUM, 1 + len as u64);
            *self.object.add(1) = u64::from(negative);
            self.object as u64 + TAG_OBJECT
        }
    }
}

/// The exact integer `n`, a fixnum when it fits.
///
/// # Safety
/// `ctx` must be the running program's context.
pub unsafe fn integer_from_i128(ctx: *mut Context, n: i128) -> u64 {
    if (i128::from(FIXNUM_MIN)..=i128::from(FIXNUM_MAX)).contains(&n) {
        return fixnum(n as i64);
    }
    let m = n.unsigned_abs();
    unsafe {
        let mut big = NewBignum::new(ctx, 2);
        big.limbs().copy_from_slice(&[m as u64, (m >> 64) as u64]);
        big.finish(ctx, n < 0)
    }
}

/// `words` words of scratch space for one service call, as a dead bytevector on the heap (so
/// the heap stays a sequence of objects).
///
/// # Safety
/// `ctx` must be the running program's context; the slice must not outlive the service call.
pub unsafe fn scratch<'a>(ctx: *mut Context, words: usize) -> &'a mut [u64] {
    unsafe {
        let p = allocate(ctx, 8 * (1 + words));
        *p = header(HEADER_BYTEVECTOR, 8 * words as u64);
        let data = core::slice::from_raw_parts_mut(p.add(1), words);
        data.fill(0);
        data
    }
}

/// Shrinks the object of `old` words at `object` to `new` words: the heap pointer moves back when
/// it is the last allocation, otherwise the freed words become a dead bytevector.
unsafe fn shrink(ctx: *mut Context, object: *mut u64, old: usize, new: usize) {
    if new == old {
        return;
    }
    unsafe {
        if (*ctx).heap_ptr == object.add(old) as u64 {
            (*ctx).heap_ptr = object.add(new) as u64;
        } else {
            *object.add(new) = header(HEADER_BYTEVECTOR, 8 * (old - new - 1) as u64);
        }
    }
}
