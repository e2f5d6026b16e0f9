//! Stack chunks outside the semispaces: the frames a segment overflow moves off the stack (up
//! to a segment's worth each). Deep recursion keeps many of them live at once; copying them at
//! every collection, as the semispaces would, costs time and twice their memory. So each is a
//! mapping of its own that never moves: a collection marks the chunks of the continuations it
//! scans (and walks their frames once, [`super::copy`]), then unmaps the unmarked ones
//! ([`sweep`]).
//!
//! A mapping holds, in words: the next mapping in the context's list (`chunks`, newest first,
//! 0 at the end), the mark, the mapping's length in bytes, the context's `captures` and the
//! depth of `cont_link` when it was made, then the chunk exactly as in the heap (the
//! `HEADER_STACK_CHUNK` header, then the frames). Values refer to the chunk by its header,
//! tagged `TAG_OBJECT`, as to a chunk in the heap; the collector tells the two apart by address
//! (a chunk outside the space being evacuated is one of these).
//!
//! Chunks have their own allocation budget, `chunk_allowance`: as many bytes as the chunks live
//! after the last collection (at least the heap's initial budget), so a deep recursion
//! collects a logarithmic number of times as it grows. A chunk past the allowance brings
//! `heap_limit` down to what the caller still allocates, so the next allocation collects; and
//! that collection frees the chunks nothing uses any more. (The heap's own allocation area does
//! not grow with the chunks, so their memory is not doubled there.)
//!
//! Most chunks die without a collection: a recursion returns through them. Without a capture
//! since a chunk was made, only its own continuations (and those of newer chunks) can refer to
//! it, and the chain of continuations has only grown and shrunk like a stack; so once
//! `cont_link`'s depth is no more than it was when the chunk was made, the recursion has
//! returned through the chunk (or escaped past it) and it is dead. [`chunk_service`] recycles
//! such chunks, newest first, before mapping a new one, so a program that goes deep again and
//! again reuses the same memory.

use crate::context::Context;
use crate::continuation::{CONTINUATION_FREE, DEPTH, SEGMENT_SIZE};
use crate::object::field;
use crate::sys;
use crate::value::*;

/// Words before a chunk's header in its mapping.
const PREFIX_WORDS: usize = 5;
const MARK: usize = 1;
const LENGTH: usize = 2;
const CAPTURES: usize = 3;
const BASE_DEPTH: usize = 4;
const PAGE: u64 = 4096;
/// The length of the mapping the overflow of a full segment needs; up to [`SPARE_LIMIT`] such
/// mappings are kept for reuse instead of being unmapped, so that a program going deep and
/// back again does not map (and fault in) fresh memory at every overflow. (They cost at most
/// that much memory beyond the deepest recursion's frames.)
const STANDARD: u64 = SEGMENT_SIZE + PAGE;
const SPARE_LIMIT: usize = 16;

/// The `stack_chunk` service: a chunk for `bytes` bytes of frames (a multiple of 8), outside the
/// heap, with its header written (the frames are the caller's to copy). Returns the header's
/// address (untagged), or 0 when the mapping fails.
///
/// Past the allowance, `heap_limit` comes down but still leaves room for the continuation record
/// the caller allocates next (it checked that room before calling).
///
/// # Safety
/// `ctx` must be the running program's context, its `heap_ptr` up to date.
pub unsafe extern "sysv64" fn chunk_service(ctx: *mut Context, bytes: u64) -> u64 {
    unsafe {
        let c = &mut *ctx;
        let depth = match c.cont_link {
            FALSE => 0,
            k => field(k, DEPTH),
        };
        while c.chunks != 0 {
            let words = c.chunks as *mut u64;
            if *words.add(CAPTURES) != c.captures || *words.add(BASE_DEPTH) < depth {
                break;
            }
            c.chunks = *words;
            recycle(c, words);
        }
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
        *words.add(CAPTURES) = c.captures;
        *words.add(BASE_DEPTH) = depth;
        *words.add(PREFIX_WORDS) = header(HEADER_STACK_CHUNK, bytes / 8);
        c.chunks = map;
        if len <= c.chunk_allowance {
            c.chunk_allowance -= len;
        } else if c.gc_failed == 0 {
            c.chunk_allowance = 0;
            let record = 8 * (CONTINUATION_FREE + 2);
            c.heap_limit = c.heap_limit.min(c.heap_ptr + record);
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
            recycle(c, words);
        }
        live
    }
}

/// Keeps the unused mapping `words` (out of the list) as a spare, or unmaps it.
unsafe fn recycle(c: &mut Context, words: *mut u64) {
    unsafe {
        let len = *words.add(LENGTH);
        let mut spares = 0;
        let mut spare = c.spare_chunks;
        while spare != 0 && spares < SPARE_LIMIT {
            spares += 1;
            spare = *(spare as *const u64);
        }
        if len == STANDARD && spares < SPARE_LIMIT {
            *words = c.spare_chunks;
            c.spare_chunks = words as u64;
        } else {
            sys::munmap(words as *mut u8, len as usize);
        }
    }
}
