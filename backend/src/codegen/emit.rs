//! The code generator's state and the short instruction sequences everything else is built
//! from: operand loads, type checks, heap allocation, exits to the error service, service
//! calls, and the image's entry point.
//!
//! Register use (ARCHITECTURE.md, "Values and calls"): `r15` context block, `r14` allocation
//! pointer, `rdi` closure and `rsi` argument count at calls, `rdx rcx r8 r9` the first four
//! arguments, `rax` the result; `rax r10 r11` are scratch within one operation.

use super::CompileError;
use super::control;
use super::data::{Data, Value};
use super::frame::Frame;
use super::frame_table::{FrameSite, Site};
use crate::link::Stub;
use crate::machine::{
    ClauseFrame, Move, PLACEHOLDER_8, PLACEHOLDER_32, PLACEHOLDER_64, Recorder, VOperands, VReg,
    VRegInfo,
};
use iced_x86::code_asm::*;
use iced_x86::{Code, Instruction, MemoryOperand, Register};
use ir::lang::explicit_tails::Arena;
use ir::symbol::Symbol;
use ir::var::Var;
use runtime::context as ctx;
use runtime::error::ErrorKind;
use runtime::services as svc;
use runtime::value::*;
use std::collections::HashMap;

/// The registers the code generator names.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Reg {
    Rax,
    Rcx,
    Rdx,
    Rsi,
    Rdi,
    R8,
    R9,
    R10,
    R11,
}

impl Reg {
    pub fn q(self) -> AsmRegister64 {
        match self {
            Reg::Rax => rax,
            Reg::Rcx => rcx,
            Reg::Rdx => rdx,
            Reg::Rsi => rsi,
            Reg::Rdi => rdi,
            Reg::R8 => r8,
            Reg::R9 => r9,
            Reg::R10 => r10,
            Reg::R11 => r11,
        }
    }

    pub fn d(self) -> AsmRegister32 {
        match self {
            Reg::Rax => eax,
            Reg::Rcx => ecx,
            Reg::Rdx => edx,
            Reg::Rsi => esi,
            Reg::Rdi => edi,
            Reg::R8 => r8d,
            Reg::R9 => r9d,
            Reg::R10 => r10d,
            Reg::R11 => r11d,
        }
    }

    pub fn b(self) -> AsmRegister8 {
        match self {
            Reg::Rax => al,
            Reg::Rcx => cl,
            Reg::Rdx => dl,
            Reg::Rsi => sil,
            Reg::Rdi => dil,
            Reg::R8 => r8b,
            Reg::R9 => r9b,
            Reg::R10 => r10b,
            Reg::R11 => r11b,
        }
    }
}

/// The registers of the first four arguments.
pub const ARG_REGS: [Reg; 4] = [Reg::Rdx, Reg::Rcx, Reg::R8, Reg::R9];

/// The first byte of a multiple-value marker (`test eax, imm32`) and its length.
pub const MV_MARKER_BYTE: i32 = 0xA9;
pub const MV_MARKER_LEN: i32 = 5;

/// The global holding the base library's procedure that turns a runtime error into a raised
/// condition (`$raise-runtime-error` in stdlib/exceptions.scm, a global of the unit
/// `(loko base)`).
pub const RAISE_RUNTIME_ERROR: &str = "$base::$raise-runtime-error";

/// Where a variable lives.
#[derive(Clone, Copy, Debug)]
pub enum Loc {
    VReg(VReg),
    /// The `i`th free variable of the current closure.
    Free(usize),
}

/// A value that can be loaded into any register without side effects.
#[derive(Clone, Copy, Debug)]
pub enum Operand {
    VReg(VReg),
    Free(usize),
    Value(Value),
}

/// The operand of an instruction besides its virtual register.
#[derive(Clone, Copy, Debug)]
enum OtherOperand {
    Reg(Register),
    Imm(i32),
}

/// How many bytes an allocation slow path asks the collector for.
#[derive(Clone, Copy, Debug)]
pub enum Request {
    Bytes(i32),
    /// The size is in this register.
    Reg(Reg),
    /// A service recorded it in the context (`gc_request`) before returning `RETRY`.
    Recorded,
}

/// An out-of-line allocation slow path, emitted after the current procedure: collect, then
/// go back to `retry`, which redoes the allocation from operands still in their slots.
struct AllocSlowPath {
    label: CodeLabel,
    retry: CodeLabel,
    request: Request,
    /// The register holding the start of the failed allocation, to undo the bump.
    undo: Option<Reg>,
    /// The frame at the allocation (the collector's view of this call of `collect`).
    site: Site,
}

/// An out-of-line exit to the error service, emitted after the current procedure.
struct ErrorExit {
    label: CodeLabel,
    kind: ErrorKind,
    who: Value,
    irritant: Option<Reg>,
}

pub struct Gen<'t> {
    pub a: CodeAssembler,
    pub arena: &'t Arena,
    pub data: Data,
    pub code_labels: HashMap<Var, CodeLabel>,
    pub frame: Frame,
    pub locs: HashMap<Var, Loc>,
    /// The virtual registers and moves of the procedures ([`crate::machine`]).
    pub machine: Recorder,
    /// The current closure pointer.
    pub cp: VReg,
    /// The clause being compiled (its frame, in `machine.clauses`).
    pub clause: u32,
    /// The first of the four slots where `apply` gathers register arguments.
    pub apply_slots: Option<usize>,
    /// The shared stubs, as the placeholder addresses branches to them use ([`Stub`]).
    pub error_common: u64,
    pub out_of_memory: u64,
    /// The shared stubs that call the `collect` service: from a procedure's body, and from a
    /// prologue while a call's arguments are still in registers ([`Gen::common_stubs`]).
    pub collect: u64,
    pub collect_saved: u64,
    pub collect_in_call: u64,
    /// The start of the clause being compiled (before its rest list and frame), where a
    /// prologue that must collect starts again.
    pub clause_start: CodeLabel,
    pub stack_overflow: u64,
    /// The shared multiple-value return: see [`Gen::common_stubs`].
    pub mv_return: u64,
    /// The stubs this unit defines (the runtime unit), where they are bound.
    pub stub_labels: Vec<(Stub, CodeLabel)>,
    /// Call sites that accept multiple values, as (return point, multiple-value entry): the
    /// marker at each return point gets the entry's offset once the code is assembled.
    pub mv_sites: Vec<(CodeLabel, CodeLabel)>,
    /// Static closures (data offset of the code-address word, code), relocated after assembly.
    pub static_closures: Vec<(u64, Var)>,
    /// Every return point, with its frame (see [`super::frame_table`]).
    pub frame_sites: Vec<(CodeLabel, Site)>,
    /// Whether the expression being compiled is in effect position (its values are
    /// discarded, so it may return any number of them); [`Gen::expr`] consumes it.
    pub effect: bool,
    /// The entry points of continuations and stack segments ([`control`]).
    pub control: control::Labels,
    /// Prologue exits to the segment overflow stub, emitted after the procedure.
    pub overflow_exits: Vec<control::OverflowExit>,
    exits: Vec<ErrorExit>,
    /// The pending calls of the `number` service ([`super::arithmetic`]).
    pub slow_paths: Vec<super::arithmetic::SlowPath>,
    alloc_slow_paths: Vec<AllocSlowPath>,
    /// Prologue slow paths: (label, where to resume once the collector has run).
    call_slow_paths: Vec<(CodeLabel, CodeLabel)>,
    last_label_at: Option<usize>,
}

impl<'t> Gen<'t> {
    pub fn new(arena: &'t Arena) -> Result<Gen<'t>, CompileError> {
        let mut a = CodeAssembler::new(64)?;
        let clause_start = a.create_label();
        Ok(Gen {
            a,
            arena,
            data: Data::unit(None),
            code_labels: HashMap::new(),
            frame: Frame::new(0),
            locs: HashMap::new(),
            machine: Recorder::default(),
            cp: VReg(0),
            clause: 0,
            apply_slots: None,
            error_common: Stub::ErrorCommon.address(),
            out_of_memory: Stub::OutOfMemory.address(),
            collect: Stub::Collect.address(),
            collect_saved: Stub::CollectSaved.address(),
            collect_in_call: Stub::CollectInCall.address(),
            clause_start,
            stack_overflow: Stub::StackOverflow.address(),
            mv_return: Stub::MvReturn.address(),
            stub_labels: Vec::new(),
            mv_sites: Vec::new(),
            static_closures: Vec::new(),
            frame_sites: Vec::new(),
            effect: false,
            control: control::Labels::new(),
            overflow_exits: Vec::new(),
            exits: Vec::new(),
            slow_paths: Vec::new(),
            alloc_slow_paths: Vec::new(),
            call_slow_paths: Vec::new(),
            last_label_at: None,
        })
    }

    /// Binds `label` here. iced-x86 attaches a label to the next instruction and allows one
    /// label per instruction, so two labels in a row get a `nop` between them.
    pub fn bind(&mut self, label: &mut CodeLabel) -> Result<(), CompileError> {
        let here = self.a.instructions().len();
        if self.last_label_at == Some(here) {
            self.a.nop()?;
        }
        self.a.set_label(label)?;
        self.last_label_at = Some(self.a.instructions().len());
        Ok(())
    }

    pub fn ctx_field(&self, offset: i32) -> AsmMemoryOperand {
        qword_ptr(r15 + offset)
    }

    /// Binds the shared stub `stub` here (in the runtime unit); returns its label.
    pub fn bind_stub(&mut self, stub: Stub) -> Result<CodeLabel, CompileError> {
        let mut label = self.a.create_label();
        self.bind(&mut label)?;
        self.stub_labels.push((stub, label));
        Ok(label)
    }

    /// `lea dst, [rip + target]` for a placeholder code address (a stub, the context: see
    /// [`crate::link::placeholder`]), which the link step resolves.
    pub fn lea_code(&mut self, dst: AsmRegister64, target: u64) -> Result<(), CompileError> {
        let ins = Instruction::with2(
            Code::Lea_r64_m,
            Register::from(dst),
            MemoryOperand::with_base_displ(Register::RIP, target as i64),
        )?;
        self.a.add_instruction(ins)?;
        Ok(())
    }

    /// Starts a clause whose fixed slots are laid out in `self.frame`.
    pub fn start_clause(&mut self) {
        self.clause = self.machine.clause(ClauseFrame {
            bound: self.frame.size as u32,
            first_slot: self.frame.first_free() as u32,
        });
    }

    /// A new virtual register of the current clause.
    pub fn vreg(&mut self) -> VReg {
        self.machine.vreg(VRegInfo {
            clause: self.clause,
            fixed_slot: None,
        })
    }

    /// A virtual register that is the stack slot `slot` (a stack parameter).
    pub fn fixed_vreg(&mut self, slot: usize) -> VReg {
        self.machine.vreg(VRegInfo {
            clause: self.clause,
            fixed_slot: Some(slot as u32),
        })
    }

    /// Records that the instruction about to be emitted has an immediate or an `rsp`
    /// displacement relative to the top of `clause`'s frame (computed from
    /// [`super::frame::Frame::bytes`] or [`super::frame::Frame::disp`]), which the machine
    /// level moves when it shrinks the frame.
    pub fn frame_relative(&mut self, clause: u32) {
        let at = self.a.instructions().len();
        self.machine.frame_relative.insert(at, Some(clause));
    }

    /// `mov dst, src` into a virtual register (a placeholder in the assembler until
    /// [`crate::machine::lower`] knows where `dst` lives).
    pub fn def(&mut self, dst: VReg, src: Reg) -> Result<(), CompileError> {
        let at = self.a.instructions().len();
        let m = Move::Def {
            dst,
            src: src.q().into(),
        };
        self.machine.moves.insert(at, Some(m));
        self.a.mov(src.q(), src.q())?;
        Ok(())
    }

    /// `mov dst, src` from a virtual register.
    pub fn use_vreg(&mut self, dst: Reg, src: VReg) -> Result<(), CompileError> {
        let at = self.a.instructions().len();
        let m = Move::Use {
            dst: dst.q().into(),
            src,
        };
        self.machine.moves.insert(at, Some(m));
        self.a.mov(dst.q(), dst.q())?;
        Ok(())
    }

    /// A new virtual register holding `src`.
    pub fn temp(&mut self, src: Reg) -> Result<VReg, CompileError> {
        let v = self.vreg();
        self.def(v, src)?;
        Ok(v)
    }

    /// Records that the call about to be emitted returns with the frame as it was and does
    /// not run Scheme code (a runtime service, the collector's stubs).
    pub fn preserving_call(&mut self) {
        let at = self.a.instructions().len();
        self.machine.preserving_calls.insert(at, true);
    }

    pub fn var_operand(&self, x: Var) -> Result<Operand, CompileError> {
        match self.locs.get(&x) {
            Some(Loc::VReg(v)) => Ok(Operand::VReg(*v)),
            Some(Loc::Free(i)) => Ok(Operand::Free(*i)),
            None => Err(CompileError::new(format!(
                "internal error: variable {} has no location",
                self.arena.cx.vars.display(x)
            ))),
        }
    }

    /// Emits `ins`, which has a placeholder ([`crate::machine::PLACEHOLDER_64`] and its
    /// smaller parts) wherever `uses` says a virtual register goes.
    pub fn with_vregs(&mut self, ins: Instruction, uses: VOperands) -> Result<(), CompileError> {
        let at = self.a.instructions().len();
        self.machine.operands.insert(at, Some(uses));
        self.a.add_instruction(ins)?;
        Ok(())
    }

    /// `code` with the virtual register `v` as its `r/m` operand `k` (64, 32 or 8 bits as
    /// `placeholder` is) and `other` as its other operand.
    fn vreg_operand(
        &mut self,
        code: Code,
        k: u32,
        v: VReg,
        placeholder: Register,
        other: OtherOperand,
    ) -> Result<(), CompileError> {
        let ins = match (k, other) {
            (0, OtherOperand::Imm(imm)) => Instruction::with2(code, placeholder, imm)?,
            (0, OtherOperand::Reg(r)) => Instruction::with2(code, placeholder, r)?,
            (_, OtherOperand::Reg(r)) => Instruction::with2(code, r, placeholder)?,
            (_, OtherOperand::Imm(_)) => {
                return Err(CompileError::new(
                    "internal error: an immediate before a virtual register",
                ));
            }
        };
        let uses = VOperands {
            operand: Some((k, v)),
            base: None,
        };
        self.with_vregs(ins, uses)
    }

    /// `cmp v, imm`.
    pub fn cmp_vreg_imm(&mut self, v: VReg, imm: i32) -> Result<(), CompileError> {
        let code = match i8::try_from(imm) {
            Ok(_) => Code::Cmp_rm64_imm8,
            Err(_) => Code::Cmp_rm64_imm32,
        };
        self.vreg_operand(code, 0, v, PLACEHOLDER_64, OtherOperand::Imm(imm))
    }

    /// `code reg, v` with `reg` and `v` 64 bits (`code` one of the `r64, r/m64` forms).
    pub fn reg_vreg(&mut self, code: Code, reg: Reg, v: VReg) -> Result<(), CompileError> {
        let reg: Register = reg.q().into();
        self.vreg_operand(code, 1, v, PLACEHOLDER_64, OtherOperand::Reg(reg))
    }

    /// `code reg32, v:32` (`code` one of the `r32, r/m32` forms).
    pub fn reg_vreg32(&mut self, code: Code, reg: Reg, v: VReg) -> Result<(), CompileError> {
        let reg: Register = reg.d().into();
        self.vreg_operand(code, 1, v, PLACEHOLDER_32, OtherOperand::Reg(reg))
    }

    /// `test v:8, imm` (a tag check).
    pub fn test_vreg8(&mut self, v: VReg, imm: i32) -> Result<(), CompileError> {
        self.vreg_operand(
            Code::Test_rm8_imm8,
            0,
            v,
            PLACEHOLDER_8,
            OtherOperand::Imm(imm),
        )
    }

    /// `cmp operand, imm`; an operand that is not in a virtual register is loaded into `rax`.
    pub fn cmp_operand_imm(&mut self, operand: Operand, imm: i32) -> Result<(), CompileError> {
        match operand {
            Operand::VReg(v) => self.cmp_vreg_imm(v, imm),
            _ => {
                self.load(Reg::Rax, operand)?;
                self.a.cmp(rax, imm)?;
                Ok(())
            }
        }
    }

    pub fn load(&mut self, reg: Reg, operand: Operand) -> Result<(), CompileError> {
        match operand {
            Operand::VReg(v) => self.use_vreg(reg, v)?,
            Operand::Free(i) => {
                // `mov reg, [cp + d]`: `reg` is the scratch register when `cp` is in a slot.
                let r: Register = reg.q().into();
                let free = MemoryOperand::with_base_displ(
                    PLACEHOLDER_64,
                    (CLOSURE_FREE + 8 * i as i32) as i64,
                );
                let ins = Instruction::with2(Code::Mov_r64_rm64, r, free)?;
                let uses = VOperands {
                    operand: None,
                    base: Some((self.cp, r)),
                };
                self.with_vregs(ins, uses)?;
            }
            Operand::Value(value) => self.load_value(reg, value)?,
        }
        Ok(())
    }

    pub fn load_value(&mut self, reg: Reg, value: Value) -> Result<(), CompileError> {
        match value {
            Value::Immediate(v) if v <= u32::MAX as u64 => self.a.mov(reg.d(), v as u32)?,
            Value::Immediate(v) if v as i64 >= i32::MIN as i64 => self.a.mov(reg.q(), v as i64)?,
            Value::Immediate(v) => self.a.mov(reg.q(), v)?,
            Value::Static { offset, tag } => {
                let at = self.data.displacement(offset + tag)?;
                self.a.lea(reg.q(), qword_ptr(r15 + at))?
            }
            Value::Symbol(n) => {
                let at = Data::symbol_displacement(n);
                self.a.lea(reg.q(), qword_ptr(r15 + at))?
            }
        }
        Ok(())
    }

    /// A label that reports `kind` (with the value in `irritant`) for `who`.
    pub fn error_exit(
        &mut self,
        kind: ErrorKind,
        who: Option<Symbol>,
        irritant: Option<Reg>,
    ) -> CodeLabel {
        let label = self.a.create_label();
        let who = match who {
            Some(name) => self.data.symbol(name),
            None => Value::Immediate(FALSE),
        };
        self.exits.push(ErrorExit {
            label,
            kind,
            who,
            irritant,
        });
        label
    }

    /// Emits the pending slow paths and error exits (after a procedure, out of the hot path).
    /// Slow paths come first: they may add error exits.
    pub fn flush_error_exits(&mut self) -> Result<(), CompileError> {
        self.flush_overflow_exits()?;
        self.flush_slow_paths()?;
        for mut path in std::mem::take(&mut self.alloc_slow_paths) {
            self.bind(&mut path.label)?;
            if let Some(start) = path.undo {
                self.a.mov(r14, start.q())?;
            }
            match path.request {
                Request::Bytes(n) => self.a.mov(esi, n as u32)?,
                Request::Reg(reg) => self.a.mov(rsi, reg.q())?,
                Request::Recorded => self.a.mov(rsi, self.ctx_field(ctx::GC_REQUEST))?,
            }
            self.preserving_call();
            self.a.call(self.collect)?;
            self.return_point_for(path.site)?;
            let exit = self.error_exit(ErrorKind::OutOfMemory, None, None);
            self.a.test(eax, eax)?;
            self.a.jnz(exit)?;
            self.a.jmp(path.retry)?;
        }
        for (mut label, resume) in std::mem::take(&mut self.call_slow_paths) {
            self.bind(&mut label)?;
            self.a.lea(r11, ptr(resume))?;
            self.a.jmp(self.collect_in_call)?;
        }
        for mut exit in std::mem::take(&mut self.exits) {
            self.bind(&mut exit.label)?;
            match exit.irritant {
                Some(Reg::Rcx) => {}
                Some(reg) => self.a.mov(rcx, reg.q())?,
                None => self.a.mov(ecx, FALSE as u32)?,
            }
            self.a.mov(esi, exit.kind as u32)?;
            self.load_value(Reg::Rdx, exit.who)?;
            self.a.jmp(self.error_common)?;
        }
        Ok(())
    }

    /// Jumps to an error exit unless `reg` holds a fixnum.
    pub fn check_fixnum(&mut self, reg: Reg, who: Symbol) -> Result<(), CompileError> {
        let exit = self.error_exit(ErrorKind::WrongType, Some(who), Some(reg));
        self.a.test(reg.b(), 7)?;
        self.a.jnz(exit)?;
        Ok(())
    }

    /// Jumps to an error exit unless `reg` has the pointer tag `tag` (`scratch` is clobbered).
    pub fn check_tag(
        &mut self,
        reg: Reg,
        tag: u64,
        scratch: Reg,
        who: Symbol,
    ) -> Result<(), CompileError> {
        let exit = self.error_exit(ErrorKind::WrongType, Some(who), Some(reg));
        self.a.mov(scratch.d(), reg.d())?;
        self.a.and(scratch.d(), 7)?;
        self.a.cmp(scratch.d(), tag as i32)?;
        self.a.jne(exit)?;
        Ok(())
    }

    /// Jumps to an error exit unless `reg` is a heap object of type `kind`.
    pub fn check_object(
        &mut self,
        reg: Reg,
        kind: u64,
        scratch: Reg,
        who: Symbol,
    ) -> Result<(), CompileError> {
        let exit = self.error_exit(ErrorKind::WrongType, Some(who), Some(reg));
        self.a.mov(scratch.d(), reg.d())?;
        self.a.and(scratch.d(), 7)?;
        self.a.cmp(scratch.d(), TAG_OBJECT as i32)?;
        self.a.jne(exit)?;
        self.a.cmp(byte_ptr(reg.q() + OBJECT_HEADER), kind as i32)?;
        self.a.jne(exit)?;
        Ok(())
    }

    /// Allocates `bytes` (a multiple of 8) and leaves the untagged address in `dst`. When the
    /// allocation area is full, an out-of-line path collects and comes back here, so no live
    /// value may be in a register: callers allocate first and load their operands after.
    pub fn allocate(&mut self, dst: Reg, bytes: i32) -> Result<(), CompileError> {
        let mut retry = self.a.create_label();
        self.bind(&mut retry)?;
        self.bump(dst, Request::Bytes(bytes), retry)
    }

    /// Allocates the number of bytes in `size` (a multiple of 8, below 2^40); address in `dst`.
    /// When the allocation area is full, the slow path collects and jumps to `retry`, which
    /// the caller binds before loading what it needs from its operands.
    pub fn allocate_dynamic(
        &mut self,
        dst: Reg,
        size: Reg,
        retry: CodeLabel,
    ) -> Result<(), CompileError> {
        self.bump(dst, Request::Reg(size), retry)
    }

    /// The bump of [`Gen::allocate`] and [`Gen::allocate_dynamic`], with its slow path.
    fn bump(&mut self, dst: Reg, request: Request, retry: CodeLabel) -> Result<(), CompileError> {
        self.a.mov(dst.q(), r14)?;
        match request {
            Request::Bytes(n) => self.a.add(r14, n)?,
            Request::Reg(size) => self.a.add(r14, size.q())?,
            Request::Recorded => {
                return Err(CompileError::new(
                    "internal error: an inline allocation of a size the runtime recorded",
                ));
            }
        }
        self.a.cmp(r14, self.ctx_field(ctx::HEAP_LIMIT))?;
        let slow = self.alloc_slow_path(retry, request, Some(dst));
        self.a.ja(slow)?;
        Ok(())
    }

    /// A label for an out-of-line slow path that collects for `request` and goes to `retry`.
    pub fn alloc_slow_path(
        &mut self,
        retry: CodeLabel,
        request: Request,
        undo: Option<Reg>,
    ) -> CodeLabel {
        let label = self.a.create_label();
        let site = self.current_site();
        self.alloc_slow_paths.push(AllocSlowPath {
            label,
            retry,
            request,
            undo,
            site,
        });
        label
    }

    /// A label for a prologue's slow path: collect with the call's arguments saved, then
    /// resume at `resume` (see `collect_in_call` in [`Gen::common_stubs`]); the request is in
    /// `rax`.
    pub fn call_slow_path(&mut self, resume: CodeLabel) -> CodeLabel {
        let label = self.a.create_label();
        self.call_slow_paths.push((label, resume));
        label
    }

    /// Calls a service that allocates (like [`Gen::call_service`]); when it returns `RETRY`,
    /// collects and jumps to `retry`, which the caller binds before loading the arguments.
    pub fn call_allocating_service(
        &mut self,
        offset: usize,
        retry: CodeLabel,
    ) -> Result<(), CompileError> {
        self.call_service(offset)?;
        let slow = self.alloc_slow_path(retry, Request::Recorded, None);
        self.a.cmp(rax, RETRY as i32)?;
        self.a.je(slow)?;
        Ok(())
    }

    /// Calls a runtime service from a procedure's body, whose arguments are already in `rdi`,
    /// `rsi`, `rdx`, `rcx`. The allocation pointer goes through the context block, as services
    /// may allocate. The return point goes into the frame table.
    pub fn call_service(&mut self, offset: usize) -> Result<(), CompileError> {
        let site = self.current_site();
        self.call_service_for(offset, site)
    }

    /// [`Gen::call_service`] with the frame recorded as `site` (see
    /// [`Gen::current_site`]).
    pub fn call_service_for(&mut self, offset: usize, site: Site) -> Result<(), CompileError> {
        self.a.mov(self.ctx_field(ctx::HEAP_PTR), r14)?;
        self.a.mov(rax, self.ctx_field(ctx::SERVICES))?;
        self.preserving_call();
        self.a.call(qword_ptr(rax + offset as i32))?;
        self.return_point_for(site)?;
        self.a.mov(r14, self.ctx_field(ctx::HEAP_PTR))?;
        Ok(())
    }

    /// Marks the return point `point` (bound by [`Gen::return_point`] right after a non-tail
    /// `call`) as accepting multiple values: `test eax, imm32`, whose immediate is the offset
    /// from the return point to the entry multiple values take. A single value runs through
    /// the marker, one ALU instruction. [`Gen::mv_marker_discard`] makes the entry the next
    /// instruction; here the caller binds the entry later and records `(point, entry)` in
    /// `mv_sites`, whose offsets `compile` patches in after assembly.
    ///
    /// **Invariant:** no other code starts with the byte 0xA9 (`test eax, imm32`) right after
    /// a `call`, so an unmarked return point is never mistaken for a marked one.
    pub fn mv_marker(&mut self, point: CodeLabel) -> Result<CodeLabel, CompileError> {
        self.a.test(eax, i32::MAX)?;
        Ok(point)
    }

    /// A multiple-value marker for a call in effect position: any values are discarded, so
    /// the entry is the instruction after the marker.
    pub fn mv_marker_discard(&mut self) -> Result<(), CompileError> {
        self.a.test(eax, MV_MARKER_LEN)?;
        Ok(())
    }

    /// The exits shared by the whole image: the multiple-value return, the error service, out
    /// of memory, stack overflow, and the stubs of [`control`].
    pub fn common_stubs(&mut self) -> Result<(), CompileError> {
        // The multiple-value return, jumped to with the frame popped (`rsp` at the return
        // address), the count in `esi`, values as a call's arguments (`rdx rcx r8 r9`, then
        // `[rsp - 8 (j + 1)]`). One value returns as usual; otherwise a marked return point
        // (`mv_marker`) is entered at its multiple-value entry, and any other is an error.
        self.bind_stub(Stub::MvReturn)?;
        let mut one = self.a.create_label();
        let wrong = self.error_exit(
            ErrorKind::WrongValueCount,
            Some(Symbol::intern("values")),
            Some(Reg::Rsi),
        );
        self.a.cmp(esi, 1)?;
        self.a.je(one)?;
        self.a.mov(r10, qword_ptr(rsp))?;
        let mut marked = self.a.create_label();
        self.a.cmp(byte_ptr(r10), MV_MARKER_BYTE)?;
        self.a.je(marked)?;
        self.a.shl(rsi, FIXNUM_SHIFT)?;
        self.a.jmp(wrong)?;
        self.bind(&mut marked)?;
        self.a.movsxd(r11, dword_ptr(r10 + 1))?;
        self.a.add(r10, r11)?;
        // Return through `ret` rather than `jmp`, so the return-stack predictor stays paired.
        self.a.mov(qword_ptr(rsp), r10)?;
        self.a.ret()?;
        self.bind(&mut one)?;
        self.a.mov(rax, rdx)?;
        self.a.ret()?;

        self.bind_stub(Stub::StackOverflow)?;
        self.a.mov(esi, ErrorKind::StackOverflow as u32)?;
        self.a.mov(edx, FALSE as u32)?;
        self.a.mov(ecx, FALSE as u32)?;
        self.a.jmp(self.error_common)?;
        self.collect_stubs()?;
        self.bind_stub(Stub::OutOfMemory)?;
        self.a.mov(esi, ErrorKind::OutOfMemory as u32)?;
        self.a.mov(edx, FALSE as u32)?;
        self.a.mov(ecx, FALSE as u32)?;
        self.bind_stub(Stub::ErrorCommon)?;
        self.raise_runtime_error()?;
        Ok(())
    }

    /// The common error exit, jumped to with the kind in `esi`, `who` in `rdx` and the
    /// irritant in `rcx`; it never returns. When the base library's [`RAISE_RUNTIME_ERROR`] is
    /// defined, it is called with the kind (a fixnum), `who`, the irritant and the kind's
    /// `(message . has-irritant?)` from the image's error table, and raises a condition.
    /// Otherwise (IR programs) the `error` service reports the error and exits. Heap exhaustion
    /// is raised like any other error: the failed collection left the heap's reserve to
    /// allocate the condition in (`runtime::gc::heap`).
    ///
    /// The exit never returns, and the frames of the segment are needed by no one (a
    /// continuation that `guard` or a handler escapes to lives in the heap), so the Scheme
    /// procedure runs on the emptied segment, below the underflow word: the frame table sees
    /// its caller as a frame of one dead slot ending at the segment's top. That also gives a
    /// stack overflow, reported from below the segment's limit, room to run the handlers.
    fn raise_runtime_error(&mut self) -> Result<(), CompileError> {
        let mut service = self.a.create_label();
        self.a.and(rsp, -16)?;
        let cell = self.data.global(Symbol::intern(RAISE_RUNTIME_ERROR)) as i32;
        let table = self.data.error_table();
        let table = self.data.displacement(table)?;
        self.a.mov(rax, qword_ptr(r15 + cell))?;
        self.a.mov(r10d, eax)?;
        self.a.and(r10d, 7)?;
        self.a.cmp(r10d, TAG_CLOSURE as i32)?;
        self.a.jne(service)?;
        self.a.mov(r8, rcx)?;
        self.a.mov(rcx, rdx)?;
        self.a.mov(r9, qword_ptr(r15 + rsi * 8 + (table + 8)))?;
        self.a.lea(rdx, qword_ptr(rsi * 8))?;
        self.a.mov(rdi, rax)?;
        self.a.mov(esi, 4)?;
        self.a.mov(rsp, self.ctx_field(ctx::STACK_TOP))?;
        self.a.sub(rsp, 16)?;
        self.a.call(qword_ptr(rdi + CLOSURE_CODE))?;
        self.return_point_for(Site::Fixed(FrameSite {
            size: 1,
            live: vec![0],
        }))?;
        self.a.mov(esi, ErrorKind::RaiseReturned as u32)?;
        self.a.mov(edx, FALSE as u32)?;
        self.a.mov(ecx, FALSE as u32)?;
        self.bind(&mut service)?;
        self.a.mov(rdi, r15)?;
        self.a.mov(self.ctx_field(ctx::HEAP_PTR), r14)?;
        self.a.mov(rax, self.ctx_field(ctx::SERVICES))?;
        self.a.call(qword_ptr(rax + svc::ERROR_OFFSET as i32))?;
        self.a.ud2()?;
        self.control_stubs()
    }

    /// The two ways into the `collect` service.
    ///
    /// `collect` is called from a procedure's body (the call's return point has a frame-table
    /// entry) with the request in `rsi`; it returns the service's result in `eax` (non-zero:
    /// the heap is exhausted) with `r14` reloaded. `collect_saved` is the same with values
    /// saved in the context's `gc_saved` area as for a call in progress (`gc_saved[0]` and the
    /// first `gc_saved[5]` arguments; see `collect_service`), which the collector updates.
    ///
    /// `collect_in_call` is jumped to from a prologue that must allocate before its frame
    /// exists (a rest list): `rsp` at the callee's return address, the call's closure, count
    /// and arguments in registers and below `rsp`, the request in `rax`, the resume address in
    /// `r11`. The registers go to the context, where the collector updates them; `rsp` moves
    /// below the stack arguments for the service call; then everything is restored and the
    /// prologue resumes.
    fn collect_stubs(&mut self) -> Result<(), CompileError> {
        let mut common = self.a.create_label();
        self.bind_stub(Stub::CollectSaved)?;
        self.a.mov(ecx, 1)?;
        self.a.jmp(common)?;
        self.bind_stub(Stub::Collect)?;
        self.a.xor(ecx, ecx)?;
        self.bind(&mut common)?;
        self.a.mov(self.ctx_field(ctx::HEAP_PTR), r14)?;
        self.a.mov(rdx, rsi)?;
        self.a.mov(rsi, rsp)?;
        self.a.mov(rdi, r15)?;
        // rsp ≡ 8 (mod 16) after the call here: realign for the service.
        self.a.sub(rsp, 8)?;
        self.a.mov(rax, self.ctx_field(ctx::SERVICES))?;
        self.a.call(qword_ptr(rax + svc::COLLECT_OFFSET as i32))?;
        self.a.add(rsp, 8)?;
        self.a.mov(r14, self.ctx_field(ctx::HEAP_PTR))?;
        self.a.ret()?;

        self.bind_stub(Stub::CollectInCall)?;
        let saved = [Reg::Rdi, Reg::Rdx, Reg::Rcx, Reg::R8, Reg::R9, Reg::Rsi];
        for (k, reg) in saved.iter().enumerate() {
            self.a
                .mov(self.ctx_field(ctx::GC_SAVED + 8 * k as i32), reg.q())?;
        }
        self.a.mov(self.ctx_field(ctx::GC_RESUME), r11)?;
        self.a.mov(self.ctx_field(ctx::GC_ENTRY_RSP), rsp)?;
        self.a.mov(self.ctx_field(ctx::HEAP_PTR), r14)?;
        self.a.mov(rdx, rax)?;
        // Below the stack arguments: rsp - 8 max(count - 4, 0), aligned.
        let mut few = self.a.create_label();
        self.a.lea(r10, qword_ptr(rsi - ARG_REGS.len() as i32))?;
        self.a.test(r10, r10)?;
        self.a.jns(few)?;
        self.a.xor(r10d, r10d)?;
        self.bind(&mut few)?;
        self.a.shl(r10, 3)?;
        self.a.mov(rsi, rsp)?;
        self.a.sub(rsp, r10)?;
        self.a.and(rsp, -16)?;
        self.a.mov(rdi, r15)?;
        self.a.mov(ecx, 1)?;
        self.a.mov(rax, self.ctx_field(ctx::SERVICES))?;
        self.a.call(qword_ptr(rax + svc::COLLECT_OFFSET as i32))?;
        self.a.mov(rsp, self.ctx_field(ctx::GC_ENTRY_RSP))?;
        self.a.mov(r14, self.ctx_field(ctx::HEAP_PTR))?;
        self.a.test(eax, eax)?;
        self.a.jnz(self.out_of_memory)?;
        for (k, reg) in saved.iter().enumerate() {
            self.a
                .mov(reg.q(), self.ctx_field(ctx::GC_SAVED + 8 * k as i32))?;
        }
        self.a.jmp(self.ctx_field(ctx::GC_RESUME))?;
        Ok(())
    }

    /// The image's entry (`runtime::EntryFn`): saves the host's callee-saved registers, finds
    /// the context block, lets the runtime map the heap and stack, switches to the Scheme
    /// stack and calls `main` (the sequencer of the units' bodies), as a procedure returning to
    /// the underflow point; when the underflow point finds no continuation left, restores the
    /// host and returns 0.
    pub fn entry(&mut self, main: CodeLabel) -> Result<(), CompileError> {
        for r in [rbx, rbp, r12, r13, r14, r15] {
            self.a.push(r)?;
        }
        let attached = self.data.attach.as_ref().map(|a| a.context);
        match attached {
            // An attached image runs in its world's context, already initialized.
            Some(context) => {
                self.a.mov(r15, context)?;
                self.a.mov(self.ctx_field(ctx::SERVICES), rdi)?;
                self.a.mov(self.ctx_field(ctx::SAVED_RSP), rsp)?;
            }
            None => {
                // The context block is at the image's data offset 0.
                self.lea_code(r15, crate::link::placeholder::context())?;
                self.a.mov(self.ctx_field(ctx::SERVICES), rdi)?;
                self.a.mov(self.ctx_field(ctx::SAVED_RSP), rsp)?;
                // rsp ≡ 8 (mod 16) here: realign for the call.
                self.a.sub(rsp, 8)?;
                self.a.mov(rdi, r15)?;
                self.a.mov(rax, self.ctx_field(ctx::SERVICES))?;
                self.a.call(qword_ptr(rax + svc::INIT_OFFSET as i32))?;
            }
        }
        self.lea_code(rax, self.error_common)?;
        self.a.mov(self.ctx_field(ctx::ERROR_EXIT), rax)?;
        self.a.mov(r14, self.ctx_field(ctx::HEAP_PTR))?;
        self.a.mov(rsp, self.ctx_field(ctx::STACK_TOP))?;
        self.lea_code(rax, self.control.underflow)?;
        self.a.push(rax)?;
        self.a.xor(edi, edi)?;
        self.a.xor(esi, esi)?;
        self.a.jmp(main)?;
        // The program body's values are discarded, however many.
        self.bind_stub(Stub::ProgramEnd)?;
        // What the program allocated stays allocated for whoever runs next in this context.
        self.a.mov(self.ctx_field(ctx::HEAP_PTR), r14)?;
        self.a.mov(rsp, self.ctx_field(ctx::SAVED_RSP))?;
        for r in [r15, r14, r13, r12, rbp, rbx] {
            self.a.pop(r)?;
        }
        self.a.xor(eax, eax)?;
        self.a.ret()?;
        Ok(())
    }

    /// The sequencer: a procedure of no arguments that calls the bodies of `units` units in
    /// order (each in effect position: any number of values is discarded) and tail-calls the
    /// last, whose values are the program's. Its frame is one dead slot.
    pub fn run_units(&mut self, units: usize) -> Result<(), CompileError> {
        if units == 0 {
            self.a.mov(eax, VOID as u32)?;
            self.a.ret()?;
            return Ok(());
        }
        self.a.sub(rsp, 8)?;
        for n in 0..units - 1 {
            self.a.xor(edi, edi)?;
            self.a.xor(esi, esi)?;
            self.a.call(crate::link::placeholder::body(n))?;
            self.return_point_for(Site::Fixed(FrameSite {
                size: 1,
                live: vec![0],
            }))?;
            self.mv_marker_discard()?;
        }
        self.a.add(rsp, 8)?;
        self.a.xor(edi, edi)?;
        self.a.xor(esi, esi)?;
        self.a.jmp(crate::link::placeholder::body(units - 1))?;
        Ok(())
    }
}
