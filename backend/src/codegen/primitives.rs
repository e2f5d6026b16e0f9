//! The open-coded primitives: each leaves its value in `rax` after checking its arguments'
//! types (DESIGN.md decision 10: checks are compare-and-branch to out-of-line error exits).
//! `display`, `write`, `equal?`, `string->symbol`, `command-line` and `exit` call runtime
//! services. Primitives of the table that are not here are reported as unsupported.
//!
//! Operands are loaded into `rax`, `r10`, `r11` (first, second, third argument); `rcx`,
//! `rdx` and `rdi` are free for scratch and string instructions, since no call is in
//! progress while a primitive runs.

use super::CompileError;
use super::emit::{Gen, Operand, Reg};
use super::expr::Cont;
use iced_x86::code_asm::*;
use ir::lang::explicit_tails::ExprId;
use ir::primitive;
use ir::symbol::Symbol;
use runtime::error::ErrorKind;
use runtime::number::NumberOp;
use runtime::print::PRINT_TO_STDERR;
use runtime::services as svc;
use runtime::value::*;

/// The longest vector, string or bytevector that can be made (in elements).
const MAX_LENGTH: u64 = 1 << 32;

impl Gen<'_> {
    /// A call of primitive `name` with continuation `cont`.
    pub fn primitive(
        &mut self,
        name: Symbol,
        args: &[ExprId],
        cont: Cont,
    ) -> Result<(), CompileError> {
        let Some(p) = primitive::lookup(name) else {
            return Err(CompileError::new(format!("unknown primitive `{name}`")));
        };
        if !p.arity.accepts(args.len()) {
            // R6RS makes this a run-time error (&assertion); the arguments are still evaluated.
            self.operands(args)?;
            let exit = self.error_exit(ErrorKind::WrongArgumentCount, Some(name), Some(Reg::R10));
            self.a.mov(r10, fixnum(args.len() as i64))?;
            self.a.jmp(exit)?;
            return Ok(());
        }
        match name.as_str() {
            "apply" => return self.apply(args, cont),
            "values" => return self.values(args, cont),
            "call-with-values" => return self.call_with_values(args, cont),
            "$call/cc" => return self.call_cc(args, cont),
            "$continue-thunk" => return self.continue_thunk(name, args),
            _ => {}
        }
        let ops = self.operands(args)?;
        self.open_code(name, &ops)?;
        if cont == Cont::Tail {
            self.epilogue()?;
        }
        Ok(())
    }

    fn open_code(&mut self, name: Symbol, ops: &[Operand]) -> Result<(), CompileError> {
        if self.number_primitive(name, ops)? {
            return Ok(());
        }
        let n = ops.len();
        let who = name;
        match name.as_str() {
            // ---- Equivalence and types: compare, then make a boolean.
            "eqv?" => self.eqv(who, ops)?,
            "eq?" => {
                self.compare_eq(ops[0], ops[1])?;
                self.boolean_equal()?;
            }
            "equal?" => {
                self.load(Reg::Rdi, ops[0])?;
                self.load(Reg::Rsi, ops[1])?;
                self.call_service(svc::EQUAL_OFFSET)?;
            }
            "not" => {
                self.cmp_operand_imm(ops[0], FALSE as i32)?;
                self.boolean_equal()?;
            }
            "boolean?" => {
                self.load(Reg::Rax, ops[0])?;
                // #f and #t differ only in bit 3.
                self.a.and(rax, !8i32)?;
                self.a.cmp(rax, FALSE as i32)?;
                self.boolean_equal()?;
            }
            "null?" => {
                self.cmp_operand_imm(ops[0], NULL as i32)?;
                self.boolean_equal()?;
            }
            "procedure?" => self.tag_test(ops[0], TAG_CLOSURE)?,
            "pair?" => self.tag_test(ops[0], TAG_PAIR)?,
            "fixnum?" => self.tag_test(ops[0], TAG_FIXNUM)?,
            "number?" | "real?" => self.fixnum_or_service(who, NumberOp::IsNumber, ops[0])?,
            "integer?" => self.fixnum_or_service(who, NumberOp::IsInteger, ops[0])?,
            "rational?" => self.fixnum_or_service(who, NumberOp::IsRational, ops[0])?,
            "char?" => {
                self.load(Reg::Rax, ops[0])?;
                self.a.cmp(al, CHAR_TAG as i32)?;
                self.boolean_equal()?;
            }
            "string?" => self.object_test(ops[0], HEADER_STRING)?,
            "vector?" => self.object_test(ops[0], HEADER_VECTOR)?,
            "symbol?" => self.object_test(ops[0], HEADER_SYMBOL)?,
            "bytevector?" => self.object_test(ops[0], HEADER_BYTEVECTOR)?,
            "void" => self.a.mov(eax, VOID as u32)?,
            "$winders" | "$set-winders!" | "$continuation-winders" => {
                self.winders_primitive(name, ops)?
            }

            // ---- Fixnum arithmetic: tagged values add and subtract as they are; overflow
            // of the 61-bit range is overflow of the 64-bit operation.
            "+" | "-" | "*" if n == 0 => {
                let unit = if name.as_str() == "*" { 1 } else { 0 };
                self.a.mov(eax, fixnum(unit) as u32)?;
            }
            "+" | "-" | "*" => self.add_sub_mul(who, ops)?,
            "/" => self.divide(who, ops)?,
            "=" | "<" | ">" | "<=" | ">=" => self.compare_chain(who, ops)?,
            "zero?" => self.fixnum_or_service(who, NumberOp::IsZero, ops[0])?,
            "quotient" | "remainder" | "modulo" => self.integer_division(who, ops)?,

            // ---- Pairs and lists.
            "cons" => {
                self.allocate(Reg::R11, 16)?;
                self.load2(ops)?;
                self.a.mov(qword_ptr(r11), rax)?;
                self.a.mov(qword_ptr(r11 + 8), r10)?;
                self.a.lea(rax, qword_ptr(r11 + TAG_PAIR as i32))?;
            }
            "car" | "cdr" => {
                self.load(Reg::Rax, ops[0])?;
                self.check_tag(Reg::Rax, TAG_PAIR, Reg::R10, who)?;
                let offset = if name.as_str() == "car" { CAR } else { CDR };
                self.a.mov(rax, qword_ptr(rax + offset))?;
            }
            "set-car!" | "set-cdr!" => {
                self.load2(ops)?;
                self.check_tag(Reg::Rax, TAG_PAIR, Reg::R11, who)?;
                let offset = if name.as_str() == "set-car!" {
                    CAR
                } else {
                    CDR
                };
                self.a.mov(qword_ptr(rax + offset), r10)?;
                self.a.mov(eax, VOID as u32)?;
            }
            "list" => self.list(ops)?,
            "append" if n == 0 => self.a.mov(eax, NULL as u32)?,
            "append" => {
                // Right to left: each step copies one list onto the result so far, which
                // waits in a virtual register (the service may ask for a collection and be called again).
                self.load(Reg::Rax, ops[n - 1])?;
                let so_far = self.temp(Reg::Rax)?;
                for &op in ops[..n - 1].iter().rev() {
                    let retry = self.retry_label()?;
                    self.use_vreg(Reg::Rdx, so_far)?;
                    self.load(Reg::Rsi, op)?;
                    self.a.mov(rdi, r15)?;
                    let who = self.data.symbol(who);
                    self.load_value(Reg::Rcx, who)?;
                    self.call_allocating_service(svc::APPEND_OFFSET, retry)?;
                    self.def(so_far, Reg::Rax)?;
                }
            }
            "list->vector" => {
                let retry = self.retry_label()?;
                self.load(Reg::Rsi, ops[0])?;
                self.a.mov(rdi, r15)?;
                let who = self.data.symbol(who);
                self.load_value(Reg::Rdx, who)?;
                self.call_allocating_service(svc::LIST_TO_VECTOR_OFFSET, retry)?;
            }

            // ---- Vectors.
            "vector" => self.object_of_words(HEADER_VECTOR, ops)?,
            "make-vector" => {
                let retry = self.retry_label()?;
                self.load(Reg::Rax, ops[0])?;
                match ops.get(1) {
                    Some(&fill) => self.load(Reg::R10, fill)?,
                    None => self.a.xor(r10d, r10d)?,
                }
                self.check_length(who)?;
                self.a.lea(r11, qword_ptr(rax + 8))?;
                self.allocate_dynamic(Reg::Rdx, Reg::R11, retry)?;
                self.store_header(HEADER_VECTOR)?;
                self.a.mov(rcx, rax)?;
                self.a.shr(rcx, FIXNUM_SHIFT)?;
                self.a.lea(rdi, qword_ptr(rdx + 8))?;
                self.a.mov(rax, r10)?;
                self.a.rep().stosq()?;
                self.a.lea(rax, qword_ptr(rdx + TAG_OBJECT as i32))?;
            }
            "vector-length" => self.length(ops[0], HEADER_VECTOR, who)?,
            "vector-ref" => {
                self.load2(ops)?;
                self.checked_index(HEADER_VECTOR, Reg::R11, who)?;
                self.a.mov(rax, qword_ptr(rax + r10 + OBJECT_DATA))?;
            }
            "vector-set!" => {
                self.load3(ops)?;
                self.checked_index(HEADER_VECTOR, Reg::Rdx, who)?;
                self.a.mov(qword_ptr(rax + r10 + OBJECT_DATA), r11)?;
                self.a.mov(eax, VOID as u32)?;
            }

            // ---- Characters and strings (UTF-32, one 4-byte unit per character).
            "char->integer" => {
                self.load(Reg::Rax, ops[0])?;
                self.check_char(Reg::Rax, Reg::R10, who)?;
                self.a.shr(rax, CHAR_SHIFT)?;
                self.a.shl(rax, FIXNUM_SHIFT)?;
            }
            "integer->char" => {
                self.load(Reg::Rax, ops[0])?;
                self.check_fixnum(Reg::Rax, who)?;
                let bad = self.error_exit(ErrorKind::WrongType, Some(who), Some(Reg::Rax));
                self.a.cmp(rax, fixnum(0x10ffff) as i32)?;
                self.a.ja(bad)?;
                self.a.lea(r10, qword_ptr(rax - fixnum(0xd800) as i32))?;
                self.a.cmp(r10, fixnum(0x800) as i32)?;
                self.a.jb(bad)?;
                self.a.shl(rax, CHAR_SHIFT - FIXNUM_SHIFT)?;
                self.a.or(rax, CHAR_TAG as i32)?;
            }
            "make-string" => {
                let retry = self.retry_label()?;
                self.load(Reg::Rax, ops[0])?;
                match ops.get(1) {
                    Some(&fill) => self.load(Reg::R10, fill)?,
                    None => self.a.mov(r10d, character(' ') as u32)?,
                }
                self.check_length(who)?;
                self.check_char(Reg::R10, Reg::R11, who)?;
                self.make_filled(HEADER_STRING, Unit::Dword, CHAR_SHIFT, retry)?;
            }
            "string-length" => self.length(ops[0], HEADER_STRING, who)?,
            "string-ref" => {
                self.load2(ops)?;
                self.checked_index(HEADER_STRING, Reg::R11, who)?;
                self.a.mov(r11, r10)?;
                self.a.shr(r11, 1)?;
                self.a.mov(eax, dword_ptr(rax + r11 + OBJECT_DATA))?;
                self.a.shl(rax, CHAR_SHIFT)?;
                self.a.or(rax, CHAR_TAG as i32)?;
            }
            "string-set!" => {
                self.load3(ops)?;
                self.checked_index(HEADER_STRING, Reg::Rdx, who)?;
                self.check_char(Reg::R11, Reg::Rdx, who)?;
                self.a.shr(r11, CHAR_SHIFT)?;
                self.a.mov(rdx, r10)?;
                self.a.shr(rdx, 1)?;
                self.a.mov(dword_ptr(rax + rdx + OBJECT_DATA), r11d)?;
                self.a.mov(eax, VOID as u32)?;
            }
            "symbol->string" => {
                self.load(Reg::Rax, ops[0])?;
                self.check_object(Reg::Rax, HEADER_SYMBOL, Reg::R10, who)?;
                self.a.mov(rax, qword_ptr(rax + OBJECT_DATA))?;
            }
            "string->symbol" => {
                let retry = self.retry_label()?;
                self.load(Reg::Rsi, ops[0])?;
                self.check_object(Reg::Rsi, HEADER_STRING, Reg::R10, who)?;
                self.a.mov(rdi, r15)?;
                self.call_allocating_service(svc::STRING_TO_SYMBOL_OFFSET, retry)?;
            }

            // ---- Bytevectors.
            "make-bytevector" => {
                let retry = self.retry_label()?;
                self.load(Reg::Rax, ops[0])?;
                match ops.get(1) {
                    Some(&fill) => self.load(Reg::R10, fill)?,
                    None => self.a.xor(r10d, r10d)?,
                }
                self.check_length(who)?;
                self.check_byte(Reg::R10, who)?;
                self.make_filled(HEADER_BYTEVECTOR, Unit::Byte, FIXNUM_SHIFT, retry)?;
            }
            "bytevector-length" => self.length(ops[0], HEADER_BYTEVECTOR, who)?,
            "bytevector-u8-ref" => {
                self.load2(ops)?;
                self.checked_index(HEADER_BYTEVECTOR, Reg::R11, who)?;
                self.a.mov(r11, r10)?;
                self.a.shr(r11, FIXNUM_SHIFT)?;
                self.a.movzx(eax, byte_ptr(rax + r11 + OBJECT_DATA))?;
                self.a.shl(rax, FIXNUM_SHIFT)?;
            }
            "bytevector-u8-set!" => {
                self.load3(ops)?;
                self.checked_index(HEADER_BYTEVECTOR, Reg::Rdx, who)?;
                self.check_byte(Reg::R11, who)?;
                self.a.shr(r11, FIXNUM_SHIFT)?;
                self.a.mov(rdx, r10)?;
                self.a.shr(rdx, FIXNUM_SHIFT)?;
                self.a.mov(byte_ptr(rax + rdx + OBJECT_DATA), r11b)?;
                self.a.mov(eax, VOID as u32)?;
            }

            // ---- Boxes (made by convert_assignments; never ill-typed).
            "$box" => {
                self.allocate(Reg::R11, 16)?;
                self.load(Reg::Rax, ops[0])?;
                self.a.mov(r10, header(HEADER_BOX, 1))?;
                self.a.mov(qword_ptr(r11), r10)?;
                self.a.mov(qword_ptr(r11 + 8), rax)?;
                self.a.lea(rax, qword_ptr(r11 + TAG_OBJECT as i32))?;
            }
            "$unbox" => {
                self.load(Reg::Rax, ops[0])?;
                self.a.mov(rax, qword_ptr(rax + OBJECT_DATA))?;
            }
            "$set-box!" => {
                self.load2(ops)?;
                self.a.mov(qword_ptr(rax + OBJECT_DATA), r10)?;
                self.a.mov(eax, VOID as u32)?;
            }

            // ---- Output and the process. The optional port argument is evaluated but not
            // used yet: output always goes to stdout.
            "display" | "write" => {
                self.load(Reg::Rsi, ops[0])?;
                self.a.mov(rdi, r15)?;
                self.a.mov(edx, u32::from(name.as_str() == "write"))?;
                self.call_service(svc::PRINT_OFFSET)?;
            }
            "newline" => {
                self.a.mov(rdi, r15)?;
                self.a.mov(esi, character('\n') as u32)?;
                self.a.xor(edx, edx)?;
                self.call_service(svc::PRINT_OFFSET)?;
            }
            "$exit" => {
                let mut go = self.a.create_label();
                let mut not_fixnum = self.a.create_label();
                self.a.xor(edi, edi)?;
                if let Some(&status) = ops.first() {
                    self.load(Reg::Rax, status)?;
                    self.a.test(al, 7)?;
                    self.a.jnz(not_fixnum)?;
                    self.a.mov(rdi, rax)?;
                    self.a.sar(rdi, FIXNUM_SHIFT)?;
                    self.a.jmp(go)?;
                    self.bind(&mut not_fixnum)?;
                    self.a.cmp(rax, FALSE as i32)?;
                    self.a.jne(go)?;
                    self.a.mov(edi, 1)?;
                }
                self.bind(&mut go)?;
                self.call_service(svc::EXIT_OFFSET)?;
                self.a.ud2()?;
            }
            "$expand-service" => {
                self.load(Reg::Rsi, ops[0])?;
                self.load(Reg::Rdx, ops[1])?;
                self.load(Reg::Rcx, ops[2])?;
                self.a.mov(rdi, r15)?;
                self.call_service(svc::EXPAND_OFFSET)?;
            }
            "$unicode" => {
                // The string operations allocate; the others never return RETRY.
                let retry = self.retry_label()?;
                self.load(Reg::Rsi, ops[0])?;
                self.a.sar(rsi, FIXNUM_SHIFT)?;
                self.load(Reg::Rdx, ops[1])?;
                self.load(Reg::Rcx, ops[2])?;
                self.a.mov(rdi, r15)?;
                self.call_allocating_service(svc::UNICODE_OFFSET, retry)?;
            }
            "command-line" => {
                let retry = self.retry_label()?;
                self.a.mov(rdi, r15)?;
                self.call_allocating_service(svc::COMMAND_LINE_OFFSET, retry)?;
            }
            "$print-to-stderr" => {
                self.load(Reg::Rsi, ops[0])?;
                self.load(Reg::Rax, ops[1])?;
                self.a.xor(edx, edx)?;
                self.a.cmp(rax, FALSE as i32)?;
                self.a.setne(dl)?;
                self.a.or(edx, PRINT_TO_STDERR as i32)?;
                self.a.mov(rdi, r15)?;
                self.call_service(svc::PRINT_OFFSET)?;
            }
            "$io" => {
                self.load(Reg::Rsi, ops[0])?;
                self.load(Reg::Rdx, ops[1])?;
                self.load(Reg::Rcx, ops[2])?;
                self.load(Reg::R8, ops[3])?;
                self.load(Reg::R9, ops[4])?;
                self.a.mov(rdi, r15)?;
                self.call_service(svc::IO_OFFSET)?;
            }
            "$print-to-string" => {
                // Allocates (a fresh string when the buffer is #f): retried from the loads.
                let retry = self.retry_label()?;
                self.load(Reg::Rsi, ops[0])?;
                self.load(Reg::Rdx, ops[1])?;
                self.load(Reg::Rcx, ops[2])?;
                self.load(Reg::R8, ops[3])?;
                self.a.mov(rdi, r15)?;
                self.call_allocating_service(svc::PRINT_TO_STRING_OFFSET, retry)?;
            }

            // ---- Records (internal: stdlib/records.scm checks types and indexes).
            "$record?" => self.object_test(ops[0], HEADER_RECORD)?,
            "$record" => self.object_of_words(HEADER_RECORD, ops)?,
            "$make-record" => {
                // (rtd field-count): the fields start out unspecified.
                let retry = self.retry_label()?;
                self.load(Reg::Rax, ops[1])?;
                self.check_length(who)?;
                self.a.lea(r11, qword_ptr(rax + 16))?;
                self.allocate_dynamic(Reg::Rdx, Reg::R11, retry)?;
                self.a.add(rax, fixnum(1) as i32)?;
                self.store_header(HEADER_RECORD)?;
                self.load(Reg::R10, ops[0])?;
                self.a.mov(qword_ptr(rdx + 8), r10)?;
                self.a.mov(rcx, rax)?;
                self.a.shr(rcx, FIXNUM_SHIFT)?;
                self.a.dec(rcx)?;
                self.a.lea(rdi, qword_ptr(rdx + 16))?;
                self.a.mov(eax, VOID as u32)?;
                self.a.rep().stosq()?;
                self.a.lea(rax, qword_ptr(rdx + TAG_OBJECT as i32))?;
            }
            // ---- Hashtables (internal: stdlib/hashtables.scm).
            "$object-address" => {
                self.load(Reg::Rax, ops[0])?;
                self.a.and(rax, -8)?;
            }
            "$collections" => {
                self.a
                    .mov(rax, self.ctx_field(runtime::context::COLLECTIONS))?;
                self.a.shl(rax, FIXNUM_SHIFT)?;
            }
            "$record-rtd" => {
                self.load(Reg::Rax, ops[0])?;
                self.a.mov(rax, qword_ptr(rax + OBJECT_DATA))?;
            }
            "$record-ref" => {
                // A fixnum index is the index times 8: the field's byte offset.
                self.load2(ops)?;
                self.a.mov(rax, qword_ptr(rax + r10 + RECORD_FIELDS))?;
            }
            "$record-set!" => {
                self.load3(ops)?;
                self.a.mov(qword_ptr(rax + r10 + RECORD_FIELDS), r11)?;
                self.a.mov(eax, VOID as u32)?;
            }
            _ => {
                return Err(CompileError::new(format!(
                    "the primitive `{name}` (with {n} arguments) is not supported by the backend yet"
                )));
            }
        }
        Ok(())
    }

    /// A new object of type `kind` whose words are the operands' values (a vector; a record,
    /// its type descriptor first).
    fn object_of_words(&mut self, kind: u64, ops: &[Operand]) -> Result<(), CompileError> {
        let n = ops.len();
        self.allocate(Reg::R11, 8 + 8 * n as i32)?;
        self.a.mov(r10, header(kind, n as u64))?;
        self.a.mov(qword_ptr(r11), r10)?;
        for (i, &op) in ops.iter().enumerate() {
            self.load(Reg::R10, op)?;
            self.a.mov(qword_ptr(r11 + (8 + 8 * i as i32)), r10)?;
        }
        self.a.lea(rax, qword_ptr(r11 + TAG_OBJECT as i32))?;
        Ok(())
    }

    fn load2(&mut self, ops: &[Operand]) -> Result<(), CompileError> {
        self.load(Reg::Rax, ops[0])?;
        self.load(Reg::R10, ops[1])
    }

    fn load3(&mut self, ops: &[Operand]) -> Result<(), CompileError> {
        self.load2(ops)?;
        self.load(Reg::R11, ops[2])
    }

    /// `rax` := #t if the last comparison found its operands equal, else #f (flags are
    /// preserved by `mov`, so the comparison may come first).
    fn boolean_equal(&mut self) -> Result<(), CompileError> {
        self.a.mov(eax, FALSE as u32)?;
        self.a.mov(r11d, TRUE as u32)?;
        self.a.cmove(eax, r11d)?;
        Ok(())
    }

    fn tag_test(&mut self, op: Operand, tag: u64) -> Result<(), CompileError> {
        self.load(Reg::Rax, op)?;
        self.a.mov(r10d, eax)?;
        self.a.and(r10d, 7)?;
        self.a.cmp(r10d, tag as i32)?;
        self.boolean_equal()
    }

    fn object_test(&mut self, op: Operand, kind: u64) -> Result<(), CompileError> {
        let mut decided = self.a.create_label();
        self.load(Reg::Rax, op)?;
        self.a.mov(r10d, eax)?;
        self.a.and(r10d, 7)?;
        self.a.cmp(r10d, TAG_OBJECT as i32)?;
        self.a.jne(decided)?;
        self.a.cmp(byte_ptr(rax + OBJECT_HEADER), kind as i32)?;
        self.bind(&mut decided)?;
        self.boolean_equal()
    }

    /// A list of `ops`, its pairs allocated at once (before any operand is loaded).
    fn list(&mut self, ops: &[Operand]) -> Result<(), CompileError> {
        if !ops.is_empty() {
            self.allocate(Reg::R11, 16 * ops.len() as i32)?;
        }
        self.a.mov(eax, NULL as u32)?;
        for (i, &op) in ops.iter().enumerate().rev() {
            let at = 16 * i as i32;
            self.load(Reg::R10, op)?;
            self.a.mov(qword_ptr(r11 + at), r10)?;
            self.a.mov(qword_ptr(r11 + (at + 8)), rax)?;
            self.a.lea(rax, qword_ptr(r11 + (at + TAG_PAIR as i32)))?;
        }
        Ok(())
    }

    /// A label bound here, where an allocating primitive starts loading its operands: its
    /// slow path comes back to it after a collection.
    fn retry_label(&mut self) -> Result<CodeLabel, CompileError> {
        let mut retry = self.a.create_label();
        self.bind(&mut retry)?;
        Ok(retry)
    }

    /// Checks that `rax` is a length: a fixnum in `0..MAX_LENGTH`.
    fn check_length(&mut self, who: Symbol) -> Result<(), CompileError> {
        self.check_fixnum(Reg::Rax, who)?;
        let bad = self.error_exit(ErrorKind::WrongType, Some(who), Some(Reg::Rax));
        self.a.mov(r11, fixnum(MAX_LENGTH as i64))?;
        self.a.cmp(rax, r11)?;
        self.a.jae(bad)?;
        Ok(())
    }

    fn check_char(&mut self, reg: Reg, scratch: Reg, who: Symbol) -> Result<(), CompileError> {
        let bad = self.error_exit(ErrorKind::WrongType, Some(who), Some(reg));
        self.a.mov(scratch.d(), reg.d())?;
        self.a.and(scratch.d(), IMMEDIATE_MASK as i32)?;
        self.a.cmp(scratch.d(), CHAR_TAG as i32)?;
        self.a.jne(bad)?;
        Ok(())
    }

    fn check_byte(&mut self, reg: Reg, who: Symbol) -> Result<(), CompileError> {
        let bad = self.error_exit(ErrorKind::WrongType, Some(who), Some(reg));
        self.a.cmp(reg.q(), fixnum(255) as i32)?;
        self.a.ja(bad)?;
        Ok(())
    }

    /// Stores the header of a new object of `kind` at `[rdx]`, its length being the fixnum in
    /// `rax`.
    /// Allocates a string or bytevector of `rax` (a checked fixnum) elements of `unit`, every
    /// element the raw value `r10 >> fill_shift` (checked too); the object ends up in `rax`.
    /// A collection restarts at `retry`, before the operands are loaded.
    fn make_filled(
        &mut self,
        kind: u64,
        unit: Unit,
        fill_shift: u32,
        retry: CodeLabel,
    ) -> Result<(), CompileError> {
        // 8 + n·unit bytes, rounded up to a word; rax holds 8n.
        self.a.mov(r11, rax)?;
        self.a.shr(r11, FIXNUM_SHIFT - unit as u32)?;
        self.a.add(r11, 15)?;
        self.a.and(r11, -8)?;
        self.allocate_dynamic(Reg::Rdx, Reg::R11, retry)?;
        self.store_header(kind)?;
        self.a.mov(rcx, rax)?;
        self.a.shr(rcx, FIXNUM_SHIFT)?;
        self.a.lea(rdi, qword_ptr(rdx + 8))?;
        self.a.mov(rax, r10)?;
        self.a.shr(rax, fill_shift)?;
        match unit {
            Unit::Byte => self.a.rep().stosb()?,
            Unit::Dword => self.a.rep().stosd()?,
        }
        self.a.lea(rax, qword_ptr(rdx + TAG_OBJECT as i32))?;
        Ok(())
    }

    fn store_header(&mut self, kind: u64) -> Result<(), CompileError> {
        self.a.mov(r11, rax)?;
        self.a.shl(r11, HEADER_SHIFT - FIXNUM_SHIFT)?;
        self.a.or(r11, kind as i32)?;
        self.a.mov(qword_ptr(rdx), r11)?;
        Ok(())
    }

    fn length(&mut self, op: Operand, kind: u64, who: Symbol) -> Result<(), CompileError> {
        self.load(Reg::Rax, op)?;
        self.check_object(Reg::Rax, kind, Reg::R10, who)?;
        self.a.mov(rax, qword_ptr(rax + OBJECT_HEADER))?;
        self.a.shr(rax, HEADER_SHIFT - FIXNUM_SHIFT)?;
        self.a.and(rax, -8)?;
        Ok(())
    }

    /// Checks that `rax` is an object of `kind` and `r10` an index into it.
    fn checked_index(&mut self, kind: u64, scratch: Reg, who: Symbol) -> Result<(), CompileError> {
        self.check_object(Reg::Rax, kind, scratch, who)?;
        self.check_fixnum(Reg::R10, who)?;
        let bad = self.error_exit(ErrorKind::IndexOutOfRange, Some(who), Some(Reg::R10));
        let s = scratch.q();
        self.a.mov(s, qword_ptr(rax + OBJECT_HEADER))?;
        self.a.shr(s, HEADER_SHIFT - FIXNUM_SHIFT)?;
        self.a.and(s, -8)?;
        // Unsigned: a negative index is a huge one.
        self.a.cmp(r10, s)?;
        self.a.jae(bad)?;
        Ok(())
    }
}

/// The size of a string's or bytevector's elements, as the log2 of their bytes.
#[derive(Clone, Copy)]
enum Unit {
    Byte = 0,
    Dword = 2,
}
