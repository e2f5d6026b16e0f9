//! Shared helpers for loko's benchmark programs (the binaries in `src/bin/`).
