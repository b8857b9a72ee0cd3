//! Rendering a kustomize directory with the real `kubectl kustomize`, so the bundle holds what
//! `kubectl apply -k` would install.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use super::OlmError;

/// The `kubectl` on PATH; an error naming it when there is none.
fn kubectl() -> Result<PathBuf, OlmError> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join("kubectl"))
        .find(|p| p.is_file())
        .ok_or(OlmError::NoKubectl)
}

/// The objects of `kubectl kustomize dir`, in its output order.
pub fn render(dir: &Path) -> Result<Vec<Value>, OlmError> {
    if !dir.join("kustomization.yaml").is_file() {
        return Err(OlmError::MissingFile {
            path: dir.join("kustomization.yaml"),
            rule:
                "is needed to build the bundle; run `scaffold generate kustomize manifests` first"
                    .into(),
        });
    }
    let kubectl = kubectl()?;
    let out = Command::new(&kubectl)
        .arg("kustomize")
        .arg(dir)
        .output()
        .map_err(|e| OlmError::Kustomize {
            dir: dir.to_owned(),
            message: format!("could not run {}: {e}", kubectl.display()),
        })?;
    if !out.status.success() {
        return Err(OlmError::Kustomize {
            dir: dir.to_owned(),
            message: String::from_utf8_lossy(&out.stderr).trim().to_owned(),
        });
    }
    let text = String::from_utf8_lossy(&out.stdout);
    super::yaml::from_multi(&text).map_err(|e| OlmError::Kustomize {
        dir: dir.to_owned(),
        message: format!("its output is not YAML: {e}"),
    })
}
