//! Tests of the code generator: the encoding of a small program (a disassembly snapshot) and an
//! independent check of the frame allocation over every end-to-end test program — read back
//! from the machine code, not from the allocator's own bookkeeping.

use super::compile;
use crate::image::Image;
use expect_test::{Expect, expect};
use iced_x86::{
    Decoder, DecoderOptions, Formatter, Instruction, IntelFormatter, Mnemonic, OpKind, Register,
};
use ir::lang::core_scheme;
use ir::nanopass::Ir;
use passes::pipeline::{self, Quiet, Run};

fn image_of(text: &str) -> Image {
    let tree = core_scheme::Tree::parse(text).expect("parses");
    let lowered = pipeline::run(tree, &mut Run::new(&mut Quiet)).expect("the pipeline runs");
    compile(&lowered).expect("compiles")
}

fn instructions(image: &Image, symbol: &str) -> Vec<Instruction> {
    let symbol = image
        .symbols
        .iter()
        .find(|s| s.name == symbol)
        .unwrap_or_else(|| panic!("no symbol {symbol}"));
    let start = symbol.offset as usize;
    let bytes = &image.code[start..start + symbol.size as usize];
    let mut decoder = Decoder::with_ip(64, bytes, symbol.offset, DecoderOptions::NONE);
    decoder.iter().collect()
}

fn check_disassembly(text: &str, symbol: &str, expected: Expect) {
    let image = image_of(text);
    let mut formatter = IntelFormatter::new();
    let mut out = String::new();
    for instruction in instructions(&image, symbol) {
        let mut line = String::new();
        formatter.format(&instruction, &mut line);
        out.push_str(&line);
        out.push('\n');
    }
    expected.assert_eq(&out);
}

#[test]
fn a_procedure_checks_its_arguments_and_stack_then_adds() {
    check_disassembly(
        "(program (lambda (x) ((primitive +) x (quote 1))))",
        "scheme:lambda",
        expect![[r#"
            cmp esi,1
            jne short 00000000000000F1h
            sub rsp,48h
            cmp rsp,[r15+18h]
            jb 0000000000000029h
            mov [rsp+40h],rdx
            mov [rsp+38h],rdi
            mov rax,[rsp+40h]
            test al,7
            jne short 00000000000000F7h
            mov r10d,8
            add rax,r10
            jo short 000000000000010Bh
            add rsp,48h
            ret
            shl rsi,3
            jmp short 000000000000011Fh
            mov rcx,rax
            mov esi,1
            lea rdx,[r15+8Bh]
            jmp 000000000000004Dh
            mov rcx,r10
            mov esi,2
            lea rdx,[r15+8Bh]
            jmp 000000000000004Dh
            mov rcx,rsi
            mov esi,3
            lea rdx,[r15+0BBh]
            jmp 000000000000004Dh
        "#]],
    );
}

#[test]
fn call_with_values_marks_its_return_point_and_calls_the_consumer_in_place() {
    // After the producer's call: the marker `test eax, imm32` holding the offset to the
    // multiple-value entry (the `mov rdi` 13 bytes on), then the single-value path; the
    // consumer is tail-called with the values where they arrived.
    check_disassembly(
        "(program (lambda (p c) ((primitive call-with-values) p c)))",
        "scheme:lambda",
        expect![[r#"
            cmp esi,2
            jne short 000000000000013Ah
            sub rsp,58h
            cmp rsp,[r15+18h]
            jb 0000000000000029h
            mov [rsp+50h],rdx
            mov [rsp+48h],rcx
            mov [rsp+40h],rdi
            mov rdi,[rsp+50h]
            mov eax,edi
            and eax,7
            cmp eax,2
            jne short 0000000000000140h
            xor esi,esi
            call qword ptr [rdi+6]
            test eax,0Dh
            mov rdx,rax
            mov esi,1
            mov rdi,[rsp+48h]
            mov eax,edi
            and eax,7
            cmp eax,2
            jne short 0000000000000152h
            lea rax,[rsi-4]
            test rax,rax
            jle short 0000000000000133h
            xor r11d,r11d
            mov r10,[rsp+r11*8-10h]
            mov [rsp+r11*8+50h],r10
            dec r11
            dec rax
            jne short 0000000000000121h
            add rsp,58h
            jmp qword ptr [rdi+6]
            shl rsi,3
            jmp short 0000000000000164h
            mov rcx,rdi
            mov esi,4
            mov edx,6
            jmp 000000000000004Dh
            mov rcx,rdi
            mov esi,4
            mov edx,6
            jmp 000000000000004Dh
            mov rcx,rsi
            mov esi,3
            lea rdx,[r15+9Bh]
            jmp 000000000000004Dh
        "#]],
    );
}

/// Every `[rsp + d]` access inside a clause must fall inside the clause's frame (below the
/// return address) and be word-aligned; the frame size is read from the prologue's
/// `sub rsp, 8S`. This checks the slot allocation without trusting `Frame`.
fn check_frames(image: &Image) -> Result<usize, String> {
    let mut checked = 0;
    for symbol in image
        .symbols
        .iter()
        .filter(|s| s.name.starts_with("scheme:"))
    {
        let mut frame: Option<i64> = None;
        for instruction in instructions(image, &symbol.name) {
            if instruction.mnemonic() == Mnemonic::Sub
                && instruction.op0_register() == Register::RSP
                && matches!(
                    instruction.op1_kind(),
                    OpKind::Immediate8to64 | OpKind::Immediate32to64
                )
            {
                frame = Some(instruction.immediate(1) as i64);
                continue;
            }
            if instruction.mnemonic() == Mnemonic::Add
                && instruction.op0_register() == Register::RSP
            {
                continue;
            }
            let uses_rsp_slot = (0..instruction.op_count())
                .any(|i| instruction.op_kind(i) == OpKind::Memory)
                && instruction.memory_base() == Register::RSP
                && instruction.memory_index() == Register::None;
            if !uses_rsp_slot {
                continue;
            }
            let disp = instruction.memory_displacement64() as i64;
            if disp < 0 {
                // Outgoing arguments and scratch below rsp.
                continue;
            }
            let Some(size) = frame else {
                return Err(format!("{}: {instruction} before any frame", symbol.name));
            };
            if disp % 8 != 0 || disp >= size {
                return Err(format!(
                    "{}: {instruction} is outside the frame of {size} bytes",
                    symbol.name
                ));
            }
            checked += 1;
        }
    }
    Ok(checked)
}

#[test]
fn every_slot_access_of_every_test_program_is_inside_its_frame() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/programs");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).expect("tests/programs exists") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "sexp") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let image = image_of(&text);
        checked += check_frames(&image).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    assert!(checked > 500, "only {checked} slot accesses were checked");
}

#[test]
fn the_frame_checker_catches_an_access_past_the_frame() {
    use iced_x86::code_asm::*;
    let mut a = CodeAssembler::new(64).unwrap();
    a.sub(rsp, 24).unwrap();
    a.mov(rax, qword_ptr(rsp + 24)).unwrap();
    let code = a.assemble(0).unwrap();
    let image = Image {
        symbols: vec![crate::image::Symbol {
            name: "scheme:bad".into(),
            section: crate::image::Section::Code,
            offset: 0,
            size: code.len() as u64,
        }],
        code,
        ..Image::default()
    };
    assert!(check_frames(&image).is_err());
}
