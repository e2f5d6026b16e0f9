//! Reading and allocating Scheme objects from Rust, for the services that need to (printing,
//! interning symbols, building the command line). The layouts are those of [`crate::value`].

use crate::context::Context;
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

/// Allocates `bytes` (rounded up to 8) from the heap, or returns `None` when the allocation
/// area is full, having recorded the request in the context (`gc_request`). A service that
/// gets `None` returns [`RETRY`] at once; the generated code then collects and calls it again
/// (ARCHITECTURE.md, "Garbage collection"), so services must be idempotent up to their
/// allocations, and must never hold a heap pointer across a collection (they never see one:
/// services do not collect).
///
/// # Safety
/// `ctx` must be the running program's context.
pub unsafe fn allocate(ctx: *mut Context, bytes: usize) -> Option<*mut u64> {
    let bytes = bytes.div_ceil(8) as u64 * 8;
    unsafe {
        let start = (*ctx).heap_ptr;
        match start.checked_add(bytes) {
            Some(end) if end <= (*ctx).heap_limit => {
                (*ctx).heap_ptr = end;
                Some(start as *mut u64)
            }
            _ => {
                (*ctx).gc_request = bytes;
                None
            }
        }
    }
}

/// Whether `bytes` can be allocated now (by several calls of [`allocate`], which then do not
/// fail); when not, records the request like [`allocate`]. For services that make several
/// objects: reserving the total first means a retry after a collection cannot fail again.
///
/// # Safety
/// `ctx` must be the running program's context.
pub unsafe fn reserve(ctx: *mut Context, bytes: usize) -> bool {
    unsafe {
        let free = (*ctx).heap_limit - (*ctx).heap_ptr;
        if bytes as u64 <= free {
            return true;
        }
        (*ctx).gc_request = bytes as u64;
        false
    }
}

/// Allocates `bytes` (rounded up to 8), past the allocation area's limit if need be, into the
/// rest of the current space (which always has room for `LOKO_HEAP` and a reserve beyond it);
/// reports "out of memory" when even that is full. For services whose allocation cannot be
/// bounded exactly in advance: they [`reserve`] a generous bound first (returning `RETRY` if
/// that fails), then allocate with this, so that an underestimate costs only the reserve, not
/// a crash. The next allocation of generated code then finds the area full and collects.
///
/// # Safety
/// `ctx` must be the running program's context.
pub unsafe fn allocate_reserved(ctx: *mut Context, bytes: usize) -> *mut u64 {
    let bytes = bytes.div_ceil(8) as u64 * 8;
    unsafe {
        let start = (*ctx).heap_ptr;
        let end = (*ctx).heap_base + (*ctx).space_size;
        match start.checked_add(bytes) {
            Some(new) if new <= end => {
                (*ctx).heap_ptr = new;
                start as *mut u64
            }
            _ => crate::error::raise(ctx, crate::error::ErrorKind::OutOfMemory, FALSE, FALSE),
        }
    }
}

/// The bytes [`make_string`] takes for `len` characters.
pub const fn string_bytes(len: usize) -> usize {
    8 + (4 * len).div_ceil(8) * 8
}

/// A new pair, or `None` when the heap is full (see [`allocate`]).
///
/// # Safety
/// As for [`allocate`].
pub unsafe fn cons(ctx: *mut Context, car: u64, cdr: u64) -> Option<u64> {
    unsafe {
        let p = allocate(ctx, 16)?;
        *p = car;
        *p.add(1) = cdr;
        Some(p as u64 + TAG_PAIR)
    }
}

/// A new string holding `chars`, or `None` when the heap is full (see [`allocate`]).
///
/// # Safety
/// As for [`allocate`].
pub unsafe fn make_string(
    ctx: *mut Context,
    chars: impl ExactSizeIterator<Item = u32>,
) -> Option<u64> {
    unsafe {
        let len = chars.len();
        let p = allocate(ctx, string_bytes(len))?;
        *p = header(HEADER_STRING, len as u64);
        let data = p.add(1) as *mut u32;
        for (i, c) in chars.enumerate() {
            *data.add(i) = c;
        }
        Some(p as u64 + TAG_OBJECT)
    }
}
