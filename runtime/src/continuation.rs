//! First-class continuations and stack segments (Hieb, Dybvig & Bruggeman, "Representing control
//! in the presence of first-class continuations", PLDI 1990), as the generated code implements
//! them (`backend::codegen::control`). This module holds the layouts and limits both sides use.
//!
//! **The stack.** Scheme code runs in one segment at the top of the Scheme stack mapping:
//! `[stack_limit, stack_top)`, [`SEGMENT_SIZE`] bytes. The word at `stack_top - 8` always holds
//! the address of the *underflow* return point; the frames of the running computation lie
//! between `rsp` and it. Below the segment the mapping continues down to the floor, room for
//! runtime services and for the arguments `apply` spreads.
//!
//! **Continuations.** The rest of the computation, beyond the frames on the stack, is the
//! context's `cont_link`: a chain of continuation objects, each a run of frames (in a stack
//! chunk) and the continuation to return to after them, `#f` at the end of the program.
//!
//! * *Capture* (`call/cc`) moves the frames on the stack into a new stack chunk, makes a
//!   continuation of them linked to `cont_link`, makes that the new `cont_link`, and empties
//!   the stack. Capture therefore costs the frames pushed since the last capture or
//!   reinstatement — each frame is copied off the stack at most once per time it is put there,
//!   so the cost is constant per frame pushed, not proportional to the depth of the stack.
//! * *Overflow*: when a prologue finds the segment full, the frames above the new frame move
//!   into a continuation exactly as for a capture, and the new frame moves to the top of the
//!   empty segment. Deep recursion thus grows the chain in the heap, up to the total limit
//!   `stack_depth_limit` (bytes of frames in the chain), beyond which the prologue reports a
//!   stack overflow through the common error path.
//! * *Underflow*: returning from the bottom frame of the segment enters the underflow return
//!   point, which copies the frames of `cont_link` back onto the stack (at their original
//!   addresses), makes its link the new `cont_link`, and returns into the top frame, passing one
//!   or many values on. With `cont_link` `#f` the program has ended.
//! * *Reinstatement* (calling a continuation) discards the stack and does the same copy.
//!
//! Captured frames are never run in place, so a continuation can be reinstated any number of
//! times. A chunk holds at most one segment's worth of frames, so reinstatement copies a
//! bounded amount. (Not yet: splitting a long chunk at a frame boundary, so that reinstatement
//! copies only the top frames; that needs the frame table the collector brings.)

/// The usable bytes of the stack segment Scheme code runs in.
pub const SEGMENT_SIZE: u64 = 1 << 20;

/// The default limit on the bytes of frames in the continuation chain (the depth of recursion).
pub const DEPTH_LIMIT: u64 = 1 << 30;

/// How far the limit rises once it is reached, so that the code reporting the overflow (an
/// exception handler, once conditions exist) has room to run.
pub const DEPTH_SLACK: u64 = 16 << 20;

/// Words after a continuation's header.
pub const CONTINUATION_WORDS: u64 = 5;

/// Byte offsets from a tagged continuation (`TAG_OBJECT`) to its fields.
pub const CHUNK: i32 = 5;
/// Where the frames start in the chunk's data (a fixnum byte count).
pub const OFFSET: i32 = 13;
/// How many bytes of frames (a fixnum; a multiple of 16).
pub const SIZE: i32 = 21;
/// The continuation to return to after these frames, or `#f`.
pub const LINK: i32 = 29;
/// `SIZE` plus the link's `DEPTH` (a fixnum).
pub const DEPTH: i32 = 37;
