//! What the apiserver does to an object before validating it, silently: drop the fields the
//! schema does not know (structural pruning), drop nulls of non-nullable fields that have no
//! default, and fill in defaults (structural defaulting).

use serde_json::{Map, Value};

use super::schema::Node;

/// Removes every field the schema does not specify, as `structuralpruning.Prune` does;
/// `apiVersion`, `kind` and `metadata` stay at the root and in embedded resources.
pub(crate) fn prune(value: &mut Value, node: Node<'_>, is_resource: bool) {
    match value {
        Value::Object(map) => {
            let keep_meta = is_resource || node.embedded_resource();
            let preserve = node.preserve_unknown_fields();
            map.retain(|key, child| {
                if keep_meta && matches!(key.as_str(), "apiVersion" | "kind" | "metadata") {
                    return true;
                }
                match node.property(key).or_else(|| node.additional_properties()) {
                    Some(child_node) => {
                        prune(child, child_node, false);
                        true
                    }
                    None => preserve || node.additional_properties_allowed(),
                }
            });
        }
        Value::Array(items) => {
            if let Some(item_node) = node.items() {
                for item in items {
                    prune(item, item_node, false);
                }
            }
        }
        _ => {}
    }
}

/// Applies defaults top-down, as `structuraldefaulting.Default` does: a missing field, or a
/// null one that may not be null, takes its default; null fields without a default that may
/// not be null are dropped (`PruneNonNullableNullsWithoutDefaults`).
pub(crate) fn apply_defaults(value: &mut Value, node: Node<'_>) {
    match value {
        Value::Object(map) => {
            default_properties(map, node);
            let keys: Vec<String> = map.keys().cloned().collect();
            for key in keys {
                let Some(child_node) = node.property(&key).or_else(|| node.additional_properties())
                else {
                    continue;
                };
                if map[&key].is_null() && !child_node.nullable() {
                    map.remove(&key);
                    continue;
                }
                if let Some(child) = map.get_mut(&key) {
                    apply_defaults(child, child_node);
                }
            }
        }
        Value::Array(items) => {
            if let Some(item_node) = node.items() {
                for item in items.iter_mut() {
                    if item.is_null()
                        && !item_node.nullable()
                        && let Some(default) = item_node.default()
                    {
                        *item = default.clone();
                    }
                    apply_defaults(item, item_node);
                }
            }
        }
        _ => {}
    }
}

fn default_properties(map: &mut Map<String, Value>, node: Node<'_>) {
    for (key, property) in node.properties() {
        let Some(default) = property.default() else {
            continue;
        };
        match map.get(key) {
            None => {
                map.insert(key.to_owned(), default.clone());
            }
            Some(Value::Null) if !property.nullable() => {
                map.insert(key.to_owned(), default.clone());
            }
            Some(_) => {}
        }
    }
}
