//! kubebuilder's helm/v2-alpha plugin: `scaffold edit --plugins helm` turns it on (PROJECT
//! records it) and writes the chart, `scaffold generate helm` writes it again. The chart in
//! `<output>/chart` (output: `dist`) is templated from the rendered install,
//! `kubectl kustomize config/default`: see [`templates`] for how objects become templates.
//!
//! Ownership, as in kubebuilder: Chart.yaml, values.yaml and .helmignore are the user's once
//! written (kept unless `--force`); templates/ is regenerated, and a generated template whose
//! object left the install is removed (templates the user added are left alone).

pub(crate) mod chart;
mod emit;
mod kustomize;
mod templates;
mod values;

use std::path::Path;

use serde_json::json;

use crate::cli::{Common, HelmArgs};
use crate::commands::{print_report, work_dir};
use crate::error::CliError;
use crate::plan::{IfExists, Plan};
use crate::project::{self, Project};

/// The plugin's key in PROJECT, as kubebuilder writes it.
pub const PLUGIN_KEY: &str = "helm.kubebuilder.io/v2-alpha";
/// The names `--plugins` accepts for it.
pub const PLUGIN_NAMES: &[&str] = &["helm", "helm/v2-alpha", PLUGIN_KEY];

pub fn generate(args: HelmArgs) -> anyhow::Result<()> {
    write_chart(&args.common)
}

/// The plugin's `output` directory from PROJECT (default `dist`): relative, inside the project.
pub(crate) fn output_dir(project: &Project, dir: &Path) -> Result<String, CliError> {
    let Some(entry) = project.plugins.get(PLUGIN_KEY) else {
        return Ok("dist".into());
    };
    let output = entry["output"].as_str().unwrap_or("dist");
    let path = Path::new(output);
    let inside = !output.is_empty()
        && path
            .components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if !inside {
        return Err(CliError::BadProject {
            path: dir.join(project::FILE),
            reason: format!(
                "plugins.{PLUGIN_KEY}.output {output:?} must be a relative path inside the project"
            ),
        });
    }
    Ok(output.trim_end_matches('/').to_owned())
}

/// What `edit --plugins helm` writes into `chart_dir`, rendered from the install as it is now.
pub(crate) struct Chart {
    pub chart_dir: String,
    pub chart_yaml: String,
    pub values: String,
    /// Regenerated files under the chart, by path relative to it (`templates/...`).
    pub generated: std::collections::BTreeMap<String, String>,
    namespace: String,
}

pub(crate) fn render_chart(dir: &Path, project: &Project) -> anyhow::Result<Chart> {
    let output = output_dir(project, dir)?;
    let defaults = kustomize::defaults(dir)?;
    let mut objects = kustomize::render(dir, "config/default")?;
    let installed = objects.len();
    // The ServiceMonitor and NetworkPolicy are off in config/default by default; the chart still
    // offers them, behind their toggles, rendered from their own folder with the default's
    // name prefix and namespace.
    for (folder, kind) in [
        ("config/prometheus", "ServiceMonitor"),
        ("config/network-policy", "NetworkPolicy"),
    ] {
        let absent = !objects.iter().any(|o| templates::kind(o) == kind);
        if absent && dir.join(folder).join("kustomization.yaml").is_file() {
            for mut obj in kustomize::render(dir, folder)? {
                let name = format!("{}{}", defaults.name_prefix, templates::name(&obj));
                obj["metadata"]["name"] = json!(name);
                obj["metadata"]["namespace"] = json!(defaults.namespace);
                objects.push(obj);
            }
        }
    }
    let features = templates::features(&objects, installed);
    let deployment = objects[..installed]
        .iter()
        .find(|o| templates::kind(o) == "Deployment");
    let values = values::render(&project.project_name, deployment, &features)?;
    let mut generated = templates::render(&objects, &defaults, &features)?;
    generated.insert("templates/_helpers.tpl".into(), chart::helpers());
    let manager_name = deployment
        .map(templates::name)
        .unwrap_or("controller-manager");
    generated.insert("templates/NOTES.txt".into(), chart::notes(manager_name));
    Ok(Chart {
        chart_dir: format!("{output}/chart"),
        chart_yaml: chart::chart_yaml(&project.project_name),
        values,
        generated,
        namespace: defaults.namespace,
    })
}

pub(crate) fn write_chart(common: &Common) -> anyhow::Result<()> {
    let dir = work_dir(common)?;
    let mut project = Project::load(&dir)?;
    let output = output_dir(&project, &dir)?;
    let Chart {
        chart_dir,
        chart_yaml,
        values,
        generated,
        namespace,
    } = render_chart(&dir, &project)?;
    let mut plan = Plan::new(&dir, common.force);
    // Without --force an existing user-owned file is kept; with it, overwritten.
    let user_owned = if common.force {
        IfExists::Error
    } else {
        IfExists::Skip
    };
    plan.create(&format!("{chart_dir}/Chart.yaml"), chart_yaml, user_owned)?;
    plan.create(&format!("{chart_dir}/values.yaml"), values, user_owned)?;
    plan.create(
        &format!("{chart_dir}/.helmignore"),
        chart::HELMIGNORE.to_owned(),
        user_owned,
    )?;
    for stale in stale_templates(&dir.join(&chart_dir), &generated) {
        plan.remove(&format!("{chart_dir}/{stale}"));
    }
    for (rel, contents) in generated {
        plan.replace_whole(&format!("{chart_dir}/{rel}"), contents)?;
    }
    if !project.plugins.contains_key(PLUGIN_KEY) {
        project.plugins.insert(
            PLUGIN_KEY.into(),
            json!({"manifests": format!("{output}/install.yaml"), "output": output}),
        );
        plan.replace_whole(project::FILE, project.to_yaml())?;
    }
    let report = plan.execute(common.dry_run)?;
    print_report(
        &report,
        &dir,
        common.dry_run,
        &format!(
            "Next: install the chart with:\n  helm install {name} {chart_dir} --namespace {ns} --create-namespace",
            name = project.project_name,
            ns = namespace,
        ),
    );
    Ok(())
}

/// Generated templates (they start with the generated header) that this run does not write.
pub(crate) fn stale_templates(
    chart: &Path,
    generated: &std::collections::BTreeMap<String, String>,
) -> Vec<String> {
    crate::plan::files_under(chart, "templates")
        .into_iter()
        .filter(|rel| !generated.contains_key(rel))
        .filter(|rel| {
            std::fs::read_to_string(chart.join(rel)).is_ok_and(|t| t.starts_with(templates::HEADER))
        })
        .collect()
}
