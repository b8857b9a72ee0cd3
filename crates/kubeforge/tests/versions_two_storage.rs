//! Two versions of one kind marked `storage_version`: `kubeforge::crds()` fails, naming the kind
//! and the marked versions. (Registration is global, so this has its own binary.)

use kubeforge::prelude::*;

pub mod v1 {
    use kubeforge::prelude::*;

    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "errors.kubeforge.test",
        version = "v1",
        kind = "TwoStorage",
        namespaced
    )]
    #[crd(storage_version)]
    pub struct TwoStorageSpec {
        pub size: i32,
    }
}

pub mod v1beta1 {
    use kubeforge::prelude::*;

    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "errors.kubeforge.test",
        version = "v1beta1",
        kind = "TwoStorage",
        namespaced
    )]
    pub struct TwoStorageSpec {
        pub size: i32,
    }
}

pub mod v2 {
    use kubeforge::prelude::*;

    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "errors.kubeforge.test",
        version = "v2",
        kind = "TwoStorage",
        namespaced
    )]
    #[crd(storage_version)]
    pub struct TwoStorageSpec {
        pub size: i64,
    }
}

/// A good kind beside the broken one.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
#[kube(
    group = "errors.kubeforge.test",
    version = "v1",
    kind = "Fine",
    namespaced
)]
pub struct FineSpec {
    pub size: i32,
}

#[test]
fn two_storage_versions_is_an_error_naming_kind_and_versions() {
    let err = kubeforge::crds().expect_err("two versions marked storage_version");
    let message = err.to_string();
    assert!(
        matches!(&err, kubeforge::Error::ManyStorageVersions { kind, group, marked }
            if kind == "TwoStorage" && group == "errors.kubeforge.test" && marked == "v1, v2"),
        "{err:?}"
    );
    assert_eq!(
        message,
        "CRD TwoStorage.errors.kubeforge.test: versions v1, v2 are all marked `storage_version`; \
         exactly one version may be the storage version"
    );
    assert!(
        !message.contains("v1beta1"),
        "only the marked versions are named: {message}"
    );
}
