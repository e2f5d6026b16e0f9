//! Reading and allocating Scheme objects from Rust, for the services that need to (printing,
//! interning symbols, building the command line). The layouts are those of [`crate::value`].

use crate::context::Context;
use crate::error::{self, ErrorKind};
use crate::value::*;

/// The word at byte offset `offset` from the tagged value `v`.
///
/// # Safety
/// `v` must be a heap value with a field at `offset`.
pub unsafe fn field(v: u64, offset: i32) -> u64 {
    unsafe { *((v as i64 + offset as i64) as *const u64) }
}

pub fn tag(v: u64) -> u64 {
    v & TAG_MASK
}

/// The header of an object tagged [`TAG_OBJECT`].
///
/// # Safety
/// `v` must be such an object.
pub unsafe fn header_of(v: u64) -> (u64, usize) {
    let h = unsafe { field(v, OBJECT_HEADER) };
    (h & HEADER_TYPE_MASK, (h >> HEADER_SHIFT) as usize)
}

/// Whether `v` is an object of type `kind`.
pub fn is_object(v: u64, kind: u64) -> bool {
    // SAFETY: a value tagged TAG_OBJECT points at a header.
    tag(v) == TAG_OBJECT && unsafe { header_of(v).0 } == kind
}

/// The characters of a string.
///
/// # Safety
/// `s` must be a string.
pub unsafe fn string_chars<'a>(s: u64) -> &'a [u32] {
    unsafe {
        let (_, len) = header_of(s);
        core::slice::from_raw_parts((s as i64 + OBJECT_DATA as i64) as *const u32, len)
    }
}

/// Allocates `bytes` (rounded up to 8) from the heap, or reports "out of memory".
///
/// # Safety
/// `ctx` must be the running program's context.
pub unsafe fn allocate(ctx: *mut Context, bytes: usize) -> *mut u64 {
    let bytes = bytes.div_ceil(8) as u64 * 8;
    unsafe {
        let start = (*ctx).heap_ptr;
        match start.checked_add(bytes) {
            Some(end) if end <= (*ctx).heap_limit => {
                (*ctx).heap_ptr = end;
                start as *mut u64
            }
            _ => error::raise(ctx, ErrorKind::OutOfMemory, FALSE, FALSE),
        }
    }
}

/// A new pair.
///
/// # Safety
/// As for [`allocate`].
pub unsafe fn cons(ctx: *mut Context, car: u64, cdr: u64) -> u64 {
    unsafe {
        let p = allocate(ctx, 16);
        *p = car;
        *p.add(1) = cdr;
        p as u64 + TAG_PAIR
    }
}

/// A new string holding `chars`.
///
/// # Safety
/// As for [`allocate`].
pub unsafe fn make_string(ctx: *mut Context, chars: impl ExactSizeIterator<Item = u32>) -> u64 {
    unsafe {
        let len = chars.len();
        let p = allocate(ctx, 8 + 4 * len);
        *p = header(HEADER_STRING, len as u64);
        let data = p.add(1) as *mut u32;
        for (i, c) in chars.enumerate() {
            *data.add(i) = c;
        }
        p as u64 + TAG_OBJECT
    }
}
