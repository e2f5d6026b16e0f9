//! Tiny hand-assembled programs for the executable and in-process tests.
//!
//! Each is an [`Image`] as the code generator will produce them: data first,
//! code assembled with iced-x86 at [`Image::code_offset`], the runtime reached
//! only through the services table whose address arrives in `rdi`.

#![allow(dead_code)] // Each test file uses a different subset.

use backend::{Image, Location, Reloc, Section, Symbol, code_offset};
use iced_x86::code_asm::*;
use iced_x86::{Code, Instruction, MemoryOperand, Register};
use runtime::services::{EXIT_OFFSET, WRITE_OFFSET};

pub const HELLO: &str = "hello from loko\n";

/// How the program finds its message.
#[derive(Clone, Copy)]
pub enum Addressing {
    /// `lea rsi, [rip + message]`: the fixed distance from code to data.
    RipRelative,
    /// `mov rsi, [rip + slot]`, where `slot` in the data holds the message's
    /// absolute address, stored by a relocation.
    ThroughRelocatedPointer,
}

/// What the program does after writing.
#[derive(Clone, Copy)]
pub enum Ending {
    /// Calls services.exit(status).
    Exit(i32),
    /// Returns `value` from the entry.
    Return(u64),
}

/// A program that writes `message` to fd `fd` and then ends as told.
pub fn program(message: &str, fd: i32, addressing: Addressing, ending: Ending) -> Image {
    // Data: the message, padded to 8, then a pointer slot.
    let mut data = message.as_bytes().to_vec();
    data.resize(data.len().next_multiple_of(8), 0);
    let slot = data.len() as u64;
    data.extend_from_slice(&[0; 8]);
    let code_ip = code_offset(data.len());

    let assemble = || -> Result<Vec<u8>, IcedError> {
        let mut a = CodeAssembler::new(64)?;
        // Entry: rsp ≡ 8 (mod 16). One push realigns it for calls.
        a.push(rbx)?;
        a.mov(rbx, rdi)?; // the services table, callee-saved
        a.mov(edi, fd)?;
        let (code, target) = match addressing {
            Addressing::RipRelative => (Code::Lea_r64_m, 0),
            Addressing::ThroughRelocatedPointer => (Code::Mov_r64_rm64, slot),
        };
        // With base RIP, iced takes the absolute target address (here in
        // the image's own address space, data at 0) and encodes the distance.
        a.add_instruction(Instruction::with2(
            code,
            Register::RSI,
            MemoryOperand::with_base_displ(Register::RIP, target as i64),
        )?)?;
        a.mov(edx, message.len() as u32)?;
        a.call(qword_ptr(rbx + WRITE_OFFSET))?;
        match ending {
            Ending::Exit(status) => {
                a.mov(edi, status)?;
                a.call(qword_ptr(rbx + EXIT_OFFSET))?;
                a.ud2()?;
            }
            Ending::Return(value) => {
                a.mov(rax, value)?;
                a.pop(rbx)?;
                a.ret()?;
            }
        }
        a.assemble(code_ip)
    };
    let code = assemble().expect("the test program assembles");
    let code_len = code.len() as u64;
    Image {
        code,
        data,
        entry: 0,
        symbols: vec![
            Symbol {
                name: "scheme:hello".into(),
                section: Section::Code,
                offset: 0,
                size: code_len,
            },
            Symbol {
                name: "scheme:message".into(),
                section: Section::Data,
                offset: 0,
                size: message.len() as u64,
            },
        ],
        relocs: vec![Reloc {
            at: Location {
                section: Section::Data,
                offset: slot,
            },
            target: Location {
                section: Section::Data,
                offset: 0,
            },
        }],
        roots: 0..0,
    }
}
