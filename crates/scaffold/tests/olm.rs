//! The OLM commands: snapshots of every file `generate kustomize manifests` and
//! `generate bundle` write (templates included), re-runs that keep what the user wrote, and
//! regeneration and `--overwrite` semantics of the bundle.

use std::path::Path;

use assert_cmd::Command;

mod common;

use common::files;

fn scaffold(dir: &Path, args: &[&str]) -> std::process::Output {
    Command::cargo_bin("scaffold")
        .unwrap()
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", "1700000000")
        .args(args)
        .output()
        .unwrap()
}

fn ok(dir: &Path, args: &[&str]) {
    let out = scaffold(dir, args);
    assert!(
        out.status.success(),
        "scaffold {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const TYPES: &str = r#"use kubeforge::prelude::*;

/// Guestbook is the Schema for the guestbooks API
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[kube(group = "webapp.my.domain", version = "v1", kind = "Guestbook", plural = "guestbooks",
       namespaced, status = "GuestbookStatus", doc = "Guestbook is the Schema for the guestbooks API")]
#[csv(display_name = "Guest Book", resources(kind = "Deployment", version = "v1", name = "guestbook"))]
#[serde(rename_all = "camelCase")]
pub struct GuestbookSpec {
    /// Replicas is the number of frontends.
    ///
    /// A second paragraph that is not part of the descriptor.
    #[csv(x_descriptors = ["urn:alm:descriptor:com.tectonic.ui:podCount"])]
    pub replicas: i32,
    /// +operator-sdk:csv:customresourcedefinitions:type=spec,displayName="Storage",xDescriptors={"urn:alm:descriptor:com.tectonic.ui:text"}
    pub storage_config: Option<Storage>,
    #[serde(rename = "theme-name")]
    #[csv(display_name = "Theme", description = "The look of the book")]
    pub theme: String,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Storage {
    /// Size of the volume.
    #[csv()]
    pub volume_size: String,
}

#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
pub struct GuestbookStatus {
    /// Pods serving the book.
    #[csv(display_name = "Pods")]
    pub pods: Vec<String>,
}
"#;

fn guestbook(dir: &Path) {
    ok(
        dir,
        &[
            "init",
            "--project-name",
            "guestbook",
            "--kubeforge-version",
            "0.1.0",
        ],
    );
    ok(
        dir,
        &[
            "create",
            "api",
            "--group",
            "webapp",
            "--version",
            "v1",
            "--kind",
            "Guestbook",
        ],
    );
    std::fs::write(dir.join("api/src/v1/guestbook_types.rs"), TYPES).unwrap();
}

/// What `cargo xtask generate crds` would write for the guestbook (the tests do not build it).
fn guestbook_crd(dir: &Path) {
    std::fs::create_dir_all(dir.join("config/crd/bases")).unwrap();
    std::fs::write(
        dir.join("config/crd/bases/webapp.my.domain_guestbooks.yaml"),
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: guestbooks.webapp.my.domain\nspec:\n  group: webapp.my.domain\n  names:\n    kind: Guestbook\n    listKind: GuestbookList\n    plural: guestbooks\n    singular: guestbook\n  scope: Namespaced\n  versions:\n  - name: v1\n    schema:\n      openAPIV3Schema:\n        type: object\n        x-kubernetes-preserve-unknown-fields: true\n    served: true\n    storage: true\n",
    )
    .unwrap();
}

#[test]
fn kustomize_manifests_files() {
    let tmp = tempfile::tempdir().unwrap();
    guestbook(tmp.path());
    let before = files(tmp.path());
    ok(tmp.path(), &["generate", "kustomize", "manifests"]);
    let after = files(tmp.path());
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        for (path, text) in &after {
            if before.get(path) != Some(text) {
                insta::assert_snapshot!(format!("olm__{}", path.replace('/', "__")), text);
            }
        }
    });
}

#[test]
fn kustomize_manifests_keeps_user_edits_and_refreshes_descriptors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    guestbook(dir);
    ok(dir, &["generate", "kustomize", "manifests"]);
    let first = files(dir);
    // A re-run changes nothing.
    ok(dir, &["generate", "kustomize", "manifests"]);
    assert_eq!(first, files(dir));
    // The user fills in the base CSV; the code gains a descriptor.
    let csv = "config/manifests/bases/guestbook.clusterserviceversion.yaml";
    let edited = first[csv]
        .replace("Guestbook description. TODO.", "Runs guest books.")
        .replace("Maintainer Name", "Jane Doe")
        .replace("maturity: alpha", "maturity: stable")
        .replace(
            "capabilities: Basic Install",
            "capabilities: Seamless Upgrades",
        );
    std::fs::write(dir.join(csv), &edited).unwrap();
    let types = TYPES.replace(
        "    pub pods: Vec<String>,",
        "    pub pods: Vec<String>,\n    /// Ready is true when serving.\n    #[csv()]\n    pub ready: bool,",
    );
    // --check: the user's edits are not drift, the new descriptor is; nothing is written.
    ok(dir, &["generate", "kustomize", "manifests", "--check"]);
    std::fs::write(dir.join("api/src/v1/guestbook_types.rs"), &types).unwrap();
    let out = scaffold(dir, &["generate", "kustomize", "manifests", "--check"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--check") && stderr.contains(&format!("update {csv}")),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(dir.join(csv)).unwrap(), edited);
    ok(dir, &["generate", "kustomize", "manifests"]);
    let merged = std::fs::read_to_string(dir.join(csv)).unwrap();
    for kept in [
        "Runs guest books.",
        "Jane Doe",
        "maturity: stable",
        "Seamless Upgrades",
    ] {
        assert!(merged.contains(kept), "lost {kept:?}:\n{merged}");
    }
    assert!(
        merged.contains("path: ready"),
        "descriptor not added:\n{merged}"
    );
    // Without a change in the code, the user's bytes (comments included) are kept.
    let commented = format!("# my notes\n{merged}");
    std::fs::write(dir.join(csv), &commented).unwrap();
    ok(dir, &["generate", "kustomize", "manifests"]);
    assert_eq!(std::fs::read_to_string(dir.join(csv)).unwrap(), commented);
}

#[test]
fn kustomization_follows_webhooks() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    guestbook(dir);
    ok(dir, &["generate", "kustomize", "manifests"]);
    let k = "config/manifests/kustomization.yaml";
    assert!(files(dir)[k].contains("#patches:"));
    ok(
        dir,
        &[
            "create",
            "webhook",
            "--group",
            "webapp",
            "--version",
            "v1",
            "--kind",
            "Guestbook",
            "--defaulting",
        ],
    );
    ok(dir, &["generate", "kustomize", "manifests"]);
    let text = files(dir)[k].clone();
    assert!(text.contains("\npatches:\n"), "{text}");
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("olm__webhook__config__manifests__kustomization.yaml", text);
    });
}

#[test]
fn bundle_files_and_overwrite() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    guestbook(dir);
    guestbook_crd(dir);
    ok(dir, &["generate", "kustomize", "manifests"]);
    let before = files(dir);
    ok(
        dir,
        &[
            "generate",
            "bundle",
            "--version",
            "1.2.3",
            "--channels",
            "alpha,stable",
            "--default-channel",
            "stable",
        ],
    );
    let after = files(dir);
    insta::with_settings!({ prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!(
            "olm__bundle_file_list",
            after.keys().filter(|k| !before.contains_key(*k)).cloned().collect::<Vec<_>>().join("\n")
        );
        for path in [
            "bundle.Dockerfile",
            "bundle/metadata/annotations.yaml",
            "bundle/manifests/guestbook.clusterserviceversion.yaml",
        ] {
            insta::assert_snapshot!(format!("olm__{}", path.replace('/', "__")), after[path]);
        }
    });
    // Same inputs: nothing to write, no --overwrite needed.
    ok(
        dir,
        &[
            "generate",
            "bundle",
            "--version",
            "1.2.3",
            "--channels",
            "alpha,stable",
            "--default-channel",
            "stable",
        ],
    );
    assert_eq!(after, files(dir));
    // A file someone put into bundle/manifests is refused (named), tree unchanged.
    std::fs::write(
        dir.join("bundle/manifests/stale_v1_configmap.yaml"),
        "kind: ConfigMap\n",
    )
    .unwrap();
    let with_stale = files(dir);
    let out = scaffold(dir, &["generate", "bundle", "--version", "1.2.4"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("bundle/manifests/stale_v1_configmap.yaml (not made by generate bundle")
            && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(with_stale, files(dir));
    // --check names what a rerun would change (not createdAt: without SOURCE_DATE_EPOCH the
    // bundle's own is kept), and writes nothing.
    let check = |version: &str| {
        Command::cargo_bin("scaffold")
            .unwrap()
            .current_dir(dir)
            .env_remove("SOURCE_DATE_EPOCH")
            .args(["generate", "bundle", "--version", version, "--check"])
            .args(["--channels", "alpha,stable", "--default-channel", "stable"])
            .output()
            .unwrap()
    };
    let out = check("1.2.4");
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--check")
            && stderr.contains("overwrite bundle/manifests/guestbook.clusterserviceversion.yaml")
            && stderr.contains("remove bundle/manifests/stale_v1_configmap.yaml"),
        "{stderr}"
    );
    assert_eq!(with_stale, files(dir));
    std::fs::remove_file(dir.join("bundle/manifests/stale_v1_configmap.yaml")).unwrap();
    let out = check("1.2.3");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // `--overwrite=false` refuses to change the bundle of an earlier run.
    let out = scaffold(
        dir,
        &[
            "generate",
            "bundle",
            "--version",
            "1.2.4",
            "--overwrite=false",
        ],
    );
    assert!(!out.status.success());
    assert_eq!(after, files(dir));
    // A new version (operator-sdk's `make bundle` on every release) rewrites the bundle by
    // default, keeping what the base CSV says, and removes manifests only an earlier run
    // wrote: a CRD the old CSV owned, an object rendered from config/ under its bundle name.
    let earlier_crd = "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\n\
        metadata:\n  name: olds.webapp.my.domain\nspec:\n  group: webapp.my.domain\n  names:\n    plural: olds\n";
    std::fs::write(
        dir.join("bundle/manifests/webapp.my.domain_olds.yaml"),
        earlier_crd,
    )
    .unwrap();
    let csv_path = dir.join("bundle/manifests/guestbook.clusterserviceversion.yaml");
    let csv = std::fs::read_to_string(&csv_path).unwrap();
    assert!(csv.contains("    owned:\n"), "{csv}");
    std::fs::write(
        &csv_path,
        csv.replace(
            "    owned:\n",
            "    owned:\n    - kind: Old\n      name: olds.webapp.my.domain\n      version: v1\n",
        ),
    )
    .unwrap();
    let earlier_service = "apiVersion: v1\nkind: Service\nmetadata:\n  labels:\n    \
        app.kubernetes.io/managed-by: kustomize\n    app.kubernetes.io/name: guestbook\n  name: guestbook-gone\n";
    std::fs::write(
        dir.join("bundle/manifests/guestbook-gone_v1_service.yaml"),
        earlier_service,
    )
    .unwrap();
    ok(dir, &["generate", "bundle", "--version", "1.2.4"]);
    let now = files(dir);
    assert!(!now.contains_key("bundle/manifests/webapp.my.domain_olds.yaml"));
    assert!(!now.contains_key("bundle/manifests/guestbook-gone_v1_service.yaml"));
    let csv = &now["bundle/manifests/guestbook.clusterserviceversion.yaml"];
    assert!(csv.contains("name: guestbook.v1.2.4"));
    assert!(!csv.contains("olds.webapp.my.domain"));
    let base = &now["config/manifests/bases/guestbook.clusterserviceversion.yaml"];
    assert_eq!(
        base,
        &after["config/manifests/bases/guestbook.clusterserviceversion.yaml"]
    );
    // A CRD the old CSV did not own is not the earlier run's: refused, removed with --force.
    let foreign = earlier_crd.replace("olds", "others");
    std::fs::write(
        dir.join("bundle/manifests/webapp.my.domain_others.yaml"),
        &foreign,
    )
    .unwrap();
    let out = scaffold(dir, &["generate", "bundle", "--version", "1.2.4"]);
    assert!(!out.status.success());
    ok(
        dir,
        &["generate", "bundle", "--version", "1.2.4", "--force"],
    );
    assert_eq!(now, files(dir));
    // --dry-run writes nothing.
    let out = scaffold(
        dir,
        &["generate", "bundle", "--version", "9.9.9", "--dry-run"],
    );
    assert!(out.status.success());
    assert_eq!(now, files(dir));
}

/// A second service account of the operator (operator-sdk's multi-SA guide): its bound role
/// goes into the CSV's permissions with `--extra-service-accounts`, and OLM creates it, so its
/// ServiceAccount, Role and RoleBinding are not bundle manifests; without the flag they are.
#[test]
fn bundle_extra_service_accounts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    guestbook(dir);
    guestbook_crd(dir);
    std::fs::write(
        dir.join("config/rbac/worker.yaml"),
        "apiVersion: v1\nkind: ServiceAccount\nmetadata:\n  name: worker\n  namespace: system\n---\n\
         apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata:\n  name: worker-role\n  namespace: system\n\
         rules:\n- apiGroups: [\"\"]\n  resources: [configmaps]\n  verbs: [get, list]\n---\n\
         apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata:\n  name: worker-rolebinding\n  namespace: system\n\
         roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: worker-role\n\
         subjects:\n- kind: ServiceAccount\n  name: worker\n  namespace: system\n",
    )
    .unwrap();
    let kustomization = dir.join("config/rbac/kustomization.yaml");
    let text = std::fs::read_to_string(&kustomization).unwrap();
    std::fs::write(
        &kustomization,
        text.replace("- role.yaml\n", "- role.yaml\n- worker.yaml\n"),
    )
    .unwrap();
    ok(dir, &["generate", "kustomize", "manifests"]);

    ok(dir, &["generate", "bundle", "--version", "0.0.1"]);
    let names: Vec<String> = files(dir)
        .into_keys()
        .filter(|p| p.starts_with("bundle/manifests/guestbook-worker"))
        .collect();
    assert_eq!(
        names,
        [
            "bundle/manifests/guestbook-worker-role_rbac.authorization.k8s.io_v1_role.yaml",
            "bundle/manifests/guestbook-worker-rolebinding_rbac.authorization.k8s.io_v1_rolebinding.yaml",
            "bundle/manifests/guestbook-worker_v1_serviceaccount.yaml",
        ]
    );

    let out = scaffold(
        dir,
        &[
            "generate",
            "bundle",
            "--version",
            "0.0.1",
            "--extra-service-accounts",
            "worker",
        ],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("--extra-service-accounts \"worker\"") && stderr.contains("namePrefix"),
        "{stderr}"
    );

    ok(
        dir,
        &[
            "generate",
            "bundle",
            "--version",
            "0.0.1",
            "--extra-service-accounts",
            "guestbook-worker",
            "--overwrite",
        ],
    );
    let after = files(dir);
    assert!(
        !after
            .keys()
            .any(|p| p.starts_with("bundle/manifests/guestbook-worker"))
    );
    let csv: serde_json::Value =
        serde_saphyr::from_str(&after["bundle/manifests/guestbook.clusterserviceversion.yaml"])
            .unwrap();
    let worker: Vec<&serde_json::Value> = csv["spec"]["install"]["spec"]["permissions"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p["serviceAccountName"] == "guestbook-worker")
        .collect();
    assert_eq!(worker.len(), 1, "{csv:#}");
    assert_eq!(
        worker[0]["rules"],
        serde_json::json!([{"apiGroups": [""], "resources": ["configmaps"], "verbs": ["get", "list"]}])
    );
    let out = scaffold(dir, &["bundle", "validate", "bundle"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
