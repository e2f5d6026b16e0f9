//! The context block: the per-program state that generated code and the runtime share. It lives
//! at the start of the image's data; generated code keeps its address in `r15` and the runtime
//! services receive it as their first argument. The allocation pointer lives in `r14` while
//! Scheme code runs and is written back to [`Context::heap_ptr`] around every service call.

use crate::services::Services;
use core::mem::offset_of;

#[repr(C)]
pub struct Context {
    /// The services table the entry received.
    pub services: *const Services,
    /// The next free heap byte (8-byte aligned), valid while the runtime runs.
    pub heap_ptr: u64,
    /// The end of the heap: allocating past it is "out of memory".
    pub heap_limit: u64,
    /// The low end of the stack segment: prologues compare `rsp` with it, and below it move the
    /// frames into the continuation chain (`crate::continuation`).
    pub stack_limit: u64,
    /// The top of the running stack (16-byte aligned; below `segment_top` when captures have
    /// sealed frames above it); the word below it holds the underflow return point.
    pub stack_top: u64,
    /// The host stack pointer at entry, restored when the program returns.
    pub saved_rsp: u64,
    /// The interned symbols: a Scheme list, starting with the image's own symbols.
    pub symbols: u64,
    /// The mappings `init` made, for a later collector and for unmapping.
    pub heap_base: u64,
    pub stack_base: u64,
    /// The frame table ([`crate::gc::frames`]): the address of its first entry, the number
    /// of entries, and the address of the code, to which the entries' offsets are relative.
    /// Filled in by relocation when the image is placed.
    pub frame_table: u64,
    pub frame_count: u64,
    pub code_start: u64,
    /// The continuation the bottom frame of the stack returns to, or `#f` at the end of the
    /// program (`crate::continuation`).
    pub cont_link: u64,
    /// The most bytes of frames the continuation chain may hold (a fixnum).
    pub stack_depth_limit: u64,
    /// The lowest address `apply` may spread arguments down to (the segment's limit is higher).
    pub stack_floor: u64,
    /// The address of the image's common error exit once the program runs (0 before): errors
    /// found by the runtime's services jump there too (`crate::error::raise`), so they become
    /// conditions like the generated code's own.
    pub error_exit: u64,
    /// The `dynamic-wind` entries in force, innermost first: a list of pairs `(before .
    /// after)`, read and written by Scheme (`$winders`, `$set-winders!`) and recorded in each
    /// continuation.
    pub winders: u64,
    /// The static roots: the cells of the global variables, `[globals_start, globals_end)`
    /// (absolute addresses, set by relocation).
    pub globals_start: u64,
    pub globals_end: u64,
    /// The collector's state ([`crate::gc`]): the other semispace, the bytes reserved for
    /// each space, the limit on the heap (`LOKO_HEAP`), the stress setting (`LOKO_GC_STRESS`,
    /// 0 when off), the number of collections so far.
    pub other_space: u64,
    pub space_size: u64,
    pub heap_max: u64,
    pub gc_stress: u64,
    pub collections: u64,
    /// Non-zero when the last collection failed (the heap's reserve is in use).
    pub gc_failed: u64,
    /// The bytes a service needed when it returned [`crate::value::RETRY`].
    pub gc_request: u64,
    /// A call in progress whose callee's prologue collects (to build its rest list): the
    /// closure, the four argument registers and the argument count (untagged), then the
    /// address to resume at and the callee's `rsp` at entry (its return-address slot).
    pub gc_saved: [u64; 6],
    pub gc_resume: u64,
    pub gc_entry_rsp: u64,
    /// The top of the segment (fixed): `stack_top` moves down from it as captures seal frames
    /// in place, and returns to it once the collector has evacuated them
    /// (`crate::continuation`).
    pub segment_top: u64,
    /// The lowest `stack_top` a capture may leave (below it, captures copy instead of sealing).
    pub seal_floor: u64,
    /// Non-zero when no frame sealed above `stack_top` is still referenced (the collector
    /// moved them into the heap): the stack may start again at `segment_top` once it is empty.
    pub seals_evacuated: u64,
    /// The stack chunks outside the heap (`crate::gc::chunks`): the list of their mappings,
    /// and the unused mappings kept for reuse.
    pub chunks: u64,
    pub spare_chunks: u64,
    /// The bytes of new chunks allowed before the next collection (set by each collection).
    pub chunk_allowance: u64,
    /// The number of `call/cc` captures so far (`crate::gc::chunks` recycles a chunk without a
    /// collection when none happened since it was made).
    pub captures: u64,
}

pub const SERVICES: i32 = offset_of!(Context, services) as i32;
pub const HEAP_PTR: i32 = offset_of!(Context, heap_ptr) as i32;
pub const HEAP_LIMIT: i32 = offset_of!(Context, heap_limit) as i32;
pub const STACK_LIMIT: i32 = offset_of!(Context, stack_limit) as i32;
pub const STACK_TOP: i32 = offset_of!(Context, stack_top) as i32;
pub const SAVED_RSP: i32 = offset_of!(Context, saved_rsp) as i32;
pub const SYMBOLS: i32 = offset_of!(Context, symbols) as i32;
pub const FRAME_TABLE: i32 = offset_of!(Context, frame_table) as i32;
pub const FRAME_COUNT: i32 = offset_of!(Context, frame_count) as i32;
pub const CODE_START: i32 = offset_of!(Context, code_start) as i32;
pub const CONT_LINK: i32 = offset_of!(Context, cont_link) as i32;
pub const STACK_DEPTH_LIMIT: i32 = offset_of!(Context, stack_depth_limit) as i32;
pub const STACK_FLOOR: i32 = offset_of!(Context, stack_floor) as i32;
pub const ERROR_EXIT: i32 = offset_of!(Context, error_exit) as i32;
pub const WINDERS: i32 = offset_of!(Context, winders) as i32;
pub const GLOBALS_START: i32 = offset_of!(Context, globals_start) as i32;
pub const GLOBALS_END: i32 = offset_of!(Context, globals_end) as i32;
pub const GC_FAILED: i32 = offset_of!(Context, gc_failed) as i32;
pub const GC_REQUEST: i32 = offset_of!(Context, gc_request) as i32;
pub const GC_SAVED: i32 = offset_of!(Context, gc_saved) as i32;
pub const GC_RESUME: i32 = offset_of!(Context, gc_resume) as i32;
pub const GC_ENTRY_RSP: i32 = offset_of!(Context, gc_entry_rsp) as i32;
pub const SEGMENT_TOP: i32 = offset_of!(Context, segment_top) as i32;
pub const SEAL_FLOOR: i32 = offset_of!(Context, seal_floor) as i32;
pub const SEALS_EVACUATED: i32 = offset_of!(Context, seals_evacuated) as i32;
pub const CAPTURES: i32 = offset_of!(Context, captures) as i32;
pub const COLLECTIONS: i32 = offset_of!(Context, collections) as i32;
/// The size of the block, which the code generator reserves at the start of the data.
pub const SIZE: usize = core::mem::size_of::<Context>();

/// The Scheme stack mapping (reserved lazily): one segment at the top, the rest for runtime
/// services and `apply` (`crate::continuation`).
pub const STACK_SIZE: usize = 256 << 20;
/// Room kept at the bottom of the stack mapping for runtime services and error reporting.
pub const STACK_MARGIN: usize = 256 << 10;
