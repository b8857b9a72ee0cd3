//! `operator-sdk bundle validate`'s default checks: bundle format, the CSV's required fields, CSV
//! and CRD consistency, the install strategy, annotations and `bundle.Dockerfile` labels.
//! [`validate`] returns every finding at once, errors and warnings, each naming the file and the
//! field, so a user fixes a bundle in one round.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

use serde_json::Value;

use super::bundle::{self, Bundle, CRD_KIND, CSV_KIND, Manifest};
use super::semver;
use crate::yaml::{at, str_at};

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// One problem of a bundle: where (file, then field as a dot path) and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub severity: Severity,
    pub file: String,
    /// A dot path into the file's object (`spec.install.strategy`); empty for the whole file.
    pub field: String,
    pub message: String,
}

impl Finding {
    pub fn error(file: impl Into<String>, field: &str, message: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Error,
            file: file.into(),
            field: field.to_owned(),
            message: message.into(),
        }
    }

    pub fn warning(file: impl Into<String>, field: &str, message: impl Into<String>) -> Finding {
        Finding {
            severity: Severity::Warning,
            ..Finding::error(file, field, message)
        }
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    /// `error: bundle/manifests/x.yaml: spec.version: ...`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let level = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{level}: {}", self.file)?;
        if !self.field.is_empty() {
            write!(f, ": {}", self.field)?;
        }
        write!(f, ": {}", self.message)
    }
}

pub const CSV_API_VERSION: &str = "operators.coreos.com/v1alpha1";
const ANNOTATION_PREFIX: &str = "operators.operatorframework.io.";
pub const MEDIATYPE: &str = "operators.operatorframework.io.bundle.mediatype.v1";
pub const MANIFESTS_KEY: &str = "operators.operatorframework.io.bundle.manifests.v1";
pub const METADATA_KEY: &str = "operators.operatorframework.io.bundle.metadata.v1";
pub const PACKAGE: &str = "operators.operatorframework.io.bundle.package.v1";
pub const CHANNELS: &str = "operators.operatorframework.io.bundle.channels.v1";
pub const DEFAULT_CHANNEL: &str = "operators.operatorframework.io.bundle.channel.default.v1";

/// The kinds OLM installs from a `registry+v1` bundle besides the CSV and CRDs; anything else
/// (a Deployment, a Namespace) must come through the CSV or not at all.
const SUPPORTED_KINDS: &[&str] = &[
    "ClusterRole",
    "ClusterRoleBinding",
    "ConfigMap",
    "ConsoleCLIDownload",
    "ConsoleLink",
    "ConsolePlugin",
    "ConsoleQuickStart",
    "ConsoleYAMLSample",
    "NetworkPolicy",
    "PodDisruptionBudget",
    "PriorityClass",
    "PrometheusRule",
    "Role",
    "RoleBinding",
    "Secret",
    "Service",
    "ServiceAccount",
    "ServiceMonitor",
    "VerticalPodAutoscaler",
];

const INSTALL_MODES: &[&str] = &[
    "OwnNamespace",
    "SingleNamespace",
    "MultiNamespace",
    "AllNamespaces",
];

const WEBHOOK_TYPES: &[&str] = &[
    "ValidatingAdmissionWebhook",
    "MutatingAdmissionWebhook",
    "ConversionWebhook",
];

/// Every finding for the bundle in `dir`, errors first, each group in file order.
pub fn validate(dir: &Path) -> Vec<Finding> {
    let (bundle, mut findings) = bundle::load(dir);
    findings.extend(check(&bundle));
    findings.sort_by_key(|f| f.severity);
    findings
}

/// The checks on what [`bundle::load`] could read.
pub fn check(bundle: &Bundle) -> Vec<Finding> {
    let mut out = Vec::new();
    check_objects(bundle, &mut out);
    let csvs: Vec<&Manifest> = bundle.csvs().collect();
    match csvs.as_slice() {
        [csv] => check_csv(bundle, csv, &mut out),
        [] if bundle.dir.join(bundle::MANIFESTS).is_dir() => out.push(Finding::error(
            bundle::shown(&bundle.dir, bundle::MANIFESTS),
            "",
            "holds no ClusterServiceVersion; a bundle holds exactly one",
        )),
        [] => {}
        many => out.push(Finding::error(
            bundle::shown(&bundle.dir, bundle::MANIFESTS),
            "",
            format!(
                "holds {} ClusterServiceVersions ({}); a bundle holds exactly one",
                many.len(),
                many.iter()
                    .map(|m| m.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )),
    }
    check_annotations(bundle, &mut out);
    check_dockerfile(bundle, &mut out);
    out
}

/// Kinds a bundle may hold, `metadata.name` on each, and no object twice.
fn check_objects(bundle: &Bundle, out: &mut Vec<Finding>) {
    let mut seen: BTreeMap<(&str, &str), &str> = BTreeMap::new();
    for m in &bundle.manifests {
        let kind = m.kind();
        if kind != CSV_KIND && kind != CRD_KIND && !SUPPORTED_KINDS.contains(&kind) {
            out.push(Finding::error(
                &m.file,
                "kind",
                format!(
                    "{kind} is not supported in a bundle; operator Deployments go in the CSV's spec.install, and OLM installs only the CSV, CRDs and {}",
                    SUPPORTED_KINDS.join(", ")
                ),
            ));
        }
        let name = m.object_name();
        if name.is_empty() {
            out.push(Finding::error(&m.file, "metadata.name", "missing"));
            continue;
        }
        if let Some(first) = seen.insert((kind, name), &m.file) {
            out.push(Finding::error(
                &m.file,
                "metadata.name",
                format!("{kind} {name:?} is defined twice (also in {first})"),
            ));
        }
    }
}

fn check_csv(bundle: &Bundle, csv: &Manifest, out: &mut Vec<Finding>) {
    let v = &csv.value;
    let file = csv.file.as_str();
    let mut error = |field: &str, message: String| out.push(Finding::error(file, field, message));
    if str_at(v, "apiVersion") != Some(CSV_API_VERSION) {
        error(
            "apiVersion",
            format!(
                "is {:?}; a ClusterServiceVersion is {CSV_API_VERSION}",
                str_at(v, "apiVersion").unwrap_or_default()
            ),
        );
    }
    for field in ["spec.displayName", "spec.install.strategy"] {
        if str_at(v, field).is_none_or(|s| s.trim().is_empty()) {
            error(field, "missing; a CSV requires it".into());
        }
    }
    if let Some(strategy) = str_at(v, "spec.install.strategy")
        && !strategy.is_empty()
        && strategy != "deployment"
    {
        error(
            "spec.install.strategy",
            format!("is {strategy:?}; OLM supports only \"deployment\""),
        );
    }
    let version = str_at(v, "spec.version").unwrap_or_default();
    if version.is_empty() {
        error("spec.version", "missing; a CSV requires it".into());
    } else if let Err(rule) = semver::check(version) {
        error("spec.version", format!("{version:?} {rule}"));
    } else {
        let name = csv.object_name();
        let expected = match bundle.annotation(PACKAGE) {
            Some(package) => format!("{package}.v{version}"),
            None => format!("<package>.v{version}"),
        };
        let matches = match bundle.annotation(PACKAGE) {
            Some(_) => name == expected,
            None => name.ends_with(&format!(".v{version}")),
        };
        if !name.is_empty() && !matches {
            error(
                "metadata.name",
                format!(
                    "is {name:?}; it must be {expected:?} (<package>.v<spec.version>, the package from {})",
                    bundle::ANNOTATIONS
                ),
            );
        }
    }
    match at(v, "spec.installModes").and_then(Value::as_array) {
        None => error(
            "spec.installModes",
            "missing; a CSV lists the install modes it supports".into(),
        ),
        Some(modes) => {
            for (i, mode) in modes.iter().enumerate() {
                let ty = str_at(mode, "type").unwrap_or_default();
                if !INSTALL_MODES.contains(&ty) {
                    error(
                        &format!("spec.installModes[{i}].type"),
                        format!("{ty:?} is not one of {}", INSTALL_MODES.join(", ")),
                    );
                }
                if !mode.get("supported").is_some_and(Value::is_boolean) {
                    error(
                        &format!("spec.installModes[{i}].supported"),
                        "must be true or false".into(),
                    );
                }
            }
        }
    }
    let deployments = check_install(csv, out);
    check_owned_crds(bundle, csv, out);
    check_examples(bundle, csv, out);
    check_webhooks(csv, &deployments, out);
    check_recommended(csv, out);
}

/// Fields OperatorHub shows; a bundle installs without them.
fn check_recommended(csv: &Manifest, out: &mut Vec<Finding>) {
    let v = &csv.value;
    let mut warn =
        |field: &str, message: &str| out.push(Finding::warning(&csv.file, field, message));
    if str_at(v, "spec.description").is_none_or(|s| s.trim().is_empty()) {
        warn(
            "spec.description",
            "empty; users see no description of the operator",
        );
    }
    if str_at(v, "spec.provider.name").is_none_or(|s| s.trim().is_empty()) {
        warn("spec.provider.name", "missing; users see no provider");
    }
    if at(v, "spec.maintainers")
        .and_then(Value::as_array)
        .is_none_or(Vec::is_empty)
    {
        warn("spec.maintainers", "missing; users see no one to contact");
    }
    match at(v, "spec.icon").and_then(Value::as_array) {
        None => warn("spec.icon", "missing; catalogs show a default icon"),
        Some(icons) if icons.is_empty() => warn("spec.icon", "empty; catalogs show a default icon"),
        Some(icons) => {
            for (i, icon) in icons.iter().enumerate() {
                if str_at(icon, "base64data").is_none_or(str::is_empty) {
                    warn(
                        &format!("spec.icon[{i}].base64data"),
                        "empty; catalogs show a default icon",
                    );
                }
            }
        }
    }
}

/// A well-formed deployment install strategy; returns the deployment names and the service
/// accounts their pods run as.
fn check_install(csv: &Manifest, out: &mut Vec<Finding>) -> BTreeSet<String> {
    let v = &csv.value;
    let mut error =
        |field: String, message: String| out.push(Finding::error(&csv.file, &field, message));
    let mut names = BTreeSet::new();
    let mut accounts = BTreeSet::new();
    let deployments = at(v, "spec.install.spec.deployments").and_then(Value::as_array);
    match deployments {
        None => error(
            "spec.install.spec.deployments".into(),
            "missing; the deployment strategy needs at least one deployment".into(),
        ),
        Some(list) if list.is_empty() => error(
            "spec.install.spec.deployments".into(),
            "empty; the deployment strategy needs at least one deployment".into(),
        ),
        Some(list) => {
            for (i, d) in list.iter().enumerate() {
                let field = format!("spec.install.spec.deployments[{i}]");
                let name = str_at(d, "name").unwrap_or_default();
                if name.is_empty() {
                    error(format!("{field}.name"), "missing".into());
                } else if !names.insert(name.to_owned()) {
                    error(
                        format!("{field}.name"),
                        format!("{name:?} is used by two deployments"),
                    );
                }
                let selector = at(d, "spec.selector.matchLabels").and_then(Value::as_object);
                let labels = at(d, "spec.template.metadata.labels").and_then(Value::as_object);
                match selector {
                    None => error(
                        format!("{field}.spec.selector.matchLabels"),
                        "missing; a Deployment selects its pods by labels".into(),
                    ),
                    Some(selector) => {
                        for (key, value) in selector {
                            if labels.and_then(|l| l.get(key)) != Some(value) {
                                error(
                                    format!("{field}.spec.selector.matchLabels.{key}"),
                                    format!(
                                        "{value} does not match spec.template.metadata.labels; the Deployment would select none of its pods"
                                    ),
                                );
                            }
                        }
                    }
                }
                let pod = at(d, "spec.template.spec");
                match pod
                    .and_then(|p| p.get("containers"))
                    .and_then(Value::as_array)
                {
                    Some(containers) if !containers.is_empty() => {
                        for (c, container) in containers.iter().enumerate() {
                            for key in ["name", "image"] {
                                if str_at(container, key).is_none_or(|s| s.trim().is_empty()) {
                                    error(
                                        format!("{field}.spec.template.spec.containers[{c}].{key}"),
                                        "missing; every container needs it".into(),
                                    );
                                }
                            }
                        }
                    }
                    _ => error(
                        format!("{field}.spec.template.spec.containers"),
                        "missing; a deployment needs at least one container with an image".into(),
                    ),
                }
                let account = pod
                    .and_then(|p| str_at(p, "serviceAccountName"))
                    .unwrap_or("default");
                accounts.insert(account.to_owned());
            }
        }
    }
    // Permissions may name service accounts of the operator's operands (operator-sdk's
    // --extra-service-accounts; OLM creates them), but when none names a deployment's account the
    // operator itself gets no rights: a renamed account.
    let grants_a_deployment = ["clusterPermissions", "permissions"].iter().any(|key| {
        at(v, &format!("spec.install.spec.{key}"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .any(|p| str_at(p, "serviceAccountName").is_some_and(|sa| accounts.contains(sa)))
    });
    for key in ["clusterPermissions", "permissions"] {
        let path = format!("spec.install.spec.{key}");
        let Some(list) = at(v, &path) else { continue };
        let Some(list) = list.as_array() else {
            error(path, "must be a list".into());
            continue;
        };
        for (i, p) in list.iter().enumerate() {
            let sa = str_at(p, "serviceAccountName").unwrap_or_default();
            if sa.is_empty() {
                error(format!("{path}[{i}].serviceAccountName"), "missing".into());
            } else if deployments.is_some() && !grants_a_deployment {
                error(
                    format!("{path}[{i}].serviceAccountName"),
                    format!(
                        "{sa:?} is not the serviceAccountName of any deployment's pods ({}); the rules would grant nothing to the operator",
                        accounts.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                );
            }
            if !p.get("rules").is_some_and(Value::is_array) {
                error(
                    format!("{path}[{i}].rules"),
                    "must be a list of policy rules".into(),
                );
            }
        }
    }
    names
}

/// The `group` of a CRD named `<plural>.<group>`.
fn crd_group(name: &str) -> &str {
    name.split_once('.').map(|(_, g)| g).unwrap_or_default()
}

/// The versions a CRD serves.
fn served_versions(crd: &Value) -> Vec<&str> {
    at(crd, "spec.versions")
        .and_then(Value::as_array)
        .map(|vs| {
            vs.iter()
                .filter(|v| v.get("served").and_then(Value::as_bool).unwrap_or(false))
                .filter_map(|v| str_at(v, "name"))
                .collect()
        })
        .unwrap_or_default()
}

/// Every owned CRD is in the bundle and serves the owned version; every CRD is owned.
fn check_owned_crds(bundle: &Bundle, csv: &Manifest, out: &mut Vec<Finding>) {
    let crds: BTreeMap<&str, &Manifest> = bundle.crds().map(|m| (m.object_name(), m)).collect();
    let owned = at(&csv.value, "spec.customresourcedefinitions.owned")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    let mut owned_names = BTreeSet::new();
    for (i, entry) in owned.iter().enumerate() {
        let field = format!("spec.customresourcedefinitions.owned[{i}]");
        let mut missing = false;
        for key in ["name", "version", "kind"] {
            if str_at(entry, key).is_none_or(str::is_empty) {
                out.push(Finding::error(
                    &csv.file,
                    &format!("{field}.{key}"),
                    "missing",
                ));
                missing = true;
            }
        }
        if missing {
            continue;
        }
        let name = str_at(entry, "name").unwrap_or_default();
        let version = str_at(entry, "version").unwrap_or_default();
        let kind = str_at(entry, "kind").unwrap_or_default();
        owned_names.insert(name.to_owned());
        let Some(crd) = crds.get(name) else {
            out.push(Finding::error(
                &csv.file,
                &format!("{field}.name"),
                format!(
                    "owned CRD {name:?} is not in {}/: add its CustomResourceDefinition file",
                    bundle::MANIFESTS
                ),
            ));
            continue;
        };
        let crd_kind = str_at(&crd.value, "spec.names.kind").unwrap_or_default();
        if crd_kind != kind {
            out.push(Finding::error(
                &csv.file,
                &format!("{field}.kind"),
                format!(
                    "is {kind:?} but CRD {name:?} ({}) has spec.names.kind {crd_kind:?}",
                    crd.file
                ),
            ));
        }
        let served = served_versions(&crd.value);
        if !served.contains(&version) {
            out.push(Finding::error(
                &csv.file,
                &format!("{field}.version"),
                format!(
                    "{version:?} is not a served version of CRD {name:?} ({}: spec.versions serves {})",
                    crd.file,
                    if served.is_empty() { "none".to_owned() } else { served.join(", ") }
                ),
            ));
        }
    }
    for (name, crd) in &crds {
        if !owned_names.contains(*name) {
            out.push(Finding::error(
                &crd.file,
                "metadata.name",
                format!(
                    "CRD {name:?} is not owned by the CSV ({}: spec.customresourcedefinitions.owned); list it there or remove the file",
                    csv.file
                ),
            ));
        }
    }
}

/// `alm-examples`: a JSON array of objects, each of an owned kind.
fn check_examples(bundle: &Bundle, csv: &Manifest, out: &mut Vec<Finding>) {
    const FIELD: &str = "metadata.annotations.alm-examples";
    let text = at(&csv.value, "metadata.annotations")
        .and_then(|a| a.get("alm-examples"))
        .and_then(Value::as_str);
    let Some(text) = text else {
        out.push(Finding::warning(
            &csv.file,
            FIELD,
            "missing; users get no example resources to start from",
        ));
        return;
    };
    let examples = match serde_json::from_str::<Value>(text) {
        Ok(Value::Array(items)) => items,
        Ok(_) => {
            out.push(Finding::error(
                &csv.file,
                FIELD,
                "must be a JSON array of example resources",
            ));
            return;
        }
        Err(e) => {
            out.push(Finding::error(
                &csv.file,
                FIELD,
                format!("is not valid JSON: {e}"),
            ));
            return;
        }
    };
    if examples.is_empty() {
        out.push(Finding::warning(
            &csv.file,
            FIELD,
            "empty; users get no example resources to start from",
        ));
        return;
    }
    // (group, version, kind) of every owned CRD version the bundle serves.
    let mut owned = BTreeSet::new();
    let crds: BTreeMap<&str, &Manifest> = bundle.crds().map(|m| (m.object_name(), m)).collect();
    for entry in at(&csv.value, "spec.customresourcedefinitions.owned")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
    {
        let name = str_at(entry, "name").unwrap_or_default();
        let kind = str_at(entry, "kind").unwrap_or_default();
        let mut versions = vec![str_at(entry, "version").unwrap_or_default()];
        if let Some(crd) = crds.get(name) {
            versions.extend(served_versions(&crd.value));
        }
        for version in versions {
            owned.insert(format!("{}/{version} {kind}", crd_group(name)));
        }
    }
    for (i, example) in examples.iter().enumerate() {
        let api_version = str_at(example, "apiVersion").unwrap_or_default();
        let kind = str_at(example, "kind").unwrap_or_default();
        if api_version.is_empty() || kind.is_empty() {
            out.push(Finding::error(
                &csv.file,
                &format!("{FIELD}[{i}]"),
                "must be an object with apiVersion and kind",
            ));
        } else if !owned.contains(&format!("{api_version} {kind}")) {
            out.push(Finding::error(
                &csv.file,
                &format!("{FIELD}[{i}]"),
                format!("{api_version} {kind} is not a kind the CSV owns (spec.customresourcedefinitions.owned)"),
            ));
        }
    }
}

/// Each webhook is served by a deployment of the install strategy.
fn check_webhooks(csv: &Manifest, deployments: &BTreeSet<String>, out: &mut Vec<Finding>) {
    for (i, hook) in at(&csv.value, "spec.webhookdefinitions")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let field = format!("spec.webhookdefinitions[{i}]");
        let ty = str_at(hook, "type").unwrap_or_default();
        if !WEBHOOK_TYPES.contains(&ty) {
            out.push(Finding::error(
                &csv.file,
                &format!("{field}.type"),
                format!("{ty:?} is not one of {}", WEBHOOK_TYPES.join(", ")),
            ));
        }
        let deployment = str_at(hook, "deploymentName").unwrap_or_default();
        if !deployments.contains(deployment) {
            out.push(Finding::error(
                &csv.file,
                &format!("{field}.deploymentName"),
                format!(
                    "{deployment:?} is not a deployment of spec.install.spec.deployments ({})",
                    deployments.iter().cloned().collect::<Vec<_>>().join(", ")
                ),
            ));
        }
    }
}

fn check_annotations(bundle: &Bundle, out: &mut Vec<Finding>) {
    let Some(file) = &bundle.annotations else {
        return;
    };
    if !file.value.get("annotations").is_some_and(Value::is_object) {
        out.push(Finding::error(
            &file.file,
            "annotations",
            "missing; the file is a map under `annotations:`",
        ));
        return;
    }
    let expected = [
        (MEDIATYPE, Some("registry+v1")),
        (MANIFESTS_KEY, Some("manifests/")),
        (METADATA_KEY, Some("metadata/")),
        (PACKAGE, None),
        (CHANNELS, None),
    ];
    for (key, value) in expected {
        let field = format!("annotations.{key}");
        match (bundle.annotation(key), value) {
            (None, _) | (Some(""), _) => out.push(Finding::error(
                &file.file,
                &field,
                "missing; a bundle requires it",
            )),
            (Some(got), Some(want)) if got != want => out.push(Finding::error(
                &file.file,
                &field,
                format!("is {got:?}; it must be {want:?}"),
            )),
            _ => {}
        }
    }
    let channels: Vec<&str> = bundle
        .annotation(CHANNELS)
        .unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    if let Some(default) = bundle.annotation(DEFAULT_CHANNEL)
        && !channels.is_empty()
        && !channels.contains(&default)
    {
        out.push(Finding::error(
            &file.file,
            &format!("annotations.{DEFAULT_CHANNEL}"),
            format!(
                "{default:?} is not one of the channels ({})",
                channels.join(", ")
            ),
        ));
    }
}

/// `LABEL key=value` pairs of a Dockerfile, continuation lines joined.
fn dockerfile_labels(text: &str) -> BTreeMap<String, String> {
    let joined = text.replace("\\\n", " ");
    let mut labels = BTreeMap::new();
    for line in joined.lines() {
        let line = line.trim();
        let Some(rest) = line
            .get(..6)
            .filter(|p| p.eq_ignore_ascii_case("LABEL "))
            .map(|_| &line[6..])
        else {
            continue;
        };
        for pair in rest.split_whitespace() {
            if let Some((key, value)) = pair.split_once('=') {
                let unquote = |s: &str| s.trim_matches('"').to_owned();
                labels.insert(unquote(key), unquote(value));
            }
        }
    }
    labels
}

/// Image labels are what OLM reads from a bundle image; they must say what annotations.yaml says.
fn check_dockerfile(bundle: &Bundle, out: &mut Vec<Finding>) {
    let (Some((file, text)), Some(annotations)) = (&bundle.dockerfile, &bundle.annotations) else {
        return;
    };
    let Some(map) = annotations
        .value
        .get("annotations")
        .and_then(Value::as_object)
    else {
        return;
    };
    let labels = dockerfile_labels(text);
    for (key, value) in map {
        let want = value
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| value.to_string());
        match labels.get(key) {
            None => out.push(Finding::error(
                file,
                &format!("LABEL {key}"),
                format!("missing; {} has it as {want:?}", annotations.file),
            )),
            Some(got) if *got != want => out.push(Finding::error(
                file,
                &format!("LABEL {key}"),
                format!("is {got:?} but {} has {want:?}", annotations.file),
            )),
            _ => {}
        }
    }
    for key in labels.keys() {
        if key.starts_with(ANNOTATION_PREFIX) && !map.contains_key(key) {
            out.push(Finding::error(
                file,
                &format!("LABEL {key}"),
                format!(
                    "is not in {}; labels and annotations must be the same",
                    annotations.file
                ),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::dockerfile_labels;

    #[test]
    fn labels_with_continuations_and_quotes() {
        let labels = dockerfile_labels("FROM scratch\nLABEL a=1 \\\n  \"b\"=\"two\"\nlabel c=3\n");
        assert_eq!(labels.len(), 3);
        assert_eq!(labels["b"], "two");
    }
}
