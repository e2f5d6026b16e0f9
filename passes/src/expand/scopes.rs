//! Scopes and scope sets. A scope set is a persistent list, newest scope first, shared between
//! identifiers: adding a scope newer than all others (the usual case, since scopes are added
//! as they are created) is one allocation, so identifiers nested in many binding forms do not
//! copy their whole set at every level.

use std::cell::RefCell;
use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::rc::Rc;
use std::sync::atomic::{AtomicU64, Ordering};

/// Sets at least this long take part in [`ScopeSet::union`]'s memo; shorter ones are merged
/// directly.
const MEMO_MIN_LEN: usize = 16;
/// The memo is emptied when it grows past this many entries.
const MEMO_MAX_ENTRIES: usize = 1 << 18;

/// The unions of long sets computed so far, by the two sets' first nodes. Each entry keeps its
/// operands alive, so the addresses cannot be reused while it is there.
type UnionMemo = HashMap<(usize, usize), (ScopeSet, ScopeSet, ScopeSet)>;

thread_local! {
    static UNIONS: RefCell<UnionMemo> = RefCell::new(HashMap::new());
}

/// A scope: created for each binding form, each macro use and each library or program body.
/// Scopes come from one counter for the whole process ([`Scope::fresh`]), so the scopes of
/// separately expanded libraries never collide, and a scope is newer than every scope made
/// before it (which keeps [`ScopeSet::add`] on its fast path).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
pub struct Scope(pub u64);

/// The last scope made in the process.
static LAST_SCOPE: AtomicU64 = AtomicU64::new(0);

impl Scope {
    /// A scope no one has used.
    pub fn fresh() -> Scope {
        Scope(LAST_SCOPE.fetch_add(1, Ordering::Relaxed) + 1)
    }
}

/// A set of scopes, kept in decreasing order.
#[derive(Clone, Default)]
pub struct ScopeSet(Option<Rc<Node>>);

struct Node {
    scope: Scope,
    len: usize,
    rest: ScopeSet,
    /// A node further down (Myers' jump pointers, "An applicative random-access stack",
    /// 1983), so finding a scope takes time logarithmic in the set's size.
    jump: ScopeSet,
}

/// How much longer than a candidate subset a set may be for [`ScopeSet::is_subset_of`] to look
/// for a shared tail first.
const SHARED_TAIL_REACH: usize = 8;

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
        let jump = match &rest.0 {
            Some(node) => {
                let (j, jj) = (&node.jump, node.jump.jump());
                if !j.is_empty() && rest.len() - j.len() == j.len() - jj.len() {
                    jj
                } else {
                    rest.clone()
                }
            }
            None => ScopeSet::default(),
        };
        ScopeSet(Some(Rc::new(Node {
            scope,
            len,
            rest,
            jump,
        })))
    }

    fn jump(&self) -> ScopeSet {
        self.0
            .as_ref()
            .map_or_else(ScopeSet::default, |node| node.jump.clone())
    }

    /// Whether `scope` is in the set (following jump pointers past newer scopes).
    pub fn contains(&self, scope: Scope) -> bool {
        let mut at = self.0.as_deref();
        while let Some(node) = at {
            if node.scope <= scope {
                return node.scope == scope;
            }
            at = match node.jump.0.as_deref() {
                Some(jump) if jump.scope >= scope => Some(jump),
                _ => node.rest.0.as_deref(),
            };
        }
        false
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

    /// The union of the two sets. The result shares the longest tail it can with either (the
    /// usual case, scopes newer than all of this set's, copies only those).
    ///
    /// Unions of long sets are memoized: a binding form nested in another adds its scopes to
    /// what the outer one added, so the union an identifier deep inside needs is a few scopes
    /// more than one already computed for an identifier further out, and is found after a few
    /// steps instead of copying the whole set (which would make deep nesting quadratic).
    pub fn union(&self, other: &ScopeSet) -> ScopeSet {
        if other.is_empty() || self.same_node(other) {
            return self.clone();
        }
        if self.is_empty() {
            return other.clone();
        }
        let memoize = self.len().max(other.len()) >= MEMO_MIN_LEN;
        // Merge the two descending lists until one of them runs out, they meet at a shared
        // node, or what remains of them is a union computed before; that is the result's tail.
        let mut head: Vec<Scope> = Vec::new();
        let (mut a, mut b) = (self.clone(), other.clone());
        let tail = loop {
            if memoize
                && a.len().max(b.len()) >= MEMO_MIN_LEN
                && let Some(known) = memo_get(&a, &b)
            {
                break known;
            }
            match (a.newest(), b.newest()) {
                (None, _) => break b,
                (_, None) => break a,
                _ if a.same_node(&b) => break a,
                (Some(x), Some(y)) => {
                    if x >= y {
                        head.push(x);
                        if x == y {
                            b = b.rest();
                        }
                        a = a.rest();
                    } else {
                        head.push(y);
                        b = b.rest();
                    }
                }
            }
        };
        let union = head
            .iter()
            .rev()
            .fold(tail, |set, &scope| ScopeSet::cons(scope, set));
        if memoize {
            memo_put(self, other, &union);
        }
        union
    }

    /// The address of the first node, to key the memo.
    fn address(&self) -> usize {
        self.0.as_ref().map_or(0, |node| Rc::as_ptr(node) as usize)
    }

    /// This set without its newest scope.
    fn rest(&self) -> ScopeSet {
        self.0
            .as_ref()
            .map_or_else(ScopeSet::default, |node| node.rest.clone())
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
        // Often `big` was made by adding a few scopes to a set that shares most of its nodes
        // with this one: past the extra scopes, walk both until they meet.
        if big.len() - self.len() <= SHARED_TAIL_REACH {
            let mut suffix = big;
            while suffix.len() > self.len() {
                match &suffix.0 {
                    Some(node) => suffix = &node.rest,
                    None => break,
                }
            }
            let mut mine = self;
            loop {
                if mine.same_node(suffix) {
                    return true;
                }
                match (&mine.0, &suffix.0) {
                    (Some(a), Some(b)) if a.scope == b.scope => {
                        mine = &a.rest;
                        suffix = &b.rest;
                    }
                    _ => break,
                }
            }
        }
        // A few scopes: look each up.
        if self.len() <= SHARED_TAIL_REACH {
            return self.iter().all(|scope| big.contains(scope));
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

fn memo_get(a: &ScopeSet, b: &ScopeSet) -> Option<ScopeSet> {
    UNIONS.with(|memo| {
        let memo = memo.borrow();
        let key = (a.address(), b.address());
        let swapped = (key.1, key.0);
        memo.get(&key)
            .or_else(|| memo.get(&swapped))
            .map(|(_, _, union)| union.clone())
    })
}

fn memo_put(a: &ScopeSet, b: &ScopeSet, union: &ScopeSet) {
    UNIONS.with(|memo| {
        let mut memo = memo.borrow_mut();
        if memo.len() >= MEMO_MAX_ENTRIES {
            memo.clear();
        }
        memo.insert(
            (a.address(), b.address()),
            (a.clone(), b.clone(), union.clone()),
        );
    })
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

    fn set(scopes: &[u64]) -> ScopeSet {
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
    fn union_of_overlapping_sets() {
        assert_eq!(
            set(&[1, 4, 9]).union(&set(&[2, 4, 7])),
            set(&[1, 2, 4, 7, 9])
        );
        assert_eq!(set(&[1]).union(&ScopeSet::default()), set(&[1]));
        assert_eq!(ScopeSet::default().union(&set(&[3, 2])), set(&[2, 3]));
        let base = set(&[1, 2]);
        let newer = base.add(Scope(5)).add(Scope(6));
        assert_eq!(base.union(&newer), newer);
        assert_eq!(set(&[7, 8]).union(&base), set(&[1, 2, 7, 8]));
    }

    #[test]
    fn membership_and_subsets_of_long_sets() {
        let long = (0..1000).fold(ScopeSet::default(), |set, s| set.add(Scope(2 * s)));
        assert!(long.contains(Scope(0)) && long.contains(Scope(998)) && long.contains(Scope(1998)));
        assert!(
            !long.contains(Scope(1)) && !long.contains(Scope(1999)) && !long.contains(Scope(5000))
        );
        assert!(set(&[0, 500, 1000]).is_subset_of(&long));
        assert!(!set(&[0, 501]).is_subset_of(&long));
        let shorter = (0..990).fold(ScopeSet::default(), |set, s| set.add(Scope(2 * s)));
        assert!(shorter.is_subset_of(&long));
        assert!(!shorter.add(Scope(3)).is_subset_of(&long));
    }

    #[test]
    fn a_long_set_drops_without_recursion() {
        let long = (0..1_000_000).fold(ScopeSet::default(), |set, s| set.add(Scope(s)));
        assert_eq!(long.len(), 1_000_000);
        drop(long);
    }
}
