//! Printer columns and selectable fields (validation.go `ValidateCustomResourceColumnDefinition`,
//! `validateSelectableFields`).

use std::collections::BTreeSet;

use serde_json::Value;

use super::crd::{optional_str, required_str};
use super::util::{child, property, push, type_of};
use super::{Obj, Violation};

/// validation.go `MaxSelectableFields`.
const MAX_SELECTABLE_FIELDS: usize = 8;

/// validation.go `printerColumnDatatypes`.
const PRINTER_TYPES: &[&str] = &["integer", "number", "string", "boolean", "date"];

/// validation.go `customResourceColumnDefinitionFormats`.
const PRINTER_FORMATS: &[&str] = &[
    "int32",
    "int64",
    "float",
    "double",
    "byte",
    "date",
    "date-time",
    "password",
];

/// validation.go `ValidateCustomResourceColumnDefinition`.
pub(super) fn check_printer_columns(value: &Value, path: &str, out: &mut Vec<Violation>) {
    let Some(columns) = value.as_array() else {
        push(out, path, "must be an array");
        return;
    };
    for (i, column) in columns.iter().enumerate() {
        let col_path = format!("{path}[{i}]");
        let Some(col) = column.as_object() else {
            push(out, &col_path, "must be an object");
            continue;
        };
        required_str(col, "name", &child(&col_path, "name"), out);
        let type_path = child(&col_path, "type");
        if let Some(t) = required_str(col, "type", &type_path, out)
            && !PRINTER_TYPES.contains(&t)
        {
            push(
                out,
                &type_path,
                format!("`{t}` must be one of {}", PRINTER_TYPES.join(", ")),
            );
        }
        let format_path = child(&col_path, "format");
        if let Some(f) = optional_str(col, "format", &format_path, out)
            && !PRINTER_FORMATS.contains(&f)
        {
            push(
                out,
                &format_path,
                format!("`{f}` must be one of {}", PRINTER_FORMATS.join(", ")),
            );
        }
        let json_path = child(&col_path, "jsonPath");
        if let Some(p) = required_str(col, "jsonPath", &json_path, out)
            && !p.starts_with('.')
        {
            push(
                out,
                &json_path,
                format!("`{p}` must be a simple JSON path starting with `.`"),
            );
        }
        if let Some(priority) = col.get("priority")
            && priority
                .as_u64()
                .is_none_or(|p| p > u64::from(i32::MAX.unsigned_abs()))
        {
            push(
                out,
                &child(&col_path, "priority"),
                "must be a non-negative int32",
            );
        }
    }
}

/// validation.go `ValidateCustomResourceSelectableFields`: at most 8 unique paths, each
/// pointing outside metadata at a string, boolean or integer field.
pub(super) fn check_selectable_fields(
    value: &Value,
    schema: Option<&Value>,
    path: &str,
    out: &mut Vec<Violation>,
) {
    let Some(fields) = value.as_array() else {
        push(out, path, "must be an array");
        return;
    };
    let mut seen = BTreeSet::new();
    for (i, field) in fields.iter().enumerate() {
        let json_path = format!("{path}[{i}].jsonPath");
        let Some(p) = field
            .as_object()
            .and_then(|f| required_str(f, "jsonPath", &json_path, out))
        else {
            continue;
        };
        if !p.starts_with('.') {
            push(out, &json_path, format!("`{p}` must start with `.`"));
            continue;
        }
        if p == ".metadata" || p.starts_with(".metadata.") {
            push(
                out,
                &json_path,
                format!("`{p}` must not point to fields in metadata"),
            );
        }
        if !seen.insert(p) {
            push(out, &json_path, format!("`{p}` is listed more than once"));
        }
        if let Some(schema) = schema {
            check_selectable_target(schema, p, &json_path, out);
        }
    }
    if seen.len() > MAX_SELECTABLE_FIELDS {
        push(
            out,
            path,
            format!(
                "at most {MAX_SELECTABLE_FIELDS} selectable fields are allowed, found {}",
                seen.len()
            ),
        );
    }
}

fn check_selectable_target(schema: &Value, json_path: &str, path: &str, out: &mut Vec<Violation>) {
    match resolve_path(schema, json_path) {
        None => push(
            out,
            path,
            format!("`{json_path}` does not resolve to a property of the schema"),
        ),
        Some(target) if !matches!(type_of(target), Some("string" | "boolean" | "integer")) => push(
            out,
            path,
            format!("`{json_path}` must point to a field of type string, boolean or integer"),
        ),
        Some(_) => {}
    }
}

/// Follows a simple `.a.b.c` path through nested `properties`.
fn resolve_path<'a>(schema: &'a Value, json_path: &str) -> Option<&'a Obj> {
    let mut node = schema.as_object()?;
    for segment in json_path.strip_prefix('.')?.split('.') {
        if segment.is_empty() {
            return None;
        }
        node = property(node, segment)?.as_object()?;
    }
    Some(node)
}
