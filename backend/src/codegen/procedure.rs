//! Procedures: the argument-count dispatch at a code label, and each clause's prologue (frame,
//! stack check, parameters into their slots, the rest list) and epilogue.
//!
//! On entry `rdi` holds the closure, `rsi` the argument count, `rdx rcx r8 r9` the first four
//! arguments and `[rsp - 8 (j + 1)]` (just below the return address) argument `4 + j`.

use super::CompileError;
use super::emit::{ARG_REGS, Gen, Loc, Reg};
use super::frame::{FIXED_SLOTS, Frame, frame_bound};
use iced_x86::code_asm::*;
use ir::lang::explicit_tails::{Clause, Code, CodeId, Expr, ExprId};
use ir::var::Var;
use runtime::context as ctx;
use runtime::error::ErrorKind;
use runtime::value::*;

impl Gen<'_> {
    /// The program's body: a procedure of no arguments called by the entry.
    pub fn main(&mut self, body: ExprId) -> Result<(), CompileError> {
        self.clause(&[], &[], None, body)?;
        self.flush_error_exits()
    }

    /// The code bound to `label`: dispatch on the argument count to the first clause that
    /// accepts it.
    pub fn code(&mut self, label: Var, code: CodeId) -> Result<(), CompileError> {
        let arena = self.arena;
        let Code::Code { free, clauses } = &arena[code];
        for &clause in clauses {
            let Clause::Clause { params, rest, body } = &arena[clause];
            let mut next = self.a.create_label();
            self.a.cmp(esi, params.len() as i32)?;
            if rest.is_some() {
                self.a.jb(next)?;
            } else {
                self.a.jne(next)?;
            }
            self.clause(free, params, *rest, *body)?;
            self.bind(&mut next)?;
        }
        let name = arena.cx.vars.name(label);
        let exit = self.error_exit(ErrorKind::WrongArgumentCount, Some(name), Some(Reg::Rsi));
        self.a.shl(rsi, FIXNUM_SHIFT)?;
        self.a.jmp(exit)?;
        self.flush_error_exits()
    }

    fn clause(
        &mut self,
        free: &[Var],
        params: &[Var],
        rest: Option<Var>,
        body: ExprId,
    ) -> Result<(), CompileError> {
        let mut start = self.a.create_label();
        self.bind(&mut start)?;
        self.clause_start = start;
        let n = params.len();
        let on_stack = n.saturating_sub(ARG_REGS.len());
        let in_regs = n - on_stack;
        let needs = frame_bound(self.arena, body);
        let needed = n + FIXED_SLOTS + usize::from(rest.is_some()) + needs.slots;
        self.frame = Frame::new(needed);
        self.locs.clear();
        // Stack parameters are the first slots, where the caller put them; `apply`'s four
        // slots follow.
        let stack_params: Vec<usize> = (0..on_stack)
            .map(|_| self.frame.fixed())
            .collect::<Result<_, _>>()?;
        self.apply_slots = None;
        if needs.apply {
            self.apply_slots = Some(self.frame.fixed()?);
            for _ in 1..4 {
                self.frame.fixed()?;
            }
        }
        self.start_clause();
        for (&x, slot) in params[ARG_REGS.len().min(n)..].iter().zip(stack_params) {
            let v = self.fixed_vreg(slot);
            self.locs.insert(x, Loc::VReg(v));
        }
        if rest.is_some() {
            self.rest_list(n)?;
        }
        self.allocate_frame()?;
        for (k, &x) in params[..in_regs].iter().enumerate() {
            let v = self.temp(ARG_REGS[k])?;
            self.locs.insert(x, Loc::VReg(v));
        }
        self.cp = self.temp(Reg::Rdi)?;
        if let Some(x) = rest {
            let v = self.temp(Reg::R11)?;
            self.locs.insert(x, Loc::VReg(v));
        }
        for (i, &x) in free.iter().enumerate() {
            self.locs.insert(x, Loc::Free(i));
        }
        self.expr(body)?;
        if !self.ends_in_transfer(body) {
            self.epilogue()?;
        }
        // The clause's slow paths follow it, so each clause's code stays in one piece.
        self.flush_slow_paths()
    }

    /// Whether `e`'s code ends by leaving the procedure (a tail call, or a primitive in tail
    /// position, which returns itself), so no epilogue need follow.
    fn ends_in_transfer(&self, e: ExprId) -> bool {
        match &self.arena[e] {
            Expr::TailCall { .. } => true,
            Expr::Seq { value, .. } => self.ends_in_transfer(*value),
            Expr::Let { body, .. } | Expr::Closures { body, .. } => self.ends_in_transfer(*body),
            _ => false,
        }
    }

    /// Returns the value in `rax` to the caller.
    pub fn epilogue(&mut self) -> Result<(), CompileError> {
        self.frame_relative(self.clause);
        self.a.add(rsp, self.frame.bytes())?;
        self.a.ret()?;
        Ok(())
    }

    /// Conses the arguments after the first `fixed` into a list in `r11`, last first. Runs
    /// before the frame exists, while the extra stack arguments are still below `rsp`; touches
    /// neither `rdi` nor the argument registers.
    ///
    /// The whole list is allocated at once; when it does not fit, the collector runs with
    /// the call's arguments saved in the context (`collect_in_call`) and the prologue starts
    /// again.
    fn rest_list(&mut self, fixed: usize) -> Result<(), CompileError> {
        let regs = ARG_REGS.len();
        let mut retry = self.a.create_label();
        self.bind(&mut retry)?;
        self.a.mov(eax, esi)?;
        self.a.sub(eax, fixed as i32)?;
        self.a.shl(eax, 4)?;
        self.a.lea(r10, qword_ptr(r14 + rax))?;
        self.a.cmp(r10, self.ctx_field(ctx::HEAP_LIMIT))?;
        let slow = self.call_slow_path(retry);
        self.a.ja(slow)?;
        self.a.mov(r11d, NULL as u32)?;
        self.a.mov(eax, esi)?;
        let mut stack_loop = self.a.create_label();
        let mut stack_done = self.a.create_label();
        self.bind(&mut stack_loop)?;
        self.a.cmp(eax, fixed.max(regs) as i32)?;
        self.a.jbe(stack_done)?;
        // Argument rax - 1 is at rsp - 8 (rax - 4).
        self.a.mov(r10, rax)?;
        self.a.neg(r10)?;
        self.a.mov(r10, qword_ptr(rsp + r10 * 8 + 32))?;
        self.cons_onto_r11(Reg::R10)?;
        self.a.dec(eax)?;
        self.a.jmp(stack_loop)?;
        self.bind(&mut stack_done)?;
        for k in (fixed..regs).rev() {
            let mut absent = self.a.create_label();
            self.a.cmp(esi, k as i32 + 1)?;
            self.a.jb(absent)?;
            self.cons_onto_r11(ARG_REGS[k])?;
            self.bind(&mut absent)?;
        }
        Ok(())
    }

    /// Conses onto the list in `r11`, in space [`Gen::rest_list`] has checked.
    fn cons_onto_r11(&mut self, car: Reg) -> Result<(), CompileError> {
        self.a.add(r14, 16)?;
        self.a.mov(qword_ptr(r14 - 16), car.q())?;
        self.a.mov(qword_ptr(r14 - 8), r11)?;
        self.a.lea(r11, qword_ptr(r14 - 16 + TAG_PAIR as i32))?;
        Ok(())
    }
}
