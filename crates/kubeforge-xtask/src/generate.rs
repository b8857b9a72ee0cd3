//! `cargo xtask generate crds|rbac|webhooks|manifests [--check]`.

use std::path::Path;

use crate::{Error, Generate, Project, process};

pub(crate) fn run(project: &Project, what: Generate, check: bool) -> Result<(), Error> {
    if matches!(what, Generate::Crds | Generate::Manifests) {
        crds(check)?;
    }
    if matches!(what, Generate::Rbac | Generate::Manifests) {
        let role = printed(project, "--print-rbac")?;
        if namespaced(Path::new("PROJECT")) {
            check_namespaced(&role)?;
        }
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

/// Whether PROJECT says the manager is namespace-scoped (`scaffold init|edit --namespaced`);
/// a project without PROJECT is not.
fn namespaced(project_file: &Path) -> bool {
    std::fs::read_to_string(project_file)
        .is_ok_and(|text| text.lines().any(|l| l.trim_end() == "namespaced: true"))
}

/// Refuses a role.yaml whose manager role is a ClusterRole: in a namespace-scoped project only
/// the Role is bound, so those rules would be granted to nobody.
fn check_namespaced(role_yaml: &str) -> Result<(), Error> {
    let role = format!("  name: {}", kubeforge::rbac::DEFAULT_ROLE_NAME);
    let unbound = role_yaml
        .split("---\n")
        .any(|doc| doc.lines().any(|l| l == "kind: ClusterRole") && doc.lines().any(|l| l == role));
    if unbound {
        return Err(Error::ClusterRoleInNamespacedProject {
            role: kubeforge::rbac::DEFAULT_ROLE_NAME.to_owned(),
        });
    }
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

    #[test]
    fn a_namespaced_project_refuses_an_unbound_manager_cluster_role() {
        use kubeforge::rbac::{DEFAULT_ROLE_NAME, RuleRegistration, roles_from};
        let rule = |namespace| RuleRegistration {
            source: "test",
            groups: &["cache.example.com"],
            resources: &["memcacheds"],
            resource_names: &[],
            verbs: &["get", "list", "watch"],
            urls: &[],
            namespace,
            role_name: None,
        };
        // The rules scaffold writes in a namespaced project: a Role, accepted.
        let yaml = kubeforge::yaml::to_documents(&roles_from(
            &[rule(Some("demo-system"))],
            DEFAULT_ROLE_NAME,
        ))
        .unwrap();
        assert!(yaml.contains("kind: Role\n"), "{yaml}");
        check_namespaced(&yaml).unwrap();
        // One rule without namespace makes a ClusterRole manager-role: refused.
        let yaml = kubeforge::yaml::to_documents(&roles_from(
            &[rule(Some("demo-system")), rule(None)],
            DEFAULT_ROLE_NAME,
        ))
        .unwrap();
        let error = check_namespaced(&yaml).unwrap_err().to_string();
        assert!(error.contains("ClusterRole manager-role"), "{error}");

        let dir = tempfile::tempdir().unwrap();
        let project = dir.path().join("PROJECT");
        assert!(!namespaced(&project));
        std::fs::write(&project, "domain: example.com\nnamespaced: true\n").unwrap();
        assert!(namespaced(&project));
        // An API's own `namespaced: true` (indented) says nothing about the manager.
        std::fs::write(&project, "resources:\n- api:\n    namespaced: true\n").unwrap();
        assert!(!namespaced(&project));
    }
}
