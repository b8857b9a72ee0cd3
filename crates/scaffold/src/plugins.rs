//! `scaffold edit --plugins ...`: turns on kubebuilder's optional plugins.

use crate::cli::EditArgs;
use crate::error::CliError;
use crate::{grafana, helm};

pub fn edit(args: EditArgs) -> anyhow::Result<()> {
    let (mut with_helm, mut with_grafana) = (false, false);
    for plugin in &args.plugins {
        if helm::PLUGIN_NAMES.contains(&plugin.as_str()) {
            with_helm = true;
        } else if grafana::PLUGIN_NAMES.contains(&plugin.as_str()) {
            with_grafana = true;
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
                    "is not a plugin scaffold knows; known: {}",
                    known.join(", ")
                ),
            )
            .into());
        }
    }
    // Grafana first: it only fails on input the user can fix before anything is written.
    if with_grafana {
        grafana::edit(&args.common)?;
    }
    if with_helm {
        helm::write_chart(&args.common)?;
    }
    Ok(())
}
