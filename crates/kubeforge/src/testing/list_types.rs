//! `x-kubernetes-list-type: set` and `map` uniqueness, as apiextensions-apiserver's
//! `listtype.ValidateListSetsAndMaps` checks it after the OpenAPI schema.

use serde_json::Value;

use super::field_error::{ErrorKind, FieldError, go_sharp_v, go_value};
use super::schema::Node;
use crate::structural::child as child_field;

pub(crate) fn check(value: &Value, node: Node<'_>, path: &str, errors: &mut Vec<FieldError>) {
    match value {
        Value::Array(items) => {
            match node.list_type() {
                "set" => duplicates(items, path, errors, |item| Some(item.clone()), go_value),
                "map" => {
                    let keys: Vec<&str> = node.list_map_keys().collect();
                    duplicates(items, path, errors, |item| map_key(item, &keys), go_sharp_v);
                }
                _ => {}
            }
            if let Some(item_node) = node.items() {
                for (i, item) in items.iter().enumerate() {
                    check(item, item_node, &format!("{path}[{i}]"), errors);
                }
            }
        }
        Value::Object(map) => {
            for (key, child) in map {
                let child_node = node.property(key).or_else(|| node.additional_properties());
                if let Some(child_node) = child_node {
                    let child_path = if node.has_properties() || path.is_empty() {
                        child_field(path, key)
                    } else {
                        format!("{path}[{key}]")
                    };
                    check(child, child_node, &child_path, errors);
                }
            }
        }
        _ => {}
    }
}

/// The item's list-map key: its key fields (an item missing one is reported by `required`).
fn map_key(item: &Value, keys: &[&str]) -> Option<Value> {
    let object = item.as_object()?;
    let mut key = serde_json::Map::new();
    for name in keys {
        key.insert((*name).to_owned(), object.get(*name)?.clone());
    }
    Some(Value::Object(key))
}

fn duplicates(
    items: &[Value],
    path: &str,
    errors: &mut Vec<FieldError>,
    key_of: impl Fn(&Value) -> Option<Value>,
    print: fn(&Value) -> String,
) {
    let mut seen: Vec<Value> = Vec::new();
    for (i, item) in items.iter().enumerate() {
        let Some(key) = key_of(item) else { continue };
        if seen.contains(&key) {
            errors.push(FieldError::new(
                &format!("{path}[{i}]"),
                ErrorKind::Duplicate,
                Some(print(&key)),
                String::new(),
            ));
        } else {
            seen.push(key);
        }
    }
}
