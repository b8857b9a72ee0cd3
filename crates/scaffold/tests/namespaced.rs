//! `scaffold init --namespaced` and `scaffold edit --namespaced`: a manager watching only its own
//! namespace. Snapshots of the files that change, the rendered install (`kubectl kustomize`),
//! and `edit` converting an existing project like `init --namespaced` would have written it,
//! keeping the user's edits.

use std::path::Path;

use serde_json::Value;

mod common;

use common::{assert_same_files, copy_dir, files, scaffold_at as scaffold};

const INIT: &[&str] = &[
    "init",
    "--domain",
    "example.com",
    "--project-name",
    "demo",
    "--kubeforge-version",
    "0.1.0",
];
const MEMCACHED: &[&str] = &[
    "create",
    "api",
    "--group",
    "cache",
    "--version",
    "v1alpha1",
    "--kind",
    "Memcached",
];
const POD: &[&str] = &[
    "create",
    "controller",
    "--group",
    "core",
    "--version",
    "v1",
    "--kind",
    "Pod",
];
const NGINX: &[&str] = &[
    "create",
    "api",
    "--group",
    "web",
    "--version",
    "v1",
    "--kind",
    "Nginx",
    "--image",
    "nginx:1.27-alpine",
];

/// A project with an API, a deploy-image API and a controller for a built-in kind.
fn project(dir: &Path, init: &[&str]) {
    for args in [init, MEMCACHED, POD, NGINX] {
        scaffold(dir, args).success();
    }
}

fn namespaced_init() -> Vec<&'static str> {
    [INIT, &["--namespaced"]].concat()
}

#[test]
fn the_files_a_namespaced_manager_changes() {
    let tmp = tempfile::tempdir().unwrap();
    project(tmp.path(), &namespaced_init());
    let files = files(tmp.path());
    for path in [
        "PROJECT",
        "config/manager/manager.yaml",
        "config/rbac/role.yaml",
        "config/rbac/role_binding.yaml",
        "config/rbac/memcached_admin_role.yaml",
        "config/rbac/memcached_editor_role.yaml",
        "config/rbac/memcached_viewer_role.yaml",
        "src/controller/memcached_controller.rs",
        "src/controller/pod_controller.rs",
        "src/controller/nginx_controller.rs",
    ] {
        insta::with_settings!({ prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(format!("namespaced__{}", path.replace('/', "__")), files[path]);
        });
    }
}

fn kubectl_kustomize(dir: &Path) -> Vec<Value> {
    let out = std::process::Command::new("/usr/bin/kubectl")
        .args(["kustomize", "config/default"])
        .current_dir(dir)
        .output()
        .expect("kubectl at /usr/bin/kubectl");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_saphyr::from_multiple::<Value>(&String::from_utf8_lossy(&out.stdout)).unwrap()
}

#[test]
fn kustomize_renders_a_role_a_role_binding_and_watch_namespace() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    for args in [&namespaced_init()[..], MEMCACHED] {
        scaffold(dir, args).success();
    }
    // The CRD `cargo xtask generate crds` would write; its contents do not matter here.
    let bases = dir.join("config/crd/bases");
    std::fs::create_dir_all(&bases).unwrap();
    std::fs::write(
        bases.join("cache.example.com_memcacheds.yaml"),
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: memcacheds.cache.example.com\n",
    )
    .unwrap();
    let objects = kubectl_kustomize(dir);
    let find = |kind: &str, name: &str| {
        objects
            .iter()
            .find(|o| o["kind"] == kind && o["metadata"]["name"] == name)
            .unwrap_or_else(|| panic!("{kind} {name} rendered"))
    };
    let role = find("Role", "demo-manager-role");
    assert_eq!(role["metadata"]["namespace"], "demo-system");
    assert!(
        !objects
            .iter()
            .any(|o| o["kind"] == "ClusterRole" && o["metadata"]["name"] == "demo-manager-role")
    );
    let binding = find("RoleBinding", "demo-manager-rolebinding");
    assert_eq!(binding["metadata"]["namespace"], "demo-system");
    assert_eq!(binding["roleRef"]["kind"], "Role");
    assert_eq!(binding["roleRef"]["name"], "demo-manager-role");
    assert!(!objects.iter().any(|o| o["kind"] == "ClusterRoleBinding"
        && o["metadata"]["name"] == "demo-manager-rolebinding"));
    for helper in ["admin", "editor", "viewer"] {
        let role = find("Role", &format!("demo-memcached-{helper}-role"));
        assert_eq!(role["metadata"]["namespace"], "demo-system");
    }
    // Token and access reviews are cluster-scoped: the metrics auth role stays a ClusterRole.
    find("ClusterRole", "demo-metrics-auth-role");
    let deployment = find("Deployment", "demo-controller-manager");
    let env = deployment["spec"]["template"]["spec"]["containers"][0]["env"]
        .as_array()
        .unwrap();
    let watch = env
        .iter()
        .find(|e| e["name"] == "WATCH_NAMESPACE")
        .expect("WATCH_NAMESPACE set");
    assert_eq!(
        watch["valueFrom"]["fieldRef"]["fieldPath"],
        "metadata.namespace"
    );
}

#[test]
fn edit_namespaced_converts_a_project_as_init_would_have_written_it_and_back() {
    let tmp = tempfile::tempdir().unwrap();
    let (fresh, converted, cluster) = (
        tmp.path().join("fresh"),
        tmp.path().join("converted"),
        tmp.path().join("cluster"),
    );
    project(&fresh, &namespaced_init());
    project(&converted, INIT);
    copy_dir(&converted, &cluster);
    scaffold(&converted, &["edit", "--namespaced"]).success();
    assert_same_files(&converted, &fresh);
    scaffold(&converted, &["edit", "--namespaced=false"]).success();
    assert_same_files(&converted, &cluster);
}

#[test]
fn edit_namespaced_keeps_user_edits_and_refuses_what_it_cannot_find() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    project(&dir, INIT);
    let append = |rel: &str, text: &str| {
        let path = dir.join(rel);
        let old = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, old + text).unwrap();
    };
    append(
        "src/controller/memcached_controller.rs",
        "\n// my helper\nfn helper() {}\n",
    );
    append("config/manager/manager.yaml", "# my note\n");
    scaffold(&dir, &["edit", "--namespaced"]).success();
    let controller =
        std::fs::read_to_string(dir.join("src/controller/memcached_controller.rs")).unwrap();
    assert!(controller.ends_with("// my helper\nfn helper() {}\n"));
    assert!(controller.contains("verbs = \"update\", namespace = \"demo-system\")]"));
    let manager = std::fs::read_to_string(dir.join("config/manager/manager.yaml")).unwrap();
    assert!(manager.ends_with("# my note\n") && manager.contains("- name: WATCH_NAMESPACE"));

    // Back to cluster-scoped, with the binding's kind edited away: refused, naming it.
    let binding = dir.join("config/rbac/role_binding.yaml");
    let text = std::fs::read_to_string(&binding).unwrap();
    std::fs::write(&binding, text.replace("kind: RoleBinding\n", "")).unwrap();
    let before = files(&dir);
    let out = scaffold(&dir, &["edit", "--namespaced=false"]).failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("config/rbac/role_binding.yaml (has neither"),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert_eq!(files(&dir), before);
    scaffold(&dir, &["edit", "--namespaced=false", "--force"]).success();
    let project = std::fs::read_to_string(dir.join("PROJECT")).unwrap();
    assert!(!project.contains("\nnamespaced: true"), "{project}");
    let binding = std::fs::read_to_string(&binding).unwrap();
    assert!(binding.contains("  kind: ClusterRole\n"), "{binding}");
}

#[test]
fn cluster_scoped_kinds_and_namespaced_managers_do_not_mix() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    scaffold(&dir, INIT).success();
    let cluster = [MEMCACHED, &["--namespaced=false"]].concat();
    scaffold(&dir, &cluster).success();
    let before = files(&dir);
    let out = scaffold(&dir, &["edit", "--namespaced"]).failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("cache/v1alpha1 Memcached is cluster-scoped"),
        "{stderr}"
    );
    assert_eq!(files(&dir), before);

    let other = tmp.path().join("q");
    scaffold(&other, &namespaced_init()).success();
    let before = files(&other);
    let out = scaffold(&other, &cluster).failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("--namespaced \"false\" cannot be used"),
        "{stderr}"
    );
    assert_eq!(files(&other), before);
}
