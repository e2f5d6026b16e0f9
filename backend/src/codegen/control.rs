//! Continuations and stack segments: the code that captures the frames on the stack into a
//! continuation (`call/cc`, and a prologue that finds the segment full), reinstates one
//! (calling a continuation, and the underflow return point at the bottom of the stack), and the
//! primitives that reach it. `runtime::continuation` describes the model and the layouts.
//!
//! The shared stubs run between Scheme frames, so they use only the registers that carry
//! nothing at that point and keep the stack untouched above `rsp`. The copies are plain loops
//! in generated code, not runtime services: a service would run its Rust frames on the stack
//! being overwritten. The services they call, `split_continuation` and `stack_chunk`, run
//! before any copy onto the stack.

use super::CompileError;
use super::emit::{Gen, Operand, Reg};
use super::expr::Cont;
use crate::link::Stub;
use iced_x86::code_asm::*;
use ir::lang::explicit_tails::ExprId;
use ir::symbol::Symbol;
use runtime::context as ctx;
use runtime::continuation::{self as k, CONTINUATION_FREE};
use runtime::services as svc;
use runtime::value::*;

/// The shared entry points of this module, as the placeholder addresses branches to them use
/// (bound in the runtime unit by [`Gen::control_stubs`]; see [`Stub`]).
pub struct Labels {
    /// The underflow return point: its address is the bottom word of the stack.
    pub underflow: u64,
    /// Where the underflow point goes when the program's body has returned (in the entry).
    pub program_end: u64,
    /// `rsp` at the return address of a `$call/cc`, the procedure in `rdi`.
    capture: u64,
    /// From a prologue: the frame is allocated (`rsp` lowered by `eax` bytes) and below the
    /// segment's limit; `r10` is where to resume.
    segment_overflow: u64,
    /// The code of every continuation: calling one reinstates it.
    entry: u64,
    /// Reinstating a continuation (in `r10`) and tail-calling a thunk (in `rdx`) in it.
    throw_thunk: u64,
    /// The chain would exceed `stack_depth_limit`.
    too_deep: u64,
}

/// A prologue's exit to [`Labels::segment_overflow`], emitted after the procedure.
pub struct OverflowExit {
    exit: CodeLabel,
    resume: CodeLabel,
    frame_bytes: i32,
    /// The clause, whose frame may shrink from `frame_bytes` ([`crate::machine::lower`]).
    clause: u32,
    /// The clause's start, where the prologue begins again after a collection.
    restart: CodeLabel,
}

/// Where the overflow stub saves the registers a prologue may still need (below the frame).
const SAVED: [AsmRegister64; 7] = [rdi, rsi, rdx, rcx, r8, r9, r11];
const SAVE_RESUME: i32 = 8 * SAVED.len() as i32;
const SAVE_FRAME_BYTES: i32 = SAVE_RESUME + 8;
const SAVE_AREA: i32 = SAVE_FRAME_BYTES + 8;

impl Labels {
    pub fn new() -> Labels {
        Labels {
            underflow: Stub::Underflow.address(),
            program_end: Stub::ProgramEnd.address(),
            capture: Stub::Capture.address(),
            segment_overflow: Stub::SegmentOverflow.address(),
            entry: Stub::ContinuationEntry.address(),
            throw_thunk: Stub::ThrowThunk.address(),
            too_deep: Stub::TooDeep.address(),
        }
    }
}

impl Gen<'_> {
    /// A prologue's frame allocation and stack check: lowers `rsp` by the frame and, if that
    /// crosses the segment's limit, moves the frames above into the continuation chain first.
    pub fn allocate_frame(&mut self) -> Result<(), CompileError> {
        let frame_bytes = self.frame.bytes();
        let exit = self.a.create_label();
        let mut resume = self.a.create_label();
        self.frame_relative(self.clause);
        self.a.sub(rsp, frame_bytes)?;
        self.a.cmp(rsp, self.ctx_field(ctx::STACK_LIMIT))?;
        self.a.jb(exit)?;
        self.bind(&mut resume)?;
        self.overflow_exits.push(OverflowExit {
            exit,
            resume,
            frame_bytes,
            clause: self.clause,
            restart: self.clause_start,
        });
        Ok(())
    }

    /// Emits the pending prologue exits (after a procedure). The capture needs heap room for
    /// a continuation record (its frames go to a chunk outside the heap); when the allocation
    /// area has less, the frame is given back and the collector runs with the call's
    /// arguments saved (`collect_in_call`), then the prologue starts again from the clause's
    /// start.
    pub fn flush_overflow_exits(&mut self) -> Result<(), CompileError> {
        for mut exit in std::mem::take(&mut self.overflow_exits) {
            self.bind(&mut exit.exit)?;
            let mut room = self.a.create_label();
            let record = 8 * (CONTINUATION_FREE as i32 + 2);
            self.a.lea(r10, qword_ptr(r14 + record))?;
            self.a.cmp(r10, self.ctx_field(ctx::HEAP_LIMIT))?;
            self.a.jbe(room)?;
            self.a.mov(eax, record as u32)?;
            self.frame_relative(exit.clause);
            self.a.add(rsp, exit.frame_bytes)?;
            self.a.lea(r11, ptr(exit.restart))?;
            self.a.jmp(self.collect_in_call)?;
            self.bind(&mut room)?;
            self.frame_relative(exit.clause);
            self.a.mov(eax, exit.frame_bytes as u32)?;
            self.a.lea(r10, ptr(exit.resume))?;
            self.a.jmp(self.control.segment_overflow)?;
        }
        Ok(())
    }

    /// `($call/cc f)`: calls `f` with the current continuation, as an object.
    pub fn call_cc(&mut self, args: &[ExprId], cont: Cont) -> Result<(), CompileError> {
        let ops = self.operands(args)?;
        self.load_procedure(ops[0])?;
        if cont == Cont::Tail {
            self.frame_relative(self.clause);
            self.a.add(rsp, self.frame.bytes())?;
            self.a.jmp(self.control.capture)?;
        } else {
            self.a.call(self.control.capture)?;
            self.after_call(cont)?;
        }
        Ok(())
    }

    /// `($continue-thunk k thunk)` reinstates the continuation `k` and tail-calls `thunk` in
    /// it, so it can return any number of values there. It does not return here.
    pub fn continue_thunk(&mut self, name: Symbol, args: &[ExprId]) -> Result<(), CompileError> {
        let ops = self.operands(args)?;
        self.load_procedure(ops[1])?;
        self.a.mov(rdx, rdi)?;
        self.load(Reg::R10, ops[0])?;
        self.check_continuation(Reg::R10, name)?;
        self.a.jmp(self.control.throw_thunk)?;
        Ok(())
    }

    /// The primitives over the context's winders list and a continuation's: `($winders)`,
    /// `($set-winders! list)`, `($continuation-winders k)`. Operands are already evaluated.
    pub fn winders_primitive(&mut self, name: Symbol, ops: &[Operand]) -> Result<(), CompileError> {
        match name.as_str() {
            "$winders" => self.a.mov(rax, self.ctx_field(ctx::WINDERS))?,
            "$set-winders!" => {
                self.load(Reg::Rax, ops[0])?;
                self.a.mov(self.ctx_field(ctx::WINDERS), rax)?;
                self.a.mov(eax, VOID as u32)?;
            }
            _ => {
                self.load(Reg::Rax, ops[0])?;
                self.check_continuation(Reg::Rax, name)?;
                self.a.mov(rax, qword_ptr(rax + k::WINDERS))?;
            }
        }
        Ok(())
    }

    /// Jumps to an error exit unless `reg` is a continuation: a closure of the continuation
    /// entry. Clobbers `r11`.
    fn check_continuation(&mut self, reg: Reg, who: Symbol) -> Result<(), CompileError> {
        self.check_tag(reg, TAG_CLOSURE, Reg::R11, who)?;
        let exit = self.error_exit(runtime::error::ErrorKind::WrongType, Some(who), Some(reg));
        self.lea_code(r11, self.control.entry)?;
        self.a.cmp(qword_ptr(reg.q() + CLOSURE_CODE), r11)?;
        self.a.jne(exit)?;
        Ok(())
    }

    /// The stubs shared by the image (see [`Labels`]).
    pub fn control_stubs(&mut self) -> Result<(), CompileError> {
        self.underflow_stub()?;
        self.capture_stub()?;
        self.segment_overflow_stub()?;

        self.continuation_entry()?;

        self.bind_stub(Stub::ThrowThunk)?;
        self.reinstate()?;
        self.a.mov(rdi, rdx)?;
        self.a.xor(esi, esi)?;
        self.a.jmp(qword_ptr(rdi + CLOSURE_CODE))?;

        self.bind_stub(Stub::TooDeep)?;
        // Leave room for whatever reports the overflow.
        self.a.mov(rax, self.ctx_field(ctx::STACK_DEPTH_LIMIT))?;
        self.a.add(rax, fixnum(k::DEPTH_SLACK as i64) as i32)?;
        self.a.mov(self.ctx_field(ctx::STACK_DEPTH_LIMIT), rax)?;
        self.a.jmp(self.stack_overflow)?;
        Ok(())
    }

    /// The code of continuations (`rdi` the continuation, arguments as for any call). With the
    /// current winders those of the continuation and at most four values, it reinstates the
    /// continuation and returns the values through `mv_return`. Otherwise it tail-calls the
    /// Scheme procedure `$continue-slow` (`stdlib/base-procedures.scm`) with the continuation
    /// prepended to the arguments, which winds and then uses `$continue-thunk`.
    fn continuation_entry(&mut self) -> Result<(), CompileError> {
        self.bind_stub(Stub::ContinuationEntry)?;
        let mut slow = self.a.create_label();
        self.a.mov(rax, self.ctx_field(ctx::WINDERS))?;
        self.a.cmp(rax, qword_ptr(rdi + k::WINDERS))?;
        self.a.jne(slow)?;
        self.a.cmp(esi, 4)?;
        self.a.ja(slow)?;
        self.a.mov(r10, rdi)?;
        self.reinstate()?;
        self.a.jmp(self.mv_return)?;

        // Shift the arguments up by one: stack arguments first, the last (lowest) first.
        self.bind(&mut slow)?;
        let mut shifted = self.a.create_label();
        let mut shift = self.a.create_label();
        self.a.mov(eax, esi)?;
        self.a.sub(eax, 4)?;
        self.a.jle(shifted)?;
        self.bind(&mut shift)?;
        self.a.mov(r11, rax)?;
        self.a.neg(r11)?;
        self.a.mov(r10, qword_ptr(rsp + r11 * 8))?;
        self.a.mov(qword_ptr(rsp + r11 * 8 - 8), r10)?;
        self.a.dec(eax)?;
        self.a.jnz(shift)?;
        self.bind(&mut shifted)?;
        self.a.mov(qword_ptr(rsp - 8), r9)?;
        self.a.mov(r9, r8)?;
        self.a.mov(r8, rcx)?;
        self.a.mov(rcx, rdx)?;
        self.a.mov(rdx, rdi)?;
        self.a.inc(esi)?;
        let name = Symbol::intern("$base::$continue-slow");
        let cell = self.data.global(name) as i32;
        let unbound = self.error_exit(runtime::error::ErrorKind::Unbound, Some(name), None);
        self.a.mov(rdi, qword_ptr(r15 + cell))?;
        self.a.cmp(rdi, UNBOUND as i32)?;
        self.a.je(unbound)?;
        self.a.jmp(qword_ptr(rdi + CLOSURE_CODE))?;
        Ok(())
    }

    /// The underflow return point, a return point marked for multiple values: one value in
    /// `rax`, or the count in `esi` and the values as a call's arguments (the fifth and later
    /// just below the popped return address, `[stack_top - 16 - 8j]`).
    fn underflow_stub(&mut self) -> Result<(), CompileError> {
        let underflow = self.bind_stub(Stub::Underflow)?;
        self.a.test(eax, i32::MAX)?;
        self.a.mov(rdx, rax)?;
        self.a.mov(esi, 1)?;
        let mut mv = self.a.create_label();
        self.bind(&mut mv)?;
        self.mv_sites.push((underflow, mv));
        // `mv_return` entered us by overwriting the bottom word with this entry: put the
        // underflow point back (`rsp` is just above that word).
        self.lea_code(r10, self.control.underflow)?;
        self.a.mov(qword_ptr(rsp - 8), r10)?;
        self.a.mov(r10, self.ctx_field(ctx::CONT_LINK))?;
        self.a.cmp(r10, FALSE as i32)?;
        self.a.je(self.control.program_end)?;
        // Values past the fourth move down by the size of the frames coming back, to stay just
        // below the new top frame's return address; ascending addresses, as they move down.
        let mut reinstate = self.a.create_label();
        let mut copy = self.a.create_label();
        self.a.mov(eax, esi)?;
        self.a.sub(eax, 4)?;
        self.a.jle(reinstate)?;
        self.a.mov(r11, qword_ptr(r10 + k::SIZE))?;
        self.a.sar(r11, FIXNUM_SHIFT)?;
        self.a.neg(r11)?;
        self.a.lea(rdi, qword_ptr(rax * 8))?;
        self.a.mov(rax, self.ctx_field(ctx::STACK_TOP))?;
        self.a.sub(rax, 8)?;
        self.a.neg(rdi)?;
        self.a.add(rdi, rax)?;
        self.bind(&mut copy)?;
        self.a.mov(r10, qword_ptr(rdi))?;
        self.a.mov(qword_ptr(rdi + r11), r10)?;
        self.a.add(rdi, 8)?;
        self.a.cmp(rdi, rax)?;
        self.a.jb(copy)?;
        // (The stack stays where it is: the values were moved for this place.)
        self.a.mov(r10, self.ctx_field(ctx::CONT_LINK))?;
        self.reinstate_here()?;
        self.a.jmp(self.mv_return)?;
        self.bind(&mut reinstate)?;
        self.reinstate()?;
        self.a.jmp(self.mv_return)?;
        Ok(())
    }

    /// `$call/cc`'s stub: makes the frames on the stack a continuation, empties the stack and
    /// calls the procedure with the continuation; its return goes to the underflow point.
    ///
    /// Usually the frames are *sealed* where they are (no copy) and the stack starts again just
    /// below them. They are copied into a heap chunk instead when sealing would pass
    /// `seal_floor`, or when the collector has evacuated every sealed frame and the stack is
    /// not at `segment_top`: then the copy empties the stack and lets it move back up.
    fn capture_stub(&mut self) -> Result<(), CompileError> {
        let capture = self.bind_stub(Stub::Capture)?;
        let record = 8 * (CONTINUATION_FREE as i32 + 2);
        // (Counted, for `runtime::gc::chunks`; a retry after a collection counts again, which
        // only makes the chunks wait for a collection.)
        self.a.inc(self.ctx_field(ctx::CAPTURES))?;
        let mut copy = self.a.create_label();
        let mut seal = self.a.create_label();
        let mut call = self.a.create_label();
        self.a.lea(r10, qword_ptr(rsp - 8))?;
        self.a.cmp(r10, self.ctx_field(ctx::SEAL_FLOOR))?;
        self.a.jb(copy)?;
        self.a.cmp(self.ctx_field(ctx::SEALS_EVACUATED), 0)?;
        self.a.je(seal)?;
        self.a.mov(rax, self.ctx_field(ctx::STACK_TOP))?;
        self.a.cmp(rax, self.ctx_field(ctx::SEGMENT_TOP))?;
        self.a.jne(copy)?;

        // Seal: room for the continuation record, or a collection first (with the procedure
        // saved as a call's closure, no arguments) and a new try.
        self.bind(&mut seal)?;
        let mut seal_room = self.a.create_label();
        self.a.lea(r10, qword_ptr(r14 + record))?;
        self.a.cmp(r10, self.ctx_field(ctx::HEAP_LIMIT))?;
        self.a.jbe(seal_room)?;
        self.a.mov(eax, record as u32)?;
        self.a.xor(esi, esi)?;
        self.a.lea(r11, ptr(capture))?;
        self.a.jmp(self.collect_in_call)?;
        self.bind(&mut seal_room)?;
        // The procedure waits in the word between the sealed frames and the new stack.
        self.a.mov(qword_ptr(rsp - 8), rdi)?;
        self.a.mov(rcx, self.ctx_field(ctx::STACK_TOP))?;
        self.a.sub(rcx, 8)?;
        self.a.sub(rcx, rsp)?;
        self.depth_check()?;
        self.a.mov(r11, r14)?;
        self.a.add(r14, record)?;
        self.fill_continuation(None, rsp, 0)?;
        // The stack starts again below the sealed frames, which count as allocated.
        self.a.lea(rax, qword_ptr(rsp - 8))?;
        self.a.mov(self.ctx_field(ctx::STACK_TOP), rax)?;
        self.a.sub(rax, k::SEGMENT_SIZE as i32)?;
        self.a.mov(self.ctx_field(ctx::STACK_LIMIT), rax)?;
        self.a.mov(self.ctx_field(ctx::SEALS_EVACUATED), 0)?;
        // (Not while the heap's reserve is in use: that limit is the reserve's end.)
        let mut counted = self.a.create_label();
        self.a.cmp(self.ctx_field(ctx::GC_FAILED), 0)?;
        self.a.jne(counted)?;
        self.a.sub(self.ctx_field(ctx::HEAP_LIMIT), rcx)?;
        self.bind(&mut counted)?;
        self.a.mov(rax, self.ctx_field(ctx::CONT_LINK))?;
        // `rsp` is at the return address, 8 mod 16; the procedure stays above the service.
        self.split_if_long(24)?;
        self.a.jmp(call)?;

        // Copy: room for the frames and the record, or a collection first and a new try.
        self.bind(&mut copy)?;
        let mut room = self.a.create_label();
        self.a.mov(rax, self.ctx_field(ctx::STACK_TOP))?;
        self.a.sub(rax, rsp)?;
        self.a.add(rax, record)?;
        self.a.lea(r10, qword_ptr(r14 + rax))?;
        self.a.cmp(r10, self.ctx_field(ctx::HEAP_LIMIT))?;
        self.a.jbe(room)?;
        self.a.xor(esi, esi)?;
        self.a.lea(r11, ptr(capture))?;
        self.a.jmp(self.collect_in_call)?;
        self.bind(&mut room)?;
        // The procedure waits just below the return address, outside the frames moved.
        self.a.mov(qword_ptr(rsp - 8), rdi)?;
        self.a.mov(rsi, rsp)?;
        self.capture(false)?;
        self.split_if_long(24)?;
        self.move_up_if_evacuated(rcx)?;

        self.bind(&mut call)?;
        self.a.mov(rdi, qword_ptr(rsp - 8))?;
        self.a.mov(rsp, self.ctx_field(ctx::STACK_TOP))?;
        self.a.sub(rsp, 8)?;
        self.lea_code(r10, self.control.underflow)?;
        self.a.mov(qword_ptr(rsp), r10)?;
        self.a.mov(rdx, rax)?;
        self.a.mov(esi, 1)?;
        self.a.jmp(qword_ptr(rdi + CLOSURE_CODE))?;
        Ok(())
    }

    /// The prologue's overflow path: the frames above the new frame (from its return address
    /// up) become a continuation, and the new frame (with any stack arguments in it) moves to
    /// the top of the emptied segment. The prologue's live registers are saved below the frame
    /// and restored before resuming.
    fn segment_overflow_stub(&mut self) -> Result<(), CompileError> {
        self.bind_stub(Stub::SegmentOverflow)?;
        self.a.sub(rsp, SAVE_AREA)?;
        for (i, &r) in SAVED.iter().enumerate() {
            self.a.mov(qword_ptr(rsp + 8 * i as i32), r)?;
        }
        self.a.mov(qword_ptr(rsp + SAVE_RESUME), r10)?;
        self.a.mov(qword_ptr(rsp + SAVE_FRAME_BYTES), rax)?;
        // A frame bigger than a whole segment cannot be helped.
        self.a.mov(r11, self.ctx_field(ctx::STACK_TOP))?;
        self.a.sub(r11, 8)?;
        self.a.sub(r11, rax)?;
        self.a.cmp(r11, self.ctx_field(ctx::STACK_LIMIT))?;
        self.a.jb(self.stack_overflow)?;
        // The chunk for the frames above the new frame, outside the heap.
        self.a.mov(rsi, self.ctx_field(ctx::STACK_TOP))?;
        self.a.sub(rsi, 8 + SAVE_AREA)?;
        self.a.sub(rsi, rsp)?;
        self.a.sub(rsi, rax)?;
        self.a.mov(rdi, r15)?;
        self.a.mov(self.ctx_field(ctx::HEAP_PTR), r14)?;
        self.a.sub(rsp, 8)?;
        self.a.mov(rax, self.ctx_field(ctx::SERVICES))?;
        self.a
            .call(qword_ptr(rax + svc::STACK_CHUNK_OFFSET as i32))?;
        self.a.add(rsp, 8)?;
        self.a.test(rax, rax)?;
        self.a.jz(self.out_of_memory)?;
        self.a.mov(rdi, rax)?;
        self.a.mov(rsi, qword_ptr(rsp + SAVE_FRAME_BYTES))?;
        self.a.lea(rsi, qword_ptr(rsp + rsi + SAVE_AREA))?;
        self.capture(true)?;
        // The frame is 0 mod 16 and the save area 8.
        self.split_if_long(8)?;
        self.move_up_if_evacuated(rax)?;
        // Move the frame up, from the highest word down (the two places may overlap).
        let mut copy = self.a.create_label();
        self.a.mov(rcx, qword_ptr(rsp + SAVE_FRAME_BYTES))?;
        self.a.lea(rsi, qword_ptr(rsp + SAVE_AREA))?;
        self.a.mov(rdi, self.ctx_field(ctx::STACK_TOP))?;
        self.a.sub(rdi, 8)?;
        self.a.sub(rdi, rcx)?;
        self.bind(&mut copy)?;
        self.a.sub(rcx, 8)?;
        self.a.mov(r10, qword_ptr(rsi + rcx))?;
        self.a.mov(qword_ptr(rdi + rcx), r10)?;
        self.a.jnz(copy)?;
        self.a.mov(r10, rsp)?;
        self.a.mov(rsp, rdi)?;
        for (i, &r) in SAVED.iter().enumerate() {
            self.a.mov(r, qword_ptr(r10 + 8 * i as i32))?;
        }
        self.a.jmp(qword_ptr(r10 + SAVE_RESUME))?;
        Ok(())
    }

    /// Moves the frames from `rsi` (the top frame's return address) to the bottom of the stack
    /// into a new continuation linked to `cont_link`, which becomes `cont_link`; leaves it in
    /// `rax`. The frames go to a new chunk in the heap, or with `chunk_in_rdi` to the chunk
    /// whose header `rdi` points at (`runtime::gc::chunks`). Clobbers `rcx rsi rdi r10 r11
    /// xmm0`; the stack is untouched.
    fn capture(&mut self, chunk_in_rdi: bool) -> Result<(), CompileError> {
        self.a.mov(rcx, self.ctx_field(ctx::STACK_TOP))?;
        self.a.sub(rcx, 8)?;
        self.a.sub(rcx, rsi)?;
        self.depth_check()?;
        // The chunk (header and frames), then the continuation.
        let closure = 8 * (CONTINUATION_FREE as i32 + 2);
        if chunk_in_rdi {
            self.a.mov(r11, r14)?;
            self.a.add(r14, closure)?;
        } else {
            self.a.mov(rdi, r14)?;
            self.a.lea(r14, qword_ptr(r14 + rcx + (8 + closure)))?;
            self.a.lea(r11, qword_ptr(rdi + rcx + 8))?;
        }
        self.a.cmp(r14, self.ctx_field(ctx::HEAP_LIMIT))?;
        self.a.ja(self.out_of_memory)?;
        self.fill_continuation(Some(rdi), rdi, 8)?;
        if !chunk_in_rdi {
            // The chunk's header: its length in words.
            self.a.mov(r10, rcx)?;
            self.a.shl(r10, HEADER_SHIFT - 3)?;
            self.a.or(r10, HEADER_STACK_CHUNK as i32)?;
            self.a.mov(qword_ptr(rdi), r10)?;
        }
        // Copy 16 bytes at a time, from the end (runs of frames are multiples of 16 bytes;
        // short copies are the common case, where `rep movs` starts slowly).
        let mut copy = self.a.create_label();
        let mut done = self.a.create_label();
        self.a.test(rcx, rcx)?;
        self.a.jz(done)?;
        self.bind(&mut copy)?;
        self.a.sub(rcx, 16)?;
        self.a.movups(xmm0, xmmword_ptr(rsi + rcx))?;
        self.a.movups(xmmword_ptr(rdi + rcx + 8), xmm0)?;
        self.a.jnz(copy)?;
        self.bind(&mut done)?;
        Ok(())
    }

    /// With the size of the frames being captured in `rcx` (bytes): the depth of the new chain
    /// in `rax` (a fixnum), checked against the limit, and `cont_link` in `r10`.
    fn depth_check(&mut self) -> Result<(), CompileError> {
        let mut no_link = self.a.create_label();
        self.a.mov(rax, rcx)?;
        self.a.shl(rax, FIXNUM_SHIFT)?;
        self.a.mov(r10, self.ctx_field(ctx::CONT_LINK))?;
        self.a.cmp(r10, FALSE as i32)?;
        self.a.je(no_link)?;
        self.a.add(rax, qword_ptr(r10 + k::DEPTH))?;
        self.bind(&mut no_link)?;
        self.a.cmp(rax, self.ctx_field(ctx::STACK_DEPTH_LIMIT))?;
        self.a.ja(self.control.too_deep)?;
        Ok(())
    }

    /// Fills in the continuation record allocated at `r11` (untagged), after
    /// [`Gen::depth_check`] (`rax` the depth, `r10` the link, `rcx` the size in bytes): its
    /// frames at `frames + offset`, in the chunk at `chunk` (untagged) or, for `None`, sealed
    /// in the stack. Makes it `cont_link` and leaves it in `rax`.
    fn fill_continuation(
        &mut self,
        chunk: Option<AsmRegister64>,
        frames: AsmRegister64,
        offset: i32,
    ) -> Result<(), CompileError> {
        // The continuation's words, from its untagged address.
        let word = |field: i32| field + TAG_CLOSURE as i32;
        self.a.mov(
            qword_ptr(r11),
            header(HEADER_CONTINUATION, CONTINUATION_FREE) as i32,
        )?;
        self.a.mov(qword_ptr(r11 + word(k::LINK)), r10)?;
        self.a.mov(qword_ptr(r11 + word(k::DEPTH)), rax)?;
        self.a.lea(rax, qword_ptr(frames + offset))?;
        self.a.mov(qword_ptr(r11 + word(k::FRAMES)), rax)?;
        self.a.mov(rax, rcx)?;
        self.a.shl(rax, FIXNUM_SHIFT)?;
        self.a.mov(qword_ptr(r11 + word(k::SIZE)), rax)?;
        match chunk {
            Some(chunk) => {
                self.a.lea(rax, qword_ptr(chunk + TAG_OBJECT as i32))?;
                self.a.mov(qword_ptr(r11 + word(k::CHUNK)), rax)?;
            }
            None => self.a.mov(qword_ptr(r11 + word(k::CHUNK)), FALSE as i32)?,
        }
        self.a.mov(rax, self.ctx_field(ctx::WINDERS))?;
        self.a.mov(qword_ptr(r11 + word(k::WINDERS)), rax)?;
        self.lea_code(rax, self.control.entry)?;
        self.a.mov(qword_ptr(r11 + word(CLOSURE_CODE)), rax)?;
        self.a.lea(rax, qword_ptr(r11 + TAG_CLOSURE as i32))?;
        self.a.mov(self.ctx_field(ctx::CONT_LINK), rax)?;
        Ok(())
    }

    /// For a moment when the stack is empty: if the collector has evacuated every sealed frame
    /// (`seals_evacuated`), the stack starts again at `segment_top` (with the underflow word
    /// below it). Clobbers `r11` and `scratch`.
    fn move_up_if_evacuated(&mut self, scratch: AsmRegister64) -> Result<(), CompileError> {
        let mut stay = self.a.create_label();
        self.a.cmp(self.ctx_field(ctx::SEALS_EVACUATED), 0)?;
        self.a.je(stay)?;
        self.a.mov(r11, self.ctx_field(ctx::SEGMENT_TOP))?;
        self.a.mov(self.ctx_field(ctx::STACK_TOP), r11)?;
        self.lea_code(scratch, self.control.underflow)?;
        self.a.mov(qword_ptr(r11 - 8), scratch)?;
        self.a.sub(r11, k::SEGMENT_SIZE as i32)?;
        self.a.mov(self.ctx_field(ctx::STACK_LIMIT), r11)?;
        self.bind(&mut stay)?;
        Ok(())
    }

    /// After [`Gen::capture`]: if the continuation in `rax` holds more than a piece of frames,
    /// has the runtime split it (`runtime::continuation::split_service`) so that reinstating
    /// it copies a bounded amount. `pad` realigns `rsp` for the call. Keeps `rax`; clobbers
    /// every other scratch and argument register.
    fn split_if_long(&mut self, pad: i32) -> Result<(), CompileError> {
        let mut short = self.a.create_label();
        self.a.cmp(
            qword_ptr(rax + k::SIZE),
            fixnum(k::PIECE_SIZE as i64) as i32,
        )?;
        self.a.jbe(short)?;
        self.a.sub(rsp, pad)?;
        self.a.mov(rdi, r15)?;
        self.a.mov(rsi, rax)?;
        self.a.mov(self.ctx_field(ctx::HEAP_PTR), r14)?;
        self.a.mov(rax, self.ctx_field(ctx::SERVICES))?;
        self.a
            .call(qword_ptr(rax + svc::SPLIT_CONTINUATION_OFFSET as i32))?;
        self.a.mov(r14, self.ctx_field(ctx::HEAP_PTR))?;
        self.a.add(rsp, pad)?;
        self.a.mov(rax, self.ctx_field(ctx::CONT_LINK))?;
        self.bind(&mut short)?;
        Ok(())
    }

    /// Copies the frames of the continuation in `r10` onto the stack, ending just below the
    /// underflow word, makes its link `cont_link`, and points `rsp` at the top frame's return
    /// address. Clobbers `rax rdi r10 r11 xmm0`; the stack's previous contents are discarded
    /// (and when nothing sealed is referenced any more, the stack moves back up first).
    fn reinstate(&mut self) -> Result<(), CompileError> {
        self.move_up_if_evacuated(rax)?;
        self.reinstate_here()
    }

    /// [`Gen::reinstate`] where the stack is now.
    fn reinstate_here(&mut self) -> Result<(), CompileError> {
        let mut done = self.a.create_label();
        let mut copy = self.a.create_label();
        self.a.mov(r11, qword_ptr(r10 + k::LINK))?;
        self.a.mov(self.ctx_field(ctx::CONT_LINK), r11)?;
        self.a.mov(r11, qword_ptr(r10 + k::SIZE))?;
        self.a.sar(r11, FIXNUM_SHIFT)?;
        self.a.mov(rdi, self.ctx_field(ctx::STACK_TOP))?;
        self.a.sub(rdi, 8)?;
        self.a.sub(rdi, r11)?;
        self.a.mov(rax, qword_ptr(r10 + k::FRAMES))?;
        self.a.test(r11, r11)?;
        self.a.jz(done)?;
        self.bind(&mut copy)?;
        self.a.sub(r11, 16)?;
        self.a.movups(xmm0, xmmword_ptr(rax + r11))?;
        self.a.movups(xmmword_ptr(rdi + r11), xmm0)?;
        self.a.jnz(copy)?;
        self.bind(&mut done)?;
        self.a.mov(rsp, rdi)?;
        Ok(())
    }
}
