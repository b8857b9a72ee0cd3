//! CEL rules written on Rust types are compiled against the generated schema: a rule naming a
//! field the schema lacks fails `kubeforge::crds()` with the schema path, the rule and the
//! column, while rules over fields of nested types (which the derive of the outer type never
//! sees) are accepted. (Registration is global, so this has its own binary.)

pub mod nested {
    use kubeforge::prelude::*;

    /// Lives apart from the spec that uses it, as a type from another crate would.
    #[derive(CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[serde(rename_all = "camelCase")]
    #[crd(validation(rule = "self.maxSize >= 0"))]
    pub struct Limits {
        pub max_size: i32,
    }
}

pub mod good {
    use kubeforge::prelude::*;

    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "cel.kubeforge.test",
        version = "v1",
        kind = "Widget",
        namespaced
    )]
    #[serde(rename_all = "camelCase")]
    #[crd(
        storage_version,
        validation(
            rule = "self.replicas <= self.limits.maxSize",
            message_expression = "'replicas must not pass ' + string(self.limits.maxSize)"
        )
    )]
    pub struct WidgetSpec {
        pub replicas: i32,
        pub limits: super::nested::Limits,
        /// +kubebuilder:validation:XValidation:rule="self.all(p, p.size() > 0)",message="ports are named"
        pub ports: Vec<String>,
    }
}

pub mod bad {
    use kubeforge::prelude::*;

    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "cel.kubeforge.test",
        version = "v1",
        kind = "Gadget",
        namespaced
    )]
    #[serde(rename_all = "camelCase")]
    #[crd(storage_version, validation(rule = "self.replicas > 0"))]
    pub struct GadgetSpec {
        pub size: i32,
        #[crd(validation(rule = "self.maxSize > self.minSize"))]
        pub limits: super::nested::Limits,
    }
}

#[test]
fn a_rule_naming_a_missing_field_fails_its_crd_only() {
    let (crds, failed) = kubeforge::crds_per_kind(&kubeforge::GenerateOptions::default());
    assert_eq!(
        crds.iter()
            .map(|c| c.spec.names.kind.as_str())
            .collect::<Vec<_>>(),
        ["Widget"]
    );
    assert_eq!(failed.len(), 1, "{failed:?}");
    let message = failed[0].to_string();
    let spec = "spec.versions[v1].schema.openAPIV3Schema.properties.spec";
    for expected in [
        format!(r#"{spec}: rule "self.replicas > 0": no such field "replicas" at column 6"#),
        format!(
            r#"{spec}.properties.limits: rule "self.maxSize > self.minSize": no such field "minSize" at column 21"#
        ),
    ] {
        assert!(message.contains(&expected), "{message}");
    }
    assert!(
        message.starts_with("CRD gadgets.cel.kubeforge.test"),
        "{message}"
    );
}

#[test]
fn crds_fails_naming_the_rule() {
    let error = kubeforge::crds().expect_err("Gadget has a bad rule");
    assert!(
        error
            .to_string()
            .contains(r#"rule "self.replicas > 0": no such field "replicas""#),
        "{error}"
    );
}
