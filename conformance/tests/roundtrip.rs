//! Round trips through the generated QEMU 10.2 bindings: random values
//! that are valid for a type of QEMU 10.2's schema (made by a generator
//! that walks the schema model) decode into the generated type, serialize
//! back to the same JSON (QEMU's output leaves absent optional members
//! out, as the input does), and decode again to an equal value.

use std::collections::{HashMap, HashSet};
use std::fmt::Debug;
use std::path::Path;

use proptest::prelude::*;
use proptest::strategy::Union;
use proptest::test_runner::{Config, TestRunner};
use qapi_conformance::qemu_10_2 as bindings;
use qapi_parser::schema::{DefKind, TypeId};
use qapi_parser::{Dialect, Schema};
use qapi_runtime::decode::Decode;
use serde::Serialize;
use serde_json::{Map, Value};

/// How many object levels deep values go; below it optional members are
/// left out, arrays are empty and alternates take a scalar branch.
const DEPTH: u32 = 3;
/// Values per type: enough to reach most branches of the big unions
/// while keeping the test quick.
const CASES: u32 = 256;
const MAX_ELEMENTS: usize = 3;

type Json = BoxedStrategy<Value>;
type Members = BoxedStrategy<Map<String, Value>>;

/// Builds value strategies for the types of one schema. Every condition
/// counts as true, as for the bindings under test.
struct Generator<'s> {
    schema: &'s Schema,
    values: HashMap<(TypeId, u32), Json>,
    objects: HashMap<(TypeId, u32), Members>,
    /// Objects being built, to report a cycle of required members (which
    /// no finite value satisfies) instead of recursing forever.
    building: HashSet<(TypeId, u32)>,
}

impl<'s> Generator<'s> {
    fn new(schema: &'s Schema) -> Self {
        Generator {
            schema,
            values: HashMap::new(),
            objects: HashMap::new(),
            building: HashSet::new(),
        }
    }

    /// Valid values of type `id`, nesting at most `depth` more levels.
    fn value(&mut self, id: TypeId, depth: u32) -> Json {
        if let Some(s) = self.values.get(&(id, depth)) {
            return s.clone();
        }
        let def = self.schema.def(id);
        let s = match &def.kind {
            DefKind::Builtin(_) => builtin(&def.name),
            DefKind::Enum(e) => {
                let names: Vec<Value> = e.member_names().map(Value::from).collect();
                assert!(!names.is_empty(), "enum {} has no values", def.name);
                proptest::sample::select(names).boxed()
            }
            DefKind::Array(a) => {
                let len = if depth == 0 { 0..=0 } else { 0..=MAX_ELEMENTS };
                let element = self.value(a.element_type, depth.saturating_sub(1));
                proptest::collection::vec(element, len)
                    .prop_map(Value::Array)
                    .boxed()
            }
            DefKind::Object(_) => self.object(id, depth).prop_map(Value::Object).boxed(),
            DefKind::Alternate(alt) => {
                let branches: Vec<TypeId> =
                    alt.alternatives.variants.iter().map(|v| v.ty).collect();
                let scalar: Vec<TypeId> = branches
                    .iter()
                    .copied()
                    .filter(|&ty| !self.is_container(ty))
                    .collect();
                let pick = if depth == 0 && !scalar.is_empty() {
                    scalar
                } else {
                    branches
                };
                let options: Vec<Json> = pick.into_iter().map(|ty| self.value(ty, depth)).collect();
                Union::new(options).boxed()
            }
            DefKind::Command(_) | DefKind::Event(_) => {
                panic!("{} is not a type", def.name)
            }
        };
        self.values.insert((id, depth), s.clone());
        s
    }

    fn is_container(&self, id: TypeId) -> bool {
        matches!(
            self.schema.def(id).kind,
            DefKind::Object(_) | DefKind::Array(_)
        )
    }

    /// The members of an object type: its own and its bases', optional
    /// ones present or not, and for a union the discriminator with one
    /// branch's members.
    fn object(&mut self, id: TypeId, depth: u32) -> Members {
        if let Some(s) = self.objects.get(&(id, depth)) {
            return s.clone();
        }
        let name = &self.schema.def(id).name;
        assert!(
            self.building.insert((id, depth)),
            "{name} contains itself through required members"
        );
        let obj = self
            .schema
            .def(id)
            .as_object()
            .unwrap_or_else(|| panic!("{name} is not an object type"));
        let tag = obj.branches.as_ref().map(|b| b.tag_name.clone());
        let members: Vec<_> = self
            .schema
            .members(id)
            .filter(|m| Some(&m.name) != tag.as_ref())
            .map(|m| (m.name.clone(), m.ty, m.optional))
            .collect();
        let mut parts: Vec<BoxedStrategy<Option<(String, Value)>>> = Vec::new();
        for (name, ty, optional) in members {
            if optional && depth == 0 {
                continue;
            }
            let value = self.value(ty, depth.saturating_sub(1));
            let entry = value.prop_map(move |v| (name.clone(), v));
            parts.push(if optional {
                proptest::option::of(entry).boxed()
            } else {
                entry.prop_map(Some).boxed()
            });
        }
        let base = parts
            .prop_map(|entries| entries.into_iter().flatten().collect::<Map<_, _>>())
            .boxed();
        let s = match (&obj.branches, tag) {
            (Some(branches), Some(tag)) => {
                let variants: Vec<(String, TypeId)> = branches
                    .variants
                    .iter()
                    .map(|v| (v.name.clone(), v.ty))
                    .collect();
                let options: Vec<Members> = variants
                    .into_iter()
                    .map(|(value, ty)| {
                        let tag = tag.clone();
                        self.object(ty, depth)
                            .prop_map(move |mut m| {
                                m.insert(tag.clone(), Value::from(value.clone()));
                                m
                            })
                            .boxed()
                    })
                    .collect();
                (base, Union::new(options))
                    .prop_map(|(mut base, branch)| {
                        base.extend(branch);
                        base
                    })
                    .boxed()
            }
            _ => base,
        };
        self.building.remove(&(id, depth));
        self.objects.insert((id, depth), s.clone());
        s
    }
}

/// Valid values of a built-in type, over its whole range.
fn builtin(name: &str) -> Json {
    use proptest::num::f64 as float;
    match name {
        "str" => any::<String>().prop_map(Value::from).boxed(),
        "int" | "int64" => any::<i64>().prop_map(Value::from).boxed(),
        "int8" => any::<i8>().prop_map(Value::from).boxed(),
        "int16" => any::<i16>().prop_map(Value::from).boxed(),
        "int32" => any::<i32>().prop_map(Value::from).boxed(),
        "uint8" => any::<u8>().prop_map(Value::from).boxed(),
        "uint16" => any::<u16>().prop_map(Value::from).boxed(),
        "uint32" => any::<u32>().prop_map(Value::from).boxed(),
        "uint64" | "size" => any::<u64>().prop_map(Value::from).boxed(),
        // Finite numbers only: JSON has no others. Integers for a number
        // are valid input too, but come back as floats (`1.0`).
        "number" => {
            (float::POSITIVE | float::NEGATIVE | float::NORMAL | float::SUBNORMAL | float::ZERO)
                .prop_map(Value::from)
                .boxed()
        }
        "bool" => any::<bool>().prop_map(Value::from).boxed(),
        "null" => Just(Value::Null).boxed(),
        "any" => any_json(),
        other => panic!("unknown built-in type {other}"),
    }
}

/// Small JSON values of every kind, for `any`.
fn any_json() -> Json {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<String>().prop_map(Value::from),
    ];
    leaf.prop_recursive(2, 8, 3, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..3).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z-]{1,6}", inner, 0..3)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
    .boxed()
}

fn schema() -> Schema {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/qemu/10.2.0/qapi/qapi-schema.json");
    Schema::from_file(&path.to_string_lossy(), &Dialect::for_release((10, 2)))
        .unwrap_or_else(|e| panic!("{e}"))
}

/// Checks the round trip of `T`, the bindings' type for the schema type
/// `name`, on [`CASES`] random values.
fn round_trip<T: Decode + Serialize + PartialEq + Debug>(name: &str) {
    let schema = schema();
    let id = schema
        .lookup_type(name)
        .unwrap_or_else(|| panic!("QEMU 10.2 has no type {name}"));
    let strategy = Generator::new(&schema).value(id, DEPTH);
    let mut runner = TestRunner::new(Config {
        cases: CASES,
        // A failure is shown as the shrunk value, which is rarely worth
        // more than this many steps on values this big.
        max_shrink_iters: 4096,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&strategy, |input| {
            let typed = T::from_value(&input)
                .map_err(|e| TestCaseError::fail(format!("valid input rejected: {e}")))?;
            let output = serde_json::to_value(&typed)
                .map_err(|e| TestCaseError::fail(format!("cannot serialize: {e}")))?;
            prop_assert_eq!(&output, &input, "serialized value differs from the input");
            let again = T::from_value(&output)
                .map_err(|e| TestCaseError::fail(format!("own output rejected: {e}")))?;
            prop_assert_eq!(again, typed, "decoding the output gives another value");
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{name}: {e}"));
}

macro_rules! round_trips {
    ($($test:ident: $ty:ident;)*) => {$(
        #[test]
        fn $test() {
            round_trip::<bindings::$ty>(stringify!($ty));
        }
    )*};
}

round_trips! {
    // A union of ~50 drivers with nested BlockdevRef alternates and
    // recursion through them.
    blockdev_options: BlockdevOptions;
    blockdev_create_options: BlockdevCreateOptions;
    // Union branches nested in union branches (socket addresses).
    block_export_options: BlockExportOptions;
    // Lists of integers and of strings in many branches.
    object_options: ObjectOptions;
    // Lists of `String` objects; unions inside.
    netdev: Netdev;
    // StrOrNull (an alternate with a null branch), sizes, lists of
    // nested objects.
    migration_parameters: MigrationParameters;
    // A union whose branches wrap their members in `data`.
    chardev_backend: ChardevBackend;
    transaction_action: TransactionAction;
}
