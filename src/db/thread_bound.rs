//! A value that stays on the thread that made it, so that a salsa query (whose results must be
//! `Send + Sync`) can return the expander's single-threaded data (`Rc`s: syntax, scope sets,
//! transformers) to the queries that run after it on the same thread.
//!
//! The database is used from one thread (the command line, each test); `get` on any other
//! thread answers `None` instead of touching the value, and a drop on another thread leaks it
//! rather than touching reference counts the owning thread may be using.

use std::mem::ManuallyDrop;
use std::thread::{self, ThreadId};

pub struct ThreadBound<T> {
    owner: ThreadId,
    value: ManuallyDrop<T>,
}

// SAFETY: the value is only reached (by `get` and by `drop`) on the thread that made it.
unsafe impl<T> Send for ThreadBound<T> {}
// SAFETY: as above: a shared reference on another thread cannot reach the value.
unsafe impl<T> Sync for ThreadBound<T> {}

impl<T> ThreadBound<T> {
    pub fn new(value: T) -> ThreadBound<T> {
        ThreadBound {
            owner: thread::current().id(),
            value: ManuallyDrop::new(value),
        }
    }

    /// The value, on the thread that made it.
    pub fn get(&self) -> Option<&T> {
        (thread::current().id() == self.owner).then_some(&*self.value)
    }
}

impl<T> Drop for ThreadBound<T> {
    fn drop(&mut self) {
        if thread::current().id() == self.owner {
            // SAFETY: dropped once, here, on the owning thread.
            unsafe { ManuallyDrop::drop(&mut self.value) }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ThreadBound;
    use std::rc::Rc;

    #[test]
    fn only_the_owning_thread_sees_the_value() {
        let bound = ThreadBound::new(Rc::new(5));
        assert_eq!(bound.get().map(|v| **v), Some(5));
        let shared = std::sync::Arc::new(bound);
        let other = std::sync::Arc::clone(&shared);
        let seen = std::thread::spawn(move || other.get().is_some())
            .join()
            .expect("the thread ran");
        assert!(!seen);
        assert_eq!(shared.get().map(|v| **v), Some(5));
    }
}
