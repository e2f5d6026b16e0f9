//! The standalone runtime executable that `loko --compile` extends.
//!
//! All of its code lives in the `runtime` library (module `start`, behind the
//! `stub` feature); this file only makes it a freestanding binary. It is built
//! by backend's build.rs with panic=abort and `-nostartfiles -static -no-pie`.
#![no_std]
#![no_main]

use runtime as _;
