//! Several versions of one kind merge into one CRD, with the version markers written where
//! controller-gen writes them.

use kubeforge::prelude::*;
use pretty_assertions::assert_eq;
use serde_json::{Value, json};

const GROUP: &str = "versions.kubeforge.test";

pub mod v1alpha1 {
    use kubeforge::prelude::*;

    /// Multi is a kind with several versions.
    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "versions.kubeforge.test",
        version = "v1alpha1",
        kind = "Multi",
        namespaced,
        shortname = "mu"
    )]
    #[crd(unserved)]
    pub struct MultiSpec {
        pub size: i32,
    }
}

pub mod v1beta1 {
    use kubeforge::prelude::*;

    /// Multi is a kind with several versions.
    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "versions.kubeforge.test",
        version = "v1beta1",
        kind = "Multi",
        namespaced,
        shortname = "mu"
    )]
    #[crd(deprecated(warning = "versions.kubeforge.test/v1beta1 Multi is deprecated; use v1"))]
    pub struct MultiSpec {
        pub size: i32,
        pub color: Option<String>,
    }
}

pub mod v1beta2 {
    use kubeforge::prelude::*;

    /// Multi is a kind with several versions.
    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "versions.kubeforge.test",
        version = "v1beta2",
        kind = "Multi",
        namespaced,
        shortname = "mu"
    )]
    #[crd(deprecated)]
    pub struct MultiSpec {
        pub replicas: i32,
    }
}

pub mod v1 {
    use kubeforge::prelude::*;

    /// Multi is a kind with several versions.
    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "versions.kubeforge.test",
        version = "v1",
        kind = "Multi",
        namespaced,
        shortname = "mu",
        status = "MultiStatus"
    )]
    #[crd(
        storage_version,
        printcolumn(name = "Replicas", type = "integer", json_path = ".spec.replicas"),
        printcolumn(name = "Color", type = "string", json_path = ".spec.color", description = "The color", priority = 1),
        printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp"),
        selectable_field(json_path = ".spec.color"),
        categories = ["all", "shapes"],
        scale(spec_path = ".spec.replicas", status_path = ".status.replicas", selector_path = ".status.selector"),
        metadata(annotations = ["example.com/owner=team-a"], labels = ["app.kubernetes.io/part-of=kubeforge"])
    )]
    #[serde(rename_all = "camelCase")]
    pub struct MultiSpec {
        pub replicas: i32,
        pub color: String,
    }

    /// MultiStatus is the observed state.
    #[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
    pub struct MultiStatus {
        pub replicas: i32,
        pub selector: Option<String>,
    }
}

pub mod v2alpha1 {
    use kubeforge::prelude::*;

    /// Multi is a kind with several versions.
    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "versions.kubeforge.test",
        version = "v2alpha1",
        kind = "Multi",
        namespaced,
        shortname = "mu",
        served = false,
        deprecated = "v2alpha1 was a mistake"
    )]
    pub struct MultiSpec {
        pub replicas: i64,
    }
}

/// Single has one version and no `storage_version`: it is the storage version.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
#[kube(
    group = "versions.kubeforge.test",
    version = "v1beta1",
    kind = "Single"
)]
pub struct SingleSpec {
    pub name: String,
}

fn crds() -> Vec<Value> {
    let crds = kubeforge::crds().expect("kubeforge::crds()");
    crds.iter()
        .map(|c| kubeforge::crd_to_value(c).expect("crd_to_value"))
        .collect()
}

fn crd(kind: &str) -> Value {
    let matching: Vec<Value> = crds()
        .into_iter()
        .filter(|c| c["spec"]["group"] == GROUP && c["spec"]["names"]["kind"] == kind)
        .collect();
    assert_eq!(matching.len(), 1, "one CRD for {kind}");
    matching.into_iter().next().expect("one CRD")
}

/// A version entry without its schema.
fn version_without_schema(crd: &Value, name: &str) -> Value {
    let mut v = crd["spec"]["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .find(|v| v["name"] == name)
        .unwrap_or_else(|| panic!("no version {name}"))
        .clone();
    v.as_object_mut().expect("object").remove("schema");
    v
}

#[test]
fn every_crd_is_structural() {
    for crd in crds() {
        let violations = kubeforge::structural::check_crd(&crd);
        assert!(
            violations.is_empty(),
            "{}: {violations:?}",
            crd["metadata"]["name"]
        );
    }
}

#[test]
fn versions_merge_into_one_sorted_crd_with_one_storage_version() {
    let crd = crd("Multi");
    assert_eq!(crd["metadata"]["name"], "multis.versions.kubeforge.test");
    let versions = crd["spec"]["versions"].as_array().expect("versions");
    let names: Vec<&str> = versions.iter().filter_map(|v| v["name"].as_str()).collect();
    // controller-gen sorts versions by name.
    assert_eq!(names, ["v1", "v1alpha1", "v1beta1", "v1beta2", "v2alpha1"]);
    let storage: Vec<&str> = versions
        .iter()
        .filter(|v| v["storage"] == true)
        .filter_map(|v| v["name"].as_str())
        .collect();
    assert_eq!(storage, ["v1"]);
    for v in versions {
        assert!(v["storage"].is_boolean() && v["served"].is_boolean(), "{v}");
    }
    // Each version keeps its own schema.
    let spec_of = |name: &str| {
        let v = versions
            .iter()
            .find(|v| v["name"] == name)
            .expect("version");
        v["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"].clone()
    };
    assert_eq!(
        spec_of("v1alpha1"),
        json!({ "size": { "type": "integer", "format": "int32" } })
    );
    assert_eq!(
        spec_of("v2alpha1"),
        json!({ "replicas": { "type": "integer", "format": "int64" } })
    );
    assert_eq!(
        spec_of("v1"),
        json!({ "replicas": { "type": "integer", "format": "int32" }, "color": { "type": "string" } })
    );
    let v1 = versions.iter().find(|v| v["name"] == "v1").expect("v1");
    assert_eq!(
        v1["schema"]["openAPIV3Schema"]["properties"]["status"],
        json!({
            "description": "MultiStatus is the observed state.",
            "type": "object",
            "properties": {
                "replicas": { "type": "integer", "format": "int32" },
                "selector": { "type": "string" },
            },
            "required": ["replicas"],
        })
    );
}

#[test]
fn storage_version_with_columns_selectable_fields_and_scale() {
    let crd = crd("Multi");
    assert_eq!(
        version_without_schema(&crd, "v1"),
        json!({
            "name": "v1",
            "served": true,
            "storage": true,
            "additionalPrinterColumns": [
                { "jsonPath": ".spec.replicas", "name": "Replicas", "type": "integer" },
                { "description": "The color", "jsonPath": ".spec.color", "name": "Color", "priority": 1, "type": "string" },
                { "jsonPath": ".metadata.creationTimestamp", "name": "Age", "type": "date" },
            ],
            "selectableFields": [{ "jsonPath": ".spec.color" }],
            "subresources": {
                "scale": {
                    "labelSelectorPath": ".status.selector",
                    "specReplicasPath": ".spec.replicas",
                    "statusReplicasPath": ".status.replicas",
                },
                "status": {},
            },
        })
    );
}

#[test]
fn unserved_and_deprecated_versions() {
    let crd = crd("Multi");
    assert_eq!(
        version_without_schema(&crd, "v1alpha1"),
        json!({ "name": "v1alpha1", "served": false, "storage": false })
    );
    assert_eq!(
        version_without_schema(&crd, "v1beta1"),
        json!({
            "name": "v1beta1",
            "served": true,
            "storage": false,
            "deprecated": true,
            "deprecationWarning": "versions.kubeforge.test/v1beta1 Multi is deprecated; use v1",
        })
    );
    assert_eq!(
        version_without_schema(&crd, "v1beta2"),
        json!({ "name": "v1beta2", "served": true, "storage": false, "deprecated": true })
    );
    // kube's own `served = false` and `deprecated = "..."` are honoured too.
    assert_eq!(
        version_without_schema(&crd, "v2alpha1"),
        json!({
            "name": "v2alpha1",
            "served": false,
            "storage": false,
            "deprecated": true,
            "deprecationWarning": "v2alpha1 was a mistake",
        })
    );
}

#[test]
fn names_categories_and_metadata() {
    let crd = crd("Multi");
    assert_eq!(
        crd["spec"]["names"],
        json!({
            "categories": ["all", "shapes"],
            "kind": "Multi",
            "listKind": "MultiList",
            "plural": "multis",
            "shortNames": ["mu"],
            "singular": "multi",
        })
    );
    assert_eq!(crd["spec"]["scope"], "Namespaced");
    assert_eq!(crd["spec"]["group"], GROUP);
    let annotations = crd["metadata"]["annotations"]
        .as_object()
        .expect("annotations");
    assert_eq!(annotations.get("example.com/owner"), Some(&json!("team-a")));
    assert!(annotations.contains_key(kubeforge::VERSION_ANNOTATION));
    assert_eq!(
        crd["metadata"]["labels"],
        json!({ "app.kubernetes.io/part-of": "kubeforge" })
    );
}

#[test]
fn a_single_version_is_the_storage_version() {
    let crd = crd("Single");
    assert_eq!(crd["spec"]["scope"], "Cluster");
    assert_eq!(
        version_without_schema(&crd, "v1beta1"),
        json!({ "name": "v1beta1", "served": true, "storage": true })
    );
    assert!(crd["spec"]["names"].get("categories").is_none());
    assert!(crd["metadata"].get("labels").is_none());
}
