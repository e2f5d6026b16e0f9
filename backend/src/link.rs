//! The link step: joins separately compiled units ([`UnitCode`]) into one [`Image`].
//!
//! Code generation runs once per unit (a library or the program, `codegen::compile_unit`) and
//! leaves what lies outside the unit symbolic, as an object file does: each unit's code is
//! assembled at offset 0 and its data starts at offset 0, and [`Fixup`]s name what a field of
//! the code refers to ([`Target`]): the unit's own data, a global cell (by name: cells are
//! shared by every unit), an interned symbol (by name: one object per image, so `eq?` holds
//! across units), a shared stub (`loko:mv_return`, the error exit, ...: emitted once per
//! image, in the *runtime unit*), or the body of a unit (which the runtime unit's sequencer
//! calls in order). Absolute addresses inside a unit (static closures' code pointers,
//! pointers between static objects) are unit-relative [`Reloc`]s; data words holding a
//! symbol are listed apart ([`UnitCode::symbol_words`]).
//!
//! [`link`] lays the image out, data first (as [`crate::image`] requires):
//!
//! ```text
//! data: context block | global cells (the static roots) | symbol objects | unit data ... | symbol list
//! code: unit 0 (the runtime unit) | unit 1 | ... | frame table
//! ```
//!
//! then copies each unit's bytes to its place, patches every fixup, and joins the units'
//! frame-table entries into one table (sorted by return address, as the collector requires).
//!
//! How code generation spells a symbolic reference before encoding: as a displacement from
//! `r15` (the context, data offset 0) or as an absolute branch or RIP-relative target, in
//! ranges no real offset uses ([`placeholder`]); after encoding, `codegen` turns every
//! instruction that uses one into a [`Fixup`] at its displacement or immediate field. Fields
//! are always four bytes: the placeholders do not fit in one.

use crate::codegen::CompileError;
use crate::codegen::frame_table::{self, FrameSite};
use crate::codegen::{Attach, Data};
use crate::image::{Image, Location, Reloc, Section, Symbol as ImageSymbol, code_offset};
use ir::symbol::Symbol;
use std::collections::HashMap;

/// The stubs shared by every unit of an image, emitted once, in the runtime unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stub {
    MvReturn,
    Collect,
    CollectSaved,
    CollectInCall,
    StackOverflow,
    OutOfMemory,
    ErrorCommon,
    Underflow,
    ProgramEnd,
    Capture,
    SegmentOverflow,
    ContinuationEntry,
    ThrowThunk,
    TooDeep,
}

impl Stub {
    pub const ALL: [Stub; 14] = [
        Stub::MvReturn,
        Stub::Collect,
        Stub::CollectSaved,
        Stub::CollectInCall,
        Stub::StackOverflow,
        Stub::OutOfMemory,
        Stub::ErrorCommon,
        Stub::Underflow,
        Stub::ProgramEnd,
        Stub::Capture,
        Stub::SegmentOverflow,
        Stub::ContinuationEntry,
        Stub::ThrowThunk,
        Stub::TooDeep,
    ];

    /// The stub's name in the executable's symbol table (profiles, `objdump`).
    pub fn name(self) -> &'static str {
        match self {
            Stub::MvReturn => "loko:mv_return",
            Stub::Collect => "loko:collect",
            Stub::CollectSaved => "loko:collect_saved",
            Stub::CollectInCall => "loko:collect_in_call",
            Stub::StackOverflow => "loko:stack_overflow",
            Stub::OutOfMemory => "loko:out_of_memory",
            Stub::ErrorCommon => "loko:error",
            Stub::Underflow => "loko:underflow",
            Stub::ProgramEnd => "loko:program_end",
            Stub::Capture => "loko:capture",
            Stub::SegmentOverflow => "loko:segment_overflow",
            Stub::ContinuationEntry => "loko:continuation",
            Stub::ThrowThunk => "loko:throw_thunk",
            Stub::TooDeep => "loko:stack_too_deep",
        }
    }

    /// The placeholder address code generation branches to (see [`placeholder`]).
    pub fn address(self) -> u64 {
        let index = Stub::ALL.iter().position(|&s| s == self).unwrap_or(0);
        placeholder::CODE + 16 * index as u64
    }
}

/// What a field of a unit's code refers to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Target {
    /// The unit's own data (the addend is the offset).
    UnitData,
    /// The cell of a global variable.
    Global(Symbol),
    /// The static symbol object of this name (the addend is the tag).
    Symbol(Symbol),
    Stub(Stub),
    /// The body procedure of the `n`th unit given to [`link`].
    Body(usize),
    /// The context block (what `r15` holds).
    Context,
}

/// How a four-byte field is computed from its target's address.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    /// A displacement from `r15`, the context block: the target's offset from it.
    Disp32,
    /// RIP-relative (a branch, or a memory operand): the target's address minus the
    /// address of the instruction's end, `next` (an offset in the unit's code).
    Rel32 { next: u64 },
}

/// A field of a unit's code that the link step fills in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fixup {
    /// The field's offset in the unit's code.
    pub at: u64,
    pub field: Field,
    pub target: Target,
    pub addend: i64,
}

/// One unit's machine code and data, ready to be linked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnitCode {
    /// Assembled for offset 0.
    pub code: Vec<u8>,
    /// The unit's static data (constants, static closures), from offset 0.
    pub data: Vec<u8>,
    pub fixups: Vec<Fixup>,
    /// Absolute addresses within the unit: offsets in its own code and data.
    pub relocs: Vec<Reloc>,
    /// Data words (offsets in the unit's data) that hold a symbol (tagged).
    pub symbol_words: Vec<(u64, Symbol)>,
    /// The global cells the unit refers to, in order of first reference.
    pub globals: Vec<Symbol>,
    /// The return points in the unit's code, with their frames.
    pub frame_sites: Vec<(u64, FrameSite)>,
    /// Named ranges of the unit's code (`scheme:NAME`, the stubs).
    pub symbols: Vec<ImageSymbol>,
    /// Where the unit's body procedure starts (none in the runtime unit).
    pub body: Option<u64>,
    /// The stubs this unit defines (the runtime unit), at code offsets.
    pub stubs: Vec<(Stub, u64)>,
    /// The image's entry (the runtime unit).
    pub entry: Option<u64>,
}

/// Placeholders: values of `r15` displacements and of branch and RIP-relative targets that
/// stand for a unit's symbolic references until [`link`] resolves them. Real displacements
/// from `r15` are the context's fields (a few hundred bytes) and, in the expand-time world,
/// offsets inside its 1 GiB region; real branch targets are labels. So these ranges are free.
pub mod placeholder {
    /// `r15 + UNIT_DATA + d`: the unit's data at offset `d` (tags included).
    pub const UNIT_DATA: u64 = 0x4000_0000;
    /// `r15 + GLOBALS + 8 i`: the cell of the unit's `i`th global.
    pub const GLOBALS: u64 = 0x6000_0000;
    /// `r15 + SYMBOLS + 16 i + tag`: the unit's `i`th symbol.
    pub const SYMBOLS: u64 = 0x7000_0000;
    /// Branch and RIP-relative targets: `CODE + 16 k`, the stubs, then the context, then
    /// the unit bodies.
    pub const CODE: u64 = 0x7800_0000;
    pub const END: u64 = 0x8000_0000;

    /// The placeholder target of the context block.
    pub const fn context() -> u64 {
        CODE + 16 * super::Stub::ALL.len() as u64
    }

    /// The placeholder target of unit `n`'s body.
    pub const fn body(n: usize) -> u64 {
        context() + 16 * (1 + n as u64)
    }
}

/// Resolves an `r15` displacement to a target, if it is a placeholder.
pub(crate) fn decode_disp(
    disp: u64,
    globals: &[Symbol],
    symbols: &[Symbol],
) -> Result<Option<(Target, i64)>, CompileError> {
    use placeholder::*;
    let bad = || CompileError::new("internal error: a placeholder refers to nothing");
    Ok(Some(match disp {
        d if (UNIT_DATA..GLOBALS).contains(&d) => (Target::UnitData, (d - UNIT_DATA) as i64),
        d if (GLOBALS..SYMBOLS).contains(&d) => {
            let name = globals.get(((d - GLOBALS) / 8) as usize).ok_or_else(bad)?;
            (Target::Global(*name), ((d - GLOBALS) % 8) as i64)
        }
        d if (SYMBOLS..CODE).contains(&d) => {
            let name = symbols.get(((d - SYMBOLS) / 16) as usize).ok_or_else(bad)?;
            (Target::Symbol(*name), ((d - SYMBOLS) % 16) as i64)
        }
        _ => return Ok(None),
    }))
}

/// Resolves a branch or RIP-relative target to a link target, if it is a placeholder.
pub(crate) fn decode_code(target: u64) -> Option<Target> {
    use placeholder::*;
    if !(CODE..END).contains(&target) || !target.is_multiple_of(16) {
        return None;
    }
    let k = ((target - CODE) / 16) as usize;
    Some(match k {
        k if k < Stub::ALL.len() => Target::Stub(Stub::ALL[k]),
        k if k == Stub::ALL.len() => Target::Context,
        k => Target::Body(k - Stub::ALL.len() - 1),
    })
}

/// A linked image, with what it adds to the world it is attached to (if any).
pub struct Linked {
    pub image: Image,
    /// The image's new global cells, as offsets from `r15`.
    pub globals: Vec<(Symbol, u64)>,
    /// The image's new static symbols, as data offsets of their tagged values.
    pub symbols: Vec<(Symbol, u64)>,
}

/// Links `units` into an image: the first is the runtime unit (stubs and entry), whose
/// sequencer runs the others' bodies ([`Target::Body`] numbers them from 0 after it). With
/// `attach`, the image is placed `attach.bias` bytes after the world's context and reaches the
/// world's existing globals and symbols ([`Attach`]); globals and symbols the units resolved
/// through `attach` already are not placeholders and need nothing here.
pub fn link(units: &[&UnitCode], attach: Option<&Attach>) -> Result<Linked, CompileError> {
    let bias = attach.map_or(0, |a| a.bias);
    // The data: the context block, the new global cells, the new symbols, the units' data.
    let mut data = Data::new();
    let mut cells: HashMap<Symbol, u64> = HashMap::new();
    let mut new_globals = Vec::new();
    let globals_start = data.bytes.len() as u64;
    for unit in units {
        for &name in &unit.globals {
            if attach.is_some_and(|a| a.globals.contains_key(&name)) || cells.contains_key(&name) {
                continue;
            }
            let offset = data.unbound_cell();
            cells.insert(name, offset);
            new_globals.push((name, offset + bias));
        }
    }
    let globals_end = data.bytes.len() as u64;
    let mut symbols: HashMap<Symbol, u64> = HashMap::new();
    let mut symbol_order = Vec::new();
    for unit in units {
        let named = unit
            .fixups
            .iter()
            .filter_map(|f| match f.target {
                Target::Symbol(name) => Some(name),
                _ => None,
            })
            .chain(unit.symbol_words.iter().map(|&(_, name)| name));
        for name in named {
            if let std::collections::hash_map::Entry::Vacant(entry) = symbols.entry(name) {
                let offset = data.symbol_object(name);
                entry.insert(offset);
                symbol_order.push(offset);
            }
        }
    }
    let mut data_at = Vec::with_capacity(units.len());
    for unit in units {
        data_at.push(data.bytes.len() as u64);
        data.bytes.extend_from_slice(&unit.data);
        data.bytes.resize(data.bytes.len().next_multiple_of(8), 0);
    }
    data.symbol_list(&symbol_order);
    let (mut data, mut relocs) = std::mem::take(&mut data).finish();
    let code_at = code_offset(data.len());

    // The code: the units one after the other (16-aligned), then the frame table.
    let mut code = Vec::new();
    let mut code_base = Vec::with_capacity(units.len());
    for unit in units {
        code.resize(code.len().next_multiple_of(16), 0xcc);
        code_base.push(code.len() as u64);
        code.extend_from_slice(&unit.code);
    }
    let mut stubs: HashMap<Stub, u64> = HashMap::new();
    let mut bodies = Vec::new();
    let mut entry = None;
    for (unit, &base) in units.iter().zip(&code_base) {
        for &(stub, at) in &unit.stubs {
            stubs.insert(stub, base + at);
        }
        if let Some(at) = unit.entry {
            entry = Some(base + at);
        }
        if let Some(at) = unit.body {
            bodies.push(base + at);
        }
    }
    let missing = |what: &str| CompileError::new(format!("internal error: link: no {what}"));
    // Image-relative addresses (data at 0, code at `code_at`); `r15` is at `-bias`.
    for (i, unit) in units.iter().enumerate() {
        let base = code_base[i];
        for fixup in &unit.fixups {
            let address = match &fixup.target {
                Target::UnitData => data_at[i] as i64,
                Target::Global(name) => match cells.get(name) {
                    Some(&offset) => offset as i64,
                    None => match attach.and_then(|a| a.globals.get(name)) {
                        Some(&offset) => offset as i64 - bias as i64,
                        None => return Err(missing("global cell")),
                    },
                },
                Target::Symbol(name) => *symbols.get(name).ok_or_else(|| missing("symbol"))? as i64,
                Target::Stub(stub) => {
                    (code_at + *stubs.get(stub).ok_or_else(|| missing(stub.name()))?) as i64
                }
                Target::Body(n) => {
                    (code_at + *bodies.get(*n).ok_or_else(|| missing("body"))?) as i64
                }
                Target::Context => -(bias as i64),
            } + fixup.addend;
            let value = match fixup.field {
                Field::Disp32 => address + bias as i64,
                Field::Rel32 { next } => address - (code_at + base + next) as i64,
            };
            let value = i32::try_from(value)
                .map_err(|_| CompileError::new("internal error: link: a field overflows"))?;
            let at = (base + fixup.at) as usize;
            code[at..at + 4].copy_from_slice(&value.to_le_bytes());
        }
        let place = |loc: Location| Location {
            section: loc.section,
            offset: loc.offset
                + match loc.section {
                    Section::Code => base,
                    Section::Data => data_at[i],
                },
        };
        for reloc in &unit.relocs {
            relocs.push(Reloc {
                at: place(reloc.at),
                target: place(reloc.target),
            });
        }
        for &(at, name) in &unit.symbol_words {
            let at = Location {
                section: Section::Data,
                offset: data_at[i] + at,
            };
            match symbols.get(&name) {
                Some(&offset) => relocs.push(Reloc {
                    at,
                    target: Location {
                        section: Section::Data,
                        offset: offset + runtime::value::TAG_OBJECT,
                    },
                }),
                None => return Err(missing("symbol")),
            }
        }
    }

    // Symbols, then the frame table after the code (8-aligned); the context points at it.
    let mut image_symbols = Vec::new();
    let mut sites = Vec::new();
    for (unit, &base) in units.iter().zip(&code_base) {
        for symbol in &unit.symbols {
            image_symbols.push(ImageSymbol {
                offset: symbol.offset + base,
                ..symbol.clone()
            });
        }
        sites.extend(
            unit.frame_sites
                .iter()
                .map(|(at, site)| (at + base, site.clone())),
        );
    }
    let (table, count) = frame_table::encode(sites)?;
    code.resize(code.len().next_multiple_of(8), 0xcc);
    let table_at = code.len() as u64;
    code.extend_from_slice(&table);
    image_symbols.push(ImageSymbol {
        name: "loko:frame_table".to_owned(),
        section: Section::Code,
        offset: table_at,
        size: table.len() as u64,
    });
    let count_at = runtime::context::FRAME_COUNT as usize;
    data[count_at..count_at + 8].copy_from_slice(&(count as u64).to_le_bytes());
    for (field, section, offset) in [
        (runtime::context::FRAME_TABLE, Section::Code, table_at),
        (runtime::context::CODE_START, Section::Code, 0),
        (
            runtime::context::GLOBALS_START,
            Section::Data,
            globals_start,
        ),
        (runtime::context::GLOBALS_END, Section::Data, globals_end),
    ] {
        relocs.push(Reloc {
            at: Location {
                section: Section::Data,
                offset: field as u64,
            },
            target: Location { section, offset },
        });
    }
    let new_symbols = symbols
        .iter()
        .map(|(&name, &offset)| (name, offset + runtime::value::TAG_OBJECT))
        .collect();
    Ok(Linked {
        image: Image {
            code,
            data,
            entry: entry.ok_or_else(|| missing("entry"))?,
            symbols: image_symbols,
            relocs,
            roots: globals_start..globals_end,
        },
        globals: new_globals,
        symbols: new_symbols,
    })
}

#[cfg(test)]
mod tests {
    use crate::codegen::{compile_unit, link_program};
    use crate::link::{Target, UnitCode};
    use crate::{Outcome, run_image};
    use ir::lang::core_scheme;
    use ir::nanopass::Ir;
    use ir::symbol::Symbol;
    use passes::pipeline::{self, Quiet, Run};

    fn unit(name: &str, text: &str) -> UnitCode {
        let tree = core_scheme::Tree::parse(text).expect("parses");
        let lowered = pipeline::run(tree, &mut Run::new(&mut Quiet)).expect("the pipeline runs");
        compile_unit(&lowered, name, None).expect("compiles")
    }

    /// Two units compiled apart, then linked: a global set by the first is the one the second
    /// reads, a symbol quoted by both is one object, and the bodies run in order.
    #[test]
    fn linked_units_share_globals_and_symbols_and_run_in_order() {
        let library = unit(
            "(lib)",
            "(program (begin (set-global! lib::x (quote 40)) (set-global! lib::s (quote shared))))",
        );
        let program = unit(
            "program",
            "(program ((primitive $exit)
               (if ((primitive eq?) (global lib::s) (quote shared))
                   ((primitive +) (global lib::x) (quote 2))
                   (quote 1))))",
        );
        // Apart, the units refer to the global and the symbol only by name.
        for unit in [&library, &program] {
            assert!(
                unit.fixups
                    .iter()
                    .any(|f| f.target == Target::Global(Symbol::intern("lib::s")))
            );
            assert!(
                unit.fixups
                    .iter()
                    .any(|f| f.target == Target::Symbol(Symbol::intern("shared")))
            );
        }
        let linked = link_program(&[&library, &program]).expect("links");
        linked.image.validate().expect("a valid image");
        let names: Vec<&str> = linked
            .image
            .symbols
            .iter()
            .map(|s| s.name.as_str())
            .collect();
        for name in [
            "scheme:body (lib)",
            "scheme:program",
            "loko:run_units",
            "loko:mv_return",
        ] {
            assert!(names.contains(&name), "{names:?}");
        }
        assert_eq!(run_image(&linked.image), Ok(Outcome::Exited(42)));
    }
}
