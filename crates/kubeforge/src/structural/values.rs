//! `required`, `enum` and `default` values against the schema they sit in (validation.go,
//! defaulting validation).

use std::collections::BTreeSet;

use serde_json::Value;

use super::keys::{INT_OR_STRING, MAX_DEPTH, PRESERVE};
use super::util::{is_integer, is_true, kind_of, property, push, type_of, value_has_type};
use super::walk::{Ctx, Level};
use super::{Obj, Violation};

/// `required` is a list of unique names. Stricter than the apiserver: each name must be a
/// declared property of `counterpart` (the node itself, or for a junctor its structural
/// sibling) unless that node accepts arbitrary keys — an undeclared name can never be satisfied
/// once unknown fields are pruned.
pub(super) fn check_required(
    obj: &Obj,
    counterpart: Option<&Obj>,
    path: &str,
    out: &mut Vec<Violation>,
) {
    let Some(required) = obj.get("required") else {
        return;
    };
    let Some(list) = required.as_array() else {
        push(out, path, "`required` must be an array of property names");
        return;
    };
    let open = counterpart.is_none_or(|c| {
        is_true(c, PRESERVE)
            || matches!(
                c.get("additionalProperties"),
                Some(Value::Object(_) | Value::Bool(true))
            )
    });
    let mut seen = BTreeSet::new();
    for (i, entry) in list.iter().enumerate() {
        let Some(name) = entry.as_str() else {
            push(out, path, format!("`required[{i}]` must be a string"));
            continue;
        };
        if !seen.insert(name) {
            push(
                out,
                path,
                format!("`required` lists `{name}` more than once"),
            );
            continue;
        }
        let declared = counterpart.is_some_and(|c| property(c, name).is_some());
        if !open && !declared {
            push(
                out,
                path,
                format!("`required` names `{name}`, which is not a declared property"),
            );
        }
    }
}

/// Why `value` cannot be an instance of `schema`'s type, if it cannot.
fn type_mismatch(value: &Value, schema: &Obj) -> Option<String> {
    if value.is_null() {
        return (!is_true(schema, "nullable"))
            .then(|| "is null, which requires `nullable: true`".to_owned());
    }
    if is_true(schema, INT_OR_STRING) {
        return (!(is_integer(value) || value.is_string()))
            .then(|| format!("must be an integer or a string, got {}", kind_of(value)));
    }
    let ty = type_of(schema)?;
    (!value_has_type(value, ty)).then(|| format!("must be of type {ty}, got {}", kind_of(value)))
}

/// `enum` must list at least one value. Stricter than the apiserver: every value must fit the
/// type of `type_source` (the node, or a junctor's structural sibling), since a mistyped value
/// can never match.
pub(super) fn check_enum(
    obj: &Obj,
    type_source: Option<&Obj>,
    path: &str,
    out: &mut Vec<Violation>,
) {
    let Some(value) = obj.get("enum") else {
        return;
    };
    let Some(values) = value.as_array() else {
        push(out, path, "`enum` must be an array");
        return;
    };
    if values.is_empty() {
        push(out, path, "`enum` must not be empty");
        return;
    }
    let Some(source) = type_source else {
        return;
    };
    for (i, v) in values.iter().enumerate() {
        if let Some(why) = type_mismatch(v, source) {
            push(out, path, format!("`enum[{i}]` {why}"));
        }
    }
}

/// validation.go `withForbiddenDefaults` plus defaulting/validation.go `ValidateDefaults`
/// (simplified: type, enum, required and nested properties/items; no pruning check).
pub(super) fn check_default(obj: &Obj, path: &str, ctx: Ctx, out: &mut Vec<Violation>) {
    let Some(default) = obj.get("default") else {
        return;
    };
    if ctx.level == Level::Root {
        push(out, path, "`default` must not be set at the root");
        return;
    }
    if let Some(reason) = ctx.no_default {
        push(out, path, format!("`default` must not be set {reason}"));
        return;
    }
    if let Some((at, why)) = default_mismatch(default, obj, 0) {
        push(out, path, format!("`default{at}` {why}"));
    }
}

/// Where inside `value` (e.g. `.spec.size`, `[0]`) and why it does not fit `schema`.
fn default_mismatch(value: &Value, schema: &Obj, depth: usize) -> Option<(String, String)> {
    if depth > MAX_DEPTH {
        return None;
    }
    if let Some(why) = type_mismatch(value, schema) {
        return Some((String::new(), why));
    }
    if let Some(Value::Array(allowed)) = schema.get("enum")
        && !allowed.is_empty()
        && !allowed.contains(value)
    {
        return Some((String::new(), "is not one of the enum values".to_owned()));
    }
    match value {
        Value::Object(map) => object_default_mismatch(map, schema, depth),
        Value::Array(list) => {
            let item_schema = schema.get("items")?.as_object()?;
            list.iter().enumerate().find_map(|(i, item)| {
                default_mismatch(item, item_schema, depth + 1)
                    .map(|(at, why)| (format!("[{i}]{at}"), why))
            })
        }
        _ => None,
    }
}

fn object_default_mismatch(map: &Obj, schema: &Obj, depth: usize) -> Option<(String, String)> {
    if let Some(Value::Array(required)) = schema.get("required") {
        let missing = required
            .iter()
            .filter_map(Value::as_str)
            .find(|name| !map.contains_key(*name));
        if let Some(name) = missing {
            return Some((
                String::new(),
                format!("is missing required property `{name}`"),
            ));
        }
    }
    let props = schema.get("properties").and_then(Value::as_object);
    let extra = schema
        .get("additionalProperties")
        .and_then(Value::as_object);
    map.iter().find_map(|(key, item)| {
        let sub = props
            .and_then(|p| p.get(key))
            .and_then(Value::as_object)
            .or(extra)?;
        default_mismatch(item, sub, depth + 1).map(|(at, why)| (format!(".{key}{at}"), why))
    })
}

#[cfg(test)]
mod tests {
    use crate::structural::test_support::*;

    #[test]
    fn required_rules() {
        let props = json!({"a": {"type": "string"}});
        assert_clean(&field(
            json!({"type": "object", "properties": props, "required": ["a"]}),
        ));
        let v = field(json!({"type": "object", "properties": props, "required": ["a", "a"]}));
        assert_has(&v, F, "more than once");
        let v = field(json!({"type": "object", "properties": props, "required": ["b"]}));
        assert_has(&v, F, "not a declared property");
        assert_has(
            &field(json!({"type": "object", "properties": props, "required": "a"})),
            F,
            "must be an array",
        );
    }

    #[test]
    fn required_is_open_on_preserving_or_map_nodes() {
        assert_clean(&field(
            json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true, "required": ["x"]}),
        ));
        assert_clean(&field(
            json!({"type": "object", "additionalProperties": {"type": "string"}, "required": ["x"]}),
        ));
    }

    #[test]
    fn enum_rules() {
        assert_has(
            &field(json!({"type": "string", "enum": []})),
            F,
            "must not be empty",
        );
        assert_has(
            &field(json!({"type": "string", "enum": ["a", 1]})),
            F,
            "`enum[1]` must be of type string",
        );
        assert_clean(&field(
            json!({"type": "string", "nullable": true, "enum": ["a", null]}),
        ));
        assert_has(
            &field(json!({"type": "string", "enum": ["a", null]})),
            F,
            "nullable",
        );
        assert_clean(&field(
            json!({"x-kubernetes-int-or-string": true, "enum": [1, "2"]}),
        ));
        assert_has(
            &field(json!({"x-kubernetes-int-or-string": true, "enum": [true]})),
            F,
            "integer or a string",
        );
        assert_clean(&field(json!({"type": "integer", "enum": [1, 2.0]})));
        assert_has(
            &field(json!({"type": "integer", "enum": [1.5]})),
            F,
            "must be of type integer",
        );
    }

    #[test]
    fn default_must_fit_its_node() {
        assert_has(
            &field(json!({"type": "integer", "default": "1"})),
            F,
            "`default` must be of type integer",
        );
        assert_has(
            &field(json!({"type": "string", "enum": ["a"], "default": "b"})),
            F,
            "enum",
        );
        assert_has(
            &field(json!({"type": "string", "default": null})),
            F,
            "nullable",
        );
        assert_clean(&field(
            json!({"type": "string", "nullable": true, "default": null}),
        ));
        assert_clean(&field(
            json!({"x-kubernetes-int-or-string": true, "default": "50%"}),
        ));
    }

    #[test]
    fn default_is_checked_recursively() {
        let schema = json!({
            "type": "object",
            "required": ["a"],
            "properties": {"a": {"type": "integer"}, "b": {"type": "array", "items": {"type": "string"}}}
        });
        let mut ok = schema.clone();
        ok["default"] = json!({"a": 1, "b": ["x"]});
        assert_clean(&field(ok));
        let mut missing = schema.clone();
        missing["default"] = json!({"b": []});
        assert_has(&field(missing), F, "missing required property `a`");
        let mut nested = schema.clone();
        nested["default"] = json!({"a": 1, "b": ["x", 2]});
        assert_has(&field(nested), F, "`default.b[1]` must be of type string");
    }

    #[test]
    fn default_in_junctor_is_rejected() {
        let v = field(json!({"type": "string", "allOf": [{"default": "x"}]}));
        assert_has(&v, &format!("{F}.allOf[0]"), "`default`");
    }
}
