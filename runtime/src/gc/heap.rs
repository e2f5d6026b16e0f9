//! The heap's two semispaces, how big the allocation area is, and the `collect` service.
//!
//! Each space is reserved once at start-up, `LOKO_HEAP` plus a small reserve, with
//! `MAP_NORESERVE`, so only the pages actually used cost memory. Allocation bumps the
//! context's `heap_ptr` up to `heap_limit`, a soft limit inside the current space; reaching it
//! calls [`collect_service`], which copies the live data into the other space (Cheney,
//! [`super::copy`]), swaps the spaces and sets a new limit: the live data plus the larger of
//! [`INITIAL_BUDGET`] and twice the live data (so the heap grows with the live data and a
//! collection's cost stays proportional to the allocation between collections), never past
//! `LOKO_HEAP`. When the live data and the request do not fit in `LOKO_HEAP`, the collection
//! fails: the limit moves into the reserve (room for raising the error as a condition, which a
//! handler may catch) and the generated code raises the out-of-memory error. A second failure
//! before a collection succeeds again reports the error and ends the program.
//!
//! `LOKO_GC_STRESS=N` (stress mode, for testing the collector) lets the program allocate only
//! the request plus `N - 1` bytes after each collection: `LOKO_GC_STRESS=1` collects at every
//! allocation. (Each collection walks the whole stack, so stress mode over a very deep
//! recursion is quadratic; such tests use a larger `N`.)

use super::copy::Copier;
use super::frames::Table;
use crate::context::Context;
use crate::services::Services;
use crate::sys;
use crate::value::FALSE;

/// The heap limit when `LOKO_HEAP` is not set, in MiB.
pub const DEFAULT_HEAP_MIB: u64 = 4096;
/// The allocation area when little is live.
pub const INITIAL_BUDGET: u64 = 8 << 20;
/// Room past `LOKO_HEAP` in each space, for reporting that the heap is exhausted.
pub const RESERVE: u64 = 16 << 20;
/// The bytes each space reserves when `LOKO_HEAP` is not set.
pub const DEFAULT_SPACE_SIZE: usize = ((DEFAULT_HEAP_MIB << 20) + RESERVE) as usize;

/// Reads `LOKO_HEAP` (MiB) and `LOKO_GC_STRESS`, maps both spaces and sets up allocation.
/// Returns false when the mappings fail.
///
/// # Safety
/// `ctx` must be the program's context with `services` set.
pub unsafe fn init(ctx: *mut Context) -> bool {
    unsafe {
        let services = &*(*ctx).services;
        let mib = env_number(services, "LOKO_HEAP")
            .filter(|&n| n > 0 && n < 1 << 30)
            .unwrap_or(DEFAULT_HEAP_MIB);
        let heap_max = mib << 20;
        let stress = env_number(services, "LOKO_GC_STRESS").unwrap_or(0);
        let space_size = heap_max + RESERVE;
        let rw = sys::PROT_READ | sys::PROT_WRITE;
        let a = sys::mmap_lazy(space_size as usize, rw);
        let b = sys::mmap_lazy(space_size as usize, rw);
        if a < 0 || b < 0 {
            return false;
        }
        let c = &mut *ctx;
        c.heap_max = heap_max;
        c.space_size = space_size;
        c.gc_stress = stress;
        c.heap_base = a as u64;
        c.heap_ptr = a as u64;
        c.other_space = b as u64;
        c.heap_limit = a as u64
            + match stress {
                0 => INITIAL_BUDGET,
                n => n - 1,
            }
            .min(heap_max);
        true
    }
}

/// The `collect` service: collects so that `request` bytes can be allocated; returns 0, or 1
/// when the heap is exhausted. `ret_slot` is the innermost return-address slot of the Scheme
/// stack (see [`super::frames`]); when `in_call` is non-zero, a call is in progress whose
/// arguments are saved in the context (`gc_saved`) and, past the fourth, below `ret_slot`.
///
/// # Safety
/// `ctx` must be the running program's context, and the stack from `ret_slot` up a chain of
/// frames described by its frame table.
pub unsafe extern "sysv64" fn collect_service(
    ctx: *mut Context,
    ret_slot: *mut u64,
    request: u64,
    in_call: u64,
) -> u64 {
    unsafe {
        let c = &mut *ctx;
        let from = c.heap_base..c.heap_ptr;
        let to = c.other_space;
        let table = Table::of(ctx);
        let mut copier = Copier::new(Some(table), from, to..to + c.space_size);
        // The frames on the stack end at the underflow word (`crate::continuation`).
        let end = (c.stack_top - 8) as *mut u64;
        if let Err(unknown) = table.walk(ret_slot, end, |slot| copier.forward_slot(slot)) {
            fatal(ctx, "no frame-table entry for a return address", unknown.0);
        }
        let mut cell = c.globals_start as *mut u64;
        while (cell as u64) < c.globals_end {
            copier.forward_slot(cell);
            cell = cell.add(1);
        }
        copier.forward_slot(&mut c.symbols);
        copier.forward_slot(&mut c.cont_link);
        copier.forward_slot(&mut c.winders);
        if in_call != 0 {
            let count = c.gc_saved[5] as usize;
            copier.forward_slot(&mut c.gc_saved[0]);
            for k in 0..count.min(4) {
                copier.forward_slot(&mut c.gc_saved[1 + k]);
            }
            for j in 0..count.saturating_sub(4) {
                copier.forward_slot(ret_slot.sub(j + 1));
            }
        }
        copier.scan();
        if let Some(first) = copier.unknown {
            fatal(ctx, "heap object of unknown type or frame", first);
        }
        let chunks = super::chunks::sweep(ctx);
        let free = copier.free();
        // Every sealed frame still referenced now lives in a chunk: the stack may move back
        // up once it is empty (`crate::continuation`).
        c.seals_evacuated = u64::from(!copier.kept_sealed);
        c.other_space = c.heap_base;
        c.heap_base = to;
        c.heap_ptr = free;
        c.collections += 1;
        let live = free - to;
        if live.saturating_add(request) > c.heap_max {
            // The reserve lets the program raise (and handle) the error; if it is used up by
            // the next failure, the error is reported without allocating, and the program ends.
            if c.gc_failed != 0 {
                crate::error::report(ctx, crate::error::ErrorKind::OutOfMemory, FALSE, FALSE);
            }
            c.gc_failed = 1;
            c.heap_limit = to + c.space_size;
            return 1;
        }
        c.gc_failed = 0;
        let budget = match c.gc_stress {
            0 => INITIAL_BUDGET.max(2 * live),
            n => n - 1,
        };
        c.heap_limit = (free + request + budget).min(to + c.heap_max);
        c.chunk_allowance = match c.gc_stress {
            0 => INITIAL_BUDGET.max(chunks),
            n => n - 1,
        };
        0
    }
}

/// Reports a broken invariant of the collector (a bug, not a Scheme error) and exits 70.
unsafe fn fatal(ctx: *mut Context, message: &str, value: u64) -> ! {
    unsafe {
        let services = &*(*ctx).services;
        let mut out = crate::print::Output::new(ctx, services, 2);
        out.text("loko runtime: internal error in the garbage collector: ");
        out.text(message);
        out.text(" (0x");
        let mut digits = [0u8; 16];
        for (i, d) in digits.iter_mut().enumerate() {
            *d = b"0123456789abcdef"[(value >> (60 - 4 * i)) as usize & 15];
        }
        out.text(core::str::from_utf8(&digits).unwrap_or("?"));
        out.text(")\n");
        out.flush();
        (services.exit)(crate::error::EXIT_STATUS)
    }
}

/// The decimal number the environment variable `name` holds, if it is set to one.
unsafe fn env_number(services: &Services, name: &str) -> Option<u64> {
    let value = unsafe { (services.env)(name.as_ptr(), name.len()) };
    if value.is_null() {
        return None;
    }
    let mut n: u64 = 0;
    let mut i = 0;
    loop {
        let b = unsafe { *value.add(i) };
        match b {
            0 if i > 0 => return Some(n),
            b'0'..=b'9' => n = n.checked_mul(10)?.checked_add(u64::from(b - b'0'))?,
            _ => return None,
        }
        i += 1;
    }
}

/// A `collect` service that never collects, for a host whose roots the collector cannot find
/// (loko's expand-time world, where values live in host memory and several images share one
/// context): it lets the allocation area grow to the whole space instead, and reports
/// exhaustion (returns 1) when even that is too small.
///
/// # Safety
/// `ctx` must be the running program's context.
pub unsafe extern "sysv64" fn grow_only_service(
    ctx: *mut Context,
    _ret_slot: *mut u64,
    request: u64,
    _in_call: u64,
) -> u64 {
    unsafe {
        let c = &mut *ctx;
        let end = c.heap_base + c.space_size;
        c.heap_limit = end;
        u64::from(c.heap_ptr.saturating_add(request) > end)
    }
}

/// An `env` service that sees no variables, for hosts that must not follow the program's
/// settings (the expand-time world uses the defaults).
///
/// # Safety
/// Always safe; `unsafe` only because the table's field type is.
pub unsafe extern "sysv64" fn no_environment(_name: *const u8, _len: usize) -> *const u8 {
    core::ptr::null()
}
