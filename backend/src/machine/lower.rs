//! From allocated machine code to instructions iced-x86 encodes: each procedure is allocated
//! ([`super::regalloc`]), each clause's frame shrinks to the slots the allocation used (odd,
//! at least the fixed ones), its moves become `mov`s between registers and frame slots
//! (`[rsp + 8 (size - 1 - slot)]`), the instructions instruction selection emitted relative to
//! the top of the bound frame (`sub rsp, 8S`, the epilogue, `apply`'s slots, stack arguments
//! of tail calls...) are moved by the difference, values in registers are saved around calls
//! of services and the collector and reloaded after them, and the live slots at every call
//! are recorded for the frame table.
//!
//! Labels are kept as iced-x86 keeps them before encoding, as the `ip` of their instruction:
//! an instruction that becomes several passes its label to the first, one that disappears
//! (the definition of a value never used) to the next, with a `nop` between two labels.

use super::regalloc::{self, Allocation, Home};
use super::{Inst, Move, Procedure, Recorder, VReg};
use iced_x86::{Code, Instruction, MemoryOperand, OpKind, Register};
use std::collections::HashMap;
use std::ops::Range;

/// The lowered code of a whole image.
pub struct Lowered {
    pub code: Vec<Instruction>,
    /// For each call in a procedure (by its index in the code given to [`lower`]): the slots
    /// holding Scheme values live after it.
    pub live_slots: HashMap<usize, Vec<u32>>,
    /// Each clause's frame size in slots.
    pub frame_sizes: Vec<u32>,
    /// Each procedure, in the order of [`Recorder::procedures`].
    pub procedures: Vec<LoweredProcedure>,
}

/// Where a procedure went and how it was allocated (for `--dump-ir=allocate`).
#[derive(Clone, Debug, Default)]
pub struct LoweredProcedure {
    /// Its instructions in [`Lowered::code`].
    pub range: Range<usize>,
    /// Each virtual register it mentions, with its home.
    pub homes: Vec<(VReg, Home)>,
    /// The clauses of its virtual registers.
    pub clauses: Vec<u32>,
    /// Its calls: (index in [`Lowered::code`], index in the code given to [`lower`]).
    pub calls: Vec<(usize, usize)>,
}

/// Lowers `code`, whose procedures and moves `recorder` describes; code outside procedures
/// (the shared stubs, the entry) is copied as it is.
pub fn lower(code: &[Instruction], recorder: &Recorder) -> Result<Lowered, String> {
    let mut out = Out::default();
    let mut live_slots = HashMap::new();
    let mut sizes: Vec<u32> = recorder.clauses.iter().map(|c| c.first_slot | 1).collect();
    let mut procedures: Vec<(usize, Range<usize>)> =
        recorder.procedures.iter().cloned().enumerate().collect();
    procedures.sort_by_key(|(_, r)| r.start);
    let mut lowered_procedures = vec![LoweredProcedure::default(); procedures.len()];
    let mut at = 0;
    for (index, range) in &procedures {
        for ins in &code[at..range.start] {
            out.copy(ins);
        }
        let p = Procedure {
            code,
            range,
            recorder,
        };
        let allocation = regalloc::allocate(&p)?;
        if cfg!(debug_assertions) {
            regalloc::check(&p, &allocation)?;
        }
        for (k, home) in allocation.homes.iter().enumerate() {
            if let Some(slot) = home.slot {
                let v = allocation.liveness.locals.vregs[k];
                let size = &mut sizes[recorder.vregs[v.0 as usize].clause as usize];
                *size = (*size).max((slot + 1) | 1);
            }
        }
        let start = out.code.len();
        let mut calls = Vec::new();
        procedure(
            &p,
            &allocation,
            &sizes,
            &mut out,
            &mut live_slots,
            &mut calls,
        )?;
        let locals = &allocation.liveness.locals.vregs;
        let mut clauses: Vec<u32> = locals
            .iter()
            .map(|v| recorder.vregs[v.0 as usize].clause)
            .collect();
        clauses.sort_unstable();
        clauses.dedup();
        let mut homes: Vec<(VReg, Home)> = locals.iter().copied().zip(allocation.homes).collect();
        homes.sort_by_key(|&(v, _)| v);
        lowered_procedures[*index] = LoweredProcedure {
            range: start..out.code.len(),
            homes,
            clauses,
            calls,
        };
        at = range.end;
    }
    for ins in &code[at..] {
        out.copy(ins);
    }
    out.flush_label();
    Ok(Lowered {
        code: out.code,
        live_slots,
        frame_sizes: sizes,
        procedures: lowered_procedures,
    })
}

fn procedure(
    p: &Procedure,
    a: &Allocation,
    sizes: &[u32],
    out: &mut Out,
    live_slots: &mut HashMap<usize, Vec<u32>>,
    calls: &mut Vec<(usize, usize)>,
) -> Result<(), String> {
    let locals = &a.liveness.locals;
    let home = |v| a.homes[locals.index(v)];
    let disp = |v: super::VReg, slot: u32| {
        let info = p.recorder.vregs[v.0 as usize];
        8 * (sizes[info.clause as usize] as i64 - 1 - slot as i64)
    };
    let mut reloads: Vec<Instruction> = Vec::new();
    for i in 0..p.len() {
        out.label(p.label(i).unwrap_or(0));
        for reload in reloads.drain(..) {
            out.push(reload);
        }
        match p.inst(i) {
            Inst::Move(Move::Def { dst, src }) => match home(dst) {
                Home { reg: Some(r), .. } => out.push(mov_rr(r, src)?),
                Home { slot: Some(s), .. } => out.push(store(disp(dst, s), src)?),
                _ => {}
            },
            Inst::Move(Move::Use { dst, src }) => match home(src) {
                Home { reg: Some(r), .. } => out.push(mov_rr(dst, r)?),
                Home { slot: Some(s), .. } => out.push(load(dst, disp(src, s))?),
                _ => return Err(format!("internal error: {src} is used but never live")),
            },
            Inst::Uses(ins, uses) => {
                let mut ins = *ins;
                if let Some((k, v)) = uses.operand {
                    match home(v) {
                        Home { reg: Some(r), .. } => {
                            ins.set_op_register(k, sized_like(r, ins.op_register(k))?)
                        }
                        Home { slot: Some(s), .. } => {
                            if uses.base.is_some()
                                || (0..ins.op_count()).any(|j| ins.op_kind(j) == OpKind::Memory)
                            {
                                return Err(format!(
                                    "internal error: {ins} cannot take {v} from its slot"
                                ));
                            }
                            ins.set_op_kind(k, OpKind::Memory);
                            ins.set_memory_base(Register::RSP);
                            ins.set_memory_index(Register::None);
                            ins.set_memory_index_scale(1);
                            ins.set_memory_displacement64(disp(v, s) as u64);
                            ins.set_memory_displ_size(1);
                        }
                        _ => return Err(format!("internal error: {v} is used but never live")),
                    }
                }
                if let Some((v, scratch)) = uses.base {
                    match home(v) {
                        Home { reg: Some(r), .. } => ins.set_memory_base(r),
                        Home { slot: Some(s), .. } => {
                            out.push(load(scratch, disp(v, s))?);
                            ins.set_memory_base(scratch);
                        }
                        _ => return Err(format!("internal error: {v} is used but never live")),
                    }
                }
                out.push(ins);
            }
            Inst::Fixed(ins) => {
                let call = regalloc::is_call(p, i);
                let mut slots = Vec::new();
                if call {
                    for k in a.liveness.live_out(i).iter() {
                        let v = locals.vregs[k];
                        let h = a.homes[k];
                        let Some(s) = h.slot else {
                            return Err(format!(
                                "internal error: {v} live across a call in no slot"
                            ));
                        };
                        slots.push(s);
                        if let Some(r) = h.reg {
                            out.push(store(disp(v, s), r)?);
                            reloads.push(load(r, disp(v, s))?);
                        }
                    }
                    slots.sort_unstable();
                    live_slots.insert(p.range.start + i, slots);
                    calls.push((out.code.len(), p.range.start + i));
                }
                match p.recorder.frame_relative.get(p.range.start + i) {
                    Some(clause) => {
                        let bound = p.recorder.clauses[clause as usize].bound;
                        let shrink = 8 * (bound as i64 - sizes[clause as usize] as i64);
                        out.copy_unlabelled(&moved_down(ins, shrink)?);
                    }
                    None => out.copy_unlabelled(ins),
                }
            }
        }
    }
    for reload in reloads {
        out.push(reload);
    }
    Ok(())
}

/// `ins` with its `rsp` displacement or its immediate (whichever it has) less `by`: an
/// instruction relative to the top of a frame that shrank by `by` bytes.
fn moved_down(ins: &Instruction, by: i64) -> Result<Instruction, String> {
    let mut ins = *ins;
    let memory = (0..ins.op_count()).any(|k| ins.op_kind(k) == OpKind::Memory);
    if memory && ins.memory_base() == Register::RSP {
        // Below `rsp` is fine: a tail call's stack arguments may go past a small frame.
        let disp = ins.memory_displacement64() as i64 - by;
        ins.set_memory_displacement64(disp as u64);
        ins.set_memory_displ_size(1);
        return Ok(ins);
    }
    for k in 0..ins.op_count() {
        let fits = match ins.op_kind(k) {
            OpKind::Immediate8to64 => |v: i64| i8::try_from(v).is_ok(),
            OpKind::Immediate32 | OpKind::Immediate32to64 => |v: i64| i32::try_from(v).is_ok(),
            _ => continue,
        };
        let value = ins.immediate(k) as i64 - by;
        if !fits(value) {
            return Err(format!("internal error: {ins} cannot move down by {by}"));
        }
        ins.try_set_immediate_i64(k, value)
            .map_err(|e| e.to_string())?;
        return Ok(ins);
    }
    Err(format!(
        "internal error: {ins} has nothing relative to the frame"
    ))
}

/// `r` (one of the allocator's registers) at the size of the placeholder `like`.
fn sized_like(r: Register, like: Register) -> Result<Register, String> {
    use Register::*;
    let sizes = match r {
        RBX => [RBX, EBX, BL],
        RBP => [RBP, EBP, BPL],
        R12 => [R12, R12D, R12L],
        R13 => [R13, R13D, R13L],
        _ => return Err(format!("internal error: {r:?} is not allocatable")),
    };
    match like {
        super::PLACEHOLDER_64 => Ok(sizes[0]),
        super::PLACEHOLDER_32 => Ok(sizes[1]),
        super::PLACEHOLDER_8 => Ok(sizes[2]),
        _ => Err(format!("internal error: {like:?} is not a placeholder")),
    }
}

fn mov_rr(dst: Register, src: Register) -> Result<Instruction, String> {
    Instruction::with2(Code::Mov_r64_rm64, dst, src).map_err(|e| e.to_string())
}

fn store(disp: i64, src: Register) -> Result<Instruction, String> {
    let mem = MemoryOperand::with_base_displ(Register::RSP, disp);
    Instruction::with2(Code::Mov_rm64_r64, mem, src).map_err(|e| e.to_string())
}

fn load(dst: Register, disp: i64) -> Result<Instruction, String> {
    let mem = MemoryOperand::with_base_displ(Register::RSP, disp);
    Instruction::with2(Code::Mov_r64_rm64, dst, mem).map_err(|e| e.to_string())
}

/// The output list, with the label waiting for its instruction.
#[derive(Default)]
struct Out {
    code: Vec<Instruction>,
    label: u64,
}

impl Out {
    /// The next instruction pushed gets label `id` (none for 0).
    fn label(&mut self, id: u64) {
        if id != 0 {
            self.flush_label();
            self.label = id;
        }
    }

    /// Puts a waiting label on a `nop` of its own.
    fn flush_label(&mut self) {
        if self.label != 0 {
            self.push(Instruction::with(Code::Nopd));
        }
    }

    fn push(&mut self, mut ins: Instruction) {
        ins.set_ip(std::mem::take(&mut self.label));
        self.code.push(ins);
    }

    fn copy(&mut self, ins: &Instruction) {
        self.label(ins.ip());
        self.copy_unlabelled(ins);
    }

    fn copy_unlabelled(&mut self, ins: &Instruction) {
        self.push(*ins);
    }
}

#[cfg(test)]
mod tests {
    use super::super::testing::Builder;
    use super::*;
    use iced_x86::code_asm::*;
    use iced_x86::{Formatter, IntelFormatter};

    #[test]
    fn values_get_registers_or_slots_and_the_frame_shrinks_to_them() {
        // x is live across a service call (a register, saved around it), f across a Scheme
        // call (a slot), `unused` is never read (its definition goes), y lives between two
        // calls (a register). The frame of 9 slots shrinks to 7: 4 fixed, x's and f's slots,
        // and one to stay odd.
        let mut b = Builder::new();
        let (x, f, unused, y) = (b.vreg(), b.vreg(), b.vreg(), b.vreg());
        b.r.frame_relative.insert(b.a.instructions().len(), Some(0));
        b.a.sub(rsp, 72).unwrap();
        b.def(x, rdx);
        b.def(f, rdi);
        b.def(unused, rcx);
        b.service_call();
        b.use_(rax, x);
        b.use_(rdi, f);
        b.a.call(qword_ptr(rdi + 6)).unwrap();
        b.def(y, rax);
        b.use_(rdi, f);
        b.use_(rdx, y);
        b.r.frame_relative.insert(b.a.instructions().len(), Some(0));
        b.a.add(rsp, 72).unwrap();
        b.a.jmp(qword_ptr(rdi + 6)).unwrap();
        let lowered = b.procedure(|p| lower(p.code, p.recorder)).unwrap();
        let mut out = String::new();
        let mut formatter = IntelFormatter::new();
        for ins in &lowered.code {
            formatter.format(ins, &mut out);
            out.push('\n');
        }
        let mut calls: Vec<_> = lowered.live_slots.iter().collect();
        calls.sort();
        out.push_str(&format!("live slots at calls: {calls:?}\n"));
        out.push_str(&format!("frame sizes: {:?}\n", lowered.frame_sizes));
        expect_test::expect![[r#"
            sub rsp,38h
            mov rbx,rdx
            mov [rsp+8],rdi
            mov [rsp+10h],rbx
            call qword ptr [rax+8]
            mov rbx,[rsp+10h]
            mov rax,rbx
            mov rdi,[rsp+8]
            call qword ptr [rdi+6]
            mov rbx,rax
            mov rdi,[rsp+8]
            mov rdx,rbx
            add rsp,38h
            jmp qword ptr [rdi+6]
            live slots at calls: [(4, [4, 5]), (7, [5])]
            frame sizes: [7]
        "#]]
        .assert_eq(&out);
    }

    #[test]
    fn operands_become_their_register_or_slot_and_a_base_in_a_slot_goes_through_the_scratch() {
        // x is live across a Scheme call (a slot): `cmp x, 10h` reads the slot and the base
        // of `mov rax, [x + 6]` is loaded into the named scratch (rax) first. y stays in a
        // register: `test y:8, 7` and `add rax, y` use it there.
        use super::super::{PLACEHOLDER_8, PLACEHOLDER_64, VOperands};
        let mut b = Builder::new();
        let (x, y) = (b.vreg(), b.vreg());
        b.def(x, rdx);
        b.a.call(qword_ptr(rdi + 6)).unwrap();
        b.def(y, rax);
        let cmp = Instruction::with2(Code::Cmp_rm64_imm8, PLACEHOLDER_64, 16).unwrap();
        b.uses(
            cmp,
            VOperands {
                operand: Some((0, x)),
                base: None,
            },
        );
        let test = Instruction::with2(Code::Test_rm8_imm8, PLACEHOLDER_8, 7).unwrap();
        b.uses(
            test,
            VOperands {
                operand: Some((0, y)),
                base: None,
            },
        );
        let free = MemoryOperand::with_base_displ(PLACEHOLDER_64, 6);
        let load = Instruction::with2(Code::Mov_r64_rm64, Register::RAX, free).unwrap();
        b.uses(
            load,
            VOperands {
                operand: None,
                base: Some((x, Register::RAX)),
            },
        );
        let add = Instruction::with2(Code::Add_r64_rm64, Register::RAX, PLACEHOLDER_64).unwrap();
        b.uses(
            add,
            VOperands {
                operand: Some((1, y)),
                base: None,
            },
        );
        b.a.ret().unwrap();
        let (selected, lowered) = b.procedure(|p| (p.to_string(), lower(p.code, p.recorder)));
        let mut out = selected;
        let mut formatter = IntelFormatter::new();
        for ins in &lowered.unwrap().code {
            formatter.format(ins, &mut out);
            out.push('\n');
        }
        expect_test::expect![[r#"
                mov v0, rdx
                call qword ptr [rdi+6]           ; preserves nothing
                mov v1, rax
                cmp v0,10h
                test v1:8,7
                mov rax,[v0+6]
                add rax,v1
                ret
            mov [rsp],rdx
            call qword ptr [rdi+6]
            mov rbx,rax
            cmp qword ptr [rsp],10h
            test bl,7
            mov rax,[rsp]
            mov rax,[rax+6]
            add rax,rbx
            ret
        "#]]
        .assert_eq(&out);
    }
}
