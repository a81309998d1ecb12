//! One client's connection: capability negotiation, then commands.

use serde_json::{Map, Value};

use super::{dispatch_with, error_reply, CommandInfo, Dispatch, Table};
use crate::compat::CompatPolicy;
use crate::decode::{decode_enum, Decode, DecodeResult, Decoder, Input, Mode, ObjectInput};
use crate::{Error, ErrorClass};

const QMP_CAPABILITIES: &str = "qmp_capabilities";

/// `qmp_capabilities` as QEMU defines it, for a schema without one.
static DEFAULT_QMP_CAPABILITIES: CommandInfo = CommandInfo {
    allow_preconfig: true,
    ..CommandInfo::new(QMP_CAPABILITIES)
};

/// The QMP state of one connection, as QEMU's monitor keeps it: until the
/// client sends `qmp_capabilities`, that is the only command; the session
/// answers it itself, before and after negotiation.
#[derive(Debug, Clone)]
pub struct Session {
    policy: CompatPolicy,
    oob_offered: bool,
    oob_enabled: bool,
    negotiated: bool,
}

/// A capability a client can enable (`QMPCapability`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Capability {
    Oob,
}

impl std::str::FromStr for Capability {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, ()> {
        match s {
            "oob" => Ok(Capability::Oob),
            _ => Err(()),
        }
    }
}

impl Decode for Capability {
    fn decode(input: Input<'_>, d: &mut Decoder) -> DecodeResult<Self> {
        decode_enum(input, d)
    }
}

/// Decodes `qmp_capabilities`'s arguments, `{'*enable': ['QMPCapability']}`.
fn decode_enable(arguments: &Map<String, Value>) -> Result<Vec<Capability>, Error> {
    let value = Value::Object(arguments.clone());
    let mut d = Decoder::new(Mode::Strict);
    let mut input = ObjectInput::new(Input::from(&value), &d)?;
    let enable: Option<Vec<Capability>> = input.optional("enable", &mut d)?;
    input.finish(&d)?;
    Ok(enable.unwrap_or_default())
}

impl Session {
    /// A new connection; `oob_offered`: the server offers out-of-band
    /// execution (its greeting lists `oob`).
    pub fn new(policy: CompatPolicy, oob_offered: bool) -> Self {
        Session {
            policy,
            oob_offered,
            oob_enabled: false,
            negotiated: false,
        }
    }

    /// The capabilities the greeting offers.
    pub fn offered(&self) -> Vec<&'static str> {
        if self.oob_offered {
            vec!["oob"]
        } else {
            Vec::new()
        }
    }

    /// Has the client completed capability negotiation?
    pub fn negotiated(&self) -> bool {
        self.negotiated
    }

    /// Did the client enable out-of-band execution?
    pub fn oob_enabled(&self) -> bool {
        self.oob_enabled
    }

    pub fn policy(&self) -> &CompatPolicy {
        &self.policy
    }

    /// Answers one parsed request; `None` when no reply is due.
    pub fn handle<D: Dispatch + ?Sized>(&mut self, server: &D, request: &Value) -> Option<Value> {
        let info = server
            .command(QMP_CAPABILITIES)
            .unwrap_or(&DEFAULT_QMP_CAPABILITIES);
        let policy = self.policy;
        let allow_oob = self.oob_enabled;
        if self.negotiated {
            let table = Table {
                find: |name: &str| {
                    server
                        .command(name)
                        .or_else(|| (name == QMP_CAPABILITIES).then_some(info))
                },
                call: |cmd: &'static CommandInfo, args: &Map<String, Value>| {
                    if cmd.name == QMP_CAPABILITIES {
                        decode_enable(args)?;
                        return Err(Error::new(
                            ErrorClass::CommandNotFound,
                            "Capabilities negotiation is already complete, command ignored",
                        ));
                    }
                    server.call(cmd, args, &policy)
                },
            };
            return dispatch_with(table, request, allow_oob, &policy);
        }
        let oob_offered = self.oob_offered;
        let mut accepted = None;
        let table = Table {
            find: |name: &str| (name == QMP_CAPABILITIES).then_some(info),
            call: |_: &'static CommandInfo, args: &Map<String, Value>| {
                let enable = decode_enable(args)?;
                if !oob_offered && enable.contains(&Capability::Oob) {
                    return Err(Error::generic("Capability oob not available"));
                }
                accepted = Some(enable.contains(&Capability::Oob));
                Ok(Value::Object(Map::new()))
            },
        };
        let reply = dispatch_with(table, request, allow_oob, &policy);
        if let Some(oob) = accepted {
            self.negotiated = true;
            self.oob_enabled = oob;
        }
        reply.map(negotiation_reply)
    }

    /// The reply to a request the stream reader could not parse.
    pub fn parse_error_reply(&self, err: &Error) -> Value {
        error_reply(None, err)
    }
}

/// Before negotiation QEMU tells a client that sends anything else what
/// it expects instead.
fn negotiation_reply(reply: Value) -> Value {
    let is_not_found = reply
        .get("error")
        .and_then(|e| e.get("class"))
        .and_then(Value::as_str)
        == Some(ErrorClass::CommandNotFound.as_str());
    if !is_not_found {
        return reply;
    }
    let err = Error::new(
        ErrorClass::CommandNotFound,
        "Expecting capabilities negotiation with 'qmp_capabilities'",
    );
    error_reply(reply.get("id"), &err)
}
