//! Names (validation.go `ValidateCustomResourceDefinitionNames`) and `metadata.name`.

use serde_json::Value;

use super::crd::{optional_str, required_str};
use super::util::{is_dns1035_label, is_dns1123_subdomain, push};
use super::{Obj, Violation};

/// validation.go `ValidateCustomResourceDefinitionNames` and the required names. The v1 API
/// defaults singular (lowercased kind) and listKind (kind + "List"), so those two are only
/// validated when given.
pub(super) fn check_names(spec: &Obj, out: &mut Vec<Violation>) {
    let Some(names) = spec.get("names").and_then(Value::as_object) else {
        push(
            out,
            "spec.names",
            "spec.names is required and must be an object",
        );
        return;
    };
    for (key, lowercase) in [
        ("plural", false),
        ("singular", false),
        ("kind", true),
        ("listKind", true),
    ] {
        let path = format!("spec.names.{key}");
        let value = if matches!(key, "plural" | "kind") {
            required_str(names, key, &path, out)
        } else {
            optional_str(names, key, &path, out)
        };
        if let Some(v) = value {
            check_name_label(v, lowercase, &path, out);
        }
    }
    let kind = names
        .get("kind")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty());
    let list_kind = names
        .get("listKind")
        .and_then(Value::as_str)
        .filter(|k| !k.is_empty());
    if let (Some(kind), Some(list_kind)) = (kind, list_kind)
        && kind == list_kind
    {
        push(
            out,
            "spec.names.listKind",
            "kind and listKind may not be the same",
        );
    }
    for key in ["shortNames", "categories"] {
        check_label_list(names.get(key), &format!("spec.names.{key}"), out);
    }
}

/// Kinds may be mixed case but must otherwise be DNS-1035 labels.
fn check_name_label(value: &str, lowercase_first: bool, path: &str, out: &mut Vec<Violation>) {
    let candidate = if lowercase_first {
        value.to_ascii_lowercase()
    } else {
        value.to_owned()
    };
    if !is_dns1035_label(&candidate) {
        let case = if lowercase_first {
            " (mixed case allowed)"
        } else {
            ""
        };
        push(
            out,
            path,
            format!("`{value}` must be a DNS-1035 label{case}"),
        );
    }
}

fn check_label_list(value: Option<&Value>, path: &str, out: &mut Vec<Violation>) {
    let Some(value) = value else {
        return;
    };
    let Some(list) = value.as_array() else {
        push(out, path, "must be an array of strings");
        return;
    };
    for (i, entry) in list.iter().enumerate() {
        let item_path = format!("{path}[{i}]");
        match entry.as_str() {
            Some(s) => check_name_label(s, false, &item_path, out),
            None => push(out, &item_path, "must be a string"),
        }
    }
}

/// validation.go `ValidateCustomResourceDefinition`: the object name is `<plural>.<group>`.
pub(super) fn check_metadata_name(obj: &Obj, spec: &Obj, out: &mut Vec<Violation>) {
    let name = obj
        .get("metadata")
        .and_then(|m| m.get("name"))
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty());
    let Some(name) = name else {
        push(out, "metadata.name", "is required");
        return;
    };
    if !is_dns1123_subdomain(name) {
        push(
            out,
            "metadata.name",
            format!("`{name}` must be a lowercase DNS-1123 subdomain"),
        );
    }
    let plural = spec
        .get("names")
        .and_then(|n| n.get("plural"))
        .and_then(Value::as_str);
    let group = spec.get("group").and_then(Value::as_str);
    if let (Some(plural), Some(group)) = (plural, group) {
        let expected = format!("{plural}.{group}");
        if name != expected {
            push(
                out,
                "metadata.name",
                format!("`{name}` must be spec.names.plural + \".\" + spec.group (`{expected}`)"),
            );
        }
    }
}
