//! Scope bookkeeping for the generated verifiers: which variables are in scope, which have
//! been bound anywhere, and the errors found.

use super::VerifyError;
use std::collections::{HashMap, HashSet};
use std::hash::Hash;

/// The verifier's view of variable scopes while it walks a tree.
pub struct Scopes<'a, V> {
    in_scope: HashMap<V, u32>,
    ever_bound: HashSet<V>,
    errors: Vec<VerifyError>,
    show: Box<dyn Fn(V) -> String + 'a>,
}

impl<'a, V: Copy + Eq + Hash> Scopes<'a, V> {
    /// `show` prints a variable for messages.
    pub fn new(show: impl Fn(V) -> String + 'a) -> Scopes<'a, V> {
        Scopes {
            in_scope: HashMap::new(),
            ever_bound: HashSet::new(),
            errors: Vec::new(),
            show: Box::new(show),
        }
    }

    /// A binder: the variable enters scope; binding it a second time anywhere is an error.
    pub fn bind(&mut self, var: V, context: &dyn Fn() -> String) {
        if !self.ever_bound.insert(var) {
            let message = format!("variable {} is bound more than once", (self.show)(var));
            self.error(message, context);
        }
        *self.in_scope.entry(var).or_insert(0) += 1;
    }

    /// Leaves the scope of a binder.
    pub fn unbind(&mut self, var: V) {
        if let Some(count) = self.in_scope.get_mut(&var) {
            *count -= 1;
            if *count == 0 {
                self.in_scope.remove(&var);
            }
        }
    }

    /// A reference: the variable must be in scope.
    pub fn reference(&mut self, var: V, context: &dyn Fn() -> String) {
        if !self.in_scope.contains_key(&var) {
            let message = format!(
                "variable {} is referenced outside the scope of its binder",
                (self.show)(var)
            );
            self.error(message, context);
        }
    }

    pub fn error(&mut self, message: String, context: &dyn Fn() -> String) {
        self.errors.push(VerifyError {
            message,
            context: context(),
        });
    }

    pub fn finish(self) -> Result<(), Vec<VerifyError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}

/// A node of any nonterminal: (nonterminal index, node index).
pub type NodeRef = (usize, usize);

/// Checks that the nodes reachable from `root` form a tree: each is reached exactly once. Runs
/// iteratively and stops at the first revisit, so cycles and sharing are reported, never
/// followed. `children(node, out)` pushes a node's children.
pub fn check_tree(
    root: NodeRef,
    sizes: &[usize],
    kind_names: &[&str],
    children: impl Fn(NodeRef, &mut Vec<NodeRef>),
) -> Result<(), Vec<VerifyError>> {
    let mut seen: Vec<Vec<bool>> = sizes.iter().map(|&size| vec![false; size]).collect();
    let mut pending = vec![root];
    let mut errors = Vec::new();
    let mut buffer = Vec::new();
    while let Some((kind, index)) = pending.pop() {
        if std::mem::replace(&mut seen[kind][index], true) {
            errors.push(VerifyError {
                message: format!("{} node {index} has two parents", kind_names[kind]),
                context: "the tree (a node is shared, or part of a cycle)".into(),
            });
            continue;
        }
        buffer.clear();
        children((kind, index), &mut buffer);
        pending.extend(buffer.iter().rev());
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
