//! The frame table the collector walks the stack with (layout in [`runtime::gc::frames`]):
//! every return point recorded while emitting code ([`Gen::return_point`]) with its frame's
//! size and live slots, encoded after assembly, when the return addresses are known.
//!
//! Which slots are live at a call in a procedure comes from the register allocation
//! ([`crate::machine`]): the slots holding values live after the call (values that live in
//! slots, and values in registers saved to slots around calls of services). A slot is listed
//! only where the value in it is live, and a value is live only after its definition, so no
//! listed slot holds a stale word. `apply`'s four slots hold values only between spreading a
//! list and the call, never across one, and are never listed.

use super::CompileError;
use super::emit::Gen;
use iced_x86::code_asm::CodeLabel;
use runtime::gc::frames::{ENTRY_SIZE, Entry, INLINE_BITS};

/// A recorded return point: the frame's size and its live-slot bitmap.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameSite {
    pub size: u32,
    pub live: Vec<u64>,
}

impl FrameSite {
    pub fn new(size: u32, live_slots: &[u32]) -> FrameSite {
        let mut live = vec![0u64; (size as usize).div_ceil(64).max(1)];
        for &i in live_slots {
            live[i as usize / 64] |= 1 << (i % 64);
        }
        FrameSite { size, live }
    }
}

/// A return point's frame as code generation knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Site {
    /// Known in full (the shared stubs).
    Fixed(FrameSite),
    /// A call in a procedure, in the frame of `clause`; its size and which slots are live
    /// are known after register allocation.
    Call { clause: u32 },
    /// The same, once the return point is bound: the call is the instruction before `ret`
    /// (an index into the assembler's list).
    Pending { clause: u32, ret: usize },
}

impl Gen<'_> {
    /// Marks the instruction about to be emitted as the return point of the `call` just
    /// emitted, recording the current frame for the collector. The label is the return point
    /// (callers that mark it for multiple values reuse it).
    pub fn return_point(&mut self) -> Result<CodeLabel, CompileError> {
        let site = self.current_site();
        self.return_point_for(site)
    }

    /// The frame a call made in the current clause records (also for a call emitted out of
    /// line later, a slow path, whose frame is the one of the point it came from).
    pub fn current_site(&self) -> Site {
        Site::Call {
            clause: self.clause,
        }
    }

    /// Like [`Gen::return_point`], recording `site` as the frame.
    pub fn return_point_for(&mut self, site: Site) -> Result<CodeLabel, CompileError> {
        let mut point = self.a.create_label();
        self.bind(&mut point)?;
        let site = match site {
            Site::Call { clause } => Site::Pending {
                clause,
                ret: self.a.instructions().len(),
            },
            site => site,
        };
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
