//! Linking images into static executables and running them.

mod common;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use backend::{Image, LinkError, STUB, link_executable};
use common::{Addressing, Ending, HELLO, program};
use object::read::elf::{ElfFile64, ProgramHeader};
use object::{Object, ObjectSymbol, elf};

/// Links `image`, writes the executable under the test's temp dir, runs it
/// with an empty environment (as `env -i` would) and returns its output.
fn run_linked(name: &str, image: &Image) -> (Vec<u8>, Output) {
    let exe = link_executable(STUB, image).expect("links");
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(name);
    fs::write(&path, &exe).expect("writes the executable");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
    (exe, run(&path))
}

/// Runs `path` with an empty environment. Retries while the file is "busy":
/// a sibling test thread that forks while we hold the file open for writing
/// keeps a copy of that descriptor until its child calls exec.
fn run(path: &Path) -> Output {
    const ETXTBSY: i32 = 26;
    for _ in 0..50 {
        match Command::new(path).env_clear().output() {
            Err(e) if e.raw_os_error() == Some(ETXTBSY) => {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            result => return result.expect("runs the executable"),
        }
    }
    panic!("{} stayed busy", path.display())
}

#[test]
fn hello_world_runs_and_exits_0() {
    let image = program(HELLO, 1, Addressing::RipRelative, Ending::Exit(0));
    let (exe, output) = run_linked("hello", &image);
    assert_eq!(String::from_utf8_lossy(&output.stdout), HELLO);
    assert_eq!(output.stderr, b"");
    assert_eq!(output.status.code(), Some(0));
    assert!(exe.len() < 1 << 20, "executable is {} bytes", exe.len());
}

#[test]
fn exit_status_is_the_programs() {
    let image = program(
        "bye\n",
        1,
        Addressing::ThroughRelocatedPointer,
        Ending::Exit(3),
    );
    let (_, output) = run_linked("exit3", &image);
    assert_eq!(output.stdout, b"bye\n");
    assert_eq!(output.status.code(), Some(3));
}

#[test]
fn returning_from_the_entry_exits_with_the_value() {
    let image = program("to stderr\n", 2, Addressing::RipRelative, Ending::Return(5));
    let (_, output) = run_linked("return5", &image);
    assert_eq!(output.stdout, b"");
    assert_eq!(output.stderr, b"to stderr\n");
    assert_eq!(output.status.code(), Some(5));
}

#[test]
fn the_unpatched_stub_refuses_to_run() {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("bare-stub");
    fs::write(&path, STUB).expect("writes the stub");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o755)).expect("chmod");
    let output = run(&path);
    assert_eq!(output.status.code(), Some(70));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "loko runtime: no Scheme program is linked into this executable\n"
    );
}

#[test]
fn the_executable_is_static_elf64_with_separate_rx_and_rw_segments() {
    let image = program(HELLO, 1, Addressing::RipRelative, Ending::Exit(0));
    let exe = link_executable(STUB, &image).expect("links");
    let file = ElfFile64::<object::Endianness>::parse(exe.as_slice()).expect("parses");
    let endian = file.endian();
    let header = file.elf_header();
    assert_eq!(header.e_type.get(endian), elf::ET_EXEC);
    assert_eq!(header.e_machine.get(endian), elf::EM_X86_64);
    assert!(file.section_by_name(".dynamic").is_none());
    assert!(file.section_by_name(".interp").is_none());

    let mut loads = Vec::new();
    for phdr in file.elf_program_headers() {
        let p_type = phdr.p_type(endian);
        assert_ne!(p_type, elf::PT_INTERP);
        assert_ne!(p_type, elf::PT_DYNAMIC);
        if p_type == elf::PT_LOAD {
            let flags = phdr.p_flags(endian);
            assert!(
                !(flags.contains(elf::PF_W) && flags.contains(elf::PF_X)),
                "a segment is writable and executable"
            );
            let (offset, addr) = (phdr.p_offset(endian), phdr.p_vaddr(endian));
            assert_eq!(offset % 4096, addr % 4096, "offset ≢ address mod page");
            loads.push((addr, flags));
        }
    }
    // The stub's own (R, RX, the GOT's RELRO RW, RW), then the image's data and code.
    assert_eq!(loads.len(), 6);
    assert!(
        loads.windows(2).all(|w| w[0].0 < w[1].0),
        "PT_LOADs out of order"
    );
    assert_eq!(loads[4].1, elf::PF_R | elf::PF_W);
    assert_eq!(loads[5].1, elf::PF_R | elf::PF_X);
}

#[test]
fn symbols_name_runtime_and_scheme_code() {
    let image = program(HELLO, 1, Addressing::RipRelative, Ending::Exit(0));
    let exe = link_executable(STUB, &image).expect("links");
    let file = object::File::parse(exe.as_slice()).expect("parses");
    let find = |name: &str| file.symbols().find(|s| s.name() == Ok(name));

    let hello = find("scheme:hello").expect("scheme:hello in .symtab");
    assert_eq!(hello.size(), image.code.len() as u64);
    assert_eq!(hello.kind(), object::SymbolKind::Text);
    let text = file.section_by_name(".loko.text").expect(".loko.text");
    assert_eq!(
        hello.section_index(),
        Some(object::ObjectSection::index(&text))
    );
    assert_eq!(hello.address(), object::ObjectSection::address(&text));

    let message = find("scheme:message").expect("scheme:message in .symtab");
    assert_eq!(message.kind(), object::SymbolKind::Data);
    // The code is exactly `code_offset` past the data.
    assert_eq!(hello.address() - message.address(), image.code_offset());

    assert!(find("_start").is_some(), "runtime symbols are kept");
    assert!(find("loko_image_table").is_some());
}

#[test]
fn bad_inputs_are_errors_not_panics() {
    let image = program(HELLO, 1, Addressing::RipRelative, Ending::Exit(0));
    assert!(matches!(
        link_executable(b"not an ELF file", &image),
        Err(LinkError::Object(_))
    ));
    // A valid ELF file that is not loko's stub: the linked executable itself
    // has no placeholder note any more.
    let exe = link_executable(STUB, &image).expect("links");
    assert!(matches!(
        link_executable(&exe, &image),
        Err(LinkError::BadStub(_))
    ));

    let bad = Image {
        entry: 1 << 20,
        ..image
    };
    assert!(matches!(
        link_executable(STUB, &bad),
        Err(LinkError::Image(_))
    ));
}

#[test]
fn data_larger_than_a_page_moves_the_code() {
    let long = format!("{}\n", "x".repeat(5000));
    for addressing in [Addressing::RipRelative, Addressing::ThroughRelocatedPointer] {
        let image = program(&long, 1, addressing, Ending::Exit(0));
        assert_eq!(image.code_offset(), 8192);
        let (_, output) = run_linked("long", &image);
        assert_eq!(String::from_utf8_lossy(&output.stdout), long);
        assert_eq!(output.status.code(), Some(0));
    }
}
