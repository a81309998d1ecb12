//! QMP output: generated `Serialize` impls write an object type's members
//! into a map shared with other types (a union's base and branch), as
//! QEMU's output visitor does; absent optional members are left out.

use serde::ser::SerializeMap;

/// An object type whose members can be written into a map another type
/// opened.
pub trait SerializeMembers {
    fn serialize_members<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error>;
}

impl<T: SerializeMembers> SerializeMembers for Box<T> {
    fn serialize_members<M: SerializeMap>(&self, map: &mut M) -> Result<(), M::Error> {
        (**self).serialize_members(map)
    }
}

/// Serializes an object type as one JSON object.
pub fn serialize_object<T: SerializeMembers, S: serde::Serializer>(
    value: &T,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    let mut map = serializer.serialize_map(None)?;
    value.serialize_members(&mut map)?;
    map.end()
}
