//! operator-sdk conformance: the `memcached-operator` sample (go/v4 layout) that operator-sdk
//! commits as test data.
//!
//! Its `cache.example.com` `Memcached` has the same group and kind as the kubebuilder book's, with
//! a different schema. `kubeforge::crds()` collects every API type linked into the binary, so the
//! types live here and this test binary does not link the `conformance` library.

mod common;

use common::assert_matches_fixture;

/// Go package `api/v1alpha1` of `testdata/go/v4/memcached-operator`.
mod v1alpha1 {
    use kubeforge::prelude::*;
    use kubeforge::types::Condition;

    // EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!

    /// MemcachedSpec defines the desired state of Memcached
    ///
    /// +kubebuilder:subresource:status
    /// +operator-sdk:csv:customresourcedefinitions:resources={{Deployment,v1,memcached-deployment}}
    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
    #[kube(
        group = "cache.example.com",
        version = "v1alpha1",
        kind = "Memcached",
        namespaced,
        status = "MemcachedStatus",
        doc = "Memcached is the Schema for the memcacheds API"
    )]
    // Go: `Spec MemcachedSpec `json:"spec,omitempty"`` with no doc of its own.
    #[crd(spec_optional)]
    #[serde(rename_all = "camelCase")]
    pub struct MemcachedSpec {
        // INSERT ADDITIONAL SPEC FIELDS - desired state of cluster

        // The following markers will use OpenAPI v3 schema to validate the value
        // (a separate comment block in Go, so not part of the description).
        /// Size defines the number of Memcached instances
        /// +operator-sdk:csv:customresourcedefinitions:type=spec
        #[crd(minimum = 1, maximum = 3, exclusive_maximum = false)]
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub size: Option<i32>,

        /// Port defines the port that will be used to init the container with the image
        /// +operator-sdk:csv:customresourcedefinitions:type=spec
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub container_port: Option<i32>,
    }

    /// MemcachedStatus defines the observed state of Memcached
    #[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct MemcachedStatus {
        // Represents the observations of a Memcached's current state.
        // Memcached.status.conditions.type are: "Available", "Progressing", and "Degraded"
        // Memcached.status.conditions.status are one of True, False, Unknown.
        /// Conditions store the status conditions of the Memcached instances
        /// +operator-sdk:csv:customresourcedefinitions:type=status
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub conditions: Vec<Condition>,
    }
}

#[test]
fn memcached_operator_memcacheds() {
    // Keep the types linked (and used) in this binary.
    let _ = v1alpha1::Memcached::new("sample", v1alpha1::MemcachedSpec::default());
    assert_matches_fixture(
        "operator-sdk/testdata/go/v4/memcached-operator/config/crd/bases/cache.example.com_memcacheds.yaml",
        &[],
    );
}
