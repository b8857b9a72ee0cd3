//! Small helpers shared by the checks: violation paths, schema lookups, value kinds, DNS names.

use serde_json::Value;

use super::{Obj, Violation};

pub(super) fn push(out: &mut Vec<Violation>, path: &str, message: impl Into<String>) {
    out.push(Violation::new(path, message));
}

pub(crate) fn child(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_owned()
    } else {
        format!("{path}.{key}")
    }
}

/// `path.properties.name`, or `path.properties[name]` when the name would make the dotted form
/// ambiguous (dots, brackets, spaces, ...).
pub(crate) fn prop_path(path: &str, name: &str) -> String {
    let simple = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
    if simple {
        format!("{path}.properties.{name}")
    } else {
        format!("{path}.properties[{name}]")
    }
}

/// The node's `type`, if it is a non-empty string.
pub(super) fn type_of(node: &Obj) -> Option<&str> {
    node.get("type")
        .and_then(Value::as_str)
        .filter(|t| !t.is_empty())
}

pub(crate) fn is_true(node: &Obj, key: &str) -> bool {
    matches!(node.get(key), Some(Value::Bool(true)))
}

/// Whether a value differs from Go's zero value for its field (false, "", empty list/map and
/// null all count as "not set", like the apiserver's `reflect.DeepEqual` against zero).
pub(super) fn is_set(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Number(_) => true,
    }
}

pub(super) fn property<'a>(node: &'a Obj, name: &str) -> Option<&'a Value> {
    node.get("properties")?.as_object()?.get(name)
}

pub(super) fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// JSON has one number type; an OpenAPI integer is any number without a fraction
/// (go-openapi accepts `2.0` for `type: integer`).
pub(super) fn is_integer(value: &Value) -> bool {
    value.is_i64()
        || value.is_u64()
        || value
            .as_f64()
            .is_some_and(|f| f.is_finite() && f.fract() == 0.0)
}

pub(super) fn value_has_type(value: &Value, ty: &str) -> bool {
    match ty {
        "object" => value.is_object(),
        "array" => value.is_array(),
        "string" => value.is_string(),
        "boolean" => value.is_boolean(),
        "number" => value.is_number(),
        "integer" => is_integer(value),
        // Unknown types are reported by the type rule; don't pile on.
        _ => true,
    }
}

pub(super) fn has_newline(s: &str) -> bool {
    s.contains(['\n', '\r'])
}

/// `[a-z]([-a-z0-9]*[a-z0-9])?`, at most 63 characters (apimachinery `IsDNS1035Label`).
pub(super) fn is_dns1035_label(s: &str) -> bool {
    s.len() <= 63
        && s.bytes().next().is_some_and(|b| b.is_ascii_lowercase())
        && s.bytes()
            .last()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 characters.
fn is_dns1123_label(s: &str) -> bool {
    let alnum = |b: u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    s.len() <= 63
        && s.bytes().next().is_some_and(alnum)
        && s.bytes().last().is_some_and(alnum)
        && s.bytes().all(|b| alnum(b) || b == b'-')
}

/// Dot-separated DNS-1123 labels, at most 253 characters (apimachinery `IsDNS1123Subdomain`).
pub(super) fn is_dns1123_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns1123_label)
}

/// The exact `anyOf: [{type: integer}, {type: string}]` shape that validation.go
/// (`intOrStringAnyOf`) lets keep `type` inside a junctor.
pub(super) fn is_int_or_string_any_of(value: Option<&Value>) -> bool {
    let Some(Value::Array(list)) = value else {
        return false;
    };
    let only_type = |v: &Value, ty: &str| {
        v.as_object()
            .is_some_and(|o| o.len() == 1 && o.get("type").and_then(Value::as_str) == Some(ty))
    };
    matches!(list.as_slice(), [int, string] if only_type(int, "integer") && only_type(string, "string"))
}

/// validation.go `isIntOrStringAllOfPattern`: `allOf[0]` holds the int-or-string `anyOf`.
pub(super) fn all_of_starts_with_int_or_string(node: &Obj) -> bool {
    node.get("allOf")
        .and_then(Value::as_array)
        .and_then(|list| list.first())
        .and_then(Value::as_object)
        .is_some_and(|first| is_int_or_string_any_of(first.get("anyOf")))
}
