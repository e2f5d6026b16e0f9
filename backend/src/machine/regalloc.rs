//! Register allocation and frame layout for one procedure: greedy colouring of the
//! interference graph, first with the four allocatable registers, then with frame slots.
//!
//! * A value live across a Scheme call (or `$call/cc`'s capture) gets no register: the
//!   callee clobbers every register, and a return point may be marked for multiple values,
//!   so nothing may be reloaded right after the call. It lives in a slot.
//! * A value in a register that is live across a call of a runtime service or of the
//!   collector also gets a slot, where [`super::lower`] saves it around those calls (the
//!   collector finds it there through the frame table and updates it).
//! * Other values get a register when one is free of interfering values, else a slot.
//! * Stack parameters keep the slot the caller stored them in.
//!
//! Two values interfere when one is defined where the other is live. Values never live (a
//! definition whose value nobody reads) get no home, and their definitions are dropped.
//! Greedy colouring in order of first appearance is simple and correct; Briggs-style
//! colouring with coalescing comes with the optimizer.

use super::liveness::{BitSet, Liveness, analyze};
use super::{Flow, Inst, Move, Procedure, VRegInfo, flow};
use iced_x86::Register;

/// The registers values may be allocated to: generated code uses them for nothing else.
pub const REGISTERS: [Register; 4] = [Register::RBX, Register::RBP, Register::R12, Register::R13];

/// Where a value lives: in `reg` (then `slot`, if any, is where it is saved around calls of
/// services), or else in `slot`; neither for a value never live.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Home {
    pub reg: Option<Register>,
    pub slot: Option<u32>,
}

/// A procedure's allocation, with the liveness it was computed from.
#[derive(Debug)]
pub struct Allocation {
    pub liveness: Liveness,
    /// By the procedure's numbering of its values ([`super::liveness::Locals`]).
    pub homes: Vec<Home>,
}

/// What each value is live across.
struct Crossings {
    ever_live: BitSet,
    scheme_call: BitSet,
    service_call: BitSet,
}

fn crossings(p: &Procedure, live: &Liveness) -> Crossings {
    let n = live.locals.vregs.len();
    let mut c = Crossings {
        ever_live: BitSet::new(n),
        scheme_call: BitSet::new(n),
        service_call: BitSet::new(n),
    };
    for i in 0..p.len() {
        c.ever_live.union_with(live.live_in(i));
        if is_call(p, i) {
            if p.preserving_call(i) {
                c.service_call.union_with(live.live_out(i));
            } else {
                c.scheme_call.union_with(live.live_out(i));
            }
        }
    }
    c
}

/// Whether the `i`th instruction of `p` is a call.
pub fn is_call(p: &Procedure, i: usize) -> bool {
    matches!(p.inst(i), Inst::Fixed(ins) if flow(ins) == Flow::Call)
}

pub fn allocate(p: &Procedure) -> Result<Allocation, String> {
    let liveness = analyze(p);
    let n = liveness.locals.vregs.len();
    let info = |k: usize| -> VRegInfo { p.recorder.vregs[liveness.locals.vregs[k].0 as usize] };
    let frame = |k: usize| p.recorder.clauses[info(k).clause as usize];
    let crossings = crossings(p, &liveness);
    let mut interferes = vec![BitSet::new(n); n];
    for i in 0..p.len() {
        if let Inst::Move(Move::Def { dst, .. }) = p.inst(i) {
            let d = liveness.locals.index(dst);
            for u in liveness.live_out(i).iter().filter(|&u| u != d) {
                interferes[d].insert(u);
                interferes[u].insert(d);
            }
        }
    }
    let mut homes = vec![Home::default(); n];
    for k in (0..n).filter(|&k| crossings.ever_live.contains(k)) {
        if info(k).fixed_slot.is_some() || crossings.scheme_call.contains(k) {
            continue;
        }
        let taken: Vec<Register> = interferes[k].iter().filter_map(|u| homes[u].reg).collect();
        homes[k].reg = REGISTERS.into_iter().find(|r| !taken.contains(r));
    }
    for k in (0..n).filter(|&k| crossings.ever_live.contains(k)) {
        let info = info(k);
        if let Some(slot) = info.fixed_slot {
            homes[k].slot = Some(slot);
            continue;
        }
        if homes[k].reg.is_some() && !crossings.service_call.contains(k) {
            continue;
        }
        let taken: Vec<u32> = interferes[k].iter().filter_map(|u| homes[u].slot).collect();
        let frame = frame(k);
        let Some(slot) = (frame.first_slot..frame.bound).find(|s| !taken.contains(s)) else {
            return Err(format!(
                "internal error: a frame of {} slots overflowed",
                frame.bound
            ));
        };
        homes[k].slot = Some(slot);
    }
    Ok(Allocation { liveness, homes })
}

/// An independent check of an allocation against the liveness: no two values live at once
/// share a register or a slot; nothing in a register is live across a Scheme call, and
/// whatever is live across a service call can be found in a slot; every slot is inside
/// its frame.
pub fn check(p: &Procedure, a: &Allocation) -> Result<(), String> {
    let live = &a.liveness;
    let name = |k: usize| live.locals.vregs[k].to_string();
    for i in 0..p.len() {
        for set in [live.live_in(i), live.live_out(i)] {
            let values: Vec<usize> = set.iter().collect();
            for (x, &u) in values.iter().enumerate() {
                let home = a.homes[u];
                if home.reg.is_none() && home.slot.is_none() {
                    return Err(format!("{} is live at {i} with no home", name(u)));
                }
                if let Some(slot) = home.slot {
                    let info = p.recorder.vregs[live.locals.vregs[u].0 as usize];
                    if slot >= p.recorder.clauses[info.clause as usize].bound {
                        return Err(format!("{} is in slot {slot}, past its frame", name(u)));
                    }
                }
                let fixed = |k: usize| {
                    let info = p.recorder.vregs[live.locals.vregs[k].0 as usize];
                    info.fixed_slot.is_some()
                };
                // Stack parameters of the clauses of one procedure are all live where it
                // dispatches on the argument count: the same arguments, in the same slots.
                for &v in values[x + 1..].iter().filter(|&&v| !(fixed(u) && fixed(v))) {
                    let other = a.homes[v];
                    let same_reg = home.reg.is_some() && home.reg == other.reg;
                    let same_slot = home.slot.is_some() && home.slot == other.slot;
                    if same_reg || same_slot {
                        return Err(format!(
                            "{} and {} are both live at {i} in {home:?}",
                            name(u),
                            name(v)
                        ));
                    }
                }
            }
        }
        if is_call(p, i) {
            for u in live.live_out(i).iter() {
                let home = a.homes[u];
                if home.reg.is_some() && (!p.preserving_call(i) || home.slot.is_none()) {
                    return Err(format!(
                        "{} is only in a register across a call at {i}",
                        name(u)
                    ));
                }
            }
        }
    }
    Ok(())
}
