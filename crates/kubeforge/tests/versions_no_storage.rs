//! Several versions of one kind and none marked `storage_version`: `kubeforge::crds()` fails,
//! naming the kind and its versions. (Registration is global, so this has its own binary.)

use kubeforge::prelude::*;

pub mod v1 {
    use kubeforge::prelude::*;

    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "errors.kubeforge.test",
        version = "v1",
        kind = "NoStorage",
        namespaced
    )]
    pub struct NoStorageSpec {
        pub size: i32,
    }
}

pub mod v2beta1 {
    use kubeforge::prelude::*;

    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "errors.kubeforge.test",
        version = "v2beta1",
        kind = "NoStorage",
        namespaced
    )]
    pub struct NoStorageSpec {
        pub size: i64,
    }
}

/// A good kind beside the broken one: its single version needs no marker.
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
fn no_storage_version_is_an_error_naming_kind_and_versions() {
    let err = kubeforge::crds().expect_err("two versions, no storage_version");
    let message = err.to_string();
    assert!(
        matches!(&err, kubeforge::Error::NoStorageVersion { kind, group, versions }
            if kind == "NoStorage" && group == "errors.kubeforge.test" && versions == "v1, v2beta1"),
        "{err:?}"
    );
    assert_eq!(
        message,
        "CRD NoStorage.errors.kubeforge.test has versions v1, v2beta1 but none is marked `storage_version`; \
         mark exactly one with #[crd(storage_version)]"
    );
}
