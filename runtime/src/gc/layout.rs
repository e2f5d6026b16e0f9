//! The one place that tells the collector how big a heap object is and which of its words
//! hold Scheme values. A new object type adds its case to [`layout`] (see `value.rs`).

use crate::value::*;
use core::ops::Range;

/// An object's size in words (header included) and the words, counted from its first, that
/// hold Scheme values; the others hold raw data (characters, bytes, a code address). A stack
/// chunk's words after the header are frames, to walk with the frame table (`frames`). A
/// continuation's `frames` word is a raw address the collector updates (`continuation`; its
/// other words are those of a closure, and the raw address looks like a fixnum, so forwarding
/// its `values` leaves it alone).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Layout {
    pub words: usize,
    pub values: Range<usize>,
    pub frames: bool,
    pub continuation: bool,
}

/// The layout of the object whose header word is `header`, or `None` for an unknown type.
pub fn layout(header: u64) -> Option<Layout> {
    let len = (header >> HEADER_SHIFT) as usize;
    let all_values = |len: usize| Layout {
        words: 1 + len,
        values: 1..1 + len,
        frames: false,
        continuation: false,
    };
    let raw_bytes = |bytes: usize| Layout {
        words: 1 + bytes.div_ceil(8),
        values: 1..1,
        frames: false,
        continuation: false,
    };
    Some(match header & HEADER_TYPE_MASK {
        // Vectors: elements. Symbols: the name. Boxes: the value. Ratnums: numerator and
        // denominator. Records: the descriptor and the fields. (Continuations are closures.)
        HEADER_VECTOR | HEADER_SYMBOL | HEADER_BOX | HEADER_RATNUM | HEADER_RECORD => {
            all_values(len)
        }
        HEADER_STRING => raw_bytes(4 * len),
        HEADER_BYTEVECTOR => raw_bytes(len),
        HEADER_FLONUM | HEADER_BIGNUM => raw_bytes(8 * len),
        // The code address, then the free variables.
        HEADER_CLOSURE | HEADER_CONTINUATION => Layout {
            words: 2 + len,
            values: 2..2 + len,
            frames: false,
            continuation: header & HEADER_TYPE_MASK == HEADER_CONTINUATION,
        },
        HEADER_STACK_CHUNK => Layout {
            words: 1 + len,
            values: 1..1,
            frames: true,
            continuation: false,
        },
        _ => return None,
    })
}

/// The layout of a pair: no header, two values.
pub const PAIR: Layout = Layout {
    words: 2,
    values: 0..2,
    frames: false,
    continuation: false,
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_value_words() {
        assert_eq!(layout(header(HEADER_VECTOR, 0)).unwrap().words, 1);
        assert_eq!(layout(header(HEADER_VECTOR, 3)).unwrap().values, 1..4);
        assert_eq!(layout(header(HEADER_STRING, 3)).unwrap().words, 3);
        assert_eq!(layout(header(HEADER_STRING, 3)).unwrap().values, 1..1);
        assert_eq!(layout(header(HEADER_BYTEVECTOR, 9)).unwrap().words, 3);
        assert_eq!(layout(header(HEADER_CLOSURE, 2)).unwrap().values, 2..4);
        assert_eq!(layout(header(HEADER_BIGNUM, 3)).unwrap().words, 4);
        assert_eq!(layout(header(HEADER_RATNUM, 2)).unwrap().values, 1..3);
        assert!(layout(header(HEADER_STACK_CHUNK, 6)).unwrap().frames);
        assert!(layout(header(HEADER_CONTINUATION, 6)).unwrap().continuation);
        assert_eq!(layout(header(HEADER_CONTINUATION, 6)).unwrap().words, 8);
        assert_eq!(layout(header(HEADER_FORWARD, 0)), None);
    }
}
