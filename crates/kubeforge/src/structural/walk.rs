//! The walk over the structural skeleton (validation.go `ValidateStructural`): which rules run at
//! each node and with what inherited context.

use serde_json::Value;

use super::junctors::{Junctors, check_junctors};
use super::keys::{EMBEDDED, MAX_DEPTH, META_FIELDS};
use super::keywords::check_keywords;
use super::lists::{check_list_type, check_map_type};
use super::rules::check_x_validations;
use super::shape::{
    check_array_shape, check_embedded_resource, check_int_or_string, check_object_shape,
    check_resource_fields, check_root, check_type,
};
use super::util::{
    all_of_starts_with_int_or_string, child, is_int_or_string_any_of, is_true, kind_of, prop_path,
    push,
};
use super::values::{check_default, check_enum, check_required};
use super::{Obj, Violation};

/// Where a structural node sits; validation.go's `level` (messages and root-only rules differ).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Level {
    Root,
    Items,
    Field,
}

/// State inherited down the structural walk, like validation.go's `specStandardValidator`.
#[derive(Clone, Copy, Debug)]
pub(super) struct Ctx {
    pub(super) level: Level,
    pub(super) depth: usize,
    /// Why `default` may not appear here (`withForbiddenDefaults`), if it may not.
    pub(super) no_default: Option<&'static str>,
    /// Inside apiVersion/kind/metadata of the root or of an embedded resource
    /// (`withInsideResourceMeta`).
    pub(super) in_resource_meta: bool,
}

impl Ctx {
    fn root() -> Self {
        Self {
            level: Level::Root,
            depth: 0,
            no_default: None,
            in_resource_meta: false,
        }
    }

    fn descend(self, level: Level) -> Self {
        Self {
            level,
            depth: self.depth + 1,
            ..self
        }
    }
}

/// Checks one `openAPIV3Schema` (the root of a version's schema). `path` prefixes every
/// violation, e.g. `spec.versions[v1].schema.openAPIV3Schema`.
pub fn check_schema(schema: &Value, path: &str) -> Vec<Violation> {
    let mut out = Vec::new();
    check_structural(schema, path, Ctx::root(), &mut out);
    out
}

pub(super) fn too_deep(depth: usize, path: &str, out: &mut Vec<Violation>) -> bool {
    if depth > MAX_DEPTH {
        push(
            out,
            path,
            format!("schema nests deeper than {MAX_DEPTH} levels; not checked further"),
        );
        return true;
    }
    false
}

/// Every schema node must be an object: `JSONSchemaProps` has no boolean-schema form.
pub(super) fn schema_object<'a>(
    node: &'a Value,
    path: &str,
    out: &mut Vec<Violation>,
) -> Option<&'a Obj> {
    match node {
        Value::Object(obj) => Some(obj),
        Value::Bool(b) => {
            push(
                out,
                path,
                format!("schema must be an object; the boolean schema `{b}` is not supported"),
            );
            None
        }
        other => {
            push(
                out,
                path,
                format!("schema must be an object, got {}", kind_of(other)),
            );
            None
        }
    }
}

/// A node of the structural skeleton (outside any junctor).
fn check_structural(node: &Value, path: &str, ctx: Ctx, out: &mut Vec<Violation>) {
    if too_deep(ctx.depth, path, out) {
        return;
    }
    let Some(obj) = schema_object(node, path, out) else {
        return;
    };
    check_keywords(obj, path, out);
    check_type(obj, path, ctx.level, out);
    check_int_or_string(obj, path, out);
    check_object_shape(obj, path, ctx.level, out);
    check_array_shape(obj, path, out);
    check_required(obj, Some(obj), path, out);
    check_enum(obj, Some(obj), path, out);
    check_default(obj, path, ctx, out);
    check_list_type(obj, path, out);
    check_map_type(obj, path, out);
    check_embedded_resource(obj, path, ctx, out);
    check_x_validations(obj, path, out);
    if ctx.level == Level::Root {
        check_root(obj, path, out);
    }
    if ctx.level == Level::Root || is_true(obj, EMBEDDED) {
        check_resource_fields(obj, path, ctx.level == Level::Root, out);
    }
    // validation.go: the int-or-string `anyOf` (directly, or as `allOf[0].anyOf`) is exempt.
    let skip_any_of = is_int_or_string_any_of(obj.get("anyOf"));
    let skip_first_all_of = all_of_starts_with_int_or_string(obj);
    let junctors = Junctors {
        counterpart: Some(obj),
        skip_any_of,
        skip_first_all_of,
    };
    check_junctors(obj, path, junctors, ctx.depth, out);
    recurse_structural(obj, path, ctx, out);
}

fn recurse_structural(obj: &Obj, path: &str, ctx: Ctx, out: &mut Vec<Violation>) {
    let is_resource = ctx.level == Level::Root || is_true(obj, EMBEDDED);
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            let mut sub_ctx = ctx.descend(Level::Field);
            if is_resource && META_FIELDS.contains(&name.as_str()) {
                sub_ctx.in_resource_meta = true;
                // validation.go: `withForbiddenDefaults("in top-level <field>")`.
                if ctx.level == Level::Root {
                    sub_ctx.no_default = Some(match name.as_str() {
                        "metadata" => "inside top-level metadata",
                        "kind" => "inside top-level kind",
                        _ => "inside top-level apiVersion",
                    });
                }
            }
            check_structural(sub, &prop_path(path, name), sub_ctx, out);
        }
    }
    if let Some(extra) = obj.get("additionalProperties")
        && extra.is_object()
    {
        let mut sub_ctx = ctx.descend(Level::Field);
        // validation.go: pruning a default without an actual key is ambiguous for metadata maps.
        if ctx.in_resource_meta {
            sub_ctx.no_default = Some("inside additionalProperties applying to object metadata");
        }
        check_structural(extra, &child(path, "additionalProperties"), sub_ctx, out);
    }
    if let Some(items) = obj.get("items")
        && !items.is_array()
    {
        check_structural(items, &child(path, "items"), ctx.descend(Level::Items), out);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structural::test_support::*;

    #[test]
    fn valid_schema_is_clean() {
        assert_clean(&root(valid_schema()));
    }

    #[test]
    fn valid_crd_is_clean() {
        assert_clean(&check_crd(&valid_crd()));
    }

    #[test]
    fn display_is_path_colon_message() {
        let v = Violation::new("a.b", "broken");
        assert_eq!(v.to_string(), "a.b: broken");
        assert_eq!(Violation::new("", "whole").to_string(), "whole");
    }

    #[test]
    fn malformed_input_never_panics() {
        let inputs = [
            json!(null),
            json!([1, 2, 3]),
            json!("crd"),
            json!({"spec": null}),
            json!({"spec": {"versions": [null, 1, {"name": 5, "schema": {"openAPIV3Schema": [true]}}]}}),
            json!({"spec": {"names": [], "group": 1, "scope": {}, "versions": "v1", "conversion": []}}),
            json!({"spec": {"versions": [{"name": "v1", "subresources": [], "additionalPrinterColumns": {}, "selectableFields": [1, {"jsonPath": ""}]}]}}),
        ];
        for input in &inputs {
            let _ = check_crd(input);
            let _ = check_schema(input, "x");
        }
        let weird = json!({
            "type": "object",
            "properties": [],
            "required": [1, null],
            "enum": {},
            "allOf": {},
            "anyOf": [null, 1],
            "not": "x",
            "x-kubernetes-list-type": 1,
            "x-kubernetes-list-map-keys": "a",
            "x-kubernetes-map-type": [],
            "x-kubernetes-validations": [{"rule": 1, "fieldPath": 2, "reason": null}],
            "items": {"type": "array", "x-kubernetes-list-type": "map", "items": "x"}
        });
        assert!(!check_schema(&weird, "w").is_empty());
    }

    #[test]
    fn deep_nesting_is_bounded() {
        let mut schema = json!({"type": "string"});
        for _ in 0..(MAX_DEPTH * 3) {
            schema = json!({"type": "object", "properties": {"n": schema}, "allOf": [{"not": {"minProperties": 0}}]});
        }
        let v = field(schema);
        assert!(
            v.iter().any(|x| x.message.contains("nests deeper")),
            "no depth violation"
        );
    }
}
