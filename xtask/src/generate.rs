//! `cargo xtask generate crds [--check]`: the CRDs of the conformance crate (and, through their
//! own xtasks, of every project in examples/).

use std::collections::BTreeSet;
use std::path::Path;
use std::process::Command;

use anyhow::{Context, bail};
use clap::Subcommand;

#[derive(Subcommand)]
pub(crate) enum What {
    /// Write the CRDs; with --check, fail if any file would change.
    Crds {
        #[arg(long)]
        check: bool,
    },
}

pub(crate) fn run(what: What) -> anyhow::Result<()> {
    match what {
        What::Crds { check } => crds(check),
    }
}

fn crds(check: bool) -> anyhow::Result<()> {
    let root = crate::repo_root();
    let dir = root.join("crates/conformance/crds");
    let files = kubeforge::crd_files(&kubeforge::GenerateOptions::default())?;
    let drift = sync_dir(&dir, &files, check)?;
    for example in examples(&root)? {
        let mut cmd = Command::new(env!("CARGO"));
        // The target dir the scaffold tests build examples and generated projects in: the
        // examples' dependencies are compiled once, not once more per example.
        cmd.current_dir(&example)
            .env(
                "CARGO_TARGET_DIR",
                root.join("target/generated-projects/target"),
            )
            .args(["xtask", "generate", "crds"]);
        if check {
            cmd.arg("--check");
        }
        let status = cmd
            .status()
            .with_context(|| format!("running cargo xtask in {}", example.display()))?;
        if !status.success() {
            bail!(
                "`cargo xtask generate crds` failed in {}",
                example.display()
            );
        }
    }
    if check && !drift.is_empty() {
        bail!(
            "generated CRDs are not up to date:\n{}\nrun `cargo xtask generate crds` and commit the result",
            drift.join("\n")
        );
    }
    println!(
        "{} CRDs in {}",
        files.len(),
        dir.strip_prefix(&root).unwrap_or(&dir).display()
    );
    Ok(())
}

/// Makes `dir` hold exactly `files` (stale `.yaml` files go), or with `check` only reports what
/// differs.
fn sync_dir(dir: &Path, files: &[(String, String)], check: bool) -> anyhow::Result<Vec<String>> {
    let mut drift = Vec::new();
    let wanted: BTreeSet<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
    for (name, contents) in files {
        let path = dir.join(name);
        let current = std::fs::read_to_string(&path).ok();
        if current.as_deref() == Some(contents.as_str()) {
            continue;
        }
        drift.push(format!(
            "  {} {}",
            if current.is_some() {
                "changed:"
            } else {
                "missing:"
            },
            path.display()
        ));
        if !check {
            std::fs::create_dir_all(dir)?;
            kubeforge::write_atomic(&path, contents.as_bytes())?;
        }
    }
    if dir.is_dir() {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_owned();
            if name.ends_with(".yaml") && !wanted.contains(name.as_str()) {
                drift.push(format!("  stale: {}", path.display()));
                if !check {
                    std::fs::remove_file(&path)?;
                }
            }
        }
    }
    Ok(drift)
}

/// Every project under examples/ (each is its own workspace with its own xtask).
fn examples(root: &Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    let dir = root.join("examples");
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let mut out: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("Cargo.toml").is_file() && p.join("xtask").is_dir())
        .collect();
    out.sort();
    Ok(out)
}
