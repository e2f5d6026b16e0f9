//! Cheney's copying collection: roots are forwarded into the empty space, then the copied
//! objects are scanned in address order, forwarding what they refer to, until the scan
//! catches up with the allocation.
//!
//! Only values pointing into the space being evacuated move; static objects (the image's
//! constants) and immediates are left as they are. Heap objects are told apart while
//! scanning by their first word: a header word has its low three bits set, a pair's car never
//! does. A stack chunk (frames copied off the stack by a continuation capture) is scanned by
//! walking its frames with the frame table, as the stack is. A continuation whose frames are
//! still sealed in the Scheme stack is *evacuated*: its frames are copied into a new stack
//! chunk (`crate::continuation`).

use super::frames::Table;
use super::layout::{PAIR, layout};
use crate::continuation::{CHUNK_WORD, FRAMES_WORD, SIZE_WORD};
use crate::value::*;
use core::ops::Range;

/// A copy in progress from `from` into the space starting at `to`.
pub struct Copier {
    table: Option<Table>,
    from: Range<u64>,
    to: u64,
    to_end: u64,
    free: *mut u64,
    /// Whether a continuation's sealed frames had to stay in the stack (no room to evacuate
    /// them: the new space can only be that full when the heap is nearly exhausted).
    pub kept_sealed: bool,
    /// The first word of an object of unknown type, or a return address in a stack chunk with
    /// no frame-table entry, if one was met (a bug elsewhere).
    pub unknown: Option<u64>,
}

impl Copier {
    /// # Safety
    /// `to..to_end` must have room for everything live in `from`. Stack chunks and
    /// continuations can only be scanned with a `table`.
    pub unsafe fn new(table: Option<Table>, from: Range<u64>, to: Range<u64>) -> Copier {
        Copier {
            table,
            from,
            to: to.start,
            to_end: to.end,
            free: to.start as *mut u64,
            kept_sealed: false,
            unknown: None,
        }
    }

    /// The end of the copied objects.
    pub fn free(&self) -> u64 {
        self.free as u64
    }

    /// Forwards the value in `slot` (a root or a field of a copied object).
    ///
    /// # Safety
    /// `slot` must hold a valid value.
    pub unsafe fn forward_slot(&mut self, slot: *mut u64) {
        unsafe { *slot = self.forward(*slot) }
    }

    /// The new location of `v`: copied on first sight, found through the forwarding word
    /// after that.
    ///
    /// # Safety
    /// `v` must be a valid value.
    pub unsafe fn forward(&mut self, v: u64) -> u64 {
        let tag = v & TAG_MASK;
        if !matches!(tag, TAG_PAIR | TAG_CLOSURE | TAG_OBJECT) {
            return v;
        }
        let address = v - tag;
        if !self.from.contains(&address) {
            return v;
        }
        let object = address as *mut u64;
        unsafe {
            let first = *object;
            if first & HEADER_TYPE_MASK == HEADER_FORWARD {
                return (first >> HEADER_SHIFT) | tag;
            }
            let words = if tag == TAG_PAIR {
                PAIR.words
            } else {
                match layout(first) {
                    Some(l) => l.words,
                    None => {
                        self.unknown = Some(first);
                        return v;
                    }
                }
            };
            let new = self.free;
            if words == PAIR.words {
                *new = first;
                *new.add(1) = *object.add(1);
            } else {
                core::ptr::copy_nonoverlapping(object, new, words);
            }
            self.free = new.add(words);
            *object = ((new as u64) << HEADER_SHIFT) | HEADER_FORWARD;
            new as u64 | tag
        }
    }

    /// Scans the copied objects from the start of the new space, forwarding their fields,
    /// until no object is left unscanned.
    ///
    /// # Safety
    /// The new space must hold only objects copied by this copier.
    pub unsafe fn scan(&mut self) {
        let mut p = self.to as *mut u64;
        while p < self.free {
            unsafe {
                let first = *p;
                let l = if first & TAG_MASK == 7 {
                    match layout(first) {
                        Some(l) => l,
                        None => {
                            self.unknown = Some(first);
                            return;
                        }
                    }
                } else {
                    PAIR
                };
                let old_chunk = *p.add(CHUNK_WORD);
                for i in l.values {
                    self.forward_slot(p.add(i));
                }
                if l.continuation && !self.move_frames(p, old_chunk) {
                    return;
                }
                if l.frames {
                    let (start, end) = (p.add(1), p.add(l.words));
                    let walked = match self.table {
                        Some(table) => table.walk(start, end, |slot| self.forward_slot(slot)),
                        None => Err(super::frames::UnknownReturn(first)),
                    };
                    if let Err(unknown) = walked {
                        self.unknown = Some(unknown.0);
                        return;
                    }
                }
                p = p.add(l.words);
            }
        }
    }
}

impl Copier {
    /// After a continuation `k` (untagged, in the new space) has had its values forwarded:
    /// points its `frames` into its chunk's new place, or, when its frames are sealed in the
    /// stack (`old_chunk` `#f`), copies them into a new chunk after the copied objects (which
    /// the scan reaches later) or, without room, forwards their slots where they are. Returns
    /// false (with `unknown` set) when the frames cannot be walked.
    unsafe fn move_frames(&mut self, k: *mut u64, old_chunk: u64) -> bool {
        unsafe {
            let frames = *k.add(FRAMES_WORD);
            if old_chunk != FALSE {
                let new_chunk = *k.add(CHUNK_WORD);
                *k.add(FRAMES_WORD) = frames.wrapping_add(new_chunk.wrapping_sub(old_chunk));
                // A chunk outside the space is one of `chunks`': it stays, its frames are
                // walked once.
                let chunk = old_chunk - TAG_OBJECT;
                if self.from.contains(&chunk) || !super::chunks::mark(chunk) {
                    return true;
                }
                let words = (*(chunk as *const u64) >> HEADER_SHIFT) as usize;
                let start = (chunk as *mut u64).add(1);
                return self.walk_frames(start, start.add(words));
            }
            let words = (*k.add(SIZE_WORD) >> FIXNUM_SHIFT) as usize / 8;
            if (self.free as u64) + 8 * (words as u64 + 1) <= self.to_end {
                let chunk = self.free;
                *chunk = header(HEADER_STACK_CHUNK, words as u64);
                core::ptr::copy_nonoverlapping(frames as *const u64, chunk.add(1), words);
                self.free = chunk.add(1 + words);
                *k.add(CHUNK_WORD) = chunk as u64 + TAG_OBJECT;
                *k.add(FRAMES_WORD) = chunk.add(1) as u64;
                return true;
            }
            self.kept_sealed = true;
            let start = frames as *mut u64;
            self.walk_frames(start, start.add(words))
        }
    }

    /// Forwards the live slots of the frames from `start` to `end` where they are; false
    /// (with `unknown` set) when they cannot be walked.
    unsafe fn walk_frames(&mut self, start: *mut u64, end: *mut u64) -> bool {
        let walked = match self.table {
            // SAFETY: the caller's frames.
            Some(table) => unsafe { table.walk(start, end, |slot| self.forward_slot(slot)) },
            None => Err(super::frames::UnknownReturn(start as u64)),
        };
        if let Err(unknown) = walked {
            self.unknown = Some(unknown.0);
            return false;
        }
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A list of a vector and a string, shared and cyclic, copied between two arrays.
    #[test]
    fn copies_reachable_objects_once_and_keeps_sharing_and_cycles() {
        let mut from = vec![0u64; 16];
        let base = from.as_mut_ptr() as u64;
        // Pair at 0: (vector . pair at 2); pair at 2: (string . pair at 0) — a cycle.
        // Vector at 4 (2 elements: the string, 42); string at 7 ("ab"); garbage after.
        let pair = |i: u64| base + 8 * i + TAG_PAIR;
        let object = |i: u64| base + 8 * i + TAG_OBJECT;
        from[0] = object(4);
        from[1] = pair(2);
        from[2] = object(7);
        from[3] = pair(0);
        from[4] = header(HEADER_VECTOR, 2);
        from[5] = object(7);
        from[6] = fixnum(42);
        from[7] = header(HEADER_STRING, 2);
        from[8] = 0x0000_0062_0000_0061;
        let mut to = vec![0u64; 16];
        let to_base = to.as_mut_ptr() as u64;
        let mut copier =
            unsafe { Copier::new(None, base..base + 8 * 16, to_base..to_base + 8 * 16) };
        let mut root = pair(0);
        unsafe {
            copier.forward_slot(&mut root);
            copier.scan();
        }
        assert_eq!(copier.unknown, None);
        // Two pairs, a vector of 3 words, a string of 2: 9 words.
        assert_eq!(copier.free() - to_base, 8 * 9);
        let word = |v: u64, offset: i32| unsafe { *((v as i64 + offset as i64) as *const u64) };
        assert_eq!(root, to_base + TAG_PAIR);
        let vector = word(root, CAR);
        let rest = word(root, CDR);
        let string = word(rest, CAR);
        assert_eq!(word(rest, CDR), root, "the cycle is kept");
        assert_eq!(word(vector, OBJECT_DATA), string, "sharing is kept");
        assert_eq!(word(vector, OBJECT_DATA + 8), fixnum(42));
        assert_eq!(word(string, OBJECT_DATA), 0x0000_0062_0000_0061);
        assert!((to_base..to_base + 8 * 9).contains(&(string - TAG_OBJECT)));
    }
}
