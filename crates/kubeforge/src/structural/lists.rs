//! List and map types: `x-kubernetes-list-type`, list-map keys, sets and `x-kubernetes-map-type`
//! (validation.go).

use std::collections::BTreeSet;

use serde_json::Value;

use super::keys::{INT_OR_STRING, LIST_MAP_KEYS, LIST_TYPE, MAP_TYPE, SCALAR_TYPES};
use super::util::{child, is_true, kind_of, prop_path, property, push, type_of};
use super::{Obj, Violation};

/// validation.go: list types only on arrays, values atomic|set|map, map keys, and
/// `validateMapListKeysMapSet` / `requireAtomicSetType`.
pub(super) fn check_list_type(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    let list_type = match obj.get(LIST_TYPE) {
        None => None,
        Some(Value::String(s)) => Some(s.as_str()),
        Some(other) => {
            push(
                out,
                path,
                format!("`{LIST_TYPE}` must be a string, got {}", kind_of(other)),
            );
            None
        }
    };
    let keys = list_map_keys(obj, path, out);
    if let Some(lt) = list_type {
        if !["atomic", "set", "map"].contains(&lt) {
            push(
                out,
                path,
                format!("unsupported `{LIST_TYPE}` `{lt}`; must be atomic, set or map"),
            );
        }
        if type_of(obj) != Some("array") {
            push(
                out,
                path,
                format!("`{LIST_TYPE}` is only allowed on type array"),
            );
        }
    }
    if keys.as_ref().is_some_and(|k| !k.is_empty()) && list_type != Some("map") {
        push(
            out,
            path,
            format!("`{LIST_MAP_KEYS}` requires `{LIST_TYPE}: map`"),
        );
    }
    let items = obj.get("items").and_then(Value::as_object);
    match list_type {
        Some("map") => check_map_list(keys.as_deref().unwrap_or_default(), items, path, out),
        Some("set") => {
            if let Some(items) = items {
                check_set_items(items, path, out);
            }
        }
        _ => {}
    }
}

fn list_map_keys<'a>(obj: &'a Obj, path: &str, out: &mut Vec<Violation>) -> Option<Vec<&'a str>> {
    let value = obj.get(LIST_MAP_KEYS)?;
    let Some(list) = value.as_array() else {
        push(
            out,
            path,
            format!("`{LIST_MAP_KEYS}` must be an array of strings"),
        );
        return None;
    };
    let mut keys = Vec::with_capacity(list.len());
    for (i, key) in list.iter().enumerate() {
        match key.as_str() {
            Some(k) => keys.push(k),
            None => push(
                out,
                path,
                format!("`{LIST_MAP_KEYS}[{i}]` must be a string"),
            ),
        }
    }
    Some(keys)
}

/// A map list is keyed by scalar item properties that are always present (required or
/// defaulted) and never null, so server-side apply can merge entries by key.
fn check_map_list(keys: &[&str], items: Option<&Obj>, path: &str, out: &mut Vec<Violation>) {
    if keys.is_empty() {
        push(
            out,
            path,
            format!("`{LIST_TYPE}: map` requires a non-empty `{LIST_MAP_KEYS}`"),
        );
    }
    // A missing/array-form `items` is reported by the array rules.
    let Some(items) = items else {
        return;
    };
    let items_path = child(path, "items");
    if type_of(items) != Some("object") {
        push(
            out,
            &items_path,
            format!("items must be type object when the parent's `{LIST_TYPE}` is map"),
        );
        return;
    }
    if is_true(items, "nullable") {
        push(
            out,
            &items_path,
            format!("items must not be nullable when `{LIST_TYPE}` is map"),
        );
    }
    let required: BTreeSet<&str> = items
        .get("required")
        .and_then(Value::as_array)
        .map(|r| r.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    let mut seen = BTreeSet::new();
    for &key in keys {
        if !seen.insert(key) {
            push(
                out,
                path,
                format!("`{LIST_MAP_KEYS}` lists `{key}` more than once"),
            );
            continue;
        }
        let Some(prop) = property(items, key).and_then(Value::as_object) else {
            push(
                out,
                path,
                format!("`{LIST_MAP_KEYS}` entry `{key}` is not a property of items"),
            );
            continue;
        };
        check_map_key_property(
            prop,
            key,
            required.contains(key),
            &prop_path(&items_path, key),
            out,
        );
    }
}

fn check_map_key_property(
    prop: &Obj,
    key: &str,
    required: bool,
    path: &str,
    out: &mut Vec<Violation>,
) {
    let scalar = match type_of(prop) {
        Some(t) => SCALAR_TYPES.contains(&t),
        None => is_true(prop, INT_OR_STRING),
    };
    if !scalar {
        push(
            out,
            path,
            format!("list map key `{key}` must be a scalar (string, integer, number or boolean)"),
        );
    }
    if !required && !prop.contains_key("default") {
        push(
            out,
            path,
            format!("list map key `{key}` must be required or have a default"),
        );
    }
    if is_true(prop, "nullable") {
        push(
            out,
            path,
            format!("list map key `{key}` must not be nullable"),
        );
    }
}

/// validation.go `requireAtomicSetType`: set elements are compared whole, so they must be
/// scalars or atomic objects/lists; and never null.
fn check_set_items(items: &Obj, path: &str, out: &mut Vec<Violation>) {
    let items_path = child(path, "items");
    if is_true(items, "nullable") {
        push(
            out,
            &items_path,
            format!("items must not be nullable when `{LIST_TYPE}` is set"),
        );
    }
    match type_of(items) {
        Some("object") if items.get(MAP_TYPE).and_then(Value::as_str) != Some("atomic") => push(
            out,
            &items_path,
            format!("object items of a set must have `{MAP_TYPE}: atomic`"),
        ),
        Some("array")
            if items
                .get(LIST_TYPE)
                .and_then(Value::as_str)
                .is_some_and(|lt| lt != "atomic") =>
        {
            push(
                out,
                &items_path,
                format!("array items of a set must have `{LIST_TYPE}` unset or atomic"),
            );
        }
        _ => {}
    }
}

/// validation.go: `x-kubernetes-map-type` is granular|atomic and only on objects.
pub(super) fn check_map_type(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    let Some(value) = obj.get(MAP_TYPE) else {
        return;
    };
    match value.as_str() {
        Some("granular" | "atomic") => {}
        Some(other) => push(
            out,
            path,
            format!("unsupported `{MAP_TYPE}` `{other}`; must be granular or atomic"),
        ),
        None => push(out, path, format!("`{MAP_TYPE}` must be a string")),
    }
    if type_of(obj) != Some("object") {
        push(
            out,
            path,
            format!("`{MAP_TYPE}` is only allowed on type object"),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structural::test_support::*;

    fn map_list(items: Value) -> Value {
        json!({"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"], "items": items})
    }

    #[test]
    fn list_type_only_on_arrays_with_known_values() {
        assert_has(
            &field(json!({"type": "string", "x-kubernetes-list-type": "atomic"})),
            F,
            "only allowed on type array",
        );
        let v = field(
            json!({"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "bag"}),
        );
        assert_has(&v, F, "unsupported");
        assert_clean(&field(
            json!({"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "atomic"}),
        ));
    }

    #[test]
    fn map_list_rules() {
        let keyed = json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}});
        assert_clean(&field(map_list(keyed)));
        let defaulted = json!({"type": "object", "properties": {"name": {"type": "string", "default": "main"}}});
        assert_clean(&field(map_list(defaulted)));

        let v = field(
            json!({"type": "array", "x-kubernetes-list-type": "map", "items": {"type": "object"}}),
        );
        assert_has(&v, F, "non-empty `x-kubernetes-list-map-keys`");
        assert_has(
            &field(map_list(json!({"type": "string"}))),
            &format!("{F}.items"),
            "must be type object",
        );
        let missing = json!({"type": "object", "properties": {"other": {"type": "string"}}});
        assert_has(&field(map_list(missing)), F, "not a property of items");
        let object_key = json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "object"}}});
        assert_has(
            &field(map_list(object_key)),
            &format!("{F}.items.properties.name"),
            "must be a scalar",
        );
        let optional = json!({"type": "object", "properties": {"name": {"type": "string"}}});
        assert_has(
            &field(map_list(optional)),
            &format!("{F}.items.properties.name"),
            "required or have a default",
        );
        let nullable = json!({"type": "object", "required": ["name"], "properties": {"name": {"type": "string", "nullable": true}}});
        assert_has(
            &field(map_list(nullable)),
            &format!("{F}.items.properties.name"),
            "must not be nullable",
        );
    }

    #[test]
    fn list_map_keys_require_map_list() {
        let v = field(json!({
            "type": "array",
            "x-kubernetes-list-map-keys": ["name"],
            "items": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
        }));
        assert_has(&v, F, "requires `x-kubernetes-list-type: map`");
    }

    #[test]
    fn set_items_must_be_scalar_or_atomic() {
        let set = |items: Value| json!({"type": "array", "x-kubernetes-list-type": "set", "items": items});
        assert_clean(&field(set(json!({"type": "integer"}))));
        assert_clean(&field(set(
            json!({"type": "object", "x-kubernetes-map-type": "atomic", "properties": {"a": {"type": "string"}}}),
        )));
        let v = field(set(
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
        ));
        assert_has(&v, &format!("{F}.items"), "map-type: atomic");
        let v = field(set(
            json!({"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}}),
        ));
        assert_has(&v, &format!("{F}.items"), "unset or atomic");
        let v = field(set(json!({"type": "string", "nullable": true})));
        assert_has(&v, &format!("{F}.items"), "must not be nullable");
    }

    #[test]
    fn map_type_rules() {
        assert_clean(&field(
            json!({"type": "object", "x-kubernetes-map-type": "atomic"}),
        ));
        let v = field(
            json!({"type": "array", "items": {"type": "string"}, "x-kubernetes-map-type": "atomic"}),
        );
        assert_has(&v, F, "only allowed on type object");
        assert_has(
            &field(json!({"type": "object", "x-kubernetes-map-type": "merge"})),
            F,
            "unsupported",
        );
    }
}
