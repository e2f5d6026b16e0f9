//! Stack chunks outside the semispaces: the frames a segment overflow moves off the stack (up
//! to a segment's worth each). Deep recursion keeps many of them live at once; copying them at
//! every collection, as the semispaces would, costs time and twice their memory. So each is a
//! mapping of its own that never moves: a collection marks the chunks of the continuations it
//! scans (and walks their frames once, [`super::copy`]), then unmaps the unmarked ones
//! ([`sweep`]).
//!
//! A mapping holds, in words: the next mapping in the context's list (`chunks`, 0 at the
//! end), the mark, the mapping's length in bytes, then the chunk exactly as in the heap (the
//! `HEADER_STACK_CHUNK` header, then the frames). Values refer to the chunk by its header,
//! tagged `TAG_OBJECT`, as to a chunk in the heap; the collector tells the two apart by address
//! (a chunk outside the space being evacuated is one of these).
//!
//! Chunk bytes count as allocation: a new chunk lowers `heap_limit` by its length, so
//! collections, which free the chunks nothing uses any more, come as often as if the frames had
//! been copied into the heap; and the live chunks count as live data when the collector sizes
//! the next allocation area.

use crate::context::Context;
use crate::continuation::{CONTINUATION_FREE, SEGMENT_SIZE};
use crate::sys;
use crate::value::*;

/// Words before a chunk's header in its mapping.
const PREFIX_WORDS: usize = 3;
const MARK: usize = 1;
const LENGTH: usize = 2;
const PAGE: u64 = 4096;
/// The length of the mapping the overflow of a full segment needs; up to [`SPARE_LIMIT`] such
/// mappings are kept for reuse instead of being unmapped, so that a program going deep and
/// back again does not map and unmap at every overflow.
const STANDARD: u64 = SEGMENT_SIZE + PAGE;
const SPARE_LIMIT: usize = 4;

/// The `stack_chunk` service: a chunk for `bytes` bytes of frames (a multiple of 8), outside the
/// heap, with its header written (the frames are the caller's to copy). Returns the header's
/// address (untagged), or 0 when the mapping fails.
///
/// The lower `heap_limit` still leaves room for the continuation record the caller allocates
/// next (it checked that room before calling).
///
/// # Safety
/// `ctx` must be the running program's context, its `heap_ptr` up to date.
pub unsafe extern "sysv64" fn chunk_service(ctx: *mut Context, bytes: u64) -> u64 {
    unsafe {
        let c = &mut *ctx;
        let len = (8 * (PREFIX_WORDS as u64 + 1) + bytes)
            .next_multiple_of(PAGE)
            .max(STANDARD);
        let map = if len == STANDARD && c.spare_chunks != 0 {
            let map = c.spare_chunks;
            c.spare_chunks = *(map as *const u64);
            map
        } else {
            let map = sys::mmap_lazy(len as usize, sys::PROT_READ | sys::PROT_WRITE);
            if map < 0 {
                return 0;
            }
            map as u64
        };
        let words = map as *mut u64;
        *words = c.chunks;
        *words.add(MARK) = 0;
        *words.add(LENGTH) = len;
        *words.add(PREFIX_WORDS) = header(HEADER_STACK_CHUNK, bytes / 8);
        c.chunks = map;
        if c.gc_failed == 0 {
            let record = 8 * (CONTINUATION_FREE + 2);
            c.heap_limit = c.heap_limit.saturating_sub(len).max(c.heap_ptr + record);
        }
        map + 8 * PREFIX_WORDS as u64
    }
}

/// Marks the chunk whose header is at `chunk` (untagged): returns true the first time, false
/// when it was already marked.
///
/// # Safety
/// `chunk` must be the header of a chunk made by [`chunk_service`].
pub unsafe fn mark(chunk: u64) -> bool {
    unsafe {
        let mark = (chunk as *mut u64).sub(PREFIX_WORDS - MARK);
        let first = *mark == 0;
        *mark = 1;
        first
    }
}

/// After a collection has marked the chunks in use: unmaps the others (keeping a few for
/// reuse), clears the marks, and returns the bytes of the chunks kept.
///
/// # Safety
/// `ctx` must be the running program's context; no value may refer to an unmarked chunk.
pub unsafe fn sweep(ctx: *mut Context) -> u64 {
    unsafe {
        let c = &mut *ctx;
        let mut spares = 0;
        let mut spare = c.spare_chunks;
        while spare != 0 {
            spares += 1;
            spare = *(spare as *const u64);
        }
        let mut live = 0;
        let mut link: *mut u64 = &mut c.chunks;
        while *link != 0 {
            let words = *link as *mut u64;
            let len = *words.add(LENGTH);
            if *words.add(MARK) != 0 {
                *words.add(MARK) = 0;
                live += len;
                link = words;
                continue;
            }
            *link = *words;
            if len == STANDARD && spares < SPARE_LIMIT {
                *words = c.spare_chunks;
                c.spare_chunks = words as u64;
                spares += 1;
            } else {
                sys::munmap(words as *mut u8, len as usize);
            }
        }
        live
    }
}
