//! Numbers in generated code: open-coded fixnum fast paths, and out-of-line slow paths that call
//! the runtime's generic arithmetic (the `number` service, `runtime::number`) when an operand
//! is not a fixnum or a fixnum result overflows.
//!
//! A fast path keeps the first operand (or the running result) in `rax` and the next operand in
//! `r10`. Its slow path is emitted after the procedure, like the error exits: it passes both to
//! the service (undoing an overflowed `add`/`sub` first, so the service sees the operands) and
//! then resumes at the fast path's continuation with the result in `rax`, or, for a comparison,
//! branches on the boolean it got back.
//!
//! The slow path's service call records the frame of the fast path it came from in the frame
//! table. When the service asks for a collection, the operands (which may be only in
//! registers) wait in the context while the collector runs ([`Gen::call_number_service`]).

use super::CompileError;
use super::data::Value;
use super::emit::{Gen, Operand, Reg};
use super::frame_table::Site;
use iced_x86::code_asm::*;
use ir::symbol::Symbol;
use runtime::context as ctx;
use runtime::error::ErrorKind;
use runtime::number::NumberOp;
use runtime::services as svc;
use runtime::value::*;

/// What a slow path does after a fixnum overflow before calling the service, to recover the
/// operands in `rax`, `r10`. Overflows enter here, past the flonum attempt.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Undo {
    /// `add rax, r10` overflowed: subtract it again.
    Add,
    /// `sub rax, r10` overflowed: add it back.
    Subtract,
    /// `quotient` of the most negative fixnum by -1 overflowed; `rax` was clobbered by `idiv`.
    MostNegative,
    /// An overflow that left the operands as they were (`imul` into a scratch register): only
    /// skips the flonum attempt, which must not see two fixnums.
    Nothing,
}

/// Where a slow path goes with the service's result in `rax`.
#[derive(Clone, Copy, Debug)]
pub enum Resume {
    /// Continue at the label.
    At(CodeLabel),
    /// A comparison: to `otherwise` on #f, else to `then`.
    Branch {
        otherwise: CodeLabel,
        then: CodeLabel,
    },
}

/// An out-of-line call of the `number` service, emitted after the current procedure.
pub struct SlowPath {
    /// Entered with the operands in `rax` and `r10`.
    pub entry: CodeLabel,
    /// Entered after an overflow, to undo the operation first.
    pub undo: Option<(CodeLabel, Undo)>,
    pub op: NumberOp,
    pub who: Value,
    pub resume: Resume,
    /// The frame at the fast path, which the service call records for the collector.
    pub site: Site,
    /// Whether the operation has one operand: `r10` then holds no value and is cleared.
    pub unary: bool,
    /// Operands the fast path used where they live (virtual registers as operands of its
    /// instructions) rather than in `rax` and `r10`: the slow path loads them there first.
    pub reload: Option<[Operand; 2]>,
}

/// Which flags a comparison's result is true on.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Compare {
    E,
    L,
    G,
    Le,
    Ge,
}

impl Compare {
    /// The comparison an operation of the service makes, if it is one.
    pub fn of_op(op: NumberOp) -> Option<Compare> {
        Some(match op {
            NumberOp::Equal => Compare::E,
            NumberOp::Less => Compare::L,
            NumberOp::Greater => Compare::G,
            NumberOp::LessEqual => Compare::Le,
            NumberOp::GreaterEqual => Compare::Ge,
            _ => return None,
        })
    }

    pub fn of(name: &str) -> Option<(Compare, NumberOp)> {
        Some(match name {
            "=" => (Compare::E, NumberOp::Equal),
            "<" => (Compare::L, NumberOp::Less),
            ">" => (Compare::G, NumberOp::Greater),
            "<=" => (Compare::Le, NumberOp::LessEqual),
            ">=" => (Compare::Ge, NumberOp::GreaterEqual),
            _ => return None,
        })
    }
}

/// The primitives that are always a call of the `number` service, with their operation.
pub fn service_primitive(name: &str) -> Option<NumberOp> {
    use NumberOp::*;
    Some(match name {
        "exact" | "inexact->exact" => Exact,
        "inexact" | "exact->inexact" => Inexact,
        "floor" => Floor,
        "ceiling" => Ceiling,
        "round" => Round,
        "truncate" => Truncate,
        "sqrt" => Sqrt,
        "exp" => Exp,
        "log" => Log,
        "sin" => Sin,
        "cos" => Cos,
        "tan" => Tan,
        "asin" => Asin,
        "acos" => Acos,
        "atan" => Atan,
        "numerator" => Numerator,
        "denominator" => Denominator,
        "nan?" => IsNan,
        "infinite?" => IsInfinite,
        "finite?" => IsFinite,
        "exact?" => IsExact,
        "inexact?" => IsInexact,
        "exact-integer?" => IsExactInteger,
        "flonum?" => IsFlonum,
        "expt" => Expt,
        "number->string" => NumberToString,
        "string->number" => StringToNumber,
        "$bitwise-and" => BitAnd,
        "$bitwise-ior" => BitIor,
        "$bitwise-xor" => BitXor,
        "$bitwise-arithmetic-shift" => ArithmeticShift,
        "$bitwise-bit-count" => BitCount,
        "$bitwise-length" => BitLength,
        "$bitwise-first-bit-set" => FirstBitSet,
        _ => return None,
    })
}

/// The second operand of an operation done in place: `Some(Some(imm))` for a fixnum
/// constant that fits an immediate, `Some(None)` for a virtual register, `None` otherwise.
fn in_place(b: Operand) -> Option<Option<i32>> {
    match b {
        Operand::Value(Value::Immediate(v)) if v & TAG_MASK == TAG_FIXNUM => {
            i32::try_from(v as i64).ok().map(Some)
        }
        Operand::VReg(_) => Some(None),
        _ => None,
    }
}

impl Gen<'_> {
    /// Records a slow path and returns its entry (and undo entry).
    fn slow_path(
        &mut self,
        op: NumberOp,
        who: Symbol,
        undo: Option<Undo>,
        resume: Resume,
    ) -> (CodeLabel, Option<CodeLabel>) {
        let entry = self.a.create_label();
        let undo = undo.map(|u| (self.a.create_label(), u));
        let who = self.data.symbol(who);
        let site = self.current_site();
        self.slow_paths.push(SlowPath {
            entry,
            undo,
            op,
            who,
            resume,
            site,
            unary: false,
            reload: None,
        });
        (entry, undo.map(|(l, _)| l))
    }

    /// Records a slow path whose entries load `a` and `b` into `rax` and `r10` (the fast path
    /// left them where they were), and returns its entry and its entry after an overflow
    /// (straight to the service: two fixnums are no flonums), when `overflows`.
    fn reloading_slow_path(
        &mut self,
        op: NumberOp,
        who: Symbol,
        operands: [Operand; 2],
        resume: Resume,
        overflows: bool,
    ) -> (CodeLabel, CodeLabel) {
        let undo = overflows.then_some(Undo::Nothing);
        let (entry, overflow) = self.slow_path(op, who, undo, resume);
        if let Some(path) = self.slow_paths.last_mut() {
            path.reload = Some(operands);
        }
        (entry, overflow.unwrap_or(entry))
    }

    fn mark_last_slow_path_unary(&mut self) {
        if let Some(path) = self.slow_paths.last_mut() {
            path.unary = true;
        }
    }

    /// Emits the pending slow paths (after a procedure, out of the hot path).
    pub fn flush_slow_paths(&mut self) -> Result<(), CompileError> {
        for path in std::mem::take(&mut self.slow_paths) {
            let mut entry = path.entry;
            self.bind(&mut entry)?;
            if let Some([a, b]) = path.reload {
                self.load(Reg::Rax, a)?;
                self.load(Reg::R10, b)?;
            }
            let mut service = self.a.create_label();
            self.flonum_fast_path(path.op, path.resume, service)?;
            if let Some((mut label, undo)) = path.undo {
                // The undo is entered from the overflow check only, never from above.
                self.a.jmp(service)?;
                self.bind(&mut label)?;
                if let Some([a, b]) = path.reload {
                    self.load(Reg::Rax, a)?;
                    self.load(Reg::R10, b)?;
                }
                match undo {
                    Undo::Add => self.a.sub(rax, r10)?,
                    Undo::Subtract => self.a.add(rax, r10)?,
                    Undo::MostNegative => self.a.mov(rax, fixnum(FIXNUM_MIN))?,
                    Undo::Nothing => {}
                }
            }
            self.bind(&mut service)?;
            if path.unary {
                self.a.mov(r10d, FALSE as u32)?;
            }
            self.call_number_service(path.op, path.who, Some(path.site))?;
            match path.resume {
                Resume::At(label) => self.a.jmp(label)?,
                Resume::Branch { otherwise, then } => {
                    self.a.cmp(rax, FALSE as i32)?;
                    self.a.je(otherwise)?;
                    self.a.jmp(then)?;
                }
            }
        }
        Ok(())
    }

    /// The start of a slow path: `+ - *` of flonums (or a flonum and a fixnum, converted as the
    /// runtime converts it) and comparisons of two flonums, inline with SSE2; anything else
    /// jumps to `service`. (Mixed comparisons go to the service, which compares exactly.)
    fn flonum_fast_path(
        &mut self,
        op: NumberOp,
        resume: Resume,
        service: CodeLabel,
    ) -> Result<(), CompileError> {
        let arithmetic = matches!(op, NumberOp::Add | NumberOp::Subtract | NumberOp::Multiply);
        let comparison = Compare::of_op(op).is_some();
        if !(arithmetic || comparison) {
            return Ok(());
        }
        self.load_double(xmm0, Reg::Rax, arithmetic, service)?;
        self.load_double(xmm1, Reg::R10, arithmetic, service)?;
        match (op, resume) {
            (NumberOp::Add | NumberOp::Subtract | NumberOp::Multiply, Resume::At(done)) => {
                match op {
                    NumberOp::Add => self.a.addsd(xmm0, xmm1)?,
                    NumberOp::Subtract => self.a.subsd(xmm0, xmm1)?,
                    _ => self.a.mulsd(xmm0, xmm1)?,
                }
                // No collection here (`xmm0` would not survive it, nor the operands in
                // `rax` and `r10` move with it): without room, the service does it all.
                self.a.lea(r11, qword_ptr(r14 + 16))?;
                self.a.cmp(r11, self.ctx_field(ctx::HEAP_LIMIT))?;
                self.a.ja(service)?;
                self.a.mov(r11, r14)?;
                self.a.add(r14, 16)?;
                self.a.mov(rax, header(HEADER_FLONUM, 1))?;
                self.a.mov(qword_ptr(r11), rax)?;
                self.a.movsd_2(qword_ptr(r11 + 8), xmm0)?;
                self.a.lea(rax, qword_ptr(r11 + TAG_OBJECT as i32))?;
                self.a.jmp(done)?;
            }
            (_, Resume::Branch { otherwise, then }) => {
                // `ucomisd` sets CF for "below" and for unordered (NaN), ZF for equal and for
                // unordered: `ja`/`jae` with the operands ordered so that NaN fails.
                let cond = Compare::of_op(op).unwrap_or(Compare::E);
                match cond {
                    Compare::E => {
                        self.a.ucomisd(xmm0, xmm1)?;
                        self.a.jne(otherwise)?;
                        self.a.jp(otherwise)?;
                        self.a.jmp(then)?;
                        return Ok(());
                    }
                    Compare::L | Compare::Le => self.a.ucomisd(xmm1, xmm0)?,
                    Compare::G | Compare::Ge => self.a.ucomisd(xmm0, xmm1)?,
                }
                if matches!(cond, Compare::L | Compare::G) {
                    self.a.ja(then)?;
                } else {
                    self.a.jae(then)?;
                }
                self.a.jmp(otherwise)?;
            }
            _ => self.a.jmp(service)?,
        }
        Ok(())
    }

    /// `xmm` := the double in the flonum in `reg` (or, when `fixnums`, the fixnum converted);
    /// anything else jumps to `service`. Clobbers `r11`.
    fn load_double(
        &mut self,
        xmm: AsmRegisterXmm,
        reg: Reg,
        fixnums: bool,
        service: CodeLabel,
    ) -> Result<(), CompileError> {
        let mut not_fixnum = self.a.create_label();
        let mut done = self.a.create_label();
        if fixnums {
            self.a.test(reg.b(), 7)?;
            self.a.jnz(not_fixnum)?;
            self.a.mov(r11, reg.q())?;
            self.a.sar(r11, FIXNUM_SHIFT)?;
            self.a.cvtsi2sd(xmm, r11)?;
            self.a.jmp(done)?;
        }
        self.bind(&mut not_fixnum)?;
        self.a.mov(r11d, reg.d())?;
        self.a.and(r11d, 7)?;
        self.a.cmp(r11d, TAG_OBJECT as i32)?;
        self.a.jne(service)?;
        self.a
            .cmp(byte_ptr(reg.q() + OBJECT_HEADER), HEADER_FLONUM as i32)?;
        self.a.jne(service)?;
        self.a.movsd_2(xmm, qword_ptr(reg.q() + OBJECT_DATA))?;
        self.bind(&mut done)
    }

    /// Calls the `number` service with `op` on `rax` and `r10` (both values); the result is in
    /// `rax`. The frame recorded is `site`, or the current one.
    ///
    /// When the service asks for a collection (`RETRY`, see `runtime::gc`), the operands,
    /// which may exist only in registers here, wait in the context's `gc_saved` area (where
    /// the collector updates them) while `collect_saved` runs, and the call is made again.
    fn call_number_service(
        &mut self,
        op: NumberOp,
        who: Value,
        site: Option<Site>,
    ) -> Result<(), CompileError> {
        let site = site.unwrap_or_else(|| self.current_site());
        let mut retry = self.a.create_label();
        let mut done = self.a.create_label();
        self.bind(&mut retry)?;
        self.a.mov(self.ctx_field(ctx::GC_SAVED + 8), rax)?;
        self.a.mov(self.ctx_field(ctx::GC_SAVED + 16), r10)?;
        self.a.mov(rdx, rax)?;
        self.a.mov(rcx, r10)?;
        self.a.mov(rdi, r15)?;
        self.a.mov(esi, op as u32)?;
        self.load_value(Reg::R8, who)?;
        self.call_service_for(svc::NUMBER_OFFSET, site.clone())?;
        self.a.cmp(rax, RETRY as i32)?;
        self.a.jne(done)?;
        self.a.mov(self.ctx_field(ctx::GC_SAVED), FALSE as i32)?;
        self.a.mov(self.ctx_field(ctx::GC_SAVED + 40), 2)?;
        self.a.mov(rsi, self.ctx_field(ctx::GC_REQUEST))?;
        self.preserving_call();
        self.a.call(self.collect_saved)?;
        self.return_point_for(site)?;
        let exit = self.error_exit(ErrorKind::OutOfMemory, None, None);
        self.a.test(eax, eax)?;
        self.a.jnz(exit)?;
        self.a.mov(rax, self.ctx_field(ctx::GC_SAVED + 8))?;
        self.a.mov(r10, self.ctx_field(ctx::GC_SAVED + 16))?;
        self.a.jmp(retry)?;
        self.bind(&mut done)
    }

    /// Jumps to `slow` unless both `rax` and `r10` (loaded from `a` and `b`) are fixnums.
    fn unless_fixnums(
        &mut self,
        a: Option<Operand>,
        b: Operand,
        slow: CodeLabel,
    ) -> Result<(), CompileError> {
        let constant = |op: Option<Operand>| matches!(op, Some(Operand::Value(Value::Immediate(v))) if v & TAG_MASK == TAG_FIXNUM);
        match (constant(a), constant(Some(b))) {
            (true, true) => {}
            (true, false) => {
                self.a.test(r10b, 7)?;
                self.a.jnz(slow)?;
            }
            (false, true) => {
                self.a.test(al, 7)?;
                self.a.jnz(slow)?;
            }
            (false, false) => {
                self.a.mov(r11d, eax)?;
                self.a.or(r11d, r10d)?;
                self.a.test(r11b, 7)?;
                self.a.jnz(slow)?;
            }
        }
        Ok(())
    }

    /// `+`, `-`, `*` over `ops`: fixnum steps inline, anything else through the service. One
    /// operand means `(+ 0 x)`, `(* 1 x)`, or a negation.
    pub fn add_sub_mul(&mut self, name: Symbol, ops: &[Operand]) -> Result<(), CompileError> {
        if name.as_str() == "-" && ops.len() == 1 {
            return self.negate(name, ops[0]);
        }
        let (op, unit) = match name.as_str() {
            "+" => (NumberOp::Add, 0),
            "-" => (NumberOp::Subtract, 0),
            _ => (NumberOp::Multiply, 1),
        };
        if ops.len() == 2 && op != NumberOp::Multiply && self.add_sub_in_place(name, op, ops)? {
            return Ok(());
        }
        let (first, rest) = if ops.len() == 1 {
            (Operand::Value(Value::Immediate(fixnum(unit))), ops)
        } else {
            (ops[0], &ops[1..])
        };
        self.load(Reg::Rax, first)?;
        // The running result: a known operand at first, then only a register.
        let mut acc = Some(first);
        for &operand in rest {
            self.load(Reg::R10, operand)?;
            let mut done = self.a.create_label();
            let undo = match op {
                NumberOp::Add => Some(Undo::Add),
                NumberOp::Subtract => Some(Undo::Subtract),
                _ => Some(Undo::Nothing),
            };
            let (slow, overflow) = self.slow_path(op, name, undo, Resume::At(done));
            self.unless_fixnums(acc, operand, slow)?;
            match op {
                NumberOp::Add => {
                    self.a.add(rax, r10)?;
                    self.a.jo(overflow.unwrap_or(slow))?;
                }
                NumberOp::Subtract => {
                    self.a.sub(rax, r10)?;
                    self.a.jo(overflow.unwrap_or(slow))?;
                }
                _ => {
                    self.a.mov(r11, r10)?;
                    self.a.sar(r11, FIXNUM_SHIFT)?;
                    self.a.imul_2(r11, rax)?;
                    self.a.jo(overflow.unwrap_or(slow))?;
                    self.a.mov(rax, r11)?;
                }
            }
            self.bind(&mut done)?;
            acc = None;
        }
        Ok(())
    }

    /// After `cmp`: jumps to `otherwise` unless `cond` holds.
    fn jump_unless(&mut self, cond: Compare, otherwise: CodeLabel) -> Result<(), CompileError> {
        match cond {
            Compare::E => self.a.jne(otherwise)?,
            Compare::L => self.a.jge(otherwise)?,
            Compare::G => self.a.jle(otherwise)?,
            Compare::Le => self.a.jg(otherwise)?,
            Compare::Ge => self.a.jl(otherwise)?,
        }
        Ok(())
    }

    /// `(+ a b)` or `(- a b)` where `b` is a fixnum constant or in a virtual register: `b` is
    /// an operand of the instructions where it is (`add rax, 8`, `add rax, v3`), and the slow
    /// path, entered before the operation or after its overflow, loads both operands again.
    /// Returns false (having emitted nothing) for other operands.
    fn add_sub_in_place(
        &mut self,
        name: Symbol,
        op: NumberOp,
        ops: &[Operand],
    ) -> Result<bool, CompileError> {
        let (a, b) = (ops[0], ops[1]);
        let constant_a =
            matches!(a, Operand::Value(Value::Immediate(v)) if v & TAG_MASK == TAG_FIXNUM);
        let Some(imm) = in_place(b) else {
            return Ok(false);
        };
        let mut done = self.a.create_label();
        let (slow, overflow) = self.reloading_slow_path(op, name, [a, b], Resume::At(done), true);
        self.load(Reg::Rax, a)?;
        let add = op == NumberOp::Add;
        match (imm, b) {
            (Some(imm), _) => {
                if !constant_a {
                    self.a.test(al, 7)?;
                    self.a.jnz(slow)?;
                }
                if add {
                    self.a.add(rax, imm)?;
                } else {
                    self.a.sub(rax, imm)?;
                }
            }
            (None, Operand::VReg(v)) => {
                if constant_a {
                    self.test_vreg8(v, 7)?;
                } else {
                    self.a.mov(r11d, eax)?;
                    self.reg_vreg32(iced_x86::Code::Or_r32_rm32, Reg::R11, v)?;
                    self.a.test(r11b, 7)?;
                }
                self.a.jnz(slow)?;
                let code = if add {
                    iced_x86::Code::Add_r64_rm64
                } else {
                    iced_x86::Code::Sub_r64_rm64
                };
                self.reg_vreg(code, Reg::Rax, v)?;
            }
            _ => return Err(CompileError::new("internal error: add_sub_in_place")),
        }
        self.a.jo(overflow)?;
        self.bind(&mut done)?;
        Ok(true)
    }

    /// A comparison of `a` and `b` that jumps to `otherwise` when false and falls through
    /// when true, where `a` is in a virtual register and `b` is too or is a fixnum constant:
    /// both are operands of the instructions where they are (`cmp v3, 10h`), and the slow
    /// path loads them. Returns false (having emitted nothing) for other operands.
    pub fn compare_in_place_or_jump(
        &mut self,
        name: Symbol,
        a: Operand,
        b: Operand,
        otherwise: CodeLabel,
    ) -> Result<bool, CompileError> {
        let Some((cond, op)) = Compare::of(name.as_str()) else {
            return Ok(false);
        };
        let Operand::VReg(va) = a else {
            return Ok(false);
        };
        let Some(imm) = in_place(b) else {
            return Ok(false);
        };
        let mut then = self.a.create_label();
        let (slow, _) =
            self.reloading_slow_path(op, name, [a, b], Resume::Branch { otherwise, then }, false);
        match (imm, b) {
            (Some(imm), _) => {
                self.test_vreg8(va, 7)?;
                self.a.jnz(slow)?;
                self.cmp_vreg_imm(va, imm)?;
            }
            (None, Operand::VReg(vb)) => {
                self.load(Reg::Rax, a)?;
                self.a.mov(r11d, eax)?;
                self.reg_vreg32(iced_x86::Code::Or_r32_rm32, Reg::R11, vb)?;
                self.a.test(r11b, 7)?;
                self.a.jnz(slow)?;
                self.reg_vreg(iced_x86::Code::Cmp_r64_rm64, Reg::Rax, vb)?;
            }
            _ => return Err(CompileError::new("internal error: compare_in_place")),
        }
        self.jump_unless(cond, otherwise)?;
        self.bind(&mut then)?;
        Ok(true)
    }

    /// `(- x)`: `neg` for a fixnum; the service for anything else, and for the most negative
    /// fixnum, which `neg` leaves as it is (so `rax` still holds the operand). A separate
    /// operation from `(- 0 x)`, which is `0.0` for `x = 0.0` where `(- x)` is `-0.0`.
    fn negate(&mut self, name: Symbol, operand: Operand) -> Result<(), CompileError> {
        self.load(Reg::Rax, operand)?;
        let mut done = self.a.create_label();
        let (slow, _) = self.slow_path(NumberOp::Negate, name, None, Resume::At(done));
        self.mark_last_slow_path_unary();
        self.a.test(al, 7)?;
        self.a.jnz(slow)?;
        self.a.neg(rax)?;
        self.a.jo(slow)?;
        self.bind(&mut done)
    }

    /// `/` over `ops`, always through the service (one operand means `(/ 1 x)`).
    pub fn divide(&mut self, name: Symbol, ops: &[Operand]) -> Result<(), CompileError> {
        let (first, rest) = if ops.len() == 1 {
            (Operand::Value(Value::Immediate(fixnum(1))), ops)
        } else {
            (ops[0], &ops[1..])
        };
        self.load(Reg::Rax, first)?;
        let who = self.data.symbol(name);
        for &operand in rest {
            self.load(Reg::R10, operand)?;
            self.call_number_service(NumberOp::Divide, who, None)?;
        }
        Ok(())
    }

    /// A comparison of `rax` with `r10` (loaded from `a`, `b`) that jumps to `otherwise` when
    /// false and falls through when true.
    pub fn compare_or_jump(
        &mut self,
        name: Symbol,
        a: Operand,
        b: Operand,
        otherwise: CodeLabel,
    ) -> Result<(), CompileError> {
        let Some((cond, op)) = Compare::of(name.as_str()) else {
            return Err(CompileError::new(format!(
                "internal error: {name} is not a comparison"
            )));
        };
        let mut then = self.a.create_label();
        let (slow, _) = self.slow_path(op, name, None, Resume::Branch { otherwise, then });
        self.unless_fixnums(Some(a), b, slow)?;
        self.a.cmp(rax, r10)?;
        self.jump_unless(cond, otherwise)?;
        self.bind(&mut then)
    }

    /// `(< a b c ...)` as a value: true when every adjacent pair compares true. One operand
    /// must be a number and gives #t.
    pub fn compare_chain(&mut self, name: Symbol, ops: &[Operand]) -> Result<(), CompileError> {
        let mut fail = self.a.create_label();
        let mut end = self.a.create_label();
        if ops.len() == 1 {
            self.load(Reg::Rax, ops[0])?;
            self.a.mov(r10, rax)?;
            let mut checked = self.a.create_label();
            let (slow, _) = self.slow_path(NumberOp::Add, name, None, Resume::At(checked));
            self.unless_fixnums(Some(ops[0]), ops[0], slow)?;
            self.bind(&mut checked)?;
        }
        for pair in ops.windows(2) {
            self.load(Reg::Rax, pair[0])?;
            self.load(Reg::R10, pair[1])?;
            self.compare_or_jump(name, pair[0], pair[1], fail)?;
        }
        self.a.mov(eax, TRUE as u32)?;
        self.a.jmp(end)?;
        self.bind(&mut fail)?;
        self.a.mov(eax, FALSE as u32)?;
        self.bind(&mut end)
    }

    /// `quotient`, `remainder`, `modulo`: `idiv` for fixnums with a non-zero divisor, the service
    /// for anything else (which also reports division by zero).
    pub fn integer_division(&mut self, name: Symbol, ops: &[Operand]) -> Result<(), CompileError> {
        let op = match name.as_str() {
            "quotient" => NumberOp::Quotient,
            "remainder" => NumberOp::Remainder,
            _ => NumberOp::Modulo,
        };
        self.load(Reg::Rax, ops[0])?;
        self.load(Reg::R10, ops[1])?;
        let mut done = self.a.create_label();
        let undo = (op == NumberOp::Quotient).then_some(Undo::MostNegative);
        let (slow, overflow) = self.slow_path(op, name, undo, Resume::At(done));
        self.unless_fixnums(Some(ops[0]), ops[1], slow)?;
        self.a.test(r10, r10)?;
        self.a.jz(slow)?;
        // Both operands are scaled by 8: the quotient comes out unscaled, the remainder
        // scaled. Only the most negative fixnum divided by -1 has a quotient out of range.
        self.a.cqo()?;
        self.a.idiv(r10)?;
        match op {
            NumberOp::Quotient => {
                self.a.imul_3(rax, rax, 8)?;
                self.a.jo(overflow.unwrap_or(slow))?;
            }
            NumberOp::Remainder => self.a.mov(rax, rdx)?,
            _ => {
                // modulo takes the sign of the divisor.
                self.a.mov(rax, rdx)?;
                self.a.test(rax, rax)?;
                self.a.jz(done)?;
                self.a.mov(r11, rax)?;
                self.a.xor(r11, r10)?;
                self.a.jns(done)?;
                self.a.add(rax, r10)?;
            }
        }
        self.bind(&mut done)
    }

    /// `$bitwise-and`, `-ior`, `-xor`: one instruction for two fixnums (the tag bits, zero in
    /// both, stay zero), the service for bignums.
    fn bitwise_logical(
        &mut self,
        name: Symbol,
        op: NumberOp,
        ops: &[Operand],
    ) -> Result<(), CompileError> {
        self.load(Reg::Rax, ops[0])?;
        self.load(Reg::R10, ops[1])?;
        let mut done = self.a.create_label();
        let (slow, _) = self.slow_path(op, name, None, Resume::At(done));
        self.unless_fixnums(Some(ops[0]), ops[1], slow)?;
        match op {
            NumberOp::BitAnd => self.a.and(rax, r10)?,
            NumberOp::BitIor => self.a.or(rax, r10)?,
            _ => self.a.xor(rax, r10)?,
        }
        self.bind(&mut done)
    }

    /// A predicate or conversion whose result for a fixnum is known (#t, #f or the fixnum
    /// itself) and which asks the service otherwise: `number?`, `integer?`, `zero?`, `floor`...
    pub fn fixnum_or_service(
        &mut self,
        name: Symbol,
        op: NumberOp,
        operand: Operand,
    ) -> Result<(), CompileError> {
        self.load(Reg::Rax, operand)?;
        let mut done = self.a.create_label();
        let (slow, _) = self.slow_path(op, name, None, Resume::At(done));
        self.mark_last_slow_path_unary();
        self.a.test(al, 7)?;
        self.a.jnz(slow)?;
        match op {
            NumberOp::IsZero => {
                self.a.test(rax, rax)?;
                self.a.mov(eax, FALSE as u32)?;
                self.a.mov(r11d, TRUE as u32)?;
                self.a.cmove(eax, r11d)?;
            }
            // Conversions that leave an exact integer as it is.
            NumberOp::Exact | NumberOp::Floor | NumberOp::Ceiling | NumberOp::Round => {}
            NumberOp::Truncate | NumberOp::Numerator => {}
            // Predicates false of every fixnum.
            NumberOp::IsNan | NumberOp::IsInfinite | NumberOp::IsInexact | NumberOp::IsFlonum => {
                self.a.mov(eax, FALSE as u32)?
            }
            _ => self.a.mov(eax, TRUE as u32)?,
        }
        self.bind(&mut done)
    }

    /// `eqv?`: identical words are eqv; two heap objects may be equal numbers, which the
    /// service decides.
    pub fn eqv(&mut self, name: Symbol, ops: &[Operand]) -> Result<(), CompileError> {
        self.load(Reg::Rax, ops[0])?;
        self.load(Reg::R10, ops[1])?;
        let mut done = self.a.create_label();
        let mut same = self.a.create_label();
        let (slow, _) = self.slow_path(NumberOp::Eqv, name, None, Resume::At(done));
        self.a.cmp(rax, r10)?;
        self.a.je(same)?;
        // Both tagged as objects (`011 & 011`; no other pair of value tags ands to 011).
        self.a.mov(r11d, eax)?;
        self.a.and(r11d, r10d)?;
        self.a.and(r11d, 7)?;
        self.a.cmp(r11d, TAG_OBJECT as i32)?;
        self.a.je(slow)?;
        self.a.mov(eax, FALSE as u32)?;
        self.a.jmp(done)?;
        self.bind(&mut same)?;
        self.a.mov(eax, TRUE as u32)?;
        self.bind(&mut done)
    }

    /// Compiles `name` if it is one of the primitives that are a call of the service
    /// ([`service_primitive`]), with the answer for a fixnum inline where it is known; returns
    /// whether it was.
    pub fn number_primitive(
        &mut self,
        name: Symbol,
        ops: &[Operand],
    ) -> Result<bool, CompileError> {
        let Some(op) = service_primitive(name.as_str()) else {
            return Ok(false);
        };
        use NumberOp::*;
        match op {
            Exact | Floor | Ceiling | Round | Truncate | Numerator | IsExact | IsInexact
            | IsExactInteger | IsNan | IsInfinite | IsFinite | IsFlonum => {
                self.fixnum_or_service(name, op, ops[0])?
            }
            BitAnd | BitIor | BitXor => self.bitwise_logical(name, op, ops)?,
            _ => self.number_service_call(name, op, ops)?,
        }
        Ok(true)
    }

    /// A primitive that is one call of the service: the first operand in `rax`, the second
    /// (or #f) in `r10`.
    fn number_service_call(
        &mut self,
        name: Symbol,
        op: NumberOp,
        ops: &[Operand],
    ) -> Result<(), CompileError> {
        self.load(Reg::Rax, ops[0])?;
        match ops.get(1) {
            Some(&b) => self.load(Reg::R10, b)?,
            None => self.a.mov(r10d, FALSE as u32)?,
        }
        let who = self.data.symbol(name);
        self.call_number_service(op, who, None)
    }
}
