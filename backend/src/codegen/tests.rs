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
            jne 0000000000000A21h
            sub rsp,8
            cmp rsp,[r15+18h]
            jb 0000000000000A27h
            mov rbx,rdx
            mov rax,rbx
            test al,7
            jne short 000000000000090Fh
            add rax,8
            jo 00000000000009A3h
            add rsp,8
            ret
            mov rax,rbx
            mov r10d,8
            test al,7
            jne short 000000000000092Ah
            mov r11,rax
            sar r11,3
            cvtsi2sd xmm0,r11
            jmp short 0000000000000942h
            mov r11d,eax
            and r11d,7
            cmp r11d,3
            jne short 00000000000009ACh
            cmp byte ptr [rax-3],57h
            jne short 00000000000009ACh
            movsd xmm0,[rax+5]
            test r10b,7
            jne short 0000000000000956h
            mov r11,r10
            sar r11,3
            cvtsi2sd xmm1,r11
            jmp short 0000000000000970h
            mov r11d,r10d
            and r11d,7
            cmp r11d,3
            jne short 00000000000009ACh
            cmp byte ptr [r10-3],57h
            jne short 00000000000009ACh
            movsd xmm1,[r10+5]
            addsd xmm0,xmm1
            lea r11,[r14+10h]
            cmp r11,[r15+10h]
            ja short 00000000000009ACh
            mov r11,r14
            add r14,10h
            mov rax,157h
            mov [r11],rax
            movsd [r11+8],xmm0
            lea rax,[r11+3]
            jmp 000000000000090Ah
            jmp short 00000000000009ACh
            mov rax,rbx
            mov r10d,8
            nop
            mov [r15+0D8h],rax
            mov [r15+0E0h],r10
            mov rdx,rax
            mov rcx,r10
            mov rdi,r15
            mov esi,0
            lea r8,[r15+20Bh]
            mov [r15+8],r14
            mov rax,[r15]
            call qword ptr [rax+58h]
            mov r14,[r15+8]
            cmp rax,3Eh
            jne short 0000000000000A1Ch
            mov qword ptr [r15+0D0h],6
            mov qword ptr [r15+0F8h],2
            mov rsi,[r15+0C8h]
            call 000000000000003Ch
            test eax,eax
            jne short 0000000000000A57h
            mov rax,[r15+0D8h]
            mov r10,[r15+0E0h]
            jmp short 00000000000009ADh
            jmp 000000000000090Ah
            shl rsi,3
            jmp short 0000000000000A6Bh
            lea r10,[r14+40h]
            cmp r10,[r15+10h]
            jbe short 0000000000000A46h
            mov eax,40h
            add rsp,8
            lea r11,[8E6h]
            jmp 0000000000000065h
            mov eax,8
            lea r10,[8F4h]
            jmp 0000000000000507h
            mov ecx,6
            mov esi,6
            mov edx,6
            jmp 000000000000011Fh
            mov rcx,rsi
            mov esi,3
            lea rdx,[r15+23Bh]
            jmp 000000000000011Fh
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
            jne short 0000000000000953h
            sub rsp,8
            cmp rsp,[r15+18h]
            jb short 0000000000000959h
            mov rbx,rdx
            mov [rsp],rcx
            mov rdi,rbx
            mov eax,edi
            and eax,7
            cmp eax,2
            jne 0000000000000989h
            xor esi,esi
            call qword ptr [rdi+6]
            test eax,0Dh
            mov rdx,rax
            mov esi,1
            mov rdi,[rsp]
            mov eax,edi
            and eax,7
            cmp eax,2
            jne short 000000000000099Bh
            lea rax,[rsi-4]
            test rax,rax
            jle short 000000000000094Ch
            xor r11d,r11d
            mov r10,[rsp+r11*8-10h]
            mov [rsp+r11*8],r10
            dec r11
            dec rax
            jne short 000000000000093Ah
            add rsp,8
            jmp qword ptr [rdi+6]
            shl rsi,3
            jmp short 00000000000009ADh
            lea r10,[r14+40h]
            cmp r10,[r15+10h]
            jbe short 0000000000000978h
            mov eax,40h
            add rsp,8
            lea r11,[8E2h]
            jmp 0000000000000065h
            mov eax,8
            lea r10,[8ECh]
            jmp 0000000000000507h
            mov rcx,rdi
            mov esi,4
            mov edx,6
            jmp 000000000000011Fh
            mov rcx,rdi
            mov esi,4
            mov edx,6
            jmp 000000000000011Fh
            mov rcx,rsi
            mov esi,3
            lea rdx,[r15+21Bh]
            jmp 000000000000011Fh
        "#]],
    );
}

/// Every `[rsp + d]` access inside a clause must fall inside the clause's frame (below the
/// return address) and be word-aligned; the frame size is read from the prologue's
/// `sub rsp, 8S`. This checks the slot allocation without trusting `Frame` or the allocator.
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
    // Fewer than one per instruction that touches a value: most values live in registers.
    assert!(checked > 300, "only {checked} slot accesses were checked");
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

/// The frame table's entries, decoded from the image: return offset, size, live slots.
fn frame_table(image: &Image) -> Vec<(u64, usize, Vec<usize>)> {
    use runtime::gc::frames::{ENTRY_SIZE, INLINE_BITS};
    let symbol = image
        .symbols
        .iter()
        .find(|s| s.name == "loko:frame_table")
        .expect("a frame table");
    let table = &image.code[symbol.offset as usize..(symbol.offset + symbol.size) as usize];
    let word = |at: usize| u64::from_le_bytes(table[at..at + 8].try_into().unwrap());
    let count = u64::from_le_bytes(
        image.data[runtime::context::FRAME_COUNT as usize..][..8]
            .try_into()
            .unwrap(),
    ) as usize;
    (0..count)
        .map(|k| {
            let at = k * ENTRY_SIZE;
            let ret = u32::from_le_bytes(table[at..at + 4].try_into().unwrap()) as u64;
            let size = u32::from_le_bytes(table[at + 4..at + 8].try_into().unwrap()) as usize;
            let bits = word(at + 8);
            let live = (0..size)
                .filter(|&i| {
                    if size as u32 <= INLINE_BITS {
                        bits >> i & 1 == 1
                    } else {
                        word(bits as usize + 8 * (i / 64)) >> (i % 64) & 1 == 1
                    }
                })
                .collect();
            (ret, size, live)
        })
        .collect()
}

/// Checks the frame table against the machine code: every `call` in a procedure has an entry
/// for its return address whose size is the one the clause's prologue allocated, and every
/// slot it calls live was either stored to earlier in the clause or is never stored to in it
/// (a stack parameter, which the caller stores).
fn check_frame_table(image: &Image) -> Result<usize, String> {
    let table: std::collections::HashMap<u64, (usize, Vec<usize>)> = frame_table(image)
        .into_iter()
        .map(|(ret, size, live)| (ret, (size, live)))
        .collect();
    let mut checked = 0;
    for symbol in image
        .symbols
        .iter()
        .filter(|s| s.name.starts_with("scheme:"))
    {
        // Split the procedure into clauses at each prologue's `sub rsp, 8S`.
        let mut clauses: Vec<(usize, Vec<Instruction>)> = Vec::new();
        for instruction in instructions(image, &symbol.name) {
            if instruction.mnemonic() == Mnemonic::Sub
                && instruction.op0_register() == Register::RSP
                && instruction.op1_kind() != OpKind::Register
            {
                clauses.push((instruction.immediate(1) as usize / 8, Vec::new()));
            }
            if let Some((_, body)) = clauses.last_mut() {
                body.push(instruction);
            }
        }
        for (size, body) in clauses {
            let stored_slot = |instruction: &Instruction| {
                let stores = instruction.op0_kind() == OpKind::Memory
                    && instruction.memory_base() == Register::RSP
                    && instruction.memory_index() == Register::None
                    && instruction.mnemonic() == Mnemonic::Mov;
                let disp = instruction.memory_displacement64() as i64;
                (stores && disp >= 0).then(|| size - 1 - disp as usize / 8)
            };
            let ever_stored: std::collections::HashSet<usize> =
                body.iter().filter_map(stored_slot).collect();
            let mut stored = std::collections::HashSet::new();
            for instruction in &body {
                if let Some(slot) = stored_slot(instruction) {
                    stored.insert(slot);
                }
                if instruction.mnemonic() != Mnemonic::Call {
                    continue;
                }
                let ret = instruction.next_ip();
                let Some((entry_size, live)) = table.get(&ret) else {
                    return Err(format!(
                        "{}: no entry for the call at {ret:#x}",
                        symbol.name
                    ));
                };
                if *entry_size != size {
                    return Err(format!(
                        "{}: entry of {entry_size} slots for a frame of {size}",
                        symbol.name
                    ));
                }
                for &slot in live {
                    if ever_stored.contains(&slot) && !stored.contains(&slot) {
                        return Err(format!(
                            "{}: slot {slot} is live at {ret:#x} before any store to it",
                            symbol.name
                        ));
                    }
                }
                checked += 1;
            }
        }
    }
    Ok(checked)
}

#[test]
fn every_call_of_every_test_program_has_a_frame_table_entry() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/programs");
    let mut checked = 0;
    for entry in std::fs::read_dir(dir).expect("tests/programs exists") {
        let path = entry.expect("an entry").path();
        if path.extension().is_none_or(|e| e != "sexp") {
            continue;
        }
        let text = std::fs::read_to_string(&path).expect("readable");
        let image = image_of(&text);
        checked += check_frame_table(&image).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
    assert!(checked > 100, "only {checked} calls were checked");
}

#[test]
fn the_frame_table_lists_the_slots_allocated_at_each_call() {
    // (f x (g y)): at the call of g, only f and x are live (in slots 0 and 1; the clause
    // has no apply slots, and the frame shrinks to 3 slots): g and y have been loaded for
    // the call, and the closure pointer is never used; at the call of f, nothing is (its
    // value is discarded, then 0 returned).
    let image = image_of("(program (lambda (f g x y) (begin (f x (g y)) (quote 0))))");
    let table: Vec<String> = frame_table(&image)
        .into_iter()
        .map(|(_, size, live)| format!("{size} {live:?}\n"))
        .collect();
    expect![[r#"
        1 []
        3 [0, 1]
        3 []
    "#]]
    .assert_eq(&table.concat());
}
