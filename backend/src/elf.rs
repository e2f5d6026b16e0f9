//! The ELF writer: the runtime stub plus an [`Image`] make a static executable.
//!
//! The stub (see `build.rs` and `runtime::start`) is a complete static, non-PIE
//! executable whose `_start` runs whatever its image table names. Linking is
//! therefore only placement, no symbol resolution:
//!
//! 1. read the stub with `object::build::elf::Builder`, which keeps every
//!    section and symbol of the runtime;
//! 2. delete the stub's placeholder note, so the program header table can grow
//!    into its space;
//! 3. place the image past the stub's last segment, at a page-aligned address
//!    and file offset (so offset ≡ address mod page size): a R+W `PT_LOAD`
//!    segment for the data, then a R+X one for the code, at the distance
//!    [`Image::code_offset`] that the code was assembled for;
//! 4. apply the image's relocations, patch the stub's `loko_image_table`, and
//!    add the image's symbols to `.symtab` so objdump, gdb and perf show
//!    Scheme names next to the runtime's.

use std::fmt;

use object::build::elf::{Builder, SectionData, SectionId};
use object::elf;
use runtime::table;

use crate::image::{Image, ImageError, Location, PAGE_SIZE, Section, align_up};

/// Why the stub and image could not be linked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// The image is inconsistent (a code generator bug).
    Image(ImageError),
    /// The stub is not the static amd64 executable loko's build produces.
    BadStub(String),
    /// `object` could not read or write the ELF file.
    Object(String),
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LinkError::Image(e) => write!(f, "invalid image: {e}"),
            LinkError::BadStub(why) => write!(f, "unusable runtime stub: {why}"),
            LinkError::Object(why) => write!(f, "ELF error: {why}"),
        }
    }
}

impl std::error::Error for LinkError {}

impl From<ImageError> for LinkError {
    fn from(e: ImageError) -> Self {
        LinkError::Image(e)
    }
}

impl From<object::build::Error> for LinkError {
    fn from(e: object::build::Error) -> Self {
        LinkError::Object(e.to_string())
    }
}

/// Returns the bytes of a static executable that runs `image` on the runtime
/// in `stub` (normally [`crate::STUB`]).
pub fn link_executable(stub: &[u8], image: &Image) -> Result<Vec<u8>, LinkError> {
    image.validate()?;
    let mut builder = Builder::read(stub)?;
    check_stub(&builder)?;
    make_room_for_segments(&mut builder)?;

    let (file_base, base) = end_of_segments(&builder);
    let (code, data) = image.relocated(base);
    let code_offset = image.code_offset();
    let data_section = (!data.is_empty()).then(|| {
        add_segment(
            &mut builder,
            ".loko.data",
            data,
            file_base,
            base,
            Section::Data,
        )
    });
    let code_section = add_segment(
        &mut builder,
        ".loko.text",
        code,
        file_base + code_offset,
        base + code_offset,
        Section::Code,
    );

    let at = |section, offset| image.address(base, Location { section, offset });
    let roots = if image.roots.is_empty() {
        (0, 0)
    } else {
        (
            at(Section::Data, image.roots.start),
            at(Section::Data, image.roots.end),
        )
    };
    let table = table::ImageTable {
        magic: table::MAGIC,
        entry: at(Section::Code, image.entry),
        code_start: at(Section::Code, 0),
        code_end: at(Section::Code, image.code.len() as u64),
        data_start: at(Section::Data, 0),
        data_end: at(Section::Data, image.data.len() as u64),
        roots_start: roots.0,
        roots_end: roots.1,
    };
    patch_table(&mut builder, &table)?;

    for symbol in &image.symbols {
        let (section, kind) = match symbol.section {
            Section::Code => (code_section, elf::STT_FUNC),
            Section::Data => (data_section.unwrap_or(code_section), elf::STT_OBJECT),
        };
        let sym = builder.symbols.add();
        sym.name = symbol.name.as_bytes().to_vec().into();
        sym.section = Some(section);
        // Local: Scheme procedure names need not be unique.
        sym.set_st_info(elf::STB_LOCAL, kind);
        sym.st_value = at(symbol.section, symbol.offset);
        sym.st_size = symbol.size;
    }

    update_phdr_segment(&mut builder);
    let mut out = Vec::new();
    builder.write(&mut out)?;
    Ok(out)
}

/// The stub must be what `build.rs` makes: static, non-PIE amd64, with symbols.
fn check_stub(builder: &Builder<'_>) -> Result<(), LinkError> {
    let bad = |why: &str| Err(LinkError::BadStub(why.to_owned()));
    if !builder.is_64 || builder.header.e_machine != elf::EM_X86_64 {
        return bad("not an x86-64 ELF file");
    }
    if builder.header.e_type != elf::ET_EXEC {
        return bad("not a non-PIE executable (ET_EXEC)");
    }
    let dynamic = builder
        .segments
        .iter()
        .any(|s| s.p_type == elf::PT_INTERP || s.p_type == elf::PT_DYNAMIC);
    if dynamic {
        return bad("dynamically linked");
    }
    Ok(())
}

/// Deletes the placeholder note that the stub reserves right after its
/// program header table (see `runtime::table::PHDR_RESERVE_SECTION`).
fn make_room_for_segments(builder: &mut Builder<'_>) -> Result<(), LinkError> {
    let reserve = builder
        .sections
        .iter_mut()
        .find(|s| s.name.as_slice() == table::PHDR_RESERVE_SECTION.as_bytes())
        .ok_or_else(|| LinkError::BadStub(format!("no {} section", table::PHDR_RESERVE_SECTION)))?;
    reserve.delete = true;
    // Drops the PT_NOTE segment that only held the placeholder.
    builder.delete_orphan_segments();
    Ok(())
}

/// The first page-aligned file offset and address past every stub segment.
fn end_of_segments(builder: &Builder<'_>) -> (u64, u64) {
    let mut file_end = 0;
    let mut addr_end = 0;
    for segment in &builder.segments {
        file_end = file_end.max(segment.p_offset + segment.p_filesz);
        addr_end = addr_end.max(segment.p_vaddr + segment.p_memsz);
    }
    (align_up(file_end, PAGE_SIZE), align_up(addr_end, PAGE_SIZE))
}

/// Adds a section holding `bytes` at `offset`/`addr`, and a `PT_LOAD` for it.
fn add_segment<'data>(
    builder: &mut Builder<'data>,
    name: &'static str,
    bytes: Vec<u8>,
    offset: u64,
    addr: u64,
    kind: Section,
) -> SectionId {
    let section = builder.sections.add();
    section.name = name.into();
    section.sh_type = elf::SHT_PROGBITS;
    section.sh_flags = match kind {
        Section::Code => elf::SHF_ALLOC | elf::SHF_EXECINSTR,
        Section::Data => elf::SHF_ALLOC | elf::SHF_WRITE,
    };
    section.sh_addralign = PAGE_SIZE;
    section.sh_size = bytes.len() as u64;
    section.data = SectionData::Data(bytes.into());
    let p_flags = section.p_flags();

    let segment = builder.segments.add();
    segment.p_type = elf::PT_LOAD;
    segment.p_flags = p_flags;
    segment.p_align = PAGE_SIZE;
    segment.p_offset = offset;
    segment.p_vaddr = addr;
    segment.p_paddr = addr;
    // An empty segment places the section at its own start.
    segment.append_section(section);
    section.id()
}

/// Overwrites the stub's image table with `table`.
fn patch_table(builder: &mut Builder<'_>, table: &table::ImageTable) -> Result<(), LinkError> {
    let symbol = builder
        .symbols
        .iter()
        .find(|s| s.name.as_slice() == table::SYMBOL.as_bytes())
        .ok_or_else(|| LinkError::BadStub(format!("no symbol {}", table::SYMBOL)))?;
    let (address, section) = (symbol.st_value, symbol.section);
    let section = section
        .map(|id| builder.sections.get_mut(id))
        .ok_or_else(|| LinkError::BadStub(format!("{} has no section", table::SYMBOL)))?;
    let sh_addr = section.sh_addr;
    let SectionData::Data(bytes) = &mut section.data else {
        return Err(LinkError::BadStub(format!(
            "{} is not in a section with file bytes",
            table::SYMBOL
        )));
    };
    let start = usize::try_from(address - sh_addr).unwrap_or(usize::MAX);
    let slot = start
        .checked_add(table::SIZE)
        .and_then(|end| bytes.to_mut().get_mut(start..end))
        .ok_or_else(|| LinkError::BadStub(format!("{} is out of bounds", table::SYMBOL)))?;
    if slot[..8] != table::MAGIC.to_le_bytes() {
        return Err(LinkError::BadStub(format!(
            "{} does not start with the expected magic (stub from another loko version?)",
            table::SYMBOL
        )));
    }
    slot.copy_from_slice(&table.to_bytes());
    Ok(())
}

/// `PT_PHDR` describes the program header table, which has grown.
fn update_phdr_segment(builder: &mut Builder<'_>) {
    let size = builder.segments.count() as u64 * builder.encoder().program_header_size();
    for segment in &mut builder.segments {
        if segment.p_type == elf::PT_PHDR {
            segment.p_filesz = size;
            segment.p_memsz = size;
        }
    }
}
