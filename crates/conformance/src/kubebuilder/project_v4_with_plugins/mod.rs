//! kubebuilder `testdata/project-v4-with-plugins` (deploy-image `Memcached`/`Busybox`, conversion
//! `Wordpress` v1/v2). Its Go types and generated CRDs are identical to those of
//! `project-v4-multigroup` for the same group and kind, so the Rust types are shared.

pub mod example_com {
    //! Group `example.com.testproject.org`.

    pub use crate::kubebuilder::project_v4_multigroup::example_com::*;
}
