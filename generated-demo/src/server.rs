//! The QMP monitor on a UNIX socket: a greeting, then the runtime's
//! session (capabilities negotiation, then one command after another)
//! over its QMP reader; a thread per client, all sharing one graph. `quit` and SIGTERM stop the daemon and remove the
//! socket file.

use std::io::Write;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use qapi_runtime::compat::CompatPolicy;
use qapi_runtime::dispatch::Session;
use qapi_runtime::qmp::{MessageReader, ReadError};
use serde_json::{json, Value};

use crate::dispatch::{self, Commands};
use crate::qdict;

static TERMINATE: AtomicBool = AtomicBool::new(false);

extern "C" fn on_sigterm(_: libc::c_int) {
    TERMINATE.store(true, Ordering::SeqCst);
}

fn install_signal_handlers() {
    let handler = on_sigterm as extern "C" fn(libc::c_int) as libc::sighandler_t;
    // SAFETY: the handler only stores to an atomic, which is
    // async-signal-safe.
    unsafe {
        libc::signal(libc::SIGTERM, handler);
        libc::signal(libc::SIGINT, handler);
    }
}

pub struct Server {
    pub path: PathBuf,
    /// The `--chardev` argument the socket came from.
    pub chardev: String,
    pub commands: Arc<Commands>,
}

/// An OS error as `strerror` words it, without Rust's "(os error N)".
fn os_error_text(e: &std::io::Error) -> String {
    let text = e.to_string();
    match text.find(" (os error ") {
        Some(at) => text[..at].to_owned(),
        None => text,
    }
}

impl Server {
    /// Serves until `quit` or SIGTERM, then removes the socket file.
    pub fn run(self) -> Result<(), String> {
        install_signal_handlers();
        self.unlink_socket()?;
        let listener = UnixListener::bind(&self.path)
            .map_err(|e| format!("Failed to bind socket to {}: {e}", self.path.display()))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| format!("cannot poll the socket: {e}"))?;
        while !self.commands.0.quit_requested() && !TERMINATE.load(Ordering::SeqCst) {
            match listener.accept() {
                Ok((stream, _)) => {
                    let commands = Arc::clone(&self.commands);
                    std::thread::spawn(move || {
                        let _ = stream.set_nonblocking(false);
                        serve(stream, &commands);
                    });
                }
                // Nothing to accept yet, or a failed accept: poll again.
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
        self.unlink_socket()
    }

    /// As QEMU does, before listening and on the way out: whatever is at
    /// the path (a stale socket, a symlink, a file) is unlinked, never
    /// followed; what cannot be unlinked stops the daemon.
    fn unlink_socket(&self) -> Result<(), String> {
        match std::fs::remove_file(&self.path) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(format!(
                "--chardev {}: Failed to unlink socket {}: {}",
                self.chardev,
                self.path.display(),
                os_error_text(&e)
            )),
            _ => Ok(()),
        }
    }
}

/// Writes a reply as QEMU's JSON writer does: its separators, and each
/// object's members in its hash table's order (the runtime builds them in
/// the schema's order, as QEMU inserts them).
fn send(stream: &mut UnixStream, v: &Value) -> bool {
    let mut text = qdict::to_qemu_json(v);
    text.push_str("\r\n");
    stream.write_all(text.as_bytes()).is_ok()
}

/// One client's session, until it leaves or a client runs `quit`.
fn serve(stream: UnixStream, commands: &Commands) {
    let Ok(mut out) = stream.try_clone() else {
        return;
    };
    let mut session = Session::new(CompatPolicy::default(), true);
    let greeting = json!({"QMP": {
        "version": dispatch::version_info(),
        "capabilities": session.offered(),
    }});
    if !send(&mut out, &greeting) {
        return;
    }
    for msg in MessageReader::new(stream) {
        let reply = match msg {
            Ok(request) => session.handle(commands, &request),
            Err(ReadError::Json(e)) => Some(session.parse_error_reply(&e)),
            // The client is gone or the socket broke: nobody to answer.
            Err(ReadError::Io(_)) => break,
        };
        if let Some(reply) = reply {
            if !send(&mut out, &reply) {
                break;
            }
        }
        if commands.0.quit_requested() {
            break;
        }
    }
}
