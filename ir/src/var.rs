//! Variables of the intermediate languages: `Copy` ids, unique within one compilation unit,
//! with their source names in a side table ([`Vars`]). They print as `name.N`.

use crate::symbol::Symbol;

/// A variable: one binding, however many places refer to it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, PartialOrd, Ord)]
pub struct Var(u32);

impl Var {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// The names of a unit's variables; [`Vars::fresh`] makes a new one.
#[derive(Clone, Default, Debug)]
pub struct Vars {
    names: Vec<Symbol>,
}

impl Vars {
    pub fn fresh(&mut self, name: Symbol) -> Var {
        self.names.push(name);
        Var((self.names.len() - 1) as u32)
    }

    pub fn name(&self, var: Var) -> Symbol {
        self.names[var.index()]
    }

    /// How the variable prints in IR text: its name and its unique number.
    pub fn display(&self, var: Var) -> String {
        format!("{}.{}", self.name(var), var.0)
    }

    pub fn len(&self) -> usize {
        self.names.len()
    }

    pub fn is_empty(&self) -> bool {
        self.names.is_empty()
    }
}
