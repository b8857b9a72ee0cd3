//! `generate bundle`: the objects of `kubectl kustomize config/manifests` folded into an OLM
//! bundle the way operator-sdk does it: the Deployments, the RBAC bound to their service
//! accounts and the webhook configurations go into the CSV's install strategy and
//! webhookdefinitions; CRDs and the other supported objects become files of
//! `bundle/manifests/`; the samples become `alm-examples`; the scorecard Configuration becomes
//! `bundle/tests/scorecard/config.yaml`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use serde_json::{Map, Value, json};

use super::csv::{same_key, sort_owned};
use super::{OlmError, yaml};

/// What `build` needs besides the project directory.
#[derive(Debug, Clone)]
pub struct BundleOptions {
    /// The bundle's version, SemVer (checked by the caller).
    pub version: String,
    pub channels: Vec<String>,
    pub default_channel: Option<String>,
    pub package: String,
    /// Directory of the bundle, relative to the project (`bundle`).
    pub output_dir: String,
    /// `createdAt` annotation, RFC 3339 UTC.
    pub created_at: String,
    /// Service accounts besides the Deployments' whose bound roles go into the CSV
    /// (operator-sdk's `--extra-service-accounts`), as rendered (name prefix included).
    pub extra_service_accounts: Vec<String>,
}

/// A bundle in memory: the final CSV, and every file with its path relative to the project
/// (bundle files under `output_dir`, plus `bundle.Dockerfile`).
#[derive(Debug, Clone)]
pub struct Bundle {
    pub csv: Value,
    pub files: BTreeMap<String, String>,
    /// The bundle file name of every object config/manifests rendered, bundled or not (a
    /// role the CSV took in, say): an earlier run may have written any of them.
    pub rendered: BTreeSet<String>,
}

/// Kinds OLM accepts in a registry+v1 bundle besides the CSV and CRDs (operator-registry's list).
const SUPPORTED: &[&str] = &[
    "Secret",
    "ClusterRole",
    "ClusterRoleBinding",
    "ConfigMap",
    "ServiceAccount",
    "Service",
    "Role",
    "RoleBinding",
    "PrometheusRule",
    "ServiceMonitor",
    "PodDisruptionBudget",
    "PriorityClass",
    "VerticalPodAutoscaler",
    "ConsoleYAMLSample",
    "ConsoleQuickStart",
    "ConsoleCLIDownload",
    "ConsoleLink",
    "ConsolePlugin",
    "NetworkPolicy",
];

fn s<'a>(v: &'a Value, pointer: &str) -> &'a str {
    v.pointer(pointer).and_then(Value::as_str).unwrap_or("")
}

fn kind(v: &Value) -> &str {
    s(v, "/kind")
}

fn group_version(v: &Value) -> (&str, &str) {
    let api = s(v, "/apiVersion");
    match api.split_once('/') {
        Some((g, ver)) => (g, ver),
        None => ("", api),
    }
}

/// Builds the bundle from the project at `project_dir` (runs `kubectl kustomize`).
pub fn build(project_dir: &Path, opts: &BundleOptions) -> Result<Bundle, OlmError> {
    let objects = super::kustomize::render(project_dir, "config/manifests")?;
    assemble(objects, opts)
}

/// Builds the bundle from already rendered objects.
pub fn assemble(objects: Vec<Value>, opts: &BundleOptions) -> Result<Bundle, OlmError> {
    let rendered = objects.iter().map(manifest_file).collect();
    let csvs: Vec<&Value> = objects
        .iter()
        .filter(|o| kind(o) == "ClusterServiceVersion")
        .collect();
    let base = match csvs.as_slice() {
        [one] => (*one).clone(),
        [] => {
            return Err(OlmError::Input(
                "config/manifests renders no ClusterServiceVersion; run `scaffold generate kustomize manifests` first".into(),
            ));
        }
        _ => {
            return Err(OlmError::Input(
                "config/manifests renders several ClusterServiceVersions; keep one base CSV".into(),
            ));
        }
    };
    let crds: Vec<&Value> = objects
        .iter()
        .filter(|o| kind(o) == "CustomResourceDefinition")
        .collect();
    let owned_gk: BTreeSet<(String, String)> = crds
        .iter()
        .map(|c| {
            (
                s(c, "/spec/group").to_owned(),
                s(c, "/spec/names/kind").to_owned(),
            )
        })
        .collect();
    let deployments: Vec<&Value> = objects.iter().filter(|o| kind(o) == "Deployment").collect();
    // OLM creates every service account the CSV's permissions name, so their ServiceAccount
    // objects stay out of the bundle.
    let service_accounts: BTreeSet<String> = deployments
        .iter()
        .map(|d| match s(d, "/spec/template/spec/serviceAccountName") {
            "" => "default".to_owned(),
            sa => sa.to_owned(),
        })
        .chain(opts.extra_service_accounts.iter().cloned())
        .collect();

    let by_name = |k: &str, name: &str| {
        objects
            .iter()
            .find(|o| kind(o) == k && s(o, "/metadata/name") == name)
    };
    let mut consumed: BTreeSet<(String, String)> = BTreeSet::new();
    let key = |o: &Value| (kind(o).to_owned(), s(o, "/metadata/name").to_owned());
    let mut cluster_perms: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    let mut perms: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    for binding in objects
        .iter()
        .filter(|o| matches!(kind(o), "ClusterRoleBinding" | "RoleBinding"))
    {
        let subjects: Vec<String> = binding
            .get("subjects")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter(|sub| s(sub, "/kind") == "ServiceAccount")
            .map(|sub| s(sub, "/name").to_owned())
            .filter(|n| service_accounts.contains(n))
            .collect();
        if subjects.is_empty() {
            continue;
        }
        let role_kind = s(binding, "/roleRef/kind");
        let Some(role) = by_name(role_kind, s(binding, "/roleRef/name")) else {
            continue;
        };
        // ClusterRoleBindings grant cluster-wide (clusterPermissions); RoleBindings grant in the
        // install namespace (permissions), whether they point at a Role or a ClusterRole.
        let target = if kind(binding) == "ClusterRoleBinding" {
            &mut cluster_perms
        } else {
            &mut perms
        };
        for sa in subjects {
            let rules = role.get("rules").and_then(Value::as_array).cloned();
            target
                .entry(sa)
                .or_default()
                .extend(rules.unwrap_or_default());
        }
        consumed.insert(key(binding));
        consumed.insert(key(role));
    }
    for extra in &opts.extra_service_accounts {
        if !cluster_perms.contains_key(extra) && !perms.contains_key(extra) {
            return Err(OlmError::Input(format!(
                "--extra-service-accounts {extra:?}: no RoleBinding or ClusterRoleBinding in config/manifests binds it to a role; give the name as rendered (with the kustomize namePrefix, e.g. <project>-{extra})"
            )));
        }
    }

    let mut csv = base;
    let meta = csv
        .as_object_mut()
        .ok_or_else(|| OlmError::Input("the base ClusterServiceVersion is not a map".into()))?
        .entry("metadata")
        .or_insert_with(|| json!({}));
    meta["name"] = json!(format!("{}.v{}", opts.package, opts.version));
    if !meta.get("annotations").is_some_and(Value::is_object) {
        meta["annotations"] = json!({});
    }
    let examples: Vec<Value> = objects
        .iter()
        .filter(|o| {
            let (g, _) = group_version(o);
            owned_gk.contains(&(g.to_owned(), kind(o).to_owned()))
        })
        .cloned()
        .collect();
    let examples = serde_json::to_string_pretty(&examples).unwrap_or_else(|_| "[]".into());
    meta["annotations"]["alm-examples"] = json!(examples);
    meta["annotations"]["createdAt"] = json!(opts.created_at);

    if !csv.get("spec").is_some_and(Value::is_object) {
        csv["spec"] = json!({});
    }
    let spec = &mut csv["spec"];
    spec["version"] = json!(opts.version);
    let permissions = |m: BTreeMap<String, Vec<Value>>| -> Vec<Value> {
        m.into_iter()
            .filter(|(_, rules)| !rules.is_empty())
            .map(|(sa, rules)| json!({"rules": rules, "serviceAccountName": sa}))
            .collect()
    };
    let mut install_spec = Map::new();
    let cluster = permissions(cluster_perms);
    if !cluster.is_empty() {
        install_spec.insert("clusterPermissions".into(), cluster.into());
    }
    let deployment_specs: Vec<Value> = deployments
        .iter()
        .map(|d| {
            let mut spec = d.get("spec").cloned().unwrap_or_else(|| json!({}));
            set_watch_namespace(&mut spec);
            let mut entry = Map::new();
            if let Some(labels) = d.pointer("/metadata/labels") {
                entry.insert("label".into(), labels.clone());
            }
            entry.insert("name".into(), json!(s(d, "/metadata/name")));
            entry.insert("spec".into(), spec);
            Value::Object(entry)
        })
        .collect();
    install_spec.insert("deployments".into(), deployment_specs.into());
    let namespaced = permissions(perms);
    if !namespaced.is_empty() {
        install_spec.insert("permissions".into(), namespaced.into());
    }
    spec["install"] = json!({"spec": install_spec, "strategy": "deployment"});

    // Owned CRDs: one entry per CRD version, the base CSV's entry when it has one.
    let old_owned: Vec<Value> = spec
        .pointer("/customresourcedefinitions/owned")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut owned = Vec::new();
    for crd in &crds {
        for v in crd
            .pointer("/spec/versions")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let fresh = json!({
                "kind": s(crd, "/spec/names/kind"),
                "name": s(crd, "/metadata/name"),
                "version": s(v, "/name"),
            });
            owned.push(
                old_owned
                    .iter()
                    .find(|o| same_key(o, &fresh))
                    .cloned()
                    .unwrap_or(fresh),
            );
        }
    }
    sort_owned(&mut owned);
    if !spec
        .get("customresourcedefinitions")
        .is_some_and(Value::is_object)
    {
        spec["customresourcedefinitions"] = json!({});
    }
    spec["customresourcedefinitions"]["owned"] = owned.into();

    let webhooks = webhook_definitions(&objects, &deployments);
    if webhooks.is_empty() {
        if let Some(o) = spec.as_object_mut() {
            o.remove("webhookdefinitions");
        }
    } else {
        spec["webhookdefinitions"] = webhooks.into();
    }

    // Files.
    let out = opts.output_dir.trim_end_matches('/');
    let mut files = BTreeMap::new();
    let yaml_of =
        |v: &Value| yaml::to_yaml(v).map_err(|e| OlmError::Input(format!("writing YAML: {e}")));
    files.insert(
        format!(
            "{out}/manifests/{}.clusterserviceversion.yaml",
            opts.package
        ),
        yaml_of(&csv)?,
    );
    for crd in &crds {
        let name = manifest_file(crd);
        files.insert(format!("{out}/manifests/{name}"), yaml_of(&strip(crd))?);
    }
    for o in &objects {
        let k = kind(o);
        if !SUPPORTED.contains(&k) || consumed.contains(&key(o)) {
            continue;
        }
        // The operator's own service accounts are created by OLM from the install strategy.
        if k == "ServiceAccount" && service_accounts.contains(s(o, "/metadata/name")) {
            continue;
        }
        files.insert(
            format!("{out}/manifests/{}", manifest_file(o)),
            yaml_of(&strip(o))?,
        );
    }
    if let Some(config) = objects.iter().find(|o| {
        kind(o) == "Configuration" && group_version(o).0 == "scorecard.operatorframework.io"
    }) {
        files.insert(
            format!("{out}/tests/scorecard/config.yaml"),
            yaml_of(&scorecard(config))?,
        );
    }
    let ctx = json!({
        "package": opts.package,
        "channels": opts.channels.join(","),
        "default_channel": opts.default_channel.clone().unwrap_or_default(),
        "output_dir": out,
    });
    let renderer = crate::render::Renderer::new();
    for template in renderer.templates("bundle") {
        let file = renderer
            .render(&template, &ctx)
            .map_err(|e| OlmError::Input(format!("{e:#}")))?;
        files.insert(file.path, file.contents);
    }
    Ok(Bundle {
        csv,
        files,
        rendered,
    })
}

/// The file name operator-sdk gives `object` in bundle/manifests: `<group>_<plural>.yaml` for
/// a CRD, `<name>_[<group>_]<version>_<kind>.yaml` for the rest.
pub fn manifest_file(object: &Value) -> String {
    let k = kind(object);
    if k == "CustomResourceDefinition" {
        return format!(
            "{}_{}.yaml",
            s(object, "/spec/group"),
            s(object, "/spec/names/plural")
        );
    }
    let (g, v) = group_version(object);
    let name = s(object, "/metadata/name");
    if g.is_empty() {
        format!("{name}_{v}_{}.yaml", k.to_lowercase())
    } else {
        format!("{name}_{g}_{v}_{}.yaml", k.to_lowercase())
    }
}

/// Whether `text`, the file `file` in an existing bundle/manifests that this run no longer
/// writes, is the output of an earlier run of `generate bundle` for `project_name`: an object
/// under the name the bundle gives it that is a CRD the earlier CSV (`old_csv`) owned, one
/// config/manifests renders now (`rendered`) or one rendered from this project's config/
/// (kustomize's `app.kubernetes.io/name` and `managed-by` labels). Anything else was put there
/// by someone else, and is not removed without `--force`.
pub fn earlier_output(
    file: &str,
    text: &str,
    old_csv: Option<&Value>,
    rendered: &BTreeSet<String>,
    project_name: &str,
) -> bool {
    let Ok([object]) = <[Value; 1]>::try_from(crate::yaml::documents(text).unwrap_or_default())
    else {
        return false;
    };
    if manifest_file(&object) != file {
        return false;
    }
    if kind(&object) == "CustomResourceDefinition" {
        let owned = old_csv
            .and_then(|csv| csv.pointer("/spec/customresourcedefinitions/owned"))
            .and_then(Value::as_array);
        let name = s(&object, "/metadata/name");
        return owned.is_some_and(|owned| owned.iter().any(|crd| crd["name"] == name));
    }
    let labels = &object["metadata"]["labels"];
    rendered.contains(file)
        || (labels["app.kubernetes.io/name"] == project_name
            && labels["app.kubernetes.io/managed-by"] == "kustomize")
}

/// A manifest as OLM wants it in a bundle: no namespace (OLM installs into its own).
fn strip(o: &Value) -> Value {
    let mut o = o.clone();
    if let Some(meta) = o.get_mut("metadata").and_then(Value::as_object_mut) {
        meta.remove("namespace");
    }
    o
}

/// operator-sdk points a `WATCH_NAMESPACE` variable of the manager at OLM's target namespaces.
fn set_watch_namespace(spec: &mut Value) {
    let Some(containers) = spec
        .pointer_mut("/template/spec/containers")
        .and_then(Value::as_array_mut)
    else {
        return;
    };
    for c in containers {
        for env in c
            .get_mut("env")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if s(env, "/name") == "WATCH_NAMESPACE" {
                *env = json!({"name": "WATCH_NAMESPACE", "valueFrom": {"fieldRef": {"fieldPath": "metadata.annotations['olm.targetNamespaces']"}}});
            }
        }
    }
}

/// The scorecard Configuration as operator-sdk writes it (its Go types add empty `storage`).
fn scorecard(config: &Value) -> Value {
    let mut c = config.clone();
    let storage = json!({"spec": {"mountPath": {}}});
    for stage in c
        .get_mut("stages")
        .and_then(Value::as_array_mut)
        .into_iter()
        .flatten()
    {
        for test in stage
            .get_mut("tests")
            .and_then(Value::as_array_mut)
            .into_iter()
            .flatten()
        {
            if test.get("storage").is_none() {
                test["storage"] = storage.clone();
            }
        }
    }
    if c.get("storage").is_none() {
        c["storage"] = storage;
    }
    c
}

/// The Deployment whose pod template labels match the Service's selector.
fn deployment_of(service: &Value, deployments: &[&Value]) -> Option<String> {
    let selector = service.pointer("/spec/selector")?.as_object()?;
    if selector.is_empty() {
        return None;
    }
    deployments
        .iter()
        .find(|d| {
            let labels = d.pointer("/spec/template/metadata/labels");
            selector
                .iter()
                .all(|(k, v)| labels.and_then(|l| l.get(k)) == Some(v))
        })
        .map(|d| s(d, "/metadata/name").to_owned())
}

/// `(containerPort, targetPort)` of the Service port the client config calls (443 by default).
fn ports(service: Option<&Value>, port: Option<i64>) -> (Option<Value>, Option<Value>) {
    let want = port.unwrap_or(443);
    let found = service
        .and_then(|svc| svc.pointer("/spec/ports"))
        .and_then(Value::as_array)
        .and_then(|ps| {
            ps.iter()
                .find(|p| p.get("port").and_then(Value::as_i64) == Some(want))
        });
    match found {
        Some(p) => (p.get("port").cloned(), p.get("targetPort").cloned()),
        None => (None, None),
    }
}

fn webhook_definitions(objects: &[Value], deployments: &[&Value]) -> Vec<Value> {
    let service = |name: &str| {
        objects
            .iter()
            .find(|o| kind(o) == "Service" && s(o, "/metadata/name") == name)
    };
    let mut out = Vec::new();
    for config in objects.iter().filter(|o| {
        matches!(
            kind(o),
            "MutatingWebhookConfiguration" | "ValidatingWebhookConfiguration"
        )
    }) {
        let mutating = kind(config) == "MutatingWebhookConfiguration";
        for hook in config
            .get("webhooks")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let mut d = Map::new();
            d.insert(
                "type".into(),
                json!(if mutating {
                    "MutatingAdmissionWebhook"
                } else {
                    "ValidatingAdmissionWebhook"
                }),
            );
            d.insert("generateName".into(), json!(s(hook, "/name")));
            let mut keys = vec![
                "rules",
                "failurePolicy",
                "matchPolicy",
                "objectSelector",
                "sideEffects",
                "timeoutSeconds",
                "admissionReviewVersions",
            ];
            if mutating {
                keys.push("reinvocationPolicy");
            }
            for k in keys {
                if let Some(v) = hook.get(k) {
                    d.insert(k.into(), v.clone());
                }
            }
            d.entry("admissionReviewVersions")
                .or_insert_with(|| json!(["v1beta1"]));
            d.entry("sideEffects").or_insert_with(|| json!("None"));
            if let Some(svc_ref) = hook.pointer("/clientConfig/service") {
                let name = s(svc_ref, "/name");
                let svc = service(name);
                let (container, target) = ports(svc, svc_ref.get("port").and_then(Value::as_i64));
                if let Some(p) = container {
                    d.insert("containerPort".into(), p);
                }
                if let Some(p) = target {
                    d.insert("targetPort".into(), p);
                }
                let dep = svc
                    .and_then(|svc| deployment_of(svc, deployments))
                    .unwrap_or_else(|| name.trim_end_matches("-service").to_owned());
                d.insert("deploymentName".into(), json!(dep));
                if let Some(path) = svc_ref.get("path") {
                    d.insert("webhookPath".into(), path.clone());
                }
            }
            out.push(Value::Object(d));
        }
    }
    // Conversion webhooks: CRDs converted by a Service of the bundle, grouped by port and path.
    let mut conversions: BTreeMap<(String, i64, String), Vec<(String, Value)>> = BTreeMap::new();
    for crd in objects
        .iter()
        .filter(|o| kind(o) == "CustomResourceDefinition")
    {
        if s(crd, "/spec/conversion/strategy") != "Webhook" {
            continue;
        }
        let Some(svc_ref) = crd.pointer("/spec/conversion/webhook/clientConfig/service") else {
            continue;
        };
        let svc_name = s(svc_ref, "/name").to_owned();
        if service(&svc_name).is_none() {
            continue;
        }
        let port = svc_ref.get("port").and_then(Value::as_i64).unwrap_or(443);
        let path = s(svc_ref, "/path").to_owned();
        let review = crd
            .pointer("/spec/conversion/webhook/conversionReviewVersions")
            .cloned()
            .unwrap_or(Value::Null);
        conversions
            .entry((svc_name, port, path))
            .or_default()
            .push((s(crd, "/metadata/name").to_owned(), review));
    }
    for ((svc_name, port, path), mut crds) in conversions {
        crds.sort_by(|a, b| a.0.cmp(&b.0));
        let names: Vec<String> = crds.iter().map(|c| c.0.clone()).collect();
        let generate = format!(
            "c{}.kb.io",
            names
                .iter()
                .map(|n| n.split('.').next().unwrap_or(""))
                .collect::<String>()
        );
        let svc = service(&svc_name);
        let mut d = Map::new();
        d.insert("type".into(), json!("ConversionWebhook"));
        if !crds[0].1.is_null() {
            d.insert("admissionReviewVersions".into(), crds[0].1.clone());
        }
        d.insert("conversionCRDs".into(), json!(names));
        let (container, target) = ports(svc, Some(port));
        if let Some(p) = container {
            d.insert("containerPort".into(), p);
        }
        if let Some(p) = target {
            d.insert("targetPort".into(), p);
        }
        let dep = svc
            .and_then(|svc| deployment_of(svc, deployments))
            .unwrap_or_else(|| svc_name.trim_end_matches("-service").to_owned());
        d.insert("deploymentName".into(), json!(dep));
        d.insert("generateName".into(), json!(generate));
        d.insert("sideEffects".into(), json!("None"));
        d.insert("webhookPath".into(), json!(path));
        out.push(Value::Object(d));
    }
    out.sort_by(|a, b| s(a, "/generateName").cmp(s(b, "/generateName")));
    out
}
