//! The representation of Scheme values: one 64-bit word, tagged in its low three bits.
//! The backend open-codes these layouts and the runtime reads them; both take the constants
//! from here. ARCHITECTURE.md ("Values and calls") explains the choices.
//!
//! | low bits | what |
//! |---|---|
//! | `000` | fixnum: the value shifted left by 3 (61 bits; `+`/`-` are plain adds) |
//! | `001` | pair: pointer + 1 to two words, car then cdr (no header) |
//! | `010` | closure: pointer + 2 to a header, the code address, then the free variables |
//! | `011` | other heap object: pointer + 3 to a header word giving type and length |
//! | `110` | immediates: booleans, `()`, unspecified, eof, the unbound marker, characters |
//! | `111` | header words (never a value; lets a collector scanning the heap spot objects) |

/// Fixnums are stored shifted left by this many bits.
pub const FIXNUM_SHIFT: u32 = 3;
/// The smallest and largest fixnums.
pub const FIXNUM_MIN: i64 = -(1 << 60);
pub const FIXNUM_MAX: i64 = (1 << 60) - 1;

pub const TAG_MASK: u64 = 7;
pub const TAG_FIXNUM: u64 = 0;
pub const TAG_PAIR: u64 = 1;
pub const TAG_CLOSURE: u64 = 2;
pub const TAG_OBJECT: u64 = 3;

/// Immediates are identified by their low byte.
pub const IMMEDIATE_MASK: u64 = 0xff;
pub const FALSE: u64 = 0x06;
pub const TRUE: u64 = 0x0e;
pub const NULL: u64 = 0x16;
pub const VOID: u64 = 0x1e;
pub const EOF: u64 = 0x26;
/// The value of a global variable that has not been defined yet.
pub const UNBOUND: u64 = 0x2e;
/// Never a value: what an allocating runtime service returns when the heap is full, so that
/// the generated code collects (for the bytes in the context's `gc_request`) and calls it
/// again.
pub const RETRY: u64 = 0x3e;
/// A character is its scalar value shifted left by [`CHAR_SHIFT`], with this low byte.
pub const CHAR_TAG: u64 = 0x36;
pub const CHAR_SHIFT: u32 = 8;

/// A header word is `(length << HEADER_SHIFT) | type`. The length counts elements (words for
/// vectors and closures' free variables, characters for strings, bytes for bytevectors).
pub const HEADER_SHIFT: u32 = 8;
pub const HEADER_TYPE_MASK: u64 = 0xff;
pub const HEADER_VECTOR: u64 = 0x07;
pub const HEADER_STRING: u64 = 0x0f;
pub const HEADER_SYMBOL: u64 = 0x17;
pub const HEADER_BYTEVECTOR: u64 = 0x1f;
pub const HEADER_BOX: u64 = 0x27;
pub const HEADER_CLOSURE: u64 = 0x2f;
/// A stack chunk: frames copied off the Scheme stack, `length` words of them. The words are not
/// all Scheme values: the chunk is a sequence of frames, each a return address (raw code
/// address) followed by the frame's slots, as on the stack; a collector walks it with the frame
/// table, as it walks the stack (`runtime::continuation`).
pub const HEADER_STACK_CHUNK: u64 = 0x3f;
/// A continuation: laid out as a closure (tag `010`, the code address, then `length` words),
/// so calling one is an ordinary call. The words are those of `runtime::continuation`: all
/// Scheme values but `frames`, a raw (8-aligned) address into the stack chunk or into the
/// Scheme stack's segment, which the collector updates when it moves or evacuates the frames.
pub const HEADER_CONTINUATION: u64 = 0x37;
/// A flonum: one raw word after the header, the IEEE double's bits (length 1). No Scheme values.
pub const HEADER_FLONUM: u64 = 0x57;
/// A bignum: `length` raw words after the header, no Scheme values. The first is the sign (0 or
/// 1 for negative), the rest the magnitude's 64-bit limbs, least significant first, the last
/// non-zero. A bignum is never in the fixnum range: exact integers that fit are fixnums.
pub const HEADER_BIGNUM: u64 = 0x5f;
/// A ratnum: two Scheme values after the header (length 2), the numerator and the denominator,
/// exact integers in lowest terms with the denominator above 1. Its type byte is outside the
/// range 0x57..0x5f given to the numbers track, which holds only two `…111` bytes; no other
/// track uses 0x67.
pub const HEADER_RATNUM: u64 = 0x67;
/// A record: the header (its length counts the words after it), then the record-type
/// descriptor, then the fields; every word after the header is a Scheme value, so a collector
/// scans a record as it scans a vector. A record-type descriptor is itself a record, whose
/// field 0 is the type's name (a symbol): the printer shows `#<record NAME>` from it. The
/// descriptors' layout is `stdlib/records.scm`'s.
pub const HEADER_RECORD: u64 = 0x47;
/// Not an object: the first word of an object the collector has copied, `(new address << 8) |
/// HEADER_FORWARD` (pairs included: a car is never a header word).
pub const HEADER_FORWARD: u64 = 0xff;

/// Byte offsets from a tagged pointer to its fields.
pub const CAR: i32 = -1;
pub const CDR: i32 = 7;
pub const CLOSURE_HEADER: i32 = -2;
pub const CLOSURE_CODE: i32 = 6;
/// The first free variable; the others follow, one word each.
pub const CLOSURE_FREE: i32 = 14;
pub const OBJECT_HEADER: i32 = -3;
/// The first element of a vector, string, bytevector; a symbol's name; a box's value; a
/// record's type descriptor.
pub const OBJECT_DATA: i32 = 5;
/// A record's first field; the others follow, one word each.
pub const RECORD_FIELDS: i32 = 13;

/// The fixnum representing `n` (which must be in range).
pub const fn fixnum(n: i64) -> u64 {
    (n << FIXNUM_SHIFT) as u64
}

/// The character `c`.
pub const fn character(c: char) -> u64 {
    ((c as u64) << CHAR_SHIFT) | CHAR_TAG
}

/// A header word.
pub const fn header(kind: u64, length: u64) -> u64 {
    (length << HEADER_SHIFT) | kind
}
