//! kubebuilder's grafana/v1-alpha plugin: `scaffold edit --plugins grafana` writes Grafana
//! dashboards of the manager's metrics (templates/grafana/) and records the plugin in PROJECT.
//!
//! Ownership: the two dashboards are generated (written when missing, refused when the user
//! changed them unless `--force`); `grafana/custom-metrics/config.yaml` is the user's (written
//! once, never overwritten, as in kubebuilder), and the dashboard of the metrics it lists,
//! `grafana/custom-metrics/custom-metrics-dashboard.json`, is rewritten from it on every run.

use serde::Deserialize;
use serde_json::{Value, json};

use crate::cli::Common;
use crate::commands::{print_report, work_dir};
use crate::context;
use crate::error::CliError;
use crate::plan::{IfExists, Plan};
use crate::project::{self, Project};
use crate::render::Renderer;

/// The plugin's key in PROJECT, as kubebuilder writes it.
pub const PLUGIN_KEY: &str = "grafana.kubebuilder.io/v1-alpha";
/// The names `--plugins` accepts for it.
pub const PLUGIN_NAMES: &[&str] = &["grafana", "grafana/v1-alpha", PLUGIN_KEY];

pub const CONFIG: &str = "grafana/custom-metrics/config.yaml";
const CUSTOM_DASHBOARD: &str =
    "grafana-custom/grafana/custom-metrics/custom-metrics-dashboard.json.hbs";
/// Where [`CUSTOM_DASHBOARD`] is written.
const CUSTOM_DASHBOARD_FILE: &str = "grafana/custom-metrics/custom-metrics-dashboard.json";

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct CustomMetricsConfig {
    #[serde(default)]
    custom_metrics: Option<Vec<CustomMetric>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CustomMetric {
    #[serde(default)]
    metric: Option<String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default)]
    expr: Option<String>,
    #[serde(default)]
    unit: Option<String>,
}

/// A Prometheus metric name: `[a-zA-Z_:][a-zA-Z0-9_:]*`.
fn metric_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == ':')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == ':')
}

/// A panel of the custom dashboard; kubebuilder's defaults for a missing `expr` and `unit`.
fn custom_panel(index: usize, item: &CustomMetric) -> Result<Value, CliError> {
    let bad = |field: &str, value: &str, rule: &str| {
        CliError::invalid(
            &format!("{CONFIG}: customMetrics[{index}].{field}"),
            value,
            rule,
        )
    };
    if let Some(metric) = &item.metric
        && !metric_name(metric)
    {
        return Err(bad("metric", metric, "is not a Prometheus metric name"));
    }
    let expr = match (&item.expr, &item.metric, item.kind.as_deref()) {
        (Some(expr), _, _) if !expr.trim().is_empty() => expr.clone(),
        (_, None, _) => {
            return Err(bad("metric", "", "is required when expr is not given"));
        }
        (_, Some(m), Some("counter")) => format!(
            "sum(rate({m}{{job=\"$job\", namespace=\"$namespace\"}}[5m])) by (instance, pod)"
        ),
        (_, Some(m), Some("histogram")) => format!(
            "histogram_quantile(0.90, sum by(instance, le) (rate({m}_bucket{{job=\"$job\", namespace=\"$namespace\"}}[5m])))"
        ),
        (_, Some(m), Some("gauge")) => format!("{m}{{job=\"$job\", namespace=\"$namespace\"}}"),
        (_, Some(_), kind) => {
            return Err(bad(
                "type",
                kind.unwrap_or_default(),
                "must be counter, gauge or histogram when expr is not given",
            ));
        }
    };
    let name = item.metric.clone().unwrap_or_default().to_lowercase();
    let unit = item.unit.clone().unwrap_or_else(|| {
        if name.contains("second") || name.contains("duration") {
            "s"
        } else if name.contains("byte") {
            "bytes"
        } else if name.contains("ratio") {
            "percent"
        } else {
            "none"
        }
        .into()
    });
    let title = item.metric.clone().unwrap_or_else(|| expr.clone());
    // Rendered into JSON as they are: each is a JSON string literal already.
    Ok(json!({
        "id": index + 1,
        "x": (index % 2) * 12,
        "y": (index / 2) * 8,
        "expr": Value::String(expr).to_string(),
        "unit": Value::String(unit).to_string(),
        "title": Value::String(title).to_string(),
    }))
}

/// The custom metrics the user listed, as panels; none without the file or with an empty list.
fn custom_panels(config: Option<&str>) -> Result<Vec<Value>, CliError> {
    let Some(text) = config else {
        return Ok(Vec::new());
    };
    let parsed: Option<CustomMetricsConfig> =
        serde_saphyr::from_str(text).map_err(|e| CliError::BadProject {
            path: CONFIG.into(),
            reason: format!(
                "not a custom metrics list (customMetrics: [{{metric, type, expr, unit}}]): {e}"
            ),
        })?;
    let items = parsed
        .unwrap_or_default()
        .custom_metrics
        .unwrap_or_default();
    items
        .iter()
        .enumerate()
        .map(|(i, item)| custom_panel(i, item))
        .collect()
}

/// Plans the dashboards and the PROJECT entry into `plan`.
/// The plugin's files as it writes them now, by path: the dashboards, the first config.yaml,
/// and the custom dashboard of the config.yaml in `dir` (absent when it lists no metric).
pub fn files(project: &Project, dir: &std::path::Path) -> anyhow::Result<Vec<(String, String)>> {
    let ctx = context::from_project(project);
    let renderer = Renderer::new();
    let mut out = Vec::new();
    for template in renderer.templates("grafana") {
        let file = renderer.render(&template, &ctx)?;
        out.push((file.path, file.contents));
    }
    let config = std::fs::read_to_string(dir.join(CONFIG)).ok();
    let panels = custom_panels(config.as_deref())?;
    if !panels.is_empty() {
        let mut ctx = ctx.clone();
        ctx["panels"] = Value::Array(panels);
        let file = renderer.render(CUSTOM_DASHBOARD, &ctx)?;
        out.push((file.path, file.contents));
    }
    Ok(out)
}

pub fn plan(plan: &mut Plan, project: &mut Project, dir: &std::path::Path) -> anyhow::Result<()> {
    let mut custom = false;
    for (path, contents) in files(project, dir)? {
        if path == CONFIG {
            plan.create(&path, contents, IfExists::Skip)?;
        } else if path == CUSTOM_DASHBOARD_FILE {
            custom = true;
            plan.replace_whole(&path, contents)?;
        } else {
            plan.generated(&path, contents)?;
        }
    }
    if !custom {
        plan.remove(CUSTOM_DASHBOARD_FILE);
    }
    if !project.plugins.contains_key(PLUGIN_KEY) {
        project.plugins.insert(PLUGIN_KEY.into(), json!({}));
        plan.replace_whole(project::FILE, project.to_yaml())?;
    }
    Ok(())
}

pub fn edit(common: &Common) -> anyhow::Result<()> {
    let dir = work_dir(common)?;
    let mut project = Project::load(&dir)?;
    let mut p = Plan::new(&dir, common.force);
    plan(&mut p, &mut project, &dir)?;
    let report = p.execute(common.dry_run)?;
    print_report(
        &report,
        &dir,
        common.dry_run,
        "Next: import the dashboards in grafana/ into Grafana (Dashboards > New > Import), with the\nPrometheus that scrapes the manager's /metrics (config/prometheus) as their data source",
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn custom_metrics_get_kubebuilders_defaults_and_bad_items_are_named() {
        let panels = custom_panels(Some(
            "customMetrics:\n- metric: foo_seconds\n  type: histogram\n- metric: bar_total\n  type: counter\n  unit: ops\n- expr: up\n",
        ))
        .unwrap();
        assert_eq!(panels.len(), 3);
        assert!(
            panels[0]["expr"]
                .as_str()
                .unwrap()
                .contains("foo_seconds_bucket")
        );
        assert_eq!(panels[0]["unit"], "\"s\"");
        assert_eq!(panels[1]["unit"], "\"ops\"");
        assert_eq!((&panels[2]["x"], &panels[2]["y"]), (&json!(0), &json!(8)));
        assert!(custom_panels(Some("customMetrics:\n")).unwrap().is_empty());
        assert!(custom_panels(None).unwrap().is_empty());
        let err = custom_panels(Some("customMetrics:\n- metric: foo\n  type: summary\n"))
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("customMetrics[0].type") && err.contains("summary"),
            "{err}"
        );
        let err = custom_panels(Some("customMetrics:\n- metric: foo-bar\n  type: gauge\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("Prometheus metric name"), "{err}");
        let err = custom_panels(Some("customMetrics:\n- type: gauge\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains("customMetrics[0].metric"), "{err}");
        let err = custom_panels(Some("customMetrics: {metric: x}\n"))
            .unwrap_err()
            .to_string();
        assert!(err.contains(CONFIG), "{err}");
    }
}
