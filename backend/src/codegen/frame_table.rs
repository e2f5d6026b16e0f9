//! The frame table the collector walks the stack with (layout in [`runtime::gc::frames`]):
//! every return point recorded while emitting code ([`Gen::return_point`]) with its frame's
//! size and live slots, encoded after assembly, when the return addresses are known.
//!
//! Which slots are live at a call: every slot allocated at that point ([`Frame::live`]).
//! Slots are allocated in stack order and each is written right after it is allocated (a
//! parameter by the caller or the prologue, a `let` binding or an operand once its value is
//! computed), so an allocated slot never holds a stale word. The one exception is the four
//! slots where `apply` gathers register arguments: they hold values only between the spread
//! and the call, never across one, and are left out.

use super::CompileError;
use super::emit::Gen;
use super::frame::Frame;
use iced_x86::code_asm::CodeLabel;
use runtime::gc::frames::{ENTRY_SIZE, Entry, INLINE_BITS};

/// A recorded return point: the frame's size and its live-slot bitmap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameSite {
    pub size: u32,
    pub live: Vec<u64>,
}

impl Frame {
    /// The site of a call made now: the allocated slots, less `scratch`.
    pub fn site(&self, scratch: std::ops::Range<usize>) -> FrameSite {
        let mut live = vec![0u64; self.size.div_ceil(64).max(1)];
        for i in (0..self.mark()).filter(|i| !scratch.contains(i)) {
            live[i / 64] |= 1 << (i % 64);
        }
        FrameSite {
            size: self.size as u32,
            live,
        }
    }
}

impl Gen<'_> {
    /// Marks the instruction about to be emitted as the return point of the `call` just
    /// emitted, recording the current frame for the collector. The label is the return point
    /// (callers that mark it for multiple values reuse it).
    pub fn return_point(&mut self) -> Result<CodeLabel, CompileError> {
        let site = self.current_site();
        self.return_point_for(site)
    }

    /// The frame a call made at this point of the code would record: for a call emitted out
    /// of line later (a slow path), whose frame is the one of the point it came from.
    pub fn current_site(&self) -> FrameSite {
        self.frame.site(self.apply_slots..self.apply_slots + 4)
    }

    /// Like [`Gen::return_point`], recording `site` as the frame.
    pub fn return_point_for(&mut self, site: FrameSite) -> Result<CodeLabel, CompileError> {
        let mut point = self.a.create_label();
        self.bind(&mut point)?;
        self.frame_sites.push((point, site));
        Ok(point)
    }
}

/// Encodes the table: entries sorted by return offset, then the bitmaps of large frames.
/// Returns the bytes and the number of entries.
pub fn encode(mut sites: Vec<(u64, FrameSite)>) -> Result<(Vec<u8>, usize), CompileError> {
    sites.sort_by_key(|(ret, _)| *ret);
    sites.dedup_by_key(|(ret, _)| *ret);
    let mut entries = Vec::with_capacity(sites.len() * ENTRY_SIZE);
    let mut bitmaps: Vec<u8> = Vec::new();
    let bitmaps_at = (sites.len() * ENTRY_SIZE) as u64;
    for (ret, site) in &sites {
        let ret = u32::try_from(*ret)
            .map_err(|_| CompileError::new("internal error: code larger than 4 GiB"))?;
        let bits = if site.size <= INLINE_BITS {
            site.live[0]
        } else {
            let at = bitmaps_at + bitmaps.len() as u64;
            for word in &site.live {
                bitmaps.extend_from_slice(&word.to_le_bytes());
            }
            at
        };
        let entry = Entry {
            ret,
            size: site.size,
            bits,
        };
        entries.extend_from_slice(&entry.ret.to_le_bytes());
        entries.extend_from_slice(&entry.size.to_le_bytes());
        entries.extend_from_slice(&entry.bits.to_le_bytes());
    }
    entries.extend_from_slice(&bitmaps);
    Ok((entries, sites.len()))
}
