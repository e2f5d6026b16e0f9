//! Garbage collection: the frame table that describes the Scheme stack ([`frames`]).
pub mod frames;
