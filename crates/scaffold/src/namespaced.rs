//! `scaffold init --namespaced` and `scaffold edit --namespaced[=false]`: kubebuilder's
//! namespace-scoped manager. The manager watches only the namespace it runs in (WATCH_NAMESPACE
//! from the downward API, read by kubeforge-runtime's `--namespace`), is bound to a Role by a
//! RoleBinding, and its controllers' `#[rbac]` rules carry `namespace`, so that
//! `cargo xtask generate rbac` writes them into that Role (controller-gen's
//! `+kubebuilder:rbac:...,namespace=X`). The kinds' admin/editor/viewer helper roles become
//! Roles too, as in kubebuilder.
//!
//! `edit` converts an existing project line by line, so everything else the user changed in
//! those files stays: a line it must change that is not there is an edit it refuses (naming the
//! file) unless `--force`, which changes what still matches and leaves the rest.

use serde_json::Value;

use crate::cli::EditArgs;
use crate::commands::load;
use crate::context;
use crate::delete::api::resource_context;
use crate::delete::undo::Undo;
use crate::error::CliError;
use crate::plan::Plan;
use crate::project::{self, Project};
use crate::render::Renderer;

const MANAGER: &str = "config/manager/manager.yaml";
const MANAGER_ENV_MARKER: &str = "# +kubeforge:scaffold:manager-env";
const ROLE: &str = "config/rbac/role.yaml";
const ROLE_BINDING: &str = "config/rbac/role_binding.yaml";

/// The manager's WATCH_NAMESPACE, inserted after its RUST_LOG (also by `init`, so
/// `init --namespaced` and `edit --namespaced` write the same file whatever `create api --image`
/// added at the manager-env marker in between).
pub fn plan_watch_namespace(
    renderer: &Renderer,
    plan: &mut Plan,
    ctx: &Value,
) -> anyhow::Result<()> {
    let fragment = renderer.fragment("manager-watch-namespace", ctx)?;
    let text = plan.text(MANAGER)?.unwrap_or_default();
    let out = after_rust_log(&text, &fragment).ok_or_else(|| CliError::MissingMarker {
        path: MANAGER.into(),
        marker: "- name: RUST_LOG".into(),
    })?;
    plan.replace_whole(MANAGER, out)?;
    Ok(())
}

/// `text` with `fragment` after the RUST_LOG entry (its `- name:` line and the `value:` line
/// that follows), indented like it.
fn after_rust_log(text: &str, fragment: &str) -> Option<String> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let at = lines.iter().position(|l| l.trim() == "- name: RUST_LOG")?;
    lines
        .get(at + 1)
        .filter(|l| l.trim_start().starts_with("value:"))?;
    let indent: String = lines[at]
        .chars()
        .take_while(|c| c.is_whitespace())
        .collect();
    let inserted: String = fragment
        .trim_end_matches('\n')
        .lines()
        .map(|l| format!("{indent}{l}\n"))
        .collect();
    Some(lines[..at + 2].concat() + &inserted + &lines[at + 2..].concat())
}

/// `(cluster-scoped, namespace-scoped)` spelling of the lines `edit` switches.
fn kinds(file_kind: &str) -> (String, String) {
    match file_kind {
        "binding" => (
            "kind: ClusterRoleBinding".into(),
            "kind: RoleBinding".into(),
        ),
        _ => ("kind: ClusterRole".into(), "kind: Role".into()),
    }
}

pub fn edit(args: EditArgs) -> anyhow::Result<()> {
    let on = args.namespaced.unwrap_or(true);
    let t = load(&args.common)?;
    check_cluster_scoped(on, &t.project)?;
    if t.project.namespaced == on {
        println!(
            "scaffold: the manager is {} already (PROJECT); nothing to change",
            if on {
                "namespace-scoped"
            } else {
                "cluster-scoped"
            }
        );
    } else {
        convert(&t.dir, &t.project, on, &args)?;
    }
    if args.plugins.is_empty() {
        Ok(())
    } else {
        crate::plugins::edit(args)
    }
}

fn convert(
    dir: &std::path::Path,
    project: &Project,
    on: bool,
    args: &EditArgs,
) -> anyhow::Result<()> {
    let mut after = project.clone();
    after.namespaced = on;
    let ctx = context::from_project(&after);
    let namespace = ctx["namespace"].as_str().unwrap_or_default().to_owned();
    let mut undo = Undo::new(dir, args.common.force);
    let switch = |undo: &mut Undo, rel: &str, (cluster, namespaced): (String, String)| {
        if on {
            undo.revert_line(rel, &cluster, &namespaced)
        } else {
            undo.revert_line(rel, &namespaced, &cluster)
        }
    };
    let (binding, role) = (kinds("binding"), kinds("role"));
    switch(&mut undo, ROLE_BINDING, binding)?;
    // Then roleRef.kind: the only line left that is exactly `kind: ClusterRole` (or `Role`).
    switch(&mut undo, ROLE_BINDING, role.clone())?;
    // role.yaml is generated: the placeholder `init` wrote is switched here, a generated one by
    // `cargo xtask generate rbac` once the rules below carry their namespace.
    switch(&mut undo, ROLE, role.clone())?;
    if on {
        let renderer = Renderer::new();
        plan_watch_namespace(&renderer, &mut undo.plan, &ctx)?;
    } else {
        undo.remove_fragment(MANAGER, MANAGER_ENV_MARKER, "manager-watch-namespace", &ctx)?;
    }
    for res in &project.resources {
        let rctx = resource_context(&ctx, &after, res)?;
        let r = &rctx["resource"];
        let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
        // The helper roles were written by the kind's first version.
        if res.api.is_some() {
            let first = project
                .resources
                .iter()
                .find(|o| o.group == res.group && o.kind == res.kind && o.api.is_some());
            if first.is_some_and(|f| f.version == res.version) {
                for helper in ["admin", "editor", "viewer"] {
                    let rel = format!("config/rbac/{}_{helper}_role.yaml", s("role_prefix"));
                    switch(&mut undo, &rel, role.clone())?;
                }
            }
        }
        if res.controller {
            let rel = format!("src/controller/{}.rs", s("controller_module"));
            match undo.plan.text(&rel)? {
                None => undo.edited(&rel, "missing; its #[rbac] rules need their namespace"),
                Some(text) => {
                    let rules = rbac_namespace(&text, &namespace, on);
                    if rules.split > 0 || rules.changed + rules.already == 0 {
                        undo.edited(
                            &rel,
                            "has #[rbac(...)] rules that are not one per line; set their `namespace` by hand",
                        );
                    }
                    undo.plan.replace_whole(&rel, rules.text)?;
                }
            }
        }
    }
    undo.plan.replace_whole(project::FILE, after.to_yaml())?;
    let what = if on {
        "make the manager namespace-scoped"
    } else {
        "make the manager cluster-scoped"
    };
    undo.execute(
        dir,
        what,
        args.common.dry_run,
        "Next: regenerate config/rbac/role.yaml from the #[rbac] rules with:\n  cargo xtask generate manifests",
    )
}

/// A controller's `#[rbac(...)]` rules with (`on`) or without `namespace = "<namespace>"`.
struct RbacRules {
    text: String,
    /// Rules changed, and rules already as wanted (with a namespace of their own, or URLs,
    /// which only a ClusterRole holds).
    changed: usize,
    already: usize,
    /// `#[rbac(` attributes spread over several lines, left as they are.
    split: usize,
}

fn rbac_namespace(text: &str, namespace: &str, on: bool) -> RbacRules {
    let field = format!(", namespace = \"{namespace}\"");
    let mut out = RbacRules {
        text: String::with_capacity(text.len() + 256),
        changed: 0,
        already: 0,
        split: 0,
    };
    for line in text.split_inclusive('\n') {
        let body = line.trim_end();
        let trimmed = body.trim_start();
        if !trimmed.starts_with("#[rbac(") {
            out.text.push_str(line);
            continue;
        }
        let Some(head) = body.strip_suffix(")]") else {
            out.split += 1;
            out.text.push_str(line);
            continue;
        };
        let eol = &line[body.len()..];
        if on && !body.contains("namespace =") && !body.contains("urls =") {
            out.text.push_str(&format!("{head}{field})]{eol}"));
            out.changed += 1;
        } else if !on && body.contains(&field) {
            out.text.push_str(&body.replacen(&field, "", 1));
            out.text.push_str(eol);
            out.changed += 1;
        } else {
            out.already += 1;
            out.text.push_str(line);
        }
    }
    out
}

/// A namespace-scoped manager cannot reconcile a cluster-scoped kind: its Role cannot grant it.
pub fn check_cluster_scoped(namespaced_manager: bool, project: &Project) -> Result<(), CliError> {
    let cluster_scoped = project
        .resources
        .iter()
        .find(|r| r.api.as_ref().is_some_and(|a| !a.namespaced));
    match cluster_scoped {
        Some(r) if namespaced_manager => Err(CliError::invalid(
            "--namespaced",
            "true",
            format!(
                "needs every API of the project to be namespaced, and {}/{} {} is cluster-scoped: a Role cannot grant it",
                r.group, r.version, r.kind
            ),
        )),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rbac_rules_get_and_lose_the_namespace() {
        let text = "#[rbac(groups = \"a\", resources = \"x\", verbs = \"get\")]\n\
                    #[rbac(urls = \"/metrics\", verbs = \"get\")]\n\
                    #[rbac(groups = \"b\", resources = \"y\", verbs = \"get\", namespace = \"other\")]\n\
                    fn f() {}\n";
        let on = rbac_namespace(text, "demo-system", true);
        assert_eq!(
            on.text,
            "#[rbac(groups = \"a\", resources = \"x\", verbs = \"get\", namespace = \"demo-system\")]\n\
             #[rbac(urls = \"/metrics\", verbs = \"get\")]\n\
             #[rbac(groups = \"b\", resources = \"y\", verbs = \"get\", namespace = \"other\")]\n\
             fn f() {}\n"
        );
        assert_eq!((on.changed, on.already, on.split), (1, 2, 0));
        let off = rbac_namespace(&on.text, "demo-system", false);
        assert_eq!(off.text, text);
        assert_eq!(off.changed, 1);
    }

    #[test]
    fn an_attribute_over_several_lines_is_counted_and_left() {
        let text = "#[rbac(\n    groups = \"a\",\n)]\n";
        let rules = rbac_namespace(text, "ns", true);
        assert_eq!(rules.text, text);
        assert_eq!(rules.split, 1);
    }
}
