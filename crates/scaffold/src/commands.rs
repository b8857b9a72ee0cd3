//! The commands: check every input, plan every file, then write.

use std::path::{Path, PathBuf};

use anyhow::Context as _;
use serde_json::Value;

use crate::cli::{ApiArgs, Common, ControllerArgs, InitArgs, License, WebhookArgs};
use crate::context::{self, InitSettings, KubeforgeDep, ResourceSpec};
use crate::deploy_image::{self, ImageOptions};
use crate::error::CliError;
use crate::names;
use crate::plan::{IfExists, Plan, Report};
use crate::project::{self, Api, Project, Resource, Webhooks};
use crate::render::Renderer;

pub(crate) fn work_dir(common: &Common) -> anyhow::Result<PathBuf> {
    match &common.output {
        Some(dir) => Ok(dir.clone()),
        None => std::env::current_dir().context("reading the current directory"),
    }
}

pub(crate) fn print_report(report: &Report, dir: &Path, dry_run: bool, next: &str) {
    let verb = if dry_run { "would write" } else { "wrote" };
    println!(
        "scaffold: {verb} {} files in {}{}",
        report.written.len(),
        dir.display(),
        if dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    for line in &report.written {
        println!("  {line}");
    }
    println!("{next}");
}

/// The kubeforge this binary was built from, when its checkout is still there.
fn default_kubeforge() -> KubeforgeDep {
    let built_from = Path::new(env!("CARGO_MANIFEST_DIR")).join("../kubeforge");
    match built_from.canonicalize() {
        Ok(p) if p.join("Cargo.toml").is_file() => KubeforgeDep::Path(p.display().to_string()),
        _ => KubeforgeDep::Version(env!("CARGO_PKG_VERSION").to_owned()),
    }
}

/// `to` relative to `from`, both absolute; lexical (`..` components are resolved first).
pub(crate) fn relative_path(from: &Path, to: &Path) -> PathBuf {
    use std::path::Component;
    fn normal(p: &Path) -> Vec<Component<'_>> {
        let mut out = Vec::new();
        for c in p.components() {
            match c {
                Component::CurDir => {}
                Component::ParentDir => {
                    out.pop();
                }
                c => out.push(c),
            }
        }
        out
    }
    let (from, to) = (normal(from), normal(to));
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut rel = PathBuf::new();
    for _ in common..from.len() {
        rel.push("..");
    }
    for c in &to[common..] {
        rel.push(c.as_os_str());
    }
    rel
}

pub fn init(args: InitArgs) -> anyhow::Result<()> {
    let dir = work_dir(&args.common)?;
    if dir.exists() && !dir.is_dir() {
        return Err(CliError::invalid(
            "--output",
            &dir.display().to_string(),
            "must be a directory",
        )
        .into());
    }
    if dir.join(project::FILE).exists() {
        return Err(CliError::AlreadyAProject(dir).into());
    }
    let project_name = match &args.project_name {
        Some(name) => name.clone(),
        None => {
            let base = dir
                .canonicalize()
                .unwrap_or_else(|_| dir.clone())
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            names::project_name_from_dir(&base)
        }
    };
    names::dns1123_label("--project-name", &project_name)?;
    names::dns1123_subdomain("--domain", &args.domain)?;
    let kubeforge = match (&args.kubeforge_path, &args.kubeforge_version) {
        (Some(p), _) => {
            let abs = p.canonicalize().map_err(|_| {
                CliError::invalid(
                    "--kubeforge-path",
                    &p.display().to_string(),
                    "must be an existing directory holding the kubeforge crate",
                )
            })?;
            if !abs.join("Cargo.toml").is_file() {
                return Err(CliError::invalid(
                    "--kubeforge-path",
                    &p.display().to_string(),
                    "must be a directory holding the kubeforge crate (no Cargo.toml there)",
                )
                .into());
            }
            if p.is_relative() {
                // Kept relative (to the project), so a project inside a checkout builds anywhere.
                let from = std::path::absolute(&dir).unwrap_or_else(|_| dir.clone());
                let to = std::path::absolute(p).unwrap_or_else(|_| p.clone());
                KubeforgeDep::Path(relative_path(&from, &to).display().to_string())
            } else {
                KubeforgeDep::Path(abs.display().to_string())
            }
        }
        (None, Some(v)) => {
            let ok = !v.is_empty()
                && v.chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-+^=~<>*, ".contains(c));
            if !ok {
                return Err(CliError::invalid(
                    "--kubeforge-version",
                    v,
                    "must be a Cargo version requirement such as 0.1 or =0.1.0",
                )
                .into());
            }
            KubeforgeDep::Version(v.clone())
        }
        (None, None) => default_kubeforge(),
    };
    let license = match args.license {
        License::Apache2 => "apache2",
        License::Mit => "mit",
        License::None => "none",
    };
    let settings = InitSettings {
        project_name: project_name.clone(),
        domain: args.domain.clone(),
        owner: args.owner.clone(),
        license: license.into(),
        multigroup: args.multigroup,
        namespaced: args.namespaced,
        kubeforge,
    };
    let ctx = context::project(&settings);
    let renderer = Renderer::new();
    let mut plan = Plan::new(&dir, args.common.force);
    for template in renderer.templates("init") {
        let file = renderer.render(&template, &ctx)?;
        plan.create(&file.path, file.contents, IfExists::Error)?;
    }
    if args.namespaced {
        crate::namespaced::plan_watch_namespace(&renderer, &mut plan, &ctx)?;
    }
    let project = Project {
        cli_version: env!("CARGO_PKG_VERSION").into(),
        domain: args.domain.clone(),
        layout: vec![project::LAYOUT.into()],
        multigroup: args.multigroup,
        namespaced: args.namespaced,
        plugins: Default::default(),
        project_name: project_name.clone(),
        repo: project_name,
        resources: Vec::new(),
        version: "3".into(),
    };
    plan.create(project::FILE, project.to_yaml(), IfExists::Error)?;
    let report = plan.execute(args.common.dry_run)?;
    let cd = match &args.common.output {
        Some(d) => format!("cd {} && ", d.display()),
        None => String::new(),
    };
    print_report(
        &report,
        &dir,
        args.common.dry_run,
        &format!(
            "Next: define a resource with:\n  {cd}scaffold create api --group <group> --version <version> --kind <Kind>"
        ),
    );
    Ok(())
}

pub(crate) struct Target {
    pub(crate) dir: PathBuf,
    pub(crate) project: Project,
    pub(crate) ctx: Value,
}

pub(crate) fn load(common: &Common) -> anyhow::Result<Target> {
    let dir = work_dir(common)?;
    let project = Project::load(&dir)?;
    let ctx = context::from_project(&project);
    Ok(Target { dir, project, ctx })
}

pub(crate) fn with_resource(ctx: &Value, resource: Value) -> Value {
    let mut ctx = ctx.clone();
    ctx["resource"] = resource;
    ctx
}

pub(crate) fn validate_gvk(group: &str, version: &str, kind: &str) -> Result<(), CliError> {
    names::group(group)?;
    names::version(version)?;
    names::kind(kind)
}

pub fn create_api(args: ApiArgs) -> anyhow::Result<()> {
    let (group, version, kind) = (&args.gvk.group, &args.gvk.version, &args.gvk.kind);
    validate_gvk(group, version, kind)?;
    if let Some(p) = &args.plural {
        names::plural(p)?;
    }
    if group == "core" {
        return Err(CliError::invalid("--group", group, "names the built-in core API; use `scaffold create controller --group core ...` for built-in kinds")
        .into());
    }
    let image = ImageOptions::from_args(&args.image)?;
    if image.is_some() {
        let refused = [
            (
                "--resource",
                !args.resource,
                "false",
                "the deploy-image plugin scaffolds the API types",
            ),
            (
                "--controller",
                args.controller == Some(false),
                "false",
                "the deploy-image plugin scaffolds the controller",
            ),
            (
                "--namespaced",
                !args.namespaced,
                "false",
                "the Deployment of a deploy-image kind lives in the object's namespace",
            ),
        ];
        if let Some((flag, _, value, why)) = refused.into_iter().find(|r| r.1) {
            return Err(CliError::invalid(
                flag,
                value,
                format!("cannot be used with --image: {why}"),
            )
            .into());
        }
    }
    let mut t = load(&args.common)?;
    if t.project.namespaced && !args.namespaced {
        return Err(CliError::invalid(
            "--namespaced",
            "false",
            "cannot be used in a project whose manager is namespace-scoped (PROJECT namespaced: true): its Role cannot grant a cluster-scoped kind",
        )
        .into());
    }
    let kind_controller = t
        .project
        .resources
        .iter()
        .find(|r| r.group == *group && r.kind == *kind && r.controller)
        .map(|r| r.version.clone());
    let controller = args.controller.unwrap_or(kind_controller.is_none());
    if args.controller == Some(true)
        && let Some(v) = &kind_controller
        && v != version
        && !args.common.force
    {
        return Err(CliError::Conflict(format!(
            "{kind} already has a controller (scaffolded with {group}/{v}); controllers reconcile a kind, not a version: use --controller=false, or --force to scaffold it again"
        ))
        .into());
    }
    if !args.resource && !controller {
        return Err(CliError::invalid(
            "--resource/--controller",
            "false/false",
            "leave nothing to scaffold; set at least one of them",
        )
        .into());
    }
    let existing = t.project.find(group, version, kind).cloned();
    if args.resource && existing.as_ref().is_some_and(|r| r.api.is_some()) && !args.common.force {
        return Err(CliError::DuplicateResource {
            group: group.clone(),
            version: version.clone(),
            kind: kind.clone(),
        }
        .into());
    }
    if !args.resource && !t.project.has_kind(group, kind) {
        return Err(CliError::invalid("--resource", "false", format!("needs an existing API for {group}/{version} {kind}; create it first with --resource=true"))
        .into());
    }
    if !args.resource && kind_controller.is_some() && !args.common.force {
        return Err(CliError::Conflict(format!(
            "{group}/{version} {kind} already has a controller; use --force to scaffold it again"
        ))
        .into());
    }
    // The first version scaffolded for a kind is its storage version, also when re-scaffolded.
    let first_version = t
        .project
        .resources
        .iter()
        .find(|r| r.group == *group && r.kind == *kind && r.api.is_some())
        .map(|r| r.version.clone());
    let storage_version = args.resource && first_version.is_none_or(|v| v == *version);
    let version_module_exists = t.project.has_version_module(group, version);
    let group_module_exists = t.project.has_group_module(group);
    let spec = ResourceSpec {
        group,
        version,
        kind,
        plural: args.plural.as_deref(),
        namespaced: args.namespaced,
        storage_version,
        external: false,
    };
    let mut resource_ctx = context::resource(&t.ctx, t.project.multigroup, &spec);
    if let Some(image) = &image {
        resource_ctx["image"] = image.context(kind);
    }
    let ctx = with_resource(&t.ctx, resource_ctx);
    let renderer = Renderer::new();
    let mut plan = Plan::new(&t.dir, args.common.force);
    if args.resource {
        plan_api(
            &renderer,
            &mut plan,
            &ctx,
            t.project.multigroup,
            version_module_exists,
            group_module_exists,
        )?;
    }
    if controller {
        plan_controller(&renderer, &mut plan, &ctx)?;
    }
    if let Some(image) = &image {
        // Replayed on a re-scaffold, with the deploy-image options kubebuilder records.
        let gvk = (group.as_str(), version.as_str(), kind.as_str());
        deploy_image::record(&mut t.project.plugins, &t.project.domain, gvk, image);
        if controller {
            plan.insert(
                "config/manager/manager.yaml",
                "# +kubeforge:scaffold:manager-env",
                &renderer.fragment("manager-env", &ctx)?,
            )?;
        }
    }
    let resource = Resource {
        api: if args.resource || existing.as_ref().is_some_and(|r| r.api.is_some()) {
            Some(Api {
                crd_version: "v1".into(),
                namespaced: args.namespaced,
            })
        } else {
            None
        },
        controller: controller || existing.as_ref().is_some_and(|r| r.controller),
        core: false,
        domain: Some(t.project.domain.clone()),
        external: false,
        group: group.clone(),
        kind: kind.clone(),
        path: Some(format!(
            "api/src/{}/{}_types.rs",
            ctx["resource"]["api_dir"].as_str().unwrap_or_default(),
            ctx["resource"]["kind_snake"].as_str().unwrap_or_default()
        )),
        plural: args.plural.clone(),
        version: version.clone(),
        webhooks: existing.as_ref().and_then(|r| r.webhooks.clone()),
    };
    upsert(&mut t.project, resource);
    plan_project_update(&mut plan, &t.project);
    let report = plan.execute(args.common.dry_run)?;
    print_report(
        &report,
        &t.dir,
        args.common.dry_run,
        "Next: implement your new API and generate the manifests with:\n  cargo xtask generate manifests",
    );
    Ok(())
}

fn upsert(project: &mut Project, resource: Resource) {
    match project.resources.iter_mut().find(|r| {
        r.group == resource.group && r.version == resource.version && r.kind == resource.kind
    }) {
        Some(r) => *r = resource,
        None => project.resources.push(resource),
    }
}

/// PROJECT always changes; it is the scaffold's own file, so it is rewritten without `--force`.
fn plan_project_update(plan: &mut Plan, project: &Project) {
    let _ = plan.replace_whole(project::FILE, project.to_yaml());
}

const SHARED: &[&str] = &[
    "api/api/src/[api_dir]/mod.rs.hbs",
    "api/api/src/[group_module]/mod.rs.hbs",
    "api/config/samples/kustomization.yaml.hbs",
];

fn plan_api(
    renderer: &Renderer,
    plan: &mut Plan,
    ctx: &Value,
    multigroup: bool,
    version_module_exists: bool,
    group_module_exists: bool,
) -> anyhow::Result<()> {
    let deploy_image = !ctx["resource"]["image"].is_null();
    for template in renderer.templates("api") {
        if template.contains("[group_module]") && !multigroup {
            continue;
        }
        let template = match template.strip_prefix("api/") {
            // The deploy-image plugin has types of its own (size, containerPort).
            Some(rest) if deploy_image && rest.ends_with("_types.rs.hbs") => {
                format!("deploy-image/{rest}")
            }
            _ => template,
        };
        let file = renderer.render(&template, ctx)?;
        // Per-kind files (the admin/editor/viewer roles) are shared by every version of the kind.
        let per_kind = template.contains("[role_prefix]")
            && !ctx["resource"]["storage_version"].as_bool().unwrap_or(true);
        let policy = if SHARED.contains(&template.as_str()) || per_kind {
            IfExists::Skip
        } else {
            IfExists::Error
        };
        plan.create(&file.path, file.contents, policy)?;
    }
    let r = &ctx["resource"];
    let s = |k: &str| r[k].as_str().unwrap_or_default().to_owned();
    if multigroup {
        if !group_module_exists {
            plan.insert(
                "api/src/lib.rs",
                "// +kubeforge:scaffold:modules",
                &renderer.fragment("api-module", ctx)?,
            )?;
        }
        if !version_module_exists {
            let group_mod = format!("api/src/{}/mod.rs", s("group_module"));
            plan.insert(
                &group_mod,
                "// +kubeforge:scaffold:modules",
                &renderer.fragment("api-group-version", ctx)?,
            )?;
        }
    } else if !version_module_exists {
        plan.insert(
            "api/src/lib.rs",
            "// +kubeforge:scaffold:modules",
            &renderer.fragment("api-module", ctx)?,
        )?;
    }
    plan.insert(
        &format!("api/src/{}/mod.rs", s("api_dir")),
        "// +kubeforge:scaffold:kinds",
        &renderer.fragment("api-kind", ctx)?,
    )?;
    plan.insert(
        "config/crd/kustomization.yaml",
        "# +kubeforge:scaffold:crdkustomizeresource",
        &renderer.fragment("crd-resource", ctx)?,
    )?;
    plan.insert(
        "config/rbac/kustomization.yaml",
        "# +kubeforge:scaffold:rbac",
        &renderer.fragment("rbac-roles", ctx)?,
    )?;
    plan.insert(
        "config/samples/kustomization.yaml",
        "# +kubeforge:scaffold:manifestskustomizesamples",
        &renderer.fragment("sample", ctx)?,
    )?;
    plan.replace_line("config/default/kustomization.yaml", "#- ../crd", "- ../crd")?;
    Ok(())
}

fn plan_controller(renderer: &Renderer, plan: &mut Plan, ctx: &Value) -> anyhow::Result<()> {
    let templates = if ctx["resource"]["image"].is_null() {
        renderer.templates("controller")
    } else {
        renderer.templates("deploy-image/src")
    };
    for template in templates {
        let file = renderer.render(&template, ctx)?;
        plan.create(&file.path, file.contents, IfExists::Error)?;
    }
    plan.insert(
        "src/controller/mod.rs",
        "// +kubeforge:scaffold:controller-modules",
        &renderer.fragment("controller-module", ctx)?,
    )?;
    plan.insert(
        "src/main.rs",
        "// +kubeforge:scaffold:controllers",
        &renderer.fragment("controller-start", ctx)?,
    )?;
    Ok(())
}

pub fn create_controller(args: ControllerArgs) -> anyhow::Result<()> {
    let (group, version, kind) = (&args.gvk.group, &args.gvk.version, &args.gvk.kind);
    validate_gvk(group, version, kind)?;
    let mut t = load(&args.common)?;
    let builtin = context::BUILTIN_GROUPS.iter().any(|(g, _, _)| g == group);
    if !builtin {
        // A controller for one of the project's own kinds is `create api --resource=false`.
        return create_api(ApiArgs {
            image: Default::default(),
            common: args.common,
            gvk: args.gvk,
            plural: None,
            namespaced: true,
            resource: false,
            controller: Some(true),
        });
    }
    if t.project
        .find(group, version, kind)
        .is_some_and(|r| r.controller)
        && !args.common.force
    {
        return Err(CliError::Conflict(format!(
            "{group}/{version} {kind} already has a controller; use --force to scaffold it again"
        ))
        .into());
    }
    let spec = ResourceSpec {
        group,
        version,
        kind,
        plural: None,
        namespaced: true,
        storage_version: false,
        external: true,
    };
    let ctx = with_resource(
        &t.ctx,
        context::resource(&t.ctx, t.project.multigroup, &spec),
    );
    let renderer = Renderer::new();
    let mut plan = Plan::new(&t.dir, args.common.force);
    plan_controller(&renderer, &mut plan, &ctx)?;
    upsert(
        &mut t.project,
        Resource {
            api: None,
            controller: true,
            core: group == "core",
            domain: None,
            external: group != "core",
            group: group.clone(),
            kind: kind.clone(),
            path: Some(
                ctx["resource"]["rust_type"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            ),
            plural: None,
            version: version.clone(),
            webhooks: None,
        },
    );
    plan_project_update(&mut plan, &t.project);
    let report = plan.execute(args.common.dry_run)?;
    print_report(
        &report,
        &t.dir,
        args.common.dry_run,
        "Next: implement the reconcile logic, then run it with:\n  cargo xtask run",
    );
    Ok(())
}

/// Uncomments (drops the first `#` of) the lines of the block that starts at the line equal to
/// `start` (trimmed), up to the next blank line; scaffold markers stay comments.
fn uncomment_block(text: &str, start: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut inside = false;
    for line in text.split_inclusive('\n') {
        if !inside && line.trim() == start {
            inside = true;
        } else if inside && line.trim().is_empty() {
            inside = false;
        }
        if inside && line.starts_with('#') && !line.starts_with("# +kubeforge:") {
            out.push_str(&line[1..]);
        } else {
            out.push_str(line);
        }
    }
    out
}

pub fn create_webhook(args: WebhookArgs) -> anyhow::Result<()> {
    let (group, version, kind) = (&args.gvk.group, &args.gvk.version, &args.gvk.kind);
    validate_gvk(group, version, kind)?;
    if group == "core" || context::BUILTIN_GROUPS.iter().any(|(g, _, _)| g == group) {
        return Err(CliError::invalid(
            "--group",
            group,
            "names a built-in API group; webhooks are scaffolded for this project's own APIs only",
        )
        .into());
    }
    if !args.defaulting && !args.programmatic_validation && !args.conversion {
        return Err(CliError::invalid(
            "--defaulting/--programmatic-validation/--conversion",
            "false/false/false",
            "leave nothing to scaffold; set at least one of them",
        )
        .into());
    }
    if !args.spoke.is_empty() && !args.conversion {
        return Err(CliError::invalid(
            "--spoke",
            &args.spoke.join(","),
            "needs --conversion (spokes are versions converted to and from the hub)",
        )
        .into());
    }
    for spoke in &args.spoke {
        names::version(spoke).map_err(|_| {
            CliError::invalid(
                "--spoke",
                spoke,
                "must be a Kubernetes API version such as v1, v2beta1 or v1alpha2",
            )
        })?;
    }
    let mut t = load(&args.common)?;
    let Some(existing) = t
        .project
        .find(group, version, kind)
        .filter(|r| r.api.is_some() && !r.external && !r.core)
        .cloned()
    else {
        return Err(CliError::invalid(
            "--kind",
            kind,
            format!(
                "must be an API of this project: {group}/{version} {kind} is not in PROJECT; create it first with `scaffold create api`"
            ),
        ).into());
    };
    let mut seen = Vec::new();
    for spoke in &args.spoke {
        if spoke == version {
            return Err(CliError::invalid(
                "--spoke",
                spoke,
                "must differ from --version (the hub of the conversion)",
            )
            .into());
        }
        if seen.contains(spoke) {
            return Err(CliError::invalid("--spoke", spoke, "is given twice").into());
        }
        seen.push(spoke.clone());
        if t.project
            .find(group, spoke, kind)
            .is_none_or(|r| r.api.is_none())
        {
            return Err(CliError::invalid(
                "--spoke",
                spoke,
                format!(
                    "must be an existing version of {kind}: {group}/{spoke} {kind} is not in PROJECT"
                ),
            ).into());
        }
    }
    // The storage version (the first scaffolded) is the hub of conversions.
    let hub_version = t
        .project
        .resources
        .iter()
        .find(|r| r.group == *group && r.kind == *kind && r.api.is_some())
        .map(|r| r.version.clone())
        .unwrap_or_else(|| version.clone());
    if args.conversion && hub_version != *version {
        return Err(CliError::invalid(
            "--version",
            version,
            format!(
                "must be the storage version of {kind} ({hub_version}) with --conversion: it is the hub the spokes convert to"
            ),
        ).into());
    }
    if let Some(w) = &existing.webhooks {
        let again = (args.defaulting && w.defaulting)
            || (args.programmatic_validation && w.validation)
            || (args.conversion && w.conversion);
        if again && !args.common.force {
            return Err(CliError::Conflict(format!(
                "{group}/{version} {kind} already has webhooks (PROJECT); use --force to scaffold them again"
            ))
            .into());
        }
    }
    let previous = existing.webhooks.clone().unwrap_or_default();
    let webhooks = Webhooks {
        conversion: args.conversion || previous.conversion,
        defaulting: args.defaulting || previous.defaulting,
        spoke: {
            let mut s = previous.spoke.clone();
            for v in &args.spoke {
                if !s.contains(v) {
                    s.push(v.clone());
                }
            }
            s
        },
        validation: args.programmatic_validation || previous.validation,
        webhook_version: "v1".into(),
    };
    let first_webhook = !t.project.resources.iter().any(|r| r.webhooks.is_some());
    let namespaced = existing.api.as_ref().is_some_and(|a| a.namespaced);
    let spec = ResourceSpec {
        group,
        version,
        kind,
        plural: existing.plural.as_deref(),
        namespaced,
        storage_version: hub_version == *version,
        external: false,
    };
    let mut resource = context::resource(&t.ctx, t.project.multigroup, &spec);
    let gvk = (group.as_str(), version.as_str(), kind.as_str());
    if let Some(image) = deploy_image::recorded(&t.project.plugins, gvk)? {
        if args.conversion {
            return Err(CliError::Conflict(format!(
                "{group}/{version} {kind} was scaffolded with --image: its conversion cannot be scaffolded (the deploy-image types differ from the spokes'); write the conversion by hand"
            ))
            .into());
        }
        resource["image"] = image.context(kind);
    }
    resource["defaulting"] = Value::Bool(webhooks.defaulting);
    resource["validation"] = Value::Bool(webhooks.validation);
    resource["conversion"] = Value::Bool(webhooks.conversion);
    let spokes: Vec<Value> = webhooks
        .spoke
        .iter()
        .map(|v| {
            let plural = t
                .project
                .find(group, v, kind)
                .and_then(|r| r.plural.clone());
            context::resource(
                &t.ctx,
                t.project.multigroup,
                &ResourceSpec {
                    group,
                    version: v,
                    kind,
                    plural: plural.as_deref(),
                    namespaced,
                    storage_version: false,
                    external: false,
                },
            )
        })
        .collect();
    resource["spokes"] = Value::Array(spokes.clone());
    let ctx = with_resource(&t.ctx, resource);
    let renderer = Renderer::new();
    let mut plan = Plan::new(&t.dir, args.common.force);
    // A kind that has webhooks already (PROJECT says so) gets the new types added to the file
    // its webhooks live in; a file PROJECT does not know of is the user's, and is refused.
    let module = format!(
        "src/webhook/{}.rs",
        ctx["resource"]["webhook_module"]
            .as_str()
            .unwrap_or_default()
    );
    let extend = existing.webhooks.is_some() && t.dir.join(&module).is_file() && !args.common.force;
    let types = WebhookTypes::new(!extend, &webhooks, &previous);
    plan_webhook(
        &renderer,
        &mut plan,
        &ctx,
        &args,
        (&spokes, &types),
        first_webhook,
    )?;
    let mut updated = existing.clone();
    updated.webhooks = Some(webhooks);
    upsert(&mut t.project, updated);
    plan_project_update(&mut plan, &t.project);
    let report = plan.execute(args.common.dry_run)?;
    print_report(
        &report,
        &t.dir,
        args.common.dry_run,
        "Next: implement your webhooks and generate the manifests with:\n  cargo xtask generate manifests",
    );
    Ok(())
}

/// The file of a kind's webhooks, `src/webhook/<kind>_<version>.rs`: a skeleton with markers
/// where each webhook type (defaulting, validation, conversion) inserts its registration, its
/// type and its tests.
pub(crate) const KIND_WEBHOOKS_TEMPLATE: &str = "webhook/src/webhook/[webhook_module].rs.hbs";

/// Which webhook types `create webhook` writes into the kind's webhook file.
struct WebhookTypes {
    /// Write the file from its skeleton (it is new, or `--force` rewrites it); otherwise the
    /// types are inserted into the file the user owns, which keeps everything else in it.
    fresh: bool,
    /// `defaulting`, `validation`, `conversion`: the fragments in templates/fragments/webhook/.
    names: Vec<&'static str>,
}

impl WebhookTypes {
    fn new(fresh: bool, wanted: &Webhooks, present: &Webhooks) -> WebhookTypes {
        let names = [
            ("defaulting", wanted.defaulting, present.defaulting),
            ("validation", wanted.validation, present.validation),
            ("conversion", wanted.conversion, present.conversion),
        ]
        .into_iter()
        .filter(|(_, wanted, present)| *wanted && (fresh || !present))
        .map(|(name, _, _)| name)
        .collect();
        WebhookTypes { fresh, names }
    }
}

fn plan_webhook(
    renderer: &Renderer,
    plan: &mut Plan,
    ctx: &Value,
    args: &WebhookArgs,
    (spokes, types): (&[Value], &WebhookTypes),
    first_webhook: bool,
) -> anyhow::Result<()> {
    for template in renderer.templates("webhook") {
        if template.contains("[kind_snake]_conversion") || template == KIND_WEBHOOKS_TEMPLATE {
            continue;
        }
        if template.contains("crd/patches") && !args.conversion {
            continue;
        }
        let file = renderer.render(&template, ctx)?;
        let policy = if template.contains("crd/patches") {
            IfExists::Error
        } else {
            IfExists::Skip
        };
        plan.create(&file.path, file.contents, policy)?;
    }
    let file = renderer.render(KIND_WEBHOOKS_TEMPLATE, ctx)?;
    if types.fresh {
        plan.create(&file.path, file.contents, IfExists::Error)?;
    }
    for name in &types.names {
        let markers = [
            ("// +kubeforge:scaffold:webhook-registrations", "register"),
            // The conversion's types are the API's (api/src/<version>/<kind>_conversion.rs).
            ("// +kubeforge:scaffold:webhooks", "type"),
            ("// +kubeforge:scaffold:webhook-tests", "test"),
        ];
        for (marker, part) in markers {
            if *name == "conversion" && part == "type" {
                continue;
            }
            let text = renderer.fragment(&format!("webhook/{name}-{part}"), ctx)?;
            plan.insert(&file.path, marker, &text)?;
        }
    }
    plan.insert(
        "src/webhook/mod.rs",
        "// +kubeforge:scaffold:webhook-modules",
        &renderer.fragment("webhook-module", ctx)?,
    )?;
    plan.insert(
        "src/webhook/mod.rs",
        "// +kubeforge:scaffold:webhook-registrations",
        &renderer.fragment("webhook-register", ctx)?,
    )?;
    if args.conversion {
        for spoke in spokes {
            // The spoke is `resource` (for the path and its types), the hub is `hub`.
            let mut hctx = ctx.clone();
            hctx["hub"] = ctx["resource"].clone();
            hctx["resource"] = spoke.clone();
            let file = renderer.render(
                "webhook/api/src/[api_dir]/[kind_snake]_conversion.rs.hbs",
                &hctx,
            )?;
            plan.create(&file.path, file.contents, IfExists::Error)?;
            let spoke_mod = format!(
                "api/src/{}/mod.rs",
                spoke["api_dir"].as_str().unwrap_or_default()
            );
            plan.insert(
                &spoke_mod,
                "// +kubeforge:scaffold:kinds",
                &renderer.fragment("api-conversion", &hctx)?,
            )?;
        }
        plan.insert(
            "config/crd/kustomization.yaml",
            "# +kubeforge:scaffold:crdkustomizewebhookpatch",
            &renderer.fragment("crd-webhook-patch", ctx)?,
        )?;
        plan.replace_line(
            "config/crd/kustomization.yaml",
            "#configurations:",
            "configurations:",
        )?;
        plan.replace_line(
            "config/crd/kustomization.yaml",
            "#- kustomizeconfig.yaml",
            "- kustomizeconfig.yaml",
        )?;
        plan.insert(
            "config/default/kustomization.yaml",
            "# +kubeforge:scaffold:crdkustomizecainjectionns",
            &renderer.fragment("crd-cainjection-ns", ctx)?,
        )?;
        plan.insert(
            "config/default/kustomization.yaml",
            "# +kubeforge:scaffold:crdkustomizecainjectionname",
            &renderer.fragment("crd-cainjection-name", ctx)?,
        )?;
    }
    if first_webhook || args.common.force {
        plan.insert(
            "src/lib.rs",
            "// +kubeforge:scaffold:modules",
            &renderer.fragment("webhook-lib", ctx)?,
        )?;
        plan.insert(
            "src/main.rs",
            "// +kubeforge:scaffold:webhooks",
            &renderer.fragment("webhook-start", ctx)?,
        )?;
        plan.replace_line(
            "Cargo.toml",
            "kubeforge.workspace = true",
            "kubeforge = { workspace = true, features = [\"webhook\"] }",
        )?;
        plan.replace_line(
            "Cargo.toml",
            "kubeforge-runtime.workspace = true",
            "kubeforge-runtime = { workspace = true, features = [\"webhook\"] }",
        )?;
    }
    let defaults = "config/default/kustomization.yaml";
    plan.replace_line(defaults, "#- ../webhook", "- ../webhook")?;
    plan.replace_line(defaults, "#- ../certmanager", "- ../certmanager")?;
    plan.edit(defaults, |text| {
        let mut text = uncomment_block(text, "#- path: manager_webhook_patch.yaml");
        text = text
            .split_inclusive('\n')
            .map(|l| {
                if l.trim() == "#replacements:" {
                    "replacements:\n".to_owned()
                } else {
                    l.to_owned()
                }
            })
            .collect();
        text = uncomment_block(
            &text,
            "# - source: # Uncomment the following block if you have any webhook",
        );
        if args.programmatic_validation {
            text = uncomment_block(
                &text,
                "# - source: # Uncomment the following block if you have a ValidatingWebhook (--programmatic-validation)",
            );
        }
        if args.defaulting {
            text = uncomment_block(
                &text,
                "# - source: # Uncomment the following block if you have a DefaultingWebhook (--defaulting )",
            );
        }
        if args.conversion {
            text = uncomment_block(
                &text,
                "# - source: # Uncomment the following block if you have a ConversionWebhook (--conversion)",
            );
        }
        text
    })?;
    Ok(())
}
