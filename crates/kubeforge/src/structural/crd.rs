//! The CRD object as a whole (validation.go `ValidateCustomResourceDefinition`): type meta, size,
//! group, scope, conversion, and the entry point.

use serde_json::Value;

use super::keys::PRESERVE;
use super::names::{check_metadata_name, check_names};
use super::util::{child, is_dns1123_subdomain, kind_of, push};
use super::versions::check_versions;
use super::{Obj, Violation};

/// etcd's default request limit (`--max-request-bytes`, 1.5 MiB); a larger CRD cannot be stored.
const MAX_CRD_BYTES: usize = 1_572_864;

/// Checks a whole CustomResourceDefinition object: type meta, name, spec (group, scope,
/// names, conversion, versions) and every version's schema, plus the etcd size limit.
pub fn check_crd(crd: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    let Some(obj) = crd.as_object() else {
        push(
            &mut out,
            "",
            "a CustomResourceDefinition must be a JSON object",
        );
        return out;
    };
    check_type_meta(obj, &mut out);
    check_size(crd, &mut out);
    let Some(spec) = obj.get("spec").and_then(Value::as_object) else {
        push(&mut out, "spec", "spec is required and must be an object");
        return out;
    };
    check_group(spec, &mut out);
    check_scope(spec, &mut out);
    check_names(spec, &mut out);
    check_metadata_name(obj, spec, &mut out);
    check_preserve_unknown_fields(spec, &mut out);
    check_conversion(spec, &mut out);
    check_versions(spec, &mut out);
    out.extend(crate::cel::check_rules(crd));
    out
}

/// Only `apiextensions.k8s.io/v1` is served since Kubernetes 1.22.
fn check_type_meta(obj: &Obj, out: &mut Vec<Violation>) {
    match obj.get("apiVersion").and_then(Value::as_str) {
        Some("apiextensions.k8s.io/v1") => {}
        Some("apiextensions.k8s.io/v1beta1") => push(
            out,
            "apiVersion",
            "apiextensions.k8s.io/v1beta1 is no longer served (removed in Kubernetes 1.22); use apiextensions.k8s.io/v1",
        ),
        _ => push(out, "apiVersion", "must be apiextensions.k8s.io/v1"),
    }
    if obj.get("kind").and_then(Value::as_str) != Some("CustomResourceDefinition") {
        push(out, "kind", "must be CustomResourceDefinition");
    }
}

/// etcd rejects requests over `--max-request-bytes` (1.5 MiB by default).
fn check_size(crd: &Value, out: &mut Vec<Violation>) {
    if let Ok(bytes) = serde_json::to_vec(crd)
        && bytes.len() > MAX_CRD_BYTES
    {
        push(
            out,
            "",
            format!(
                "the serialized CRD is {} bytes, over the {MAX_CRD_BYTES}-byte (1.5 MiB) etcd request limit",
                bytes.len()
            ),
        );
    }
}

/// A required, non-empty string field; reports and returns `None` otherwise.
pub(super) fn required_str<'a>(
    obj: &'a Obj,
    key: &str,
    path: &str,
    out: &mut Vec<Violation>,
) -> Option<&'a str> {
    match obj.get(key) {
        Some(Value::String(s)) if !s.is_empty() => Some(s.as_str()),
        Some(Value::String(_)) | None | Some(Value::Null) => {
            push(out, path, "is required");
            None
        }
        Some(other) => {
            push(
                out,
                path,
                format!("must be a string, got {}", kind_of(other)),
            );
            None
        }
    }
}

/// An optional string field (empty counts as absent, like Go's zero value).
pub(super) fn optional_str<'a>(
    obj: &'a Obj,
    key: &str,
    path: &str,
    out: &mut Vec<Violation>,
) -> Option<&'a str> {
    match obj.get(key)? {
        Value::String(s) if !s.is_empty() => Some(s.as_str()),
        Value::String(_) | Value::Null => None,
        other => {
            push(
                out,
                path,
                format!("must be a string, got {}", kind_of(other)),
            );
            None
        }
    }
}

/// validation.go: group is a DNS-1123 subdomain with at least one dot.
fn check_group(spec: &Obj, out: &mut Vec<Violation>) {
    let Some(group) = required_str(spec, "group", "spec.group", out) else {
        return;
    };
    if !is_dns1123_subdomain(group) {
        push(
            out,
            "spec.group",
            format!("`{group}` must be a lowercase DNS-1123 subdomain"),
        );
    } else if !group.contains('.') {
        push(
            out,
            "spec.group",
            format!("`{group}` should be a domain with at least one dot"),
        );
    }
}

fn check_scope(spec: &Obj, out: &mut Vec<Violation>) {
    if let Some(scope) = required_str(spec, "scope", "spec.scope", out)
        && scope != "Namespaced"
        && scope != "Cluster"
    {
        push(
            out,
            "spec.scope",
            format!("`{scope}` must be Namespaced or Cluster"),
        );
    }
}

/// validation.go `validateCustomResourceConversion` (v1 field layout).
fn check_conversion(spec: &Obj, out: &mut Vec<Violation>) {
    let Some(value) = spec.get("conversion") else {
        return;
    };
    let Some(conv) = value.as_object() else {
        push(out, "spec.conversion", "must be an object");
        return;
    };
    // The v1 API defaults the strategy to None.
    let strategy =
        optional_str(conv, "strategy", "spec.conversion.strategy", out).unwrap_or("None");
    match strategy {
        "None" => {
            if conv.contains_key("webhook") {
                push(
                    out,
                    "spec.conversion.webhook",
                    "must not be set unless strategy is Webhook",
                );
            }
        }
        "Webhook" => check_conversion_webhook(conv.get("webhook"), out),
        other => push(
            out,
            "spec.conversion.strategy",
            format!("`{other}` must be None or Webhook"),
        ),
    }
}

fn check_conversion_webhook(webhook: Option<&Value>, out: &mut Vec<Violation>) {
    let path = "spec.conversion.webhook";
    let Some(webhook) = webhook.and_then(Value::as_object) else {
        push(out, path, "is required when strategy is Webhook");
        return;
    };
    let config = webhook.get("clientConfig").and_then(Value::as_object);
    let has = |key: &str| config.is_some_and(|c| c.contains_key(key));
    if has("url") == has("service") {
        push(
            out,
            &child(path, "clientConfig"),
            "exactly one of url or service is required",
        );
    }
    let versions: Vec<&str> = webhook
        .get("conversionReviewVersions")
        .and_then(Value::as_array)
        .map(|v| v.iter().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if !versions.iter().any(|v| *v == "v1" || *v == "v1beta1") {
        push(
            out,
            &child(path, "conversionReviewVersions"),
            "must include at least one of v1, v1beta1",
        );
    }
}

/// v1 rejects `preserveUnknownFields: true` on create; pruning needs structural schemas.
fn check_preserve_unknown_fields(spec: &Obj, out: &mut Vec<Violation>) {
    match spec.get("preserveUnknownFields") {
        None | Some(Value::Bool(false)) => {}
        Some(_) => push(
            out,
            "spec.preserveUnknownFields",
            format!("must be false; set `{PRESERVE}: true` inside the schema instead"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::structural::test_support::*;

    /// Checks [`valid_crd`] with the value at `pointer` replaced (or added).
    fn crd_with(pointer: &str, value: Value) -> Vec<Violation> {
        let mut crd = valid_crd();
        let (parent, key) = pointer.rsplit_once('/').expect("pointer has a parent");
        match at(&mut crd, parent) {
            Value::Object(map) => {
                map.insert(key.to_owned(), value);
            }
            Value::Array(list) => list[key.parse::<usize>().expect("array index")] = value,
            other => panic!("cannot set {key} in {other}"),
        }
        check_crd(&crd)
    }

    #[test]
    fn crd_type_meta() {
        assert_has(
            &crd_with("/apiVersion", json!("apiextensions.k8s.io/v1beta1")),
            "apiVersion",
            "no longer served",
        );
        assert_has(
            &crd_with("/kind", json!("Thing")),
            "kind",
            "CustomResourceDefinition",
        );
    }

    #[test]
    fn crd_group() {
        assert_has(
            &crd_with("/spec/group", json!("")),
            "spec.group",
            "required",
        );
        assert_has(
            &crd_with("/spec/group", json!("example")),
            "spec.group",
            "at least one dot",
        );
        assert_has(
            &crd_with("/spec/group", json!("Kubeforge.test")),
            "spec.group",
            "DNS-1123",
        );
    }

    #[test]
    fn crd_scope() {
        assert_has(
            &crd_with("/spec/scope", json!("Global")),
            "spec.scope",
            "Namespaced or Cluster",
        );
        let mut crd = valid_crd();
        *at(&mut crd, "/spec/scope") = json!("Cluster");
        assert_clean(&check_crd(&crd));
    }

    #[test]
    fn crd_names() {
        assert_has(
            &crd_with("/spec/names/plural", json!("")),
            "spec.names.plural",
            "required",
        );
        assert_has(
            &crd_with("/spec/names/plural", json!("Widgets")),
            "spec.names.plural",
            "DNS-1035",
        );
        assert_has(
            &crd_with("/spec/names/kind", json!(null)),
            "spec.names.kind",
            "required",
        );
        assert_has(
            &crd_with("/spec/names/kind", json!("Wid_get")),
            "spec.names.kind",
            "DNS-1035",
        );
        assert_has(
            &crd_with("/spec/names/listKind", json!("Widget")),
            "spec.names.listKind",
            "may not be the same",
        );
        assert_has(
            &crd_with("/spec/names/singular", json!("Widget")),
            "spec.names.singular",
            "DNS-1035",
        );
        assert_has(
            &crd_with("/spec/names/shortNames", json!(["ok", "No"])),
            "spec.names.shortNames[1]",
            "DNS-1035",
        );
        // singular and listKind are defaulted by the v1 API.
        let mut crd = valid_crd();
        let names = at(&mut crd, "/spec/names");
        *names = json!({"plural": "widgets", "kind": "Widget"});
        assert_clean(&check_crd(&crd));
    }

    #[test]
    fn crd_metadata_name() {
        assert_has(
            &crd_with("/metadata/name", json!("widget.kubeforge.test")),
            "metadata.name",
            "widgets.kubeforge.test",
        );
        assert_has(
            &crd_with("/metadata", json!({})),
            "metadata.name",
            "required",
        );
    }

    #[test]
    fn crd_versions_required() {
        assert_has(
            &crd_with("/spec/versions", json!([])),
            "spec.versions",
            "at least one version",
        );
        assert_has(
            &crd_with("/spec/versions", json!(null)),
            "spec.versions",
            "required",
        );
    }

    #[test]
    fn crd_version_names() {
        assert_has(
            &crd_with("/spec/versions/0/name", json!("V1")),
            "spec.versions[V1].name",
            "DNS-1035",
        );
        let mut crd = valid_crd();
        let first = at(&mut crd, "/spec/versions/0").clone();
        let mut second = first.clone();
        second["storage"] = json!(false);
        *at(&mut crd, "/spec/versions") = json!([first, second]);
        assert_has(&check_crd(&crd), "spec.versions[v1].name", "more than once");
    }

    #[test]
    fn crd_storage_and_served() {
        assert_has(
            &crd_with("/spec/versions/0/storage", json!(false)),
            "spec.versions",
            "exactly one version",
        );
        assert_has(
            &crd_with("/spec/versions/0/served", json!(false)),
            "spec.versions",
            "served: true",
        );

        let mut crd = valid_crd();
        let first = at(&mut crd, "/spec/versions/0").clone();
        let mut second = first.clone();
        second["name"] = json!("v2");
        *at(&mut crd, "/spec/versions") = json!([first, second]);
        assert_has(&check_crd(&crd), "spec.versions", "found 2");

        let mut crd = valid_crd();
        let first = at(&mut crd, "/spec/versions/0").clone();
        let mut second = first.clone();
        second["name"] = json!("v2beta1");
        second["storage"] = json!(false);
        *at(&mut crd, "/spec/versions") = json!([first, second]);
        assert_clean(&check_crd(&crd));
    }

    #[test]
    fn crd_every_version_needs_a_schema() {
        let mut crd = valid_crd();
        let first = at(&mut crd, "/spec/versions/0").clone();
        let mut second = first.clone();
        second["name"] = json!("v2");
        second["storage"] = json!(false);
        second.as_object_mut().map(|v| v.remove("schema"));
        *at(&mut crd, "/spec/versions") = json!([first, second]);
        assert_has(
            &check_crd(&crd),
            "spec.versions[v2].schema.openAPIV3Schema",
            "schema is required",
        );
        // A top-level schema covers versions without their own.
        crd["spec"]["validation"] = json!({"openAPIV3Schema": valid_schema()});
        assert_clean(&check_crd(&crd));
    }

    #[test]
    fn crd_schema_violations_carry_version_path() {
        let v = crd_with(
            "/spec/versions/0/schema/openAPIV3Schema/properties/spec/properties/size",
            json!({"type": "object", "additionalProperties": false}),
        );
        assert_has(
            &v,
            "spec.versions[v1].schema.openAPIV3Schema.properties.spec.properties.size",
            "additionalProperties: false",
        );
    }

    #[test]
    fn crd_status_subresource_restricts_root() {
        let mut crd = valid_crd();
        at(&mut crd, "/spec/versions/0/schema/openAPIV3Schema")["anyOf"] =
            json!([{"required": ["spec"]}]);
        assert_has(
            &check_crd(&crd),
            "spec.versions[v1].schema.openAPIV3Schema",
            "status subresource",
        );
        // Without the status subresource the same root is fine.
        crd["spec"]["versions"][0]
            .as_object_mut()
            .map(|v| v.remove("subresources"));
        assert_clean(&check_crd(&crd));
    }

    #[test]
    fn crd_scale_paths() {
        let scale = "/spec/versions/0/subresources/scale";
        let v = crd_with(
            &format!("{scale}/specReplicasPath"),
            json!(".status.replicas"),
        );
        assert_has(
            &v,
            "spec.versions[v1].subresources.scale.specReplicasPath",
            ".spec.",
        );
        let v = crd_with(
            &format!("{scale}/statusReplicasPath"),
            json!("status.replicas"),
        );
        assert_has(
            &v,
            "spec.versions[v1].subresources.scale.statusReplicasPath",
            ".status.",
        );
        let v = crd_with(scale, json!({"statusReplicasPath": ".status.replicas"}));
        assert_has(
            &v,
            "spec.versions[v1].subresources.scale.specReplicasPath",
            "required",
        );
        let v = crd_with(
            &format!("{scale}/labelSelectorPath"),
            json!(".metadata.labels"),
        );
        assert_has(
            &v,
            "spec.versions[v1].subresources.scale.labelSelectorPath",
            ".spec. or .status.",
        );
    }

    #[test]
    fn crd_printer_columns() {
        let p = "spec.versions[v1].additionalPrinterColumns[0]";
        let col = "/spec/versions/0/additionalPrinterColumns/0";
        assert_has(
            &crd_with(&format!("{col}/type"), json!("int")),
            &format!("{p}.type"),
            "must be one of",
        );
        assert_has(
            &crd_with(&format!("{col}/jsonPath"), json!("spec.replicas")),
            &format!("{p}.jsonPath"),
            "starting with `.`",
        );
        assert_has(
            &crd_with(&format!("{col}/name"), json!("")),
            &format!("{p}.name"),
            "required",
        );
        assert_has(
            &crd_with(&format!("{col}/format"), json!("uuid")),
            &format!("{p}.format"),
            "must be one of",
        );
        let ok = json!({"name": "Age", "type": "date", "jsonPath": ".metadata.creationTimestamp", "priority": 1});
        let mut crd = valid_crd();
        *at(&mut crd, col) = ok;
        assert_clean(&check_crd(&crd));
    }

    #[test]
    fn crd_selectable_fields() {
        let p = "spec.versions[v1].selectableFields[0].jsonPath";
        let f = "/spec/versions/0/selectableFields/0/jsonPath";
        assert_has(&crd_with(f, json!("spec.color")), p, "must start with `.`");
        assert_has(&crd_with(f, json!(".metadata.name")), p, "metadata");
        assert_has(
            &crd_with(f, json!(".spec.labels")),
            p,
            "string, boolean or integer",
        );
        assert_has(&crd_with(f, json!(".spec.nope")), p, "does not resolve");
        let many: Vec<Value> = (0..9)
            .map(|i| json!({"jsonPath": format!(".spec.f{i}")}))
            .collect();
        let v = crd_with("/spec/versions/0/selectableFields", json!(many));
        assert_has(&v, "spec.versions[v1].selectableFields", "at most 8");
    }

    #[test]
    fn crd_size_limit() {
        let mut crd = valid_crd();
        let big = "x".repeat(MAX_CRD_BYTES);
        at(&mut crd, "/spec/versions/0/schema/openAPIV3Schema")["description"] = json!(big);
        assert_has(&check_crd(&crd), "", "1.5 MiB");
    }

    #[test]
    fn crd_preserve_unknown_fields_and_conversion() {
        assert_has(
            &crd_with("/spec/preserveUnknownFields", json!(true)),
            "spec.preserveUnknownFields",
            "must be false",
        );
        assert_clean(&crd_with("/spec/preserveUnknownFields", json!(false)));
        let v = crd_with("/spec/conversion", json!({"strategy": "Webhook"}));
        assert_has(&v, "spec.conversion.webhook", "required");
        let v = crd_with(
            "/spec/conversion",
            json!({"strategy": "Webhook", "webhook": {"clientConfig": {"service": {"name": "s", "namespace": "n"}}, "conversionReviewVersions": ["v1"]}}),
        );
        assert_clean(&v);
        let v = crd_with("/spec/conversion", json!({"strategy": "Magic"}));
        assert_has(&v, "spec.conversion.strategy", "None or Webhook");
    }

    #[test]
    fn crd_deprecation_warning() {
        let v = crd_with("/spec/versions/0/deprecationWarning", json!("old"));
        assert_has(
            &v,
            "spec.versions[v1].deprecationWarning",
            "deprecated versions",
        );
        let mut crd = valid_crd();
        crd["spec"]["versions"][0]["deprecated"] = json!(true);
        crd["spec"]["versions"][0]["deprecationWarning"] = json!("use v2");
        assert_clean(&check_crd(&crd));
    }
}
