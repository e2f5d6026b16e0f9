//! Expressions: each leaves its value in `rax`. Calls follow the convention in
//! ARCHITECTURE.md: a non-tail call leaves stack arguments below its own `rsp` (they become
//! the callee's first frame slots); a tail call moves them to just below its own return
//! address, pops its frame and jumps, so the callee returns straight to our caller.

use super::CompileError;
use super::emit::{ARG_REGS, Gen, Loc, Operand, Reg};
use iced_x86::code_asm::*;
use ir::lang::explicit_tails::{Expr, ExprId, MakeClosure};
use ir::symbol::Symbol;
use runtime::context as ctx;
use runtime::error::ErrorKind;
use runtime::value::*;

/// What a call's continuation does with its values.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Cont {
    /// The call is in tail position: its values go to our caller.
    Tail,
    /// Non-tail, exactly one value wanted.
    Value,
    /// Non-tail in effect position: any number of values, discarded.
    Effect,
}

impl Gen<'_> {
    /// What follows every non-tail `call` (just emitted) of a procedure: its return point in
    /// the frame table and, in effect position, the marker that discards any number of values.
    pub fn after_call(&mut self, cont: Cont) -> Result<(), CompileError> {
        self.return_point()?;
        if cont == Cont::Effect {
            self.mv_marker_discard()?;
        }
        Ok(())
    }

    pub fn expr(&mut self, e: ExprId) -> Result<(), CompileError> {
        ir::nanopass::grow(|| self.expr_inner(e))
    }

    fn expr_inner(&mut self, e: ExprId) -> Result<(), CompileError> {
        let arena = self.arena;
        // Only this expression is in effect position, not its subexpressions; the forms whose
        // values are this expression's pass it on to them.
        let effect = std::mem::take(&mut self.effect);
        match &arena[e] {
            Expr::Ref { x } => {
                let operand = self.var_operand(*x)?;
                self.load(Reg::Rax, operand)
            }
            Expr::Quote { value } => {
                let value = self.data.constant(&arena.cx.datums, *value)?;
                self.load_value(Reg::Rax, value)
            }
            Expr::Primitive { name } => Err(CompileError::new(format!(
                "internal error: primitive {name} used as a value after closure conversion"
            ))),
            Expr::GlobalRef { name } => {
                let cell = self.data.global(*name) as i32;
                self.a.mov(rax, qword_ptr(r15 + cell))?;
                let exit = self.error_exit(ErrorKind::Unbound, Some(*name), None);
                self.a.cmp(rax, UNBOUND as i32)?;
                self.a.je(exit)?;
                Ok(())
            }
            Expr::GlobalSet { name, value } => {
                self.expr(*value)?;
                let cell = self.data.global(*name) as i32;
                self.a.mov(qword_ptr(r15 + cell), rax)?;
                self.a.mov(eax, VOID as u32)?;
                Ok(())
            }
            Expr::If { test, conseq, alt } => {
                let mut otherwise = self.a.create_label();
                let mut end = self.a.create_label();
                self.test(*test, otherwise)?;
                self.effect = effect;
                self.expr(*conseq)?;
                self.a.jmp(end)?;
                self.bind(&mut otherwise)?;
                self.effect = effect;
                self.expr(*alt)?;
                self.bind(&mut end)
            }
            Expr::Seq { effects, value } => {
                for &e in effects {
                    self.effect = true;
                    self.expr(e)?;
                }
                self.effect = effect;
                self.expr(*value)
            }
            Expr::Let { lhs, rhs, body } => {
                for (&x, &e) in lhs.iter().zip(rhs) {
                    self.expr(e)?;
                    let v = self.temp(Reg::Rax)?;
                    self.locs.insert(x, Loc::VReg(v));
                }
                self.effect = effect;
                self.expr(*body)
            }
            Expr::Closures { lhs, closure, body } => {
                let mut made = Vec::new();
                // A closure without free variables is static data, made once. The others are
                // made with one allocation for the group, so that no collection can see a
                // closure whose free variables are not filled in yet.
                let size = |free: &[_]| 16 + 8 * free.len() as i32;
                let heap: i32 = closure
                    .iter()
                    .map(|&c| {
                        let MakeClosure::MakeClosure { free, .. } = &arena[c];
                        if free.is_empty() { 0 } else { size(free) }
                    })
                    .sum();
                if heap > 0 {
                    self.allocate(Reg::Rax, heap)?;
                }
                let mut at = 0;
                for (&x, &c) in lhs.iter().zip(closure) {
                    let MakeClosure::MakeClosure { label, free } = &arena[c];
                    let Some(&code) = self.code_labels.get(label) else {
                        return Err(CompileError::new("internal error: closure of unknown code"));
                    };
                    if free.is_empty() {
                        let offset = self.data.closure_without_free_variables();
                        self.static_closures.push((offset + 8, *label));
                        let tag = TAG_CLOSURE;
                        self.load_value(Reg::R10, super::data::Value::Static { offset, tag })?;
                    } else {
                        self.a.mov(r10, header(HEADER_CLOSURE, free.len() as u64))?;
                        self.a.mov(qword_ptr(rax + at), r10)?;
                        self.a.lea(r10, ptr(code))?;
                        self.a.mov(qword_ptr(rax + (at + 8)), r10)?;
                        self.a
                            .lea(r10, qword_ptr(rax + (at + TAG_CLOSURE as i32)))?;
                        at += size(free);
                    }
                    let v = self.temp(Reg::R10)?;
                    self.locs.insert(x, Loc::VReg(v));
                    made.push((v, free));
                }
                // Fill in the free variables once every closure exists, so that closures of
                // one `fix` can refer to each other.
                for (v, free) in made {
                    for (j, &y) in free.iter().enumerate() {
                        let operand = self.var_operand(y)?;
                        self.load(Reg::R10, operand)?;
                        self.use_vreg(Reg::Rax, v)?;
                        self.a
                            .mov(qword_ptr(rax + (CLOSURE_FREE + 8 * j as i32)), r10)?;
                    }
                }
                self.effect = effect;
                self.expr(*body)
            }
            Expr::Call { f, args } => {
                let cont = if effect { Cont::Effect } else { Cont::Value };
                match arena[*f] {
                    Expr::Primitive { name } => self.primitive(name, args, cont),
                    _ => self.call(*f, args, cont),
                }
            }
            Expr::TailCall { f, args } => match arena[*f] {
                Expr::Primitive { name } => self.primitive(name, args, Cont::Tail),
                _ => self.call(*f, args, Cont::Tail),
            },
        }
    }

    /// Evaluates `e` for its truth and jumps to `otherwise` when it is false. Comparisons of
    /// fixnums branch on the flags instead of making a boolean.
    pub fn test(
        &mut self,
        e: ExprId,
        otherwise: iced_x86::code_asm::CodeLabel,
    ) -> Result<(), CompileError> {
        let arena = self.arena;
        if let Expr::Call { f, args } = &arena[e]
            && let Expr::Primitive { name } = arena[*f]
            && args.len() == 2
            && matches!(name.as_str(), "<" | ">" | "<=" | ">=" | "=" | "eq?")
        {
            let ops = self.operands(args)?;
            if name.as_str() == "eq?" {
                self.compare_eq(ops[0], ops[1])?;
                self.a.jne(otherwise)?;
            } else if !self.compare_in_place_or_jump(name, ops[0], ops[1], otherwise)? {
                self.load(Reg::Rax, ops[0])?;
                self.load(Reg::R10, ops[1])?;
                self.compare_or_jump(name, ops[0], ops[1], otherwise)?;
            }
            return Ok(());
        }
        if let Expr::Call { f, args } = &arena[e]
            && let Expr::Primitive { name } = arena[*f]
            && args.len() == 1
            && matches!(name.as_str(), "null?" | "not" | "pair?")
        {
            let ops = self.operands(args)?;
            match name.as_str() {
                "null?" => self.cmp_operand_imm(ops[0], NULL as i32)?,
                "not" => self.cmp_operand_imm(ops[0], FALSE as i32)?,
                _ => {
                    self.load(Reg::Rax, ops[0])?;
                    self.a.and(eax, 7)?;
                    self.a.cmp(eax, TAG_PAIR as i32)?;
                }
            }
            self.a.jne(otherwise)?;
            return Ok(());
        }
        if let Expr::Ref { x } = &arena[e]
            && let Operand::VReg(v) = self.var_operand(*x)?
        {
            self.cmp_vreg_imm(v, FALSE as i32)?;
            self.a.je(otherwise)?;
            return Ok(());
        }
        self.expr(e)?;
        self.a.cmp(rax, FALSE as i32)?;
        self.a.je(otherwise)?;
        Ok(())
    }

    /// Compares `a` with `b` for `eq?` (sets the flags): a constant that fits an immediate or
    /// a virtual register is an operand of `cmp` where it is.
    pub fn compare_eq(&mut self, a: Operand, b: Operand) -> Result<(), CompileError> {
        let small = |op: Operand| match op {
            Operand::Value(super::data::Value::Immediate(v)) => i32::try_from(v as i64).ok(),
            _ => None,
        };
        match (a, b) {
            (Operand::VReg(v), other) | (other, Operand::VReg(v)) if small(other).is_some() => {
                self.cmp_vreg_imm(v, small(other).unwrap_or_default())
            }
            (a, Operand::VReg(v)) => {
                self.load(Reg::Rax, a)?;
                self.reg_vreg(iced_x86::Code::Cmp_r64_rm64, Reg::Rax, v)
            }
            _ => {
                self.load(Reg::Rax, a)?;
                self.load(Reg::R10, b)?;
                self.a.cmp(rax, r10)?;
                Ok(())
            }
        }
    }

    /// Evaluates `es` in order; variables and constants are left as operands to load later,
    /// anything else into a fresh virtual register.
    pub fn operands(&mut self, exprs: &[ExprId]) -> Result<Vec<Operand>, CompileError> {
        let arena = self.arena;
        let mut ops = Vec::with_capacity(exprs.len());
        for &e in exprs {
            let op = match &arena[e] {
                Expr::Ref { x } => self.var_operand(*x)?,
                Expr::Quote { value } => {
                    Operand::Value(self.data.constant(&arena.cx.datums, *value)?)
                }
                _ => {
                    self.expr(e)?;
                    Operand::VReg(self.temp(Reg::Rax)?)
                }
            };
            ops.push(op);
        }
        Ok(ops)
    }

    /// Loads the procedure into `rdi` and checks that it is one.
    pub fn load_procedure(&mut self, f: Operand) -> Result<(), CompileError> {
        self.load(Reg::Rdi, f)?;
        let exit = self.error_exit(ErrorKind::NotAProcedure, None, Some(Reg::Rdi));
        self.a.mov(eax, edi)?;
        self.a.and(eax, 7)?;
        self.a.cmp(eax, TAG_CLOSURE as i32)?;
        self.a.jne(exit)?;
        Ok(())
    }

    /// A call of a procedure value.
    fn call(&mut self, f: ExprId, args: &[ExprId], cont: Cont) -> Result<(), CompileError> {
        let mut all = vec![f];
        all.extend_from_slice(args);
        let ops = self.operands(&all)?;
        self.load_procedure(ops[0])?;
        let tail = cont == Cont::Tail;
        self.place_arguments(&ops[1..], tail)?;
        if tail {
            self.pop_frame_for_tail(args.len())?;
            self.a.jmp(qword_ptr(rdi + CLOSURE_CODE))?;
        } else {
            self.a.call(qword_ptr(rdi + CLOSURE_CODE))?;
            self.after_call(cont)?;
        }
        Ok(())
    }

    /// Puts `ops` where a call's arguments go, with their count in `esi`. Stack arguments go
    /// below `rsp`, past the return address a call pushes (non-tail), or into scratch space
    /// below `rsp` first (tail), since their final place is our frame ([`Gen::pop_frame_for_tail`]).
    fn place_arguments(&mut self, ops: &[Operand], tail: bool) -> Result<(), CompileError> {
        let regs = ARG_REGS.len();
        let first = if tail { -8 } else { -16 };
        for (j, &op) in ops.iter().skip(regs).enumerate() {
            self.load(Reg::R10, op)?;
            self.a.mov(qword_ptr(rsp + (first - 8 * j as i32)), r10)?;
        }
        for (k, &op) in ops.iter().take(regs).enumerate() {
            self.load(ARG_REGS[k], op)?;
        }
        self.a.mov(esi, ops.len() as u32)?;
        Ok(())
    }

    /// After [`Gen::place_arguments`] for a tail transfer of `count` arguments or values: moves
    /// the stack ones to just below the return address and pops the frame.
    fn pop_frame_for_tail(&mut self, count: usize) -> Result<(), CompileError> {
        let top = self.frame.bytes();
        // Ascending order is safe: each store lands at or above a slot already read.
        for j in 0..count.saturating_sub(ARG_REGS.len()) as i32 {
            self.a.mov(r10, qword_ptr(rsp + (-8 - 8 * j)))?;
            self.frame_relative(self.clause);
            self.a.mov(qword_ptr(rsp + (top - 8 - 8 * j)), r10)?;
        }
        self.frame_relative(self.clause);
        self.a.add(rsp, top)?;
        Ok(())
    }

    /// Like [`Gen::pop_frame_for_tail`] for a count known only at run time (in `esi`), with the
    /// stack arguments where a non-tail call would have them (`[rsp - 16 - 8j]`).
    fn pop_frame_for_tail_dynamic(&mut self) -> Result<(), CompileError> {
        let top = self.frame.bytes();
        let mut copied = self.a.create_label();
        let mut copy = self.a.create_label();
        self.a.lea(rax, qword_ptr(rsi - ARG_REGS.len() as i32))?;
        self.a.test(rax, rax)?;
        self.a.jle(copied)?;
        self.a.xor(r11d, r11d)?;
        self.bind(&mut copy)?;
        self.a.mov(r10, qword_ptr(rsp + r11 * 8 - 16))?;
        self.frame_relative(self.clause);
        self.a.mov(qword_ptr(rsp + r11 * 8 + (top - 8)), r10)?;
        self.a.dec(r11)?;
        self.a.dec(rax)?;
        self.a.jnz(copy)?;
        self.bind(&mut copied)?;
        self.frame_relative(self.clause);
        self.a.add(rsp, top)?;
        Ok(())
    }

    /// `(values v ...)`. One value is an ordinary result. Several (or none) in tail position
    /// are placed like a tail call's arguments and returned through the shared multiple-value
    /// return; in effect position they are discarded; anywhere else the continuation accepts
    /// exactly one value, which is an error.
    pub fn values(&mut self, args: &[ExprId], cont: Cont) -> Result<(), CompileError> {
        let ops = self.operands(args)?;
        match (args.len(), cont) {
            (1, _) => {
                self.load(Reg::Rax, ops[0])?;
                if cont == Cont::Tail {
                    self.epilogue()?;
                }
            }
            (_, Cont::Tail) => {
                self.place_arguments(&ops, true)?;
                self.pop_frame_for_tail(ops.len())?;
                self.a.jmp(self.mv_return)?;
            }
            (_, Cont::Effect) => self.a.mov(eax, VOID as u32)?,
            (n, Cont::Value) => {
                let who = Symbol::intern("values");
                let exit = self.error_exit(ErrorKind::WrongValueCount, Some(who), Some(Reg::R10));
                self.a.mov(r10, fixnum(n as i64))?;
                self.a.jmp(exit)?;
            }
        }
        Ok(())
    }

    /// `(call-with-values producer consumer)`: calls the producer at a return point marked
    /// for multiple values, whose entry finds them placed as the consumer's arguments; a
    /// single value is moved there first. Then calls the consumer like any procedure.
    pub fn call_with_values(&mut self, args: &[ExprId], cont: Cont) -> Result<(), CompileError> {
        let ops = self.operands(args)?;
        self.load_procedure(ops[0])?;
        self.a.xor(esi, esi)?;
        self.a.call(qword_ptr(rdi + CLOSURE_CODE))?;
        let point = self.return_point()?;
        let point = self.mv_marker(point)?;
        self.a.mov(rdx, rax)?;
        self.a.mov(esi, 1)?;
        let mut mv = self.a.create_label();
        self.bind(&mut mv)?;
        self.mv_sites.push((point, mv));
        // Only `rdi` and `rax` change from here to the call, so the values stay in place.
        self.load_procedure(ops[1])?;
        if cont == Cont::Tail {
            self.pop_frame_for_tail_dynamic()?;
            self.a.jmp(qword_ptr(rdi + CLOSURE_CODE))?;
        } else {
            self.a.call(qword_ptr(rdi + CLOSURE_CODE))?;
            self.after_call(cont)?;
        }
        Ok(())
    }

    /// `(apply f a ... list)`: spreads the list into arguments at run time.
    /// With the primitive `values` itself as `f` (only in tail position; closure conversion
    /// makes it so for `values` used as a value, given many arguments) it returns the elements
    /// as multiple values.
    pub fn apply(&mut self, args: &[ExprId], cont: Cont) -> Result<(), CompileError> {
        let who = Symbol::intern("apply");
        let spread_values =
            matches!(self.arena[args[0]], Expr::Primitive { name } if name.as_str() == "values");
        if spread_values && cont != Cont::Tail {
            return Err(CompileError::new(
                "internal error: (apply values ...) of the primitive outside tail position",
            ));
        }
        let ops = if spread_values {
            let mut ops = vec![Operand::Value(super::data::Value::Immediate(FALSE))];
            ops.extend(self.operands(&args[1..])?);
            ops
        } else {
            self.operands(args)?
        };
        let fixed = &ops[1..ops.len() - 1];
        if !spread_values {
            self.load_procedure(ops[0])?;
        }
        let regs = ARG_REGS.len();
        let Some(apply_slots) = self.apply_slots else {
            return Err(CompileError::new(
                "internal error: apply in a clause without apply's slots",
            ));
        };
        let reg_area = self.frame.disp(apply_slots);
        for (i, &op) in fixed.iter().enumerate() {
            self.load(Reg::R10, op)?;
            let at = if i < regs {
                self.frame_relative(self.clause);
                reg_area - 8 * i as i32
            } else {
                -16 - 8 * (i - regs) as i32
            };
            self.a.mov(qword_ptr(rsp + at), r10)?;
        }
        self.load(Reg::R11, ops[ops.len() - 1])?;
        self.a.mov(esi, fixed.len() as u32)?;
        let mut next = self.a.create_label();
        let mut done = self.a.create_label();
        let mut in_memory = self.a.create_label();
        let mut stored = self.a.create_label();
        self.bind(&mut next)?;
        self.a.cmp(r11, NULL as i32)?;
        self.a.je(done)?;
        let exit = self.error_exit(ErrorKind::NotAList, Some(who), Some(Reg::R11));
        self.a.mov(eax, r11d)?;
        self.a.and(eax, 7)?;
        self.a.cmp(eax, TAG_PAIR as i32)?;
        self.a.jne(exit)?;
        self.a.mov(r10, qword_ptr(r11 + CAR))?;
        self.a.mov(rax, rsi)?;
        self.a.neg(rax)?;
        self.a.cmp(esi, regs as i32)?;
        self.a.jae(in_memory)?;
        self.frame_relative(self.clause);
        self.a.mov(qword_ptr(rsp + rax * 8 + reg_area), r10)?;
        self.a.jmp(stored)?;
        self.bind(&mut in_memory)?;
        // Argument rsi (≥ 4) goes to rsp - 16 - 8 (rsi - 4); never below the stack limit.
        self.a.lea(rcx, qword_ptr(rsp + rax * 8 + 16))?;
        self.a.cmp(rcx, self.ctx_field(ctx::STACK_FLOOR))?;
        self.a.jb(self.stack_overflow)?;
        self.a.mov(qword_ptr(rcx), r10)?;
        self.bind(&mut stored)?;
        self.a.mov(r11, qword_ptr(r11 + CDR))?;
        self.a.inc(esi)?;
        self.a.jmp(next)?;
        self.bind(&mut done)?;
        for (k, reg) in ARG_REGS.iter().enumerate() {
            self.frame_relative(self.clause);
            self.a
                .mov(reg.q(), qword_ptr(rsp + (reg_area - 8 * k as i32)))?;
        }
        if cont == Cont::Tail {
            self.pop_frame_for_tail_dynamic()?;
            if spread_values {
                self.a.jmp(self.mv_return)?;
            } else {
                self.a.jmp(qword_ptr(rdi + CLOSURE_CODE))?;
            }
        } else {
            self.a.call(qword_ptr(rdi + CLOSURE_CODE))?;
            self.after_call(cont)?;
        }
        Ok(())
    }
}
