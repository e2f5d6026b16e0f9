//! Scopes and scope sets. A scope set is a persistent list, newest scope first, shared between
//! identifiers: adding a scope newer than all others (the usual case, since scopes are added
//! as they are created) is one allocation, so identifiers nested in many binding forms do not
//! copy their whole set at every level.

use std::fmt;
use std::hash::{Hash, Hasher};
use std::rc::Rc;

/// A scope: created for each binding form, each macro use and each library or program body.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Scope(pub u32);

/// A set of scopes, kept in decreasing order.
#[derive(Clone, Default)]
pub struct ScopeSet(Option<Rc<Node>>);

struct Node {
    scope: Scope,
    len: usize,
    rest: ScopeSet,
}

impl ScopeSet {
    /// The set holding just `scope`.
    pub fn of(scope: Scope) -> ScopeSet {
        ScopeSet::default().add(scope)
    }

    pub fn len(&self) -> usize {
        self.0.as_ref().map_or(0, |node| node.len)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_none()
    }

    /// The newest (largest) scope.
    pub fn newest(&self) -> Option<Scope> {
        self.0.as_ref().map(|node| node.scope)
    }

    /// The scopes, newest first.
    pub fn iter(&self) -> impl Iterator<Item = Scope> + '_ {
        let mut at = self.0.as_deref();
        std::iter::from_fn(move || {
            let node = at?;
            at = node.rest.0.as_deref();
            Some(node.scope)
        })
    }

    fn cons(scope: Scope, rest: ScopeSet) -> ScopeSet {
        let len = rest.len() + 1;
        ScopeSet(Some(Rc::new(Node { scope, len, rest })))
    }

    /// Builds a set from scopes in decreasing order.
    fn from_descending(scopes: &[Scope]) -> ScopeSet {
        scopes
            .iter()
            .rev()
            .fold(ScopeSet::default(), |set, &scope| {
                ScopeSet::cons(scope, set)
            })
    }

    /// This set with `scope` added.
    pub fn add(&self, scope: Scope) -> ScopeSet {
        match self.newest() {
            None => ScopeSet::cons(scope, ScopeSet::default()),
            Some(newest) if scope > newest => ScopeSet::cons(scope, self.clone()),
            _ => {
                let mut scopes: Vec<Scope> = self.iter().collect();
                match scopes.binary_search_by(|s| scope.cmp(s)) {
                    Ok(_) => self.clone(),
                    Err(at) => {
                        scopes.insert(at, scope);
                        ScopeSet::from_descending(&scopes)
                    }
                }
            }
        }
    }

    /// This set without the scopes in `remove`.
    pub fn without(&self, remove: &[Scope]) -> ScopeSet {
        if !self.iter().any(|s| remove.contains(&s)) {
            return self.clone();
        }
        let kept: Vec<Scope> = self.iter().filter(|s| !remove.contains(s)).collect();
        ScopeSet::from_descending(&kept)
    }

    /// Whether every scope of this set is in `big`.
    pub fn is_subset_of(&self, big: &ScopeSet) -> bool {
        if self.len() > big.len() {
            return false;
        }
        let mut big = big.iter().peekable();
        'small: for scope in self.iter() {
            while let Some(&b) = big.peek() {
                big.next();
                if b == scope {
                    continue 'small;
                }
                if b < scope {
                    return false;
                }
            }
            return false;
        }
        true
    }

    fn same_node(&self, other: &ScopeSet) -> bool {
        match (&self.0, &other.0) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

impl PartialEq for ScopeSet {
    fn eq(&self, other: &ScopeSet) -> bool {
        self.same_node(other) || (self.len() == other.len() && self.iter().eq(other.iter()))
    }
}

impl Eq for ScopeSet {}

impl Hash for ScopeSet {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.len().hash(state);
        for scope in self.iter() {
            scope.hash(state);
        }
    }
}

impl fmt::Debug for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.iter().map(|s| s.0)).finish()
    }
}

/// A long list must not be dropped recursively: unlink it node by node.
impl Drop for ScopeSet {
    fn drop(&mut self) {
        let mut next = self.0.take();
        while let Some(node) = next {
            match Rc::try_unwrap(node) {
                Ok(mut node) => next = node.rest.0.take(),
                Err(_) => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set(scopes: &[u32]) -> ScopeSet {
        scopes
            .iter()
            .fold(ScopeSet::default(), |set, &s| set.add(Scope(s)))
    }

    #[test]
    fn adding_in_any_order_gives_one_sorted_set() {
        let a = set(&[1, 5, 3, 5]);
        let b = set(&[3, 1, 5]);
        assert_eq!(a, b);
        assert_eq!(a.iter().map(|s| s.0).collect::<Vec<_>>(), vec![5, 3, 1]);
        assert_eq!(a.len(), 3);
        assert_eq!(a.newest(), Some(Scope(5)));
    }

    #[test]
    fn subsets_and_removal() {
        let big = set(&[1, 2, 4, 7]);
        assert!(set(&[2, 7]).is_subset_of(&big));
        assert!(ScopeSet::default().is_subset_of(&big));
        assert!(!set(&[3]).is_subset_of(&big));
        assert!(!set(&[1, 2, 4, 7, 8]).is_subset_of(&big));
        assert_eq!(big.without(&[Scope(2), Scope(9)]), set(&[1, 4, 7]));
    }

    #[test]
    fn a_long_set_drops_without_recursion() {
        let long = (0..1_000_000).fold(ScopeSet::default(), |set, s| set.add(Scope(s)));
        assert_eq!(long.len(), 1_000_000);
        drop(long);
    }
}
