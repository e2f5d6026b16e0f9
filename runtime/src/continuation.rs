//! First-class continuations and stack segments (Hieb, Dybvig & Bruggeman, "Representing control
//! in the presence of first-class continuations", PLDI 1990), as the generated code implements
//! them (`backend::codegen::control`). This module holds the layouts and limits both sides use.
//!
//! **The stack.** Scheme code runs in a segment near the top of the Scheme stack mapping:
//! `[stack_limit, stack_top)`, [`SEGMENT_SIZE`] bytes. The word at `stack_top - 8` always holds
//! the address of the *underflow* return point; the frames of the running computation lie
//! between `rsp` and it. Above `stack_top`, up to the fixed `segment_top`, lie frames *sealed*
//! by captures; below the segment the mapping continues down to the floor, room for runtime
//! services and for the arguments `apply` spreads.
//!
//! **Continuations.** The rest of the computation, beyond the frames on the stack, is the
//! context's `cont_link`: a chain of continuation objects, each a run of frames and the
//! continuation to return to after them, `#f` at the end of the program. A continuation's
//! frames are either still where they ran, sealed in the stack mapping (`chunk` `#f`), or in
//! a stack chunk in the heap.
//!
//! * *Capture* (`call/cc`) is O(1): the frames on the stack become a continuation *in place*
//!   (linked to `cont_link`, which it becomes), and the stack starts again just below them,
//!   `stack_top` moving down (Hieb–Dybvig–Bruggeman's segment split). Sealed frames are never
//!   run or written again. When sealing would take `stack_top` below `seal_floor`, or when the
//!   collector has evacuated every sealed frame (so the stack may move back to `segment_top`),
//!   the capture copies the frames into a heap chunk instead, as an overflow does.
//! * *Overflow*: when a prologue finds the segment full, the frames above the new frame are
//!   copied into a continuation in a chunk outside the heap (`crate::gc::chunks`, marked and
//!   swept rather than copied by collections), and the new frame moves to the top of the
//!   emptied stack. Deep recursion thus grows the chain in the heap, up to the total limit
//!   `stack_depth_limit` (bytes of frames in the chain), beyond which the prologue reports a
//!   stack overflow through the common error path.
//! * *Underflow*: returning from the bottom frame of the stack enters the underflow return
//!   point, which copies the frames of `cont_link` back onto the stack (just below
//!   `stack_top`), makes its link the new `cont_link`, and returns into the top frame, passing
//!   one or many values on. With `cont_link` `#f` the program has ended.
//! * *Reinstatement* (calling a continuation) discards the stack and does the same copy.
//!
//! So each frame is copied once per return into it across a capture (Chez copies the same
//! way), not also when it is captured.
//!
//! **For the collector.** Roots: the context's `cont_link` and `winders`. A continuation
//! (`HEADER_CONTINUATION`) whose frames are sealed in the stack is *evacuated*: the collector
//! copies its frames into a new stack chunk and points the continuation at it; one whose
//! frames are in a chunk has `frames` moved with the chunk. Chunks (`HEADER_STACK_CHUNK`) are
//! walked with the frame table from the first word to the last (pieces of one chunk are cut at
//! frame boundaries). After a collection nothing sealed is referenced (`seals_evacuated`),
//! so the next time the stack is empty (a reinstatement, an underflow with at most four
//! values, a copying capture, an overflow), `stack_top` returns to `segment_top`. Sealed
//! bytes count against the allocation area (a seal lowers `heap_limit` by them), so the
//! collections come as often as if the frames had been copied into the heap. The stack's walk
//! ends at the underflow word.
//!
//! Captured frames are never run in place, so a continuation can be reinstated any number of
//! times. A capture of more than [`PIECE_SIZE`] bytes of frames is split at frame boundaries
//! (found with the frame table, [`crate::gc::frames`]) into a chain of continuations sharing
//! the frames, each about [`PIECE_SIZE`] bytes ([`split_service`]): reinstating one, or
//! underflowing into it, copies only that much back, however deep the captured stack was.

/// The usable bytes of the stack segment Scheme code runs in.
pub const SEGMENT_SIZE: u64 = 1 << 20;

/// How far below `segment_top` captures may seal frames in place (`seal_floor`).
pub const SEAL_REGION: u64 = 16 << 20;

/// The size past which a captured run of frames is split into several continuations.
pub const PIECE_SIZE: u64 = 16 << 10;

/// The default limit on the bytes of frames in the continuation chain (the depth of recursion).
pub const DEPTH_LIMIT: u64 = 1 << 30;

/// How far the limit rises once it is reached, so that the code reporting the overflow (an
/// exception handler, once conditions exist) has room to run.
pub const DEPTH_SLACK: u64 = 16 << 20;

use crate::context::Context;
use crate::gc::frames::Table;
use crate::object::field;
use crate::value::*;

/// A continuation (`HEADER_CONTINUATION`) is laid out as a closure whose code is the image's
/// continuation entry (so calling it reinstates it), followed by: the stack chunk holding its
/// frames, or `#f` while they are sealed in the stack (`chunk`); the address of its first
/// frame's return address (`frames`, raw, inside the chunk's data or the stack); how many bytes
/// (`size`, a fixnum, a multiple of 16); the continuation to return to after them (`link`, or
/// `#f`); `depth` (`size` plus the link's `depth`, a fixnum); and the `dynamic-wind` entries in
/// force when it was captured (`winders`).
pub const CONTINUATION_FREE: u64 = 6;

/// Byte offsets from a tagged continuation (`TAG_CLOSURE`) to its fields.
pub const CHUNK: i32 = CLOSURE_FREE;
pub const FRAMES: i32 = CLOSURE_FREE + 8;
pub const SIZE: i32 = CLOSURE_FREE + 16;
pub const LINK: i32 = CLOSURE_FREE + 24;
pub const DEPTH: i32 = CLOSURE_FREE + 32;
pub const WINDERS: i32 = CLOSURE_FREE + 40;

/// The same fields as word indices from the object's first word (its header).
pub const CHUNK_WORD: usize = 2;
pub const FRAMES_WORD: usize = 3;
pub const SIZE_WORD: usize = 4;

/// The `split_continuation` service: cuts the frames of the continuation `k` (just captured:
/// its frames sealed in the stack or alone in their chunk) at frame boundaries into pieces of at least
/// [`PIECE_SIZE`] bytes (the last may be shorter), each a continuation sharing the chunk and
/// linked to the next; `k` becomes the first piece, so its identity and depth stay. If a
/// return address has no frame-table entry, `k` stays whole.
///
/// It allocates only the new continuations (each complete when allocated but for its size and
/// link, filled in once the next cut is known) and changes `k` last.
///
/// # Safety
/// `ctx` must be the running program's context and `k` a continuation as described.
pub unsafe extern "sysv64" fn split_service(ctx: *mut Context, k: u64) {
    unsafe {
        let table = Table::of(ctx);
        let size = (field(k, SIZE) >> FIXNUM_SHIFT) as usize;
        let link = field(k, LINK);
        let link_depth = if link == FALSE { 0 } else { field(link, DEPTH) };
        let chunk = field(k, CHUNK);
        let frames = field(k, FRAMES) as *const u64;
        let mut last = None;
        let mut frame_bytes = |offset: usize| {
            let frame = table.lookup_cached(*frames.add(offset / 8), &mut last)?;
            Some(8 * (frame.size + 1))
        };
        // Check the whole chain first: nothing is allocated for one the table cannot walk.
        let mut offset = 0;
        while offset < size {
            let Some(bytes) = frame_bytes(offset) else {
                return;
            };
            offset += bytes;
        }
        if offset != size {
            return;
        }
        // Splitting is an optimization: without room for every piece, `k` stays whole (the
        // service must not collect, and its caller has nothing to retry).
        let pieces = size / PIECE_SIZE as usize + 1;
        if !crate::object::reserve(ctx, pieces * 8 * (CONTINUATION_FREE as usize + 2)) {
            return;
        }
        let mut first_end = size;
        let mut first_link = link;
        let mut last: Option<*mut u64> = None;
        let (mut start, mut offset) = (0, 0);
        while let Some(bytes) = frame_bytes(offset).filter(|_| offset < size) {
            offset += bytes;
            if offset - start < PIECE_SIZE as usize || offset == size {
                continue;
            }
            let record =
                crate::object::allocate_reserved(ctx, 8 * (CONTINUATION_FREE as usize + 2));
            *record = header(HEADER_CONTINUATION, CONTINUATION_FREE);
            *record.add(1) = field(k, CLOSURE_CODE);
            *record.add(2) = chunk;
            *record.add(3) = frames as u64 + offset as u64;
            *record.add(4) = fixnum((size - offset) as i64);
            *record.add(5) = link;
            *record.add(6) = fixnum((size - offset) as i64) + link_depth;
            *record.add(7) = field(k, WINDERS);
            let tagged = record as u64 + TAG_CLOSURE;
            match last {
                None => {
                    first_end = offset;
                    first_link = tagged;
                }
                Some(previous) => {
                    *previous.add(4) = fixnum((offset - start) as i64);
                    *previous.add(5) = tagged;
                }
            }
            last = Some(record);
            start = offset;
        }
        set_field(k, SIZE, fixnum(first_end as i64));
        set_field(k, LINK, first_link);
    }
}

/// Stores `value` at byte offset `offset` from the tagged value `v`.
///
/// # Safety
/// `v` must be a heap value with a field at `offset`.
unsafe fn set_field(v: u64, offset: i32, value: u64) {
    unsafe { *((v as i64 + offset as i64) as *mut u64) = value }
}
