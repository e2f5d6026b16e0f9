//! Builds the runtime stub executable that `loko --compile` extends (DESIGN.md decision 1).
//!
//! Runs a nested `cargo build` of `runtime`'s `loko-stub` binary with the
//! `stub` feature, into its own target directory under `OUT_DIR` (so it never
//! waits on the outer build's directory lock), with settings that apply to
//! that build only: panic=abort (the compiler itself must unwind, for salsa),
//! no start files, static, not position-independent, optimized for size, no
//! debug info but with symbols. `src/stub.rs` embeds the result with
//! `include_bytes!` through the `LOKO_STUB` variable set here.
//!
//! The build script lives in `backend` rather than the root package because
//! the backend owns producing executables: its ELF writer and its tests need
//! the stub, and they cannot reach an `OUT_DIR` of the `loko` package.

use std::env;
use std::ffi::OsString;
use std::path::PathBuf;
use std::process::Command;

/// The stub is amd64 Linux whatever the host is: it is what loko emits.
const STUB_TARGET: &str = "x86_64-unknown-linux-gnu";

fn main() {
    let manifest_dir = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").expect("set by cargo"));
    let runtime_dir = manifest_dir.join("../runtime");
    let out_dir = PathBuf::from(env::var_os("OUT_DIR").expect("set by cargo"));
    let target_dir = out_dir.join("stub-target");

    println!(
        "cargo::rerun-if-changed={}",
        runtime_dir.join("src").display()
    );
    println!(
        "cargo::rerun-if-changed={}",
        runtime_dir.join("Cargo.toml").display()
    );
    println!("cargo::rerun-if-changed=build.rs");

    let cargo = env::var_os("CARGO").unwrap_or_else(|| OsString::from("cargo"));
    let mut command = Command::new(cargo);
    command
        .args([
            "build",
            "--release",
            "--package",
            "runtime",
            "--bin",
            "loko-stub",
        ])
        .args(["--features", "stub", "--target", STUB_TARGET])
        .arg("--manifest-path")
        .arg(runtime_dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(&target_dir);
    for setting in [
        "panic=\"abort\"",
        "opt-level=\"s\"",
        "lto=true",
        "codegen-units=1",
        "debug=false",
        "strip=\"debuginfo\"",
        "debug-assertions=false",
        "overflow-checks=false",
        "incremental=false",
    ] {
        command
            .arg("--config")
            .arg(format!("profile.release.{setting}"));
    }
    scrub_environment(&mut command);
    // CARGO_ENCODED_RUSTFLAGS takes precedence over every other source of
    // flags, so the outer build's RUSTFLAGS cannot leak in.
    let rustflags = [
        "-Crelocation-model=static",
        "-Ctarget-feature=+crt-static",
        "-Clink-arg=-nostartfiles",
        "-Clink-arg=-static",
        "-Clink-arg=-no-pie",
        "-Clink-arg=-Wl,--build-id=none",
    ];
    command.env("CARGO_ENCODED_RUSTFLAGS", rustflags.join("\x1f"));

    let status = command
        .status()
        .unwrap_or_else(|e| panic!("cannot run the nested cargo build of the runtime stub: {e}"));
    assert!(
        status.success(),
        "the nested cargo build of the runtime stub failed: {status}"
    );

    let stub = target_dir
        .join(STUB_TARGET)
        .join("release")
        .join("loko-stub");
    assert!(
        stub.is_file(),
        "the nested build did not produce {}",
        stub.display()
    );
    println!("cargo::rustc-env=LOKO_STUB={}", stub.display());
}

/// Removes what the outer cargo tells its build scripts and would steer the
/// nested cargo: its target dir, flags, wrappers (clippy's among them),
/// profile and target overrides, and the jobserver (the nested build is one
/// small crate). Settings for reaching registries (`CARGO_HOME`, network,
/// HTTP, registries) are kept.
fn scrub_environment(command: &mut Command) {
    const KEPT: [&str; 6] = [
        "CARGO_HOME",
        "CARGO_NET_",
        "CARGO_HTTP_",
        "CARGO_REGISTRIES_",
        "CARGO_REGISTRY_",
        "CARGO_TERM_",
    ];
    for (name, _) in env::vars_os() {
        let Some(name) = name.to_str() else { continue };
        let steers_cargo = (name.starts_with("CARGO_")
            && !KEPT.iter().any(|kept| name.starts_with(kept)))
            || name.starts_with("__CARGO")
            || matches!(
                name,
                "RUSTFLAGS"
                    | "RUSTDOCFLAGS"
                    | "RUSTC_WRAPPER"
                    | "RUSTC_WORKSPACE_WRAPPER"
                    | "MAKEFLAGS"
                    | "MFLAGS"
            );
        if steers_cargo {
            command.env_remove(name);
        }
    }
}
