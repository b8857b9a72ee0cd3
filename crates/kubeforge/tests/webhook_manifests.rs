//! Golden test: kubebuilder's `testdata/project-v4` webhook markers, re-expressed as
//! `#[webhook(...)]` attributes, give the `config/webhook/manifests.yaml` controller-gen
//! wrote for them (`tests/fixtures/kubebuilder/testdata/project-v4/config/webhook/manifests.yaml`,
//! see the README there).
//!
//! Upstream, each kind's markers sit in `internal/webhook/v1/<kind>_webhook.go` above its
//! `CustomDefaulter`/`CustomValidator` structs. Here they sit on the same structs, on an impl
//! and on a function, which must not matter. Sailor and Admiral use custom paths
//! (kubebuilder's `--defaulting-path`/`--validation-path`); Pod and Deployment are core and
//! apps types; Issuer is cert-manager's; FirstMate has only a conversion webhook and so no
//! marker.
#![cfg(feature = "webhook")]
// The marked types only carry markers.
#![allow(dead_code)]

use pretty_assertions::assert_eq;

const FIXTURE: &str =
    include_str!("fixtures/kubebuilder/testdata/project-v4/config/webhook/manifests.yaml");

mod admiral {
    use kubeforge::webhook;

    #[webhook(
        path = "/mutate-crew-testproject-org-v1-admiral",
        mutating = true,
        failure_policy = "fail",
        side_effects = "None",
        groups = "crew.testproject.org",
        resources = "admirales",
        verbs = "create;update",
        versions = "v1",
        name = "madmiral-v1.kb.io",
        admission_review_versions = "v1"
    )]
    pub struct AdmiralCustomDefaulter;

    // A custom validation path.
    #[webhook(
        path = "/custom-validate-admiral",
        mutating = false,
        failure_policy = "fail",
        side_effects = "None",
        groups = "crew.testproject.org",
        resources = "admirales",
        verbs = "create;update",
        versions = "v1",
        name = "vadmiral-v1.kb.io",
        admission_review_versions = "v1"
    )]
    pub struct AdmiralCustomValidator;
}

mod captain {
    use kubeforge::webhook;

    pub struct CaptainCustomDefaulter;

    // On the impl rather than the struct.
    #[webhook(
        path = "/mutate-crew-testproject-org-v1-captain",
        mutating = true,
        failure_policy = "fail",
        side_effects = "None",
        groups = "crew.testproject.org",
        resources = "captains",
        verbs = "create;update",
        versions = "v1",
        name = "mcaptain-v1.kb.io",
        admission_review_versions = "v1"
    )]
    impl CaptainCustomDefaulter {}

    #[webhook(
        path = "/validate-crew-testproject-org-v1-captain",
        mutating = false,
        failure_policy = "fail",
        side_effects = "None",
        groups = "crew.testproject.org",
        resources = "captains",
        verbs = "create;update",
        versions = "v1",
        name = "vcaptain-v1.kb.io",
        admission_review_versions = "v1"
    )]
    pub struct CaptainCustomValidator;
}

mod deployment {
    use k8s_openapi::api::apps::v1::Deployment;
    // Imports the attribute and the module.
    use kubeforge::webhook;
    use kubeforge::webhook::{CustomDefaulter, CustomValidator, Denied, Warnings};

    // controller-gen's spellings of values: `Fail` instead of `fail`, verbs in capitals.
    #[webhook(
        path = "/mutate-apps-v1-deployment",
        mutating = true,
        failure_policy = "Fail",
        side_effects = "None",
        groups = "apps",
        resources = "deployments",
        verbs = "CREATE;UPDATE",
        versions = "v1",
        name = "mdeployment-v1.kb.io",
        admission_review_versions = "v1"
    )]
    pub struct DeploymentCustomDefaulter;

    impl CustomDefaulter<Deployment> for DeploymentCustomDefaulter {
        async fn default(&self, _obj: &mut Deployment) -> Result<(), Denied> {
            Ok(())
        }
    }

    // Lists as arrays.
    #[webhook(
        path = "/validate-apps-v1-deployment",
        mutating = false,
        failure_policy = "fail",
        side_effects = "None",
        groups = ["apps"],
        resources = ["deployments"],
        verbs = ["create", "update"],
        versions = ["v1"],
        name = "vdeployment-v1.kb.io",
        admission_review_versions = ["v1"]
    )]
    pub struct DeploymentCustomValidator;

    impl CustomValidator<Deployment> for DeploymentCustomValidator {
        async fn validate_create(&self, _obj: &Deployment) -> Result<Warnings, Denied> {
            Ok(Warnings::new())
        }
        async fn validate_update(
            &self,
            _old: &Deployment,
            _new: &Deployment,
        ) -> Result<Warnings, Denied> {
            Ok(Warnings::new())
        }
    }

    /// The markers' paths are the ones the server derives from the type.
    pub fn paths() -> (String, String) {
        (
            webhook::mutate_path::<Deployment>(),
            webhook::validate_path::<Deployment>(),
        )
    }
}

mod issuer {
    use kubeforge::webhook;

    // On a function.
    #[webhook(
        path = "/mutate-cert-manager-io-v1-issuer",
        mutating = true,
        failure_policy = "fail",
        side_effects = "None",
        groups = "cert-manager.io",
        resources = "issuers",
        verbs = "create;update",
        versions = "v1",
        name = "missuer-v1.kb.io",
        admission_review_versions = "v1"
    )]
    pub fn setup_issuer_webhook() {}
}

mod pod {
    use kubeforge::webhook;

    // `core` is written `""`, as controller-gen does (upstream writes `groups=""`).
    #[webhook(
        path = "/mutate--v1-pod",
        mutating = true,
        failure_policy = "fail",
        side_effects = "None",
        groups = "core",
        resources = "pods",
        verbs = "create;update",
        versions = "v1",
        name = "mpod-v1.kb.io",
        admission_review_versions = "v1"
    )]
    pub struct PodCustomDefaulter;
}

mod sailor {
    use kubeforge::webhook;

    // Both paths custom; both markers on one struct.
    #[webhook(
        path = "/custom-mutate-sailor",
        mutating = true,
        failure_policy = "fail",
        side_effects = "None",
        groups = "crew.testproject.org",
        resources = "sailors",
        verbs = "create;update",
        versions = "v1",
        name = "msailor-v1.kb.io",
        admission_review_versions = "v1"
    )]
    #[webhook(
        path = "/custom-validate-sailor",
        mutating = false,
        failure_policy = "fail",
        side_effects = "None",
        groups = "crew.testproject.org",
        resources = "sailors",
        verbs = "create;update",
        versions = "v1",
        name = "vsailor-v1.kb.io",
        admission_review_versions = "v1"
    )]
    pub struct SailorWebhooks;
}

#[test]
fn project_v4_manifests_match_controller_gen() {
    assert_eq!(kubeforge::webhook_yaml().unwrap(), FIXTURE);
}

#[test]
fn manifests_as_values() {
    let manifests = kubeforge::webhook_manifests();
    let parsed = kubeforge::yaml::from_str_multi(FIXTURE).unwrap();
    assert_eq!(manifests, parsed);
    // Webhooks are sorted by name within each configuration, whatever the source order.
    let names: Vec<&str> = manifests[0]["webhooks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["name"].as_str().unwrap())
        .collect();
    let mut sorted = names.clone();
    sorted.sort_unstable();
    assert_eq!(names, sorted);
}

#[test]
fn kubebuilder_paths() {
    assert_eq!(
        deployment::paths(),
        (
            "/mutate-apps-v1-deployment".to_owned(),
            "/validate-apps-v1-deployment".to_owned()
        )
    );
    assert_eq!(
        kubeforge::webhook::mutate_path::<k8s_openapi::api::core::v1::Pod>(),
        "/mutate--v1-pod"
    );
}

#[test]
fn write_webhooks_writes_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config/webhook/manifests.yaml");
    assert!(kubeforge::write_webhooks(&path).unwrap());
    assert_eq!(std::fs::read_to_string(&path).unwrap(), FIXTURE);
}
