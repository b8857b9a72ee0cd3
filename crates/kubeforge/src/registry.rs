//! The registry of CRD versions. `#[derive(CrdSchema)]` on a struct carrying `#[kube(...)]`
//! submits one [`VersionRegistration`]; there is no registration step to forget. A crate's
//! registrations are seen by any binary that links the crate (`use my_api as _;` is enough).

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use schemars::SchemaGenerator;
use serde_json::Value;

/// One CRD version, as the derive registers it. Not meant to be written by hand.
pub struct VersionRegistration {
    /// `module::SpecType`, for error messages.
    pub source: &'static str,
    /// kube's `CustomResourceExt::crd` for the root type: names, scope, subresources, columns.
    pub crd: fn() -> CustomResourceDefinition,
    pub spec_schema: fn(&mut SchemaGenerator) -> Value,
    pub status_schema: fn(&mut SchemaGenerator) -> Option<Value>,
    /// The version markers (`storage_version`, `printcolumn`, ...).
    pub markers: VersionMarkers,
    pub root_description: Option<&'static str>,
    pub spec_description: Option<&'static str>,
    /// kube's `no_spec`: the spec struct's properties are the root's.
    pub no_spec: bool,
}

inventory::collect!(VersionRegistration);

/// Every registered version, in a fixed order (link order is not).
pub fn registrations() -> Vec<&'static VersionRegistration> {
    let mut all: Vec<_> = inventory::iter::<VersionRegistration>.into_iter().collect();
    all.sort_by_key(|r| r.source);
    all
}

/// A JSON value known at compile time: marker values (`default`, `enum_values`, ...) as the
/// derive writes them into the binary.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Literal {
    Null,
    Bool(bool),
    /// Negative integers (JSON's `-1`).
    Int(i64),
    /// Non-negative integers.
    Uint(u64),
    Float(f64),
    Str(&'static str),
    List(&'static [Literal]),
    Map(&'static [(&'static str, Literal)]),
}

impl Literal {
    pub fn to_value(&self) -> Value {
        match *self {
            Literal::Null => Value::Null,
            Literal::Bool(b) => Value::Bool(b),
            Literal::Int(i) => Value::from(i),
            Literal::Uint(u) => Value::from(u),
            Literal::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
            Literal::Str(s) => Value::String(s.to_owned()),
            Literal::List(items) => Value::Array(items.iter().map(Literal::to_value).collect()),
            Literal::Map(entries) => Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| ((*k).to_owned(), v.to_value()))
                    .collect(),
            ),
        }
    }
}

/// The JSON types a marker applies to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TypeClass {
    /// `integer` or `number`.
    Numeric,
    String,
    Array,
    Object,
}

/// One schema keyword a marker sets.
#[derive(Clone, Copy, Debug)]
pub struct Keyword {
    /// The schema keyword (`minimum`, `x-kubernetes-list-type`, ...).
    pub name: &'static str,
    pub value: Literal,
    /// The types the marker applies to, when the derive could not check it because it could
    /// not see the field's type (a user type, an alias); checked on the generated schema.
    pub unchecked: Option<TypeClass>,
}

/// One `x-kubernetes-validations` rule.
#[derive(Clone, Copy, Debug, Default)]
pub struct Rule {
    pub rule: &'static str,
    pub message: Option<&'static str>,
    pub message_expression: Option<&'static str>,
    pub reason: Option<&'static str>,
    pub field_path: Option<&'static str>,
    pub optional_old_self: Option<bool>,
}

/// controller-gen's `AtMostOneOf`, `ExactlyOneOf` and `AtLeastOneOf`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OneOfKind {
    AtMostOne,
    ExactlyOne,
    AtLeastOne,
}

#[derive(Clone, Copy, Debug)]
pub struct OneOf {
    pub kind: OneOfKind,
    pub fields: &'static [&'static str],
}

/// The markers of one field or type, checked by the derive.
#[derive(Clone, Copy, Debug, Default)]
pub struct Patch {
    pub set: &'static [Keyword],
    pub validations: &'static [Rule],
    pub items: Option<&'static Patch>,
    pub int_or_string: bool,
    pub schemaless: bool,
    pub immutable: bool,
    pub one_of: &'static [OneOf],
}

/// One `printcolumn(...)`.
#[derive(Clone, Copy, Debug)]
pub struct PrintColumn {
    pub name: &'static str,
    pub r#type: &'static str,
    pub json_path: &'static str,
    pub description: Option<&'static str>,
    pub format: Option<&'static str>,
    pub priority: Option<u64>,
}

/// `scale(...)`.
#[derive(Clone, Copy, Debug)]
pub struct Scale {
    pub spec_path: &'static str,
    pub status_path: &'static str,
    pub selector_path: Option<&'static str>,
}

/// `deprecated` / `deprecated(warning = "...")`.
#[derive(Clone, Copy, Debug)]
pub struct Deprecation {
    pub warning: Option<&'static str>,
}

/// The version markers of one CRD version.
#[derive(Clone, Copy, Debug, Default)]
pub struct VersionMarkers {
    pub storage_version: bool,
    pub unserved: bool,
    pub skip: bool,
    pub deprecated: Option<Deprecation>,
    pub printcolumns: &'static [PrintColumn],
    pub selectable_fields: &'static [&'static str],
    pub categories: &'static [&'static str],
    pub scale: Option<Scale>,
    pub annotations: &'static [(&'static str, &'static str)],
    pub labels: &'static [(&'static str, &'static str)],
    pub status_description: Option<&'static str>,
    pub spec_optional: bool,
}
