//! The registry of CRD versions. `#[derive(CrdSchema)]` on a struct carrying `#[kube(...)]`
//! submits one [`VersionRegistration`]; there is no registration step to forget. A crate's
//! registrations are seen by any binary that links the crate (`use my_api as _;` is enough).

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use schemars::SchemaGenerator;
use serde_json::Value;

/// One CRD version, as the derive registers it. Not meant to be written by hand.
pub struct VersionRegistration {
    /// `module::SpecType`, for error messages.
    pub source: &'static str,
    /// kube's `CustomResourceExt::crd` for the root type: names, scope, subresources, columns.
    pub crd: fn() -> CustomResourceDefinition,
    pub spec_schema: fn(&mut SchemaGenerator) -> Value,
    pub status_schema: fn(&mut SchemaGenerator) -> Option<Value>,
    /// The version markers (`storage_version`, `printcolumn`, ...) as JSON.
    pub markers: &'static str,
    pub root_description: Option<&'static str>,
    pub spec_description: Option<&'static str>,
    /// kube's `no_spec`: the spec struct's properties are the root's.
    pub no_spec: bool,
}

inventory::collect!(VersionRegistration);

/// Every registered version, in a fixed order (link order is not).
pub fn registrations() -> Vec<&'static VersionRegistration> {
    let mut all: Vec<_> = inventory::iter::<VersionRegistration>.into_iter().collect();
    all.sort_by_key(|r| r.source);
    all
}
