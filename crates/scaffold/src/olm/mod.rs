//! OLM packaging, operator-sdk's `generate kustomize manifests` and `generate bundle`:
//! config/manifests (base CSV + kustomization), config/scorecard, and the bundle built from them.
//! [`bundle::build`] builds a bundle in memory for other packagers to reuse.

pub mod bundle;
pub mod csv;
pub mod descriptors;
pub mod kustomize;
pub mod yaml;

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::cli::{BundleArgs, KustomizeManifestsArgs};
use crate::commands::{print_report, work_dir};
use crate::error::CliError;
use crate::names;
use crate::plan::{IfExists, Plan};
use crate::project::{self, Project};
use crate::render::Renderer;

/// The PROJECT plugin keys operator-sdk records for these commands.
pub const MANIFESTS_PLUGIN: &str = "manifests.sdk.operatorframework.io/v2";
pub const SCORECARD_PLUGIN: &str = "scorecard.sdk.operatorframework.io/v2";

/// Errors of OLM packaging; each names the file, flag or tool and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum OlmError {
    #[error(
        "kubectl was not found on PATH (nor at $KUBECTL when set); it is needed to render config/manifests (`kubectl kustomize`): install kubectl"
    )]
    NoKubectl,
    #[error("`kubectl kustomize {}` failed: {message}", dir.display())]
    Kustomize { dir: PathBuf, message: String },
    #[error("{}: {rule}", path.display())]
    MissingFile { path: PathBuf, rule: String },
    #[error(transparent)]
    Source(#[from] descriptors::SourceError),
    #[error("{0}")]
    Input(String),
}

fn package_of(project: &Project, flag: Option<&String>) -> Result<String, CliError> {
    let package = flag
        .cloned()
        .unwrap_or_else(|| project.project_name.clone());
    names::dns1123_label("--package", &package)?;
    Ok(package)
}

fn base_csv_path(package: &str) -> String {
    format!("config/manifests/bases/{package}.clusterserviceversion.yaml")
}

/// `scaffold generate kustomize manifests`.
pub fn generate_kustomize_manifests(args: KustomizeManifestsArgs) -> anyhow::Result<()> {
    let dir = work_dir(&args.common)?;
    let mut project = Project::load(&dir)?;
    let package = package_of(&project, args.package.as_ref())?;
    let kinds = descriptors::discover(&dir)?;
    let webhooks = project.resources.iter().any(|r| {
        r.webhooks
            .as_ref()
            .is_some_and(|w| w.defaulting || w.validation || w.conversion)
    });
    let renderer = Renderer::new();
    // --check plans as --force would, so every file that would change is in the plan.
    let mut plan = Plan::new(&dir, args.common.force || args.check);
    let ctx = json!({"package": package, "webhooks": webhooks});
    for template in renderer.templates("manifests") {
        let file = renderer.render(&template, &ctx)?;
        // The kustomization is the user's to edit, but a webhook added since it was written
        // switches it to the other scaffolded variant (as long as it is untouched).
        let mut other = ctx.clone();
        other["webhooks"] = json!(!webhooks);
        let untouched_other = renderer.render(&template, &other)?.contents;
        let on_disk = std::fs::read_to_string(dir.join(&file.path)).ok();
        if on_disk.as_deref() == Some(untouched_other.as_str()) {
            plan.replace_whole(&file.path, file.contents)?;
        } else {
            plan.create(&file.path, file.contents, IfExists::Skip)?;
        }
    }
    for template in renderer.templates("scorecard") {
        let file = renderer.render(&template, &ctx)?;
        plan.create(&file.path, file.contents, IfExists::Skip)?;
    }
    let path = base_csv_path(&package);
    let existing = std::fs::read_to_string(dir.join(&path)).ok();
    match existing {
        None => {
            let fresh = yaml::to_yaml(&csv::base(&package, csv::owned(&kinds)))?;
            plan.create(&path, fresh, IfExists::Error)?;
        }
        Some(text) => {
            let parsed = crate::yaml::documents(&text)
                .ok()
                .and_then(|mut docs| (docs.len() == 1).then(|| docs.remove(0)))
                .filter(Value::is_object)
                .ok_or_else(|| {
                    anyhow::Error::from(CliError::BadProject {
                        path: dir.join(&path),
                        reason: "is not one YAML ClusterServiceVersion; fix it or delete it to start over".into(),
                    })
                })?;
            let merged = csv::merge_base(parsed.clone(), &kinds);
            // Unchanged content keeps the user's bytes (comments, layout).
            if merged != parsed {
                plan.replace_whole(&path, yaml::to_yaml(&merged)?)?;
            }
        }
    }
    let mut changed = false;
    for key in [MANIFESTS_PLUGIN, SCORECARD_PLUGIN] {
        if !project.plugins.contains_key(key) {
            project.plugins.insert(key.into(), json!({}));
            changed = true;
        }
    }
    if changed {
        plan.replace_whole(project::FILE, project.to_yaml())?;
    }
    if args.check {
        plan.check()?;
        println!("scaffold: config/manifests and config/scorecard are up to date");
        return Ok(());
    }
    let report = plan.execute(args.common.dry_run)?;
    print_report(
        &report,
        &dir,
        args.common.dry_run,
        &format!(
            "Next: fill in {path} (description, icon, maintainers, ...), then build the bundle with:\n  scaffold generate bundle --version 0.0.1"
        ),
    );
    Ok(())
}

/// SemVer as OLM wants it: `1.2.3`, with optional pre-release and build metadata.
pub fn check_version(flag: &str, value: &str) -> Result<(), CliError> {
    crate::bundle_validate::semver::check(value).map(|_| ()).map_err(|_| {
        CliError::invalid(
            flag,
            value,
            "must be a SemVer version such as 0.0.1 or 1.2.3-rc.1 (MAJOR.MINOR.PATCH, no leading v)",
        )
    })
}

fn check_channels(channels: &str, default: Option<&String>) -> Result<Vec<String>, CliError> {
    let list: Vec<String> = channels.split(',').map(|c| c.trim().to_owned()).collect();
    for c in &list {
        let ok = !c.is_empty()
            && c.chars()
                .all(|ch| ch.is_ascii_alphanumeric() || "-._".contains(ch));
        if !ok {
            return Err(CliError::invalid(
                "--channels",
                channels,
                "must be a comma-separated list of channel names (letters, digits, '-', '.', '_'), e.g. alpha,stable",
            ));
        }
    }
    if let Some(d) = default
        && !list.contains(d)
    {
        return Err(CliError::invalid(
            "--default-channel",
            d,
            format!("must be one of --channels ({})", list.join(",")),
        ));
    }
    Ok(list)
}

fn check_output_dir(value: &str) -> Result<(), CliError> {
    let p = Path::new(value);
    let ok = !value.is_empty()
        && p.is_relative()
        && p.components()
            .all(|c| matches!(c, std::path::Component::Normal(_)));
    if ok {
        Ok(())
    } else {
        Err(CliError::invalid(
            "--output-dir",
            value,
            "must be a relative path inside the project, without '..' (e.g. bundle)",
        ))
    }
}

/// `createdAt`: from SOURCE_DATE_EPOCH when set (reproducible builds), else now.
pub fn created_at() -> Result<String, CliError> {
    let secs = match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse::<i64>().map_err(|_| {
            CliError::invalid(
                "SOURCE_DATE_EPOCH",
                &v,
                "must be a number of seconds since 1970-01-01 UTC",
            )
        })?,
        Err(_) => std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0),
    };
    Ok(rfc3339(secs))
}

/// The `createdAt` of the CSV an earlier run wrote in `bundle_dir`, when there is one.
fn built_at(bundle_dir: &Path, package: &str) -> Option<String> {
    let csv = bundle_dir.join(format!("manifests/{package}.clusterserviceversion.yaml"));
    let text = std::fs::read_to_string(csv).ok()?;
    let doc = crate::yaml::documents(&text).ok()?.into_iter().next()?;
    crate::yaml::str_at(&doc, "metadata.annotations.createdAt").map(str::to_owned)
}

/// Seconds since the epoch as `YYYY-MM-DDTHH:MM:SSZ` (civil-from-days, proleptic Gregorian).
fn rfc3339(secs: i64) -> String {
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

/// `scaffold generate bundle`.
pub fn generate_bundle(args: BundleArgs) -> anyhow::Result<()> {
    check_version("--version", &args.version)?;
    let channels = check_channels(&args.channels, args.default_channel.as_ref())?;
    check_output_dir(&args.output_dir)?;
    for sa in &args.extra_service_accounts {
        names::dns1123_subdomain("--extra-service-accounts", sa)?;
    }
    let output_dir = args.output_dir.trim_end_matches('/').to_owned();
    let dir = work_dir(&args.common)?;
    let project = Project::load(&dir)?;
    let package = package_of(&project, args.package.as_ref())?;
    // A check compares content: the time the bundle was built is not content, unless pinned.
    let created_at = match std::env::var_os("SOURCE_DATE_EPOCH") {
        None if args.check => {
            built_at(&dir.join(&output_dir), &package).map_or_else(created_at, Ok)?
        }
        _ => created_at()?,
    };
    let opts = bundle::BundleOptions {
        version: args.version.clone(),
        channels,
        default_channel: args.default_channel.clone(),
        package,
        output_dir,
        created_at,
        extra_service_accounts: args.extra_service_accounts.clone(),
    };
    let built = bundle::build(&dir, &opts)?;
    // The bundle is generated output, rewritten on every release like operator-sdk's
    // (`--overwrite=false` refuses to change it). Manifests of an earlier run that this one no
    // longer writes are removed; any other file in bundle/manifests is someone else's, and is
    // refused without --force.
    let overwrite = args.overwrite || args.common.force || args.check;
    let mut plan = Plan::new(&dir, overwrite);
    for (path, contents) in &built.files {
        plan.generated(path, contents.clone())?;
    }
    let manifests = dir.join(&opts.output_dir).join("manifests");
    let old_csv = std::fs::read_to_string(
        manifests.join(format!("{}.clusterserviceversion.yaml", opts.package)),
    )
    .ok()
    .and_then(|text| crate::yaml::documents(&text).ok())
    .and_then(|docs| docs.into_iter().next());
    if let Ok(entries) = std::fs::read_dir(&manifests) {
        let mut stale: Vec<(String, String)> = entries
            .flatten()
            .filter(|e| e.path().is_file())
            .map(|e| {
                let file = e.file_name().to_string_lossy().into_owned();
                (format!("{}/manifests/{file}", opts.output_dir), file)
            })
            .filter(|(rel, _)| !built.files.contains_key(rel))
            .collect();
        stale.sort();
        for (rel, file) in stale {
            let text = std::fs::read_to_string(manifests.join(&file)).unwrap_or_default();
            let ours = bundle::earlier_output(
                &file,
                &text,
                old_csv.as_ref(),
                &built.rendered,
                &project.project_name,
            );
            if (ours && overwrite) || args.common.force || args.check {
                plan.remove(&rel);
            } else {
                plan.refuse(format!(
                    "{rel} (not made by generate bundle; it would be removed)"
                ));
            }
        }
    }
    if args.check {
        plan.check()?;
        println!(
            "scaffold: bundle {}/ is up to date ({})",
            opts.output_dir,
            built.csv["metadata"]["name"].as_str().unwrap_or_default()
        );
        return Ok(());
    }
    let report = plan.execute(args.common.dry_run)?;
    print_report(
        &report,
        &dir,
        args.common.dry_run,
        &format!(
            "Next: build the image of bundle {} with:\n  docker build -f bundle.Dockerfile -t <registry>/{}-bundle:v{} .",
            built.csv["metadata"]["name"].as_str().unwrap_or_default(),
            opts.package,
            opts.version
        ),
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps() {
        assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339(1_667_928_397), "2022-11-08T17:26:37Z");
        assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn channels() {
        assert!(check_channels("alpha,stable", Some(&"stable".into())).is_ok());
        assert!(check_channels("alpha", Some(&"beta".into())).is_err());
        assert!(check_channels("alpha,,beta", None).is_err());
        assert!(check_channels("al pha", None).is_err());
    }
}
