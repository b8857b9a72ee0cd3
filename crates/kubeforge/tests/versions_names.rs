//! Versions of one kind that say different things about its names: what one leaves out comes
//! from another (Go APIs ported by copy-paste put `shortName` on one version only), a real
//! conflict names the key and both versions, and one bad kind does not hide the others: the
//! good CRDs are still written. (Registration is global, so this has its own binary.)

pub mod v1 {
    use kubeforge::prelude::*;

    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "names.kubeforge.test",
        version = "v1",
        kind = "Widget",
        namespaced,
        shortname = "wd",
        category = "all"
    )]
    #[crd(storage_version)]
    pub struct WidgetSpec {
        pub size: i32,
    }

    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "names.kubeforge.test",
        version = "v1",
        kind = "Clash",
        namespaced,
        shortname = "cl"
    )]
    #[crd(storage_version)]
    pub struct ClashSpec {
        pub size: i32,
    }
}

pub mod v2alpha1 {
    use kubeforge::prelude::*;

    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "names.kubeforge.test",
        version = "v2alpha1",
        kind = "Widget",
        namespaced,
        category = "widgets"
    )]
    pub struct WidgetSpec {
        pub size: i64,
    }

    #[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug)]
    #[kube(
        group = "names.kubeforge.test",
        version = "v2alpha1",
        kind = "Clash",
        namespaced,
        shortname = "cs"
    )]
    pub struct ClashSpec {
        pub size: i64,
    }
}

#[test]
fn names_merge_across_versions_and_a_conflict_names_key_and_versions() {
    let (crds, failed) = kubeforge::crds_per_kind(&kubeforge::GenerateOptions::default());
    let widget = crds
        .iter()
        .find(|c| c.spec.names.kind == "Widget")
        .expect("Widget generates although Clash does not");
    assert_eq!(
        widget.spec.names.short_names.as_deref(),
        Some(&["wd".to_owned()][..])
    );
    let categories = widget.spec.names.categories.clone().unwrap_or_default();
    assert_eq!(categories, ["all", "widgets"]);
    assert_eq!(widget.spec.versions.len(), 2);

    assert_eq!(failed.len(), 1, "{failed:?}");
    let message = failed[0].to_string();
    assert!(
        message.starts_with("CRD Clash.names.kubeforge.test: versions "),
        "{message}"
    );
    assert!(
        message.contains("disagree on names.shortNames ([\"cl\"] vs [\"cs\"])"),
        "{message}"
    );
    assert!(
        message.contains("v1") && message.contains("v2alpha1"),
        "{message}"
    );
}

#[test]
fn write_crds_writes_the_good_kinds_and_names_the_bad_one() {
    let dir = tempfile::tempdir().unwrap();
    let error = kubeforge::write_crds(dir.path()).expect_err("Clash conflicts");
    assert!(
        error.to_string().contains("Clash.names.kubeforge.test"),
        "{error}"
    );
    let written: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(written, ["names.kubeforge.test_widgets.yaml"]);
}
