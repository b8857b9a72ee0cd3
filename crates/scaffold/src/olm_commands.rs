//! `scaffold bundle validate` and `scaffold package osc`: thin commands over the `bundle_validate` and `osc`
//! libraries, kept apart from `commands.rs` so each stays small.

use std::path::{Path, PathBuf};

use anyhow::Context as _;

use crate::bundle_validate::{bundle, validate};
use crate::cli::{BundleValidateArgs, PackageOscArgs};
use crate::error::CliError;
use crate::osc::{self, OscError, package, rules};
use crate::plan::Plan;
use crate::project::Project;
use crate::yaml;

/// Prints every finding; fails when one is an error.
pub fn bundle_validate(args: BundleValidateArgs) -> anyhow::Result<()> {
    let findings = validate::validate(&args.dir);
    for finding in &findings {
        eprintln!("{finding}");
    }
    let errors = findings.iter().filter(|f| f.is_error()).count();
    let warnings = findings.len() - errors;
    if errors > 0 {
        anyhow::bail!(
            "bundle {} is not valid: {errors} error(s), {warnings} warning(s)",
            args.dir.display()
        );
    }
    println!(
        "scaffold: bundle {} is valid ({warnings} warning(s))",
        args.dir.display()
    );
    Ok(())
}

fn rule_error(flag: &str, value: &str, rule: impl Into<String>) -> anyhow::Error {
    OscError::Rule {
        flag: flag.to_owned(),
        value: value.to_owned(),
        rule: rule.into(),
    }
    .into()
}

/// The default service name: the project name, as an operator (`memcached` → `memcached-operator`,
/// `memcached-operator` stays).
fn default_name(project_name: &str) -> String {
    if project_name.ends_with("-operator") {
        project_name.to_owned()
    } else {
        format!("{project_name}-operator")
    }
}

/// Where `--zip` puts the archive: beside the package directory.
fn zip_path(output: &Path, file: &str) -> PathBuf {
    match output.file_name() {
        Some(_) => output
            .parent()
            .map(Path::to_owned)
            .unwrap_or_default()
            .join(file),
        None => output.join("..").join(file),
    }
}

pub fn package_osc(args: PackageOscArgs) -> anyhow::Result<()> {
    let project_dir = match &args.project_dir {
        Some(dir) => dir.clone(),
        None => std::env::current_dir().context("reading the current directory")?,
    };
    // Every flag is checked before the project is read, so a typo is reported first.
    if let Some(name) = &args.name {
        rules::service_name("--name", name)?;
    }
    if let Some(version) = &args.version {
        rules::version("--version", version)?;
    }
    if let Some(replaces) = &args.replaces {
        rules::version("--replaces", replaces)?;
    }
    for skip in &args.skips {
        rules::version("--skip", skip)?;
    }
    if let Some(path) = &args.log_path
        && (!path.starts_with('/') || path.chars().any(char::is_whitespace))
    {
        return Err(rule_error(
            "--log-path",
            path,
            "must be an absolute file path without spaces",
        ));
    }
    if args.output.exists() && !args.output.is_dir() {
        return Err(rule_error(
            "--output",
            &args.output.display().to_string(),
            "must be a directory (the package directory)",
        ));
    }
    if args.output.join(crate::project::FILE).exists() {
        return Err(rule_error(
            "--output",
            &args.output.display().to_string(),
            "holds a project (PROJECT); the package needs a directory of its own, e.g. -o osc",
        ));
    }
    let project = Project::load(&project_dir)?;
    let name = args
        .name
        .clone()
        .unwrap_or_else(|| default_name(&project.project_name));
    rules::service_name("--name (default: the project name + -operator)", &name)?;

    let bundle_dir = project_dir.join(&args.bundle_dir);
    if !bundle_dir.join(bundle::MANIFESTS).is_dir() {
        return Err(rule_error(
            "--bundle-dir",
            &bundle_dir.display().to_string(),
            "holds no OLM bundle (no manifests/); run `scaffold generate bundle --version X` first",
        ));
    }
    let findings = validate::validate(&bundle_dir);
    for finding in findings.iter().filter(|f| f.is_error()) {
        eprintln!("{finding}");
    }
    let errors = findings.iter().filter(|f| f.is_error()).count();
    if errors > 0 {
        return Err(rule_error(
            "--bundle-dir",
            &bundle_dir.display().to_string(),
            format!(
                "holds a bundle with {errors} error(s) (listed above); fix them, then check with `scaffold bundle validate {}`",
                bundle_dir.display()
            ),
        ));
    }
    let (bundle, _) = bundle::load(&bundle_dir);
    let csv = package::csv(&bundle)?;
    let version = match &args.version {
        Some(v) => v.clone(),
        None => {
            let v = yaml::str_at(&csv.value, "spec.version")
                .unwrap_or_default()
                .to_owned();
            rules::version("--version (default: the CSV's spec.version)", &v)?;
            v
        }
    };
    let settings = package::Settings {
        name: name.clone(),
        version: version.clone(),
        replaces: args.replaces.clone(),
        skips: args.skips.clone(),
        log_path: args.log_path.clone(),
    };
    let files = package::build(&bundle, &settings)?;

    let zip_name = format!("{name}-{version}.zip");
    rules::file_name("--name/--version (zip file name)", &zip_name)?;
    let zip = if args.zip {
        let bytes = osc::archive::zip(&files).map_err(|message| OscError::Write {
            file: zip_name.clone(),
            message,
        })?;
        rules::size("--zip", &zip_name, bytes.len() as u64)?;
        Some((zip_path(&args.output, &zip_name), bytes))
    } else {
        let total: u64 = files.values().map(|b| b.len() as u64).sum();
        rules::size("--output", &args.output.display().to_string(), total)?;
        None
    };

    // The package is generated output: identical files are left alone, files that would change
    // and stale files are refused without --force (--check plans as --force would, to list them).
    let mut plan = Plan::new(&args.output, args.force || args.check);
    for (rel, bytes) in &files {
        let text = String::from_utf8(bytes.clone()).map_err(|_| {
            rule_error(
                "--bundle-dir",
                rel.trim_start_matches("raw/"),
                "is not UTF-8 text; an OSC package holds text files only",
            )
        })?;
        plan.generated(rel, text)?;
    }
    // Only the package's own subdirectories are pruned: the top-level files are fixed, and
    // anything else beside them is not the package's to delete.
    for rel in ["manifests", "raw"]
        .into_iter()
        .flat_map(|sub| crate::plan::files_under(&args.output, sub))
    {
        if !files.contains_key(&rel) {
            plan.remove_or_refuse(&rel);
        }
    }
    let zip_changes = zip
        .as_ref()
        .filter(|(path, bytes)| std::fs::read(path).ok().as_ref() != Some(bytes));
    if args.check {
        let mut changes = plan.changes();
        changes.extend(zip_changes.map(|(path, _)| format!("write {}", path.display())));
        if !changes.is_empty() {
            return Err(CliError::OutOfDate(changes).into());
        }
        println!(
            "scaffold: OSC package {name} {version} in {} is up to date",
            args.output.display()
        );
        return Ok(());
    }
    if let Some((path, _)) = zip_changes
        && path.exists()
        && !args.force
    {
        plan.refuse(path.display().to_string());
    }
    let report = plan.execute(args.dry_run)?;
    let mut written = report.written;
    if let Some((path, bytes)) = zip_changes {
        let verb = if path.exists() { "overwrite" } else { "create" };
        if !args.dry_run {
            crate::plan::write_atomic(path, bytes)?;
        }
        written.push(format!("{verb} {}", path.display()));
    }
    let verb = if args.dry_run { "would write" } else { "wrote" };
    println!(
        "scaffold: {verb} OSC package {name} {version} in {}{}",
        args.output.display(),
        if args.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    for line in &written {
        println!("  {line}");
    }
    println!(
        "Next: upload {} to the OSC marketplace",
        match &zip {
            Some((path, _)) => path.display().to_string(),
            None => format!("{} (or rerun with --zip)", args.output.display()),
        }
    );
    Ok(())
}
