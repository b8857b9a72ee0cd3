//! `scaffold package osc`: the OSC service package made from operator-sdk's memcached-operator
//! bundle placed in a scaffolded project: its exact tree, every file checked against the bundle
//! and the OSC rules, byte-identical reruns, and refusals that write nothing.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::{Value, json};

mod common;

use common::copy_dir;

const FIXTURE: &str = "tests/fixtures/operator-sdk/memcached-operator";
const CSV: &str = "manifests/memcached-operator.clusterserviceversion.yaml";
const CRD: &str = "manifests/cache.example.com_memcacheds.yaml";

fn scaffold() -> Command {
    Command::cargo_bin("scaffold").expect("binary built")
}

/// `root/proj`: `scaffold init` output plus the fixture's bundle/ and bundle.Dockerfile.
fn project(root: &Path) -> PathBuf {
    let proj = root.join("proj");
    scaffold()
        .args([
            "init",
            "--project-name",
            "memcached",
            "--kubeforge-version",
            "0.1.0",
            "-o",
        ])
        .arg(&proj)
        .assert()
        .success();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE);
    copy_dir(&fixture.join("bundle"), &proj.join("bundle"));
    std::fs::copy(
        fixture.join("bundle.Dockerfile"),
        proj.join("bundle.Dockerfile"),
    )
    .unwrap();
    proj
}

/// Every file under `dir`, relative `/` paths to bytes.
fn files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                let rel = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                out.insert(rel, std::fs::read(&p).unwrap());
            }
        }
    }
    out
}

fn yaml(bytes: &[u8]) -> Value {
    serde_saphyr::from_str(std::str::from_utf8(bytes).unwrap()).unwrap()
}

fn package(proj: &Path, extra: &[&str]) -> std::process::Output {
    scaffold()
        .current_dir(proj)
        .args(["package", "osc"])
        .args(extra)
        .output()
        .unwrap()
}

fn bundle_files() -> BTreeMap<String, Vec<u8>> {
    files(
        &Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(FIXTURE)
            .join("bundle"),
    )
}

#[test]
fn it_packages_the_operator_sdk_bundle() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path());
    let out = package(&proj, &["-o", "../out/pkg", "--zip"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pkg = files(&tmp.path().join("out/pkg"));
    let bundle = bundle_files();

    let mut want: Vec<String> = [
        "README.md",
        "lifecycle.yaml",
        "manifests/memcached_crd.yaml",
        "manifests/memcached_csd.yaml",
        "metadata.yaml",
    ]
    .map(String::from)
    .to_vec();
    want.extend(bundle.keys().map(|k| format!("raw/{k}")));
    want.sort();
    assert_eq!(pkg.keys().cloned().collect::<Vec<_>>(), want);
    assert_eq!(
        std::fs::read_dir(tmp.path().join("out"))
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect::<std::collections::BTreeSet<_>>(),
        ["memcached-operator-0.0.1.zip", "pkg"]
            .map(String::from)
            .into(),
    );

    // raw/ is the bundle, byte for byte.
    for (rel, bytes) in &bundle {
        assert_eq!(&pkg[&format!("raw/{rel}")], bytes, "raw/{rel}");
    }

    let csv = yaml(&bundle[CSV]);
    let metadata = yaml(&pkg["metadata.yaml"]);
    assert_eq!(
        metadata,
        json!({
            "name": "memcached-operator",
            "version": "0.0.1",
            "appVersion": "0.0.1",
            "displayName": "Memcached Operator",
            "description": "Memcached Operator description. TODO.",
            "type": "operator",
        })
    );

    // The CRD file is the bundle's CRD, verbatim.
    assert_eq!(pkg["manifests/memcached_crd.yaml"], bundle[CRD]);
    let crd = yaml(&pkg["manifests/memcached_crd.yaml"]);
    assert_eq!(crd["kind"], "CustomResourceDefinition");
    assert_eq!(crd["apiVersion"], "apiextensions.k8s.io/v1");

    let owned = &csv["spec"]["customresourcedefinitions"]["owned"][0];
    let csd = yaml(&pkg["manifests/memcached_csd.yaml"]);
    assert_eq!(csd["descriptors"]["spec"], owned["specDescriptors"]);
    assert_eq!(csd["descriptors"]["status"], owned["statusDescriptors"]);
    assert_eq!(csd["kind"], "Memcached");
    assert_eq!(csd["name"], "memcacheds.cache.example.com");
    assert_eq!(csd["displayName"], owned["displayName"]);
    assert_eq!(
        csd["versionDefinition"],
        json!({"versions": [{"name": "v1alpha1", "served": true, "storage": true}]})
    );

    let lifecycle = yaml(&pkg["lifecycle.yaml"]);
    let install = &csv["spec"]["install"]["spec"];
    assert_eq!(
        lifecycle,
        json!({
            "install": {
                "strategy": "deployment",
                "clusterPermissions": install["clusterPermissions"],
                "permissions": install["permissions"],
                "deployments": install["deployments"],
            }
        })
    );

    // The zip holds the package tree at its root, byte for byte, with fixed timestamps.
    let zip_bytes = std::fs::read(tmp.path().join("out/memcached-operator-0.0.1.zip")).unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(zip_bytes)).unwrap();
    let mut zipped = BTreeMap::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        assert_eq!(entry.last_modified(), Some(zip::DateTime::default()));
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        zipped.insert(entry.name().unwrap().into_owned(), bytes);
    }
    assert_eq!(zipped, pkg);
    assert!(
        String::from_utf8_lossy(&out.stdout).contains("create ../out/memcached-operator-0.0.1.zip")
    );
}

#[test]
fn it_writes_upgrade_and_operations_from_flags() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path());
    let out = package(
        &proj,
        &[
            "-o",
            "pkg",
            "--name",
            "memcached-svc",
            "--version",
            "0.0.5",
            "--replaces",
            "0.0.1",
            "--skip",
            "0.0.2",
            "--skip",
            "0.0.3-rc.1",
            "--log-path",
            "/var/log/manager.log",
        ],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let pkg = files(&proj.join("pkg"));
    let lifecycle = yaml(&pkg["lifecycle.yaml"]);
    assert_eq!(
        lifecycle["upgrade"],
        json!({"replaces": "0.0.1", "skips": ["0.0.2", "0.0.3-rc.1"]})
    );
    assert_eq!(
        lifecycle["operations"],
        json!({"logpath": "/var/log/manager.log"})
    );
    let metadata = yaml(&pkg["metadata.yaml"]);
    assert_eq!(metadata["name"], "memcached-svc");
    assert_eq!(metadata["version"], "0.0.5");
    assert_eq!(metadata["appVersion"], "0.0.1");
    assert!(!proj.join("memcached-svc-0.0.5.zip").exists());
}

#[test]
fn two_runs_are_byte_identical() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path());
    for run in ["a", "b"] {
        let out = package(&proj, &["-o", &format!("../{run}/pkg"), "--zip"]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(files(&tmp.path().join("a")), files(&tmp.path().join("b")));
    // A rerun with the same inputs writes nothing and needs no --force.
    let before = files(&tmp.path().join("a"));
    let out = package(&proj, &["-o", "../a/pkg", "--zip"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(files(&tmp.path().join("a")), before);
    // --check passes on the same inputs.
    let out = package(&proj, &["-o", "../a/pkg", "--zip", "--check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Other inputs: --check names the files that would change and the stale one, and writes
    // nothing; a rerun refuses them without --force.
    let stale = tmp.path().join("a/pkg/manifests/gone_crd.yaml");
    std::fs::write(&stale, "kind: CustomResourceDefinition\n").unwrap();
    let with_stale = files(&tmp.path().join("a"));
    let out = package(
        &proj,
        &["-o", "../a/pkg", "--zip", "--replaces", "0.0.0", "--check"],
    );
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    for expected in [
        "--check",
        "overwrite lifecycle.yaml",
        "remove manifests/gone_crd.yaml",
        "memcached-operator-0.0.1.zip",
    ] {
        assert!(stderr.contains(expected), "{expected}: {stderr}");
    }
    assert!(!stderr.contains("metadata.yaml"), "{stderr}");
    let out = package(&proj, &["-o", "../a/pkg", "--zip", "--replaces", "0.0.0"]);
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("would be overwritten")
            && stderr.contains("lifecycle.yaml")
            && stderr.contains("manifests/gone_crd.yaml (stale: would be removed)")
            && stderr.contains("--force"),
        "{stderr}"
    );
    assert_eq!(files(&tmp.path().join("a")), with_stale);
    // With --force: rewritten, and the stale file removed.
    let out = package(
        &proj,
        &["-o", "../a/pkg", "--zip", "--replaces", "0.0.0", "--force"],
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!stale.exists());
    let lifecycle = std::fs::read_to_string(tmp.path().join("a/pkg/lifecycle.yaml")).unwrap();
    assert!(lifecycle.contains("replaces: \"0.0.0\""), "{lifecycle}");
}

#[test]
fn dry_run_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let proj = project(tmp.path());
    let before = files(tmp.path());
    let out = package(&proj, &["-o", "pkg", "--zip", "--dry-run"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("would write") && stdout.contains("create metadata.yaml"),
        "{stdout}"
    );
    assert_eq!(files(tmp.path()), before);
}
