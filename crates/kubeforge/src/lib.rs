//! Kubeforge: kubebuilder-style CRD generation for kube-rs.
//!
//! Annotate API types with `#[derive(CrdSchema)]` beside kube's `#[derive(CustomResource)]`;
//! [`crds()`] returns every CRD the linked crates define, merged across versions and shaped the
//! way controller-gen writes them; [`write_crds`] writes them as `<group>_<plural>.yaml`.
//! [`testing::validate`] checks an object against a CRD offline, as kube-apiserver does.

// The derive emits `::kubeforge::...` paths; this lets kubeforge's own types use it too.
extern crate self as kubeforge;

mod cel;
mod crds;
mod error;
mod fs;
mod known_types;
mod normalize;
pub mod rbac;
pub mod registry;
mod schema;
pub mod structural;
pub mod testing;
pub mod types;
#[cfg(feature = "webhook")]
pub mod webhook;
pub mod yaml;

pub use crds::{
    GenerateOptions, VERSION_ANNOTATION, crd_files, crd_to_value, crds, crds_per_kind, crds_with,
    write_crds, write_crds_with,
};
pub use error::Error;
pub use fs::write_atomic;
pub use rbac::{rbac_roles, rbac_yaml, write_rbac, write_rbac_with};

/// The `#[rbac(groups = .., resources = .., verbs = .., ...)]` attribute (controller-gen's
/// `+kubebuilder:rbac` marker). It shares its name with the [`rbac`](mod@rbac) module, which
/// documents the attribute language and holds the runtime: `use kubeforge::rbac;` imports
/// both.
pub use kubeforge_derive::rbac;

#[cfg(feature = "webhook")]
pub use webhook::{webhook_manifests, webhook_yaml, write_webhooks};

/// The `#[webhook(path = .., mutating = .., failure_policy = .., ...)]` attribute
/// (controller-gen's `+kubebuilder:webhook` marker). With the `webhook` feature it shares
/// its name with the `webhook` module, which documents the attribute language and holds the
/// runtime: `use kubeforge::webhook;` imports both. Without the feature a valid attribute is
/// a compile error saying so.
pub use kubeforge_derive::webhook;

/// Used by the code `#[webhook(...)]` generates: registers one webhook.
#[cfg(feature = "webhook")]
#[doc(hidden)]
#[macro_export]
macro_rules! __webhook_submit {
    ($registration:expr) => {
        $crate::__private::inventory::submit! { $registration }
    };
}

/// Used by the code `#[webhook(...)]` generates: without the `webhook` feature, says so.
#[cfg(not(feature = "webhook"))]
#[doc(hidden)]
#[macro_export]
macro_rules! __webhook_submit {
    ($($registration:tt)*) => {
        ::core::compile_error!(
            "#[webhook(...)] needs kubeforge's `webhook` feature: `kubeforge = { version = \"...\", features = [\"webhook\"] }`"
        );
    };
}

#[doc = include_str!("../docs/crd_schema.md")]
pub use kubeforge_derive::CrdSchema;

/// The schemars and serde_json kubeforge builds on. kube's `CustomResource` derive names
/// `::schemars` and `::serde_json`, so a crate that does not depend on them itself points it
/// here: `#[kube(crates(schemars = "kubeforge::schemars", serde_json = "kubeforge::serde_json"))]`
/// (see "Dependencies of an API crate" in [`CrdSchema`]).
#[doc(no_inline)]
pub use schemars;
#[doc(no_inline)]
pub use serde_json;

/// What an API types file needs: `use kubeforge::prelude::*;`.
pub mod prelude {
    pub use crate::CrdSchema;
    pub use kube::CustomResource;
    pub use schemars::JsonSchema;
    pub use serde::{Deserialize, Serialize};
}

/// Used by the code `#[derive(CrdSchema)]` generates; not a public API.
#[doc(hidden)]
pub mod __private {
    pub use crate::schema::{
        ObjectBuilder, Tagging, apply_patch, array, describe, enum_schema, field_schema, map,
        nullable, set, to_schema, tuple,
    };
    pub use inventory;
    pub use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
    pub use kube::core::CustomResourceExt;
    pub use schemars;
    pub use serde_json::Value;
}
