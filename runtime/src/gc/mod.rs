//! Garbage collection: a precise copying collector (Cheney). The frame table describes the
//! Scheme stack ([`frames`]); [`layout`] says how big each object is and which words to scan;
//! [`copy`] copies; [`heap`] owns the two spaces, sizes the allocation area and implements the
//! `collect` service that generated code calls when an allocation does not fit; [`chunks`]
//! keeps the stack chunks of segment overflows outside the spaces, marked and swept.
pub mod chunks;
pub mod copy;
pub mod frames;
pub mod heap;
pub mod layout;
