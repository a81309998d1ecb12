//! Sending events: QEMU's wire form
//! `{"event": NAME, "data": {...}, "timestamp": {"seconds": S,
//! "microseconds": U}}`, its members in QEMU's order.

use std::time::{SystemTime, UNIX_EPOCH};

use serde_json::Value;

use crate::command::Event;
use crate::compat::CompatPolicy;
use crate::dispatch::qemu_object;

/// When an event happened, as QEMU stamps it: wall-clock time since the
/// Unix epoch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timestamp {
    pub seconds: i64,
    pub microseconds: i64,
}

impl Timestamp {
    pub fn now() -> Self {
        Timestamp::from(SystemTime::now())
    }

    fn to_value(self) -> Value {
        qemu_object(vec![
            ("seconds", Value::from(self.seconds)),
            ("microseconds", Value::from(self.microseconds)),
        ])
    }
}

impl From<SystemTime> for Timestamp {
    fn from(t: SystemTime) -> Self {
        // A clock set before 1970 counts backwards, as QEMU's would.
        let (sign, d) = match t.duration_since(UNIX_EPOCH) {
            Ok(d) => (1, d),
            Err(e) => (-1, e.duration()),
        };
        Timestamp {
            seconds: sign * i64::try_from(d.as_secs()).unwrap_or(i64::MAX),
            microseconds: sign * i64::from(d.subsec_micros()),
        }
    }
}

/// An event message from its parts; `data` is left out when `None` (an
/// event the schema gives no data).
pub fn raw_message(name: &str, data: Option<Value>, timestamp: Timestamp) -> Value {
    let mut members = vec![
        ("event", Value::from(name)),
        ("timestamp", timestamp.to_value()),
    ];
    if let Some(data) = data {
        members.push(("data", data));
    }
    qemu_object(members)
}

/// The message for `event`.
pub fn message<E: Event>(event: &E, timestamp: Timestamp) -> Value {
    let data = E::HAS_DATA.then(|| serde_json::to_value(event).unwrap_or(Value::Null));
    raw_message(E::NAME, data, timestamp)
}

/// The message for `event` under `policy`: `None` when the policy hides
/// the event (`deprecated-output=hide` for a deprecated event).
pub fn message_under<E: Event>(
    event: &E,
    timestamp: Timestamp,
    policy: &CompatPolicy,
) -> Option<Value> {
    (!policy.hides(E::FEATURES)).then(|| message(event, timestamp))
}
