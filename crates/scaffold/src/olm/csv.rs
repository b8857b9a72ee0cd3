//! The ClusterServiceVersion: the base CSV that `generate kustomize manifests` writes and keeps
//! (config/manifests/bases/<package>.clusterserviceversion.yaml), and its owned-CRD entries.

use std::cmp::Ordering;

use serde_json::{Map, Value, json};

use super::descriptors::{ApiKind, Descriptor, display_name};

/// The base CSV operator-sdk writes for a new project, with `owned` as its owned CRDs.
pub fn base(package: &str, owned: Vec<Value>) -> Value {
    let display = display_name(package);
    json!({
        "apiVersion": "operators.coreos.com/v1alpha1",
        "kind": "ClusterServiceVersion",
        "metadata": {
            "annotations": {"alm-examples": "[]", "capabilities": "Basic Install"},
            "name": format!("{package}.v0.0.0"),
            "namespace": "placeholder",
        },
        "spec": {
            "apiservicedefinitions": {},
            "customresourcedefinitions": {"owned": owned},
            "description": format!("{display} description. TODO."),
            "displayName": display,
            "icon": [{"base64data": "", "mediatype": ""}],
            "install": {"spec": {"deployments": null}, "strategy": ""},
            "installModes": [
                {"supported": false, "type": "OwnNamespace"},
                {"supported": false, "type": "SingleNamespace"},
                {"supported": false, "type": "MultiNamespace"},
                {"supported": true, "type": "AllNamespaces"},
            ],
            "keywords": [package],
            "links": [{"name": display, "url": format!("https://{package}.domain")}],
            "maintainers": [{"email": "your@email.com", "name": "Maintainer Name"}],
            "maturity": "alpha",
            "provider": {"name": "Provider Name", "url": "https://your.domain"},
            "version": "0.0.0",
        },
    })
}

/// The owned-CRD entries of the API kinds, sorted as operator-sdk sorts them.
pub fn owned(kinds: &[ApiKind]) -> Vec<Value> {
    let mut out: Vec<Value> = kinds.iter().map(owned_entry).collect();
    sort_owned(&mut out);
    out
}

fn owned_entry(k: &ApiKind) -> Value {
    let plural = k
        .plural
        .clone()
        .unwrap_or_else(|| crate::names::pluralize(&k.kind.to_lowercase()));
    let mut e = Map::new();
    if let Some(d) = k.description.clone().or_else(|| k.doc.clone()) {
        e.insert("description".into(), d.into());
    }
    e.insert(
        "displayName".into(),
        k.display_name
            .clone()
            .unwrap_or_else(|| display_name(&k.kind))
            .into(),
    );
    e.insert("kind".into(), k.kind.clone().into());
    e.insert("name".into(), format!("{plural}.{}", k.group).into());
    if !k.resources.is_empty() {
        let rs: Vec<Value> = k
            .resources
            .iter()
            .map(|r| json!({"kind": r.kind, "name": r.name, "version": r.version}))
            .collect();
        e.insert("resources".into(), rs.into());
    }
    if !k.spec_descriptors.is_empty() {
        e.insert("specDescriptors".into(), descriptors(&k.spec_descriptors));
    }
    if !k.status_descriptors.is_empty() {
        e.insert(
            "statusDescriptors".into(),
            descriptors(&k.status_descriptors),
        );
    }
    e.insert("version".into(), k.version.clone().into());
    Value::Object(e)
}

fn descriptors(ds: &[Descriptor]) -> Value {
    ds.iter()
        .map(|d| {
            let mut m = Map::new();
            if let Some(desc) = &d.description {
                m.insert("description".into(), desc.clone().into());
            }
            m.insert("displayName".into(), d.display_name.clone().into());
            m.insert("path".into(), d.path.clone().into());
            if !d.x_descriptors.is_empty() {
                m.insert("x-descriptors".into(), json!(d.x_descriptors));
            }
            Value::Object(m)
        })
        .collect()
}

/// `existing` (a base CSV the user may have edited) with its owned CRDs refreshed from the
/// code: descriptors and resources come from the code; `displayName` and `description` too when
/// the code states them (`#[csv(display_name)]`, `#[kube(doc)]`), else the user's stay; other
/// keys of an entry (e.g. `actionDescriptors` added by hand) and every other field of the CSV
/// are kept as the user left them. Entries of kinds no longer in the code are dropped.
pub fn merge_base(mut existing: Value, kinds: &[ApiKind]) -> Value {
    let old: Vec<Value> = existing
        .pointer("/spec/customresourcedefinitions/owned")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut merged: Vec<Value> = kinds
        .iter()
        .map(|kind| {
            let fresh = owned_entry(kind);
            let Some(mut entry) = old.iter().find(|o| same_key(o, &fresh)).cloned() else {
                return fresh;
            };
            if let (Some(e), Some(f)) = (entry.as_object_mut(), fresh.as_object()) {
                let explicit = [
                    ("displayName", kind.display_name.is_some()),
                    (
                        "description",
                        kind.description.is_some() || kind.doc.is_some(),
                    ),
                ];
                for (key, stated) in explicit {
                    if (stated || !e.contains_key(key))
                        && let Some(v) = f.get(key)
                    {
                        e.insert(key.to_owned(), v.clone());
                    }
                }
                for key in ["resources", "specDescriptors", "statusDescriptors"] {
                    match f.get(key) {
                        Some(v) => e.insert(key.to_owned(), v.clone()),
                        None => e.remove(key),
                    };
                }
            }
            entry
        })
        .collect();
    sort_owned(&mut merged);
    let spec = existing
        .as_object_mut()
        .map(|o| o.entry("spec").or_insert_with(|| json!({})));
    if let Some(Value::Object(spec)) = spec {
        let crds = spec
            .entry("customresourcedefinitions")
            .or_insert_with(|| json!({}));
        if let Value::Object(crds) = crds {
            crds.insert("owned".into(), Value::Array(merged));
        }
    }
    existing
}

pub fn same_key(a: &Value, b: &Value) -> bool {
    ["name", "version", "kind"]
        .iter()
        .all(|k| a.get(*k) == b.get(*k))
}

/// By name, then kind, then version newest first (Kubernetes version order), as operator-sdk.
pub fn sort_owned(entries: &mut [Value]) {
    let s = |v: &Value, k: &str| v.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
    entries.sort_by(|a, b| {
        s(a, "name")
            .cmp(&s(b, "name"))
            .then_with(|| s(a, "kind").cmp(&s(b, "kind")))
            .then_with(|| kube_version_cmp(&s(b, "version"), &s(a, "version")))
    });
}

/// Kubernetes' version priority: GA > beta > alpha, then by numbers; other strings last, by name.
pub fn kube_version_cmp(a: &str, b: &str) -> Ordering {
    fn parse(v: &str) -> Option<(u64, u8, u64)> {
        let rest = v.strip_prefix('v')?;
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        let major: u64 = digits.parse().ok()?;
        let tail = &rest[digits.len()..];
        if tail.is_empty() {
            return Some((major, 2, 0));
        }
        for (word, rank) in [("beta", 1u8), ("alpha", 0u8)] {
            if let Some(n) = tail.strip_prefix(word) {
                return Some((major, rank, n.parse().ok()?));
            }
        }
        None
    }
    match (parse(a), parse(b)) {
        (Some((ma, ra, na)), Some((mb, rb, nb))) => ra.cmp(&rb).then(ma.cmp(&mb)).then(na.cmp(&nb)),
        (Some(_), None) => Ordering::Greater,
        (None, Some(_)) => Ordering::Less,
        (None, None) => b.cmp(a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_order_like_kubernetes() {
        let mut v = vec!["v1alpha1", "v2", "v1", "v1beta2", "v1beta1", "foo"];
        v.sort_by(|a, b| kube_version_cmp(b, a));
        assert_eq!(v, ["v2", "v1", "v1beta2", "v1beta1", "v1alpha1", "foo"]);
    }

    #[test]
    fn merge_keeps_user_fields_and_refreshes_descriptors() {
        let kind = ApiKind {
            group: "x.io".into(),
            version: "v1".into(),
            kind: "A".into(),
            plural: Some("as".into()),
            spec_descriptors: vec![Descriptor {
                path: "new".into(),
                display_name: "New".into(),
                ..Descriptor::default()
            }],
            ..ApiKind::default()
        };
        let mut user = base(
            "demo",
            vec![
                json!({"kind": "A", "name": "as.x.io", "version": "v1", "displayName": "Mine", "actionDescriptors": [1], "specDescriptors": [{"path": "old"}]}),
            ],
        );
        user["spec"]["description"] = json!("My operator");
        let merged = merge_base(user, &[kind]);
        assert_eq!(merged["spec"]["description"], "My operator");
        let e = &merged["spec"]["customresourcedefinitions"]["owned"][0];
        assert_eq!(e["displayName"], "Mine");
        assert_eq!(e["actionDescriptors"], json!([1]));
        assert_eq!(
            e["specDescriptors"],
            json!([{"displayName": "New", "path": "new"}])
        );
    }
}
