//! `#[webhook(mutating = .., configuration_name = "..")]`, controller-gen's
//! `+kubebuilder:webhookconfiguration:mutating=true,name=...`: the named configuration gets
//! the name, the other keeps controller-gen's default. A test binary of its own, because the
//! name applies to every webhook linked in.
#![cfg(feature = "webhook")]
#![allow(dead_code)]

use kubeforge::webhook;
use pretty_assertions::assert_eq;

#[webhook(mutating = true, configuration_name = "memcached-mutating")]
mod names {}

#[webhook(
    path = "/mutate-cache-example-com-v1-memcached",
    mutating = true,
    failure_policy = "fail",
    side_effects = "None",
    groups = "cache.example.com",
    resources = "memcacheds",
    verbs = "create;update",
    versions = "v1",
    name = "mmemcached-v1.kb.io",
    admission_review_versions = "v1",
    // controller-gen's default and only version: accepted, changes nothing.
    webhook_versions = "v1"
)]
pub struct MemcachedDefaulter;

#[webhook(
    path = "/validate-cache-example-com-v1-memcached",
    mutating = false,
    failure_policy = "fail",
    side_effects = "None",
    groups = "cache.example.com",
    resources = "memcacheds",
    verbs = "create;update",
    versions = "v1",
    name = "vmemcached-v1.kb.io",
    admission_review_versions = "v1"
)]
pub struct MemcachedValidator;

#[test]
fn the_named_configuration_gets_its_name_and_the_other_the_default() {
    let names: Vec<(String, String)> = kubeforge::webhook_manifests()
        .iter()
        .map(|c| {
            (
                c["kind"].as_str().unwrap().to_owned(),
                c["metadata"]["name"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        names,
        [
            (
                "MutatingWebhookConfiguration".to_owned(),
                "memcached-mutating".to_owned()
            ),
            (
                "ValidatingWebhookConfiguration".to_owned(),
                webhook::DEFAULT_VALIDATING_CONFIGURATION.to_owned()
            ),
        ]
    );
    let yaml = kubeforge::webhook_yaml().unwrap();
    assert!(yaml.contains("  name: memcached-mutating\n"), "{yaml}");
    assert!(
        !yaml.contains(webhook::DEFAULT_MUTATING_CONFIGURATION),
        "{yaml}"
    );
}
