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
use super::frame_table::FrameSite;
use iced_x86::code_asm::*;
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
    Slot(usize),
    /// The `i`th free variable of the current closure.
    Free(usize),
}

/// A value that can be loaded into any register without side effects.
#[derive(Clone, Copy, Debug)]
pub enum Operand {
    Slot(usize),
    Free(usize),
    Value(Value),
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
    /// The slot of the current closure pointer.
    pub cp_slot: usize,
    /// The first of the four slots where `apply` gathers register arguments.
    pub apply_slots: usize,
    pub error_common: CodeLabel,
    pub out_of_memory: CodeLabel,
    pub stack_overflow: CodeLabel,
    /// The shared multiple-value return: see [`Gen::common_stubs`].
    pub mv_return: CodeLabel,
    /// Call sites that accept multiple values, as (return point, multiple-value entry): the
    /// marker at each return point gets the entry's offset once the code is assembled.
    pub mv_sites: Vec<(CodeLabel, CodeLabel)>,
    /// Every return point in procedures, with its frame (see [`super::frame_table`]).
    pub frame_sites: Vec<(CodeLabel, FrameSite)>,
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
    last_label_at: Option<usize>,
}

impl<'t> Gen<'t> {
    pub fn new(arena: &'t Arena) -> Result<Gen<'t>, CompileError> {
        let mut a = CodeAssembler::new(64)?;
        let error_common = a.create_label();
        let out_of_memory = a.create_label();
        let stack_overflow = a.create_label();
        let mv_return = a.create_label();
        let control = control::Labels::new(&mut a);
        Ok(Gen {
            a,
            arena,
            data: Data::new(),
            code_labels: HashMap::new(),
            frame: Frame::new(0),
            locs: HashMap::new(),
            cp_slot: 0,
            apply_slots: 0,
            error_common,
            out_of_memory,
            stack_overflow,
            mv_return,
            mv_sites: Vec::new(),
            frame_sites: Vec::new(),
            effect: false,
            control,
            overflow_exits: Vec::new(),
            exits: Vec::new(),
            slow_paths: Vec::new(),
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

    pub fn slot(&self, slot: usize) -> AsmMemoryOperand {
        qword_ptr(rsp + self.frame.disp(slot))
    }

    pub fn ctx_field(&self, offset: i32) -> AsmMemoryOperand {
        qword_ptr(r15 + offset)
    }

    pub fn var_operand(&self, x: Var) -> Result<Operand, CompileError> {
        match self.locs.get(&x) {
            Some(Loc::Slot(i)) => Ok(Operand::Slot(*i)),
            Some(Loc::Free(i)) => Ok(Operand::Free(*i)),
            None => Err(CompileError::new(format!(
                "internal error: variable {} has no location",
                self.arena.cx.vars.display(x)
            ))),
        }
    }

    pub fn load(&mut self, reg: Reg, operand: Operand) -> Result<(), CompileError> {
        let r = reg.q();
        match operand {
            Operand::Slot(i) => self.a.mov(r, self.slot(i))?,
            Operand::Free(i) => {
                self.a.mov(r, self.slot(self.cp_slot))?;
                self.a
                    .mov(r, qword_ptr(r + (CLOSURE_FREE + 8 * i as i32)))?;
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
                let at = (self.data.bias() + offset + tag) as i32;
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

    /// Allocates `bytes` (a multiple of 8) and leaves the untagged address in `dst`.
    pub fn allocate(&mut self, dst: Reg, bytes: i32) -> Result<(), CompileError> {
        self.a.mov(dst.q(), r14)?;
        self.a.add(r14, bytes)?;
        self.a.cmp(r14, self.ctx_field(ctx::HEAP_LIMIT))?;
        self.a.ja(self.out_of_memory)?;
        Ok(())
    }

    /// Allocates the number of bytes in `size` (a multiple of 8, below 2^40); address in `dst`.
    pub fn allocate_dynamic(&mut self, dst: Reg, size: Reg) -> Result<(), CompileError> {
        self.a.mov(dst.q(), r14)?;
        self.a.add(r14, size.q())?;
        self.a.cmp(r14, self.ctx_field(ctx::HEAP_LIMIT))?;
        self.a.ja(self.out_of_memory)?;
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
    pub fn call_service_for(&mut self, offset: usize, site: FrameSite) -> Result<(), CompileError> {
        self.a.mov(self.ctx_field(ctx::HEAP_PTR), r14)?;
        self.a.mov(rax, self.ctx_field(ctx::SERVICES))?;
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
        let mut mv_return = self.mv_return;
        self.bind(&mut mv_return)?;
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

        let mut overflow = self.stack_overflow;
        self.bind(&mut overflow)?;
        self.a.mov(esi, ErrorKind::StackOverflow as u32)?;
        self.a.mov(edx, FALSE as u32)?;
        self.a.mov(ecx, FALSE as u32)?;
        self.a.jmp(self.error_common)?;
        let mut oom = self.out_of_memory;
        self.bind(&mut oom)?;
        // Undo the failed bump so the runtime sees a consistent heap.
        self.a.mov(r14, self.ctx_field(ctx::HEAP_LIMIT))?;
        self.a.mov(esi, ErrorKind::OutOfMemory as u32)?;
        self.a.mov(edx, FALSE as u32)?;
        self.a.mov(ecx, FALSE as u32)?;
        let mut common = self.error_common;
        self.bind(&mut common)?;
        self.raise_runtime_error()?;
        Ok(())
    }

    /// The common error exit, jumped to with the kind in `esi`, `who` in `rdx` and the
    /// irritant in `rcx`; it never returns. When the base library's [`RAISE_RUNTIME_ERROR`] is
    /// defined, it is called with the kind (a fixnum), `who`, the irritant and the kind's
    /// `(message . has-irritant?)` from the image's error table, and raises a condition.
    /// Otherwise (IR programs), and when the heap is exhausted (Scheme code cannot allocate
    /// there yet), the `error` service reports the error and exits.
    ///
    /// The exit never returns, and the frames of the segment are needed by no one (a
    /// continuation that `guard` or a handler escapes to lives in the heap), so the Scheme
    /// procedure runs on the emptied segment, below the underflow word: the frame table sees
    /// its caller as a frame of one dead slot ending at the segment's top. That also gives a
    /// stack overflow, reported from below the segment's limit, room to run the handlers.
    fn raise_runtime_error(&mut self) -> Result<(), CompileError> {
        let mut service = self.a.create_label();
        self.a.and(rsp, -16)?;
        self.a.cmp(esi, ErrorKind::OutOfMemory as i32)?;
        self.a.je(service)?;
        let cell = self.data.global(Symbol::intern(RAISE_RUNTIME_ERROR)) as i32;
        let table = (self.data.error_table() + self.data.bias()) as i32;
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
        self.return_point_for(FrameSite {
            size: 1,
            live: vec![0],
        })?;
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

    /// The image's entry (`runtime::EntryFn`): saves the host's callee-saved registers, finds
    /// the context block, lets the runtime map the heap and stack, switches to the Scheme
    /// stack and calls the program's code, as a procedure returning to the underflow point;
    /// when the underflow point finds no continuation left, restores the host and returns 0.
    pub fn entry(
        &mut self,
        code_start: CodeLabel,
        main: CodeLabel,
        code_at: u64,
    ) -> Result<(), CompileError> {
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
                // The data is at image offset 0 and the code at `code_at`.
                self.a.lea(r15, ptr(code_start))?;
                self.a.sub(r15, code_at as i32)?;
                self.a.mov(self.ctx_field(ctx::SERVICES), rdi)?;
                self.a.mov(self.ctx_field(ctx::SAVED_RSP), rsp)?;
                // rsp ≡ 8 (mod 16) here: realign for the call.
                self.a.sub(rsp, 8)?;
                self.a.mov(rdi, r15)?;
                self.a.mov(rax, self.ctx_field(ctx::SERVICES))?;
                self.a.call(qword_ptr(rax + svc::INIT_OFFSET as i32))?;
            }
        }
        self.a.lea(rax, ptr(self.error_common))?;
        self.a.mov(self.ctx_field(ctx::ERROR_EXIT), rax)?;
        self.a.mov(r14, self.ctx_field(ctx::HEAP_PTR))?;
        self.a.mov(rsp, self.ctx_field(ctx::STACK_TOP))?;
        self.a.lea(rax, ptr(self.control.underflow))?;
        self.a.push(rax)?;
        self.a.xor(edi, edi)?;
        self.a.xor(esi, esi)?;
        self.a.jmp(main)?;
        // The program body's values are discarded, however many.
        let mut end = self.control.program_end;
        self.bind(&mut end)?;
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
}
