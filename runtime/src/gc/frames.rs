//! The frame table and the frame walker: how the collector (and anything else that must
//! understand the Scheme stack, such as continuation capture) finds the live Scheme values in
//! stack frames.
//!
//! The code generator emits one [`Entry`] per return address in generated code: every
//! non-tail Scheme call and every service call made from a procedure's body. An entry gives
//! the size `S` of the frame the call was made from and which of its slots hold live Scheme
//! values (the others are unallocated at that call, or hold raw words). The table sits after
//! the code, sorted by return address; the context block points at it ([`Table::of`]).
//!
//! A frame in memory, as seen from the slot holding a return address `R` into it (the
//! address `ret_slot` below):
//!
//! ```text
//! ret_slot + 8 (S + 1)   the frame's own return address (into its caller): the next frame
//! ret_slot + 8 (S - i)   slot i                    (slot 0 is the highest)
//! ret_slot + 8           slot S - 1
//! ret_slot               R, the return address of the call in progress
//! ```
//!
//! so a chain of frames is walked upwards from the innermost return-address slot until a
//! given end (the underflow word at the top of the Scheme stack, or the end of a continuation's
//! frames: `crate::continuation`). The walk
//! reads only memory, so it works as well on a copy of frames kept in a heap object (a
//! continuation), as long as the copy keeps this layout.

use crate::context::Context;

/// One entry of the frame table (16 bytes). `bits` is the live-slot bitmap itself (bit `i` =
/// slot `i`) when the frame has at most 64 slots; for a larger frame it is the byte offset,
/// from the start of the table, of `ceil(S / 64)` bitmap words.
#[repr(C)]
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The return address, as an offset from the start of the code.
    pub ret: u32,
    /// The frame size in slots.
    pub size: u32,
    pub bits: u64,
}

/// The size of an [`Entry`] in bytes.
pub const ENTRY_SIZE: usize = core::mem::size_of::<Entry>();
/// Frames up to this many slots keep their bitmap in the entry.
pub const INLINE_BITS: u32 = 64;

/// A view of an image's frame table.
#[derive(Clone, Copy)]
pub struct Table {
    entries: *const Entry,
    count: usize,
    code_start: u64,
}

/// What the table says about one frame.
#[derive(Clone, Copy, Debug)]
pub struct Frame {
    pub size: usize,
    bits: Bits,
}

#[derive(Clone, Copy, Debug)]
enum Bits {
    Inline(u64),
    Words(*const u64),
}

impl Frame {
    /// Whether slot `i` holds a live Scheme value.
    pub fn is_live(&self, i: usize) -> bool {
        if i >= self.size {
            return false;
        }
        match self.bits {
            Bits::Inline(bits) => bits >> i & 1 == 1,
            // SAFETY: the table holds ceil(size / 64) words at this address.
            Bits::Words(words) => unsafe { *words.add(i / 64) >> (i % 64) & 1 == 1 },
        }
    }
}

/// Why a walk stopped early: a return address with no entry (a bug in the code generator, or
/// a walk started at the wrong place).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct UnknownReturn(pub u64);

impl Table {
    /// The table of the running program.
    ///
    /// # Safety
    /// `ctx` must be the running program's context.
    pub unsafe fn of(ctx: *const Context) -> Table {
        unsafe {
            Table {
                entries: (*ctx).frame_table as *const Entry,
                count: (*ctx).frame_count as usize,
                code_start: (*ctx).code_start,
            }
        }
    }

    /// A table at `entries` (sorted by `ret`) for code starting at `code_start`.
    ///
    /// # Safety
    /// `entries` must point at `count` entries, followed by their bitmaps.
    pub unsafe fn new(entries: *const Entry, count: usize, code_start: u64) -> Table {
        Table {
            entries,
            count,
            code_start,
        }
    }

    /// The frame a call returning to `ret` was made from, found by binary search.
    pub fn lookup(&self, ret: u64) -> Option<Frame> {
        let offset = ret.checked_sub(self.code_start)?;
        let offset = u32::try_from(offset).ok()?;
        // SAFETY: `entries` points at `count` entries (see `new`).
        let entries = unsafe { core::slice::from_raw_parts(self.entries, self.count) };
        let i = entries.binary_search_by_key(&offset, |e| e.ret).ok()?;
        let e = entries[i];
        let bits = if e.size <= INLINE_BITS {
            Bits::Inline(e.bits)
        } else {
            Bits::Words((self.entries as u64 + e.bits) as *const u64)
        };
        Some(Frame {
            size: e.size as usize,
            bits,
        })
    }

    /// [`Table::lookup`] through a one-entry cache (`last`): walks over deep recursion meet
    /// the same return address many times in a row.
    #[inline]
    pub fn lookup_cached(&self, ret: u64, last: &mut Option<(u64, Frame)>) -> Option<Frame> {
        if let Some((known, frame)) = *last
            && known == ret
        {
            return Some(frame);
        }
        let frame = self.lookup(ret)?;
        *last = Some((ret, frame));
        Some(frame)
    }

    /// Calls `visit` with the address of every live slot of every frame from the one whose
    /// return address is at `ret_slot` up to (not including) `end`, and returns the number of
    /// frames walked.
    ///
    /// # Safety
    /// `ret_slot..end` must hold a chain of frames laid out as described in the module
    /// documentation, ending exactly at `end`.
    pub unsafe fn walk(
        &self,
        mut ret_slot: *mut u64,
        end: *mut u64,
        mut visit: impl FnMut(*mut u64),
    ) -> Result<usize, UnknownReturn> {
        let mut frames = 0;
        // Deep recursion repeats one return address: remember the last lookup.
        let mut last: Option<(u64, Frame)> = None;
        while ret_slot < end {
            // SAFETY: the caller guarantees the chain.
            let ret = unsafe { *ret_slot };
            let frame = self
                .lookup_cached(ret, &mut last)
                .ok_or(UnknownReturn(ret))?;
            match frame.bits {
                // The common case: visit the set bits only.
                Bits::Inline(bits) => {
                    let mut bits = bits & u64::MAX.checked_shr(64 - frame.size as u32).unwrap_or(0);
                    while bits != 0 {
                        let i = bits.trailing_zeros() as usize;
                        bits &= bits - 1;
                        // SAFETY: slot i of this frame (i < size), inside the chain.
                        visit(unsafe { ret_slot.add(frame.size - i) });
                    }
                }
                Bits::Words(_) => {
                    for i in 0..frame.size {
                        if frame.is_live(i) {
                            // SAFETY: slot i of this frame, inside the chain.
                            visit(unsafe { ret_slot.add(frame.size - i) });
                        }
                    }
                }
            }
            // SAFETY: the next return address is just above the frame.
            ret_slot = unsafe { ret_slot.add(frame.size + 1) };
            frames += 1;
        }
        Ok(frames)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A table of three entries (one with an out-of-line bitmap) for code at 0x1000, and two
    /// frames built by hand.
    #[test]
    fn walks_a_chain_of_frames_visiting_only_live_slots() {
        #[repr(C)]
        struct Image {
            entries: [Entry; 3],
            big_bits: [u64; 2],
        }
        let image = Image {
            entries: [
                Entry {
                    ret: 0x10,
                    size: 3,
                    bits: 0b101,
                },
                Entry {
                    ret: 0x20,
                    size: 65,
                    bits: 3 * ENTRY_SIZE as u64,
                },
                Entry {
                    ret: 0x30,
                    size: 1,
                    bits: 0,
                },
            ],
            big_bits: [1 << 1, 1],
        };
        let table = unsafe { Table::new(image.entries.as_ptr(), 3, 0x1000) };
        assert!(table.lookup(0x1011).is_none());
        assert!(table.lookup(0x10).is_none());
        let big = table.lookup(0x1020).unwrap();
        assert!(big.is_live(1) && big.is_live(64) && !big.is_live(0) && !big.is_live(63));

        // Innermost frame: return 0x1010, slots 0..3 (0 and 2 live); then return 0x1030,
        // one dead slot; then the end.
        let mut stack = [0x1010u64, 102, 101, 100, 0x1030, 200, 0xdead];
        let base = stack.as_mut_ptr();
        let mut seen = Vec::new();
        let frames = unsafe {
            table.walk(base, base.add(6), |slot| {
                seen.push(*slot);
            })
        };
        assert_eq!(frames, Ok(2));
        assert_eq!(seen, [100, 102]);

        let mut bad = [0x1014u64, 0];
        let base = bad.as_mut_ptr();
        assert_eq!(
            unsafe { table.walk(base, base.add(1), |_| {}) },
            Err(UnknownReturn(0x1014))
        );
    }
}
