//! `scaffold delete --plugins helm|grafana`: kubebuilder's `delete --plugins`, which removes
//! what `edit --plugins` wrote and the plugin's PROJECT entry.

use super::undo::Undo;
use crate::cli::Common;
use crate::commands::work_dir;
use crate::error::CliError;
use crate::project::{self, Project};
use crate::{grafana, helm};

pub fn delete(common: &Common, plugins: &[String]) -> anyhow::Result<()> {
    let (mut helm_on, mut grafana_on) = (false, false);
    for plugin in plugins {
        if helm::PLUGIN_NAMES.contains(&plugin.as_str()) {
            helm_on = true;
        } else if grafana::PLUGIN_NAMES.contains(&plugin.as_str()) {
            grafana_on = true;
        } else {
            let known: Vec<&str> = helm::PLUGIN_NAMES
                .iter()
                .chain(grafana::PLUGIN_NAMES)
                .copied()
                .collect();
            return Err(CliError::invalid(
                "--plugins",
                plugin,
                format!(
                    "is not a plugin scaffold can delete; known: {}",
                    known.join(", ")
                ),
            )
            .into());
        }
    }
    let dir = work_dir(common)?;
    let mut project = Project::load(&dir)?;
    let mut undo = Undo::new(&dir, common.force);
    let mut names = Vec::new();
    for (on, key, name) in [
        (helm_on, helm::PLUGIN_KEY, "helm"),
        (grafana_on, grafana::PLUGIN_KEY, "grafana"),
    ] {
        if on && !project.plugins.contains_key(key) {
            return Err(CliError::Conflict(format!(
                "the {name} plugin is not on in this project (no {key} in PROJECT)"
            ))
            .into());
        }
    }
    if helm_on {
        // Every file the plugin wrote goes only while it is what the plugin writes now (values.yaml
        // and Chart.yaml are the user's once edited); templates the user added stay.
        let chart = helm::render_chart(&dir, &project)?;
        let at = |rel: &str| format!("{}/{rel}", chart.chart_dir);
        undo.remove_if_unchanged(&at("Chart.yaml"), &chart.chart_yaml)?;
        undo.remove_if_unchanged(&at(".helmignore"), helm::chart::HELMIGNORE)?;
        undo.remove_if_unchanged(&at("values.yaml"), &chart.values)?;
        for (rel, contents) in &chart.generated {
            undo.remove_if_unchanged(&at(rel), contents)?;
        }
        for stale in helm::stale_templates(&dir.join(&chart.chart_dir), &chart.generated) {
            undo.remove_generated(&at(&stale));
        }
        project.plugins.remove(helm::PLUGIN_KEY);
        names.push("the helm plugin");
    }
    if grafana_on {
        for (rel, contents) in grafana::files(&project, &dir)? {
            undo.remove_if_unchanged(&rel, &contents)?;
        }
        project.plugins.remove(grafana::PLUGIN_KEY);
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
