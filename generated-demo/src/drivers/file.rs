//! The `file` protocol driver: a regular file on the host.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom};
use std::os::unix::fs::MetadataExt;

use qapi_runtime::Error;

#[derive(Debug, Clone)]
pub struct FileState {
    pub filename: String,
    /// Whether the node takes QEMU's byte-range locks on the file.
    pub locking: bool,
    /// The file's identity, to tell which nodes share a host file.
    pub dev: u64,
    pub ino: u64,
}

/// The text `strerror` gives for an OS error.
pub fn strerror(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error") {
        Some(cut) => text[..cut].to_owned(),
        None => text,
    }
}

/// Opens the host file read-write, or read-only when asked to or when
/// auto-read-only allows falling back. Returns the state and whether the
/// node ended up read-only.
pub fn open(
    filename: &str,
    read_only: bool,
    auto_read_only: bool,
    locking: bool,
) -> Result<(FileState, bool), Error> {
    if filename.is_empty() {
        return Err(Error::generic(
            "The 'file' block driver requires a file name",
        ));
    }
    let try_open = |write: bool| OpenOptions::new().read(true).write(write).open(filename);
    let (file, ro) = match try_open(!read_only) {
        Ok(f) => (f, read_only),
        Err(e) if !read_only && auto_read_only && is_access_error(&e) => match try_open(false) {
            Ok(f) => (f, true),
            Err(e) => return Err(open_error(filename, &e)),
        },
        Err(e) => return Err(open_error(filename, &e)),
    };
    let meta = file.metadata().map_err(|e| open_error(filename, &e))?;
    Ok((
        FileState {
            filename: filename.to_owned(),
            locking,
            dev: meta.dev(),
            ino: meta.ino(),
        },
        ro,
    ))
}

fn is_access_error(e: &std::io::Error) -> bool {
    matches!(
        e.raw_os_error(),
        Some(libc::EACCES) | Some(libc::EROFS) | Some(libc::EPERM)
    )
}

fn open_error(filename: &str, e: &std::io::Error) -> Error {
    Error::generic(format!("Could not open '{filename}': {}", strerror(e)))
}

pub fn current_length(f: &FileState) -> u64 {
    std::fs::metadata(&f.filename).map_or(0, |m| m.len())
}

pub fn allocated(f: &FileState) -> u64 {
    std::fs::metadata(&f.filename).map_or(0, |m| m.blocks() * 512)
}

pub fn read_at(f: &FileState, offset: u64, len: usize) -> Vec<u8> {
    let mut buf = vec![0; len];
    if let Ok(mut file) = File::open(&f.filename) {
        if file.seek(SeekFrom::Start(offset)).is_ok() {
            let mut done = 0;
            while done < len {
                match file.read(&mut buf[done..]) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => done += n,
                }
            }
        }
    }
    buf
}
