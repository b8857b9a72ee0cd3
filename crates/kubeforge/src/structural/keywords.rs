//! Keywords and their value kinds, numeric and count bounds (validation.go, and convert.go
//! `validateUnsupportedFields`).

use serde_json::Value;

use super::keys::{EMBEDDED, FOREIGN_KEYS, INT_OR_STRING, KNOWN_KEYS, PRESERVE, UNSUPPORTED_KEYS};
use super::util::{kind_of, push};
use super::{Obj, Violation};

pub(super) fn check_keywords(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    check_unknown_keys(obj, path, out);
    check_value_kinds(obj, path, out);
    check_numeric_bounds(obj, path, out);
    check_count_bounds(obj, path, out);
}

/// Unsupported (validation.go `validate`) and unknown (strict field validation) keywords.
fn check_unknown_keys(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    for key in obj.keys() {
        if let Some((_, why)) = UNSUPPORTED_KEYS.iter().find(|(k, _)| k == key) {
            push(out, path, format!("`{key}` is not supported: {why}"));
        } else if !KNOWN_KEYS.contains(&key.as_str()) {
            let hint = FOREIGN_KEYS.iter().find(|(k, _)| k == key).map_or(
                "not a field of the Kubernetes JSONSchemaProps type",
                |(_, h)| h,
            );
            push(out, path, format!("unknown keyword `{key}`: {hint}"));
        }
    }
    // validation.go: "uniqueItems cannot be set to true since the runtime complexity becomes
    // quadratic".
    match obj.get("uniqueItems") {
        None | Some(Value::Bool(false)) => {}
        Some(Value::Bool(true)) => push(
            out,
            path,
            "`uniqueItems: true` is forbidden (quadratic to validate); use x-kubernetes-list-type: set",
        ),
        Some(other) => push(
            out,
            path,
            format!("`uniqueItems` must be a boolean, got {}", kind_of(other)),
        ),
    }
}

/// JSON kinds of the simple keywords, as the `JSONSchemaProps` Go type would decode them.
fn check_value_kinds(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    for key in ["description", "title", "format", "pattern"] {
        if let Some(v) = obj.get(key)
            && !v.is_string()
        {
            push(
                out,
                path,
                format!("`{key}` must be a string, got {}", kind_of(v)),
            );
        }
    }
    for key in ["nullable", PRESERVE, EMBEDDED, INT_OR_STRING] {
        if let Some(v) = obj.get(key)
            && !v.is_boolean()
        {
            push(
                out,
                path,
                format!("`{key}` must be a boolean, got {}", kind_of(v)),
            );
        }
    }
    // validation.go / convert.go: "must be true or undefined".
    if obj.get(PRESERVE) == Some(&Value::Bool(false)) {
        push(out, path, format!("`{PRESERVE}` must be true or undefined"));
    }
    for key in ["exclusiveMinimum", "exclusiveMaximum"] {
        if let Some(v) = obj.get(key)
            && !v.is_boolean()
        {
            push(
                out,
                path,
                format!(
                    "`{key}` must be a boolean (OpenAPI v3.0); the numeric JSON-Schema 2019+ form is not supported"
                ),
            );
        }
    }
    if let Some(v) = obj.get("externalDocs")
        && !v.is_object()
    {
        push(out, path, "`externalDocs` must be an object");
    }
}

fn number_keyword(obj: &Obj, key: &str, path: &str, out: &mut Vec<Violation>) -> Option<f64> {
    let value = obj.get(key)?;
    let number = value.as_f64();
    if number.is_none() {
        push(
            out,
            path,
            format!("`{key}` must be a number, got {}", kind_of(value)),
        );
    }
    number
}

/// `minimum`/`maximum`/`multipleOf` are float64 fields; a zero or negative `multipleOf` makes
/// every value invalid (or divides by zero), and `minimum > maximum` admits nothing.
fn check_numeric_bounds(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    let minimum = number_keyword(obj, "minimum", path, out);
    let maximum = number_keyword(obj, "maximum", path, out);
    if let Some(m) = number_keyword(obj, "multipleOf", path, out)
        && m <= 0.0
    {
        push(
            out,
            path,
            format!("`multipleOf` must be greater than 0, got {m}"),
        );
    }
    if let (Some(lo), Some(hi)) = (minimum, maximum)
        && lo > hi
    {
        push(
            out,
            path,
            format!("`minimum` ({lo}) is greater than `maximum` ({hi})"),
        );
    }
}

fn count_keyword(obj: &Obj, key: &str, path: &str, out: &mut Vec<Violation>) -> Option<u64> {
    let value = obj.get(key)?;
    let count = value.as_u64();
    if count.is_none() {
        push(
            out,
            path,
            format!("`{key}` must be a non-negative integer, got {value}"),
        );
    }
    count
}

/// The length/count keywords are int64 fields; negative values and `min > max` pairs are
/// nonsense a generator should never emit.
fn check_count_bounds(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    let pairs = [
        ("minLength", "maxLength"),
        ("minItems", "maxItems"),
        ("minProperties", "maxProperties"),
    ];
    for (min_key, max_key) in pairs {
        let lo = count_keyword(obj, min_key, path, out);
        let hi = count_keyword(obj, max_key, path, out);
        if let (Some(lo), Some(hi)) = (lo, hi)
            && lo > hi
        {
            push(
                out,
                path,
                format!("`{min_key}` ({lo}) is greater than `{max_key}` ({hi})"),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::structural::test_support::*;

    #[test]
    fn forbidden_keywords_are_rejected() {
        let cases = [
            ("$ref", json!("#/definitions/x")),
            ("definitions", json!({"x": {"type": "string"}})),
            ("$defs", json!({"x": {"type": "string"}})),
            ("$schema", json!("draft-04")),
            ("id", json!("x")),
            ("dependencies", json!({"a": ["b"]})),
            ("additionalItems", json!(false)),
            ("patternProperties", json!({"^a": {"type": "string"}})),
            ("readOnly", json!(true)),
            ("writeOnly", json!(true)),
            ("const", json!("x")),
            ("prefixItems", json!([{"type": "string"}])),
            ("examples", json!(["x"])),
            ("frobnicate", json!(1)),
        ];
        for (key, value) in cases {
            let mut schema = json!({"type": "string"});
            schema[key] = value;
            assert_has(&field(schema), F, &format!("`{key}`"));
        }
    }

    #[test]
    fn singular_example_is_accepted() {
        assert_clean(&field(
            json!({"type": "string", "example": "x", "externalDocs": {"url": "u"}}),
        ));
    }

    #[test]
    fn unique_items_true_is_rejected() {
        let ok = json!({"type": "array", "items": {"type": "string"}, "uniqueItems": false});
        assert_clean(&field(ok));
        let bad = json!({"type": "array", "items": {"type": "string"}, "uniqueItems": true});
        assert_has(&field(bad), F, "uniqueItems");
    }

    #[test]
    fn boolean_schema_nodes_are_rejected() {
        assert_has(&field(json!(true)), F, "boolean schema");
        let v = field(
            json!({"type": "object", "additionalProperties": {"type": "array", "items": false}}),
        );
        assert_has(
            &v,
            &format!("{F}.additionalProperties.items"),
            "boolean schema",
        );
        assert_has(&root(json!(42)), "s", "got number");
    }

    #[test]
    fn numeric_keywords() {
        assert_clean(&field(
            json!({"type": "number", "minimum": -1.5, "maximum": 2, "multipleOf": 0.5}),
        ));
        assert_has(
            &field(json!({"type": "integer", "minimum": "0"})),
            F,
            "`minimum` must be a number",
        );
        assert_has(
            &field(json!({"type": "integer", "multipleOf": 0})),
            F,
            "greater than 0",
        );
        assert_has(
            &field(json!({"type": "integer", "minimum": 5, "maximum": 1})),
            F,
            "greater than `maximum`",
        );
        assert_has(
            &field(json!({"type": "integer", "exclusiveMinimum": 3})),
            F,
            "must be a boolean",
        );
        assert_clean(&field(
            json!({"type": "integer", "minimum": 3, "exclusiveMinimum": true}),
        ));
    }

    #[test]
    fn count_keywords() {
        assert_clean(&field(
            json!({"type": "string", "minLength": 1, "maxLength": 5}),
        ));
        assert_has(
            &field(json!({"type": "string", "minLength": -1})),
            F,
            "non-negative integer",
        );
        assert_has(
            &field(json!({"type": "string", "maxLength": 1.5})),
            F,
            "non-negative integer",
        );
        assert_has(
            &field(json!({"type": "string", "minLength": 3, "maxLength": 2})),
            F,
            "greater than `maxLength`",
        );
        let v = field(
            json!({"type": "array", "items": {"type": "string"}, "minItems": 2, "maxItems": 1}),
        );
        assert_has(&v, F, "`minItems`");
        let v = field(
            json!({"type": "object", "additionalProperties": {"type": "string"}, "minProperties": 2, "maxProperties": 1}),
        );
        assert_has(&v, F, "`minProperties`");
    }

    #[test]
    fn string_keywords_must_be_strings() {
        assert_has(
            &field(json!({"type": "string", "pattern": 5})),
            F,
            "`pattern` must be a string",
        );
        assert_has(
            &field(json!({"type": "string", "description": ["x"]})),
            F,
            "`description` must be a string",
        );
        assert_has(
            &field(json!({"type": "string", "nullable": "yes"})),
            F,
            "`nullable` must be a boolean",
        );
        let v = field(json!({"type": "object", "x-kubernetes-preserve-unknown-fields": false}));
        assert_has(&v, F, "must be true or undefined");
    }
}
