//! Scheme numbers at compile time (placeholder: fixnums only until the reader issue lands).

/// A number of the Scheme numeric tower.
#[derive(Clone, PartialEq, Debug)]
pub enum Number {
    Fixnum(i64),
}
