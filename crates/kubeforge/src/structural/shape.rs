//! Structural-only rules: types, int-or-string, object and array shapes, embedded resources and the
//! root (validation.go).

use serde_json::{Map, Value};

use super::keys::{EMBEDDED, INT_OR_STRING, PRESERVE, SCHEMA_TYPES};
use super::util::{
    all_of_starts_with_int_or_string, is_int_or_string_any_of, is_set, is_true, kind_of, prop_path,
    push, type_of,
};
use super::walk::{Ctx, Level};
use super::{Obj, Violation};

/// validation.go `validateStructuralInvariants`: every specified node has a non-empty type,
/// except int-or-string and preserve-unknown-fields nodes; the root is an object.
pub(super) fn check_type(obj: &Obj, path: &str, level: Level, out: &mut Vec<Violation>) {
    let ios = is_true(obj, INT_OR_STRING);
    match obj.get("type") {
        Some(Value::String(t)) if !t.is_empty() => {
            if t == "null" {
                push(
                    out,
                    path,
                    "`type: null` is not supported; use `nullable: true`",
                );
            } else if !SCHEMA_TYPES.contains(&t.as_str()) {
                push(
                    out,
                    path,
                    format!(
                        "unsupported type `{t}`; must be one of {}",
                        SCHEMA_TYPES.join(", ")
                    ),
                );
            }
            if ios {
                push(
                    out,
                    path,
                    format!("`type` must not be set when `{INT_OR_STRING}` is true"),
                );
            }
            if level == Level::Root && t != "object" {
                push(
                    out,
                    path,
                    format!("type must be object at the root, not {t}"),
                );
            }
        }
        Some(Value::String(_)) | None => check_missing_type(obj, path, level, out),
        Some(other) => {
            let hint = if other.is_array() {
                " (type arrays such as [\"string\", \"null\"] are not supported; use `nullable: true`)"
            } else {
                ""
            };
            push(
                out,
                path,
                format!("`type` must be a string, got {}{hint}", kind_of(other)),
            );
        }
    }
}

fn check_missing_type(obj: &Obj, path: &str, level: Level, out: &mut Vec<Violation>) {
    let exempt = is_true(obj, INT_OR_STRING) || is_true(obj, PRESERVE);
    // An embedded resource without a type gets the more specific embedded-resource message.
    let embedded = is_true(obj, EMBEDDED);
    match level {
        // Stricter than the apiserver (which lets a preserve-unknown-fields root omit it):
        // every CRD root must be `type: object` for status/scale extraction to make sense.
        Level::Root => push(out, path, "type must be object at the root"),
        _ if exempt || embedded => {}
        Level::Items => push(out, path, "type must not be empty for array items"),
        Level::Field => push(
            out,
            path,
            format!(
                "type must not be empty for object fields (unless `{INT_OR_STRING}` or `{PRESERVE}` is true)"
            ),
        ),
    }
}

/// validation.go `validateExtensions` and the int-or-string exception: such a node carries no
/// `type`, and any junctor must be the `[{type: integer}, {type: string}]` shape.
pub(super) fn check_int_or_string(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    if !is_true(obj, INT_OR_STRING) {
        return;
    }
    if is_true(obj, PRESERVE) {
        push(
            out,
            path,
            format!("`{PRESERVE}` must be false if `{INT_OR_STRING}` is true"),
        );
    }
    if is_true(obj, EMBEDDED) {
        push(
            out,
            path,
            format!("`{EMBEDDED}` must be false if `{INT_OR_STRING}` is true"),
        );
    }
    let shape = "[{type: integer}, {type: string}]";
    if obj.contains_key("anyOf") {
        if !is_int_or_string_any_of(obj.get("anyOf")) {
            push(
                out,
                path,
                format!("`anyOf` of an `{INT_OR_STRING}` node must be exactly {shape}"),
            );
        }
    } else if obj.contains_key("allOf") && !all_of_starts_with_int_or_string(obj) {
        push(
            out,
            path,
            format!("`allOf[0].anyOf` of an `{INT_OR_STRING}` node must be exactly {shape}"),
        );
    }
}

/// validation.go: properties are for structs, additionalProperties for maps; both only make
/// sense on objects and additionalProperties is forbidden at the root and on embedded resources.
pub(super) fn check_object_shape(obj: &Obj, path: &str, level: Level, out: &mut Vec<Violation>) {
    let props = obj.get("properties");
    let extra = obj.get("additionalProperties");
    if let Some(p) = props
        && !p.is_object()
    {
        push(
            out,
            path,
            "`properties` must be an object mapping names to schemas",
        );
    }
    match extra {
        None | Some(Value::Bool(true)) | Some(Value::Object(_)) => {}
        // Not a structural-schema rule in the apiserver on its own (there it is only rejected
        // next to `properties` or at the root), but it never means anything in a CRD: unknown
        // fields are pruned anyway. Generators must omit it.
        Some(Value::Bool(false)) => push(
            out,
            path,
            "`additionalProperties: false` is not allowed in a structural schema; omit it (unknown fields are pruned)",
        ),
        Some(other) => push(
            out,
            path,
            format!(
                "`additionalProperties` must be a schema or a boolean, got {}",
                kind_of(other)
            ),
        ),
    }
    if props.is_some() && matches!(extra, Some(Value::Object(_))) {
        push(
            out,
            path,
            "`properties` and `additionalProperties` are mutually exclusive",
        );
    }
    if let Some(t) = type_of(obj)
        && t != "object"
    {
        for key in ["properties", "additionalProperties"] {
            if obj.contains_key(key) {
                push(
                    out,
                    path,
                    format!("`{key}` is only allowed on type object, not {t}"),
                );
            }
        }
    }
    if extra.is_some() && level == Level::Root {
        push(
            out,
            path,
            "`additionalProperties` must not be used at the root",
        );
    }
    if extra.is_some() && is_true(obj, EMBEDDED) {
        push(
            out,
            path,
            format!("`additionalProperties` must not be used if `{EMBEDDED}` is true"),
        );
    }
}

/// validation.go: arrays need a single `items` schema; `items` only applies to arrays.
pub(super) fn check_array_shape(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    let items = obj.get("items");
    let ty = type_of(obj);
    if ty == Some("array") && items.is_none() {
        push(out, path, "`items` must be specified for type array");
    }
    if let Some(Value::Array(_)) = items {
        push(
            out,
            path,
            "`items` must be a single schema, not an array of schemas",
        );
    }
    if items.is_some()
        && let Some(t) = ty
        && t != "array"
    {
        push(
            out,
            path,
            format!("`items` is only allowed on type array, not {t}"),
        );
    }
}

/// validation.go: an embedded resource is an object with properties or preserved fields, and
/// cannot itself live inside resource metadata.
pub(super) fn check_embedded_resource(obj: &Obj, path: &str, ctx: Ctx, out: &mut Vec<Violation>) {
    if !is_true(obj, EMBEDDED) {
        return;
    }
    if type_of(obj) != Some("object") {
        push(
            out,
            path,
            format!("`{EMBEDDED}: true` requires type object"),
        );
    }
    let has_props = obj
        .get("properties")
        .and_then(Value::as_object)
        .is_some_and(|p| !p.is_empty());
    if !has_props && !is_true(obj, PRESERVE) {
        push(
            out,
            path,
            format!("`{EMBEDDED}: true` requires properties unless `{PRESERVE}` is true"),
        );
    }
    if ctx.in_resource_meta {
        push(
            out,
            path,
            format!("`{EMBEDDED}` must not be used inside apiVersion, kind or metadata"),
        );
    }
}

/// Root-only rules: validation.go ("nullable cannot be true at the root") and
/// `validateExtensions`/embedded-resource semantics (the root already is a resource).
pub(super) fn check_root(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    if is_true(obj, "nullable") {
        push(out, path, "`nullable` cannot be true at the root");
    }
    for key in [EMBEDDED, INT_OR_STRING] {
        if is_true(obj, key) {
            push(out, path, format!("`{key}` must not be set at the root"));
        }
    }
}

/// validation.go: at the root and in embedded resources, apiVersion/kind are strings and
/// metadata an object; at the root, metadata may only restrict name and generateName.
pub(super) fn check_resource_fields(
    obj: &Obj,
    path: &str,
    is_root: bool,
    out: &mut Vec<Violation>,
) {
    let Some(props) = obj.get("properties").and_then(Value::as_object) else {
        return;
    };
    for key in ["apiVersion", "kind"] {
        if let Some(p) = props.get(key).and_then(Value::as_object)
            && type_of(p) != Some("string")
        {
            push(
                out,
                &prop_path(path, key),
                format!("{key} must be type string"),
            );
        }
    }
    if let Some(meta) = props.get("metadata").and_then(Value::as_object) {
        let meta_path = prop_path(path, "metadata");
        if type_of(meta) != Some("object") {
            push(out, &meta_path, "metadata must be type object");
        }
        if is_root {
            check_root_metadata(meta, &meta_path, out);
        }
    }
}

/// validation.go `validateStructuralMetadataInvariants`: the apiserver owns ObjectMeta; a CRD
/// may only add restrictions to name and generateName.
fn check_root_metadata(meta: &Obj, path: &str, out: &mut Vec<Violation>) {
    for (key, value) in meta {
        match key.as_str() {
            // type is checked by the caller; default by the defaults rule.
            "type" | "default" => {}
            "properties" => {
                for name in value.as_object().into_iter().flat_map(Map::keys) {
                    if name != "name" && name != "generateName" {
                        push(
                            out,
                            path,
                            format!(
                                "metadata at the root may only restrict name and generateName, not `{name}`"
                            ),
                        );
                    }
                }
            }
            _ if is_set(value) => push(
                out,
                path,
                format!(
                    "metadata at the root may only restrict name and generateName; remove `{key}`"
                ),
            ),
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structural::test_support::*;

    #[test]
    fn field_without_type_is_rejected() {
        assert_has(
            &field(json!({"description": "x"})),
            F,
            "type must not be empty",
        );
    }

    #[test]
    fn empty_type_string_is_rejected() {
        assert_has(&field(json!({"type": ""})), F, "type must not be empty");
    }

    #[test]
    fn items_without_type_is_rejected() {
        let v = field(json!({"type": "array", "items": {}}));
        assert_has(&v, &format!("{F}.items"), "array items");
    }

    #[test]
    fn preserve_unknown_fields_exempts_type() {
        assert_clean(&field(
            json!({"x-kubernetes-preserve-unknown-fields": true}),
        ));
    }

    #[test]
    fn unsupported_types_are_rejected() {
        assert_has(&field(json!({"type": "null"})), F, "nullable");
        assert_has(&field(json!({"type": "float"})), F, "unsupported type");
        assert_has(
            &field(json!({"type": ["string", "null"]})),
            F,
            "type arrays",
        );
    }

    #[test]
    fn int_or_string_plain_and_shapes_are_accepted() {
        assert_clean(&field(json!({"x-kubernetes-int-or-string": true})));
        assert_clean(&field(json!({
            "x-kubernetes-int-or-string": true,
            "anyOf": [{"type": "integer"}, {"type": "string"}]
        })));
        assert_clean(&field(json!({
            "x-kubernetes-int-or-string": true,
            "allOf": [{"anyOf": [{"type": "integer"}, {"type": "string"}]}, {"pattern": "^[0-9]+%?$"}]
        })));
    }

    #[test]
    fn int_or_string_with_type_is_rejected() {
        let v = field(json!({"x-kubernetes-int-or-string": true, "type": "string"}));
        assert_has(&v, F, "must not be set when");
    }

    #[test]
    fn int_or_string_with_wrong_any_of_is_rejected() {
        let v = field(json!({
            "x-kubernetes-int-or-string": true,
            "anyOf": [{"type": "string"}, {"type": "integer"}]
        }));
        assert_has(&v, F, "must be exactly");
        // The entries are then ordinary junctors, whose `type` is forbidden.
        assert_has(
            &v,
            &format!("{F}.anyOf[0]"),
            "`type` must not be set inside",
        );
    }

    #[test]
    fn int_or_string_with_wrong_all_of_is_rejected() {
        let v = field(json!({"x-kubernetes-int-or-string": true, "allOf": [{"pattern": "x"}]}));
        assert_has(&v, F, "allOf[0].anyOf");
    }

    #[test]
    fn int_or_string_with_preserve_is_rejected() {
        let v = field(
            json!({"x-kubernetes-int-or-string": true, "x-kubernetes-preserve-unknown-fields": true}),
        );
        assert_has(&v, F, "must be false if");
    }

    #[test]
    fn properties_and_additional_properties_are_exclusive() {
        let v = field(json!({
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "additionalProperties": {"type": "string"}
        }));
        assert_has(&v, F, "mutually exclusive");
    }

    #[test]
    fn additional_properties_false_is_rejected() {
        let v = field(json!({"type": "object", "additionalProperties": false}));
        assert_has(&v, F, "additionalProperties: false");
    }

    #[test]
    fn additional_properties_map_is_accepted() {
        assert_clean(&field(
            json!({"type": "object", "additionalProperties": {"type": "integer"}}),
        ));
    }

    #[test]
    fn additional_properties_at_root_is_rejected() {
        let v = root(json!({"type": "object", "additionalProperties": {"type": "string"}}));
        assert_has(&v, "s", "at the root");
    }

    #[test]
    fn object_keywords_only_on_objects() {
        let v = field(json!({"type": "string", "properties": {"a": {"type": "string"}}}));
        assert_has(&v, F, "`properties` is only allowed on type object");
        let v = field(json!({"type": "string", "additionalProperties": {"type": "string"}}));
        assert_has(
            &v,
            F,
            "`additionalProperties` is only allowed on type object",
        );
    }

    #[test]
    fn array_needs_items() {
        assert_has(
            &field(json!({"type": "array"})),
            F,
            "`items` must be specified",
        );
        assert_clean(&field(
            json!({"type": "array", "items": {"type": "integer"}}),
        ));
    }

    #[test]
    fn items_must_be_one_schema() {
        let v = field(json!({"type": "array", "items": [{"type": "string"}]}));
        assert_has(&v, F, "not an array of schemas");
    }

    #[test]
    fn items_only_on_arrays() {
        let v = field(json!({"type": "string", "items": {"type": "string"}}));
        assert_has(&v, F, "`items` is only allowed on type array");
    }

    #[test]
    fn root_must_be_object() {
        assert_has(
            &root(json!({"type": "string"})),
            "s",
            "must be object at the root",
        );
        assert_has(
            &root(json!({"properties": {}})),
            "s",
            "must be object at the root",
        );
        assert_clean(&root(json!({"type": "object"})));
    }

    #[test]
    fn root_metadata_may_restrict_name_only() {
        assert_clean(&root(
            json!({"type": "object", "properties": {"metadata": {"type": "object"}}}),
        ));
        assert_clean(&root(json!({"type": "object", "properties": {"metadata": {
            "type": "object",
            "properties": {"name": {"type": "string", "maxLength": 63}, "generateName": {"type": "string"}}
        }}})));
        let v = root(json!({"type": "object", "properties": {"metadata": {
            "type": "object", "properties": {"labels": {"type": "object"}}
        }}}));
        assert_has(&v, "s.properties.metadata", "`labels`");
        let v = root(
            json!({"type": "object", "properties": {"metadata": {"type": "object", "description": "meta"}}}),
        );
        assert_has(&v, "s.properties.metadata", "remove `description`");
        let v = root(json!({"type": "object", "properties": {"metadata": {"type": "string"}}}));
        assert_has(&v, "s.properties.metadata", "must be type object");
    }

    #[test]
    fn root_flags_are_rejected() {
        assert_has(
            &root(json!({"type": "object", "nullable": true})),
            "s",
            "nullable",
        );
        let v = root(
            json!({"type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true}),
        );
        assert_has(&v, "s", EMBEDDED);
        let v = root(json!({"type": "object", "x-kubernetes-int-or-string": true}));
        assert_has(&v, "s", "must not be set at the root");
    }

    #[test]
    fn root_api_version_and_kind_are_strings() {
        let v = root(
            json!({"type": "object", "properties": {"apiVersion": {"type": "integer"}, "kind": {"type": "string"}}}),
        );
        assert_has(&v, "s.properties.apiVersion", "must be type string");
        assert!(!v.iter().any(|x| x.path == "s.properties.kind"), "{v:#?}");
    }

    #[test]
    fn root_and_metadata_defaults_are_rejected() {
        assert_has(
            &root(json!({"type": "object", "default": {}})),
            "s",
            "at the root",
        );
        let v = root(
            json!({"type": "object", "properties": {"metadata": {"type": "object", "default": {}}}}),
        );
        assert_has(&v, "s.properties.metadata", "inside top-level metadata");
        let v = root(
            json!({"type": "object", "properties": {"kind": {"type": "string", "default": "W"}}}),
        );
        assert_has(&v, "s.properties.kind", "inside top-level kind");
    }

    #[test]
    fn embedded_resource_shapes() {
        assert_clean(&field(json!({
            "type": "object",
            "x-kubernetes-embedded-resource": true,
            "properties": {"apiVersion": {"type": "string"}, "kind": {"type": "string"}, "metadata": {"type": "object", "properties": {"labels": {"type": "object", "additionalProperties": {"type": "string"}}}}}
        })));
        assert_has(
            &field(
                json!({"x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true}),
            ),
            F,
            "requires type object",
        );
        assert_has(
            &field(json!({"type": "object", "x-kubernetes-embedded-resource": true})),
            F,
            "requires properties",
        );
        let v = field(
            json!({"type": "object", "x-kubernetes-embedded-resource": true, "properties": {"kind": {"type": "integer"}}}),
        );
        assert_has(&v, &format!("{F}.properties.kind"), "must be type string");
    }

    #[test]
    fn embedded_resource_inside_metadata_is_rejected() {
        let v = root(json!({"type": "object", "properties": {"kind": {
            "type": "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true
        }}}));
        assert_has(
            &v,
            "s.properties.kind",
            "inside apiVersion, kind or metadata",
        );
    }
}
