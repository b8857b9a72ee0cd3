//! `scaffold scorecard`: the memcached example's bundle passes every test (output snapshot, in
//! operator-sdk's text format); each test fails on a bundle crafted to break it, with a non-zero
//! exit; selection, listing and JSON output; basic-check-spec against an envtest API server.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

mod common;

use common::{copy_dir, repo_root};

const CSV: &str = "bundle/manifests/memcached-operator.clusterserviceversion.yaml";

fn example() -> PathBuf {
    repo_root().join("examples/memcached-operator")
}

fn scorecard(dir: &Path, args: &[&str]) -> (bool, String, String) {
    let out = Command::cargo_bin("scaffold")
        .unwrap()
        .current_dir(dir)
        .arg("scorecard")
        .args(args)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// `(test, state)` of every result in the JSON output.
fn states(stdout: &str) -> Vec<(String, String)> {
    let list: Value = serde_json::from_str(stdout).unwrap();
    list["items"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|t| {
            t["status"]["results"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .map(|r| {
            (
                r["name"].as_str().unwrap().to_owned(),
                r["state"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

#[test]
fn the_memcached_example_passes_every_test() {
    let (ok, stdout, stderr) = scorecard(&example(), &[]);
    assert!(ok, "{stdout}{stderr}");
    insta::assert_snapshot!("scorecard_memcached_text", stdout);
    let (ok, stdout, _) = scorecard(&example(), &["--output-format", "json"]);
    assert!(ok);
    let states = states(&stdout);
    let names: Vec<&str> = states.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        names,
        [
            "basic-check-spec",
            "olm-bundle-validation",
            "olm-crds-have-validation",
            "olm-crds-have-resources",
            "olm-spec-descriptors",
            "olm-status-descriptors"
        ]
    );
    assert!(states.iter().all(|(_, s)| s == "pass"), "{states:?}");
}

/// A copy of the example's bundle with the CSV changed by `edit` (written back as JSON, which
/// is YAML).
fn crafted(edit: impl FnOnce(&mut Value)) -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&example().join("bundle"), &tmp.path().join("bundle"));
    let path = tmp.path().join(CSV);
    let mut csv: Value = serde_saphyr::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    edit(&mut csv);
    std::fs::write(&path, serde_json::to_string_pretty(&csv).unwrap()).unwrap();
    tmp
}

fn examples_of(csv: &mut Value, edit: impl FnOnce(&mut Value)) {
    let annotation = &mut csv["metadata"]["annotations"]["alm-examples"];
    let mut crs: Value = serde_json::from_str(annotation.as_str().unwrap()).unwrap();
    edit(&mut crs[0]);
    *annotation = Value::String(crs.to_string());
}

fn owned(csv: &mut Value) -> &mut Value {
    &mut csv["spec"]["customresourcedefinitions"]["owned"][0]
}

/// Runs the one test `test` on the crafted bundle: it must fail (exit 1) with `expected` in its
/// output; the untouched tests still pass.
fn fails(dir: &Path, test: &str, expected: &str) {
    let selector = format!("test={test}-test");
    let (ok, stdout, stderr) = scorecard(dir, &["-l", &selector]);
    assert!(
        !ok,
        "{test} passed on a bundle crafted to break it:\n{stdout}"
    );
    assert!(
        stdout.contains(&format!("\tName: {test}\n\tState: fail\n")),
        "{stdout}"
    );
    assert!(
        stdout.contains(expected),
        "{test}: no {expected:?} in\n{stdout}"
    );
    assert!(
        stderr.contains("1 of 1 scorecard tests did not pass"),
        "{stderr}"
    );
}

#[test]
fn each_test_fails_on_a_bundle_crafted_to_break_it() {
    let dir = crafted(|csv| {
        csv["spec"]
            .as_object_mut()
            .unwrap()
            .remove("version")
            .map(drop)
            .unwrap()
    });
    fails(dir.path(), "olm-bundle-validation", "spec.version");

    let dir = crafted(|csv| examples_of(csv, |cr| cr["spec"]["replicas"] = 3.into()));
    fails(
        dir.path(),
        "olm-crds-have-validation",
        "Add CRD validation for spec field `replicas` in Memcached/v1alpha1",
    );
    fails(
        dir.path(),
        "olm-spec-descriptors",
        "replicas does not have a spec descriptor",
    );

    let dir = crafted(|csv| {
        owned(csv).as_object_mut().unwrap().remove("resources");
    });
    fails(
        dir.path(),
        "olm-crds-have-resources",
        "Owned CRDs do not have resources specified",
    );

    let dir = crafted(|csv| {
        owned(csv)
            .as_object_mut()
            .unwrap()
            .remove("statusDescriptors");
        examples_of(csv, |cr| {
            cr["status"] = serde_json::json!({"nodes": ["memcached-sample-0"]})
        });
    });
    fails(
        dir.path(),
        "olm-status-descriptors",
        "memcacheds.cache.example.com does not have a status descriptor",
    );

    let dir = crafted(|csv| csv["metadata"]["annotations"]["alm-examples"] = "[{".into());
    fails(
        dir.path(),
        "basic-check-spec",
        "error getting custom resources",
    );

    // As in operator-sdk, a CR without spec is a suggestion of basic-check-spec, and fails the
    // spec descriptors test.
    let dir =
        crafted(|csv| examples_of(csv, |cr| drop(cr.as_object_mut().unwrap().remove("spec"))));
    let (ok, stdout, _) = scorecard(dir.path(), &["-l", "test=basic-check-spec-test"]);
    assert!(
        ok && stdout.contains("spec missing from [memcached-sample]"),
        "{stdout}"
    );
    fails(
        dir.path(),
        "olm-spec-descriptors",
        "memcached-sample has no spec",
    );

    // All tests at once: the exit code is non-zero when any fails.
    let dir = crafted(|csv| {
        owned(csv).as_object_mut().unwrap().remove("resources");
    });
    let (ok, stdout, stderr) = scorecard(dir.path(), &["--output-format", "json"]);
    assert!(!ok);
    let failed: Vec<_> = states(&stdout)
        .into_iter()
        .filter(|(_, s)| s != "pass")
        .collect();
    assert_eq!(
        failed,
        [("olm-crds-have-resources".to_owned(), "fail".to_owned())]
    );
    assert!(
        stderr.contains("1 of 6 scorecard tests did not pass"),
        "{stderr}"
    );
}

#[test]
fn selection_listing_custom_tests_and_bad_input() {
    let (ok, stdout, _) = scorecard(&example(), &["--list", "-l", "suite=olm"]);
    assert!(ok);
    assert_eq!(stdout.matches("Image:      ").count(), 5, "{stdout}");
    assert!(!stdout.contains("Results:"), "{stdout}");
    let (ok, stdout, _) = scorecard(&example(), &["-l", "suite=nothing"]);
    assert!(ok);
    assert_eq!(stdout, "0 tests selected\n");

    // A custom test image cannot run here: its result is `error`, and the exit code 1.
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&example().join("bundle"), &tmp.path().join("bundle"));
    let config = tmp.path().join("custom.yaml");
    std::fs::write(
        &config,
        "apiVersion: scorecard.operatorframework.io/v1alpha3\nkind: Configuration\nstages:\n- tests:\n  - image: example/custom-test:v1\n    entrypoint: [custom-test]\n    labels: {test: custom}\n",
    )
    .unwrap();
    let (ok, stdout, _) = scorecard(tmp.path(), &["--config", "custom.yaml"]);
    assert!(!ok);
    assert!(
        stdout.contains("\tState: error\n") && stdout.contains("built-in tests"),
        "{stdout}"
    );

    std::fs::write(&config, "apiVersion: v1\nkind: ConfigMap\n").unwrap();
    let (ok, _, stderr) = scorecard(tmp.path(), &["--config", "custom.yaml"]);
    assert!(
        !ok && stderr.contains("custom.yaml")
            && stderr.contains("scorecard.operatorframework.io/v1alpha3"),
        "{stderr}"
    );
    let (ok, _, stderr) = scorecard(tmp.path(), &["--bundle", "nothing"]);
    assert!(!ok && stderr.contains("--bundle"), "{stderr}");
    let (ok, _, stderr) = scorecard(&example(), &["-l", "suite in (olm)"]);
    assert!(!ok && stderr.contains("--selector"), "{stderr}");
}

/// basic-check-spec with `--kubeconfig`: the CRs are dry-run created on a real API server,
/// which refuses one its CRD does not allow. Skips without KUBEBUILDER_ASSETS.
#[tokio::test(flavor = "current_thread")]
async fn basic_check_spec_against_a_cluster() {
    let Some(env) = kubeforge_runtime::testing::envtest::Environment::start()
        .await
        .expect("envtest")
    else {
        return;
    };
    let kubeconfig = env.kubeconfig().display().to_string();
    let args = ["--kubeconfig", kubeconfig.as_str(), "-l", "suite=basic"];
    let (ok, stdout, _) = scorecard(&example(), &args);
    assert!(!ok, "the CRD is not installed yet:\n{stdout}");
    assert!(
        stdout.contains("the cluster refused Memcached memcached-sample"),
        "{stdout}"
    );

    let crd = example().join("bundle/manifests/cache.example.com_memcacheds.yaml");
    let kubectl = |args: &[&str]| {
        let out = std::process::Command::new("kubectl")
            .arg("--kubeconfig")
            .arg(env.kubeconfig())
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    kubectl(&["apply", "-f", crd.to_str().unwrap()]);
    kubectl(&[
        "wait",
        "--for=condition=Established",
        "crd/memcacheds.cache.example.com",
        "--timeout=60s",
    ]);
    let (ok, stdout, stderr) = scorecard(&example(), &args);
    assert!(ok, "{stdout}{stderr}");
    assert!(
        stdout
            .contains("Memcached memcached-sample: accepted by the cluster (dry run), has a spec"),
        "{stdout}"
    );

    let dir = crafted(|csv| examples_of(csv, |cr| cr["spec"]["size"] = "three".into()));
    let (ok, stdout, _) = scorecard(dir.path(), &args);
    assert!(!ok);
    assert!(
        stdout.contains("the cluster refused Memcached memcached-sample")
            && stdout.contains("spec.size"),
        "{stdout}"
    );
}
