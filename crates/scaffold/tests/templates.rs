//! Snapshot of every file scaffold writes for a fixed input, so template changes are reviewed
//! (`cargo insta review`, or INSTA_UPDATE=always and read the diff). Also: re-running a create
//! changes nothing, and --dry-run writes nothing.

use std::path::Path;

use assert_cmd::Command;

mod common;

use common::files;

fn scaffold(dir: &Path, args: &[&str]) {
    Command::cargo_bin("scaffold")
        .unwrap()
        .current_dir(dir)
        .args(args)
        .assert()
        .success();
}

const INIT: &[&str] = &[
    "init",
    "--domain",
    "example.com",
    "--project-name",
    "memcached-operator",
    "--owner",
    "The Memcached Authors",
    "--kubeforge-version",
    "0.1.0",
];
const API_V1ALPHA1: &[&str] = &[
    "create",
    "api",
    "--group",
    "cache",
    "--version",
    "v1alpha1",
    "--kind",
    "Memcached",
];
const API_V1: &[&str] = &[
    "create",
    "api",
    "--group",
    "cache",
    "--version",
    "v1",
    "--kind",
    "Memcached",
];
const API_CLUSTER: &[&str] = &[
    "create",
    "api",
    "--group",
    "infra",
    "--version",
    "v1",
    "--kind",
    "Cluster",
    "--namespaced=false",
];
const POD_CONTROLLER: &[&str] = &[
    "create",
    "controller",
    "--group",
    "core",
    "--version",
    "v1",
    "--kind",
    "Pod",
];

const API_IMAGE: &[&str] = &[
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
    "--image-container-port",
    "8080",
    "--image-container-command",
    "nginx,-g,daemon off;",
    "--run-as-user",
    "101",
];

const WEBHOOK: &[&str] = &[
    "create",
    "webhook",
    "--group",
    "cache",
    "--version",
    "v1alpha1",
    "--kind",
    "Memcached",
    "--defaulting",
    "--programmatic-validation",
    "--conversion",
    "--spoke",
    "v1",
];

fn scaffold_sample(dir: &Path) {
    for args in [
        INIT,
        API_V1ALPHA1,
        API_V1,
        API_CLUSTER,
        POD_CONTROLLER,
        API_IMAGE,
        WEBHOOK,
    ] {
        scaffold(dir, args);
    }
}

#[test]
fn every_generated_file() {
    let tmp = tempfile::tempdir().unwrap();
    scaffold_sample(tmp.path());
    let files = files(tmp.path());
    insta::with_settings!({ filters => vec![(r"\b20[0-9]{2}\b", "[year]")], prepend_module_to_snapshot => false }, {
        insta::assert_snapshot!("file_list", files.keys().cloned().collect::<Vec<_>>().join("\n"));
        for (path, text) in &files {
            insta::assert_snapshot!(path.replace('/', "__"), text);
        }
    });
}

#[test]
fn create_is_idempotent_with_force_and_inserts_nothing_twice() {
    let tmp = tempfile::tempdir().unwrap();
    scaffold_sample(tmp.path());
    let before = files(tmp.path());
    let mut again = API_V1ALPHA1.to_vec();
    again.push("--force");
    scaffold(tmp.path(), &again);
    let after = files(tmp.path());
    assert_eq!(
        before, after,
        "re-running `create api --force` must reproduce the same files"
    );
    let mut again = WEBHOOK.to_vec();
    again.push("--force");
    scaffold(tmp.path(), &again);
    assert_eq!(
        before,
        files(tmp.path()),
        "re-running `create webhook --force` must reproduce the same files"
    );
}

#[test]
fn dry_run_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let mut init = INIT.to_vec();
    init.push("--dry-run");
    let out = Command::cargo_bin("scaffold")
        .unwrap()
        .current_dir(tmp.path())
        .args(&init)
        .output()
        .unwrap();
    assert!(out.status.success());
    assert!(String::from_utf8_lossy(&out.stdout).contains("dry run"));
    assert!(files(tmp.path()).is_empty());
}

#[test]
fn output_is_deterministic() {
    let a = tempfile::tempdir().unwrap();
    let b = tempfile::tempdir().unwrap();
    scaffold_sample(a.path());
    scaffold_sample(b.path());
    assert_eq!(files(a.path()), files(b.path()));
}

/// Templates are formatted by hand (no rustfmt at scaffold time), and rustfmt's layout depends
/// on line lengths: check every Rust file with kinds of 3 and of 20 characters.
#[test]
fn rust_files_pass_rustfmt_for_short_and_long_kinds() {
    let Ok(status) = std::process::Command::new("rustfmt")
        .arg("--version")
        .output()
    else {
        panic!("rustfmt is needed (rustup component add rustfmt)");
    };
    assert!(status.status.success());
    for kind in ["Foo", "ReplicatedCacheShard"] {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        scaffold(dir, INIT);
        for image in [false, true] {
            let version = if image { "v2" } else { "v1" };
            let mut api = vec!["create", "api", "--group", "cache", "--version", version];
            api.extend(["--kind", kind]);
            if image {
                api.extend(["--image", "example/image:1", "--image-container-port", "80"]);
                api.extend(["--image-container-command", "a,b", "--run-as-user", "1001"]);
                api.extend(["--controller=true", "--force"]);
            }
            scaffold(dir, &api);
        }
        let webhook = [
            "create",
            "webhook",
            "--group",
            "cache",
            "--version",
            "v1",
            "--kind",
            kind,
        ];
        scaffold(
            dir,
            &[&webhook[..], &["--defaulting", "--programmatic-validation"]].concat(),
        );
        // A conversion added later goes into the same webhook file, at its markers.
        let spoke = ["create", "api", "--group", "cache", "--version", "v3"];
        scaffold(dir, &[&spoke[..], &["--kind", kind]].concat());
        scaffold(
            dir,
            &[&webhook[..], &["--conversion", "--spoke", "v3"]].concat(),
        );
        let rust_files: Vec<String> = files(dir)
            .into_keys()
            .filter(|f| f.ends_with(".rs"))
            .collect();
        let out = std::process::Command::new("rustfmt")
            .current_dir(dir)
            .args(["--check", "--edition", "2024"])
            .args(&rust_files)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "kind {kind}: generated Rust is not rustfmt-clean:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
    }
}
