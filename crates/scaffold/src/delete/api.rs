//! `scaffold delete api`: the inverse of `create api` (and of `create controller`) for one
//! version of a kind.

use serde_json::Value;

use super::undo::Undo;
use crate::cli::{Common, DeleteApiArgs};
use crate::commands::{load, validate_gvk, with_resource};
use crate::context::{self, ResourceSpec};
use crate::deploy_image;
use crate::error::CliError;
use crate::project::{self, Project, Resource};

/// The first version scaffolded for a kind: its storage version, the one holding its roles.
pub(super) fn storage_version<'a>(
    project: &'a Project,
    group: &str,
    kind: &str,
) -> Option<&'a str> {
    project
        .resources
        .iter()
        .find(|r| r.group == group && r.kind == kind && r.api.is_some())
        .map(|r| r.version.as_str())
}

/// The template context `create` rendered `res` with, rebuilt from PROJECT (`project_ctx`
/// is the project's context, `context::from_project`).
pub(crate) fn resource_context(
    project_ctx: &Value,
    project: &Project,
    res: &Resource,
) -> anyhow::Result<Value> {
    let spec = ResourceSpec {
        group: &res.group,
        version: &res.version,
        kind: &res.kind,
        plural: res.plural.as_deref(),
        namespaced: res.api.as_ref().is_none_or(|a| a.namespaced),
        storage_version: res.api.is_some()
            && storage_version(project, &res.group, &res.kind) == Some(res.version.as_str()),
        external: res.external || res.core,
    };
    let mut resource = context::resource(project_ctx, project.multigroup, &spec);
    let gvk = (res.group.as_str(), res.version.as_str(), res.kind.as_str());
    if let Some(image) = deploy_image::recorded(&project.plugins, gvk)? {
        resource["image"] = image.context(&res.kind);
    }
    Ok(with_resource(project_ctx, resource))
}

pub fn delete(common: &Common, args: &DeleteApiArgs) -> anyhow::Result<()> {
    let (group, version, kind) = (&args.gvk.group, &args.gvk.version, &args.gvk.kind);
    validate_gvk(group, version, kind)?;
    let t = load(common)?;
    let Some(res) = t.project.find(group, version, kind).cloned() else {
        return Err(CliError::invalid(
            "--kind",
            kind,
            format!(
                "must be a resource of this project: {group}/{version} {kind} is not in PROJECT"
            ),
        )
        .into());
    };
    let what = format!("{group}/{version} {kind}");
    if res.webhooks.is_some() {
        return Err(CliError::Conflict(format!(
            "{what} has webhooks; delete them first with `scaffold delete webhook --group {group} --version {version} --kind {kind}`"
        ))
        .into());
    }
    if let Some(hub) = t.project.resources.iter().find(|r| {
        r.group == *group
            && r.kind == *kind
            && r.webhooks
                .as_ref()
                .is_some_and(|w| w.spoke.contains(version))
    }) {
        return Err(CliError::Conflict(format!(
            "{what} is a spoke of the conversion webhook of {group}/{} {kind}; delete it first with `scaffold delete webhook --group {group} --version {} --kind {kind} --conversion`",
            hub.version, hub.version
        ))
        .into());
    }
    let others: Vec<&str> = t
        .project
        .resources
        .iter()
        .filter(|r| {
            r.group == *group && r.kind == *kind && r.version != *version && r.api.is_some()
        })
        .map(|r| r.version.as_str())
        .collect();
    let storage = storage_version(&t.project, group, kind) == Some(version.as_str());
    if !others.is_empty() && res.api.is_some() && (storage || res.controller) {
        let holds = if storage {
            "the storage version, whose roles and CRD entry the kind shares"
        } else {
            "the kind's controller"
        };
        return Err(CliError::Conflict(format!(
            "{what} holds {holds}, which {} still use: delete {} first",
            others.join(", "),
            if others.len() == 1 { "it" } else { "them" }
        ))
        .into());
    }
    let ctx = resource_context(&t.ctx, &t.project, &res)?;
    let mut undo = Undo::new(&t.dir, common.force);
    let mut rest = t.project.clone();
    rest.resources
        .retain(|r| !(r.group == *group && r.version == *version && r.kind == *kind));
    if res.api.is_some() && !res.external && !res.core {
        undo_api(&mut undo, &ctx, &t.project, &rest, others.is_empty())?;
    }
    if res.controller {
        undo_controller(&mut undo, &ctx)?;
    }
    let gvk = (group.as_str(), version.as_str(), kind.as_str());
    forget_image(&mut rest, gvk);
    undo.plan.replace_whole(project::FILE, rest.to_yaml())?;
    undo.execute(
        &t.dir,
        &format!("delete {what}"),
        common.dry_run,
        "Next: regenerate the manifests (CRDs, role.yaml) with:\n  cargo xtask generate manifests",
    )
}

fn undo_api(
    undo: &mut Undo,
    ctx: &Value,
    project: &Project,
    rest: &Project,
    last_version_of_kind: bool,
) -> anyhow::Result<()> {
    let r = &ctx["resource"];
    let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
    let types = if r["image"].is_null() {
        "api/api/src/[api_dir]/[kind_snake]_types.rs.hbs"
    } else {
        "deploy-image/api/src/[api_dir]/[kind_snake]_types.rs.hbs"
    };
    undo.remove_rendered(types, ctx)?;
    undo.remove_rendered("api/config/samples/[sample_file].hbs", ctx)?;
    undo.remove_fragment(
        "config/samples/kustomization.yaml",
        "# +kubeforge:scaffold:manifestskustomizesamples",
        "sample",
        ctx,
    )?;
    let version_mod = format!("api/src/{}/mod.rs", s("api_dir"));
    undo.remove_fragment(
        &version_mod,
        "// +kubeforge:scaffold:kinds",
        "api-kind",
        ctx,
    )?;
    let (group, version) = (s("group"), s("version"));
    if !rest.has_version_module(&group, &version) {
        undo.remove_rendered("api/api/src/[api_dir]/mod.rs.hbs", ctx)?;
        if project.multigroup {
            let group_mod = format!("api/src/{}/mod.rs", s("group_module"));
            undo.remove_fragment(
                &group_mod,
                "// +kubeforge:scaffold:modules",
                "api-group-version",
                ctx,
            )?;
        } else {
            undo.remove_fragment(
                "api/src/lib.rs",
                "// +kubeforge:scaffold:modules",
                "api-module",
                ctx,
            )?;
        }
    }
    if project.multigroup && !rest.has_group_module(&group) {
        undo.remove_fragment(
            "api/src/lib.rs",
            "// +kubeforge:scaffold:modules",
            "api-module",
            ctx,
        )?;
        undo.remove_rendered("api/api/src/[group_module]/mod.rs.hbs", ctx)?;
    }
    if last_version_of_kind {
        for role in ["admin", "editor", "viewer"] {
            undo.remove_rendered(
                &format!("api/config/rbac/[role_prefix]_{role}_role.yaml.hbs"),
                ctx,
            )?;
        }
        undo.remove_fragment(
            "config/rbac/kustomization.yaml",
            "# +kubeforge:scaffold:rbac",
            "rbac-roles",
            ctx,
        )?;
        undo.remove_fragment(
            "config/crd/kustomization.yaml",
            "# +kubeforge:scaffold:crdkustomizeresource",
            "crd-resource",
            ctx,
        )?;
        undo.remove_generated(&format!("config/crd/bases/{}", s("crd_file")));
    }
    if !rest.resources.iter().any(|r| r.api.is_some()) {
        undo.remove_rendered("api/config/samples/kustomization.yaml.hbs", ctx)?;
        undo.revert_line("config/default/kustomization.yaml", "- ../crd", "#- ../crd")?;
    }
    Ok(())
}

fn undo_controller(undo: &mut Undo, ctx: &Value) -> anyhow::Result<()> {
    let deploy_image = !ctx["resource"]["image"].is_null();
    let templates = if deploy_image {
        undo.templates("deploy-image/src")
    } else {
        undo.templates("controller")
    };
    for template in templates {
        undo.remove_rendered(&template, ctx)?;
    }
    undo.remove_fragment(
        "src/controller/mod.rs",
        "// +kubeforge:scaffold:controller-modules",
        "controller-module",
        ctx,
    )?;
    undo.remove_fragment(
        "src/main.rs",
        "// +kubeforge:scaffold:controllers",
        "controller-start",
        ctx,
    )?;
    if deploy_image {
        undo.remove_fragment(
            "config/manager/manager.yaml",
            "# +kubeforge:scaffold:manager-env",
            "manager-env",
            ctx,
        )?;
    }
    Ok(())
}

/// Drops the deploy-image record of the resource, and the plugin's entry with its last one.
fn forget_image(project: &mut Project, (group, version, kind): (&str, &str, &str)) {
    let Some(entry) = project.plugins.get_mut(deploy_image::PLUGIN) else {
        return;
    };
    if let Some(resources) = entry["resources"].as_array_mut() {
        resources
            .retain(|r| !(r["group"] == group && r["version"] == version && r["kind"] == kind));
        if resources.is_empty() {
            project.plugins.remove(deploy_image::PLUGIN);
        }
    }
}
