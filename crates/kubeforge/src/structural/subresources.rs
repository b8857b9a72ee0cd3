//! Status and scale subresources (validation.go `ValidateCustomResourceDefinitionSubresources`).

use serde_json::Value;

use super::crd::{optional_str, required_str};
use super::util::{child, push};
use super::{Obj, Violation};

/// validation.go `ValidateCustomResourceDefinitionSubresources`.
pub(super) fn check_subresources(value: &Value, path: &str, out: &mut Vec<Violation>) {
    let Some(sub) = value.as_object() else {
        push(out, path, "must be an object");
        return;
    };
    if let Some(status) = sub.get("status")
        && !status.is_object()
    {
        push(out, &child(path, "status"), "must be an empty object");
    }
    let Some(scale) = sub.get("scale") else {
        return;
    };
    let scale_path = child(path, "scale");
    let Some(scale) = scale.as_object() else {
        push(out, &scale_path, "must be an object");
        return;
    };
    scale_json_path(
        scale,
        "specReplicasPath",
        &[".spec."],
        true,
        &scale_path,
        out,
    );
    scale_json_path(
        scale,
        "statusReplicasPath",
        &[".status."],
        true,
        &scale_path,
        out,
    );
    scale_json_path(
        scale,
        "labelSelectorPath",
        &[".spec.", ".status."],
        false,
        &scale_path,
        out,
    );
}

fn scale_json_path(
    scale: &Obj,
    key: &str,
    prefixes: &[&str],
    required: bool,
    path: &str,
    out: &mut Vec<Violation>,
) {
    let field_path = child(path, key);
    let value = if required {
        required_str(scale, key, &field_path, out)
    } else {
        optional_str(scale, key, &field_path, out)
    };
    if let Some(v) = value
        && !prefixes.iter().any(|p| v.starts_with(p))
    {
        push(
            out,
            &field_path,
            format!("`{v}` must be a JSON path under {}", prefixes.join(" or ")),
        );
    }
}
