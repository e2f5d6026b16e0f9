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
mod frame_table;
mod primitives;
mod procedure;
#[cfg(test)]
mod tests;

use crate::image::{Image, Location, Reloc, Section, Symbol as ImageSymbol, code_offset};
use crate::machine;
use emit::Gen;
use frame_table::{FrameSite, Site};
use iced_x86::code_asm::*;
use iced_x86::{BlockEncoderOptions, Instruction};
use ir::lang::explicit_tails::{Arena, Program, Tree, Visit};
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

pub use data::Attach;

/// Compiles a whole program into an image whose entry runs it.
pub fn compile(tree: &Tree) -> Result<Image, CompileError> {
    compile_image(tree, None, None).map(|compiled| compiled.image)
}

/// Compiles a program (or one unit of one) and returns its machine level as text, stage by
/// stage ([`machine::listing`]): what `loko --dump-ir` shows after the tree passes.
pub fn machine_listing(tree: &Tree) -> Result<machine::listing::Listing, CompileError> {
    let mut listing = machine::listing::Listing::default();
    compile_image(tree, None, Some(&mut listing))?;
    Ok(listing)
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
    compile_image(tree, Some(attach), None)
}

fn compile_image(
    tree: &Tree,
    attach: Option<Attach>,
    mut listing: Option<&mut machine::listing::Listing>,
) -> Result<Attached, CompileError> {
    let arena = &tree.arena;
    let Program::WithCode { labels, code, body } = &arena[tree.root];
    let mut g = Gen::new(arena)?;
    g.data.attach = attach;
    let global_cells = g.data.reserve_globals(&global_names(tree));
    for &label in labels {
        let l = g.a.create_label();
        g.code_labels.insert(label, l);
    }
    let mut code_start = g.a.create_label();
    g.bind(&mut code_start)?;
    g.common_stubs()?;
    let mut symbols = Vec::new();
    let mut main = g.a.create_label();
    let start = g.a.instructions().len();
    g.bind(&mut main)?;
    symbols.push(("scheme:program".to_owned(), main));
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
    let mut end = g.a.create_label();
    g.bind(&mut end)?;
    // The entry comes last: it needs the data's final size.
    let (globals, data_symbols) = g.data.exports();
    let attach = g.data.attach.take();
    let (data, relocs) = std::mem::take(&mut g.data).finish();
    g.data.attach = attach;
    let code_at = code_offset(data.len());
    let mut entry = g.a.create_label();
    g.bind(&mut entry)?;
    g.entry(code_start, main, code_at)?;
    // Register allocation and the lowering of the procedures' machine code; then encoding.
    let selected = g.a.take_instructions();
    let names: Vec<String> = symbols.iter().map(|(name, _)| name.clone()).collect();
    if let Some(listing) = listing.as_deref_mut() {
        listing.select = machine::listing::selected(&selected, &g.machine, &names);
    }
    let lowered = machine::lower::lower(&selected, &g.machine).map_err(CompileError::new)?;
    if let Some(listing) = listing.as_deref_mut() {
        listing.allocate = machine::listing::allocated(&lowered, &g.machine, &names);
    }
    let (result, bound) = encode(&lowered.code, code_at)?;
    let ip = |label: &CodeLabel| -> Result<u64, CompileError> {
        let label = bound
            .get(label)
            .ok_or_else(|| CompileError::new("internal error: a label was never bound"))?;
        Ok(result.label_ip(label)? - code_at)
    };
    let mut starts = Vec::new();
    for (name, label) in &symbols {
        starts.push((name.clone(), ip(label)?));
    }
    // The shared stubs get names too, so that profiles and disassemblies show them (the
    // stubs store their labels back once bound); one this image did not emit is skipped.
    let stubs = [
        ("loko:mv_return", g.mv_return),
        ("loko:collect", g.collect),
        ("loko:collect_saved", g.collect_saved),
        ("loko:collect_in_call", g.collect_in_call),
        ("loko:stack_overflow", g.stack_overflow),
        ("loko:out_of_memory", g.out_of_memory),
        ("loko:error", g.error_common),
    ];
    for (name, label) in stubs.into_iter().chain(g.control.symbols()) {
        if let Ok(at) = ip(&label) {
            starts.push((name.to_owned(), at));
        }
    }
    starts.sort_by_key(|&(_, at)| at);
    starts.dedup_by_key(|&mut (_, at)| at);
    let end = ip(&end)?;
    let mut image_symbols = Vec::new();
    for (i, (name, start)) in starts.iter().enumerate() {
        let next = starts.get(i + 1).map_or(end, |s| s.1);
        image_symbols.push(ImageSymbol {
            name: name.clone(),
            section: Section::Code,
            offset: *start,
            size: next - start,
        });
    }
    let entry = ip(&entry)?;
    let mut code = result.inner.code_buffer.clone();
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
        let procedures: Vec<(String, std::ops::Range<u64>)> = image_symbols
            .iter()
            .filter(|s| names.contains(&s.name))
            .map(|s| (s.name.clone(), s.offset..s.offset + s.size))
            .collect();
        listing.encode = machine::listing::encoded(&code, &procedures);
    }
    // The frame table follows the code (8-aligned); the context block points at it.
    let mut sites = Vec::with_capacity(g.frame_sites.len());
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
        sites.push((ip(&point)?, site));
    }
    let (table, count) = frame_table::encode(sites)?;
    code.resize(code.len().next_multiple_of(8), 0xcc);
    let table_at = code.len() as u64;
    code.extend_from_slice(&table);
    let mut data = data;
    let mut relocs = relocs;
    let count_at = runtime::context::FRAME_COUNT as usize;
    data[count_at..count_at + 8].copy_from_slice(&(count as u64).to_le_bytes());
    for (field, section, offset) in [
        (runtime::context::FRAME_TABLE, Section::Code, table_at),
        (runtime::context::CODE_START, Section::Code, 0),
        (
            runtime::context::GLOBALS_START,
            Section::Data,
            global_cells.start,
        ),
        (
            runtime::context::GLOBALS_END,
            Section::Data,
            global_cells.end,
        ),
    ] {
        relocs.push(Reloc {
            at: Location {
                section: Section::Data,
                offset: field as u64,
            },
            target: Location { section, offset },
        });
    }
    for (at, label) in std::mem::take(&mut g.static_closures) {
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
    image_symbols.push(ImageSymbol {
        name: "loko:frame_table".to_owned(),
        section: Section::Code,
        offset: table_at,
        size: table.len() as u64,
    });
    Ok(Attached {
        image: Image {
            code,
            data,
            entry,
            symbols: image_symbols,
            relocs,
            roots: global_cells.clone(),
        },
        globals,
        symbols: data_symbols,
    })
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
    let result = a.assemble_options(at, BlockEncoderOptions::RETURN_NEW_INSTRUCTION_OFFSETS)?;
    Ok((result, labels.into_iter().collect()))
}

/// The names of every global variable the program refers to or defines, in order of first
/// appearance.
fn global_names(tree: &Tree) -> Vec<ir::symbol::Symbol> {
    struct Globals {
        names: Vec<ir::symbol::Symbol>,
        seen: std::collections::HashSet<ir::symbol::Symbol>,
    }
    impl Visit for Globals {
        fn terminal_global(&mut self, _: &Arena, name: ir::symbol::Symbol) {
            if self.seen.insert(name) {
                self.names.push(name);
            }
        }
    }
    let mut globals = Globals {
        names: Vec::new(),
        seen: Default::default(),
    };
    globals.program(&tree.arena, tree.root);
    globals.names
}
