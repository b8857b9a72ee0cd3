//! Golden test of the OLM commands against operator-sdk's own output for its memcached sample
//! (tests/fixtures/operator-sdk/memcached-operator, see its README): a scaffolded memcached
//! project, given the sample's API, CRD, RBAC and webhook, must produce the same base CSV,
//! scorecard config, kustomization, bundle file set, CSV, annotations and Dockerfile, up to the
//! differences listed in `LEGITIMATE` with their reasons.
//!
//! The check is a function of the project directory (`check_against_fixture`), so it can be
//! pointed at a hand-completed example project too.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

mod common;

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/operator-sdk/memcached-operator")
}

/// The fixture's `createdAt`, as seconds since the epoch.
const FIXTURE_CREATED_AT: &str = "1667928397";

fn scaffold(dir: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("scaffold")
        .unwrap()
        .current_dir(dir)
        .env("SOURCE_DATE_EPOCH", FIXTURE_CREATED_AT)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "scaffold {args:?} failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn yaml(path: &Path) -> Value {
    let mut docs: Vec<Value> = serde_saphyr::from_multiple::<Value>(&read(path))
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .into_iter()
        .filter(|v| !v.is_null())
        .collect();
    assert_eq!(docs.len(), 1, "{}: one document expected", path.display());
    docs.remove(0)
}

/// A scaffolded memcached project, completed with the sample's API, CRD, RBAC, webhook
/// configuration and sample (what `cargo xtask generate manifests` would write after a build,
/// which this test does not run: building a generated project takes minutes).
fn memcached_project(dir: &Path) {
    for args in [
        &[
            "init",
            "--domain",
            "example.com",
            "--project-name",
            "memcached-operator",
            "--kubeforge-version",
            "0.1.0",
        ][..],
        &[
            "create",
            "api",
            "--group",
            "cache",
            "--version",
            "v1alpha1",
            "--kind",
            "Memcached",
        ],
        &[
            "create",
            "webhook",
            "--group",
            "cache",
            "--version",
            "v1alpha1",
            "--kind",
            "Memcached",
            "--defaulting",
        ],
    ] {
        scaffold(dir, args);
    }
    let f = fixture();
    let copy = |from: &str, to: &str| {
        let to = dir.join(to);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(f.join(from), &to).unwrap_or_else(|e| panic!("{from}: {e}"));
    };
    copy(
        "kubeforge/memcached_types.rs",
        "api/src/v1alpha1/memcached_types.rs",
    );
    copy("kubeforge/role.yaml", "config/rbac/role.yaml");
    copy(
        "kubeforge/webhook_manifests.yaml",
        "config/webhook/manifests.yaml",
    );
    copy(
        "kubeforge/memcached_sample.yaml",
        "config/samples/cache_v1alpha1_memcached.yaml",
    );
    copy(
        "config/crd/bases/cache.example.com_memcacheds.yaml",
        "config/crd/bases/cache.example.com_memcacheds.yaml",
    );
    // The sample enables the Prometheus ServiceMonitor, as its users do by uncommenting it.
    let default = dir.join("config/default/kustomization.yaml");
    let text = read(&default).replace("#- ../prometheus", "- ../prometheus");
    std::fs::write(default, text).unwrap();
}

/// Paths (JSON pointers) of the bundle CSV that legitimately differ from operator-sdk's, and why.
const LEGITIMATE: &[(&str, &str)] = &[
    (
        "/spec/install/spec/deployments/0/spec/template/spec/containers/0/args",
        "the Kubeforge manager's flags (--webhook-cert-dir/--webhook-port, 0.0.0.0 bind addresses; no --metrics-cert-path)",
    ),
    (
        "/spec/install/spec/deployments/0/spec/template/spec/containers/0/command",
        "the manager binary is /<project-name>, not /manager",
    ),
    (
        "/spec/install/spec/deployments/0/spec/template/spec/containers/0/image",
        "the fixture's image was set by `make bundle IMG=...`; a fresh project has controller:latest",
    ),
    (
        "/spec/install/spec/deployments/0/spec/template/spec/containers/0/env",
        "MEMCACHED_IMAGE comes from the Go sample's deploy-image controller, not from the bundle tooling",
    ),
    (
        "/spec/install/spec/deployments/0/spec/template/spec/containers/0/ports",
        "the Kubeforge manager also names its health and metrics ports",
    ),
    (
        "/spec/install/spec/deployments/0/spec/template/spec/containers/0/securityContext/readOnlyRootFilesystem",
        "the Kubeforge manager runs with a read-only root filesystem (secure by default)",
    ),
    (
        "/spec/install/spec/deployments/0/spec/template/spec/containers/0/volumeMounts",
        "the OLM patch removes the webhook cert mount (OLM mounts its own certs there); the fixture's upstream patch removed another mount",
    ),
    (
        "/spec/install/spec/deployments/0/spec/template/spec/volumes",
        "as volumeMounts: the webhook cert volume is removed for OLM",
    ),
    (
        "/spec/install/spec/deployments/0/spec/strategy",
        "operator-sdk's typed Deployment writes the Go zero value `strategy: {}`",
    ),
    (
        "/spec/install/spec/permissions/0/rules",
        "Kubeforge's leader election (Lease objects) needs no configmaps rule",
    ),
];

/// Paths of the other bundle manifests that legitimately differ, by file name, and why.
const LEGITIMATE_MANIFESTS: &[(&str, &str, &str)] = &[
    (
        "*",
        "/metadata/creationTimestamp",
        "operator-sdk's typed objects write the Go zero value `creationTimestamp: null`",
    ),
    (
        "*",
        "/status",
        "operator-sdk's typed objects write empty Go status structs",
    ),
    (
        "memcached-operator-controller-manager-metrics-monitor_monitoring.coreos.com_v1_servicemonitor.yaml",
        "/spec/endpoints",
        "the Kubeforge manager serves /metrics over plain HTTP (port `http`, no TLS or bearer token)",
    ),
    (
        "memcached-operator-controller-manager-metrics-service_v1_service.yaml",
        "/spec/ports/0/name",
        "the metrics port is named `http`: plain HTTP, as above",
    ),
    (
        "memcached-operator-memcached-admin-role_rbac.authorization.k8s.io_v1_clusterrole.yaml",
        "/rules/0/verbs",
        "Kubeforge's admin role lists every verb instead of `*`",
    ),
];

fn remove(value: &mut Value, pointer: &str) {
    let (parent, last) = pointer.rsplit_once('/').unwrap();
    let target = if parent.is_empty() {
        Some(&mut *value)
    } else {
        value.pointer_mut(parent)
    };
    if let Some(Value::Object(map)) = target {
        map.remove(last);
    }
}

fn diff(ours: &Value, theirs: &Value, at: &str, out: &mut Vec<String>) {
    match (ours, theirs) {
        (Value::Object(a), Value::Object(b)) => {
            let keys: BTreeSet<&String> = a.keys().chain(b.keys()).collect();
            for k in keys {
                let p = format!("{at}/{k}");
                match (a.get(k), b.get(k)) {
                    (Some(x), Some(y)) => diff(x, y, &p, out),
                    (Some(x), None) => out.push(format!("{p}: only ours: {x}")),
                    (None, Some(y)) => out.push(format!("{p}: only operator-sdk's: {y}")),
                    (None, None) => {}
                }
            }
        }
        (Value::Array(a), Value::Array(b)) if a.len() == b.len() => {
            for (i, (x, y)) in a.iter().zip(b).enumerate() {
                diff(x, y, &format!("{at}/{i}"), out);
            }
        }
        _ if ours != theirs => out.push(format!("{at}: ours {ours} != operator-sdk's {theirs}")),
        _ => {}
    }
}

fn manifest_names(dir: &Path) -> BTreeSet<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect()
}

/// Compares the OLM files of `project` (config/manifests, config/scorecard, bundle/,
/// bundle.Dockerfile) with operator-sdk's, ignoring the `extra` paths (file name, JSON pointer,
/// why; an empty pointer: a bundle manifest the project does not have) on top of the ones every
/// Kubeforge project has, after `normalise` has rewritten both sides of each file.
fn check_against_fixture(
    project: &Path,
    extra: &[(&str, &str, &str)],
    normalise: fn(&str, &mut Value),
) {
    let f = fixture();
    let mut failures = Vec::new();

    // config/: the base CSV (semantically), the scorecard files and the kustomization (as text).
    let base = "config/manifests/bases/memcached-operator.clusterserviceversion.yaml";
    let (mut a, mut b) = (yaml(&project.join(base)), yaml(&f.join(base)));
    normalise(base, &mut a);
    normalise(base, &mut b);
    for (file, pointer, _why) in extra {
        if *file == base {
            remove(&mut a, pointer);
            remove(&mut b, pointer);
        }
    }
    diff(&a, &b, base, &mut failures);
    for text_file in [
        "config/scorecard/bases/config.yaml",
        "config/scorecard/kustomization.yaml",
        "config/scorecard/patches/basic.config.yaml",
        "config/scorecard/patches/olm.config.yaml",
        "bundle/metadata/annotations.yaml",
        "bundle.Dockerfile",
    ] {
        if read(&project.join(text_file)) != read(&f.join(text_file)) {
            failures.push(format!("{text_file}: differs from operator-sdk's"));
        }
    }
    let kustomization = "config/manifests/kustomization.yaml";
    let no_blank = |t: String| {
        t.lines()
            .filter(|l| !l.trim().is_empty())
            .collect::<Vec<_>>()
            .join("\n")
    };
    if no_blank(read(&project.join(kustomization))) != no_blank(read(&f.join(kustomization))) {
        failures.push(format!("{kustomization}: differs from operator-sdk's"));
    }
    let scorecard = "bundle/tests/scorecard/config.yaml";
    diff(
        &yaml(&project.join(scorecard)),
        &yaml(&f.join(scorecard)),
        scorecard,
        &mut failures,
    );

    // bundle/manifests: the same files; the CSV and each manifest equal up to the listed paths.
    let ours_dir = project.join("bundle/manifests");
    let theirs_dir = f.join("bundle/manifests");
    let (ours, mut theirs) = (manifest_names(&ours_dir), manifest_names(&theirs_dir));
    for (file, _, _why) in extra.iter().filter(|(_, pointer, _)| pointer.is_empty()) {
        if !theirs.remove(*file) || ours.contains(*file) {
            failures.push(format!(
                "{file} is listed as absent from ours, but it is not, or not in operator-sdk's"
            ));
        }
    }
    if ours != theirs {
        failures.push(format!(
            "bundle/manifests file set differs: only ours {:?}, only operator-sdk's {:?}",
            ours.difference(&theirs).collect::<Vec<_>>(),
            theirs.difference(&ours).collect::<Vec<_>>()
        ));
    }
    for name in ours.intersection(&theirs) {
        let mut a = yaml(&ours_dir.join(name));
        let mut b = yaml(&theirs_dir.join(name));
        normalise(name, &mut a);
        normalise(name, &mut b);
        if name.ends_with(".clusterserviceversion.yaml") {
            for (pointer, _why) in LEGITIMATE {
                remove(&mut a, pointer);
                remove(&mut b, pointer);
            }
        }
        for (file, pointer, _why) in LEGITIMATE_MANIFESTS.iter().chain(extra) {
            if *file == "*" || *file == name {
                remove(&mut a, pointer);
                remove(&mut b, pointer);
            }
        }
        diff(&a, &b, &format!("bundle/manifests/{name}"), &mut failures);
    }
    assert!(
        failures.is_empty(),
        "differences from operator-sdk's output (fix them, or list them with a reason):\n{}",
        failures.join("\n")
    );
}

#[test]
fn memcached_bundle_matches_operator_sdk() {
    let tmp = tempfile::tempdir().unwrap();
    let project = tmp.path();
    memcached_project(project);
    scaffold(project, &["generate", "kustomize", "manifests"]);
    scaffold(project, &["generate", "bundle", "--version", "0.0.1"]);
    check_against_fixture(project, &[], |_, _| {});
}

const EXAMPLE_BASE_CSV: &str =
    "config/manifests/bases/memcached-operator.clusterserviceversion.yaml";
const EXAMPLE_CSV: &str = "memcached-operator.clusterserviceversion.yaml";
const EXAMPLE_CRD: &str = "cache.example.com_memcacheds.yaml";

/// What examples/memcached-operator adds to the sample's API and fills in by hand, by file and
/// JSON pointer, with the reason.
const EXAMPLE_DIFFERENCES: &[(&str, &str, &str)] = &[
    (
        "memcached-operator-controller-manager-metrics-monitor_monitoring.coreos.com_v1_servicemonitor.yaml",
        "",
        "the example leaves Prometheus off in config/default, as scaffolded (the sample turns it on)",
    ),
    (
        EXAMPLE_CSV,
        "/metadata/annotations/createdAt",
        "the example's bundle was built on another day",
    ),
    (
        EXAMPLE_CRD,
        "/metadata/annotations",
        "made by Kubeforge's derive (kubeforge.io/version), not by controller-gen",
    ),
    (
        EXAMPLE_CRD,
        "/spec/versions/0/schema",
        "the example's API: scaffold's deploy-image types (size 0-10 default 1, containerPort 1-65535, \
         doc comments that start with the JSON name as kube-api-linter wants, conditions as a list-map) \
         and the hand-written status fields nodes, replicas, readyReplicas, selector",
    ),
    (
        EXAMPLE_CRD,
        "/spec/versions/0/additionalPrinterColumns",
        "the example's printer columns (Size, Ready, Age)",
    ),
    (
        EXAMPLE_CRD,
        "/spec/versions/0/subresources/scale",
        "the example's scale subresource",
    ),
];

/// Spec fields of the CSV the example fills in by hand, in the base CSV and so in the bundle.
const EXAMPLE_FILLED_IN: &[&str] = &[
    "description",
    "icon",
    "keywords",
    "links",
    "maintainers",
    "provider",
];

/// Both sides of each CSV, without what the example legitimately changes: the fields it fills
/// in, the owned CRD's descriptors (their text is the example's doc comments, and it adds
/// podCount and the nodes status), and the Events rule (kube-rs's recorder writes
/// events.k8s.io/v1 Events, controller-runtime's core v1 Events).
fn example_normalise(file: &str, value: &mut Value) {
    if file != EXAMPLE_CSV && file != EXAMPLE_BASE_CSV {
        return;
    }
    for field in EXAMPLE_FILLED_IN {
        remove(value, &format!("/spec/{field}"));
    }
    for descriptors in ["specDescriptors", "statusDescriptors"] {
        remove(
            value,
            &format!("/spec/customresourcedefinitions/owned/0/{descriptors}"),
        );
    }
    if let Some(Value::Array(rules)) =
        value.pointer_mut("/spec/install/spec/clusterPermissions/0/rules")
    {
        rules.retain(|rule| rule["resources"] != serde_json::json!(["events"]));
    }
}

/// The bundle examples/memcached-operator ships (kept current by the examples test's `--check`)
/// is operator-sdk's, up to the example's additions to the API and its filled-in CSV.
#[test]
fn memcached_example_bundle_matches_operator_sdk() {
    let example = common::repo_root().join("examples/memcached-operator");
    check_against_fixture(&example, EXAMPLE_DIFFERENCES, example_normalise);
    // What the normalisation hides is still there, so the lists above stay honest.
    let csv = yaml(&example.join("bundle/manifests").join(EXAMPLE_CSV));
    let owned = &csv["spec"]["customresourcedefinitions"]["owned"][0];
    assert_eq!(owned["specDescriptors"].as_array().map(Vec::len), Some(2));
    assert_eq!(owned["statusDescriptors"].as_array().map(Vec::len), Some(2));
    assert!(
        csv["spec"]["install"]["spec"]["clusterPermissions"][0]["rules"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["apiGroups"] == serde_json::json!(["events.k8s.io"]))
    );
}
