//! values.yaml, with kubebuilder's helm/v2-alpha keys, its defaults taken from the install so
//! that `helm template` with no `--set` renders what `kubectl kustomize config/default` does.
//! Written as text (not serialised) to keep a comment on every key: the file is the user's.

use serde_json::{Value, json};

use super::emit::{self, EmitError};
use super::templates::{self, Features};

/// `value` as YAML under `key`, indented by `indent` spaces; `none` (`{}` or `[]`) when empty.
fn block(key: &str, value: &Value, indent: usize, none: &str) -> Result<String, EmitError> {
    let pad = " ".repeat(indent);
    let empty = match value {
        Value::Null => true,
        Value::Array(a) => a.is_empty(),
        Value::Object(o) => o.is_empty(),
        _ => false,
    };
    if empty {
        return Ok(format!("{pad}{key}: {none}\n"));
    }
    let body = emit::yaml(value, key)?.replace("{{", "{{ \"{{\" }}");
    let mut out = format!("{pad}{key}:\n");
    for line in body.lines() {
        out.push_str(&format!("{pad}  {line}\n"));
    }
    Ok(out)
}

fn scalar(value: &str) -> Result<String, EmitError> {
    Ok(emit::yaml(&json!(value), "scalar")?.trim_end().to_owned())
}

pub fn render(
    project_name: &str,
    deployment: Option<&Value>,
    f: &Features,
) -> Result<String, EmitError> {
    let container = deployment
        .and_then(templates::manager_container)
        .cloned()
        .unwrap_or(Value::Null);
    let pod = deployment
        .map(|d| d["spec"]["template"]["spec"].clone())
        .unwrap_or(Value::Null);
    let image = container["image"].as_str().unwrap_or("controller:latest");
    // `repo:tag`, where the repository may hold a registry port (`host:5000/img`).
    let (repository, tag) = match image.rsplit_once(':') {
        Some((r, t)) if !t.contains('/') => (r, t),
        _ => (image, "latest"),
    };
    let replicas = deployment
        .and_then(|d| d["spec"]["replicas"].as_u64())
        .unwrap_or(1);
    let args: Vec<Value> = templates::values_args(&container)
        .into_iter()
        .map(Value::String)
        .collect();
    let pull_policy = container["imagePullPolicy"]
        .as_str()
        .unwrap_or("IfNotPresent");
    let on = |b: bool| if b { "true" } else { "false" };
    let mut out = String::new();
    out.push_str(&format!(
        "# Values of the {project_name} chart. Written by `scaffold generate helm` from the install\n\
         # (`kubectl kustomize config/default`); yours to edit: regenerating keeps this file\n\
         # (use --force to write it again).\n\n"
    ));
    out.push_str("# The controller manager Deployment.\nmanager:\n");
    out.push_str(&format!("  replicas: {replicas}\n\n"));
    out.push_str("  image:\n");
    out.push_str(&format!("    repository: {}\n", scalar(repository)?));
    out.push_str(&format!("    tag: {}\n", scalar(tag)?));
    out.push_str(&format!("    pullPolicy: {}\n\n", scalar(pull_policy)?));
    out.push_str(
        "  # Arguments of the manager; the metrics and webhook ones follow metrics.* and webhook.*.\n",
    );
    out.push_str(&block("args", &Value::Array(args), 2, "[]")?);
    out.push_str("\n  # Environment variables, as a container's `env` list.\n");
    out.push_str(&block("env", &container["env"], 2, "[]")?);
    out.push_str("\n  # Pod-level security settings.\n");
    out.push_str(&block(
        "podSecurityContext",
        &pod["securityContext"],
        2,
        "{}",
    )?);
    out.push_str("\n  # Container-level security settings.\n");
    out.push_str(&block(
        "securityContext",
        &container["securityContext"],
        2,
        "{}",
    )?);
    out.push_str("\n  # Resource requests and limits.\n");
    out.push_str(&block("resources", &container["resources"], 2, "{}")?);
    out.push_str(&format!(
        "\n# RBAC of the manager: its roles, leader election and metrics access.\n\
         rbac:\n  enable: true\n\n\
         # The admin/editor/viewer roles of each API, for the cluster's users (kubebuilder turns\n\
         # them off by default; here on, so the chart installs what config/default does).\n\
         rbacHelpers:\n  enable: true\n\n\
         # The manager's ServiceAccount; turn off to bring your own of the same name.\n\
         serviceAccount:\n  enable: true\n  annotations: {{}}\n\n\
         # The CustomResourceDefinitions.\n\
         crd:\n  enable: {}\n\
         \x20 # Keep the CRDs (and so every custom resource) on `helm uninstall`.\n\
         \x20 keep: true\n\n\
         # The metrics endpoint (/metrics, authenticated) and its Service.\n\
         metrics:\n  enable: {}\n  port: {}\n\n\
         # The admission and conversion webhooks.\n\
         webhook:\n  enable: {}\n\n\
         # Certificates from cert-manager (which must be installed) for webhooks and metrics.\n\
         certManager:\n  enable: {}\n\n\
         # A ServiceMonitor for the Prometheus operator (which must be installed).\n\
         prometheus:\n  enable: {}\n\n\
         # NetworkPolicies that only let labelled namespaces reach metrics and webhooks.\n\
         networkPolicy:\n  enable: {}\n",
        on(f.crd),
        on(f.metrics),
        f.metrics_port,
        on(f.webhook),
        on(f.cert_manager),
        on(f.prometheus),
        on(f.network_policy),
    ));
    Ok(out)
}
