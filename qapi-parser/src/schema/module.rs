//! Modules: the schema's files, each emitted on its own, plus the system
//! module `./builtin` holding the built-in types.

use std::path::{Component, Path, PathBuf};

use super::EntityId;

/// One module and the entities emitted in it, in definition order.
#[derive(Debug, Clone)]
pub struct Module {
    /// The file's path relative to the main schema's folder, or a system
    /// module's `./` name.
    pub name: String,
    pub entities: Vec<EntityId>,
}

impl Module {
    /// The name of the module holding the built-in types.
    pub const BUILTIN: &'static str = "./builtin";

    /// System modules are the ones the generator makes up; their names
    /// start with `./`.
    pub fn is_system(name: &str) -> bool {
        name.starts_with("./")
    }

    pub fn is_user(name: &str) -> bool {
        !Self::is_system(name)
    }

    pub fn is_builtin(name: &str) -> bool {
        name == Self::BUILTIN
    }
}

/// Python's `os.path.relpath(path, start)`: lexical, after making both
/// absolute against the working folder.
pub(crate) fn relpath(path: &str, start: &str, cwd: &Path) -> String {
    let p = absolute_parts(path, cwd);
    let s = absolute_parts(start, cwd);
    let common = p.iter().zip(&s).take_while(|(a, b)| a == b).count();
    let mut rel: Vec<&str> = vec![".."; s.len() - common];
    rel.extend(p[common..].iter().map(String::as_str));
    if rel.is_empty() {
        return ".".to_owned();
    }
    rel.join("/")
}

/// The components of the normalized absolute path.
fn absolute_parts(path: &str, cwd: &Path) -> Vec<String> {
    let full: PathBuf = if path.starts_with('/') {
        PathBuf::from(path)
    } else {
        cwd.join(path)
    };
    let mut parts: Vec<String> = Vec::new();
    for c in full.components() {
        match c {
            Component::Normal(n) => parts.push(n.to_string_lossy().into_owned()),
            Component::ParentDir => {
                parts.pop();
            }
            Component::RootDir | Component::CurDir | Component::Prefix(_) => {}
        }
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_paths() {
        let cwd = Path::new("/w/t");
        assert_eq!(relpath("a.json", "", cwd), "a.json");
        assert_eq!(relpath("include/sub.json", "", cwd), "include/sub.json");
        assert_eq!(relpath("../q/a.json", "../q", cwd), "a.json");
        assert_eq!(relpath("../x/sub.json", "../q", cwd), "../x/sub.json");
        assert_eq!(relpath("/w/t/./a/../b.json", "/w", cwd), "t/b.json");
        assert_eq!(relpath("/w", "/w", cwd), ".");
    }
}
