//! Code generation: from the last tree language ([`ir::lang::explicit_tails`]) to an [`Image`].
//!
//! The backend works directly on the tree: each procedure's code is selected clause by clause
//! into iced-x86's `CodeAssembler`, every variable and temporary in a virtual register, the
//! static data built alongside ([`data`]); then [`crate::machine`] allocates registers and
//! frame slots (frame layout: [`frame`]) and lowers the moves, and [`encode`] assembles.
//! ARCHITECTURE.md ("Values and calls") describes the value representation and the calling
//! convention this follows.
//!
//! * [`emit`]: registers and the small instruction sequences everything uses (loading
//!   operands, type checks, allocation, error exits, service calls).
//! * [`procedure`]: entry points, argument-count dispatch, prologues, rest lists.
//! * [`expr`]: expressions, calls, tail calls, `apply`.
//! * [`primitives`]: the open-coded primitives.
//! * [`control`]: continuations and stack segments (`call/cc`, overflow, underflow).
//! * [`arithmetic`]: numbers: fixnum fast paths and the generic arithmetic's slow paths.

mod arithmetic;
mod control;
mod data;
mod emit;
mod expr;
mod frame;
pub(crate) mod frame_table;
mod primitives;
mod procedure;
#[cfg(test)]
mod tests;

use crate::image::{Image, Location, Reloc, Section, Symbol as ImageSymbol};
use crate::link::{self, Field, Fixup, UnitCode};
use crate::machine;
use emit::Gen;
use frame_table::{FrameSite, Site};
use iced_x86::code_asm::*;
use iced_x86::{BlockEncoderOptions, Instruction, OpKind, Register};
use ir::lang::explicit_tails::{Arena, Program, Tree};
use std::collections::HashSet;
use std::fmt;

/// Why a program could not be compiled: an unsupported construct, or an internal error.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CompileError {
    pub message: String,
}

impl CompileError {
    pub fn new(message: impl Into<String>) -> CompileError {
        CompileError {
            message: message.into(),
        }
    }
}

impl fmt::Display for CompileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for CompileError {}

impl From<iced_x86::IcedError> for CompileError {
    fn from(error: iced_x86::IcedError) -> Self {
        CompileError::new(format!("internal error: assembler: {error}"))
    }
}

pub use data::{Attach, Data};

/// Compiles a whole program (one unit) into an image whose entry runs it.
pub fn compile(tree: &Tree) -> Result<Image, CompileError> {
    let unit = compile_unit(tree, "program", None)?;
    link_program(&[&unit]).map(|linked| linked.image)
}

/// Compiles one unit and returns its machine level as text, stage by stage
/// ([`machine::listing`]): what `loko --dump-ir` shows after the tree passes. The unit's code
/// is at offsets from its own start, as [`compile_unit`] assembles it.
pub fn machine_listing(tree: &Tree) -> Result<machine::listing::Listing, CompileError> {
    let mut listing = machine::listing::Listing::default();
    compile_unit_listing(tree, "program", None, Some(&mut listing))?;
    Ok(listing)
}

/// Links compiled units (the base library, the other libraries in dependency order, then the
/// program) into an image whose entry runs their bodies in order: the runtime unit (stubs,
/// entry, sequencer) is made here, then [`link::link`] joins them.
pub fn link_program(units: &[&UnitCode]) -> Result<link::Linked, CompileError> {
    let runtime = runtime_unit(units.len(), None)?;
    let mut all = vec![&runtime];
    all.extend_from_slice(units);
    link::link(&all, None)
}

/// An image compiled to be attached to a world, with what it adds to the world.
pub struct Attached {
    pub image: Image,
    /// Its global cells, as offsets from the world's context.
    pub globals: Vec<(ir::symbol::Symbol, u64)>,
    /// Its static symbols, as data offsets of their tagged values.
    pub symbols: Vec<(ir::symbol::Symbol, u64)>,
}

/// Compiles a program into an image that runs in the world `attach` describes (see
/// [`Attach`]): it must be placed at the world's context plus `attach.bias`, and its entry
/// neither maps a heap nor a stack, using the world's.
pub fn compile_attached(tree: &Tree, attach: Attach) -> Result<Attached, CompileError> {
    let unit = compile_unit(tree, "program", Some(attach.clone()))?;
    let runtime = runtime_unit(1, Some(attach.clone()))?;
    let linked = link::link(&[&runtime, &unit], Some(&attach))?;
    Ok(Attached {
        image: linked.image,
        globals: linked.globals,
        symbols: linked.symbols,
    })
}

/// Generates the code of one unit: its body as a procedure of no arguments (named
/// `scheme:program` for the program, `scheme:body NAME` for a library) and its code labels,
/// with everything outside the unit left symbolic for [`link::link`]. With `attach`, the
/// world's globals and symbols are used directly.
pub fn compile_unit(
    tree: &Tree,
    name: &str,
    attach: Option<Attach>,
) -> Result<UnitCode, CompileError> {
    compile_unit_listing(tree, name, attach, None)
}

/// [`compile_unit`], showing the machine level's stages in `listing` if given.
fn compile_unit_listing(
    tree: &Tree,
    name: &str,
    attach: Option<Attach>,
    listing: Option<&mut machine::listing::Listing>,
) -> Result<UnitCode, CompileError> {
    let arena = &tree.arena;
    let Program::WithCode { labels, code, body } = &arena[tree.root];
    let mut g = Gen::new(arena)?;
    g.data = Data::unit(attach);
    for &label in labels {
        let l = g.a.create_label();
        g.code_labels.insert(label, l);
    }
    let mut symbols = Vec::new();
    let mut main = g.a.create_label();
    let start = g.a.instructions().len();
    g.bind(&mut main)?;
    let body_name = match name {
        "program" => "scheme:program".to_owned(),
        name => format!("scheme:body {name}"),
    };
    symbols.push((body_name, main));
    g.main(*body)?;
    g.machine.procedures.push(start..g.a.instructions().len());
    for (&label, &c) in labels.iter().zip(code) {
        let mut l = g.code_labels[&label];
        let start = g.a.instructions().len();
        g.bind(&mut l)?;
        let name = arena.cx.vars.name(label);
        symbols.push((format!("scheme:{name}"), l));
        g.code(label, c)?;
        g.machine.procedures.push(start..g.a.instructions().len());
    }
    finish_unit(g, symbols, Some(main), None, listing)
}

/// The runtime unit of an image: the shared stubs, the entry, and the sequencer that runs the
/// bodies of the `units` units linked after it.
pub fn runtime_unit(units: usize, attach: Option<Attach>) -> Result<UnitCode, CompileError> {
    let arena = Arena::default();
    let mut g = Gen::new(&arena)?;
    g.data = Data::unit(attach);
    g.common_stubs()?;
    g.flush_error_exits()?;
    let mut main = g.a.create_label();
    g.bind(&mut main)?;
    let mut symbols = vec![("loko:run_units".to_owned(), main)];
    g.run_units(units)?;
    let mut entry = g.a.create_label();
    g.bind(&mut entry)?;
    symbols.push(("loko:entry".to_owned(), entry));
    g.entry(main)?;
    finish_unit(g, symbols, None, Some(entry), None)
}

/// Register allocation, lowering and encoding of a unit's instructions, then what the link
/// step needs: the fixups of its symbolic references, its symbols, frame sites and relocations.
fn finish_unit(
    mut g: Gen<'_>,
    procedures: Vec<(String, CodeLabel)>,
    body: Option<CodeLabel>,
    entry: Option<CodeLabel>,
    mut listing: Option<&mut machine::listing::Listing>,
) -> Result<UnitCode, CompileError> {
    let selected = g.a.take_instructions();
    let names: Vec<String> = procedures.iter().map(|(name, _)| name.clone()).collect();
    if let Some(listing) = listing.as_deref_mut() {
        listing.select = machine::listing::selected(&selected, &g.machine, &names);
    }
    let lowered = machine::lower::lower(&selected, &g.machine).map_err(CompileError::new)?;
    if let Some(listing) = listing.as_deref_mut() {
        listing.allocate = machine::listing::allocated(&lowered, &g.machine, &names);
    }
    let (result, bound) = encode(&lowered.code, 0)?;
    let ip = |label: &CodeLabel| -> Result<u64, CompileError> {
        let label = bound
            .get(label)
            .ok_or_else(|| CompileError::new("internal error: a label was never bound"))?;
        Ok(result.label_ip(label)?)
    };
    let mut code = result.inner.code_buffer.clone();
    let fixups = fixups(&lowered.code, &result, &g.data.globals, &g.data.symbols)?;
    // Symbols: each extends to the next one or the unit's end.
    let mut starts = Vec::new();
    for (name, label) in &procedures {
        starts.push((name.clone(), ip(label)?));
    }
    let mut stubs = Vec::new();
    for &(stub, label) in &g.stub_labels {
        let at = ip(&label)?;
        starts.push((stub.name().to_owned(), at));
        stubs.push((stub, at));
    }
    starts.sort_by_key(|&(_, at)| at);
    starts.dedup_by_key(|&mut (_, at)| at);
    let end = code.len() as u64;
    let mut symbols = Vec::new();
    for (i, (name, start)) in starts.iter().enumerate() {
        let next = starts.get(i + 1).map_or(end, |s| s.1);
        symbols.push(ImageSymbol {
            name: name.clone(),
            section: Section::Code,
            offset: *start,
            size: next - start,
        });
    }
    for (point, mv) in &g.mv_sites {
        // The marker's immediate: the offset from the return point to its multiple-value entry.
        let (at, offset) = (ip(point)? as usize, ip(mv)? as i64 - ip(point)? as i64);
        if code.get(at) != Some(&(emit::MV_MARKER_BYTE as u8)) {
            return Err(CompileError::new(
                "internal error: multiple-value marker not encoded as expected",
            ));
        }
        code[at + 1..at + 5].copy_from_slice(&(offset as i32).to_le_bytes());
    }
    if let Some(listing) = listing {
        let procedures: Vec<(String, std::ops::Range<u64>)> = symbols
            .iter()
            .filter(|s| names.contains(&s.name))
            .map(|s| (s.name.clone(), s.offset..s.offset + s.size))
            .collect();
        listing.encode = machine::listing::encoded(&code, &procedures);
    }
    let mut frame_sites = Vec::with_capacity(g.frame_sites.len());
    for (point, site) in std::mem::take(&mut g.frame_sites) {
        let site = match site {
            Site::Fixed(site) => site,
            Site::Pending { clause, ret } => {
                let Some(live) = lowered.live_slots.get(&(ret - 1)) else {
                    return Err(CompileError::new(
                        "internal error: a return point does not follow a call of a procedure",
                    ));
                };
                FrameSite::new(lowered.frame_sizes[clause as usize], live)
            }
            Site::Call { .. } => {
                return Err(CompileError::new("internal error: an unbound return point"));
            }
        };
        frame_sites.push((ip(&point)?, site));
    }
    let static_closures = std::mem::take(&mut g.static_closures);
    let data = std::mem::take(&mut g.data);
    let (globals, symbol_words) = (data.globals.clone(), data.symbol_words.clone());
    let (bytes, mut relocs) = data.finish();
    for (at, label) in static_closures {
        let code = g.code_labels[&label];
        relocs.push(Reloc {
            at: Location {
                section: Section::Data,
                offset: at,
            },
            target: Location {
                section: Section::Code,
                offset: ip(&code)?,
            },
        });
    }
    Ok(UnitCode {
        code,
        data: bytes,
        fixups,
        relocs,
        symbol_words,
        globals,
        frame_sites,
        symbols,
        body: body.as_ref().map(ip).transpose()?,
        stubs,
        entry: entry.as_ref().map(ip).transpose()?,
    })
}

/// The fixups of the encoded `code`: every `r15` displacement that is a placeholder for the
/// unit's data, a global or a symbol, and every branch or RIP-relative target that is a
/// placeholder for a stub, a unit's body or the context ([`link::placeholder`]).
fn fixups(
    code: &[Instruction],
    result: &CodeAssemblerResult,
    globals: &[ir::symbol::Symbol],
    symbols: &[ir::symbol::Symbol],
) -> Result<Vec<Fixup>, CompileError> {
    let offsets = &result.inner.new_instruction_offsets;
    let constants = &result.inner.constant_offsets;
    let end = result.inner.code_buffer.len() as u64;
    let mut fixups = Vec::new();
    let bad = || CompileError::new("internal error: a linked field is not four bytes");
    for (i, ins) in code.iter().enumerate() {
        let (Some(&at), Some(c)) = (offsets.get(i), constants.get(i)) else {
            continue;
        };
        let at = u64::from(at);
        if at == u64::from(u32::MAX) {
            continue;
        }
        let next = offsets.get(i + 1).map_or(end, |&n| u64::from(n));
        let has_memory = (0..ins.op_count()).any(|k| ins.op_kind(k) == OpKind::Memory);
        if has_memory && ins.memory_base() == Register::R15 {
            if let Some((target, addend)) =
                link::decode_disp(ins.memory_displacement64(), globals, symbols)?
            {
                if c.displacement_size() != 4 {
                    return Err(bad());
                }
                fixups.push(Fixup {
                    at: at + c.displacement_offset() as u64,
                    field: Field::Disp32,
                    target,
                    addend,
                });
            }
        } else if has_memory && ins.memory_base() == Register::RIP {
            if let Some(target) = link::decode_code(ins.memory_displacement64()) {
                if c.displacement_size() != 4 {
                    return Err(bad());
                }
                fixups.push(Fixup {
                    at: at + c.displacement_offset() as u64,
                    field: Field::Rel32 { next },
                    target,
                    addend: 0,
                });
            }
        } else if ins.op_count() == 1
            && ins.op0_kind() == OpKind::NearBranch64
            && let Some(target) = link::decode_code(ins.near_branch64())
        {
            if c.immediate_size() != 4 {
                return Err(bad());
            }
            fixups.push(Fixup {
                at: at + c.immediate_offset() as u64,
                field: Field::Rel32 { next },
                target,
                addend: 0,
            });
        }
    }
    Ok(fixups)
}

/// Encodes the lowered instructions at `at`. Their labels are iced-x86's before encoding (a
/// label's id is the `ip` of its instruction), so a new assembler that creates as many labels
/// gets the same ids; the labels, bound in it, are returned for looking up addresses (a
/// `CodeLabel` compares by id, so the code generator's own labels find them).
fn encode(
    code: &[Instruction],
    at: u64,
) -> Result<(CodeAssemblerResult, HashSet<CodeLabel>), CompileError> {
    let mut a = CodeAssembler::new(64)?;
    let max_id = code.iter().map(|i| i.ip()).max().unwrap_or(0);
    let mut labels: Vec<CodeLabel> = (0..max_id).map(|_| a.create_label()).collect();
    for ins in code {
        if ins.ip() != 0 {
            a.set_label(&mut labels[ins.ip() as usize - 1])?;
        }
        a.add_instruction(*ins)?;
    }
    let result = a.assemble_options(
        at,
        BlockEncoderOptions::RETURN_NEW_INSTRUCTION_OFFSETS
            | BlockEncoderOptions::RETURN_CONSTANT_OFFSETS,
    )?;
    Ok((result, labels.into_iter().collect()))
}
