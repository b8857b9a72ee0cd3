//! The rendered install (`kubectl kustomize config/default`, through `crate::kustomize`) and what
//! config/default/kustomization.yaml sets for every object.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::kustomize::RenderError;

#[derive(Debug, thiserror::Error)]
pub enum KustomizeError {
    #[error(
        "kubectl not found ({program}): `scaffold generate helm` renders config/default with `kubectl kustomize`; install kubectl (kustomize is built in) or set KUBECTL to its path"
    )]
    KubectlMissing { program: String },
    #[error(
        "`kubectl kustomize {dir}` failed: {stderr}\n(generate the CRDs and webhook manifests first: cargo xtask generate manifests)"
    )]
    Failed { dir: String, stderr: String },
    #[error("`kubectl kustomize {dir}` printed YAML that does not parse: {reason}")]
    BadOutput { dir: String, reason: String },
    #[error("{path}: {reason}")]
    BadKustomization { path: PathBuf, reason: String },
}

/// The objects of `kubectl kustomize <rel>` run in `project`, in kustomize's order.
pub fn render(project: &Path, rel: &str) -> Result<Vec<Value>, KustomizeError> {
    crate::kustomize::render(project, rel).map_err(|e| match e {
        RenderError::KubectlMissing { program } => KustomizeError::KubectlMissing { program },
        RenderError::Failed { stderr } => KustomizeError::Failed {
            dir: rel.to_owned(),
            stderr,
        },
        RenderError::BadOutput { reason } => KustomizeError::BadOutput {
            dir: rel.to_owned(),
            reason,
        },
    })
}

/// What config/default/kustomization.yaml sets for every object.
pub struct Defaults {
    pub namespace: String,
    pub name_prefix: String,
}

pub fn defaults(project: &Path) -> Result<Defaults, KustomizeError> {
    let path = project.join("config/default/kustomization.yaml");
    let bad = |reason: String| KustomizeError::BadKustomization {
        path: path.clone(),
        reason,
    };
    let text = std::fs::read_to_string(&path).map_err(|e| bad(e.to_string()))?;
    // The scaffolded kustomization is mostly commented-out blocks, more than the YAML reader
    // buffers while looking ahead; only two top-level keys are read here, so comment lines go.
    let text: String = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .map(|l| format!("{l}\n"))
        .collect();
    let doc: Value = serde_saphyr::from_str(&text).map_err(|e| bad(e.to_string()))?;
    let field = |key: &str| {
        doc.get(key)
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_owned()
    };
    let namespace = field("namespace");
    if namespace.is_empty() {
        return Err(bad(
            "has no `namespace:`; the chart installs into the release namespace in its place"
                .into(),
        ));
    }
    Ok(Defaults {
        namespace,
        name_prefix: field("namePrefix"),
    })
}
