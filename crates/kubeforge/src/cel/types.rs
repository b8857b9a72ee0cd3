//! The CEL type of a schema node, as kube-apiserver declares it for `self` and `oldSelf`
//! (k8s.io/apiserver `pkg/cel/common/schemas.go` `SchemaDeclType`, `WithTypeAndObjectMeta`,
//! and `pkg/cel/escaping.go` for property names).
//!
//! Types are resolved lazily from the JSON schema: a rule only pays for the fields it selects.
//! Wherever the apiserver's type is dynamic, or this model is unsure, the type is [`Ty::Dyn`],
//! which accepts every use: a false alarm here would block a CRD the apiserver accepts.

use std::fmt;

use serde_json::{Map, Value};

use crate::structural::{EMBEDDED, INT_OR_STRING, PRESERVE, is_true};

type Obj = Map<String, Value>;

/// escaping.go `celReservedSymbols`: property names spelled `__{word}__` in CEL.
const RESERVED: &[&str] = &[
    "true",
    "false",
    "null",
    "in",
    "as",
    "break",
    "const",
    "continue",
    "else",
    "for",
    "function",
    "if",
    "import",
    "let",
    "loop",
    "package",
    "namespace",
    "return",
    "var",
    "void",
    "while",
];

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Ty<'a> {
    /// Unknown until run time (int-or-string, preserved unknown fields, unknown functions).
    Dyn,
    Null,
    Bool,
    Int,
    Uint,
    Double,
    String,
    Bytes,
    Timestamp,
    Duration,
    /// A type denotation such as `int` or the result of `type(x)`.
    Type,
    List(Box<Ty<'a>>),
    /// String-keyed map (`additionalProperties`, or a map literal); the value type.
    Map(Box<Ty<'a>>),
    /// An object with declared `properties` and nothing else: selecting anything else fails.
    Object(ObjectTy<'a>),
}

#[derive(Debug, Clone, PartialEq)]
pub(super) struct ObjectTy<'a> {
    schema: &'a Obj,
    /// The root of a resource: `apiVersion`, `kind` and `metadata` are always declared.
    resource: bool,
}

/// What selecting a field of a type gives.
pub(super) enum Field<'a> {
    Found(Ty<'a>),
    /// A closed object without that field; `hint` explains a near miss.
    Missing {
        hint: Option<String>,
    },
    /// The type has no fields at all (a list, a string, ...).
    NotAnObject,
}

impl<'a> Ty<'a> {
    /// `SchemaDeclType(schema, isResourceRoot)`.
    pub(super) fn of_schema(schema: &'a Value, resource: bool) -> Self {
        let Some(obj) = schema.as_object() else {
            return Ty::Dyn;
        };
        if is_true(obj, INT_OR_STRING) || is_true(obj, PRESERVE) {
            return Ty::Dyn;
        }
        match obj.get("type").and_then(Value::as_str) {
            Some("array") => match obj.get("items") {
                Some(items) if items.is_object() => {
                    Ty::List(Box::new(Ty::of_schema(items, embedded(items))))
                }
                _ => Ty::Dyn,
            },
            Some("object") => match obj.get("additionalProperties") {
                Some(extra) if extra.is_object() => {
                    Ty::Map(Box::new(Ty::of_schema(extra, embedded(extra))))
                }
                Some(Value::Bool(true)) => Ty::Dyn,
                _ => Ty::Object(ObjectTy {
                    schema: obj,
                    resource,
                }),
            },
            // `byte`, `duration`, `date` and `date-time` strings are bytes, durations and
            // timestamps in the apiserver's model; left dynamic here rather than risk a false
            // alarm on a format the model gets wrong.
            Some("string")
                if obj
                    .get("format")
                    .and_then(Value::as_str)
                    .is_some_and(|f| matches!(f, "byte" | "duration" | "date" | "date-time")) =>
            {
                Ty::Dyn
            }
            Some("string") => Ty::String,
            Some("integer") => Ty::Int,
            Some("number") => Ty::Double,
            Some("boolean") => Ty::Bool,
            _ => Ty::Dyn,
        }
    }

    /// `x.name`, where `name` is the CEL spelling (escaped) of the property.
    pub(super) fn field(&self, name: &str) -> Field<'a> {
        match self {
            Ty::Dyn => Field::Found(Ty::Dyn),
            Ty::Map(value) => Field::Found((**value).clone()),
            Ty::Object(obj) => obj.field(name),
            _ => Field::NotAnObject,
        }
    }

    /// The element type a comprehension's (first) variable iterates over, and the second
    /// variable's type for two-variable comprehensions.
    pub(super) fn iteration(&self) -> (Ty<'a>, Ty<'a>) {
        match self {
            Ty::List(elem) => (Ty::Int, (**elem).clone()),
            Ty::Map(value) => (Ty::String, (**value).clone()),
            _ => (Ty::Dyn, Ty::Dyn),
        }
    }

    /// The broad kind CEL's overloads distinguish, or `None` when any kind may turn up.
    /// Numbers are one kind: the apiserver compares int, uint and double across types.
    pub(super) fn kind(&self) -> Option<&'static str> {
        Some(match self {
            Ty::Dyn | Ty::Null | Ty::Object(_) => return None,
            Ty::Bool => "bool",
            Ty::Int | Ty::Uint | Ty::Double => "number",
            Ty::String => "string",
            Ty::Bytes => "bytes",
            Ty::Timestamp => "timestamp",
            Ty::Duration => "duration",
            Ty::Type => "type",
            Ty::List(_) => "list",
            Ty::Map(_) => "map",
        })
    }
}

impl<'a> ObjectTy<'a> {
    fn field(&self, name: &str) -> Field<'a> {
        if self.resource {
            match name {
                "apiVersion" | "kind" => return Field::Found(Ty::String),
                "metadata" => return Field::Found(Ty::Object(object_meta())),
                _ => {}
            }
        }
        let props = self.schema.get("properties").and_then(Value::as_object);
        let found = props.and_then(|props| {
            props
                .iter()
                .find(|(prop, _)| escape(prop).as_deref() == Some(name))
        });
        if let Some((_, schema)) = found {
            return Field::Found(Ty::of_schema(schema, embedded(schema)));
        }
        let hint = props
            .and_then(|props| props.keys().find(|prop| prop.as_str() == name))
            .and_then(|prop| escape(prop))
            .map(|spelled| format!("the property `{name}` is spelled `{spelled}` in CEL"));
        Field::Missing { hint }
    }
}

/// `WithTypeAndObjectMeta`: at a resource root only `metadata.name` and
/// `metadata.generateName` are visible to rules, whatever the schema says.
fn object_meta() -> ObjectTy<'static> {
    static META: std::sync::LazyLock<Value> = std::sync::LazyLock::new(|| {
        serde_json::json!({
            "type": "object",
            "properties": {"name": {"type": "string"}, "generateName": {"type": "string"}}
        })
    });
    ObjectTy {
        schema: META.as_object().expect("a literal object"),
        resource: false,
    }
}

/// escaping.go `Escape`: the CEL identifier a property is selected by, or `None` when the
/// property cannot be selected at all.
pub(crate) fn escape(name: &str) -> Option<String> {
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    if RESERVED.contains(&name) {
        return Some(format!("__{name}__"));
    }
    let mut out = String::with_capacity(name.len());
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        if rest.starts_with("__") {
            out.push_str("__underscores__");
            rest = &rest[2..];
            continue;
        }
        match c {
            '.' => out.push_str("__dot__"),
            '-' => out.push_str("__dash__"),
            '/' => out.push_str("__slash__"),
            c if c.is_ascii_alphanumeric() || c == '_' => out.push(c),
            _ => return None,
        }
        rest = &rest[c.len_utf8()..];
    }
    Some(out)
}

fn embedded(schema: &Value) -> bool {
    schema.get(EMBEDDED).and_then(Value::as_bool) == Some(true)
}

impl fmt::Display for Ty<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ty::Dyn => f.write_str("dyn"),
            Ty::Null => f.write_str("null"),
            Ty::Bool => f.write_str("bool"),
            Ty::Int => f.write_str("int"),
            Ty::Uint => f.write_str("uint"),
            Ty::Double => f.write_str("double"),
            Ty::String => f.write_str("string"),
            Ty::Bytes => f.write_str("bytes"),
            Ty::Timestamp => f.write_str("timestamp"),
            Ty::Duration => f.write_str("duration"),
            Ty::Type => f.write_str("type"),
            Ty::List(elem) => write!(f, "list({elem})"),
            Ty::Map(value) => write!(f, "map(string, {value})"),
            Ty::Object(_) => f.write_str("object"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping_follows_the_apiserver() {
        assert_eq!(escape("replicas").as_deref(), Some("replicas"));
        assert_eq!(escape("foo-bar").as_deref(), Some("foo__dash__bar"));
        assert_eq!(escape("a.b/c").as_deref(), Some("a__dot__b__slash__c"));
        assert_eq!(escape("a__b").as_deref(), Some("a__underscores__b"));
        assert_eq!(escape("namespace").as_deref(), Some("__namespace__"));
        assert_eq!(escape("1st"), None);
        assert_eq!(escape("a b"), None);
        assert_eq!(escape(""), None);
    }

    #[test]
    fn schema_types_map_to_cel_types() {
        let ty = |v: Value| Ty::of_schema(&v, false).to_string();
        assert_eq!(ty(serde_json::json!({"type": "integer"})), "int");
        assert_eq!(ty(serde_json::json!({"type": "number"})), "double");
        assert_eq!(ty(serde_json::json!({"type": "string"})), "string");
        assert_eq!(
            ty(serde_json::json!({"type": "string", "format": "date-time"})),
            "dyn"
        );
        assert_eq!(
            ty(serde_json::json!({"type": "array", "items": {"type": "boolean"}})),
            "list(bool)"
        );
        assert_eq!(
            ty(serde_json::json!({"type": "object", "additionalProperties": {"type": "string"}})),
            "map(string, string)"
        );
        assert_eq!(
            ty(serde_json::json!({"x-kubernetes-int-or-string": true})),
            "dyn"
        );
        assert_eq!(
            ty(serde_json::json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true})),
            "dyn"
        );
    }
}
