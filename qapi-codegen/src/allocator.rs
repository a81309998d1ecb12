//! `qapi-gen`'s allocator: mimalloc, called without the alignment
//! argument wherever mimalloc's own alignment already suffices.
//!
//! Most of the generator's time goes to allocating and freeing small
//! token trees, where mimalloc is much faster than the system allocator
//! (at some cost in peak memory; see `cargo xtask bench`). The `mimalloc`
//! crate passes every request through mimalloc's aligned entry points,
//! which check the alignment again on each call; nearly every request
//! here asks for 8 bytes or less, which every mimalloc block has.
//!
//! Memory freed is kept, not handed back to the system ([`configure`]).
//!
//! It is built without transparent huge pages (`no_thp`): asking for them
//! makes the kernel compact memory on the spot when another process has
//! just left it fragmented, as the compiler has in a build, and a run
//! then took about a third longer.

use std::alloc::{GlobalAlloc, Layout};
use std::ffi::c_void;

use libmimalloc_sys as mi;

/// The alignment of every block mimalloc hands out.
const BLOCK_ALIGN: usize = 8;

/// `mi_option_purge_delay` in v2's `mimalloc.h` (the sys crate names
/// the options around it, not this one): how many milliseconds freed
/// memory waits before it is given back to the system; -1 for never.
const PURGE_DELAY: mi::mi_option_t = 15;

/// Keeps freed memory for the rest of the run. By default mimalloc gives
/// memory that has stayed free for 10 ms back to the system, and reusing
/// it then costs a page fault per page again; a run lasts some tens of
/// milliseconds, and a page fault on a virtual machine costs as much as
/// thousands of instructions.
pub fn configure() {
    // SAFETY: setting an option mimalloc defines, before the threads
    // that read it start.
    unsafe { mi::mi_option_set(PURGE_DELAY, -1) }
}

pub struct MiMalloc;

// SAFETY: each method forwards to the mimalloc function with the same
// contract, aligned as `layout` asks: through the plain entry points
// only when the alignment is one every mimalloc block has.
unsafe impl GlobalAlloc for MiMalloc {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            unsafe { mi::mi_malloc(layout.size()) as *mut u8 }
        } else {
            unsafe { mi::mi_malloc_aligned(layout.size(), layout.align()) as *mut u8 }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            unsafe { mi::mi_zalloc(layout.size()) as *mut u8 }
        } else {
            unsafe { mi::mi_zalloc_aligned(layout.size(), layout.align()) as *mut u8 }
        }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, _layout: Layout) {
        unsafe { mi::mi_free(ptr as *mut c_void) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if layout.align() <= BLOCK_ALIGN {
            unsafe { mi::mi_realloc(ptr as *mut c_void, new_size) as *mut u8 }
        } else {
            unsafe {
                mi::mi_realloc_aligned(ptr as *mut c_void, new_size, layout.align()) as *mut u8
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The option set is the purge delay: its default is 10 ms, where
    /// the options beside it default to 1 and 0.
    #[test]
    fn the_purge_delay_is_the_option_set() {
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_some() {
            return;
        }
        unsafe {
            assert_eq!(mi::mi_option_get(PURGE_DELAY), 10);
            assert_eq!(mi::mi_option_get(mi::mi_option_eager_commit_delay), 1);
        }
    }

    /// Blocks of every small size and alignment come back aligned, keep
    /// their contents through a reallocation, and zeroed when asked.
    #[test]
    fn blocks_are_aligned_and_keep_their_bytes() {
        let a = MiMalloc;
        for align in [1, 2, 4, 8, 16, 32, 64, 4096] {
            for size in [1, 3, 8, 12, 24, 40, 100, 1000, 70_000] {
                let layout = Layout::from_size_align(size, align).expect("a layout");
                unsafe {
                    let p = a.alloc(layout);
                    assert!(!p.is_null());
                    assert_eq!(p as usize % align, 0, "size {size} align {align}");
                    std::ptr::write_bytes(p, 0xa5, size);
                    let q = a.realloc(p, layout, size * 3);
                    assert_eq!(q as usize % align, 0);
                    assert!(std::slice::from_raw_parts(q, size)
                        .iter()
                        .all(|&b| b == 0xa5));
                    a.dealloc(
                        q,
                        Layout::from_size_align(size * 3, align).expect("a layout"),
                    );
                    let z = a.alloc_zeroed(layout);
                    assert_eq!(z as usize % align, 0);
                    assert!(std::slice::from_raw_parts(z, size).iter().all(|&b| b == 0));
                    a.dealloc(z, layout);
                }
            }
        }
    }
}
