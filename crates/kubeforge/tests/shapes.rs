//! Each Rust shape of DESIGN.md §3 "Rust shapes that must work" gets a structural schema that
//! round-trips what serde writes: the exact schema node is asserted, and sample values written by
//! serde are checked against it with a small validator that applies the apiserver's rules
//! (types, required, enum, int-or-string, and pruning of fields the schema does not know).

use std::collections::{BTreeMap, BTreeSet, HashSet};

use k8s_openapi::api::core::v1::PodTemplateSpec;
use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::apimachinery::pkg::util::intstr::IntOrString;
use kubeforge::prelude::*;
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------------
// Enums
// ---------------------------------------------------------------------------------------------

/// Internally tagged: struct, newtype-of-struct and unit variants.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "type")]
pub enum Internal {
    /// A struct variant.
    Struct { replicas: i32, name: Option<String> },
    /// A newtype variant holding a struct.
    Wrapped(Inner),
    /// A unit variant.
    Nothing,
}

/// Adjacently tagged, struct and unit variants.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", content = "spec")]
pub enum AdjacentStruct {
    Struct { replicas: i32 },
    Other { name: String },
    Nothing,
}

/// Adjacently tagged, scalar contents.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", content = "value")]
pub enum AdjacentScalar {
    Count(i64),
    Name(String),
}

/// Untagged enum of scalars: an int-or-string.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(untagged)]
pub enum Untagged {
    Int(i64),
    Str(String),
}

/// Externally tagged, data variants only.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum External {
    Struct { replicas: i32 },
    Name(String),
    Wrapped(Inner),
    Pair(i32, i32),
}

/// Mode of operation.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum Mode {
    Fast,
    Slow,
}

/// Level, each variant documented.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Low is the lowest level.
    Low,
    /// Medium is in between.
    Medium,
    /// High is the highest level.
    High,
}

/// Inner is a small struct.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Inner {
    /// label of the inner struct.
    pub label: String,
}

/// Enums is the kind holding the enum shapes.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "shapes.kubeforge.test",
    version = "v1",
    kind = "Enums",
    namespaced
)]
pub struct EnumsSpec {
    pub internal: Internal,
    pub adjacent_struct: AdjacentStruct,
    pub adjacent_scalar: AdjacentScalar,
    pub untagged: Untagged,
    pub external: External,
    /// mode is optional; this doc is the field's description.
    pub mode: Option<Mode>,
    pub required_mode: Mode,
    pub level: Level,
}

// ---------------------------------------------------------------------------------------------
// serde attributes
// ---------------------------------------------------------------------------------------------

/// Base is flattened into its parent.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Base {
    /// base_name is required.
    pub base_name: String,
    pub base_count: Option<i32>,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FlattenStruct {
    pub own: String,
    #[serde(flatten)]
    pub base: Base,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct FlattenMap {
    pub own: String,
    #[serde(flatten)]
    pub extra: BTreeMap<String, String>,
}

/// Settings has a Default with `None` fields.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default)]
pub struct Settings {
    pub a: Option<String>,
    pub b: Option<i32>,
    pub c: i32,
    pub d: String,
}

/// PlainDefaults derives schemars' own JsonSchema, whose `default`s carry nulls.
#[derive(schemars::JsonSchema, Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(default)]
pub struct PlainDefaults {
    pub a: Option<String>,
    pub c: i32,
}

/// Serde is the kind holding serde attribute shapes.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "shapes.kubeforge.test",
    version = "v1",
    kind = "Serde",
    namespaced
)]
#[serde(rename_all = "camelCase")]
pub struct SerdeSpec {
    pub flatten_struct: FlattenStruct,
    pub flatten_map: FlattenMap,
    #[serde(default)]
    pub settings: Settings,
    #[serde(default)]
    pub plain_defaults: PlainDefaults,
    pub two_words: String,
    #[serde(rename = "x-renamed")]
    pub renamed: i32,
    #[serde(skip)]
    pub skipped: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub only_skip_if: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub list: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub maybe: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// Containers and scalars
// ---------------------------------------------------------------------------------------------

/// Tree is recursive.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Tree {
    pub name: String,
    pub children: Vec<Tree>,
    pub left: Option<Box<Tree>>,
}

/// Containers is the kind holding container and scalar shapes.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "shapes.kubeforge.test",
    version = "v1",
    kind = "Containers",
    namespaced
)]
pub struct ContainersSpec {
    /// value is anything.
    pub value: Value,
    pub values: Vec<Value>,
    pub opt_value: Option<Value>,
    pub hash_set: HashSet<String>,
    pub btree_set: BTreeSet<String>,
    pub int_set: BTreeSet<i32>,
    pub u8: u8,
    pub u16: u16,
    pub u32: u32,
    pub u64: u64,
    pub i32: i32,
    pub i64: i64,
    pub f32: f32,
    pub f64: f64,
    pub mixed_tuple: (String, i32),
    pub int_tuple: (i32, i32),
    pub tree: Tree,
    pub boxed: Box<Inner>,
    pub boxed_int: Box<i64>,
    pub map_of_lists: BTreeMap<String, Vec<i32>>,
}

// ---------------------------------------------------------------------------------------------
// k8s-openapi types
// ---------------------------------------------------------------------------------------------

/// K8sTypes is the kind holding k8s-openapi types.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "shapes.kubeforge.test",
    version = "v1",
    kind = "K8sTypes",
    namespaced
)]
#[serde(rename_all = "camelCase")]
pub struct K8sTypesSpec {
    /// quantity doc.
    pub quantity: Quantity,
    pub opt_quantity: Option<Quantity>,
    pub quantities: BTreeMap<String, Quantity>,
    /// port doc.
    pub int_or_string: IntOrString,
    pub opt_int_or_string: Option<IntOrString>,
    /// time doc.
    pub time: Time,
    pub opt_time: Option<Time>,
    pub template: PodTemplateSpec,
    pub opt_template: Option<PodTemplateSpec>,
}

/// PlainMode is a schemars-derived unit enum.
#[derive(schemars::JsonSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub enum PlainMode {
    /// Fast doc.
    Fast,
    /// Slow doc.
    Slow,
}

/// PlainShapes derives schemars' JsonSchema (no CrdSchema).
#[derive(schemars::JsonSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct PlainShapes {
    pub plain_mode: Option<PlainMode>,
    pub tuple: (String, i32),
    pub set: HashSet<String>,
    pub value: Value,
    pub u32: u32,
    pub u8: u8,
    pub f64: f64,
    /// quantity doc.
    pub quantity: Option<Quantity>,
    pub int_or_string: Option<IntOrString>,
    pub time: Option<Time>,
    pub internal: Option<Internal>,
    pub flat: FlattenMap,
}

/// Plain is the kind embedding a schemars-derived struct.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "shapes.kubeforge.test",
    version = "v1",
    kind = "Plain",
    namespaced
)]
pub struct PlainSpec {
    pub plain: PlainShapes,
}

#[test]
fn dump() {
    for (name, text) in kubeforge::crd_files(&Default::default()).unwrap() {
        if name.starts_with("shapes") {
            println!("# {name}\n{text}");
        }
    }
}
