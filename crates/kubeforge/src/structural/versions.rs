//! Versions (validation.go `validateCustomResourceDefinitionVersion`): names, served/storage, per-
//! version schema and deprecation.

use std::collections::BTreeSet;

use serde_json::Value;

use super::columns::{check_printer_columns, check_selectable_fields};
use super::crd::required_str;
use super::keys::{EMBEDDED, INT_OR_STRING, KNOWN_KEYS, PRESERVE, UNSUPPORTED_KEYS, VALIDATIONS};
use super::subresources::check_subresources;
use super::util::{child, is_dns1035_label, is_set, is_true, kind_of, push};
use super::walk::check_schema;
use super::{Obj, Violation};

/// Keys allowed at the root when the status subresource is enabled
/// (validation.go `allowedFieldsAtRootSchema`, spelled as JSON fields).
const STATUS_ROOT_KEYS: &[&str] = &[
    "description",
    "type",
    "format",
    "title",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "multipleOf",
    "required",
    "items",
    "properties",
    "externalDocs",
    "example",
    PRESERVE,
    VALIDATIONS,
];

/// `spec.versions[<name>]`, falling back to the index when the name is unusable.
pub(crate) fn version_path(version: &Value, index: usize) -> String {
    match version.get("name").and_then(Value::as_str) {
        Some(name) if !name.is_empty() => format!("spec.versions[{name}]"),
        _ => format!("spec.versions[{index}]"),
    }
}

/// validation.go `validateCustomResourceDefinitionSpec`: unique DNS-1035 version names,
/// exactly one storage version, a schema for every version; plus at least one served version.
pub(super) fn check_versions(spec: &Obj, out: &mut Vec<Violation>) {
    let Some(versions) = spec.get("versions").and_then(Value::as_array) else {
        push(
            out,
            "spec.versions",
            "spec.versions is required and must be an array",
        );
        return;
    };
    if versions.is_empty() {
        push(out, "spec.versions", "must list at least one version");
        return;
    }
    // v1beta1-style top-level schema/subresources, honoured as a fallback for every version.
    let top_schema = spec
        .get("validation")
        .and_then(|v| v.get("openAPIV3Schema"));
    if let Some(schema) = top_schema {
        out.extend(check_schema(schema, "spec.validation.openAPIV3Schema"));
    }
    let top_subresources = spec.get("subresources");
    if let Some(sub) = top_subresources {
        check_subresources(sub, "spec.subresources", out);
    }
    let mut names = BTreeSet::new();
    let (mut storage, mut served) = (0, 0);
    for (i, version) in versions.iter().enumerate() {
        let path = version_path(version, i);
        let Some(v) = version.as_object() else {
            push(out, &path, "each version must be an object");
            continue;
        };
        check_version_name(v, &path, &mut names, out);
        storage += usize::from(required_bool(v, "storage", &path, out));
        served += usize::from(required_bool(v, "served", &path, out));
        let defaults = VersionDefaults {
            schema: top_schema,
            subresources: top_subresources,
        };
        check_version(v, &path, defaults, out);
    }
    if storage != 1 {
        push(
            out,
            "spec.versions",
            format!("exactly one version must have storage: true (found {storage})"),
        );
    }
    if served == 0 {
        push(
            out,
            "spec.versions",
            "at least one version must have served: true",
        );
    }
}

fn check_version_name<'a>(
    v: &'a Obj,
    path: &str,
    names: &mut BTreeSet<&'a str>,
    out: &mut Vec<Violation>,
) {
    let name_path = child(path, "name");
    let Some(name) = required_str(v, "name", &name_path, out) else {
        return;
    };
    if !is_dns1035_label(name) {
        push(
            out,
            &name_path,
            format!("`{name}` must be a DNS-1035 label (e.g. v1, v2beta1)"),
        );
    }
    if !names.insert(name) {
        push(
            out,
            &name_path,
            format!("version `{name}` is listed more than once"),
        );
    }
}

/// `served` and `storage` are required booleans in v1; returns the value (false if invalid).
fn required_bool(v: &Obj, key: &str, path: &str, out: &mut Vec<Violation>) -> bool {
    match v.get(key) {
        Some(Value::Bool(b)) => *b,
        None => {
            push(out, &child(path, key), "is required");
            false
        }
        Some(other) => {
            push(
                out,
                &child(path, key),
                format!("must be a boolean, got {}", kind_of(other)),
            );
            false
        }
    }
}

/// Top-level fallbacks a version inherits when it has none of its own.
#[derive(Clone, Copy)]
struct VersionDefaults<'a> {
    schema: Option<&'a Value>,
    subresources: Option<&'a Value>,
}

fn check_version(v: &Obj, path: &str, defaults: VersionDefaults<'_>, out: &mut Vec<Violation>) {
    let schema_path = format!("{path}.schema.openAPIV3Schema");
    let own_schema = v.get("schema").and_then(|s| s.get("openAPIV3Schema"));
    match own_schema {
        Some(schema) => out.extend(check_schema(schema, &schema_path)),
        // validation.go `requireOpenAPISchema`: on create, every version needs a schema.
        None if defaults.schema.is_none() => {
            push(out, &schema_path, "a schema is required for every version")
        }
        None => {}
    }
    let subresources = v.get("subresources");
    if let Some(sub) = subresources {
        check_subresources(sub, &child(path, "subresources"), out);
    }
    let status_enabled = subresources
        .or(defaults.subresources)
        .and_then(|s| s.get("status"))
        .is_some();
    if status_enabled && let Some(schema) = own_schema.and_then(Value::as_object) {
        check_status_root(schema, &schema_path, out);
    }
    if let Some(columns) = v.get("additionalPrinterColumns") {
        check_printer_columns(columns, &child(path, "additionalPrinterColumns"), out);
    }
    if let Some(fields) = v.get("selectableFields") {
        let schema = own_schema.or(defaults.schema);
        check_selectable_fields(fields, schema, &child(path, "selectableFields"), out);
    }
    check_deprecation_warning(v, path, out);
}

/// validation.go: with the status subresource, the root may only hold fields that survive
/// extracting `properties.status` (`allowedFieldsAtRootSchema`). Keys already forbidden at the
/// root by the schema rules are not repeated here.
fn check_status_root(schema: &Obj, path: &str, out: &mut Vec<Violation>) {
    let reported_elsewhere = [
        "nullable",
        "default",
        "additionalProperties",
        EMBEDDED,
        INT_OR_STRING,
    ];
    for (key, value) in schema {
        let k = key.as_str();
        let allowed = STATUS_ROOT_KEYS.contains(&k)
            || reported_elsewhere.contains(&k)
            || !KNOWN_KEYS.contains(&k)
            || UNSUPPORTED_KEYS.iter().any(|(u, _)| *u == k);
        if !allowed && is_set(value) {
            push(
                out,
                path,
                format!(
                    "`{key}` is not allowed at the root of the schema when the status subresource is enabled"
                ),
            );
        }
    }
}

/// validation.go `validateDeprecationWarning`.
fn check_deprecation_warning(v: &Obj, path: &str, out: &mut Vec<Violation>) {
    let Some(warning) = v.get("deprecationWarning") else {
        return;
    };
    let warning_path = child(path, "deprecationWarning");
    if !is_true(v, "deprecated") {
        push(
            out,
            &warning_path,
            "can only be set for deprecated versions",
        );
    }
    match warning.as_str() {
        Some("") => push(out, &warning_path, "must not be an empty string"),
        Some(w) if w.len() > 256 => push(out, &warning_path, "must be at most 256 characters"),
        Some(w) if w.chars().any(char::is_control) => {
            push(out, &warning_path, "must only contain printable characters")
        }
        Some(_) => {}
        None => push(out, &warning_path, "must be a string"),
    }
}
