//! Rendering config/manifests with the real `kubectl kustomize`, so the bundle holds what
//! `kubectl apply -k` would install.

use std::path::Path;

use serde_json::Value;

use super::OlmError;
use crate::kustomize::RenderError;

/// The objects of `kubectl kustomize <project>/<rel>`, in its output order.
pub fn render(project: &Path, rel: &str) -> Result<Vec<Value>, OlmError> {
    let dir = project.join(rel);
    if !dir.join("kustomization.yaml").is_file() {
        return Err(OlmError::MissingFile {
            path: dir.join("kustomization.yaml"),
            rule:
                "is needed to build the bundle; run `scaffold generate kustomize manifests` first"
                    .into(),
        });
    }
    crate::kustomize::render(project, rel).map_err(|e| match e {
        RenderError::KubectlMissing { .. } => OlmError::NoKubectl,
        RenderError::Failed { stderr } => OlmError::Kustomize {
            dir,
            message: stderr,
        },
        RenderError::BadOutput { reason } => OlmError::Kustomize {
            dir,
            message: format!("its output is not YAML: {reason}"),
        },
    })
}
