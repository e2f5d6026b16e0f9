//! Where library and include files come from. The expander asks a [`LibrarySource`]; the
//! command line uses [`FileSystem`] (`LOKO_LIBRARY_PATH`, then the current directory), and a
//! driver that memoizes sources (the salsa database, later) can supply its own.

use ir::symbol::Symbol;
use std::path::{Path, PathBuf};

/// The file extensions a library may have, in the order they are tried.
pub const EXTENSIONS: &[&str] = &[".loko.sls", ".sls", ".ss", ".scm", ".sld"];

/// Supplies the text of libraries and included files.
pub trait LibrarySource {
    /// The file holding library `name` (`(foo bar)` is `foo/bar.sls` and so on), as its path
    /// and text, if there is one.
    fn find_library(&mut self, name: &[Symbol]) -> Option<(String, String)>;

    /// The file `path` named by an `include` in the file `from`, as its path and text.
    fn read_included(&mut self, from: &str, path: &str) -> Result<(String, String), String>;
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

impl LibrarySource for FileSystem {
    fn find_library(&mut self, name: &[Symbol]) -> Option<(String, String)> {
        let relative: PathBuf = name.iter().map(|part| part.as_str()).collect();
        if relative.as_os_str().is_empty() {
            return None;
        }
        for root in &self.roots {
            for extension in EXTENSIONS {
                let mut path = root.join(&relative).into_os_string();
                path.push(extension);
                let path = PathBuf::from(path);
                if let Ok(text) = std::fs::read_to_string(&path) {
                    return Some((path.display().to_string(), text));
                }
            }
        }
        None
    }

    fn read_included(&mut self, from: &str, path: &str) -> Result<(String, String), String> {
        let base = Path::new(from).parent().unwrap_or(Path::new("."));
        let full = base.join(path);
        std::fs::read_to_string(&full)
            .map(|text| (full.display().to_string(), text))
            .map_err(|error| format!("cannot read {}: {error}", full.display()))
    }
}
