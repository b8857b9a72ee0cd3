//! Rewrites a schemars schema into what controller-gen would write and the apiserver accepts:
//! no `$ref`, no `nullable` unless asked for, no `title` unless asked for, integer bounds as
//! integers, k8s types in controller-gen's form, free-form values as preserve-unknown-fields.
//! Each rewrite is one function, named for what it fixes.

use serde_json::{Map, Value, json};

use crate::known_types;
use crate::schema::ERROR_KEY;

/// A marker problem found while normalising: the schema path and the message.
pub(crate) type Problem = (String, String);

/// Normalises `root` in place; returns the marker problems recorded in it.
pub(crate) fn normalize(root: &mut Value) -> Vec<Problem> {
    let mut problems = Vec::new();
    walk(root, "", &mut problems);
    problems
}

fn walk(node: &mut Value, path: &str, problems: &mut Vec<Problem>) {
    free_form_to_preserve_unknown(node);
    let Some(obj) = node.as_object_mut() else {
        return;
    };
    if let Some(Value::String(message)) = obj.remove(ERROR_KEY) {
        problems.push((display_path(path), message));
    }
    unwrap_nullable_unions(obj);
    replace_known_k8s_types(obj);
    recursive_refs_to_preserve_unknown(obj);
    drop_schemars_only_keywords(obj);
    title_into_description(obj);
    explicit_nullable_and_title(obj);
    const_to_enum(obj);
    string_const_unions_to_enum(obj);
    examples_to_example(obj);
    integer_formats(obj);
    integral_bounds(obj);
    prefix_items_to_items(obj);
    sets_without_unique_items(obj);
    additional_properties_shape(obj);
    defaults_without_nulls(obj);
    int_or_string_shape(obj);

    if let Some(Value::Object(props)) = obj.get_mut("properties") {
        for (name, child) in props.iter_mut() {
            walk(child, &format!("{path}.{name}"), problems);
        }
    }
    if let Some(items) = obj.get_mut("items") {
        walk(items, &format!("{path}[*]"), problems);
    }
    if let Some(ap) = obj.get_mut("additionalProperties")
        && ap.is_object()
    {
        walk(ap, &format!("{path}.*"), problems);
    }
}

fn display_path(path: &str) -> String {
    if path.is_empty() {
        ".".to_owned()
    } else {
        path.to_owned()
    }
}

/// schemars writes `true` or `{}` for `serde_json::Value`: anything goes. A structural schema
/// says so with `x-kubernetes-preserve-unknown-fields`.
fn free_form_to_preserve_unknown(node: &mut Value) {
    let free = match node {
        Value::Bool(true) => true,
        Value::Object(o) => o.keys().all(|k| k == "description") && !o.contains_key("type"),
        _ => false,
    };
    if free {
        let description = node.get("description").cloned();
        let mut obj = Map::new();
        if let Some(d) = description {
            obj.insert("description".into(), d);
        }
        obj.insert(
            "x-kubernetes-preserve-unknown-fields".into(),
            Value::Bool(true),
        );
        *node = Value::Object(obj);
    }
}

/// `type: [T, "null"]` and `anyOf: [X, {type: null}]` are how schemars spells `Option<T>`;
/// optionality is `required`'s business in a CRD.
fn unwrap_nullable_unions(obj: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = obj.get("type") {
        let non_null: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        if non_null.len() == 1 {
            obj.insert("type".into(), non_null[0].clone());
        }
    }
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(options)) = obj.get(key) else {
            continue;
        };
        let is_null = |v: &Value| {
            v.get("type") == Some(&json!("null"))
                || v.get("nullable") == Some(&json!(true))
                    && v.as_object().is_some_and(|o| o.len() == 1)
        };
        let rest: Vec<Value> = options.iter().filter(|v| !is_null(v)).cloned().collect();
        if rest.len() == 1 && rest.len() < options.len() {
            obj.remove(key);
            if let Value::Object(inner) = &rest[0] {
                for (k, v) in inner {
                    // The outer node's description (the field's doc) wins over the type's.
                    if k == "description" && obj.contains_key("description") {
                        continue;
                    }
                    obj.insert(k.clone(), v.clone());
                }
            }
        }
    }
    if obj
        .get("allOf")
        .and_then(Value::as_array)
        .is_some_and(|a| a.len() == 1)
        && let Some(Value::Array(mut all)) = obj.remove("allOf")
        && let Some(Value::Object(inner)) = all.pop()
    {
        for (k, v) in inner {
            if k == "description" && obj.contains_key("description") {
                continue;
            }
            obj.insert(k, v);
        }
    }
}

fn replace_known_k8s_types(obj: &mut Map<String, Value>) {
    let node = Value::Object(obj.clone());
    if let Some(Value::Object(replacement)) = known_types::by_description(&node) {
        obj.clear();
        obj.extend(replacement);
    }
}

/// Recursive types reach the generator as `$ref`s; a CRD cannot refer, so the recursion point
/// keeps its data unpruned.
fn recursive_refs_to_preserve_unknown(obj: &mut Map<String, Value>) {
    if obj.remove("$ref").is_some() {
        obj.insert("type".into(), json!("object"));
        obj.insert(
            "x-kubernetes-preserve-unknown-fields".into(),
            Value::Bool(true),
        );
    }
}

fn drop_schemars_only_keywords(obj: &mut Map<String, Value>) {
    // schemars lists `null` among an `Option<Enum>`'s values; optionality is `required`'s job.
    let explicit_null = obj.contains_key("x-kubeforge-nullable");
    if let Some(Value::Array(values)) = obj.get_mut("enum")
        && !explicit_null
    {
        values.retain(|v| !v.is_null());
    }
    // controller-gen sorts `required`; schemars keeps declaration order.
    if let Some(Value::Array(required)) = obj.get_mut("required") {
        required.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
    }
    // Go omits false booleans (`omitempty`), so `ExclusiveMaximum=false` writes nothing.
    for k in ["exclusiveMinimum", "exclusiveMaximum"] {
        if obj.get(k) == Some(&Value::Bool(false)) {
            obj.remove(k);
        }
    }
    for k in [
        "$schema",
        "$id",
        "$defs",
        "definitions",
        "$comment",
        "readOnly",
        "writeOnly",
        "deprecated",
        "nullable",
    ] {
        obj.remove(k);
    }
}

/// schemars splits a doc comment's first paragraph into `title`; controller-gen keeps one
/// description.
fn title_into_description(obj: &mut Map<String, Value>) {
    if let Some(Value::String(title)) = obj.remove("title") {
        let description = match obj.get("description").and_then(Value::as_str) {
            Some(d) => format!("{title}\n\n{d}"),
            None => title,
        };
        obj.insert("description".into(), Value::String(description));
    }
}

fn explicit_nullable_and_title(obj: &mut Map<String, Value>) {
    if let Some(v) = obj.remove("x-kubeforge-nullable") {
        obj.insert("nullable".into(), v);
    }
    if let Some(v) = obj.remove("x-kubeforge-title") {
        obj.insert("title".into(), v);
    }
}

fn const_to_enum(obj: &mut Map<String, Value>) {
    if let Some(c) = obj.remove("const") {
        obj.insert("enum".into(), Value::Array(vec![c]));
    }
}

/// schemars writes a unit enum whose variants have docs as `oneOf` of consts.
fn string_const_unions_to_enum(obj: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(options)) = obj.get(key) else {
            continue;
        };
        let mut values = Vec::new();
        for o in options {
            match o.get("const").or_else(|| {
                o.get("enum")
                    .and_then(|e| e.as_array())
                    .filter(|a| a.len() == 1)
                    .map(|a| &a[0])
            }) {
                Some(Value::String(s)) => values.push(Value::String(s.clone())),
                _ => {
                    values.clear();
                    break;
                }
            }
        }
        if !values.is_empty() && values.len() == options.len() {
            obj.remove(key);
            obj.insert("type".into(), json!("string"));
            obj.insert("enum".into(), Value::Array(values));
        }
    }
}

fn examples_to_example(obj: &mut Map<String, Value>) {
    if let Some(Value::Array(mut examples)) = obj.remove("examples")
        && !examples.is_empty()
        && !obj.contains_key("example")
    {
        obj.insert("example".into(), examples.swap_remove(0));
    }
}

/// Rust integer widths in the formats Kubernetes knows: `int32`, `int64`, or none (as Go's
/// `int8`/`int16`). Unsigned types keep `minimum: 0`; `u32` needs `int64` to hold its range.
fn integer_formats(obj: &mut Map<String, Value>) {
    let Some(format) = obj.get("format").and_then(Value::as_str).map(str::to_owned) else {
        return;
    };
    let unsigned = format.starts_with("uint");
    let new = match format.as_str() {
        "int8" | "int16" | "uint8" | "uint16" => None,
        "int32" => Some("int32"),
        "int64" | "int" | "int128" | "uint32" | "uint64" | "uint" | "uint128" => Some("int64"),
        "double" | "float" => None,
        _ => return,
    };
    match new {
        Some(f) => obj.insert("format".into(), json!(f)),
        None => obj.remove("format"),
    };
    if unsigned {
        obj.entry("minimum").or_insert(json!(0));
    }
}

const BOUNDS: [&str; 3] = ["minimum", "maximum", "multipleOf"];

/// Go writes float64 bounds without a fraction when they are whole (`1`, not `1.0`).
fn integral_bounds(obj: &mut Map<String, Value>) {
    for k in BOUNDS {
        if let Some(v) = obj.get_mut(k) {
            whole(v);
        }
    }
}

fn whole(v: &mut Value) {
    if let Value::Number(n) = v
        && n.is_f64()
        && let Some(f) = n.as_f64()
        && f.fract() == 0.0
        && f.abs() < 9.0e15
    {
        *v = json!(f as i64);
    }
}

/// [`integral_bounds`] over a whole document (after a round trip through k8s-openapi's types).
pub(crate) fn integral_numbers(node: &mut Value) {
    match node {
        Value::Object(obj) => {
            for (k, v) in obj.iter_mut() {
                if BOUNDS.contains(&k.as_str()) {
                    whole(v);
                } else if k != "default" && k != "example" && k != "enum" {
                    integral_numbers(v);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_numbers),
        _ => {}
    }
}

fn prefix_items_to_items(obj: &mut Map<String, Value>) {
    if let Some(Value::Array(items)) = obj.remove("prefixItems") {
        let n = items.len();
        let item = match items.split_first() {
            Some((first, rest)) if rest.iter().all(|i| i == first) => first.clone(),
            _ => json!({ "x-kubernetes-preserve-unknown-fields": true }),
        };
        obj.insert("items".into(), item);
        obj.insert("minItems".into(), json!(n));
        obj.insert("maxItems".into(), json!(n));
    }
}

/// The apiserver rejects `uniqueItems: true`; a list of unique scalars is a set.
fn sets_without_unique_items(obj: &mut Map<String, Value>) {
    if obj.remove("uniqueItems") == Some(Value::Bool(true)) {
        obj.entry("x-kubernetes-list-type").or_insert(json!("set"));
    }
}

/// `additionalProperties: false` and `properties` beside `additionalProperties` are not
/// structural; `true` means anything.
fn additional_properties_shape(obj: &mut Map<String, Value>) {
    match obj.get("additionalProperties") {
        Some(Value::Bool(false)) => {
            obj.remove("additionalProperties");
        }
        Some(Value::Bool(true)) => {
            obj.insert(
                "additionalProperties".into(),
                json!({ "x-kubernetes-preserve-unknown-fields": true }),
            );
        }
        _ => {}
    }
    if obj.contains_key("properties") && obj.contains_key("additionalProperties") {
        obj.remove("additionalProperties");
        obj.insert(
            "x-kubernetes-preserve-unknown-fields".into(),
            Value::Bool(true),
        );
    }
}

/// `#[serde(default)]` on a struct whose default has `None`s makes schemars write nulls into
/// `default`, which the apiserver would reject or prune.
fn defaults_without_nulls(obj: &mut Map<String, Value>) {
    fn strip(v: &mut Value) {
        match v {
            Value::Object(o) => {
                o.retain(|_, v| !v.is_null());
                o.values_mut().for_each(strip);
            }
            Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    match obj.get_mut("default") {
        Some(Value::Null) => {
            obj.remove("default");
        }
        Some(d) => strip(d),
        None => {}
    }
}

fn int_or_string_shape(obj: &mut Map<String, Value>) {
    if obj.get("x-kubernetes-int-or-string") == Some(&Value::Bool(true)) {
        obj.remove("type");
        obj.entry("anyOf")
            .or_insert_with(|| json!([{ "type": "integer" }, { "type": "string" }]));
    }
}

/// controller-gen's `maxDescLen`: descriptions longer than `max` are cut at the last space
/// before it and end in `...`; `0` removes them.
pub(crate) fn truncate_descriptions(node: &mut Value, max: usize) {
    let Some(obj) = node.as_object_mut() else {
        return;
    };
    if max == 0 {
        obj.remove("description");
    } else if let Some(Value::String(d)) = obj.get_mut("description")
        && d.len() > max
    {
        let mut cut = max;
        while !d.is_char_boundary(cut) {
            cut -= 1;
        }
        let head = &d[..cut];
        let head = match head.rfind(char::is_whitespace) {
            Some(n) if n > 0 => &head[..n],
            _ => head,
        };
        *d = format!("{head}...");
    }
    for key in ["properties"] {
        if let Some(Value::Object(props)) = obj.get_mut(key) {
            props
                .values_mut()
                .for_each(|c| truncate_descriptions(c, max));
        }
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = obj.get_mut(key) {
            truncate_descriptions(child, max);
        }
    }
}
