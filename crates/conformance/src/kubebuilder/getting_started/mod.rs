//! The kubebuilder book's getting-started tutorial project
//! (`docs/book/src/getting-started/testdata/project`): `init` + `create api` for
//! `cache.example.com` `Memcached`, with validation markers and no webhooks.

pub mod v1alpha1 {
    //! Go package `api/v1alpha1` (group `cache.example.com`).

    pub mod memcached_types;

    pub use memcached_types::*;
}
