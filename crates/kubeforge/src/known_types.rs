//! Types whose CRD schema controller-gen hard-codes (its `known_types.go`), recognised by their
//! schemars name (k8s-openapi's OpenAPI names) when a field uses them directly, and by their
//! k8s-openapi description when they sit deep inside another k8s-openapi type.

use schemars::SchemaGenerator;
use serde_json::{Value, json};

const QUANTITY: &str = "io.k8s.apimachinery.pkg.api.resource.Quantity";
const INT_OR_STRING: &str = "io.k8s.apimachinery.pkg.util.intstr.IntOrString";
const TIME: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Time";
const MICRO_TIME: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime";
const DURATION: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Duration";
const OBJECT_META: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta";
const RAW_EXTENSION: &str = "io.k8s.apimachinery.pkg.runtime.RawExtension";
const JSON: &str = "io.k8s.apiextensions-apiserver.pkg.apis.apiextensions.v1.JSON";
const CONDITION: &str = "io.k8s.apimachinery.pkg.apis.meta.v1.Condition";

/// controller-gen's pattern for `resource.Quantity`.
pub(crate) const QUANTITY_PATTERN: &str = r"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

fn quantity() -> Value {
    json!({
        "anyOf": [{ "type": "integer" }, { "type": "string" }],
        "pattern": QUANTITY_PATTERN,
        "x-kubernetes-int-or-string": true,
    })
}

fn int_or_string() -> Value {
    json!({ "anyOf": [{ "type": "integer" }, { "type": "string" }], "x-kubernetes-int-or-string": true })
}

pub(crate) fn by_name(name: &str, generator: &mut SchemaGenerator) -> Option<Value> {
    Some(match name {
        QUANTITY => quantity(),
        INT_OR_STRING => int_or_string(),
        TIME | MICRO_TIME => json!({ "type": "string", "format": "date-time" }),
        DURATION => json!({ "type": "string" }),
        OBJECT_META => json!({ "type": "object" }),
        RAW_EXTENSION => json!({ "type": "object", "x-kubernetes-preserve-unknown-fields": true }),
        JSON => json!({ "x-kubernetes-preserve-unknown-fields": true }),
        CONDITION => generator
            .subschema_for::<crate::types::Condition>()
            .to_value(),
        _ => return None,
    })
}

/// The same replacement for a node produced by k8s-openapi itself (inside e.g. `PodSpec`),
/// where only the type's description identifies it. Returns the replacement, keeping nothing of
/// the k8s-openapi node but what controller-gen would keep.
pub(crate) fn by_description(node: &Value) -> Option<Value> {
    if is_object_meta(node) {
        // controller-gen writes embedded ObjectMeta as a bare object, keeping the field's doc.
        let mut meta = json!({ "type": "object" });
        if let Some(d) = node.get("description") {
            meta["description"] = d.clone();
        }
        return Some(meta);
    }
    let description = node.get("description")?.as_str()?;
    let starts = |p: &str| description.starts_with(p);
    if starts("Quantity is a fixed-point representation of a number.") {
        return Some(quantity());
    }
    if starts("IntOrString is a type that can hold an int32 or a string.") {
        return Some(int_or_string());
    }
    if starts("Time is a wrapper around time.Time")
        || starts("MicroTime is version of Time with microsecond level precision.")
    {
        return Some(json!({ "type": "string", "format": "date-time" }));
    }
    if starts("ObjectMeta is metadata that all persisted resources must have") {
        return Some(json!({ "type": "object" }));
    }
    if starts("RawExtension is used to hold extensions in external versions.") {
        return Some(json!({ "type": "object", "x-kubernetes-preserve-unknown-fields": true }));
    }
    None
}

/// k8s-openapi replaces ObjectMeta's own description with the field's doc where it is embedded
/// (`PodTemplateSpec.metadata`), so it is recognised by the properties only it has.
fn is_object_meta(node: &Value) -> bool {
    let Some(props) = node.get("properties").and_then(Value::as_object) else {
        return false;
    };
    [
        "generateName",
        "managedFields",
        "ownerReferences",
        "resourceVersion",
        "uid",
    ]
    .iter()
    .all(|k| props.contains_key(*k))
}
