//! `cargo xtask generate crds|rbac|webhooks|manifests [--check]`.

use std::path::Path;

use crate::{Error, Generate, Project, process};

pub(crate) fn run(project: &Project, what: Generate, check: bool) -> Result<(), Error> {
    if matches!(what, Generate::Crds | Generate::Manifests) {
        crds(check)?;
    }
    if matches!(what, Generate::Rbac | Generate::Manifests) {
        let role = printed(project, "--print-rbac")?;
        // Like controller-gen: no rules, no file.
        write_or_check(Path::new("config/rbac/role.yaml"), &role, check, "rbac")?;
    }
    // A project without webhooks (no src/webhook/, added by `scaffold create webhook`) has none.
    if matches!(what, Generate::Webhooks | Generate::Manifests)
        && Path::new("src/webhook/mod.rs").is_file()
    {
        let yaml = printed(project, "--print-webhooks")?;
        let path = Path::new("config/webhook/manifests.yaml");
        write_or_check(path, &yaml, check, "webhooks")?;
    }
    Ok(())
}

fn crds(check: bool) -> Result<(), Error> {
    let dir = Path::new("config/crd/bases");
    if !check {
        for path in kubeforge::write_crds(dir)? {
            println!("wrote {}", path.display());
        }
        return Ok(());
    }
    let files = kubeforge::crd_files(&kubeforge::GenerateOptions::default())?;
    let stale: Vec<String> = files
        .iter()
        .map(|(name, contents)| (dir.join(name), contents))
        .filter(|(path, contents)| std::fs::read_to_string(path).ok().as_ref() != Some(*contents))
        .map(|(path, _)| path.display().to_string())
        .collect();
    if !stale.is_empty() {
        return Err(Error::OutOfDate {
            files: stale,
            task: "crds",
        });
    }
    println!("{} is up to date", dir.display());
    Ok(())
}

/// What the manager prints for `flag` (`--print-rbac`, `--print-webhooks`).
fn printed(project: &Project, flag: &str) -> Result<String, Error> {
    let mut command = process::cargo();
    command.args([
        "run",
        "--quiet",
        "--package",
        project.manager_package,
        "--",
        flag,
    ]);
    process::output(&mut command)
}

/// Writes `contents` to `path` (atomically), or with `check` fails when it differs. Empty
/// contents leave the file as it is.
fn write_or_check(
    path: &Path,
    contents: &str,
    check: bool,
    task: &'static str,
) -> Result<(), Error> {
    if contents.is_empty() {
        println!("nothing registered: {} left as it is", path.display());
        return Ok(());
    }
    if check {
        let current = std::fs::read_to_string(path).ok();
        if current.as_deref() != Some(contents) {
            return Err(Error::OutOfDate {
                files: vec![path.display().to_string()],
                task,
            });
        }
        println!("{} is up to date", path.display());
    } else {
        kubeforge::write_atomic(path, contents.as_bytes())?;
        println!("wrote {}", path.display());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_names_the_stale_file_and_the_fix() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("role.yaml");
        let error = write_or_check(&path, "a: 1\n", true, "rbac").unwrap_err();
        let message = error.to_string();
        assert!(message.starts_with("out of date: "), "{message}");
        assert!(
            message.ends_with("run `cargo xtask generate rbac`"),
            "{message}"
        );
        write_or_check(&path, "a: 1\n", false, "rbac").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a: 1\n");
        write_or_check(&path, "a: 1\n", true, "rbac").unwrap();
        write_or_check(&path, "", false, "rbac").unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "a: 1\n");
    }
}
