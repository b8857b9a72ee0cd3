//! `scaffold bundle validate`: operator-sdk's memcached-operator bundle passes; each broken copy of
//! it fails with exit code 1 and a line naming the file and the field.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

mod common;

use common::copy_dir;

const FIXTURE: &str = "tests/fixtures/operator-sdk/memcached-operator";
const CSV: &str = "bundle/manifests/memcached-operator.clusterserviceversion.yaml";
const CRD: &str = "bundle/manifests/cache.example.com_memcacheds.yaml";
const ANNOTATIONS: &str = "bundle/metadata/annotations.yaml";
const ROLE: &str = "bundle/manifests/memcached-operator-metrics-reader_rbac.authorization.k8s.io_v1_clusterrole.yaml";

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE)
}

/// A temp copy of the fixture project root: `bundle/` and `bundle.Dockerfile`.
fn fixture_copy() -> tempfile::TempDir {
    let tmp = tempfile::tempdir().unwrap();
    copy_dir(&fixture(), tmp.path());
    tmp
}

fn replace(root: &Path, rel: &str, from: &str, to: &str) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

fn write(root: &Path, rel: &str, text: &str) {
    std::fs::write(root.join(rel), text).unwrap();
}

/// Runs the validator on `bundle` from `root`, so paths print as `bundle/...`.
fn validate(root: &Path) -> (i32, String, String) {
    let out = Command::cargo_bin("scaffold")
        .unwrap()
        .current_dir(root)
        .args(["bundle", "validate", "bundle"])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn warnings(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect()
}

#[test]
fn the_operator_sdk_bundle_is_valid_with_one_warning() {
    let tmp = fixture_copy();
    let (code, stdout, stderr) = validate(tmp.path());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stderr.lines().collect::<Vec<_>>(),
        [format!(
            "warning: {CSV}: spec.icon[0].base64data: empty; catalogs show a default icon"
        )],
    );
    assert!(
        stdout.contains("bundle bundle is valid (1 warning(s))"),
        "{stdout}"
    );
}

#[test]
fn a_bundle_with_only_warnings_exits_zero() {
    let tmp = fixture_copy();
    let root = tmp.path();
    replace(
        root,
        CSV,
        "  description: Memcached Operator description. TODO.\n",
        "  description: \"\"\n",
    );
    replace(
        root,
        CSV,
        "  maintainers:\n  - email: your@email.com\n    name: Maintainer Name\n",
        "",
    );
    replace(
        root,
        CSV,
        "  provider:\n    name: Provider Name\n",
        "  provider:\n",
    );
    let csv = std::fs::read_to_string(root.join(CSV)).unwrap();
    let start = csv.find("    alm-examples: |-").unwrap();
    let end = csv.find("    capabilities:").unwrap();
    write(
        root,
        CSV,
        &format!("{}    alm-examples: '[]'\n{}", &csv[..start], &csv[end..]),
    );
    let (code, _, stderr) = validate(root);
    assert_eq!(code, 0, "{stderr}");
    let mut got = warnings(&stderr);
    got.sort();
    let mut want = vec![
        format!(
            "warning: {CSV}: metadata.annotations.alm-examples: empty; users get no example resources to start from"
        ),
        format!(
            "warning: {CSV}: spec.description: empty; users see no description of the operator"
        ),
        format!("warning: {CSV}: spec.icon[0].base64data: empty; catalogs show a default icon"),
        format!("warning: {CSV}: spec.maintainers: missing; users see no one to contact"),
        format!("warning: {CSV}: spec.provider.name: missing; users see no provider"),
    ];
    want.sort();
    assert_eq!(got, want);
    assert_eq!(stderr.lines().count(), 5, "{stderr}");
}

struct Case {
    name: &'static str,
    mutate: fn(&Path),
    /// (file and field, message fragment): one `error:` line must hold both.
    expect: &'static [(&'static str, &'static str)],
}

const CASES: &[Case] = &[
    Case {
        name: "owned CRD missing",
        mutate: |r| std::fs::remove_file(r.join(CRD)).unwrap(),
        expect: &[(
            "clusterserviceversion.yaml: spec.customresourcedefinitions.owned[0].name",
            "owned CRD \"memcacheds.cache.example.com\" is not in manifests/",
        )],
    },
    Case {
        name: "CRD not owned by the CSV",
        mutate: |r| {
            let text = std::fs::read_to_string(r.join(CRD)).unwrap();
            let other = text
                .replace("memcacheds.cache.example.com", "caches.cache.example.com")
                .replace("Memcached", "Cache");
            write(r, "bundle/manifests/cache.example.com_caches.yaml", &other);
        },
        expect: &[(
            "cache.example.com_caches.yaml: metadata.name",
            "CRD \"caches.cache.example.com\" is not owned by the CSV",
        )],
    },
    Case {
        name: "version not semver",
        mutate: |r| replace(r, CSV, "  version: 0.0.1\n", "  version: \"0.1\"\n"),
        expect: &[(
            "clusterserviceversion.yaml: spec.version",
            "must be a semantic version",
        )],
    },
    Case {
        name: "name does not match package and version",
        mutate: |r| replace(r, CSV, "  version: 0.0.1\n", "  version: 0.0.2\n"),
        expect: &[(
            "clusterserviceversion.yaml: metadata.name",
            "it must be \"memcached-operator.v0.0.2\"",
        )],
    },
    Case {
        name: "bundle.Dockerfile label differs from annotations",
        mutate: |r| {
            replace(
                r,
                "bundle.Dockerfile",
                "channels.v1=alpha",
                "channels.v1=beta",
            )
        },
        expect: &[(
            "bundle.Dockerfile: LABEL operators.operatorframework.io.bundle.channels.v1",
            "is \"beta\" but",
        )],
    },
    Case {
        name: "bundle.Dockerfile inside the bundle lacks a label",
        mutate: |r| {
            let text = std::fs::read_to_string(r.join("bundle.Dockerfile")).unwrap();
            std::fs::remove_file(r.join("bundle.Dockerfile")).unwrap();
            let text = text.replace(
                "LABEL operators.operatorframework.io.test.config.v1=tests/scorecard/\n",
                "",
            );
            write(r, "bundle/bundle.Dockerfile", &text);
        },
        expect: &[(
            "bundle/bundle.Dockerfile: LABEL operators.operatorframework.io.test.config.v1",
            "missing;",
        )],
    },
    Case {
        name: "annotation key missing",
        mutate: |r| {
            replace(
                r,
                ANNOTATIONS,
                "  operators.operatorframework.io.bundle.mediatype.v1: registry+v1\n",
                "",
            )
        },
        expect: &[(
            "annotations.yaml: annotations.operators.operatorframework.io.bundle.mediatype.v1",
            "missing; a bundle requires it",
        )],
    },
    Case {
        name: "wrong media type",
        mutate: |r| {
            replace(
                r,
                ANNOTATIONS,
                "mediatype.v1: registry+v1",
                "mediatype.v1: plain+v0",
            );
            replace(
                r,
                "bundle.Dockerfile",
                "mediatype.v1=registry+v1",
                "mediatype.v1=plain+v0",
            );
        },
        expect: &[(
            "annotations.yaml: annotations.operators.operatorframework.io.bundle.mediatype.v1",
            "it must be \"registry+v1\"",
        )],
    },
    Case {
        name: "annotations.yaml missing",
        mutate: |r| std::fs::remove_file(r.join(ANNOTATIONS)).unwrap(),
        expect: &[(
            "bundle/metadata/annotations.yaml",
            "missing: a bundle describes",
        )],
    },
    Case {
        name: "default channel not among the channels",
        mutate: |r| {
            let extra = "  operators.operatorframework.io.bundle.channel.default.v1: stable\n";
            replace(
                r,
                ANNOTATIONS,
                "\n  # Annotations for testing.",
                &format!("{extra}\n  # Annotations for testing."),
            );
            replace(
                r,
                "bundle.Dockerfile",
                "channels.v1=alpha\n",
                "channels.v1=alpha\nLABEL operators.operatorframework.io.bundle.channel.default.v1=stable\n",
            );
        },
        expect: &[(
            "annotations.yaml: annotations.operators.operatorframework.io.bundle.channel.default.v1",
            "\"stable\" is not one of the channels (alpha)",
        )],
    },
    Case {
        name: "alm-examples not JSON",
        mutate: |r| {
            replace(
                r,
                CSV,
                "\"kind\": \"Memcached\",",
                "\"kind\": \"Memcached\"",
            )
        },
        expect: &[(
            "clusterserviceversion.yaml: metadata.annotations.alm-examples",
            "is not valid JSON",
        )],
    },
    Case {
        name: "alm-example of a kind the CSV does not own",
        mutate: |r| replace(r, CSV, "\"kind\": \"Memcached\",", "\"kind\": \"Redis\","),
        expect: &[(
            "clusterserviceversion.yaml: metadata.annotations.alm-examples[0]",
            "cache.example.com/v1alpha1 Redis is not a kind the CSV owns",
        )],
    },
    Case {
        name: "deployment selector does not match the pod labels",
        mutate: |r| {
            replace(
                r,
                CSV,
                "matchLabels:\n              app.kubernetes.io/name: memcached-operator",
                "matchLabels:\n              app.kubernetes.io/name: other",
            )
        },
        expect: &[(
            "clusterserviceversion.yaml: spec.install.spec.deployments[0].spec.selector.matchLabels.app.kubernetes.io/name",
            "does not match spec.template.metadata.labels",
        )],
    },
    Case {
        name: "container without image",
        mutate: |r| {
            replace(
                r,
                CSV,
                "                image: quay.io/example/memcached-operator:v0.0.1\n",
                "",
            )
        },
        expect: &[(
            "clusterserviceversion.yaml: spec.install.spec.deployments[0].spec.template.spec.containers[0].image",
            "missing",
        )],
    },
    Case {
        name: "install strategy not deployment",
        mutate: |r| replace(r, CSV, "    strategy: deployment\n", "    strategy: helm\n"),
        expect: &[(
            "clusterserviceversion.yaml: spec.install.strategy",
            "is \"helm\"; OLM supports only \"deployment\"",
        )],
    },
    Case {
        name: "displayName missing",
        mutate: |r| replace(r, CSV, "  displayName: Memcached Operator\n", ""),
        expect: &[(
            "clusterserviceversion.yaml: spec.displayName",
            "missing; a CSV requires it",
        )],
    },
    Case {
        name: "same object twice",
        mutate: |r| {
            std::fs::copy(
                r.join(ROLE),
                r.join("bundle/manifests/metrics-reader-copy.yaml"),
            )
            .unwrap();
        },
        expect: &[(
            "metrics-reader-copy.yaml: metadata.name",
            "ClusterRole \"memcached-operator-metrics-reader\" is defined twice",
        )],
    },
    Case {
        name: "file that is not YAML",
        mutate: |r| write(r, "bundle/manifests/broken.yaml", "kind: [unclosed\n"),
        expect: &[("bundle/manifests/broken.yaml", "is not valid YAML")],
    },
    Case {
        name: "file without kind",
        mutate: |r| {
            write(
                r,
                "bundle/manifests/nokind.yaml",
                "apiVersion: v1\nmetadata:\n  name: x\n",
            )
        },
        expect: &[("bundle/manifests/nokind.yaml", "kind: missing")],
    },
    Case {
        name: "webhook served by an unknown deployment",
        mutate: |r| {
            replace(
                r,
                CSV,
                "deploymentName: memcached-operator-controller-manager",
                "deploymentName: webhook-server",
            )
        },
        expect: &[(
            "clusterserviceversion.yaml: spec.webhookdefinitions[0].deploymentName",
            "\"webhook-server\" is not a deployment of spec.install.spec.deployments",
        )],
    },
    Case {
        name: "owned version not served",
        mutate: |r| replace(r, CRD, "served: true", "served: false"),
        expect: &[(
            "clusterserviceversion.yaml: spec.customresourcedefinitions.owned[0].version",
            "\"v1alpha1\" is not a served version of CRD",
        )],
    },
    Case {
        name: "Deployment outside the CSV",
        mutate: |r| {
            write(
                r,
                "bundle/manifests/extra_apps_v1_deployment.yaml",
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: extra\n",
            )
        },
        expect: &[(
            "extra_apps_v1_deployment.yaml: kind",
            "Deployment is not supported in a bundle",
        )],
    },
    Case {
        name: "Namespace in the bundle",
        mutate: |r| {
            write(
                r,
                "bundle/manifests/ns.yaml",
                "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: system\n",
            )
        },
        expect: &[(
            "bundle/manifests/ns.yaml: kind",
            "Namespace is not supported in a bundle",
        )],
    },
    Case {
        name: "two CSVs",
        mutate: |r| {
            let text = std::fs::read_to_string(r.join(CSV)).unwrap();
            write(
                r,
                "bundle/manifests/second.clusterserviceversion.yaml",
                &text.replace("memcached-operator.v0.0.1", "memcached-operator.v0.0.2"),
            );
        },
        expect: &[("bundle/manifests", "holds 2 ClusterServiceVersions")],
    },
    Case {
        name: "permissions for a service account no deployment uses",
        mutate: |r| {
            replace(
                r,
                CSV,
                "              serviceAccountName: memcached-operator-controller-manager\n",
                "              serviceAccountName: manager\n",
            )
        },
        expect: &[
            (
                "clusterserviceversion.yaml: spec.install.spec.clusterPermissions[0].serviceAccountName",
                "is not the serviceAccountName of any deployment's pods (manager)",
            ),
            (
                "clusterserviceversion.yaml: spec.install.spec.permissions[0].serviceAccountName",
                "is not the serviceAccountName",
            ),
        ],
    },
    Case {
        name: "CSV apiVersion wrong",
        mutate: |r| {
            replace(
                r,
                CSV,
                "apiVersion: operators.coreos.com/v1alpha1",
                "apiVersion: operators.coreos.com/v2",
            )
        },
        expect: &[(
            "clusterserviceversion.yaml: apiVersion",
            "a ClusterServiceVersion is operators.coreos.com/v1alpha1",
        )],
    },
    Case {
        name: "no installModes",
        mutate: |r| replace(r, CSV, "  installModes:\n", "  installModesX:\n"),
        expect: &[("clusterserviceversion.yaml: spec.installModes", "missing")],
    },
];

#[test]
fn broken_bundles_fail_with_file_and_field() {
    assert!(CASES.len() >= 15);
    let mut failures = Vec::new();
    for case in CASES {
        let tmp = fixture_copy();
        (case.mutate)(tmp.path());
        let (code, _, stderr) = validate(tmp.path());
        if code != 1 {
            failures.push(format!("{}: exit code {code}", case.name));
        }
        if stderr.contains("panicked") {
            failures.push(format!("{}: panicked:\n{stderr}", case.name));
        }
        let errors: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("error: "))
            .collect();
        for (place, message) in case.expect {
            if !errors
                .iter()
                .any(|l| l.contains(place) && l.contains(message))
            {
                failures.push(format!(
                    "{}: no error line with {place:?} and {message:?}:\n{stderr}",
                    case.name
                ));
            }
        }
        if !stderr.contains("is not valid:") {
            failures.push(format!("{}: no summary line:\n{stderr}", case.name));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_missing_directory_is_an_error() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, stderr) = validate(tmp.path());
    assert_eq!(code, 1);
    assert!(
        stderr.contains("error: bundle: is not a directory"),
        "{stderr}"
    );
}
