//! The compiler's passes, one file each (named verb_object after what the pass does), and the
//! pipeline that orders them.
//!
//! **Architecture invariant:** a pass only sees the IR it is given; it does not read files,
//! print, or depend on `backend`.

pub mod convert_assignments;
pub mod convert_closures;
pub mod convert_direct_calls;
pub mod convert_letrec;
pub mod expand;
pub mod free_variables;
pub mod make_tail_calls_explicit;
pub mod merge_units;
pub mod pipeline;
pub mod remove_one_armed_if;
#[cfg(test)]
mod test_support;
