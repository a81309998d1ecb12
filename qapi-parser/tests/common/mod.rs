//! Shared by the integration tests that check small schemas.

use std::fs;
use std::path::PathBuf;

use qapi_parser::{Dialect, Schema};

/// A scratch folder for one test, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    pub fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("qapi-{name}-{}", std::process::id()));
        fs::create_dir_all(&dir).expect("cannot create a scratch folder");
        Scratch(dir)
    }

    /// Writes `text` as `file` and checks it under `release`'s rules:
    /// `OK`, or the error as QEMU prints it from the schema's folder.
    pub fn check(&self, file: &str, text: &str, release: (u32, u32)) -> String {
        let path = self.0.join(file);
        fs::write(&path, text).expect("cannot write a case");
        match Schema::from_file(&path.to_string_lossy(), &Dialect::for_release(release)) {
            Ok(_) => "OK".to_owned(),
            Err(e) => e.to_string().replace(&format!("{}/", self.0.display()), ""),
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = fs::remove_dir_all(&self.0);
    }
}
