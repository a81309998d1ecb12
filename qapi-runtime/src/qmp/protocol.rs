//! What the blocking and async clients share: the messages a QMP server
//! or guest agent sends, how requests are written, and the errors.

use std::fmt;
use std::io;

use serde_json::{Map, Value};

use crate::command::{Command, EventSet};
use crate::decode::{self, Decode, DecodeError};
use crate::events::Timestamp;
use crate::ErrorClass;

/// An error reply: `{"error": {"class": CLASS, "desc": DESC}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CommandError {
    /// The class as sent; a newer QEMU may send one this crate does not
    /// know.
    pub class: String,
    pub desc: String,
}

impl CommandError {
    /// The class, if it is one QEMU has.
    pub fn class_kind(&self) -> Option<ErrorClass> {
        [
            ErrorClass::GenericError,
            ErrorClass::CommandNotFound,
            ErrorClass::DeviceNotActive,
            ErrorClass::DeviceNotFound,
            ErrorClass::KvmMissingCap,
        ]
        .into_iter()
        .find(|c| c.as_str() == self.class)
    }
}

impl fmt::Display for CommandError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.class, self.desc)
    }
}

impl std::error::Error for CommandError {}

/// Why a request failed.
#[derive(Debug)]
pub enum ClientError {
    /// The server answered with an error.
    Command(CommandError),
    /// The peer closed the connection before answering.
    Closed,
    /// Reading or writing failed.
    Io(io::Error),
    /// The peer sent something that is not QMP (text that is not JSON, a
    /// reply of the wrong shape, a bad greeting); the connection is not
    /// used further.
    Protocol(String),
    /// The reply did not have the type the command declares.
    Decode(DecodeError),
    /// The arguments could not be serialized.
    Encode(String),
}

impl ClientError {
    /// The server's error, if that is what this is.
    pub fn command_error(&self) -> Option<&CommandError> {
        match self {
            ClientError::Command(e) => Some(e),
            _ => None,
        }
    }

    /// A copy for each of several waiters (I/O errors cannot be cloned:
    /// each gets one of the same kind and text).
    #[cfg_attr(not(feature = "tokio"), allow(dead_code))]
    pub(crate) fn duplicate(&self) -> ClientError {
        match self {
            ClientError::Command(e) => ClientError::Command(e.clone()),
            ClientError::Closed => ClientError::Closed,
            ClientError::Io(e) => ClientError::Io(io::Error::new(e.kind(), e.to_string())),
            ClientError::Protocol(s) => ClientError::Protocol(s.clone()),
            ClientError::Decode(e) => ClientError::Decode(e.clone()),
            ClientError::Encode(s) => ClientError::Encode(s.clone()),
        }
    }
}

impl fmt::Display for ClientError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClientError::Command(e) => e.fmt(f),
            ClientError::Closed => f.write_str("the peer closed the connection"),
            ClientError::Io(e) => write!(f, "I/O error: {e}"),
            ClientError::Protocol(s) => write!(f, "protocol error: {s}"),
            ClientError::Decode(e) => write!(f, "unexpected reply: {e}"),
            ClientError::Encode(s) => write!(f, "cannot encode arguments: {s}"),
        }
    }
}

impl std::error::Error for ClientError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ClientError::Command(e) => Some(e),
            ClientError::Io(e) => Some(e),
            ClientError::Decode(e) => Some(e),
            _ => None,
        }
    }
}

impl From<io::Error> for ClientError {
    fn from(e: io::Error) -> Self {
        ClientError::Io(e)
    }
}

/// The server's first message: `{"QMP": {"version": ..., "capabilities":
/// [...]}}`.
#[derive(Debug, Clone, PartialEq)]
pub struct Greeting {
    /// `{"qemu": {"major": M, "minor": N, "micro": U}, "package": ...}`.
    pub version: Value,
    /// What the server offers (`oob`).
    pub capabilities: Vec<String>,
}

impl Greeting {
    /// QEMU's version as (major, minor, micro), when it has that shape.
    pub fn qemu_version(&self) -> Option<(u64, u64, u64)> {
        let q = self.version.get("qemu")?;
        let n = |k: &str| q.get(k).and_then(Value::as_u64);
        Some((n("major")?, n("minor")?, n("micro")?))
    }

    pub(crate) fn from_message(msg: &Value) -> Result<Greeting, ClientError> {
        let bad = || ClientError::Protocol(format!("expected a QMP greeting, got {msg}"));
        let qmp = msg.get("QMP").and_then(Value::as_object).ok_or_else(bad)?;
        let version = qmp.get("version").cloned().ok_or_else(bad)?;
        let capabilities = qmp
            .get("capabilities")
            .and_then(Value::as_array)
            .ok_or_else(bad)?
            .iter()
            .filter_map(|c| c.as_str().map(str::to_owned))
            .collect();
        Ok(Greeting {
            version,
            capabilities,
        })
    }
}

/// An event as sent: `{"event": NAME, "data": {...}, "timestamp": ...}`.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEvent {
    pub name: String,
    /// The `data` member; an empty object when the event has none.
    pub data: Value,
    pub timestamp: Option<Timestamp>,
}

impl RawEvent {
    /// Decodes the event as a member of the schema's event set: `None`
    /// for an event the set does not have (from a newer QEMU).
    pub fn decode<E: EventSet>(&self) -> Option<Result<E, ClientError>> {
        E::decode_event(&self.name, &self.data).map(|r| r.map_err(ClientError::Decode))
    }
}

/// A message from the peer, sorted.
#[derive(Debug)]
pub(crate) enum Incoming {
    Reply {
        id: Option<Value>,
        result: Result<Value, CommandError>,
    },
    Event(RawEvent),
}

/// Sorts a message; anything that is neither reply nor event is a
/// protocol error.
pub(crate) fn classify(msg: Value) -> Result<Incoming, ClientError> {
    let Value::Object(mut obj) = msg else {
        return Err(ClientError::Protocol(format!(
            "expected a JSON object, got {msg}"
        )));
    };
    let id = obj.remove("id");
    if let Some(ret) = obj.remove("return") {
        return Ok(Incoming::Reply {
            id,
            result: Ok(ret),
        });
    }
    if let Some(err) = obj.get("error") {
        let text = |k: &str| err.get(k).and_then(Value::as_str).map(str::to_owned);
        return match (text("class"), text("desc")) {
            (Some(class), Some(desc)) => Ok(Incoming::Reply {
                id,
                result: Err(CommandError { class, desc }),
            }),
            _ => Err(ClientError::Protocol(format!(
                "malformed error reply {}",
                Value::Object(obj)
            ))),
        };
    }
    if let Some(Value::String(name)) = obj.remove("event") {
        let data = obj
            .remove("data")
            .unwrap_or_else(|| Value::Object(Map::new()));
        let timestamp = obj.get("timestamp").and_then(|t| {
            Some(Timestamp {
                seconds: t.get("seconds")?.as_i64()?,
                microseconds: t.get("microseconds")?.as_i64()?,
            })
        });
        return Ok(Incoming::Event(RawEvent {
            name,
            data,
            timestamp,
        }));
    }
    Err(ClientError::Protocol(format!(
        "expected a reply or an event, got {}",
        Value::Object(obj)
    )))
}

/// How a request is to be run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exec {
    /// In order (`execute`).
    InBand,
    /// Out of band (`exec-oob`), past commands still queued; needs the
    /// `oob` capability.
    OutOfBand,
}

/// The wire form of a request, newline included. Arguments that are
/// null or an empty object are left out.
pub(crate) fn request_bytes(name: &str, args: Value, id: u64, exec: Exec) -> Vec<u8> {
    let mut req = Map::new();
    let key = match exec {
        Exec::InBand => "execute",
        Exec::OutOfBand => "exec-oob",
    };
    req.insert(key.into(), Value::from(name));
    let empty = match &args {
        Value::Null => true,
        Value::Object(m) => m.is_empty(),
        _ => false,
    };
    if !empty {
        req.insert("arguments".into(), args);
    }
    req.insert("id".into(), Value::from(id));
    let mut bytes = Value::Object(req).to_string().into_bytes();
    bytes.push(b'\n');
    bytes
}

/// A typed command's arguments as JSON.
pub(crate) fn arguments<C: Command>(cmd: &C) -> Result<Value, ClientError> {
    serde_json::to_value(cmd).map_err(|e| ClientError::Encode(e.to_string()))
}

/// A typed command's reply, read leniently so that a newer QEMU's extra
/// members and enum values do not break it.
pub(crate) fn returns<C: Command>(value: &Value) -> Result<C::Returns, ClientError> {
    decode_returns::<C::Returns>(value)
}

fn decode_returns<T: Decode>(value: &Value) -> Result<T, ClientError> {
    decode::from_value_lenient(value).or_else(|e| {
        // A command without `returns` answers `{}`, while its `Returns`
        // type, `()`, reads null.
        match value {
            Value::Object(m) if m.is_empty() => {
                decode::from_value_lenient(&Value::Null).map_err(|_| ClientError::Decode(e))
            }
            _ => Err(ClientError::Decode(e)),
        }
    })
}

/// What a guest agent may send between messages: the 0xFF byte it puts
/// before its reply to `guest-sync-delimited`, which the parser reports
/// as a stray byte.
pub(crate) fn is_agent_delimiter(err: &crate::Error) -> bool {
    err.desc() == "JSON parse error, stray '\u{FFFD}'"
}

/// The id of a request, as the reply carries it back.
pub(crate) fn reply_id(id: &Option<Value>) -> Option<u64> {
    id.as_ref().and_then(Value::as_u64)
}
