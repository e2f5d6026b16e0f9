//! The `loko` driver as a library: the salsa database that memoizes each stage of compiling
//! each file (`db`). The command line (`main.rs`) is built on it; tests drive it directly.

pub mod db;
