//! `x-kubernetes-validations`: the shape of each rule (validation.go `ValidationRule`); the
//! expressions themselves are checked by `crate::cel`.

use serde_json::Value;

use super::keys::VALIDATIONS;
use super::util::{has_newline, kind_of, push};
use super::{Obj, Violation};

/// Fields of a `ValidationRule`.
const RULE_KEYS: &[&str] = &[
    "rule",
    "message",
    "messageExpression",
    "reason",
    "fieldPath",
    "optionalOldSelf",
];

/// validation.go `supportedValidationReason`.
const RULE_REASONS: &[&str] = &[
    "FieldValueInvalid",
    "FieldValueForbidden",
    "FieldValueRequired",
    "FieldValueDuplicate",
];

/// validation.go: shape of each `x-kubernetes-validations` rule (CEL is not compiled here).
pub(super) fn check_x_validations(obj: &Obj, path: &str, out: &mut Vec<Violation>) {
    let Some(value) = obj.get(VALIDATIONS) else {
        return;
    };
    let Some(rules) = value.as_array() else {
        push(
            out,
            path,
            format!("`{VALIDATIONS}` must be an array of rules"),
        );
        return;
    };
    for (i, rule) in rules.iter().enumerate() {
        check_rule(rule, &format!("{VALIDATIONS}[{i}]"), path, out);
    }
}

fn check_rule(rule: &Value, at: &str, path: &str, out: &mut Vec<Violation>) {
    let Some(r) = rule.as_object() else {
        push(out, path, format!("`{at}` must be an object"));
        return;
    };
    for key in r.keys() {
        if !RULE_KEYS.contains(&key.as_str()) {
            push(out, path, format!("`{at}` has unknown field `{key}`"));
        }
    }
    let text = match r.get("rule") {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s.as_str()),
        _ => {
            push(
                out,
                path,
                format!("`{at}.rule` must be a non-empty CEL expression"),
            );
            None
        }
    };
    let message = optional_string(r, "message", at, path, out);
    if message.is_some_and(has_newline) {
        push(
            out,
            path,
            format!("`{at}.message` must not contain line breaks"),
        );
    }
    if text.is_some_and(has_newline) && message.is_none() {
        push(
            out,
            path,
            format!("`{at}.message` must be specified when the rule contains line breaks"),
        );
    }
    optional_string(r, "messageExpression", at, path, out);
    if let Some(reason) = r.get("reason")
        && !reason.as_str().is_some_and(|s| RULE_REASONS.contains(&s))
    {
        push(
            out,
            path,
            format!("`{at}.reason` must be one of {}", RULE_REASONS.join(", ")),
        );
    }
    if let Some(fp) = optional_string(r, "fieldPath", at, path, out) {
        if !fp.starts_with('.') {
            push(out, path, format!("`{at}.fieldPath` must start with `.`"));
        }
        if has_newline(fp) {
            push(
                out,
                path,
                format!("`{at}.fieldPath` must not contain line breaks"),
            );
        }
    }
    if let Some(v) = r.get("optionalOldSelf")
        && !v.is_boolean()
    {
        push(
            out,
            path,
            format!("`{at}.optionalOldSelf` must be a boolean"),
        );
    }
}

/// An optional string field that must be non-blank when given; returns it only if valid.
fn optional_string<'a>(
    obj: &'a Obj,
    key: &str,
    at: &str,
    path: &str,
    out: &mut Vec<Violation>,
) -> Option<&'a str> {
    match obj.get(key)? {
        Value::String(s) if !s.trim().is_empty() => Some(s.as_str()),
        Value::String(_) => {
            push(
                out,
                path,
                format!("`{at}.{key}` must be non-empty if specified"),
            );
            None
        }
        other => {
            push(
                out,
                path,
                format!("`{at}.{key}` must be a string, got {}", kind_of(other)),
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structural::test_support::*;

    fn rules(list: Value) -> Vec<Violation> {
        field(json!({"type": "string", "x-kubernetes-validations": list}))
    }

    #[test]
    fn validation_rules() {
        assert_clean(&rules(json!([{
            "rule": "self.size() > 0",
            "message": "empty",
            "messageExpression": "'bad: ' + self",
            "reason": "FieldValueForbidden",
            "fieldPath": ".x",
            "optionalOldSelf": true
        }])));
        assert_has(&rules(json!([{"rule": "  "}])), F, "non-empty CEL");
        assert_has(&rules(json!([{"message": "m"}])), F, "non-empty CEL");
        assert_has(
            &rules(json!([{"rule": "true", "reason": "Nope"}])),
            F,
            "reason",
        );
        assert_has(
            &rules(json!([{"rule": "true", "fieldPath": "x"}])),
            F,
            "start with `.`",
        );
        assert_has(
            &rules(json!([{"rule": "true", "optionalOldSelf": "yes"}])),
            F,
            "optionalOldSelf",
        );
        assert_has(
            &rules(json!([{"rule": "true", "message": 3}])),
            F,
            "`x-kubernetes-validations[0].message` must be a string",
        );
        assert_has(
            &rules(json!([{"rule": "true", "messageExpression": ""}])),
            F,
            "non-empty if specified",
        );
        assert_has(&rules(json!([{"rule": "a &&\nb"}])), F, "line breaks");
        assert_has(
            &rules(json!([{"rule": "true", "severity": "x"}])),
            F,
            "unknown field `severity`",
        );
        assert_has(&rules(json!({"rule": "true"})), F, "must be an array");
        assert_has(&rules(json!(["true"])), F, "must be an object");
    }
}
