//! Fixtures and assertions the check modules' tests share.

pub(super) use super::{Violation, check_crd, check_schema};
pub(super) use serde_json::{Value, json};

/// Path of the field `f` placed by [`field`].
pub(super) const F: &str = "s.properties.f";

/// Checks `schema` as the only property `f` of an otherwise valid root.
pub(super) fn field(schema: Value) -> Vec<Violation> {
    check_schema(&json!({"type": "object", "properties": {"f": schema}}), "s")
}

pub(super) fn root(schema: Value) -> Vec<Violation> {
    check_schema(&schema, "s")
}

#[track_caller]
pub(super) fn assert_clean(violations: &[Violation]) {
    assert!(
        violations.is_empty(),
        "expected no violations, got {violations:#?}"
    );
}

#[track_caller]
pub(super) fn assert_has(violations: &[Violation], path: &str, needle: &str) {
    assert!(
        violations
            .iter()
            .any(|v| v.path == path && v.message.contains(needle)),
        "expected a violation at `{path}` containing `{needle}`, got {violations:#?}"
    );
}

pub(super) fn valid_schema() -> Value {
    json!({
        "type": "object",
        "description": "A widget.",
        "properties": {
            "apiVersion": {"type": "string"},
            "kind": {"type": "string"},
            "metadata": {"type": "object"},
            "spec": {
                "type": "object",
                "required": ["replicas"],
                "x-kubernetes-validations": [
                    {"rule": "self.replicas <= 10", "message": "too many", "reason": "FieldValueInvalid", "fieldPath": ".replicas"}
                ],
                "properties": {
                    "replicas": {"type": "integer", "format": "int32", "minimum": 0, "maximum": 10, "default": 1},
                    "color": {"type": "string", "enum": ["red", "blue"], "default": "red"},
                    "size": {"x-kubernetes-int-or-string": true, "anyOf": [{"type": "integer"}, {"type": "string"}]},
                    "labels": {"type": "object", "additionalProperties": {"type": "string"}, "x-kubernetes-map-type": "granular"},
                    "tags": {"type": "array", "items": {"type": "string"}, "x-kubernetes-list-type": "set"},
                    "ports": {
                        "type": "array",
                        "x-kubernetes-list-type": "map",
                        "x-kubernetes-list-map-keys": ["name"],
                        "items": {
                            "type": "object",
                            "required": ["name"],
                            "properties": {"name": {"type": "string"}, "port": {"type": "integer"}}
                        }
                    },
                    "template": {"type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true},
                    "mode": {
                        "type": "object",
                        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
                        "oneOf": [{"required": ["a"]}, {"required": ["b"]}]
                    }
                }
            },
            "status": {
                "type": "object",
                "properties": {"replicas": {"type": "integer"}},
                "x-kubernetes-preserve-unknown-fields": true
            }
        }
    })
}

pub(super) fn valid_crd() -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "CustomResourceDefinition",
        "metadata": {"name": "widgets.kubeforge.test"},
        "spec": {
            "group": "kubeforge.test",
            "scope": "Namespaced",
            "names": {
                "plural": "widgets",
                "singular": "widget",
                "kind": "Widget",
                "listKind": "WidgetList",
                "shortNames": ["wd"],
                "categories": ["all"]
            },
            "versions": [{
                "name": "v1",
                "served": true,
                "storage": true,
                "schema": {"openAPIV3Schema": valid_schema()},
                "subresources": {
                    "status": {},
                    "scale": {"specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas"}
                },
                "additionalPrinterColumns": [
                    {"name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas"}
                ],
                "selectableFields": [{"jsonPath": ".spec.color"}]
            }]
        }
    })
}

/// Mutable access to a nested JSON location in test fixtures.
pub(super) fn at<'a>(value: &'a mut Value, pointer: &str) -> &'a mut Value {
    value
        .pointer_mut(pointer)
        .unwrap_or_else(|| panic!("fixture has no {pointer}"))
}
