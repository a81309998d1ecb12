//! Helpers for this crate's tests.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// QEMU's golden tests of its front end, when `../shared` is beside the
/// checkout.
pub fn qemu_tests() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/qemu-tests/qapi-schema");
    dir.is_dir().then_some(dir)
}

static CWD_LOCK: Mutex<()> = Mutex::new(());

/// Runs a test from inside a folder (QEMU's golden tests use bare file
/// names); tests that change the working directory take turns.
pub struct CwdGuard {
    old: PathBuf,
    _lock: MutexGuard<'static, ()>,
}

impl CwdGuard {
    pub fn enter(dir: &Path) -> Self {
        let lock = CWD_LOCK.lock().unwrap_or_else(|e| e.into_inner());
        let old = std::env::current_dir().unwrap();
        std::env::set_current_dir(dir).unwrap();
        CwdGuard { old, _lock: lock }
    }
}

impl Drop for CwdGuard {
    fn drop(&mut self) {
        let _ = std::env::set_current_dir(&self.old);
    }
}
