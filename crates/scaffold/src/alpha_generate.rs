//! `scaffold alpha generate`: kubebuilder's `alpha generate`, re-scaffolding a whole project from
//! its PROJECT file with this binary's templates, into another directory. The input is only
//! read, so a user upgrading Kubeforge diffs the two trees and carries their code over.
//!
//! The replay is the commands PROJECT records, in the order that makes them valid: init, every
//! API (with its deploy-image options) or controller of a built-in kind, then the webhooks
//! (conversions need every version first), then the optional plugins (grafana, helm) and the
//! OLM kustomize bases. The project is generated in a fresh directory beside the output and copied
//! into it only when every command succeeded, so a failing command leaves the output as it was.

use std::path::{Component, Path, PathBuf};

use anyhow::Context as _;
use clap::Parser;

use crate::cli::{self, AlphaGenerateArgs, Cli, Command};
use crate::error::CliError;
use crate::project::{self, Project, Resource};
use crate::{commands, deploy_image, grafana, helm, olm, plugins};

/// `path` made absolute, `.` and `..` resolved lexically, then symlinks resolved through its
/// deepest existing ancestor (the rest may not exist yet).
fn resolved(path: &Path) -> anyhow::Result<PathBuf> {
    let abs = std::path::absolute(path).with_context(|| format!("resolving {}", path.display()))?;
    let mut lexical = PathBuf::new();
    for c in abs.components() {
        match c {
            Component::ParentDir => {
                lexical.pop();
            }
            Component::CurDir => {}
            c => lexical.push(c),
        }
    }
    let mut existing = lexical.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        let (Some(parent), Some(name)) = (existing.parent(), existing.file_name()) else {
            break;
        };
        rest.push(name.to_owned());
        existing = parent;
    }
    let mut out = existing
        .canonicalize()
        .unwrap_or_else(|_| existing.to_owned());
    out.extend(rest.iter().rev());
    Ok(out)
}

/// The kubeforge dependency of the input's workspace Cargo.toml: `--kubeforge-path P` (relative
/// to the current directory, as `init` takes it) or `--kubeforge-version V`. This is the line a
/// user bumps to upgrade.
fn kubeforge_flag(input: &Path) -> anyhow::Result<[String; 2]> {
    let path = input.join("Cargo.toml");
    let text = std::fs::read_to_string(&path).map_err(|source| CliError::Io {
        path: path.clone(),
        source,
    })?;
    let bad = || {
        CliError::BadProject {
        path: path.clone(),
        reason: "has no `kubeforge = \"<version>\"` or `kubeforge = { path = \"...\" }` line in [workspace.dependencies]".into(),
    }
    };
    let value = text
        .lines()
        .find_map(|l| l.strip_prefix("kubeforge = "))
        .ok_or_else(bad)?
        .trim();
    let quoted = |s: &str| {
        s.trim()
            .strip_prefix('"')?
            .split('"')
            .next()
            .map(str::to_owned)
    };
    if let Some(fields) = value.strip_prefix('{') {
        let path_value = fields
            .split(',')
            .find_map(|f| {
                f.trim()
                    .strip_prefix("path")
                    .map(|v| v.trim_start().trim_start_matches('='))
            })
            .and_then(quoted)
            .ok_or_else(bad)?;
        let dep = Path::new(&path_value);
        let dep = if dep.is_relative() {
            // init keeps a relative path relative: give it one from here to the same place.
            let here = std::path::absolute(".")?;
            let target = resolved(&input.join(dep))?;
            commands::relative_path(&resolved(&here)?, &target)
        } else {
            dep.to_owned()
        };
        Ok(["--kubeforge-path".into(), dep.display().to_string()])
    } else {
        Ok(["--kubeforge-version".into(), quoted(value).ok_or_else(bad)?])
    }
}

fn gvk(r: &Resource, out: &str) -> Vec<String> {
    vec![
        "-o".into(),
        out.into(),
        "--group".into(),
        r.group.clone(),
        "--version".into(),
        r.version.clone(),
        "--kind".into(),
        r.kind.clone(),
    ]
}

/// The OLM package of the input: the name of its one base CSV, else the project name.
fn package(input: &Path) -> Option<String> {
    let bases = std::fs::read_dir(input.join("config/manifests/bases")).ok()?;
    let mut names: Vec<String> = bases
        .flatten()
        .filter_map(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            name.strip_suffix(".clusterserviceversion.yaml")
                .map(str::to_owned)
        })
        .collect();
    (names.len() == 1).then(|| names.remove(0))
}

/// The scaffold commands that re-make `project` (read from `input`) in `out`.
fn replay(project: &Project, input: &Path, out: &str) -> anyhow::Result<Vec<Vec<String>>> {
    let mut init: Vec<String> = vec!["init".into(), "-o".into(), out.into()];
    init.extend(["--domain".into(), project.domain.clone()]);
    init.extend(["--project-name".into(), project.project_name.clone()]);
    init.extend(kubeforge_flag(input)?);
    if project.multigroup {
        init.push("--multigroup".into());
    }
    // A project `edit --namespaced` converted is the one `init --namespaced` writes.
    if project.namespaced {
        init.push("--namespaced".into());
    }
    let mut cmds = vec![init];
    for r in &project.resources {
        let mut cmd: Vec<String>;
        if let Some(api) = &r.api {
            cmd = vec!["create".into(), "api".into()];
            cmd.extend(gvk(r, out));
            if let Some(plural) = &r.plural {
                cmd.extend(["--plural".into(), plural.clone()]);
            }
            cmd.push(format!("--namespaced={}", api.namespaced));
            cmd.push(format!("--controller={}", r.controller));
            let key = (r.group.as_str(), r.version.as_str(), r.kind.as_str());
            if let Some(image) = deploy_image::recorded(&project.plugins, key)? {
                cmd.extend(image.flags());
            }
        } else if r.controller {
            cmd = vec!["create".into(), "controller".into()];
            cmd.extend(gvk(r, out));
        } else {
            continue;
        }
        cmds.push(cmd);
    }
    for r in &project.resources {
        let Some(w) = &r.webhooks else { continue };
        let mut cmd = vec!["create".into(), "webhook".into()];
        cmd.extend(gvk(r, out));
        for (on, flag) in [
            (w.defaulting, "--defaulting"),
            (w.validation, "--programmatic-validation"),
            (w.conversion, "--conversion"),
        ] {
            if on {
                cmd.push(flag.into());
            }
        }
        for spoke in &w.spoke {
            cmd.extend(["--spoke".into(), spoke.clone()]);
        }
        cmds.push(cmd);
    }
    let edit = |plugin: &str| -> Vec<String> {
        ["edit", "--plugins", plugin, "-o", out]
            .map(str::to_owned)
            .to_vec()
    };
    if project.plugins.contains_key(grafana::PLUGIN_KEY) {
        cmds.push(edit("grafana"));
    }
    if project.plugins.contains_key(helm::PLUGIN_KEY) {
        cmds.push(edit("helm"));
    }
    if project.plugins.contains_key(olm::MANIFESTS_PLUGIN) {
        let mut cmd: Vec<String> = ["generate", "kustomize", "manifests", "-o", out]
            .map(str::to_owned)
            .to_vec();
        if let Some(package) = package(input).filter(|p| *p != project.project_name) {
            cmd.extend(["--package".into(), package]);
        }
        cmds.push(cmd);
    }
    Ok(cmds)
}

/// Runs one replayed command in this process.
fn run(argv: &[String]) -> anyhow::Result<()> {
    let cli =
        Cli::try_parse_from(std::iter::once("scaffold".to_owned()).chain(argv.iter().cloned()))
            .map_err(|e| anyhow::anyhow!("replaying `scaffold {}`: {e}", argv.join(" ")))?;
    match cli.command {
        Command::Init(args) => commands::init(args),
        Command::Create {
            what: cli::Create::Api(args),
        } => commands::create_api(args),
        Command::Create {
            what: cli::Create::Controller(args),
        } => commands::create_controller(args),
        Command::Create {
            what: cli::Create::Webhook(args),
        } => commands::create_webhook(args),
        Command::Edit(args) => plugins::edit(args),
        Command::Generate {
            what:
                cli::Generate::Kustomize {
                    what: cli::Kustomize::Manifests(args),
                },
        } => olm::generate_kustomize_manifests(args),
        _ => anyhow::bail!("`scaffold {}` is not a scaffolding command", argv.join(" ")),
    }
}

/// Every file under `dir`, relative, sorted.
fn files(dir: &Path) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).with_context(|| format!("reading {}", d.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.push(path.strip_prefix(dir)?.to_owned());
            }
        }
    }
    out.sort();
    Ok(out)
}

/// The directory the project is generated in: beside the output, so that relative paths (the
/// kubeforge dependency) are the same from both. Removed on drop.
struct Staging(PathBuf);

impl Drop for Staging {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Copies the input's manifests generated from its code: they are what the user's types, RBAC
/// and webhook attributes make (the regenerated tree is to be diffed against the project, and a
/// Helm chart is rendered from them), and nothing here could remake them without building it.
fn copy_code_manifests(input: &Path, generated_dir: &Path) -> anyhow::Result<()> {
    // What `cargo xtask generate manifests` writes from the code (scaffold seeds some of it only).
    let mut generated = crate::plan::files_under(input, "config/crd/bases");
    for file in ["config/rbac/role.yaml", "config/webhook/manifests.yaml"] {
        if input.join(file).is_file() {
            generated.push(file.to_owned());
        }
    }
    for rel in &generated {
        let to = generated_dir.join(rel);
        if let Some(dir) = to.parent() {
            std::fs::create_dir_all(dir).map_err(|source| CliError::Io {
                path: dir.to_owned(),
                source,
            })?;
        }
        std::fs::copy(input.join(rel), &to).map_err(|source| CliError::Io { path: to, source })?;
    }
    Ok(())
}

/// Writes the input's plugin entries into the generated PROJECT: settings the user chose win
/// over the defaults the replay wrote.
fn keep_plugin_settings(input: &Project, generated_dir: &Path) -> anyhow::Result<()> {
    let mut generated = Project::load(generated_dir)?;
    for (key, value) in &input.plugins {
        generated.plugins.insert(key.clone(), value.clone());
    }
    let path = generated_dir.join(project::FILE);
    std::fs::write(&path, generated.to_yaml()).map_err(|source| CliError::Io { path, source })?;
    Ok(())
}

pub fn generate(args: AlphaGenerateArgs) -> anyhow::Result<()> {
    let input_dir = match &args.input_dir {
        Some(d) => d.clone(),
        None => std::env::current_dir()?,
    };
    let project = Project::load(&input_dir)?;
    let input = resolved(&input_dir)?;
    let output = resolved(&args.output_dir)?;
    let shown = args.output_dir.display().to_string();
    if output == input || output.starts_with(&input) {
        return Err(CliError::invalid(
            "--output-dir",
            &shown,
            format!(
                "must be outside the input project {} (alpha generate never writes into it)",
                input.display()
            ),
        )
        .into());
    }
    if input.starts_with(&output) {
        return Err(CliError::invalid(
            "--output-dir",
            &shown,
            format!(
                "holds the input project {}; generating there could overwrite it",
                input.display()
            ),
        )
        .into());
    }
    if output.exists() && !output.is_dir() {
        return Err(CliError::invalid("--output-dir", &shown, "is a file, not a directory").into());
    }
    let non_empty = output.is_dir() && std::fs::read_dir(&output)?.next().is_some();
    if non_empty && !args.force && !args.dry_run {
        return Err(CliError::invalid(
            "--output-dir",
            &shown,
            "exists and is not empty; use --force to write the generated files into it (files of the same path are overwritten, others kept)",
        )
        .into());
    }
    let parent = output
        .parent()
        .context("--output-dir has no parent directory")?;
    std::fs::create_dir_all(parent).map_err(|source| CliError::Io {
        path: parent.to_owned(),
        source,
    })?;
    let name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let staging = Staging(parent.join(format!(".{name}.alpha-generate-{}", std::process::id())));
    let stage = staging.0.display().to_string();
    for cmd in replay(&project, &input_dir, &stage)? {
        if cmd[0] == "edit" {
            // Before a plugin writes: the user's plugin settings (helm's output directory), and
            // the manifests the chart is rendered from.
            keep_plugin_settings(&project, &staging.0)?;
            copy_code_manifests(&input_dir, &staging.0)?;
        }
        let line = cmd.join(" ").replace(&stage, &shown);
        println!("scaffold alpha generate: running `scaffold {line}`");
        run(&cmd).with_context(|| format!("replaying `scaffold {line}`"))?;
    }
    keep_plugin_settings(&project, &staging.0)?;
    copy_code_manifests(&input_dir, &staging.0)?;
    let written = files(&staging.0)?;
    let verb = if args.dry_run { "would write" } else { "wrote" };
    if !args.dry_run {
        for rel in &written {
            let (from, to) = (staging.0.join(rel), output.join(rel));
            if let Some(dir) = to.parent() {
                std::fs::create_dir_all(dir).map_err(|source| CliError::Io {
                    path: dir.to_owned(),
                    source,
                })?;
            }
            std::fs::copy(&from, &to).map_err(|source| CliError::Io {
                path: to.clone(),
                source,
            })?;
        }
    }
    println!(
        "scaffold alpha generate: {verb} {} files in {shown} from {}{}",
        written.len(),
        input_dir.join(project::FILE).display(),
        if args.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    println!(
        "Next: compare it with your project and carry your code over, e.g.\n  diff -ru {shown} {}",
        input_dir.display()
    );
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::resolved;

    #[test]
    fn resolves_dots_and_paths_that_do_not_exist_yet() {
        let tmp = std::env::temp_dir().canonicalize().unwrap();
        let input = tmp.join("in");
        assert_eq!(
            resolved(&tmp.join("x/../in/./new/deeper")).unwrap(),
            input.join("new/deeper")
        );
        assert_eq!(resolved(&tmp.join("in/..")).unwrap(), tmp);
    }
}
