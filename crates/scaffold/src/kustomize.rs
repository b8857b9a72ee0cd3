//! The rendered config: `kubectl kustomize <dir>`, run with the real kubectl (its built-in
//! kustomize), parsed into objects, so what scaffold packages is what `kubectl apply -k` installs.
//! Bundle and Helm chart generation both render through here.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

/// Why rendering failed; callers say which of their commands needed it.
#[derive(Debug)]
pub enum RenderError {
    /// `program` (kubectl) could not be started.
    KubectlMissing { program: String },
    /// kubectl ran and failed, with its stderr.
    Failed { stderr: String },
    /// kubectl's output is not YAML.
    BadOutput { reason: String },
}

/// The kubectl to run: `$KUBECTL`, else `kubectl` on PATH.
pub fn kubectl() -> String {
    std::env::var("KUBECTL")
        .ok()
        .filter(|k| !k.is_empty())
        .unwrap_or_else(|| "kubectl".to_owned())
}

/// The objects of `kubectl kustomize <rel>` run in `project`, in kustomize's order.
pub fn render(project: &Path, rel: &str) -> Result<Vec<Value>, RenderError> {
    let program = kubectl();
    let output = Command::new(&program)
        .args(["kustomize", rel])
        .current_dir(project)
        .output()
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound | std::io::ErrorKind::PermissionDenied => {
                RenderError::KubectlMissing {
                    program: program.clone(),
                }
            }
            _ => RenderError::Failed {
                stderr: format!("could not run {program}: {e}"),
            },
        })?;
    if !output.status.success() {
        return Err(RenderError::Failed {
            stderr: String::from_utf8_lossy(&output.stderr).trim().to_owned(),
        });
    }
    let text = String::from_utf8_lossy(&output.stdout);
    crate::yaml::documents(&text).map_err(|reason| RenderError::BadOutput { reason })
}
