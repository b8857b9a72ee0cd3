//! `scaffold delete api|webhook` and `delete --plugins`: the inverse of `create`, compared file
//! by file with the tree before `create`; refusals (edited files, shared files, bad input) leave
//! the tree byte-identical.

use std::collections::BTreeMap;
use std::path::Path;

use assert_cmd::Command;

mod common;

use common::{WEBHOOK, assert_same_files, copy_dir, files, scaffold_at as scaffold};

fn ok(dir: &Path, args: &[&str]) {
    scaffold(dir, args).success();
}

/// Every directory under `dir` (files() sees only files; an empty directory left behind is a
/// difference too).
fn dirs(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            if e.path().is_dir() {
                out.push(e.path().strip_prefix(dir).unwrap().display().to_string());
                stack.push(e.path());
            }
        }
    }
    out.sort();
    out
}

fn snapshot(dir: &Path) -> (BTreeMap<String, String>, Vec<String>) {
    (files(dir), dirs(dir))
}

/// The same files and the same directories (an empty directory left behind is a difference).
fn assert_same_tree(actual: &Path, expected: &Path) {
    assert_same_files(actual, expected);
    assert_eq!(dirs(actual), dirs(expected), "directories differ");
}

fn init(dir: &Path, extra: &[&str]) {
    let args = [
        &[
            "init",
            "--domain",
            "example.com",
            "--project-name",
            "demo",
            "--kubeforge-version",
            "0.1.0",
        ][..],
        extra,
    ]
    .concat();
    ok(dir, &args);
}

fn api(group: &str, version: &str, kind: &str) -> Vec<String> {
    ["--group", group, "--version", version, "--kind", kind]
        .map(str::to_owned)
        .to_vec()
}

fn run_with(
    dir: &Path,
    head: &[&str],
    gvk: &[String],
    tail: &[&str],
) -> assert_cmd::assert::Assert {
    let args: Vec<&str> = head
        .iter()
        .copied()
        .chain(gvk.iter().map(String::as_str))
        .chain(tail.iter().copied())
        .collect();
    scaffold(dir, &args)
}

const CREATE_API: &[&str] = &["create", "api"];
const DELETE_API: &[&str] = &["delete", "api"];
const DELETE_WEBHOOK: &[&str] = &["delete", "webhook"];

#[test]
fn create_api_then_delete_api_gives_back_the_tree() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, before) = (tmp.path().join("p"), tmp.path().join("before"));
    init(&dir, &[]);
    copy_dir(&dir, &before);
    let memcached = api("cache", "v1alpha1", "Memcached");
    run_with(&dir, CREATE_API, &memcached, &[]).success();
    assert_ne!(files(&dir), files(&before), "create api wrote files");
    run_with(&dir, DELETE_API, &memcached, &[]).success();
    assert_same_tree(&dir, &before);
}

#[test]
fn multigroup_deploy_image_and_external_controllers_come_out_too() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, before) = (tmp.path().join("p"), tmp.path().join("before"));
    init(&dir, &["--multigroup"]);
    copy_dir(&dir, &before);
    let memcached = api("cache", "v1", "Memcached");
    let image = [
        "--image",
        "memcached:1.6",
        "--image-container-port",
        "11211",
    ];
    run_with(&dir, CREATE_API, &memcached, &image).success();
    let frigate = api("ship", "v1", "Frigate");
    run_with(&dir, CREATE_API, &frigate, &["--namespaced=false"]).success();
    let deployment = api("apps", "v1", "Deployment");
    run_with(&dir, &["create", "controller"], &deployment, &[]).success();
    for gvk in [&deployment, &memcached, &frigate] {
        run_with(&dir, DELETE_API, gvk, &[]).success();
    }
    assert_same_tree(&dir, &before);
}

#[test]
fn deleting_one_of_two_kinds_leaves_the_other_as_if_alone() {
    let tmp = tempfile::tempdir().unwrap();
    let (both, alone) = (tmp.path().join("both"), tmp.path().join("alone"));
    let (memcached, backup) = (
        api("cache", "v1alpha1", "Memcached"),
        api("ops", "v1", "Backup"),
    );
    init(&both, &[]);
    init(&alone, &[]);
    run_with(&both, CREATE_API, &memcached, &[]).success();
    run_with(&both, CREATE_API, &backup, &[]).success();
    run_with(&alone, CREATE_API, &backup, &[]).success();
    run_with(&both, DELETE_API, &memcached, &[]).success();
    assert_same_tree(&both, &alone);
}

#[test]
fn an_edited_file_is_refused_by_name_and_force_goes_on() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, before) = (tmp.path().join("p"), tmp.path().join("before"));
    init(&dir, &[]);
    let memcached = api("cache", "v1alpha1", "Memcached");
    run_with(&dir, CREATE_API, &memcached, &[]).success();
    let types = dir.join("api/src/v1alpha1/memcached_types.rs");
    let edited = std::fs::read_to_string(&types).unwrap() + "// my field\n";
    std::fs::write(&types, edited).unwrap();
    // main.rs loses the line create inserted: refused too, named with its marker.
    let main = dir.join("src/main.rs");
    let text = std::fs::read_to_string(&main).unwrap();
    let without: String = text
        .lines()
        .filter(|l| !l.contains("memcached_controller::run"))
        .map(|l| format!("{l}\n"))
        .collect();
    std::fs::write(&main, &without).unwrap();
    copy_dir(&dir, &before);
    let out = run_with(&dir, DELETE_API, &memcached, &[]).failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(
        stderr.contains("api/src/v1alpha1/memcached_types.rs (differs from what scaffold wrote)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(
            "src/main.rs (the lines scaffold inserted before `// +kubeforge:scaffold:controllers`"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("--force"), "{stderr}");
    assert_same_tree(&dir, &before);

    run_with(&dir, DELETE_API, &memcached, &["--force"]).success();
    assert!(!types.exists());
    assert!(!dir.join("src/controller/memcached_controller.rs").exists());
    assert_eq!(std::fs::read_to_string(&main).unwrap(), without);
}

#[test]
fn a_later_version_goes_alone_and_the_storage_version_waits_for_it() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, one) = (tmp.path().join("p"), tmp.path().join("one"));
    init(&dir, &[]);
    let (v1alpha1, v1) = (
        api("cache", "v1alpha1", "Memcached"),
        api("cache", "v1", "Memcached"),
    );
    run_with(&dir, CREATE_API, &v1alpha1, &[]).success();
    copy_dir(&dir, &one);
    run_with(&dir, CREATE_API, &v1, &[]).success();

    // v1alpha1 holds the kind's controller, roles and storage version, which v1 shares.
    let before = snapshot(&dir);
    let out = run_with(&dir, DELETE_API, &v1alpha1, &[]).failure();
    let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
    assert!(stderr.contains("which v1 still use"), "{stderr}");
    // --force is for edited files, not for breaking the kind.
    run_with(&dir, DELETE_API, &v1alpha1, &["--force"]).failure();
    assert_eq!(snapshot(&dir), before);

    run_with(&dir, DELETE_API, &v1, &[]).success();
    for shared in [
        "config/rbac/memcached_admin_role.yaml",
        "src/controller/memcached_controller.rs",
        "api/src/v1alpha1/memcached_types.rs",
    ] {
        assert!(dir.join(shared).is_file(), "{shared} kept");
    }
    assert_same_tree(&dir, &one);
}

#[test]
fn delete_webhook_removes_one_type_and_keeps_the_others() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, fresh, before) = (
        tmp.path().join("p"),
        tmp.path().join("fresh"),
        tmp.path().join("before"),
    );
    init(&dir, &[]);
    let (v1alpha1, v1) = (
        api("cache", "v1alpha1", "Memcached"),
        api("cache", "v1", "Memcached"),
    );
    run_with(&dir, CREATE_API, &v1alpha1, &[]).success();
    run_with(&dir, CREATE_API, &v1, &[]).success();
    copy_dir(&dir, &fresh);
    copy_dir(&dir, &before);
    let all = [
        "--defaulting",
        "--programmatic-validation",
        "--conversion",
        "--spoke",
        "v1",
    ];
    ok(&dir, &[WEBHOOK, &all[..]].concat());
    // A spoke of the conversion cannot go while the conversion is there.
    let out = run_with(&dir, DELETE_API, &v1, &[]).failure();
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("spoke"));

    run_with(&dir, DELETE_WEBHOOK, &v1alpha1, &["--defaulting"]).success();
    // What is left is what `create webhook` writes for the remaining types alone.
    ok(
        &fresh,
        &[
            WEBHOOK,
            &["--programmatic-validation", "--conversion", "--spoke", "v1"][..],
        ]
        .concat(),
    );
    assert_same_tree(&dir, &fresh);
    let project = std::fs::read_to_string(dir.join("PROJECT")).unwrap();
    assert!(!project.contains("defaulting: true"), "{project}");
    assert!(project.contains("validation: true"), "{project}");

    // Without a type flag, every remaining type goes, and with it everything webhooks share.
    run_with(&dir, DELETE_WEBHOOK, &v1alpha1, &[]).success();
    assert_same_tree(&dir, &before);
}

#[test]
fn dry_run_lists_the_plan_and_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    init(&dir, &[]);
    let memcached = api("cache", "v1alpha1", "Memcached");
    run_with(&dir, CREATE_API, &memcached, &[]).success();
    let before = snapshot(&dir);
    let out = run_with(&dir, DELETE_API, &memcached, &["--dry-run"]).success();
    let stdout = String::from_utf8_lossy(&out.get_output().stdout).into_owned();
    for line in [
        "remove api/src/v1alpha1/memcached_types.rs",
        "remove src/controller/memcached_controller.rs",
        "update src/main.rs",
        "update PROJECT",
    ] {
        assert!(stdout.contains(line), "{line} in:\n{stdout}");
    }
    assert_eq!(snapshot(&dir), before);
}

#[test]
fn bad_input_is_refused_with_the_tree_unchanged() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    init(&dir, &[]);
    let memcached = api("cache", "v1alpha1", "Memcached");
    run_with(&dir, CREATE_API, &memcached, &[]).success();
    ok(&dir, &[WEBHOOK, &["--defaulting"][..]].concat());
    let before = snapshot(&dir);
    let cases: &[(&[&str], &str)] = &[
        (
            &[
                "delete",
                "api",
                "--group",
                "cache",
                "--version",
                "v1alpha1",
                "--kind",
                "Nope",
            ],
            "--kind \"Nope\" must be a resource of this project",
        ),
        (
            &[
                "delete",
                "api",
                "--group",
                "cache",
                "--version",
                "v1alpha1",
                "--kind",
                "bad-kind",
            ],
            "--kind",
        ),
        (
            &[
                "delete",
                "api",
                "--group",
                "cache",
                "--version",
                "v1alpha1",
                "--kind",
                "Memcached",
            ],
            "has webhooks; delete them first",
        ),
        (
            &[
                "delete",
                "webhook",
                "--group",
                "cache",
                "--version",
                "v1alpha1",
                "--kind",
                "Memcached",
                "--conversion",
            ],
            "--conversion \"true\" names a webhook cache/v1alpha1 Memcached does not have",
        ),
        (
            &["delete"],
            "needs a subcommand (api, webhook) or --plugins",
        ),
        (
            &["delete", "--plugins", "nope"],
            "--plugins \"nope\" is not a plugin",
        ),
        (
            &["delete", "--plugins", "helm"],
            "the helm plugin is not on",
        ),
    ];
    for (args, message) in cases {
        let out = scaffold(&dir, args).failure();
        let stderr = String::from_utf8_lossy(&out.get_output().stderr).into_owned();
        assert!(stderr.contains(message), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(snapshot(&dir), before, "{args:?} changed the tree");
    }
    // Outside a project.
    let empty = tmp.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let out = run_with(&empty, DELETE_API, &memcached, &[]).failure();
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("not a Kubeforge project"));
}

#[test]
fn delete_plugins_helm_removes_the_chart_and_its_project_entry() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, before) = (tmp.path().join("p"), tmp.path().join("before"));
    // No API: the chart renders without generated CRDs.
    init(&dir, &[]);
    copy_dir(&dir, &before);
    let kubectl = [("KUBECTL", "/usr/bin/kubectl")];
    let edit = |args: &[&str]| {
        Command::cargo_bin("scaffold")
            .unwrap()
            .envs(kubectl)
            .args(args)
            .arg("-o")
            .arg(&dir)
            .assert()
    };
    edit(&["edit", "--plugins", "helm"]).success();
    assert!(dir.join("dist/chart/Chart.yaml").is_file());
    let chart = dir.join("dist/chart/Chart.yaml");
    let original = std::fs::read_to_string(&chart).unwrap();
    std::fs::write(&chart, format!("{original}# mine\n")).unwrap();
    let out = edit(&["delete", "--plugins", "helm"]).failure();
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("dist/chart/Chart.yaml"));
    std::fs::write(&chart, original).unwrap();
    // values.yaml is the user's once edited, and a template of their own is never scaffold's.
    let values = dir.join("dist/chart/values.yaml");
    let scaffolded = std::fs::read_to_string(&values).unwrap();
    std::fs::write(&values, format!("{scaffolded}extra: 1\n")).unwrap();
    let mine = dir.join("dist/chart/templates/mine.yaml");
    std::fs::write(&mine, "kind: ConfigMap\n").unwrap();
    let out = edit(&["delete", "--plugins", "helm"]).failure();
    assert!(String::from_utf8_lossy(&out.get_output().stderr).contains("dist/chart/values.yaml"));
    std::fs::write(&values, scaffolded).unwrap();
    edit(&["delete", "--plugins", "helm"]).success();
    assert!(mine.is_file(), "the user's template was removed");
    std::fs::remove_dir_all(dir.join("dist")).unwrap();
    assert_same_tree(&dir, &before);
}

#[test]
fn delete_plugins_grafana_keeps_the_users_config_and_dashboards() {
    let tmp = tempfile::tempdir().unwrap();
    let (dir, before) = (tmp.path().join("p"), tmp.path().join("before"));
    init(&dir, &[]);
    copy_dir(&dir, &before);
    // Its long name, as PROJECT records it, is accepted as `edit --plugins` accepts it.
    ok(
        &dir,
        &["edit", "--plugins", "grafana.kubebuilder.io/v1-alpha"],
    );
    let config = dir.join("grafana/custom-metrics/config.yaml");
    let scaffolded = std::fs::read_to_string(&config).unwrap();
    std::fs::write(&config, "customMetrics: []\n").unwrap();
    let mine = dir.join("grafana/mine.json");
    std::fs::write(&mine, "{}\n").unwrap();
    let out = scaffold(
        &dir,
        &["delete", "--plugins", "grafana.kubebuilder.io/v1-alpha"],
    )
    .failure();
    let err = String::from_utf8_lossy(&out.get_output().stderr);
    assert!(err.contains("grafana/custom-metrics/config.yaml"), "{err}");
    std::fs::write(&config, scaffolded).unwrap();
    ok(&dir, &["delete", "--plugins", "grafana"]);
    assert!(!config.exists());
    assert!(mine.is_file(), "the user's dashboard was removed");
    std::fs::remove_dir_all(dir.join("grafana")).unwrap();
    assert_same_tree(&dir, &before);
}

#[test]
fn a_namespaced_project_gets_back_its_tree_too() {
    // Its roles are Roles and its rules carry a namespace: delete renders them the same way.
    let tmp = tempfile::tempdir().unwrap();
    let (dir, before) = (tmp.path().join("p"), tmp.path().join("before"));
    init(&dir, &["--namespaced"]);
    copy_dir(&dir, &before);
    let memcached = api("cache", "v1alpha1", "Memcached");
    run_with(&dir, CREATE_API, &memcached, &[]).success();
    ok(&dir, &[WEBHOOK, &["--defaulting"][..]].concat());
    run_with(&dir, DELETE_WEBHOOK, &memcached, &[]).success();
    run_with(&dir, DELETE_API, &memcached, &[]).success();
    assert_same_tree(&dir, &before);
}
