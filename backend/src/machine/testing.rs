//! Test fixtures: machine code written with iced-x86's assembler, virtual-register moves
//! recorded as instruction selection records them.

use super::{ClauseFrame, Move, Procedure, Recorder, VOperands, VReg, VRegInfo};
use iced_x86::Instruction;
use iced_x86::code_asm::*;

/// An assembler and its recorder; every virtual register belongs to one clause of 9 slots
/// whose first 4 are fixed.
pub struct Builder {
    pub a: CodeAssembler,
    pub r: Recorder,
}

impl Builder {
    pub fn new() -> Builder {
        let mut r = Recorder::default();
        r.clause(ClauseFrame {
            bound: 9,
            first_slot: 4,
        });
        Builder {
            a: CodeAssembler::new(64).unwrap(),
            r,
        }
    }

    pub fn vreg(&mut self) -> VReg {
        self.r.vreg(VRegInfo {
            clause: 0,
            fixed_slot: None,
        })
    }

    pub fn def(&mut self, v: VReg, src: AsmRegister64) {
        let m = Move::Def {
            dst: v,
            src: src.into(),
        };
        self.r.moves.insert(self.a.instructions().len(), Some(m));
        self.a.mov(src, src).unwrap();
    }

    pub fn use_(&mut self, dst: AsmRegister64, v: VReg) {
        let m = Move::Use {
            dst: dst.into(),
            src: v,
        };
        self.r.moves.insert(self.a.instructions().len(), Some(m));
        self.a.mov(dst, dst).unwrap();
    }

    /// An instruction with virtual-register operands (built with the placeholders).
    pub fn uses(&mut self, ins: Instruction, uses: VOperands) {
        self.r
            .operands
            .insert(self.a.instructions().len(), Some(uses));
        self.a.add_instruction(ins).unwrap();
    }

    /// A call of a runtime service (which preserves the allocator's registers).
    pub fn service_call(&mut self) {
        self.r
            .preserving_calls
            .insert(self.a.instructions().len(), true);
        self.a.call(qword_ptr(rax + 8)).unwrap();
    }

    /// The whole code as one procedure, given to `f`.
    pub fn procedure<T>(mut self, f: impl FnOnce(&Procedure) -> T) -> T {
        let code: Vec<Instruction> = self.a.take_instructions();
        let range = 0..code.len();
        self.r.procedures.push(range.clone());
        f(&Procedure {
            code: &code,
            range: &range,
            recorder: &self.r,
        })
    }
}
