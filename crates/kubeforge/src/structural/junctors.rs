//! Value-validation junctors (`allOf`/`anyOf`/`oneOf`/`not`): what may appear inside them
//! (validation.go `validateNestedValueValidation`).

use serde_json::Value;

use super::complete::check_completeness;
use super::keys::{
    EMBEDDED, INT_OR_STRING, LIST_MAP_KEYS, LIST_TYPE, MAP_TYPE, PRESERVE, VALIDATIONS,
};
use super::keywords::check_keywords;
use super::util::{child, is_set, prop_path, property, push};
use super::values::{check_enum, check_required};
use super::walk::{schema_object, too_deep};
use super::{Obj, Violation};

/// How to walk the junctors of one node.
#[derive(Clone, Copy)]
pub(super) struct Junctors<'a> {
    /// The structural node the junctor applies to (validation.go's `s` in complete.go);
    /// `None` once the skeleton has no matching node (already reported).
    pub(super) counterpart: Option<&'a Obj>,
    /// The int-or-string `anyOf` shape is exempt from the junctor rules.
    pub(super) skip_any_of: bool,
    /// Same for `allOf[0].anyOf`.
    pub(super) skip_first_all_of: bool,
}

pub(super) fn check_junctors(
    obj: &Obj,
    path: &str,
    j: Junctors<'_>,
    depth: usize,
    out: &mut Vec<Violation>,
) {
    for key in ["allOf", "anyOf", "oneOf"] {
        let Some(value) = obj.get(key) else {
            continue;
        };
        let Some(list) = value.as_array() else {
            push(out, path, format!("`{key}` must be an array of schemas"));
            continue;
        };
        if key == "anyOf" && j.skip_any_of {
            continue;
        }
        for (i, sub) in list.iter().enumerate() {
            let skip = key == "allOf" && i == 0 && j.skip_first_all_of;
            let sub_path = format!("{path}.{key}[{i}]");
            check_nested(sub, &sub_path, j.counterpart, skip, depth + 1, out);
        }
    }
    if let Some(not) = obj.get("not") {
        check_nested(
            not,
            &child(path, "not"),
            j.counterpart,
            false,
            depth + 1,
            out,
        );
    }
}

/// A node inside a junctor (validation.go `validateNestedValueValidation` + complete.go).
fn check_nested(
    node: &Value,
    path: &str,
    counterpart: Option<&Obj>,
    skip_any_of: bool,
    depth: usize,
    out: &mut Vec<Violation>,
) {
    if too_deep(depth, path, out) {
        return;
    }
    let Some(obj) = schema_object(node, path, out) else {
        return;
    };
    check_keywords(obj, path, out);
    if let Some(Value::Array(_)) = obj.get("items") {
        push(
            out,
            path,
            "`items` must be a single schema, not an array of schemas",
        );
    }
    check_nested_forbidden(obj, path, out);
    check_completeness(obj, counterpart, path, out);
    check_required(obj, counterpart, path, out);
    check_enum(obj, counterpart, path, out);
    let junctors = Junctors {
        counterpart,
        skip_any_of,
        // validation.go only exempts `allOf[0].anyOf` on structural nodes.
        skip_first_all_of: false,
    };
    check_junctors(obj, path, junctors, depth, out);
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            let cp = counterpart
                .and_then(|c| property(c, name))
                .and_then(Value::as_object);
            check_nested(sub, &prop_path(path, name), cp, false, depth + 1, out);
        }
    }
    if let Some(items) = obj.get("items")
        && !items.is_array()
    {
        let cp = counterpart
            .and_then(|c| c.get("items"))
            .and_then(Value::as_object);
        check_nested(items, &child(path, "items"), cp, false, depth + 1, out);
    }
}

/// validation.go `validateNestedValueValidation`: junctors may only carry value validations;
/// everything that shapes the object (type, defaults, extensions, docs) stays outside.
fn check_nested_forbidden(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    // Forbidden as soon as they are present (Go: non-nil pointer).
    let by_presence = [
        "additionalProperties",
        "default",
        "externalDocs",
        LIST_TYPE,
        MAP_TYPE,
    ];
    // Forbidden when non-zero (Go: non-empty string/list, true).
    let by_value = [
        "type",
        "description",
        "title",
        "nullable",
        PRESERVE,
        EMBEDDED,
        INT_OR_STRING,
        LIST_MAP_KEYS,
        VALIDATIONS,
    ];
    for key in by_presence {
        if obj.contains_key(key) {
            push(out, path, junctor_message(key));
        }
    }
    for key in by_value {
        if obj.get(key).is_some_and(is_set) {
            push(out, path, junctor_message(key));
        }
    }
    if property(obj, "metadata").is_some() {
        push(
            out,
            &prop_path(path, "metadata"),
            "metadata must not be specified inside allOf/anyOf/oneOf/not",
        );
    }
}

fn junctor_message(key: &str) -> String {
    format!("`{key}` must not be set inside allOf/anyOf/oneOf/not in a structural schema")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structural::test_support::*;

    #[test]
    fn junctor_with_value_validations_only_is_accepted() {
        assert_clean(&field(json!({
            "type": "string",
            "anyOf": [{"pattern": "^a"}, {"maxLength": 3}],
            "not": {"enum": ["forbidden"]}
        })));
    }

    #[test]
    fn junctor_forbidden_keywords_are_rejected() {
        let cases = [
            ("allOf", json!([{"type": "string"}]), "`type`"),
            ("oneOf", json!([{"description": "d"}]), "`description`"),
            ("anyOf", json!([{"title": "t"}]), "`title`"),
            ("allOf", json!([{"default": "x"}]), "`default`"),
            ("allOf", json!([{"nullable": true}]), "`nullable`"),
            (
                "allOf",
                json!([{"additionalProperties": {"type": "string"}}]),
                "`additionalProperties`",
            ),
            (
                "allOf",
                json!([{"x-kubernetes-preserve-unknown-fields": true}]),
                PRESERVE,
            ),
            (
                "allOf",
                json!([{"x-kubernetes-int-or-string": true}]),
                INT_OR_STRING,
            ),
            (
                "allOf",
                json!([{"x-kubernetes-list-type": "set"}]),
                LIST_TYPE,
            ),
            (
                "allOf",
                json!([{"x-kubernetes-validations": [{"rule": "true"}]}]),
                VALIDATIONS,
            ),
        ];
        for (key, junctor, needle) in cases {
            let mut schema = json!({"type": "string"});
            schema[key] = junctor;
            assert_has(&field(schema), &format!("{F}.{key}[0]"), needle);
        }
        let v = field(json!({"type": "string", "not": {"type": "integer"}}));
        assert_has(&v, &format!("{F}.not"), "`type`");
    }

    #[test]
    fn junctor_properties_must_exist_outside() {
        let v = field(json!({
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "oneOf": [{"properties": {"b": {"minLength": 1}}}]
        }));
        assert_has(
            &v,
            &format!("{F}.oneOf[0].properties.b"),
            "not in the structural schema",
        );
        assert_clean(&field(json!({
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "oneOf": [{"properties": {"a": {"minLength": 1}}}]
        })));
    }

    #[test]
    fn junctor_nested_deeply_is_checked() {
        let v = field(json!({
            "type": "object",
            "properties": {"a": {"type": "object", "properties": {"b": {"type": "string"}}}},
            "anyOf": [{"properties": {"a": {"allOf": [{"properties": {"b": {"type": "string"}}}]}}}]
        }));
        assert_has(
            &v,
            &format!("{F}.anyOf[0].properties.a.allOf[0].properties.b"),
            "`type` must not be set inside",
        );
    }

    #[test]
    fn junctor_items_must_exist_outside() {
        let v = field(
            json!({"type": "object", "x-kubernetes-preserve-unknown-fields": true, "allOf": [{"items": {"minLength": 1}}]}),
        );
        assert_has(
            &v,
            &format!("{F}.allOf[0].items"),
            "not in the structural schema",
        );
    }

    #[test]
    fn junctor_metadata_is_rejected() {
        let v = root(json!({
            "type": "object",
            "properties": {"metadata": {"type": "object"}},
            "allOf": [{"properties": {"metadata": {"required": ["name"]}}}]
        }));
        assert_has(
            &v,
            "s.allOf[0].properties.metadata",
            "must not be specified inside",
        );
    }

    #[test]
    fn junctor_required_names_sibling_properties() {
        let v = field(json!({
            "type": "object",
            "properties": {"a": {"type": "string"}},
            "oneOf": [{"required": ["a"]}, {"required": ["zzz"]}]
        }));
        assert_has(&v, &format!("{F}.oneOf[1]"), "`zzz`");
        assert!(!v.iter().any(|x| x.path.ends_with("oneOf[0]")), "{v:#?}");
    }

    #[test]
    fn junctor_enum_is_typed_by_sibling() {
        let v = field(json!({
            "type": "object",
            "properties": {"on": {"type": "boolean"}},
            "oneOf": [{"properties": {"on": {"enum": [true]}}}, {"properties": {"on": {"enum": ["yes"]}}}]
        }));
        assert_has(
            &v,
            &format!("{F}.oneOf[1].properties.on"),
            "must be of type boolean",
        );
        assert!(!v.iter().any(|x| x.path.contains("oneOf[0]")), "{v:#?}");
    }
}
