//! The machine level between instruction selection and encoding: amd64 instructions whose
//! operands may be *virtual registers*, liveness over each procedure's control flow, register
//! allocation with frame layout, and the lowering to instructions iced-x86 encodes.
//!
//! Instruction selection (`codegen`) emits iced-x86 instructions, and keeps Scheme variables
//! and temporaries in virtual registers ([`VReg`]). A virtual register is defined only by a
//! [`Move`] from a physical register, and read by a [`Move`] to one or as an operand of an
//! ordinary instruction ([`VOperands`]: the `r/m` operand of `cmp`, `test`, `add`, `sub`,
//! `or`..., or the base of a memory operand, `[v + d]`), so that `cmp v3, 0` or
//! `mov rdi, [v4 + 0Eh]` use the value where it lives. Where it lives is decided here, after
//! the whole procedure is known:
//!
//! * [`liveness`]: the procedure's control flow (labels and jumps, the out-of-line slow paths
//!   and error exits included) and, backwards over it, the virtual registers live at each
//!   instruction.
//! * [`regalloc`]: each virtual register gets a home: one of the registers generated code
//!   never uses for anything else (`rbx rbp r12 r13`), or a frame slot. Every call clobbers
//!   those registers as far as Scheme is concerned, so a value live across a Scheme call is
//!   kept in a slot; across a runtime service or the collector (which may move objects), a
//!   register value is saved to a slot before the call and reloaded after it, so the
//!   collector sees and updates it there. Slots are shared by values never live at once.
//! * [`lower`]: the moves become `mov`s between registers and `[rsp + d]`, an operand
//!   becomes its register or `[rsp + d]` (a base in a slot is loaded into the scratch
//!   register instruction selection named), the saves and reloads are inserted, and each return point's frame-table entry (frame size, live slots)
//!   is computed from the liveness: a slot is listed only where a Scheme value in it is live.
//!
//! The allocation rule of the collector ("no live value only in a register at an
//! allocation") holds by construction: an allocation's slow path calls the collector, so
//! everything live across it is saved to a slot or lives in one.
//!
//! * [`listing`]: the stages `select`, `allocate`, `encode` as text, for `--dump-ir`.
//!
//! **Not yet done:** instruction selection uses virtual-register operands for comparisons,
//! `eq?`/`null?`/`not`, two-operand fixnum `+`/`-` and tests in `if`, and closures' free
//! variables; other operations (`car`/`cdr`, vector access, `*`, calls' arguments) still move
//! their operands into the fixed scratch registers first. There is no coalescing.

pub mod listing;
pub mod liveness;
pub mod lower;
pub mod regalloc;
#[cfg(test)]
mod testing;

use iced_x86::{Instruction, OpKind, Register};
use std::fmt;
use std::ops::Range;

/// A virtual register: a Scheme variable or temporary of one procedure.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct VReg(pub u32);

impl fmt::Display for VReg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "v{}", self.0)
    }
}

/// What the allocator must know about a virtual register.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VRegInfo {
    /// The clause whose frame it belongs to (an index into [`Recorder::clauses`]).
    pub clause: u32,
    /// A stack parameter is its slot, where the caller stored it.
    pub fixed_slot: Option<u32>,
}

/// A clause's frame as instruction selection laid it out.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClauseFrame {
    /// The size in slots the code was emitted for: an upper bound.
    pub bound: u32,
    /// The first slot the allocator may hand out (below: stack parameters, `apply`'s slots).
    pub first_slot: u32,
}

/// A move to or from a virtual register (the only instruction that defines one).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Move {
    /// `mov dst, src`: defines `dst`.
    Def { dst: VReg, src: Register },
    /// `mov dst, src`: uses `src`.
    Use { dst: Register, src: VReg },
}

/// The virtual-register operands of an ordinary instruction, all read (only a [`Move`]
/// defines a virtual register). In the instruction, a placeholder register of the right
/// size stands where each goes:
///
/// * `operand`: `(k, v)`: operand `k`, the instruction's `r/m` operand, is `v`. After
///   allocation it is `v`'s register, or its slot as `[rsp + d]`, which an `r/m` operand may
///   be (so instruction selection never puts a virtual register where only a register may
///   go, and never in an instruction with a memory operand of its own).
/// * `base`: `(v, scratch)`: the base of the memory operand is `v`. After allocation it is
///   `v`'s register, or `scratch` (a register the instruction overwrites anyway, or one free
///   there) loaded from `v`'s slot first.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VOperands {
    pub operand: Option<(u32, VReg)>,
    pub base: Option<(VReg, Register)>,
}

/// The placeholders of a virtual register in an instruction: its 64, 32 and 8 bits.
pub const PLACEHOLDER_64: Register = Register::RBX;
pub const PLACEHOLDER_32: Register = Register::EBX;
pub const PLACEHOLDER_8: Register = Register::BL;

impl VOperands {
    pub fn uses(self) -> impl Iterator<Item = VReg> + Clone {
        [self.operand.map(|(_, v)| v), self.base.map(|(v, _)| v)]
            .into_iter()
            .flatten()
    }
}

/// What instruction selection records besides its instructions (which it emits into one
/// iced-x86 `CodeAssembler`, so that labels keep working): the virtual registers, the
/// instructions that are really [`Move`]s (indices into the assembler's list, each holding a
/// placeholder), those with [`VOperands`], the calls that preserve `rbx rbp r12 r13` (runtime services and the
/// collector's stubs; any other call is a Scheme call), the procedures' ranges, the clauses'
/// frames and the instructions whose immediate or `rsp` displacement is relative to the top
/// of their clause's frame (the frame shrinks from its bound to what the allocation used,
/// so those shrink with it).
#[derive(Default, Debug)]
pub struct Recorder {
    pub vregs: Vec<VRegInfo>,
    pub moves: Dense<Option<Move>>,
    pub operands: Dense<Option<VOperands>>,
    pub preserving_calls: Dense<bool>,
    pub procedures: Vec<Range<usize>>,
    pub clauses: Vec<ClauseFrame>,
    pub frame_relative: Dense<Option<u32>>,
}

/// A side table indexed by instruction (looked up for every instruction, so not hashed).
#[derive(Default, Debug)]
pub struct Dense<T>(Vec<T>);

impl<T: Copy + Default> Dense<T> {
    pub fn insert(&mut self, at: usize, value: T) {
        if self.0.len() <= at {
            self.0.resize(at + 1, T::default());
        }
        self.0[at] = value;
    }

    pub fn get(&self, at: usize) -> T {
        self.0.get(at).copied().unwrap_or_default()
    }
}

impl Recorder {
    pub fn clause(&mut self, frame: ClauseFrame) -> u32 {
        self.clauses.push(frame);
        self.clauses.len() as u32 - 1
    }

    pub fn vreg(&mut self, info: VRegInfo) -> VReg {
        self.vregs.push(info);
        VReg(self.vregs.len() as u32 - 1)
    }
}

/// One instruction of a procedure, as liveness and the allocator see it.
#[derive(Clone, Copy, Debug)]
pub enum Inst<'a> {
    /// An instruction over physical operands only.
    Fixed(&'a Instruction),
    Move(Move),
    /// An instruction that reads virtual registers (never one that transfers control).
    Uses(&'a Instruction, VOperands),
}

impl Inst<'_> {
    /// The virtual registers the instruction mentions.
    pub fn vregs(self) -> impl Iterator<Item = VReg> + Clone {
        let vregs = match self {
            Inst::Move(Move::Def { dst: v, .. } | Move::Use { src: v, .. }) => [Some(v), None],
            Inst::Uses(_, uses) => [uses.operand.map(|(_, v)| v), uses.base.map(|(v, _)| v)],
            Inst::Fixed(_) => [None, None],
        };
        vregs.into_iter().flatten()
    }
}

/// A procedure's instructions: `code[start..end]` of the whole image's list.
#[derive(Clone, Copy)]
pub struct Procedure<'a> {
    pub code: &'a [Instruction],
    pub range: &'a Range<usize>,
    pub recorder: &'a Recorder,
}

impl<'a> Procedure<'a> {
    pub fn len(&self) -> usize {
        self.range.len()
    }

    pub fn is_empty(&self) -> bool {
        self.range.is_empty()
    }

    /// The `i`th instruction of the procedure.
    pub fn inst(&self, i: usize) -> Inst<'a> {
        let at = self.range.start + i;
        match self.recorder.moves.get(at) {
            Some(m) => Inst::Move(m),
            None => match self.recorder.operands.get(at) {
                Some(uses) => Inst::Uses(&self.code[at], uses),
                None => Inst::Fixed(&self.code[at]),
            },
        }
    }

    /// The label bound to the `i`th instruction (iced-x86 keeps a label's id as the `ip` of
    /// its instruction until encoding; unlabelled instructions have 0).
    pub fn label(&self, i: usize) -> Option<u64> {
        let ip = self.code[self.range.start + i].ip();
        (ip != 0).then_some(ip)
    }

    /// Whether the `i`th instruction is a call that preserves the allocator's registers.
    pub fn preserving_call(&self, i: usize) -> bool {
        self.recorder.preserving_calls.get(self.range.start + i)
    }
}

/// The text form: one instruction a line, labels as `L<id>:`, branch targets as `L<id>`
/// ([`listing`]).
impl fmt::Display for Procedure<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        listing::body(&mut out, &mut listing::unencoded_formatter(), self);
        f.write_str(&out)
    }
}

/// How control leaves an instruction (iced-x86's own classification needs a feature this
/// crate does not build).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// To the next instruction.
    Next,
    /// A call: to the next instruction when it returns.
    Call,
    /// A conditional jump: to the next instruction or the target.
    Branch,
    /// An unconditional jump to a label.
    Jump,
    /// Out of the procedure: `ret`, `ud2`, an indirect jump.
    Exit,
}

pub fn flow(ins: &Instruction) -> Flow {
    use iced_x86::Mnemonic::*;
    let direct = ins.op_count() == 1 && ins.op0_kind() == OpKind::NearBranch64;
    match ins.mnemonic() {
        Call => Flow::Call,
        Jmp if direct => Flow::Jump,
        Jmp | Ret | Ud2 | Int3 => Flow::Exit,
        Ja | Jae | Jb | Jbe | Je | Jne | Jg | Jge | Jl | Jle | Jo | Jno | Js | Jns | Jp | Jnp => {
            Flow::Branch
        }
        _ => Flow::Next,
    }
}
