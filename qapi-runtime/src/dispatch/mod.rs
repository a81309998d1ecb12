//! Serving QMP: from a parsed request to its reply, as QEMU's dispatcher
//! answers, with its checks, texts and error classes.
//!
//! Generated code describes each command ([`CommandInfo`]) and runs it
//! through the server's handler ([`Dispatch`]); [`dispatch`] does the
//! rest. A connection goes through a [`Session`], which adds capability
//! negotiation. Reading JSON off the wire is the stream reader's job; a
//! syntax error it reports becomes a reply through [`error_reply`].

mod hide;
mod request;
mod session;

use serde_json::{Map, Value};

use crate::qdict;
pub use crate::qdict::{object as qemu_object, walk_order};
pub use hide::{check_input, hide_output, Branches, MemberShape, Shape};
pub use request::{check, id, Request};
pub use session::Session;

use crate::compat::{CompatPolicy, SpecialFeatures};
use crate::{Error, ErrorClass};

/// What the schema says about a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CommandInfo {
    /// The name on the wire.
    pub name: &'static str,
    /// Its `deprecated` and `unstable` features.
    pub features: SpecialFeatures,
    /// `success-response: false`: a success gets no reply.
    pub success_response: bool,
    /// `allow-oob`: it may be run with `exec-oob`.
    pub allow_oob: bool,
    /// `allow-preconfig`: it may run before the machine is set up.
    pub allow_preconfig: bool,
    /// `coroutine`: QEMU runs it in a coroutine.
    pub coroutine: bool,
    /// `gen: false`: the handler gets the raw arguments.
    pub gen: bool,
}

impl CommandInfo {
    /// A command with the schema's defaults.
    pub const fn new(name: &'static str) -> Self {
        CommandInfo {
            name,
            features: SpecialFeatures::NONE,
            success_response: true,
            allow_oob: false,
            allow_preconfig: false,
            coroutine: false,
            gen: true,
        }
    }
}

/// A server's commands: implemented by the generated dispatcher over the
/// server's handler.
pub trait Dispatch {
    /// The command named `name`, if the schema has it.
    fn command(&self, name: &str) -> Option<&'static CommandInfo>;

    /// Runs `command` with its arguments (an empty object when the
    /// request had none): decodes them, calls the handler, encodes what
    /// it returns (an empty object for a command without `returns`).
    fn call(
        &self,
        command: &'static CommandInfo,
        arguments: &Map<String, Value>,
        policy: &CompatPolicy,
    ) -> Result<Value, Error>;
}

/// The error reply `{"error": {"class": C, "desc": D}}`, with the
/// request's `id` if it had one.
pub fn error_reply(id: Option<&Value>, err: &Error) -> Value {
    let error = qdict::object(vec![
        ("class", Value::from(err.class().as_str())),
        ("desc", Value::from(err.desc())),
    ]);
    reply("error", error, id)
}

/// The success reply `{"return": VALUE}`, with the request's `id`.
pub fn success_reply(id: Option<&Value>, value: Value) -> Value {
    reply("return", value, id)
}

fn reply(key: &'static str, value: Value, id: Option<&Value>) -> Value {
    let mut members = vec![(key, value)];
    if let Some(id) = id {
        members.push(("id", id.clone()));
    }
    qdict::object(members)
}

/// How [`dispatch_with`] finds and runs commands.
pub(crate) struct Table<F, C> {
    pub find: F,
    pub call: C,
}

/// Answers one request: `None` when no reply is due (a command with
/// `success-response: false` that succeeded). `allow_oob`: the client
/// enabled out-of-band execution.
pub fn dispatch<D: Dispatch + ?Sized>(
    server: &D,
    request: &Value,
    allow_oob: bool,
    policy: &CompatPolicy,
) -> Option<Value> {
    dispatch_with(
        Table {
            find: |name: &str| server.command(name),
            call: |info: &'static CommandInfo, args: &Map<String, Value>| {
                server.call(info, args, policy)
            },
        },
        request,
        allow_oob,
        policy,
    )
}

/// [`dispatch`] over any way of finding and running commands (the
/// session's negotiation mode has only `qmp_capabilities`).
pub(crate) fn dispatch_with<F, C>(
    table: Table<F, C>,
    request: &Value,
    allow_oob: bool,
    policy: &CompatPolicy,
) -> Option<Value>
where
    F: Fn(&str) -> Option<&'static CommandInfo>,
    C: FnOnce(&'static CommandInfo, &Map<String, Value>) -> Result<Value, Error>,
{
    let id = id(request);
    match run(table, request, allow_oob, policy) {
        Ok(None) => None,
        Ok(Some(value)) => Some(success_reply(id, value)),
        Err(err) => Some(error_reply(id, &err)),
    }
}

fn run<F, C>(
    table: Table<F, C>,
    request: &Value,
    allow_oob: bool,
    policy: &CompatPolicy,
) -> Result<Option<Value>, Error>
where
    F: Fn(&str) -> Option<&'static CommandInfo>,
    C: FnOnce(&'static CommandInfo, &Map<String, Value>) -> Result<Value, Error>,
{
    let req = check(request, allow_oob)?;
    let Some(info) = (table.find)(req.command) else {
        return Err(not_found(req.command));
    };
    policy.check_input(
        info.features,
        ErrorClass::CommandNotFound,
        "command",
        info.name,
    )?;
    if req.oob && !info.allow_oob {
        return Err(Error::generic(format!(
            "The command {} does not support OOB",
            info.name
        )));
    }
    let empty = Map::new();
    let value = (table.call)(info, req.arguments.unwrap_or(&empty))?;
    Ok(info.success_response.then_some(value))
}

/// QEMU's answer to a command it does not have.
pub fn not_found(name: &str) -> Error {
    Error::new(
        ErrorClass::CommandNotFound,
        format!("The command {name} has not been found"),
    )
}

/// Encodes a handler's return value.
pub fn encode<T: serde::Serialize>(value: &T) -> Result<Value, Error> {
    serde_json::to_value(value).map_err(|e| Error::generic(e.to_string()))
}

/// Decodes a command's arguments with the generated decoder under the
/// compatibility `policy` (which refuses deprecated or unstable members
/// and values where QEMU's visitor reaches them), its errors being
/// `GenericError`s.
pub fn decode<T: crate::decode::Decode>(
    arguments: &Map<String, Value>,
    policy: &CompatPolicy,
) -> Result<T, Error> {
    // The decoder works on a value; the arguments object is small next to
    // what the command does with it.
    let value = Value::Object(arguments.clone());
    let mut decoder = crate::decode::Decoder::under_policy(*policy);
    T::decode(crate::decode::Input::Value(&value), &mut decoder).map_err(Error::from)
}

/// Checks that a command without arguments got none: QEMU's `Parameter
/// 'NAME' is unexpected`.
pub fn no_arguments(arguments: &Map<String, Value>) -> Result<(), Error> {
    match arguments.keys().next() {
        Some(k) => Err(Error::generic(format!("Parameter '{k}' is unexpected"))),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests;
