//! The markers that change a field's type (`int_or_string`, `type`, `schemaless`,
//! `embedded_resource`, `preserve_unknown_fields`) on the Rust types they can sit on, free-form
//! `serde_json::Value` among them: each CRD must pass the structural check the apiserver makes.
//! (Registration is global, so this has its own binary.)

use kubeforge::prelude::*;
use serde_json::Value;

/// Go's hand-written `intstr.IntOrString` fields, ported as free-form values.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
#[kube(
    group = "markers.kubeforge.test",
    version = "v1",
    kind = "Retyped",
    namespaced
)]
#[serde(rename_all = "camelCase")]
pub struct RetypedSpec {
    #[crd(int_or_string)]
    pub port: Option<Value>,
    #[crd(int_or_string)]
    pub target: Value,
    #[crd(int_or_string)]
    pub replicas: Option<String>,
    #[crd(r#type = "string")]
    pub name: Option<Value>,
    #[crd(r#type = "object")]
    pub settings: Option<Value>,
    #[crd(schemaless)]
    pub anything: Option<Value>,
    #[crd(embedded_resource)]
    pub template: Option<Value>,
    #[crd(preserve_unknown_fields)]
    pub extra: Option<std::collections::BTreeMap<String, Value>>,
}

fn property(name: &str) -> Value {
    let crd = kubeforge::crds()
        .expect("every type-changing marker gives a structural schema")
        .into_iter()
        .find(|c| c.spec.names.kind == "Retyped")
        .unwrap();
    let crd = kubeforge::crd_to_value(&crd).unwrap();
    crd["spec"]["versions"][0]["schema"]["openAPIV3Schema"]["properties"]["spec"]["properties"]
        [name]
        .clone()
}

#[test]
fn int_or_string_replaces_a_free_form_schema() {
    for field in ["port", "target", "replicas"] {
        let schema = property(field);
        assert_eq!(
            schema["x-kubernetes-int-or-string"], true,
            "{field}: {schema}"
        );
        let any_of = serde_json::json!([{"type": "integer"}, {"type": "string"}]);
        assert_eq!(schema["anyOf"], any_of, "{field}: {schema}");
        assert!(
            schema.get("x-kubernetes-preserve-unknown-fields").is_none(),
            "{field}: {schema}"
        );
        assert!(schema.get("type").is_none(), "{field}: {schema}");
    }
}

#[test]
fn type_keeps_unknown_fields_only_on_objects() {
    let name = property("name");
    assert_eq!(name["type"], "string", "{name}");
    assert!(
        name.get("x-kubernetes-preserve-unknown-fields").is_none(),
        "{name}"
    );
    let settings = property("settings");
    assert_eq!(settings["type"], "object", "{settings}");
    let anything = property("anything");
    assert!(anything.get("type").is_none(), "{anything}");
    let template = property("template");
    assert_eq!(
        template["x-kubernetes-embedded-resource"], true,
        "{template}"
    );
    let extra = property("extra");
    assert_eq!(
        extra["x-kubernetes-preserve-unknown-fields"], true,
        "{extra}"
    );
}
