//! The OpenAPI v3 checks the apiserver runs on a custom resource (kube-openapi's
//! `validate.SchemaValidator`), with its messages as apiextensions-apiserver turns them into
//! field errors.

use serde_json::Value;

use super::field_error::{ErrorKind, FieldError, go_float, go_quote, go_value};
use super::formats;
use super::schema::Node;
use crate::structural::child as child_field;

/// Checks `value` at `path` (`spec.ports[0]`; empty for the root) against `node`.
pub(crate) fn check(value: &Value, node: Node<'_>, path: &str, errors: &mut Vec<FieldError>) {
    if value.is_null() && node.nullable() {
        return;
    }
    // A type mismatch is reported and the checks for the value's own type still run, as in
    // kube-openapi (where they find nothing for a schema of another type).
    if let Some(actual) = type_mismatch(value, node) {
        errors.push(FieldError::new(
            path,
            ErrorKind::TypeInvalid,
            Some(go_quote(actual)),
            format!(
                "{path} in body must be of type {}: {}",
                expected_type(node),
                go_quote(actual)
            ),
        ));
    }
    combinators(value, node, path, errors);
    match value {
        Value::String(s) => {
            check_string(s, node, path, errors);
            if let Some(detail) = formats::check(node.format(), s) {
                errors.push(FieldError::new(
                    path,
                    ErrorKind::TypeInvalid,
                    Some(go_value(value)),
                    format!("{path} in body {detail}"),
                ));
            }
        }
        Value::Number(n) => check_number(value, n.as_f64().unwrap_or(f64::NAN), node, path, errors),
        _ => {}
    }
    if let Value::Array(items) = value {
        check_array(items, node, path, errors);
    }
    check_enum(value, node, path, errors);
    if let Value::Object(map) = value {
        check_object(map, node, path, errors);
    }
}

/// The JSON type of `value` when the schema does not allow it.
fn type_mismatch(value: &Value, node: Node<'_>) -> Option<&'static str> {
    let actual = json_type(value);
    let allowed = match (node.int_or_string(), node.type_name()) {
        (true, _) => matches!(actual, "integer" | "string"),
        (false, "") => true,
        (false, "number") => matches!(actual, "integer" | "number"),
        (false, wanted) => actual == wanted,
    };
    (!allowed).then_some(actual)
}

fn expected_type(node: Node<'_>) -> &str {
    if node.int_or_string() {
        "integer,string"
    } else {
        node.type_name()
    }
}

pub(crate) fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(n) if n.as_f64().is_some_and(|f| f.fract() == 0.0) => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// `allOf`, `anyOf`, `oneOf` and `not`, which structural schemas allow for value checks
/// (controller-gen writes `anyOf` for int-or-string fields).
fn combinators(value: &Value, node: Node<'_>, path: &str, errors: &mut Vec<FieldError>) {
    for sub in node.subschemas("allOf") {
        check(value, sub, path, errors);
    }
    let passes = |sub: Node<'_>| {
        let mut sub_errors = Vec::new();
        check(value, sub, path, &mut sub_errors);
        sub_errors
    };
    let any_of: Vec<Vec<FieldError>> = node.subschemas("anyOf").map(passes).collect();
    if !any_of.is_empty() && any_of.iter().all(|e| !e.is_empty()) {
        errors.push(combinator_error(
            path,
            "must validate at least one schema (anyOf)",
        ));
        errors.extend(any_of.into_iter().next().unwrap_or_default());
    }
    let one_of: Vec<Vec<FieldError>> = node.subschemas("oneOf").map(passes).collect();
    if !one_of.is_empty() && one_of.iter().filter(|e| e.is_empty()).count() != 1 {
        errors.push(combinator_error(
            path,
            "must validate one and only one schema (oneOf)",
        ));
    }
    if let Some(not) = node.0.get("not").map(Node)
        && passes(not).is_empty()
    {
        errors.push(combinator_error(path, "must not validate the schema (not)"));
    }
}

/// kube-openapi names the field inside the message only, so the field error has no path.
fn combinator_error(path: &str, what: &str) -> FieldError {
    FieldError::invalid(
        "",
        &Value::String(String::new()),
        format!("{} {what}", go_quote(path)),
    )
}

fn check_string(s: &str, node: Node<'_>, path: &str, errors: &mut Vec<FieldError>) {
    let length = s.chars().count() as u64;
    let value = Value::String(s.to_owned());
    // kube-openapi's string validator stops at the first failure.
    if let Some(max) = node.count("maxLength")
        && length > max
    {
        errors.push(FieldError::new(
            path,
            ErrorKind::TooLong,
            None,
            format!("may not be more than {max} bytes"),
        ));
    } else if let Some(min) = node.count("minLength")
        && length < min
    {
        errors.push(FieldError::invalid(
            path,
            &value,
            format!("{path} in body should be at least {min} chars long"),
        ));
    } else if let Some(pattern) = node.string("pattern") {
        match regex::Regex::new(pattern) {
            Ok(re) if re.is_match(s) => {}
            Ok(_) => errors.push(FieldError::invalid(
                path,
                &value,
                format!("{path} in body should match '{pattern}'"),
            )),
            Err(error) => errors.push(FieldError::internal(
                path,
                format!("pattern '{pattern}' does not compile: {error}"),
            )),
        }
    }
}

/// kube-openapi compares an integer value with bounds truncated to integers (its
/// `*NativeType` checks), and prints them so; a fractional value with the bounds as they are.
fn check_number(value: &Value, n: f64, node: Node<'_>, path: &str, errors: &mut Vec<FieldError>) {
    let integral = value.as_i64().is_some();
    let bound = |key: &str| {
        node.number(key)
            .map(|b| if integral { b.trunc() } else { b })
    };
    let mut fail = |detail: &str, bound: f64| {
        errors.push(FieldError::invalid(
            path,
            value,
            format!("{path} in body should be {detail} {}", go_float(bound)),
        ));
    };
    if let Some(factor) = bound("multipleOf")
        && factor != 0.0
        && (n / factor).fract() != 0.0
    {
        fail("a multiple of", factor);
    }
    let exclusive = |key: &str| node.0.get(key) == Some(&Value::Bool(true));
    if let Some(max) = bound("maximum") {
        if exclusive("exclusiveMaximum") {
            if n >= max {
                fail("less than", max);
            }
        } else if n > max {
            fail("less than or equal to", max);
        }
    }
    if let Some(min) = bound("minimum") {
        if exclusive("exclusiveMinimum") {
            if n <= min {
                fail("greater than", min);
            }
        } else if n < min {
            fail("greater than or equal to", min);
        }
    }
}

fn check_array(items: &[Value], node: Node<'_>, path: &str, errors: &mut Vec<FieldError>) {
    let size = items.len() as u64;
    if let Some(min) = node.count("minItems")
        && size < min
    {
        errors.push(FieldError::invalid(
            path,
            &Value::from(size),
            format!("{path} in body should have at least {min} items"),
        ));
    }
    if let Some(max) = node.count("maxItems")
        && size > max
    {
        errors.push(too_many(path, size, max));
    }
    if let Some(item_node) = node.items() {
        for (i, item) in items.iter().enumerate() {
            check(item, item_node, &format!("{path}[{i}]"), errors);
        }
    }
}

fn too_many(path: &str, actual: u64, max: u64) -> FieldError {
    FieldError::new(
        path,
        ErrorKind::TooMany,
        Some(actual.to_string()),
        format!("must have at most {max} items"),
    )
}

fn check_enum(value: &Value, node: Node<'_>, path: &str, errors: &mut Vec<FieldError>) {
    let allowed = node.list("enum");
    if allowed.is_empty() || allowed.contains(value) {
        return;
    }
    let supported: Vec<String> = allowed
        .iter()
        .map(|v| match v {
            Value::String(s) => go_quote(s),
            other => go_quote(&other.to_string()),
        })
        .collect();
    errors.push(FieldError::new(
        path,
        ErrorKind::NotSupported,
        Some(go_value(value)),
        format!("supported values: {}", supported.join(", ")),
    ));
}

fn check_object(
    map: &serde_json::Map<String, Value>,
    node: Node<'_>,
    path: &str,
    errors: &mut Vec<FieldError>,
) {
    let count = map.len() as u64;
    if let Some(max) = node.count("maxProperties")
        && count > max
    {
        errors.push(too_many(path, count, max));
    }
    if let Some(min) = node.count("minProperties")
        && count < min
    {
        errors.push(FieldError::invalid(
            path,
            &Value::from(count),
            format!("{path} in body should have at least {min} properties"),
        ));
    }
    let child_path = |key: &str| child_field(path, key);
    if let Some(values) = node.additional_properties() {
        for (key, child) in map {
            check(child, values, &child_path(key), errors);
        }
    }
    for (key, property) in node.properties() {
        if let Some(child) = map.get(key) {
            check(child, property, &child_path(key), errors);
        }
    }
    for required in node.list("required").iter().filter_map(Value::as_str) {
        if !map.contains_key(required) {
            errors.push(FieldError::required(&child_path(required), ""));
        }
    }
    // schemaobjectmeta.Validate: an embedded object needs its type.
    if node.embedded_resource() {
        for key in ["apiVersion", "kind"] {
            if map
                .get(key)
                .and_then(Value::as_str)
                .is_none_or(str::is_empty)
            {
                errors.push(FieldError::required(&child_path(key), "must not be empty"));
            }
        }
    }
}
