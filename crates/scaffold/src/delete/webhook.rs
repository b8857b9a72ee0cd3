//! `scaffold delete webhook`: the inverse of `create webhook` for the given webhook types of one
//! version of a kind (all of its types without a type flag, as kubebuilder does).

use serde_json::Value;

use super::api::{resource_context, storage_version};
use super::undo::Undo;
use crate::cli::{Common, DeleteWebhookArgs};
use crate::commands::{KIND_WEBHOOKS_TEMPLATE, Target, load, validate_gvk};
use crate::context::{self, ResourceSpec};
use crate::error::CliError;
use crate::project::{self, Project, Resource, Webhooks};

const DEFAULTS: &str = "config/default/kustomization.yaml";
const CRD_KUSTOMIZATION: &str = "config/crd/kustomization.yaml";

/// The first line of each block of config/default/kustomization.yaml that `create webhook`
/// uncomments (see `plan_webhook`), by the webhook type that needs it.
const ANY_WEBHOOK_BLOCK: &str =
    "# - source: # Uncomment the following block if you have any webhook";
const VALIDATION_BLOCK: &str = "# - source: # Uncomment the following block if you have a ValidatingWebhook (--programmatic-validation)";
const DEFAULTING_BLOCK: &str =
    "# - source: # Uncomment the following block if you have a DefaultingWebhook (--defaulting )";
const CONVERSION_BLOCK: &str =
    "# - source: # Uncomment the following block if you have a ConversionWebhook (--conversion)";

/// Which webhook types a command removes.
#[derive(Clone, Copy, Debug, Default)]
struct Types {
    defaulting: bool,
    validation: bool,
    conversion: bool,
}

impl Types {
    fn of(w: &Webhooks) -> Types {
        Types {
            defaulting: w.defaulting,
            validation: w.validation,
            conversion: w.conversion,
        }
    }

    fn any(self) -> bool {
        self.defaulting || self.validation || self.conversion
    }

    /// The fragment names of templates/fragments/webhook/ (`create webhook`'s order).
    fn names(self) -> Vec<&'static str> {
        [
            ("defaulting", self.defaulting),
            ("validation", self.validation),
            ("conversion", self.conversion),
        ]
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(name, _)| name)
        .collect()
    }
}

/// `create webhook`'s context: the resource, its webhook types and its spokes.
fn webhook_context(
    t: &Target,
    res: &Resource,
    w: &Webhooks,
) -> anyhow::Result<(Value, Vec<Value>)> {
    let mut ctx = resource_context(&t.ctx, &t.project, res)?;
    let hub = storage_version(&t.project, &res.group, &res.kind).unwrap_or(&res.version);
    ctx["resource"]["storage_version"] = Value::Bool(hub == res.version);
    ctx["resource"]["defaulting"] = Value::Bool(w.defaulting);
    ctx["resource"]["validation"] = Value::Bool(w.validation);
    ctx["resource"]["conversion"] = Value::Bool(w.conversion);
    let namespaced = res.api.as_ref().is_some_and(|a| a.namespaced);
    let spokes: Vec<Value> = w
        .spoke
        .iter()
        .map(|v| {
            let plural = t
                .project
                .find(&res.group, v, &res.kind)
                .and_then(|r| r.plural.clone());
            context::resource(
                &t.ctx,
                t.project.multigroup,
                &ResourceSpec {
                    group: &res.group,
                    version: v,
                    kind: &res.kind,
                    plural: plural.as_deref(),
                    namespaced,
                    storage_version: false,
                    external: false,
                },
            )
        })
        .collect();
    ctx["resource"]["spokes"] = Value::Array(spokes.clone());
    Ok((ctx, spokes))
}

pub fn delete(common: &Common, args: &DeleteWebhookArgs) -> anyhow::Result<()> {
    let (group, version, kind) = (&args.gvk.group, &args.gvk.version, &args.gvk.kind);
    validate_gvk(group, version, kind)?;
    let t = load(common)?;
    let what = format!("{group}/{version} {kind}");
    let Some(res) = t.project.find(group, version, kind).cloned() else {
        return Err(CliError::invalid(
            "--kind",
            kind,
            format!("must be a resource of this project: {what} is not in PROJECT"),
        )
        .into());
    };
    let Some(present) = res.webhooks.clone() else {
        return Err(CliError::Conflict(format!("{what} has no webhooks (PROJECT)")).into());
    };
    let asked = Types {
        defaulting: args.defaulting,
        validation: args.programmatic_validation,
        conversion: args.conversion,
    };
    let gone = if asked.any() {
        asked
    } else {
        Types::of(&present)
    };
    for (flag, wanted, has) in [
        ("--defaulting", gone.defaulting, present.defaulting),
        (
            "--programmatic-validation",
            gone.validation,
            present.validation,
        ),
        ("--conversion", gone.conversion, present.conversion),
    ] {
        if wanted && !has {
            return Err(CliError::invalid(
                flag,
                "true",
                format!("names a webhook {what} does not have (PROJECT)"),
            )
            .into());
        }
    }
    let left = Webhooks {
        defaulting: present.defaulting && !gone.defaulting,
        validation: present.validation && !gone.validation,
        conversion: present.conversion && !gone.conversion,
        spoke: if gone.conversion {
            Vec::new()
        } else {
            present.spoke.clone()
        },
        webhook_version: present.webhook_version.clone(),
    };
    let kind_keeps_webhooks = Types::of(&left).any();
    let mut rest = t.project.clone();
    if let Some(r) = rest
        .resources
        .iter_mut()
        .find(|r| r.group == *group && r.version == *version && r.kind == *kind)
    {
        r.webhooks = kind_keeps_webhooks.then(|| left.clone());
    }

    let (ctx, spokes) = webhook_context(&t, &res, &present)?;
    let mut undo = Undo::new(&t.dir, common.force);
    let module = format!(
        "src/webhook/{}.rs",
        ctx["resource"]["webhook_module"]
            .as_str()
            .unwrap_or_default()
    );
    // The kind's file loses the removed types; with its last one it goes, when what is left is
    // the skeleton `create webhook` started from.
    let strip = if kind_keeps_webhooks {
        gone
    } else {
        Types::of(&present)
    };
    for name in strip.names() {
        for (marker, part) in [
            ("// +kubeforge:scaffold:webhook-registrations", "register"),
            ("// +kubeforge:scaffold:webhooks", "type"),
            ("// +kubeforge:scaffold:webhook-tests", "test"),
        ] {
            if name == "conversion" && part == "type" {
                continue;
            }
            undo.remove_fragment(&module, marker, &format!("webhook/{name}-{part}"), &ctx)?;
        }
    }
    if !kind_keeps_webhooks {
        undo.remove_rendered(KIND_WEBHOOKS_TEMPLATE, &ctx)?;
        undo.remove_fragment(
            "src/webhook/mod.rs",
            "// +kubeforge:scaffold:webhook-modules",
            "webhook-module",
            &ctx,
        )?;
        undo.remove_fragment(
            "src/webhook/mod.rs",
            "// +kubeforge:scaffold:webhook-registrations",
            "webhook-register",
            &ctx,
        )?;
    }
    if gone.conversion {
        undo_conversion(&mut undo, &ctx, &spokes)?;
    }
    undo_project_wide(&mut undo, &ctx, &rest)?;
    undo.plan.replace_whole(project::FILE, rest.to_yaml())?;
    undo.execute(
        &t.dir,
        &format!("delete the webhooks of {what}"),
        common.dry_run,
        "Next: regenerate the manifests with:\n  cargo xtask generate manifests",
    )
}

fn undo_conversion(undo: &mut Undo, ctx: &Value, spokes: &[Value]) -> anyhow::Result<()> {
    for spoke in spokes {
        let mut hctx = ctx.clone();
        hctx["hub"] = ctx["resource"].clone();
        hctx["resource"] = spoke.clone();
        undo.remove_rendered(
            "webhook/api/src/[api_dir]/[kind_snake]_conversion.rs.hbs",
            &hctx,
        )?;
        let spoke_mod = format!(
            "api/src/{}/mod.rs",
            spoke["api_dir"].as_str().unwrap_or_default()
        );
        undo.remove_fragment(
            &spoke_mod,
            "// +kubeforge:scaffold:kinds",
            "api-conversion",
            &hctx,
        )?;
    }
    undo.remove_rendered(
        "webhook/config/crd/patches/webhook_in_[plural].yaml.hbs",
        ctx,
    )?;
    undo.remove_fragment(
        CRD_KUSTOMIZATION,
        "# +kubeforge:scaffold:crdkustomizewebhookpatch",
        "crd-webhook-patch",
        ctx,
    )?;
    undo.remove_fragment(
        DEFAULTS,
        "# +kubeforge:scaffold:crdkustomizecainjectionns",
        "crd-cainjection-ns",
        ctx,
    )?;
    undo.remove_fragment(
        DEFAULTS,
        "# +kubeforge:scaffold:crdkustomizecainjectionname",
        "crd-cainjection-name",
        ctx,
    )?;
    Ok(())
}

/// What `create webhook` turned on for the whole project, turned off again once no resource
/// left (`rest`) needs it.
fn undo_project_wide(undo: &mut Undo, ctx: &Value, rest: &Project) -> anyhow::Result<()> {
    let remaining = rest
        .resources
        .iter()
        .filter_map(|r| r.webhooks.as_ref())
        .fold(Types::default(), |acc, w| Types {
            defaulting: acc.defaulting || w.defaulting,
            validation: acc.validation || w.validation,
            conversion: acc.conversion || w.conversion,
        });
    if !remaining.conversion {
        undo.revert_line(CRD_KUSTOMIZATION, "configurations:", "#configurations:")?;
        undo.revert_line(
            CRD_KUSTOMIZATION,
            "- kustomizeconfig.yaml",
            "#- kustomizeconfig.yaml",
        )?;
    }
    for (needed, block) in [
        (remaining.validation, VALIDATION_BLOCK),
        (remaining.defaulting, DEFAULTING_BLOCK),
        (remaining.conversion, CONVERSION_BLOCK),
    ] {
        if !needed {
            undo.comment_block(DEFAULTS, block)?;
        }
    }
    if remaining.any() {
        return Ok(());
    }
    undo.comment_block(DEFAULTS, ANY_WEBHOOK_BLOCK)?;
    undo.comment_block(DEFAULTS, "#- path: manager_webhook_patch.yaml")?;
    undo.revert_line(DEFAULTS, "replacements:", "#replacements:")?;
    undo.revert_line(DEFAULTS, "- ../webhook", "#- ../webhook")?;
    undo.revert_line(DEFAULTS, "- ../certmanager", "#- ../certmanager")?;
    undo.remove_fragment(
        "src/lib.rs",
        "// +kubeforge:scaffold:modules",
        "webhook-lib",
        ctx,
    )?;
    undo.remove_fragment(
        "src/main.rs",
        "// +kubeforge:scaffold:webhooks",
        "webhook-start",
        ctx,
    )?;
    undo.revert_line(
        "Cargo.toml",
        "kubeforge = { workspace = true, features = [\"webhook\"] }",
        "kubeforge.workspace = true",
    )?;
    undo.revert_line(
        "Cargo.toml",
        "kubeforge-runtime = { workspace = true, features = [\"webhook\"] }",
        "kubeforge-runtime.workspace = true",
    )?;
    // The files every webhook shares (src/webhook/mod.rs once its kinds are out of it).
    for template in undo.templates("webhook") {
        if template == KIND_WEBHOOKS_TEMPLATE
            || template.contains("[kind_snake]_conversion")
            || template.contains("crd/patches")
        {
            continue;
        }
        undo.remove_rendered(&template, ctx)?;
    }
    undo.remove_generated("config/webhook/manifests.yaml");
    Ok(())
}
