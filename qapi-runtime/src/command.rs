//! What generated commands and events have in common, so that servers and
//! clients written once work with the bindings of any schema.

use serde::Serialize;

use crate::decode::Decode;

/// A QMP command: the generated argument type of the command (an empty
/// struct when it takes none, the boxed type when `boxed: true`).
///
/// A client serializes the value as the request's `arguments` and decodes
/// the reply's `return` member as [`Command::Returns`].
pub trait Command: Serialize {
    /// The command's name on the wire (`blockdev-add`).
    const NAME: &'static str;
    /// The value of a successful reply's `return` member (`()` for a
    /// command without `returns`, which answers `{}`).
    type Returns: Decode;
}

/// A QMP event's data: the generated type of the event's members.
pub trait Event: Serialize + Decode {
    /// The event's name on the wire (`BLOCK_JOB_COMPLETED`).
    const NAME: &'static str;
    /// Does the schema give the event data? Messages of an event without
    /// it have no `data` member.
    const HAS_DATA: bool = true;
    /// The event's `deprecated` and `unstable` features.
    const FEATURES: crate::compat::SpecialFeatures = crate::compat::SpecialFeatures::NONE;
}

/// Every event of a schema as one type: a client's event stream decodes
/// each `{"event": NAME, "data": ...}` message into it.
pub trait EventSet: Sized {
    /// Decodes the event named `name` from its `data` member (an absent
    /// member is passed as an empty object); `None` for a name the schema
    /// does not have, which a client must tolerate from a newer QEMU.
    /// Generated sets decode leniently
    /// ([`from_value_lenient`](crate::decode::from_value_lenient)).
    fn decode_event(
        name: &str,
        data: &serde_json::Value,
    ) -> Option<crate::decode::DecodeResult<Self>>;
}
