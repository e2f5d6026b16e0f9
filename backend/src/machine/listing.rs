//! The machine level as text, for `loko --dump-ir`: the stages `select` (instruction
//! selection's output: amd64 instructions in Intel syntax, `v12` for virtual registers),
//! `allocate` (each virtual register's home, each clause's frame size, the lowered code with
//! the live slots at each call) and `encode` (the encoded bytes, disassembled).
//!
//! Labels print as `L<id>:` and branch targets as `L<id>`, the ids iced-x86 gave them; a
//! call is marked with what it preserves: a runtime service or the collector's stub keeps
//! the allocator's registers, any other call (a Scheme procedure) clobbers every register.

use super::lower::Lowered;
use super::regalloc::{Home, REGISTERS};
use super::{
    Flow, Inst, Move, PLACEHOLDER_8, PLACEHOLDER_32, Procedure, Recorder, VOperands, VReg, flow,
};
use iced_x86::{
    Decoder, DecoderOptions, Formatter, FormatterOutput, FormatterTextKind, Instruction,
    IntelFormatter, OpKind, SymbolResolver, SymbolResult,
};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::ops::Range;

/// A stage of the machine level, for `loko --passes`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StageInfo {
    pub name: &'static str,
    pub doc: &'static str,
    pub input: &'static str,
    pub output: &'static str,
}

pub const SELECT: &str = "select";
pub const ALLOCATE: &str = "allocate";
pub const ENCODE: &str = "encode";

/// The backend's stages, after the tree passes (whose last language is `ExplicitTails`).
pub const STAGES: [StageInfo; 3] = [
    StageInfo {
        name: SELECT,
        doc: "Instruction selection: amd64 instructions, variables in virtual registers.",
        input: "ExplicitTails",
        output: "Machine",
    },
    StageInfo {
        name: ALLOCATE,
        doc: "Liveness and register allocation: registers and frame slots, frame sizes, live slots at calls.",
        input: "Machine",
        output: "Machine",
    },
    StageInfo {
        name: ENCODE,
        doc: "Encoding with iced-x86: the machine code of each procedure.",
        input: "Machine",
        output: "amd64",
    },
];

/// The text of the three stages of one compiled unit.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Listing {
    pub select: String,
    pub allocate: String,
    pub encode: String,
}

/// Names the labels that RIP-relative memory operands refer to before encoding (iced-x86
/// keeps the label's id as the operand's address), as `L<id>`.
struct RipLabels;

impl SymbolResolver for RipLabels {
    fn symbol(
        &mut self,
        instruction: &Instruction,
        _operand: u32,
        instruction_operand: Option<u32>,
        address: u64,
        _address_size: u32,
    ) -> Option<SymbolResult<'_>> {
        let k = instruction_operand?;
        let rip = instruction.op_kind(k) == OpKind::Memory
            && instruction.memory_base() == iced_x86::Register::RIP;
        rip.then(|| SymbolResult::with_string(address, label(address)))
    }
}

/// A branch or RIP-relative target before encoding: a label id (`L<id>`), or what a
/// placeholder the link step resolves stands for (a shared stub by its symbol's name).
fn label(target: u64) -> String {
    match crate::link::decode_code(target) {
        Some(crate::link::Target::Stub(stub)) => stub.name().to_owned(),
        Some(crate::link::Target::Body(n)) => format!("loko:body{n}"),
        Some(_) => "loko:context".to_owned(),
        None => format!("L{target}"),
    }
}

/// A formatter for code before encoding: labels by id.
pub fn unencoded_formatter() -> IntelFormatter {
    IntelFormatter::with_options(Some(Box::new(RipLabels)), None)
}

/// One instruction in Intel syntax, branch targets as labels.
fn instruction(formatter: &mut IntelFormatter, ins: &Instruction) -> String {
    if ins.op_count() == 1 && ins.op0_kind() == OpKind::NearBranch64 {
        let mnemonic = format!("{:?}", ins.mnemonic()).to_lowercase();
        return format!("{mnemonic} {}", label(ins.near_branch_target()));
    }
    let mut text = String::new();
    formatter.format(ins, &mut text);
    text
}

/// An instruction with virtual-register operands, each named `v12` (`v12:32`, `v12:8` for its
/// low 32 or 8 bits) in place of its placeholder.
fn with_vregs(formatter: &mut IntelFormatter, ins: &Instruction, uses: VOperands) -> String {
    struct Named {
        text: String,
        uses: VOperands,
    }
    impl FormatterOutput for Named {
        fn write(&mut self, text: &str, _: FormatterTextKind) {
            self.text.push_str(text);
        }

        fn write_register(
            &mut self,
            ins: &Instruction,
            _: u32,
            operand: Option<u32>,
            text: &str,
            register: iced_x86::Register,
        ) {
            let name = |v: VReg| match register {
                PLACEHOLDER_32 => format!("{v}:32"),
                PLACEHOLDER_8 => format!("{v}:8"),
                _ => v.to_string(),
            };
            match (operand, self.uses.operand, self.uses.base) {
                (Some(k), Some((j, v)), _) if k == j => self.text.push_str(&name(v)),
                (Some(k), _, Some((v, _)))
                    if ins.op_kind(k) == OpKind::Memory && register == ins.memory_base() =>
                {
                    self.text.push_str(&v.to_string())
                }
                _ => self.text.push_str(text),
            }
        }
    }
    let mut out = Named {
        text: String::new(),
        uses,
    };
    formatter.format(ins, &mut out);
    out.text
}

fn register(r: iced_x86::Register) -> String {
    format!("{r:?}").to_lowercase()
}

/// One line of code, with an optional comment aligned after it.
fn line(out: &mut String, label: Option<u64>, text: &str, comment: &str) {
    if let Some(id) = label {
        let _ = writeln!(out, "L{id}:");
    }
    if comment.is_empty() {
        let _ = writeln!(out, "    {text}");
    } else {
        let _ = writeln!(out, "    {text:<32} ; {comment}");
    }
}

/// What a call preserves, as its comment.
fn call_comment(preserving: bool) -> String {
    if preserving {
        let regs: Vec<String> = REGISTERS.iter().map(|&r| register(r)).collect();
        format!("preserves {}", regs.join(" "))
    } else {
        "preserves nothing".to_owned()
    }
}

/// The `select` stage: each procedure's instructions as instruction selection left them.
pub fn selected(code: &[Instruction], recorder: &Recorder, names: &[String]) -> String {
    let mut out = String::new();
    let mut formatter = unencoded_formatter();
    for (range, name) in recorder.procedures.iter().zip(names) {
        let p = Procedure {
            code,
            range,
            recorder,
        };
        let _ = writeln!(out, ";; {name}");
        let mut stack_parameters = Vec::new();
        for v in mentioned(&p) {
            if let Some(slot) = recorder.vregs[v as usize].fixed_slot {
                stack_parameters.push(format!("v{v} slot {slot}"));
            }
        }
        if !stack_parameters.is_empty() {
            let _ = writeln!(out, ";; stack parameters: {}", stack_parameters.join(", "));
        }
        body(&mut out, &mut formatter, &p);
        out.push('\n');
    }
    out
}

/// The instructions of `p`, one a line, with their comments.
pub fn body(out: &mut String, formatter: &mut IntelFormatter, p: &Procedure) {
    for i in 0..p.len() {
        let at = p.range.start + i;
        let (text, mut comment) = match p.inst(i) {
            Inst::Move(Move::Def { dst, src }) => (format!("mov {dst}, {}", register(src)), ""),
            Inst::Move(Move::Use { dst, src }) => (format!("mov {}, {src}", register(dst)), ""),
            Inst::Fixed(ins) => (instruction(formatter, ins), ""),
            Inst::Uses(ins, uses) => (with_vregs(formatter, ins, uses), ""),
        };
        let call;
        if let Inst::Fixed(ins) = p.inst(i)
            && flow(ins) == Flow::Call
        {
            call = call_comment(p.preserving_call(i));
            comment = &call;
        } else if p.recorder.frame_relative.get(at).is_some() {
            comment = "relative to the frame's top";
        }
        line(out, p.label(i), &text, comment);
    }
}

/// The virtual registers a procedure mentions, in order.
fn mentioned(p: &Procedure) -> BTreeSet<u32> {
    (0..p.len())
        .flat_map(|i| p.inst(i).vregs().map(|v| v.0))
        .collect()
}

/// The `allocate` stage: for each procedure, its clauses' frame sizes, each virtual
/// register's home, and the lowered code with the live slots after each call.
pub fn allocated(lowered: &Lowered, recorder: &Recorder, names: &[String]) -> String {
    let mut out = String::new();
    let mut formatter = unencoded_formatter();
    for (procedure, name) in lowered.procedures.iter().zip(names) {
        let _ = writeln!(out, ";; {name}");
        let clauses: BTreeSet<u32> = procedure.clauses.iter().copied().collect();
        let sizes: Vec<String> = clauses
            .iter()
            .map(|&c| match lowered.frame_sizes[c as usize] {
                1 => "1 slot".to_owned(),
                n => format!("{n} slots"),
            })
            .collect();
        if !sizes.is_empty() {
            let _ = writeln!(out, ";; frame: {}", sizes.join(", "));
        }
        let homes: Vec<String> = procedure
            .homes
            .iter()
            .map(|(v, home)| match *home {
                Home {
                    reg: Some(r),
                    slot: Some(s),
                } => format!("{v} {} (saved in slot {s})", register(r)),
                Home {
                    reg: Some(r),
                    slot: None,
                } => format!("{v} {}", register(r)),
                Home {
                    reg: None,
                    slot: Some(s),
                } => format!("{v} slot {s}"),
                Home {
                    reg: None,
                    slot: None,
                } => format!("{v} unused"),
            })
            .collect();
        if !homes.is_empty() {
            let _ = writeln!(out, ";; homes: {}", homes.join(", "));
        }
        let mut calls = procedure.calls.iter().peekable();
        for at in procedure.range.clone() {
            let ins = &lowered.code[at];
            let mut comment = String::new();
            while let Some(&&(call_at, input_at)) = calls.peek() {
                if call_at > at {
                    break;
                }
                calls.next();
                if call_at == at {
                    let preserving = recorder.preserving_calls.get(input_at);
                    let live = lowered.live_slots.get(&input_at);
                    let slots: Vec<String> =
                        live.into_iter().flatten().map(|s| s.to_string()).collect();
                    comment = format!(
                        "{}; live slots [{}]",
                        call_comment(preserving),
                        slots.join(" ")
                    );
                }
            }
            let label = (ins.ip() != 0).then_some(ins.ip());
            line(&mut out, label, &instruction(&mut formatter, ins), &comment);
        }
        out.push('\n');
    }
    out
}

/// The `encode` stage: each named procedure's bytes at its offset in the code section,
/// disassembled.
pub fn encoded(code: &[u8], procedures: &[(String, Range<u64>)]) -> String {
    let mut out = String::new();
    let mut formatter = IntelFormatter::new();
    for (name, range) in procedures {
        let _ = writeln!(out, ";; {name}");
        let Some(bytes) = code.get(range.start as usize..range.end as usize) else {
            continue;
        };
        let decoder = Decoder::with_ip(64, bytes, range.start, DecoderOptions::NONE);
        for ins in decoder {
            let offset = (ins.ip() - range.start) as usize;
            let hex: String = bytes[offset..offset + ins.len()]
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect();
            let mut text = String::new();
            formatter.format(&ins, &mut text);
            let _ = writeln!(out, "    {:06x}  {hex:<24} {text}", ins.ip());
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::codegen::machine_listing;
    use ir::lang::core_scheme;
    use ir::nanopass::Ir;
    use passes::pipeline::{self, Quiet, Run};

    /// The listing of the procedure `name` in each stage of `program` (IR text).
    fn procedure(program: &str, name: &str) -> [String; 3] {
        let tree = core_scheme::Tree::parse(program).expect("parses");
        let lowered = pipeline::run(tree, &mut Run::new(&mut Quiet)).expect("the pipeline runs");
        let listing = machine_listing(&lowered).expect("compiles");
        [listing.select, listing.allocate, listing.encode].map(|text| {
            let header = format!(";; {name}\n");
            let start = text.find(&header).expect("the procedure is listed");
            let rest = &text[start..];
            rest[..rest.find("\n\n").map_or(rest.len(), |end| end + 1)].to_owned()
        })
    }

    /// A listing up to its first `ret` (the slow paths that follow are in the loop's).
    fn hot_path(listing: &str) -> &str {
        let end = listing.find("ret\n").expect("the procedure returns");
        &listing[..end + 4]
    }

    const ADD_ONE: &str = "(program (lambda (x) ((primitive +) x (quote 1))))";

    const LOOP: &str = "(program (letrec ([loop (lambda (i acc) \
        (if ((primitive eq?) i (quote 0)) acc \
            (loop ((primitive -) i (quote 1)) ((primitive cons) i acc))))]) \
        (loop (quote 10) (quote ()))))";

    #[test]
    fn selection_shows_virtual_registers_and_what_calls_preserve() {
        let [select, _, _] = procedure(ADD_ONE, "scheme:lambda");
        expect_test::expect![[r#"
            ;; scheme:lambda
            L2:
                cmp esi,1
                jne L8
            L9:
                sub rsp,48h                      ; relative to the frame's top
                cmp rsp,[r15+18h]
                jb L10
            L11:
                mov v2, rdx
                mov v3, rdi
                mov rax, v2
                test al,7
                jne L13
                add rax,8
                jo L14
            L12:
                add rsp,48h                      ; relative to the frame's top
                ret
        "#]]
        .assert_eq(hot_path(&select));
        let [select, _, _] = procedure(LOOP, "scheme:loop");
        expect_test::expect![[r#"
            ;; scheme:loop
            L2:
                cmp esi,2
                jne L13
            L14:
                sub rsp,98h                      ; relative to the frame's top
                cmp rsp,[r15+18h]
                jb L15
            L16:
                mov v2, rdx
                mov v3, rcx
                mov v4, rdi
                cmp v2,0
                jne L17
                mov rax, v3
                jmp L18
            L17:
                mov rax, v2
                test al,7
                jne L20
                sub rax,8
                jo L21
            L19:
                mov v5, rax
            L22:
                mov r11,r14
                add r14,10h
                cmp r14,[r15+10h]
                ja L23
                mov rax, v2
                mov r10, v3
                mov [r11],rax
                mov [r11+8],r10
                lea rax,[r11+1]
                mov v6, rax
                mov rdi,[v4+0Eh]
                mov eax,edi
                and eax,7
                cmp eax,2
                jne L24
                mov rdx, v5
                mov rcx, v6
                mov esi,2
                add rsp,98h                      ; relative to the frame's top
                jmp qword ptr [rdi+6]
            L18:
                add rsp,98h                      ; relative to the frame's top
                ret
            L20:
                mov rax, v2
                mov r10d,8
                test al,7
                jne L26
                mov r11,rax
                sar r11,3
                cvtsi2sd xmm0,r11
                jmp L27
            L26:
                mov r11d,eax
                and r11d,7
                cmp r11d,3
                jne L25
                cmp byte ptr [rax-3],57h
                jne L25
                movsd xmm0,[rax+5]
            L27:
                test r10b,7
                jne L28
                mov r11,r10
                sar r11,3
                cvtsi2sd xmm1,r11
                jmp L29
            L28:
                mov r11d,r10d
                and r11d,7
                cmp r11d,3
                jne L25
                cmp byte ptr [r10-3],57h
                jne L25
                movsd xmm1,[r10+5]
            L29:
                subsd xmm0,xmm1
                lea r11,[r14+10h]
                cmp r11,[r15+10h]
                ja L25
                mov r11,r14
                add r14,10h
                mov rax,157h
                mov [r11],rax
                movsd [r11+8],xmm0
                lea rax,[r11+3]
                jmp L19
                jmp L25
            L21:
                mov rax, v2
                mov r10d,8
            L25:
                nop
            L30:
                mov [r15+0D8h],rax
                mov [r15+0E0h],r10
                mov rdx,rax
                mov rcx,r10
                mov rdi,r15
                mov esi,1
                lea r8,[r15+70000003h]
                mov [r15+8],r14
                mov rax,[r15]
                call qword ptr [rax+58h]         ; preserves rbx rbp r12 r13
            L32:
                mov r14,[r15+8]
                cmp rax,3Eh
                jne L31
                mov qword ptr [r15+0D0h],6
                mov qword ptr [r15+0F8h],2
                mov rsi,[r15+0C8h]
                call loko:collect_saved          ; preserves rbx rbp r12 r13
            L33:
                test eax,eax
                jne L34
                mov rax,[r15+0D8h]
                mov r10,[r15+0E0h]
                jmp L30
            L31:
                jmp L19
            L13:
                shl rsi,3
                jmp L35
            L15:
                lea r10,[r14+40h]
                cmp r10,[r15+10h]
                jbe L36
                mov eax,40h
                add rsp,98h                      ; relative to the frame's top
                lea r11,[L14]
                jmp loko:collect_in_call
            L36:
                mov eax,98h                      ; relative to the frame's top
                lea r10,[L16]
                jmp loko:segment_overflow
            L23:
                mov r14,r11
                mov esi,10h
                call loko:collect                ; preserves rbx rbp r12 r13
            L37:
                test eax,eax
                jne L38
                jmp L22
            L24:
                mov rcx,rdi
                mov esi,4
                mov edx,6
                jmp loko:error
            L34:
                mov ecx,6
                mov esi,6
                mov edx,6
                jmp loko:error
            L35:
                mov rcx,rsi
                mov esi,3
                lea rdx,[r15+70000013h]
                jmp loko:error
            L38:
                mov ecx,6
                mov esi,6
                mov edx,6
                jmp loko:error
        "#]]
        .assert_eq(&select);
    }

    #[test]
    fn allocation_shows_homes_frames_and_live_slots() {
        let [_, allocate, _] = procedure(ADD_ONE, "scheme:lambda");
        expect_test::expect![[r#"
            ;; scheme:lambda
            ;; frame: 1 slot
            ;; homes: v2 rbx, v3 unused
            L2:
                cmp esi,1
                jne L8
            L9:
                sub rsp,8
                cmp rsp,[r15+18h]
                jb L10
            L11:
                mov rbx,rdx
                mov rax,rbx
                test al,7
                jne L13
                add rax,8
                jo L14
            L12:
                add rsp,8
                ret
        "#]]
        .assert_eq(hot_path(&allocate));
        let [_, allocate, _] = procedure(LOOP, "scheme:loop");
        expect_test::expect![[r#"
            ;; scheme:loop
            ;; frame: 5 slots
            ;; homes: v2 rbx (saved in slot 0), v3 rbp (saved in slot 1), v4 r12 (saved in slot 2), v5 r13 (saved in slot 3), v6 rbx
            L2:
                cmp esi,2
                jne L13
            L14:
                sub rsp,28h
                cmp rsp,[r15+18h]
                jb L15
            L16:
                mov rbx,rdx
                mov rbp,rcx
                mov r12,rdi
                cmp rbx,0
                jne L17
                mov rax,rbp
                jmp L18
            L17:
                mov rax,rbx
                test al,7
                jne L20
                sub rax,8
                jo L21
            L19:
                mov r13,rax
            L22:
                mov r11,r14
                add r14,10h
                cmp r14,[r15+10h]
                ja L23
                mov rax,rbx
                mov r10,rbp
                mov [r11],rax
                mov [r11+8],r10
                lea rax,[r11+1]
                mov rbx,rax
                mov rdi,[r12+0Eh]
                mov eax,edi
                and eax,7
                cmp eax,2
                jne L24
                mov rdx,r13
                mov rcx,rbx
                mov esi,2
                add rsp,28h
                jmp qword ptr [rdi+6]
            L18:
                add rsp,28h
                ret
            L20:
                mov rax,rbx
                mov r10d,8
                test al,7
                jne L26
                mov r11,rax
                sar r11,3
                cvtsi2sd xmm0,r11
                jmp L27
            L26:
                mov r11d,eax
                and r11d,7
                cmp r11d,3
                jne L25
                cmp byte ptr [rax-3],57h
                jne L25
                movsd xmm0,[rax+5]
            L27:
                test r10b,7
                jne L28
                mov r11,r10
                sar r11,3
                cvtsi2sd xmm1,r11
                jmp L29
            L28:
                mov r11d,r10d
                and r11d,7
                cmp r11d,3
                jne L25
                cmp byte ptr [r10-3],57h
                jne L25
                movsd xmm1,[r10+5]
            L29:
                subsd xmm0,xmm1
                lea r11,[r14+10h]
                cmp r11,[r15+10h]
                ja L25
                mov r11,r14
                add r14,10h
                mov rax,157h
                mov [r11],rax
                movsd [r11+8],xmm0
                lea rax,[r11+3]
                jmp L19
                jmp L25
            L21:
                mov rax,rbx
                mov r10d,8
            L25:
                nop
            L30:
                mov [r15+0D8h],rax
                mov [r15+0E0h],r10
                mov rdx,rax
                mov rcx,r10
                mov rdi,r15
                mov esi,1
                lea r8,[r15+70000003h]
                mov [r15+8],r14
                mov rax,[r15]
                mov [rsp+20h],rbx
                mov [rsp+18h],rbp
                mov [rsp+10h],r12
                call qword ptr [rax+58h]         ; preserves rbx rbp r12 r13; live slots [0 1 2]
            L32:
                mov rbx,[rsp+20h]
                mov rbp,[rsp+18h]
                mov r12,[rsp+10h]
                mov r14,[r15+8]
                cmp rax,3Eh
                jne L31
                mov qword ptr [r15+0D0h],6
                mov qword ptr [r15+0F8h],2
                mov rsi,[r15+0C8h]
                mov [rsp+20h],rbx
                mov [rsp+18h],rbp
                mov [rsp+10h],r12
                call loko:collect_saved          ; preserves rbx rbp r12 r13; live slots [0 1 2]
            L33:
                mov rbx,[rsp+20h]
                mov rbp,[rsp+18h]
                mov r12,[rsp+10h]
                test eax,eax
                jne L34
                mov rax,[r15+0D8h]
                mov r10,[r15+0E0h]
                jmp L30
            L31:
                jmp L19
            L13:
                shl rsi,3
                jmp L35
            L15:
                lea r10,[r14+40h]
                cmp r10,[r15+10h]
                jbe L36
                mov eax,40h
                add rsp,28h
                lea r11,[L14]
                jmp loko:collect_in_call
            L36:
                mov eax,28h
                lea r10,[L16]
                jmp loko:segment_overflow
            L23:
                mov r14,r11
                mov esi,10h
                mov [rsp+20h],rbx
                mov [rsp+18h],rbp
                mov [rsp+10h],r12
                mov [rsp+8],r13
                call loko:collect                ; preserves rbx rbp r12 r13; live slots [0 1 2 3]
            L37:
                mov rbx,[rsp+20h]
                mov rbp,[rsp+18h]
                mov r12,[rsp+10h]
                mov r13,[rsp+8]
                test eax,eax
                jne L38
                jmp L22
            L24:
                mov rcx,rdi
                mov esi,4
                mov edx,6
                jmp loko:error
            L34:
                mov ecx,6
                mov esi,6
                mov edx,6
                jmp loko:error
            L35:
                mov rcx,rsi
                mov esi,3
                lea rdx,[r15+70000013h]
                jmp loko:error
            L38:
                mov ecx,6
                mov esi,6
                mov edx,6
                jmp loko:error
        "#]]
        .assert_eq(&allocate);
    }

    #[test]
    fn encoding_shows_each_procedures_bytes() {
        let [_, _, encode] = procedure(ADD_ONE, "scheme:lambda");
        let lines: Vec<&str> = encode.lines().collect();
        assert_eq!(lines[0], ";; scheme:lambda");
        // `cmp esi, 1` is the argument-count check every procedure starts with.
        assert!(
            lines[1].contains("83fe01") && lines[1].ends_with("cmp esi,1"),
            "{encode}"
        );
    }
}
