//! The expand-time world: loko's [`PhaseRunner`], which compiles phase-1 code (macro
//! transformers and what they use) with the pipeline and the backend and runs it in this
//! process (DESIGN.md decision 3).
//!
//! One world lives for one expansion. It is one reserved address range: the context block at
//! its start, then image after image, each compiled *attached* (`backend::codegen::Attach`):
//! every image's code runs with `r15` at the one context, reaches its own statics at a known
//! bias from it and the globals and symbols of earlier images through the linkage, so
//! closures made by one image can be called from any later one, and the heap (mapped once by
//! `init`) persists across runs. The first image is the base library's unit; a library's unit
//! is instantiated when expand-time code first refers to one of its variables (implicit
//! phasing); each transformer expression is one image whose body stores its value in a global
//! cell; one small image, compiled once, calls `$call-transformer` on the cells
//! `$expand::transformer`, `$expand::input` and `$expand::assign`, storing `$expand::result`.
//!
//! Values cross by direct reads and writes of the heap ([`convert`]); the identifier tag is the
//! base global `$identifier-rtd`. Errors inside a transformer are captured: the services'
//! `write` to fd 2 goes to a buffer and `exit` returns here, so a runtime error becomes a
//! diagnostic; `syntax-violation` reports its form through the `expand` service first.
//!
//! **Partial:** the world does not collect (its `collect` service only lets the heap grow, up
//! to the default 4 GiB): host-held values (transformers) are plain words, and the frame table
//! and globals of later images are not where the collector looks; to collect, they must become
//! roots. Symbols of earlier images are linked into later code as absolute addresses, which a
//! moving collector must treat as static.

mod convert;

use backend::codegen::{Attach, compile_attached};
use ir::lang::core_scheme::{self, Program, Tree};
use ir::nanopass::Ir;
use ir::symbol::Symbol;
use passes::expand::Unit;
use passes::expand::phase::{ExpandHost, PhaseRunner, RunError, Value};
use passes::pipeline::{self, Quiet, Run};
use runtime::context::Context;
use runtime::services::Services;
use runtime::value::*;
use std::cell::{Cell, RefCell};
use std::collections::{HashMap, HashSet};

/// The address range reserved for the world's context and images.
const REGION_SIZE: usize = 1 << 30;
/// How deep expand-time code may recurse (bytes of frames) before "stack overflow".
const DEPTH_LIMIT: i64 = 64 << 20;

/// The expand-time world (see the module documentation).
pub struct World {
    region: *mut u8,
    /// The offset of the next image in the region.
    next: u64,
    attach: Attach,
    instantiated: HashSet<usize>,
    /// The globals each unit defines (computed on first need).
    unit_globals: HashMap<usize, HashSet<Symbol>>,
    call_entry: Option<u64>,
    /// The global cell holding each transformer (the world's heap is reached only through
    /// cells, so a collector scanning the images' data as roots would see them).
    transformers: Vec<*mut u64>,
    started: bool,
}

impl Default for World {
    fn default() -> Self {
        World::new()
    }
}

thread_local! {
    /// What fd 2 received during the current run.
    static STDERR: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The expander answering the running transformer's questions.
    static HOST: Cell<Option<*const (dyn ExpandHost + 'static)>> = const { Cell::new(None) };
    /// The running call's identifier tag and the input lists' spans.
    static CALL: RefCell<(u64, HashMap<u64, passes::expand::phase::Handle>)> = RefCell::new((FALSE, HashMap::new()));
    /// The `syntax-violation` reported by the running transformer.
    static VIOLATION: RefCell<Option<RunError>> = const { RefCell::new(None) };
}

impl World {
    pub fn new() -> World {
        World {
            region: std::ptr::null_mut(),
            next: 0,
            attach: Attach::default(),
            instantiated: HashSet::new(),
            unit_globals: HashMap::new(),
            call_entry: None,
            transformers: Vec::new(),
            started: false,
        }
    }

    fn context(&self) -> *mut Context {
        self.region as *mut Context
    }

    /// Reserves the region and maps the heap and stack (once).
    fn start(&mut self) -> Result<(), RunError> {
        if self.started {
            return Ok(());
        }
        let region = runtime::sys::mmap_lazy(
            REGION_SIZE,
            runtime::sys::PROT_READ | runtime::sys::PROT_WRITE,
        );
        if region < 0 {
            return Err(RunError::Error(format!(
                "cannot map the expand-time world: errno {}",
                -region
            )));
        }
        self.region = region as *mut u8;
        // `init` reports a failure to map by raising, which needs code that is not there yet:
        // make sure it can map first.
        for size in [
            runtime::gc::heap::DEFAULT_SPACE_SIZE,
            runtime::gc::heap::DEFAULT_SPACE_SIZE,
            runtime::context::STACK_SIZE,
        ] {
            let probe = runtime::sys::mmap_lazy(size, runtime::sys::PROT_READ);
            if probe < 0 {
                return Err(RunError::Error(format!(
                    "cannot map the expand-time heap: errno {}",
                    -probe
                )));
            }
            // SAFETY: the probe mapping is ours and unused.
            unsafe { runtime::sys::munmap(probe as *mut u8, size) };
        }
        let ctx = self.context();
        // SAFETY: the region is ours, zeroed, and large enough for the context block.
        unsafe {
            (*ctx).services = &WORLD_SERVICES;
            (*ctx).symbols = NULL;
            runtime::support::init_service(ctx);
            (*ctx).stack_depth_limit = fixnum(DEPTH_LIMIT);
        }
        self.next = (runtime::context::SIZE as u64).next_multiple_of(4096);
        self.attach.context = self.region as u64;
        self.started = true;
        Ok(())
    }

    /// Compiles `tree` attached to the world, places it and runs it.
    fn run_tree(&mut self, tree: Tree) -> Result<(), RunError> {
        let entry = self.load(tree)?;
        self.run(entry)
    }

    fn load(&mut self, tree: Tree) -> Result<u64, RunError> {
        let lowered = pipeline::run(tree, &mut Run::new(&mut Quiet))
            .map_err(|e| RunError::Error(format!("internal error: {e}")))?;
        self.sync_symbols();
        let mut attach = self.attach.clone();
        attach.bias = self.next;
        let attached = compile_attached(&lowered, attach)
            .map_err(|e| RunError::Error(format!("internal error: {e}")))?;
        let size = attached.image.placed_size();
        if self.next + size > REGION_SIZE as u64 {
            return Err(RunError::Error("expand-time code too large".to_owned()));
        }
        let base = self.region as u64 + self.next;
        // SAFETY: `base..base + size` is inside the region and unused.
        let entry = unsafe { backend::loader::place_image(&attached.image, base as *mut u8) }
            .map_err(|e| RunError::Error(format!("internal error: {e}")))?;
        self.next = (self.next + size).next_multiple_of(4096);
        for (name, offset) in attached.globals {
            self.attach.globals.insert(name, offset);
        }
        for (name, offset) in attached.symbols {
            self.attach.symbols.insert(name, base + offset);
        }
        // The image's symbols join the world's list, so `string->symbol` finds them.
        // SAFETY: the image's context block heads a well-formed list of its static symbols.
        unsafe {
            let own = base as *mut u64;
            let list_at = own.add(runtime::context::SYMBOLS as usize / 8);
            let mut list = *list_at;
            if list != NULL {
                let head = list;
                while read(list + 7) != NULL {
                    list = read(list + 7);
                }
                *((list + 7) as *mut u64) = (*self.context()).symbols;
                (*self.context()).symbols = head;
            }
        }
        Ok(entry)
    }

    fn run(&mut self, entry: u64) -> Result<(), RunError> {
        STDERR.with(|b| b.borrow_mut().clear());
        VIOLATION.with(|v| v.borrow_mut().take());
        // A run starts outside any dynamic extent: an earlier run may have ended (by an error)
        // inside `dynamic-wind`s and handlers, and with an error report under way.
        for (name, value) in [("$base::$handlers", NULL), ("$base::$reporting", FALSE)] {
            if let Some(cell) = self.cell(name) {
                // SAFETY: the cell is a global of an image placed in the region.
                unsafe { *cell = value };
            }
        }
        let ctx = self.context();
        // SAFETY: the context was initialized by `start`; a run starts with an empty stack.
        let outcome = unsafe {
            (*ctx).cont_link = FALSE;
            (*ctx).winders = NULL;
            (*ctx).stack_limit = (*ctx).stack_top - runtime::continuation::SEGMENT_SIZE;
            (*ctx).stack_depth_limit = fixnum(DEPTH_LIMIT);
            backend::loader::run_entry(entry, &WORLD_SERVICES)
        };
        match outcome {
            backend::Outcome::Returned(_) | backend::Outcome::Exited(0) => Ok(()),
            backend::Outcome::Exited(status) => {
                if let Some(violation) = VIOLATION.with(|v| v.borrow_mut().take()) {
                    return Err(violation);
                }
                let text = STDERR.with(|b| String::from_utf8_lossy(&b.borrow()).into_owned());
                // The runtime's report, one line per field, as one line.
                let text = text
                    .trim()
                    .strip_prefix("Unhandled exception:")
                    .unwrap_or(text.trim());
                let fields: Vec<&str> = text
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .collect();
                Err(RunError::Error(if fields.is_empty() {
                    format!("exited with status {status}")
                } else {
                    fields.join("; ")
                }))
            }
        }
    }

    /// Instantiates the units (other than the program) that define globals `tree` uses and
    /// the world lacks, each after the units it needs in turn.
    fn instantiate_needed(&mut self, tree: &Tree, units: &[Unit]) -> Result<(), RunError> {
        for name in globals_used(tree) {
            if self.attach.globals.contains_key(&name) {
                continue;
            }
            let found = (0..units.len()).find(|&i| {
                units[i].name != "program"
                    && self
                        .unit_globals
                        .entry(i)
                        .or_insert_with(|| globals_defined(&units[i].tree))
                        .contains(&name)
            });
            // A unit already started (a cycle) or none: the reference stays unbound.
            if let Some(index) = found
                && self.instantiated.insert(index)
            {
                let unit = units[index].tree.clone();
                self.instantiate_needed(&unit, units)?;
                self.run_tree(unit)?;
            }
        }
        Ok(())
    }

    /// Makes the linkage's symbols those of the world's list (some are made at run time).
    fn sync_symbols(&mut self) {
        // SAFETY: the context's list is a well-formed list of symbols.
        unsafe {
            let mut list = (*self.context()).symbols;
            while list & TAG_MASK == TAG_PAIR {
                let symbol = read(list - 1);
                if let Some(name) = convert::symbol_name(symbol) {
                    self.attach.symbols.insert(name, symbol);
                }
                list = read(list + 7);
            }
        }
    }

    fn cell(&self, name: &str) -> Option<*mut u64> {
        let offset = self.attach.globals.get(&Symbol::intern(name))?;
        Some((self.region as u64 + offset) as *mut u64)
    }

    fn base_global(&self, name: &str) -> Result<u64, RunError> {
        let cell = self
            .cell(&format!("$base::{name}"))
            .ok_or_else(|| RunError::Error(format!("internal error: no base global {name}")))?;
        // SAFETY: the cell is a global of an image placed in the region.
        Ok(unsafe { *cell })
    }
}

impl PhaseRunner for World {
    fn eval(&mut self, tree: &Tree, units: &[Unit]) -> Result<u32, RunError> {
        self.start()?;
        if let Some(base) = units.first()
            && self.instantiated.insert(0)
        {
            self.run_tree(base.tree.clone())?;
        }
        self.instantiate_needed(tree, units)?;
        let handle = self.transformers.len() as u32;
        let name = Symbol::intern(&format!("$expand::transformer.{handle}"));
        let mut tree = tree.clone();
        let Program::Program { body } = tree.arena[tree.root].clone();
        let set = tree.arena.expr_global_set(name, body);
        tree.root = tree.arena.program_program(set);
        self.run_tree(tree)?;
        let cell = self
            .cell(name.as_str())
            .ok_or_else(|| RunError::Error("internal error: transformer cell".to_owned()))?;
        self.transformers.push(cell);
        Ok(handle)
    }

    fn call(
        &mut self,
        transformer: u32,
        input: &Value,
        assign: bool,
        host: &dyn ExpandHost,
    ) -> Result<Value, RunError> {
        let Some(&procedure_cell) = self.transformers.get(transformer as usize) else {
            return Err(RunError::Error(
                "internal error: no such transformer".to_owned(),
            ));
        };
        let entry = match self.call_entry {
            Some(entry) => entry,
            None => {
                let text = "(program (set-global! $expand::result ((global $base::$call-transformer) (global $expand::transformer) (global $expand::input) (global $expand::assign))))";
                let tree = core_scheme::Tree::parse(text)
                    .map_err(|e| RunError::Error(format!("internal error: {}", e.message)))?;
                let entry = self.load(tree)?;
                self.call_entry = Some(entry);
                entry
            }
        };
        let tag = self.base_global("$identifier-rtd")?;
        let ctx = self.context();
        let mut converter = convert::Converter::new(ctx, tag, &mut self.attach.symbols);
        let input = converter.write(input)?;
        let spans = converter.into_spans();
        let cells = [
            "$expand::transformer",
            "$expand::input",
            "$expand::assign",
            "$expand::result",
        ]
        .map(|name| self.cell(name));
        let [Some(t), Some(i), Some(a), Some(r)] = cells else {
            return Err(RunError::Error("internal error: call cells".to_owned()));
        };
        // SAFETY: the cells are globals of images placed in the region.
        unsafe {
            *t = *procedure_cell;
            *i = input;
            *a = if assign { TRUE } else { FALSE };
            *r = FALSE;
        }
        // SAFETY: `host` outlives the run; the pointer is cleared right after it.
        let host: *const (dyn ExpandHost + '_) = host;
        HOST.with(|h| h.set(Some(unsafe { std::mem::transmute::<*const (dyn ExpandHost + '_), *const (dyn ExpandHost + 'static)>(host) })));
        CALL.with(|c| *c.borrow_mut() = (tag, spans));
        let result = self.run(entry);
        HOST.with(|h| h.set(None));
        let spans = CALL.with(|c| std::mem::take(&mut c.borrow_mut().1));
        result?;
        // SAFETY: the run stored its result in the cell.
        let output = unsafe { *r };
        convert::from_heap(output, tag, &spans)
    }
}

/// Reads the word at `address`.
///
/// # Safety
/// `address` must be readable.
unsafe fn read(address: u64) -> u64 {
    unsafe { *(address as *const u64) }
}

/// The globals `tree` refers to or assigns.
fn globals_used(tree: &Tree) -> HashSet<Symbol> {
    let text = tree.to_string();
    names_after(&text, "(global ")
        .chain(names_after(&text, "(set-global! "))
        .collect()
}

/// The globals `tree` defines.
fn globals_defined(tree: &Tree) -> HashSet<Symbol> {
    names_after(&tree.to_string(), "(set-global! ").collect()
}

fn names_after<'t>(text: &'t str, prefix: &'t str) -> impl Iterator<Item = Symbol> + 't {
    text.match_indices(prefix).filter_map(move |(at, _)| {
        let rest = &text[at + prefix.len()..];
        let end = rest.find(|c: char| c.is_whitespace() || c == ')')?;
        Some(Symbol::intern(&rest[..end]))
    })
}

/// The services expand-time code gets: the host's, except that fd 2 is captured, and the
/// `expand` service answers.
static WORLD_SERVICES: Services = Services {
    write: capture_write,
    expand: expand_service,
    // The collector cannot find the world's roots (host-held values, several images on one
    // context), so the world's heap only grows, as it always has.
    env: runtime::gc::heap::no_environment,
    collect: runtime::gc::heap::grow_only_service,
    ..backend::loader::HOST_SERVICES
};

/// `write`, with fd 2 captured for the diagnostic.
unsafe extern "sysv64" fn capture_write(fd: i32, buf: *const u8, len: usize) -> isize {
    if fd == 2 {
        // SAFETY: the runtime passes a valid buffer.
        let bytes = unsafe { std::slice::from_raw_parts(buf, len) };
        STDERR.with(|b| b.borrow_mut().extend_from_slice(bytes));
        return len as isize;
    }
    // SAFETY: as the caller's.
    unsafe { runtime::services::write_all(fd, buf, len) }
}

/// The `expand` service: 0 is `free-identifier=?` of two identifiers; 1 records a
/// `syntax-violation` (a list: who, message, form, subform) and ends the run.
unsafe extern "sysv64" fn expand_service(_ctx: *mut Context, op: u64, a: u64, b: u64) -> u64 {
    match op >> FIXNUM_SHIFT {
        0 => {
            let Some(host) = HOST.with(|h| h.get()) else {
                return FALSE;
            };
            let tag = CALL.with(|c| c.borrow().0);
            let key = |v| convert::identifier(v, tag).map(|(name, scopes, _)| (name, scopes));
            let (Some(x), Some(y)) = (key(a), key(b)) else {
                return FALSE;
            };
            // SAFETY: `HOST` is set only while `call` runs, which outlives this service.
            if unsafe { (*host).free_identifier_eq(x, y) } {
                TRUE
            } else {
                FALSE
            }
        }
        1 => {
            let violation = CALL.with(|c| {
                let c = c.borrow();
                convert::violation(a, c.0, &c.1)
            });
            VIOLATION.with(|v| *v.borrow_mut() = Some(violation));
            // SAFETY: called from generated code inside a run.
            unsafe { backend::loader::exit_to_host(70) }
        }
        _ => FALSE,
    }
}
