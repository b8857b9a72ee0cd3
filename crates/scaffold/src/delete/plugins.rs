//! `scaffold delete --plugins helm|grafana`: kubebuilder's `delete --plugins`, which removes
//! what `edit --plugins` wrote and the plugin's PROJECT entry.

use super::undo::Undo;
use crate::cli::Common;
use crate::commands::work_dir;
use crate::error::CliError;
use crate::helm;
use crate::plan::files_under;
use crate::project::{self, Project};

/// The plugins `delete --plugins` knows: the names users type, the PROJECT key prefix, and
/// what it removes.
const KNOWN: &[&str] = &[
    "helm",
    "helm/v2-alpha",
    helm::PLUGIN_KEY,
    "grafana",
    "grafana/v1-alpha",
];

/// grafana's PROJECT key starts so (grafana.kubebuilder.io/v1-alpha in kubebuilder).
const GRAFANA_KEY_PREFIX: &str = "grafana.";

pub fn delete(common: &Common, plugins: &[String]) -> anyhow::Result<()> {
    for plugin in plugins {
        if !KNOWN.contains(&plugin.as_str()) {
            return Err(CliError::invalid(
                "--plugins",
                plugin,
                format!(
                    "is not a plugin scaffold can delete; known: {}",
                    KNOWN.join(", ")
                ),
            )
            .into());
        }
    }
    let dir = work_dir(common)?;
    let mut project = Project::load(&dir)?;
    let mut undo = Undo::new(&dir, common.force);
    let mut names = Vec::new();
    if plugins.iter().any(|p| p.starts_with("helm")) {
        if !project.plugins.contains_key(helm::PLUGIN_KEY) {
            return Err(CliError::Conflict(format!(
                "the helm plugin is not on in this project (no {} in PROJECT)",
                helm::PLUGIN_KEY
            ))
            .into());
        }
        let chart = format!("{}/chart", helm::output_dir(&project, &dir)?);
        // Chart.yaml and .helmignore are scaffold's until edited; the templates and values are
        // regenerated from the install (kubebuilder removes the whole chart).
        let chart_yaml = helm::chart::chart_yaml(&project.project_name);
        undo.remove_if_unchanged(&format!("{chart}/Chart.yaml"), &chart_yaml)?;
        undo.remove_if_unchanged(&format!("{chart}/.helmignore"), helm::chart::HELMIGNORE)?;
        for rel in files_under(&dir, &chart) {
            if !rel.ends_with("/Chart.yaml") && !rel.ends_with("/.helmignore") {
                undo.remove_generated(&rel);
            }
        }
        project.plugins.remove(helm::PLUGIN_KEY);
        names.push("the helm plugin");
    }
    if plugins.iter().any(|p| p.starts_with("grafana")) {
        let keys: Vec<String> = project
            .plugins
            .keys()
            .filter(|k| k.starts_with(GRAFANA_KEY_PREFIX))
            .cloned()
            .collect();
        if keys.is_empty() {
            return Err(CliError::Conflict(
                "the grafana plugin is not on in this project (no grafana plugin in PROJECT)"
                    .into(),
            )
            .into());
        }
        for rel in files_under(&dir, "grafana") {
            undo.remove_generated(&rel);
        }
        for key in keys {
            project.plugins.remove(&key);
        }
        names.push("the grafana plugin");
    }
    undo.plan.replace_whole(project::FILE, project.to_yaml())?;
    undo.execute(
        &dir,
        &format!("delete {}", names.join(" and ")),
        common.dry_run,
        "Next: nothing; turn a plugin on again with `scaffold edit --plugins <name>`",
    )
}
