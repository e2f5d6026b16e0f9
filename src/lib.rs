//! The `loko` driver as a library: the salsa database that memoizes each stage of compiling
//! each file (`db`), and the expand-time world that runs macro transformers (`expand_time`).
//! The command line (`main.rs`) is built on it; tests drive it directly.

pub mod db;
pub mod expand_time;
