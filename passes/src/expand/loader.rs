//! Where library and include files come from. The expander asks a [`LibrarySource`]; the
//! command line uses [`FileSystem`] (`LOKO_LIBRARY_PATH`, then the current directory), and a
//! driver that memoizes sources (the salsa database, later) can supply its own.

use super::delta::{ImportError, LibraryDelta};
use ir::symbol::Symbol;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// The file extensions a library may have, in the order they are tried.
pub const EXTENSIONS: &[&str] = &[".loko.sls", ".sls", ".ss", ".scm", ".sld"];

/// Supplies the text of libraries and included files.
pub trait LibrarySource {
    /// The file holding library `name` (`(foo bar)` is `foo/bar.sls` and so on), as its path
    /// and text, if there is one.
    fn find_library(&mut self, name: &[Symbol]) -> Option<(String, String)>;

    /// The file `path` named by an `include` in the file `from`, as its path and text.
    fn read_included(&mut self, from: &str, path: &str) -> Result<(String, String), String>;

    /// Library `name` expanded on its own ([`super::delta::expand_library`]), for a source that
    /// keeps expansions (the driver's database); `None` (the default) if it does not, or if
    /// there is no such library: then the expander finds the file and expands the library
    /// itself.
    fn expanded_library(
        &mut self,
        _name: &[Symbol],
    ) -> Option<Result<Rc<LibraryDelta>, ImportError>> {
        None
    }
}

/// Libraries found in directories on disk.
pub struct FileSystem {
    pub roots: Vec<PathBuf>,
}

impl FileSystem {
    /// The directories of `LOKO_LIBRARY_PATH` (colon-separated), then the current directory.
    pub fn from_env() -> FileSystem {
        let mut roots: Vec<PathBuf> = std::env::var("LOKO_LIBRARY_PATH")
            .unwrap_or_default()
            .split(':')
            .filter(|dir| !dir.is_empty())
            .map(PathBuf::from)
            .collect();
        roots.push(PathBuf::from("."));
        FileSystem { roots }
    }
}

/// The files that may hold library `name` under `roots`, in the order they are tried: each
/// root, each of [`EXTENSIONS`] (`(foo bar)` is `ROOT/foo/bar.sls` and so on).
pub fn library_paths(roots: &[PathBuf], name: &[Symbol]) -> Vec<PathBuf> {
    let relative: PathBuf = name.iter().map(|part| part.as_str()).collect();
    if relative.as_os_str().is_empty() {
        return Vec::new();
    }
    let mut paths = Vec::with_capacity(roots.len() * EXTENSIONS.len());
    for root in roots {
        for extension in EXTENSIONS {
            let mut path = root.join(&relative).into_os_string();
            path.push(extension);
            paths.push(PathBuf::from(path));
        }
    }
    paths
}

/// The file an `include` of `path` in the file `from` names: relative to `from`'s directory.
pub fn included_path(from: &str, path: &str) -> PathBuf {
    let base = Path::new(from).parent().unwrap_or(Path::new("."));
    base.join(path)
}

impl LibrarySource for FileSystem {
    fn find_library(&mut self, name: &[Symbol]) -> Option<(String, String)> {
        library_paths(&self.roots, name)
            .into_iter()
            .find_map(|path| {
                let text = std::fs::read_to_string(&path).ok()?;
                Some((path.display().to_string(), text))
            })
    }

    fn read_included(&mut self, from: &str, path: &str) -> Result<(String, String), String> {
        let full = included_path(from, path);
        std::fs::read_to_string(&full)
            .map(|text| (full.display().to_string(), text))
            .map_err(|error| format!("cannot read {}: {error}", full.display()))
    }
}
