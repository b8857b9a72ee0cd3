//! `scaffold edit --plugins helm` / `scaffold generate helm` on a fixed project (init + create
//! api + create webhook, with the CRD and webhook manifests written by hand instead of compiling
//! the project): snapshots of the chart, idempotence and ownership of files, the chart's
//! structure, and, when a `helm` binary is there (.ci/run installs one), `helm template` of the
//! chart compared object by object with `kubectl kustomize config/default`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::Command as Process;

use assert_cmd::Command;
use serde_json::Value;

mod common;

use common::files;

fn scaffold(dir: &Path, args: &[&str]) -> String {
    let out = Command::cargo_bin("scaffold")
        .unwrap()
        .current_dir(dir)
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

const CRD: &str = "---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: memcacheds.cache.example.com
spec:
  group: cache.example.com
  names:
    kind: Memcached
    listKind: MemcachedList
    plural: memcacheds
    singular: memcached
  scope: Namespaced
  versions:
  - name: v1alpha1
    schema:
      openAPIV3Schema:
        description: Memcached is the Schema for the memcacheds API. Not a {{ template }}.
        properties:
          spec:
            properties:
              size:
                type: integer
            type: object
        type: object
    served: true
    storage: true
    subresources:
      status: {}
";

const WEBHOOKS: &str = "---
apiVersion: admissionregistration.k8s.io/v1
kind: MutatingWebhookConfiguration
metadata:
  name: mutating-webhook-configuration
webhooks:
- admissionReviewVersions:
  - v1
  clientConfig:
    service:
      name: webhook-service
      namespace: system
      path: /mutate-cache-example-com-v1alpha1-memcached
  failurePolicy: Fail
  name: mmemcached-v1alpha1.kb.io
  rules:
  - apiGroups:
    - cache.example.com
    apiVersions:
    - v1alpha1
    operations:
    - CREATE
    - UPDATE
    resources:
    - memcacheds
  sideEffects: None
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingWebhookConfiguration
metadata:
  name: validating-webhook-configuration
webhooks:
- admissionReviewVersions:
  - v1
  clientConfig:
    service:
      name: webhook-service
      namespace: system
      path: /validate-cache-example-com-v1alpha1-memcached
  failurePolicy: Fail
  name: vmemcached-v1alpha1.kb.io
  rules:
  - apiGroups:
    - cache.example.com
    apiVersions:
    - v1alpha1
    operations:
    - CREATE
    - UPDATE
    resources:
    - memcacheds
  sideEffects: None
";

/// The fixed project, with the generated manifests `cargo xtask generate manifests` would write.
fn project(dir: &Path) {
    scaffold(
        dir,
        &[
            "init",
            "--domain",
            "example.com",
            "--project-name",
            "memcached-operator",
            "--kubeforge-version",
            "0.1.0",
        ],
    );
    scaffold(
        dir,
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
    );
    scaffold(
        dir,
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
            "--programmatic-validation",
        ],
    );
    std::fs::create_dir_all(dir.join("config/crd/bases")).unwrap();
    std::fs::write(
        dir.join("config/crd/bases/cache.example.com_memcacheds.yaml"),
        CRD,
    )
    .unwrap();
    std::fs::write(dir.join("config/webhook/manifests.yaml"), WEBHOOKS).unwrap();
}

fn chart_project() -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("memcached-operator");
    std::fs::create_dir_all(&dir).unwrap();
    project(&dir);
    scaffold(&dir, &["edit", "--plugins", "helm"]);
    (tmp, dir)
}

fn docs(yaml: &str) -> Vec<Value> {
    serde_saphyr::from_multiple::<Value>(yaml)
        .unwrap()
        .into_iter()
        .filter(Value::is_object)
        .collect()
}

fn kustomize(dir: &Path) -> Vec<Value> {
    let out = Process::new("kubectl")
        .args(["kustomize", "config/default"])
        .current_dir(dir)
        .output()
        .expect("kubectl (with built-in kustomize) is needed: .ci/run installs it");
    assert!(out.status.success());
    docs(&String::from_utf8_lossy(&out.stdout))
}

#[test]
fn chart_snapshots() {
    let (_tmp, dir) = chart_project();
    let chart = files(&dir.join("dist/chart"));
    insta::assert_snapshot!(
        "chart_file_list",
        chart.keys().cloned().collect::<Vec<_>>().join("\n")
    );
    for (path, text) in &chart {
        insta::assert_snapshot!(format!("chart__{}", path.replace('/', "__")), text);
    }
    let project = std::fs::read_to_string(dir.join("PROJECT")).unwrap();
    assert!(
        project.contains(
            "plugins:\n  helm.kubebuilder.io/v2-alpha:\n    manifests: dist/install.yaml\n    output: dist\n"
        ),
        "{project}"
    );
}

#[test]
fn regenerating_changes_nothing_keeps_user_files_and_drops_stale_templates() {
    let (_tmp, dir) = chart_project();
    let before = files(&dir);
    let out = scaffold(&dir, &["generate", "helm"]);
    assert!(out.contains("wrote 0 files"), "{out}");
    assert_eq!(before, files(&dir));
    // The alias names the same plugin, recorded once.
    scaffold(&dir, &["edit", "--plugins", "helm/v2-alpha"]);
    assert_eq!(before, files(&dir));

    // values.yaml and Chart.yaml are the user's; templates are regenerated.
    let values = dir.join("dist/chart/values.yaml");
    let edited = before["dist/chart/values.yaml"].replace("replicas: 1", "replicas: 3");
    std::fs::write(&values, &edited).unwrap();
    let manager = dir.join("dist/chart/templates/manager/manager.yaml");
    std::fs::write(&manager, "edited").unwrap();
    let stale = dir.join("dist/chart/templates/rbac/gone-role.yaml");
    let header = before["dist/chart/templates/rbac/manager-role.yaml"]
        .lines()
        .next()
        .unwrap()
        .to_owned();
    std::fs::write(&stale, format!("{header}\nkind: Role\n")).unwrap();
    let mine = dir.join("dist/chart/templates/extras/mine.yaml");
    std::fs::create_dir_all(mine.parent().unwrap()).unwrap();
    std::fs::write(&mine, "kind: ConfigMap\n").unwrap();
    let out = scaffold(&dir, &["generate", "helm"]);
    assert!(
        out.contains("remove dist/chart/templates/rbac/gone-role.yaml"),
        "{out}"
    );
    assert_eq!(std::fs::read_to_string(&values).unwrap(), edited);
    assert_eq!(
        std::fs::read_to_string(&manager).unwrap(),
        before["dist/chart/templates/manager/manager.yaml"]
    );
    assert!(!stale.exists());
    assert!(mine.exists(), "a template the user added is left alone");

    // --dry-run writes nothing; --force writes values.yaml again.
    scaffold(&dir, &["generate", "helm", "--force", "--dry-run"]);
    assert_eq!(std::fs::read_to_string(&values).unwrap(), edited);
    scaffold(&dir, &["generate", "helm", "--force"]);
    assert_eq!(
        std::fs::read_to_string(&values).unwrap(),
        before["dist/chart/values.yaml"]
    );
}

#[test]
fn kubectl_missing_is_named() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("p");
    std::fs::create_dir_all(&dir).unwrap();
    project(&dir);
    let out = Command::cargo_bin("scaffold")
        .unwrap()
        .current_dir(&dir)
        .env("KUBECTL", dir.join("no-such-kubectl"))
        .args(["generate", "helm"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("kubectl not found"), "{stderr}");
    assert!(!dir.join("dist").exists());
}

/// `.Values.a.b` paths referenced by a template.
fn value_refs(text: &str) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for (at, _) in text.match_indices(".Values.") {
        let rest = &text[at + ".Values.".len()..];
        let path: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '.' || *c == '_')
            .collect();
        out.insert(path.trim_end_matches('.').to_owned());
    }
    out
}

/// Go-template actions blanked out, so that the YAML around them can be parsed: lines that
/// are only an action go, an action inside a line becomes a placeholder scalar.
fn without_actions(text: &str) -> String {
    let mut out = String::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("{{")
            && trimmed.ends_with("}}")
            && trimmed.matches("{{").count() == 1
        {
            continue;
        }
        let mut l = line.to_owned();
        while let (Some(a), Some(b)) = (l.find("{{"), l.find("}}")) {
            if b < a {
                break;
            }
            l.replace_range(a..b + 2, "X");
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

#[test]
fn chart_structure() {
    let (_tmp, dir) = chart_project();
    let chart = files(&dir.join("dist/chart"));
    let values: Value = serde_saphyr::from_str(&chart["values.yaml"]).unwrap();
    let templates: BTreeMap<&String, &String> = chart
        .iter()
        .filter(|(p, _)| p.starts_with("templates/") && p.ends_with(".yaml"))
        .collect();
    // Every value a template reads is in values.yaml.
    for (path, text) in chart.iter().filter(|(p, _)| p.starts_with("templates/")) {
        for r in value_refs(text) {
            let found = r.split('.').try_fold(&values, |v, k| v.get(k)).is_some();
            assert!(found, "{path} reads .Values.{r}, which values.yaml lacks");
        }
    }
    // Every template is YAML once its actions are out, and holds one object.
    let mut objects = BTreeMap::new();
    for (path, text) in &templates {
        let parsed = docs(&without_actions(text));
        assert_eq!(parsed.len(), 1, "{path}");
        let obj = &parsed[0];
        objects.insert(
            (
                obj["kind"].as_str().unwrap().to_owned(),
                obj["metadata"]["name"].as_str().unwrap().to_owned(),
            ),
            (path.as_str(), text.as_str()),
        );
    }
    // Every object of the install (but the Namespace) has its template, under its toggle.
    let toggles = [
        ("CustomResourceDefinition", "{{- if .Values.crd.enable }}"),
        (
            "MutatingWebhookConfiguration",
            "{{- if .Values.webhook.enable }}",
        ),
        (
            "ValidatingWebhookConfiguration",
            "{{- if .Values.webhook.enable }}",
        ),
        ("Issuer", "{{- if .Values.certManager.enable }}"),
        (
            "Certificate",
            "{{- if and .Values.certManager.enable .Values.webhook.enable }}",
        ),
        ("ServiceAccount", "{{- if .Values.serviceAccount.enable }}"),
    ];
    for obj in kustomize(&dir) {
        let kind = obj["kind"].as_str().unwrap();
        let name = obj["metadata"]["name"].as_str().unwrap();
        if kind == "Namespace" {
            continue;
        }
        let (path, text) = objects
            .get(&(kind.to_owned(), name.to_owned()))
            .unwrap_or_else(|| panic!("no template for {kind} {name}"));
        if let Some((_, toggle)) = toggles.iter().find(|(k, _)| *k == kind) {
            assert_eq!(text.lines().nth(1), Some(*toggle), "{path}");
        }
        if kind == "Deployment" {
            assert_eq!(*path, "templates/manager/manager.yaml");
            assert_eq!(
                text.lines().nth(1),
                Some("apiVersion: apps/v1"),
                "the manager is always installed"
            );
        }
    }
    // The off-by-default extras are there, off.
    let monitor = &chart["templates/prometheus/controller-manager-metrics-monitor.yaml"];
    assert_eq!(
        monitor.lines().nth(1),
        Some("{{- if and .Values.prometheus.enable .Values.metrics.enable }}")
    );
    assert!(chart.contains_key("templates/network-policy/allow-metrics-traffic.yaml"));
    // Braces of the object itself are escaped, not read as actions.
    assert!(
        chart["templates/crd/memcacheds.cache.example.com.yaml"]
            .contains("Not a {{ \"{{\" }} template }}.")
    );
}

/// The helm binary: `$HELM`, else `helm` on PATH; None when there is none.
fn helm() -> Option<String> {
    let program = std::env::var("HELM").unwrap_or_else(|_| "helm".to_owned());
    Process::new(&program)
        .arg("version")
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|_| program)
}

fn helm_template(helm: &str, dir: &Path, set: &[&str]) -> Vec<Value> {
    let mut cmd = Process::new(helm);
    cmd.args([
        "template",
        "memcached-operator",
        "dist/chart",
        "--namespace",
        "memcached-operator-system",
    ])
    .current_dir(dir);
    for s in set {
        cmd.args(["--set", s]);
    }
    let out = cmd.output().unwrap();
    assert!(
        out.status.success(),
        "helm template failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    docs(&String::from_utf8_lossy(&out.stdout))
}

fn by_id(objects: Vec<Value>) -> BTreeMap<(String, String), Value> {
    objects
        .into_iter()
        .map(|o| {
            let id = (
                o["kind"].as_str().unwrap_or_default().to_owned(),
                o["metadata"]["name"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            );
            (id, o)
        })
        .collect()
}

fn remove(obj: &mut Value, path: &[&str]) {
    let (last, parents) = path.split_last().unwrap();
    let mut v = obj;
    for p in parents {
        match v.get_mut(*p) {
            Some(next) => v = next,
            None => return,
        }
    }
    if let Some(map) = v.as_object_mut() {
        map.remove(*last);
    }
}

/// The differences allowed between `helm template` and `kubectl kustomize`, each with its reason.
fn normalise(mut obj: Value) -> Value {
    // Helm's own labels (chart.labels in _helpers.tpl): helm.sh/chart, instance, and
    // managed-by Helm in place of kustomize.
    for label in [
        "helm.sh/chart",
        "app.kubernetes.io/instance",
        "app.kubernetes.io/managed-by",
    ] {
        remove(&mut obj, &["metadata", "labels", label]);
    }
    // crd.keep: CRDs survive `helm uninstall`.
    remove(
        &mut obj,
        &["metadata", "annotations", "helm.sh/resource-policy"],
    );
    // manager.image.pullPolicy: kubebuilder's IfNotPresent is set explicitly.
    if let Some(containers) = obj
        .pointer_mut("/spec/template/spec/containers")
        .and_then(Value::as_array_mut)
    {
        for c in containers {
            remove(c, &["imagePullPolicy"]);
        }
    }
    for map in ["labels", "annotations"] {
        if obj["metadata"][map]
            .as_object()
            .is_some_and(|m| m.is_empty())
        {
            remove(&mut obj, &["metadata", map]);
        }
    }
    obj
}

#[test]
fn helm_template_renders_the_kustomize_install() {
    let Some(helm) = helm() else {
        eprintln!(
            "SKIPPED helm_template_renders_the_kustomize_install: no helm binary (set HELM or put helm on PATH; .ci/run installs one)"
        );
        return;
    };
    let (_tmp, dir) = chart_project();
    let mut kustomized = by_id(kustomize(&dir));
    // `helm install --create-namespace` makes the namespace; the chart has no Namespace.
    kustomized.retain(|(kind, _), _| kind != "Namespace");
    let rendered = by_id(helm_template(&helm, &dir, &[]));
    assert_eq!(
        kustomized.keys().collect::<Vec<_>>(),
        rendered.keys().collect::<Vec<_>>(),
        "the same objects"
    );
    for (id, want) in kustomized {
        let got = normalise(rendered[&id].clone());
        pretty_assertions::assert_eq!(normalise(want), got, "{id:?}");
    }

    // The toggles and values do what they say.
    let off = by_id(helm_template(
        &helm,
        &dir,
        &[
            "webhook.enable=false",
            "certManager.enable=false",
            "crd.enable=false",
            "rbacHelpers.enable=false",
        ],
    ));
    for (kind, _) in off.keys() {
        assert!(
            ![
                "MutatingWebhookConfiguration",
                "ValidatingWebhookConfiguration",
                "Certificate",
                "Issuer",
                "CustomResourceDefinition"
            ]
            .contains(&kind.as_str()),
            "{kind} is still rendered"
        );
    }
    assert!(!off.keys().any(|(_, n)| n.ends_with("-admin-role")));
    let deployment = &off[&(
        "Deployment".to_owned(),
        "memcached-operator-controller-manager".to_owned(),
    )];
    let manager = &deployment["spec"]["template"]["spec"]["containers"][0];
    let args = manager["args"].to_string();
    assert!(!args.contains("--webhook-port"), "{args}");
    assert!(manager["volumeMounts"].as_array().is_none_or(Vec::is_empty));

    let tuned = by_id(helm_template(
        &helm,
        &dir,
        &[
            "metrics.port=9090",
            "manager.replicas=2",
            "manager.image.repository=example.com/op",
            "manager.image.tag=v1",
            "prometheus.enable=true",
            "networkPolicy.enable=true",
        ],
    ));
    let deployment = &tuned[&(
        "Deployment".to_owned(),
        "memcached-operator-controller-manager".to_owned(),
    )];
    assert_eq!(deployment["spec"]["replicas"], 2);
    let manager = &deployment["spec"]["template"]["spec"]["containers"][0];
    assert_eq!(manager["image"], "example.com/op:v1");
    assert!(
        manager["args"]
            .to_string()
            .contains("--metrics-bind-address=0.0.0.0:9090")
    );
    let service = &tuned[&(
        "Service".to_owned(),
        "memcached-operator-controller-manager-metrics-service".to_owned(),
    )];
    assert_eq!(service["spec"]["ports"][0]["port"], 9090);
    assert!(tuned.keys().any(|(k, _)| k == "ServiceMonitor"));
    assert!(tuned.keys().any(|(k, _)| k == "NetworkPolicy"));
}
