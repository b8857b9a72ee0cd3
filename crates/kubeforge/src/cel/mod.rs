//! CEL in `x-kubernetes-validations`: every `rule` and `messageExpression` of a CRD is parsed
//! and checked against the schema node it sits on, the way kube-apiserver compiles them
//! (apiextensions-apiserver `pkg/apiserver/schema/cel/compilation.go`): `self` (and `oldSelf`)
//! have the node's declared type, a rule must be a bool and a message expression a string.
//!
//! This runs when CRDs are generated, not in the derive: a field reference needs the whole
//! schema, including types from other crates that a derive never sees.

mod check;
mod types;

use serde_json::{Map, Value};

use crate::structural::{
    EMBEDDED, MAX_DEPTH, VALIDATIONS, Violation, is_true, prop_path, version_path,
};
/// What offline validation binds property names by, so checks and evaluation agree.
pub(crate) use types::escape;

use check::Expect;
use types::Ty;

/// Every CEL problem in every version's schema, with the schema node's path (the same paths
/// as the other [`crate::structural`] violations).
pub(crate) fn check_rules(crd: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    let versions = crd
        .pointer("/spec/versions")
        .and_then(Value::as_array)
        .map_or(&[][..], Vec::as_slice);
    for (i, version) in versions.iter().enumerate() {
        if let Some(schema) = version.pointer("/schema/openAPIV3Schema") {
            let path = format!("{}.schema.openAPIV3Schema", version_path(version, i));
            walk(schema, &path, true, 0, &mut out);
        }
    }
    out
}

fn walk(node: &Value, path: &str, resource_root: bool, depth: usize, out: &mut Vec<Violation>) {
    let Some(obj) = node.as_object() else {
        return;
    };
    if depth > MAX_DEPTH {
        return;
    }
    if let Some(rules) = obj.get(VALIDATIONS).and_then(Value::as_array) {
        let self_ty = Ty::of_schema(node, resource_root || is_true(obj, EMBEDDED));
        for rule in rules.iter().filter_map(Value::as_object) {
            check_rule(rule, &self_ty, path, out);
        }
    }
    if let Some(props) = obj.get("properties").and_then(Value::as_object) {
        for (name, sub) in props {
            walk(sub, &prop_path(path, name), false, depth + 1, out);
        }
    }
    for key in ["additionalProperties", "items"] {
        if let Some(sub) = obj.get(key).filter(|v| v.is_object()) {
            walk(sub, &format!("{path}.{key}"), false, depth + 1, out);
        }
    }
}

/// Shapes (a non-empty string rule, ...) are structural.rs's business; this only compiles.
fn check_rule(rule: &Map<String, Value>, self_ty: &Ty<'_>, path: &str, out: &mut Vec<Violation>) {
    // `optionalOldSelf` makes `oldSelf` an optional: its uses are not modelled.
    let old_self = if rule.get("optionalOldSelf").and_then(Value::as_bool) == Some(true) {
        Ty::Dyn
    } else {
        self_ty.clone()
    };
    for (key, expect) in [
        ("rule", Expect::Bool),
        ("messageExpression", Expect::String),
    ] {
        let Some(text) = rule.get(key).and_then(Value::as_str) else {
            continue;
        };
        if text.trim().is_empty() {
            continue;
        }
        for problem in check::check(text, self_ty, &old_self, expect) {
            out.push(Violation {
                path: path.to_owned(),
                message: format!("{key} {text:?}: {problem}"),
            });
        }
    }
}

#[cfg(test)]
mod tests;
