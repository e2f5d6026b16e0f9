//! The primitive procedures: the procedures the compiler knows by name. The expander binds the
//! standard libraries' names to `(primitive name)`; the backend open-codes them or calls the
//! runtime. This table is the one place both sides agree on.
//!
//! Adding a primitive: append a row (keep the groups), then teach the backend to compile it;
//! until it does, the backend reports it as an unsupported primitive rather than miscompiling.

use crate::symbol::Symbol;

/// How many arguments a primitive takes.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Arity {
    Exactly(u32),
    AtLeast(u32),
    Between(u32, u32),
}

impl Arity {
    pub fn accepts(self, count: usize) -> bool {
        let count = count as u32;
        match self {
            Arity::Exactly(n) => count == n,
            Arity::AtLeast(n) => count >= n,
            Arity::Between(low, high) => (low..=high).contains(&count),
        }
    }
}

/// A primitive procedure.
#[derive(Clone, Copy, Debug)]
pub struct Primitive {
    /// Its name in `(rnrs)` or `(scheme base)`, or a `$`-prefixed internal name.
    pub name: &'static str,
    pub arity: Arity,
}

const fn prim(name: &'static str, arity: Arity) -> Primitive {
    Primitive { name, arity }
}

use Arity::{AtLeast, Between, Exactly};

/// Every primitive, grouped by kind.
pub static PRIMITIVES: &[Primitive] = &[
    // Equivalence and types.
    prim("eq?", Exactly(2)),
    prim("eqv?", Exactly(2)),
    prim("equal?", Exactly(2)),
    prim("not", Exactly(1)),
    prim("boolean?", Exactly(1)),
    prim("procedure?", Exactly(1)),
    prim("void", Exactly(0)),
    // Numbers: fixnums open-coded, the rest of the tower through the runtime's `number` service.
    prim("number?", Exactly(1)),
    prim("integer?", Exactly(1)),
    prim("fixnum?", Exactly(1)),
    prim("+", AtLeast(0)),
    prim("-", AtLeast(1)),
    prim("*", AtLeast(0)),
    prim("=", AtLeast(1)),
    prim("<", AtLeast(1)),
    prim(">", AtLeast(1)),
    prim("<=", AtLeast(1)),
    prim(">=", AtLeast(1)),
    prim("zero?", Exactly(1)),
    prim("quotient", Exactly(2)),
    prim("remainder", Exactly(2)),
    prim("modulo", Exactly(2)),
    prim("/", AtLeast(1)),
    prim("real?", Exactly(1)),
    prim("rational?", Exactly(1)),
    prim("exact?", Exactly(1)),
    prim("inexact?", Exactly(1)),
    prim("exact-integer?", Exactly(1)),
    prim("flonum?", Exactly(1)),
    prim("nan?", Exactly(1)),
    prim("infinite?", Exactly(1)),
    prim("finite?", Exactly(1)),
    prim("exact", Exactly(1)),
    prim("inexact", Exactly(1)),
    prim("exact->inexact", Exactly(1)),
    prim("inexact->exact", Exactly(1)),
    prim("floor", Exactly(1)),
    prim("ceiling", Exactly(1)),
    prim("round", Exactly(1)),
    prim("truncate", Exactly(1)),
    prim("numerator", Exactly(1)),
    prim("denominator", Exactly(1)),
    prim("sqrt", Exactly(1)),
    prim("exp", Exactly(1)),
    prim("log", Between(1, 2)),
    prim("sin", Exactly(1)),
    prim("cos", Exactly(1)),
    prim("tan", Exactly(1)),
    prim("asin", Exactly(1)),
    prim("acos", Exactly(1)),
    prim("atan", Between(1, 2)),
    prim("expt", Exactly(2)),
    prim("number->string", Between(1, 2)),
    prim("string->number", Between(1, 2)),
    // Internal: two's complement operations on exact integers, for stdlib/bitwise.scm (which
    // checks types); and, ior and xor are open-coded for fixnums.
    prim("$bitwise-and", Exactly(2)),
    prim("$bitwise-ior", Exactly(2)),
    prim("$bitwise-xor", Exactly(2)),
    prim("$bitwise-arithmetic-shift", Exactly(2)),
    prim("$bitwise-bit-count", Exactly(1)),
    prim("$bitwise-length", Exactly(1)),
    prim("$bitwise-first-bit-set", Exactly(1)),
    // Pairs and lists.
    prim("pair?", Exactly(1)),
    prim("null?", Exactly(1)),
    prim("cons", Exactly(2)),
    prim("car", Exactly(1)),
    prim("cdr", Exactly(1)),
    prim("set-car!", Exactly(2)),
    prim("set-cdr!", Exactly(2)),
    prim("list", AtLeast(0)),
    prim("append", AtLeast(0)),
    // Characters, strings, symbols.
    prim("char?", Exactly(1)),
    prim("char->integer", Exactly(1)),
    prim("integer->char", Exactly(1)),
    prim("string?", Exactly(1)),
    prim("make-string", Between(1, 2)),
    prim("string-length", Exactly(1)),
    prim("string-ref", Exactly(2)),
    prim("string-set!", Exactly(3)),
    prim("symbol?", Exactly(1)),
    prim("symbol->string", Exactly(1)),
    prim("string->symbol", Exactly(1)),
    // Vectors and bytevectors.
    prim("vector?", Exactly(1)),
    prim("make-vector", Between(1, 2)),
    prim("vector", AtLeast(0)),
    prim("list->vector", Exactly(1)),
    prim("vector-length", Exactly(1)),
    prim("vector-ref", Exactly(2)),
    prim("vector-set!", Exactly(3)),
    prim("bytevector?", Exactly(1)),
    prim("make-bytevector", Between(1, 2)),
    prim("bytevector-length", Exactly(1)),
    prim("bytevector-u8-ref", Exactly(2)),
    prim("bytevector-u8-set!", Exactly(3)),
    // Control.
    prim("apply", AtLeast(2)),
    prim("values", AtLeast(0)),
    prim("call-with-values", Exactly(2)),
    // Continuations (backend::codegen::control); call/cc and dynamic-wind are Scheme over them.
    prim("$call/cc", Exactly(1)),
    prim("$continue-thunk", Exactly(2)),
    prim("$winders", Exactly(0)),
    prim("$set-winders!", Exactly(1)),
    prim("$continuation-winders", Exactly(1)),
    // Output and the process.
    prim("display", Between(1, 2)),
    prim("write", Between(1, 2)),
    prim("newline", Between(0, 1)),
    prim("$exit", Between(0, 1)),
    prim("command-line", Exactly(0)),
    // Internal: `display` (`write` when the flag is true) to stderr, for the report of an
    // uncaught exception (stdlib/exceptions.scm).
    prim("$print-to-stderr", Exactly(2)),
    // Internal, for ports (stdlib/ports.scm): the `io` service's system calls, `(op a b c d)`,
    // and `display`/`write` into a string, `(value write? buffer start)` (runtime::print).
    prim("$io", Exactly(5)),
    prim("$print-to-string", Exactly(4)),
    // Asks the expander running a macro transformer (the `expand` service; see
    // `passes::expand::phase`).
    prim("$expand-service", Exactly(3)),
    // Internal: `(op a b)` of the runtime's `unicode` service (character properties and case
    // mappings, `runtime::unicode::UnicodeOp`), for stdlib/unicode.scm, which checks types.
    prim("$unicode", Exactly(3)),
    // Internal: the boxes that convert_assignments makes for assigned variables.
    prim("$box", Exactly(1)),
    prim("$unbox", Exactly(1)),
    prim("$set-box!", Exactly(2)),
    // Internal: records (runtime/src/value.rs has the layout), for stdlib/records.scm, which
    // checks the types; `$record-ref` and `$record-set!` take a checked field index.
    prim("$record?", Exactly(1)),
    prim("$record", AtLeast(1)),
    prim("$make-record", Exactly(2)),
    prim("$record-rtd", Exactly(1)),
    prim("$record-ref", Exactly(2)),
    prim("$record-set!", Exactly(3)),
    // Internal, for eq- and eqv-hashtables (stdlib/hashtables.scm): a value's word as a fixnum
    // (its low three bits cleared: for a heap object its address, which a collection changes),
    // and the number of collections so far.
    prim("$object-address", Exactly(1)),
    prim("$collections", Exactly(0)),
];

/// The primitive named `name`, if there is one.
pub fn lookup(name: Symbol) -> Option<&'static Primitive> {
    let name = name.as_str();
    PRIMITIVES.iter().find(|p| p.name == name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_found() {
        for (i, p) in PRIMITIVES.iter().enumerate() {
            assert!(
                PRIMITIVES[..i].iter().all(|q| q.name != p.name),
                "{} twice",
                p.name
            );
            assert_eq!(lookup(Symbol::intern(p.name)).map(|q| q.name), Some(p.name));
        }
        assert!(lookup(Symbol::intern("no-such-primitive")).is_none());
        assert!(Arity::Between(1, 2).accepts(2) && !Arity::Exactly(1).accepts(0));
    }
}
