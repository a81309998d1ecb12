//! The QMP monitor on a UNIX socket: a greeting, capabilities
//! negotiation, then one command after another; a thread per client, all
//! sharing one graph. `quit` and SIGTERM stop the daemon and remove the
//! socket file.

use std::io::Write;
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use qapi_runtime::qmp::{MessageReader, ReadError};
use qapi_runtime::{Error, ErrorClass};
use serde_json::{json, Map, Value};

use crate::dispatch::{self, After};
use crate::graph::Graph;

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
    pub graph: Arc<Mutex<Graph>>,
}

impl Server {
    /// Serves until `quit` or SIGTERM, then removes the socket file.
    pub fn run(self) -> Result<(), String> {
        install_signal_handlers();
        let _ = std::fs::remove_file(&self.path);
        let listener = UnixListener::bind(&self.path)
            .map_err(|e| format!("Failed to bind socket to {}: {e}", self.path.display()))?;
        listener
            .set_nonblocking(true)
            .map_err(|e| format!("cannot poll the socket: {e}"))?;
        let quit = Arc::new(AtomicBool::new(false));
        while !quit.load(Ordering::SeqCst) && !TERMINATE.load(Ordering::SeqCst) {
            match listener.accept() {
                Ok((stream, _)) => {
                    let graph = Arc::clone(&self.graph);
                    let quit = Arc::clone(&quit);
                    std::thread::spawn(move || {
                        let _ = stream.set_nonblocking(false);
                        if serve(stream, &graph) == After::Quit {
                            quit.store(true, Ordering::SeqCst);
                        }
                    });
                }
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => {
                    std::thread::sleep(Duration::from_millis(5));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(5)),
            }
        }
        let _ = std::fs::remove_file(&self.path);
        Ok(())
    }
}

fn error_reply(e: &Error, id: Option<&Value>) -> Value {
    let mut reply = json!({"error": {"class": e.class().as_str(), "desc": e.desc()}});
    if let (Some(id), Some(map)) = (id, reply.as_object_mut()) {
        map.insert("id".into(), id.clone());
    }
    reply
}

fn send(stream: &mut UnixStream, v: &Value) -> bool {
    let mut text = v.to_string();
    text.push_str("\r\n");
    stream.write_all(text.as_bytes()).is_ok()
}

/// One client's session.
fn serve(stream: UnixStream, graph: &Mutex<Graph>) -> After {
    let Ok(mut out) = stream.try_clone() else {
        return After::Continue;
    };
    let v = dispatch::version_info();
    let greeting = json!({"QMP": {"version": v, "capabilities": ["oob"]}});
    if !send(&mut out, &greeting) {
        return After::Continue;
    }
    let mut session = Session::default();
    for msg in MessageReader::new(stream) {
        let (reply, after) = match msg {
            Ok(v) => handle(graph, &v, &mut session),
            Err(ReadError::Json(e)) => (
                qapi_runtime::dispatch::error_reply(None, &e),
                After::Continue,
            ),
            // The client is gone or the socket broke: nobody to answer.
            Err(ReadError::Io(_)) => break,
        };
        if !send(&mut out, &reply) {
            break;
        }
        if after == After::Quit {
            return After::Quit;
        }
    }
    After::Continue
}

/// What one client negotiated.
#[derive(Default)]
struct Session {
    negotiated: bool,
    oob: bool,
}

/// Checks the message's shape as QEMU's dispatcher does, then runs it.
fn handle(graph: &Mutex<Graph>, msg: &Value, session: &mut Session) -> (Value, After) {
    let Some(map) = msg.as_object() else {
        return (
            error_reply(&Error::generic("QMP input must be a JSON object"), None),
            After::Continue,
        );
    };
    let id = map.get("id");
    let fail = |e: Error| (error_reply(&e, id), After::Continue);
    // Without the oob capability, exec-oob is just an unknown member.
    if map.contains_key("exec-oob") && !session.oob {
        return fail(Error::generic("QMP input member 'exec-oob' is unexpected"));
    }
    let (name, oob) = match (map.get("execute"), map.get("exec-oob")) {
        (Some(Value::String(s)), None) => (s.as_str(), false),
        (None, Some(Value::String(s))) => (s.as_str(), true),
        (Some(_), Some(_)) => {
            return fail(Error::generic(
                "QMP input must have either 'execute' or 'exec-oob' but not both",
            ))
        }
        (Some(_), None) => {
            return fail(Error::generic(
                "QMP input member 'execute' must be a string",
            ))
        }
        (None, Some(_)) => {
            return fail(Error::generic(
                "QMP input member 'exec-oob' must be a string",
            ))
        }
        (None, None) => return fail(Error::generic("QMP input lacks member 'execute'")),
    };
    for key in map.keys() {
        if !matches!(key.as_str(), "execute" | "exec-oob" | "arguments" | "id") {
            return fail(Error::generic(format!(
                "QMP input member '{key}' is unexpected"
            )));
        }
    }
    let args = match map.get("arguments") {
        None => Value::Object(Map::new()),
        Some(v @ Value::Object(_)) => v.clone(),
        Some(_) => {
            return fail(Error::generic(
                "QMP input member 'arguments' must be an object",
            ))
        }
    };
    if oob {
        return fail(Error::generic(format!(
            "The command {name} does not support OOB"
        )));
    }
    if !session.negotiated {
        if name != "qmp_capabilities" {
            return fail(Error::new(
                ErrorClass::CommandNotFound,
                "Expecting capabilities negotiation with 'qmp_capabilities'",
            ));
        }
        if let Some(k) = args
            .as_object()
            .and_then(|m| m.keys().find(|k| *k != "enable"))
        {
            return fail(Error::generic(format!("Parameter '{k}' is unexpected")));
        }
        session.negotiated = true;
        session.oob = args
            .get("enable")
            .and_then(Value::as_array)
            .is_some_and(|caps| caps.iter().any(|c| c == "oob"));
        return ok_reply(json!({}), id);
    }
    if name == "qmp_capabilities" {
        return fail(Error::new(
            ErrorClass::CommandNotFound,
            "Capabilities negotiation is already complete, command ignored",
        ));
    }
    match dispatch::run(graph, name, &args) {
        Ok((v, after)) => {
            let (reply, _) = ok_reply(v, id);
            (reply, after)
        }
        Err(e) => fail(e),
    }
}

fn ok_reply(v: Value, id: Option<&Value>) -> (Value, After) {
    let mut reply = json!({ "return": v });
    if let (Some(id), Some(map)) = (id, reply.as_object_mut()) {
        map.insert("id".into(), id.clone());
    }
    (reply, After::Continue)
}
