//! The values templates see (see templates/README.md for the contract).

use serde_json::{Value, json};

use crate::names;
use crate::project::Project;

/// How a generated project depends on kubeforge.
#[derive(Debug, Clone)]
pub enum KubeforgeDep {
    Path(String),
    Version(String),
}

impl KubeforgeDep {
    /// The dependency on `crate_name`, one of the crates of the kubeforge workspace: with a
    /// path to `crates/kubeforge`, its siblings are beside it.
    fn toml(&self, crate_name: &str) -> String {
        match self {
            KubeforgeDep::Path(p) => {
                let path = std::path::Path::new(p).with_file_name(crate_name);
                format!("{{ path = {} }}", toml_string(&path.display().to_string()))
            }
            KubeforgeDep::Version(v) => toml_string(v),
        }
    }
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).expect("strings serialise")
}

pub struct InitSettings {
    pub project_name: String,
    pub domain: String,
    pub owner: String,
    pub license: String,
    pub multigroup: bool,
    /// `init|edit --namespaced`: the manager watches only its own namespace.
    pub namespaced: bool,
    pub kubeforge: KubeforgeDep,
}

fn year() -> String {
    // Days since the epoch to a civil year, without a date crate.
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let days = (secs / 86_400) as i64;
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(month <= 2);
    y.to_string()
}

pub fn project(settings: &InitSettings) -> Value {
    let name = &settings.project_name;
    let crate_name = name.replace('-', "_");
    json!({
        "project_name": name,
        "crate_name": crate_name,
        "api_crate": format!("{name}-api"),
        "api_crate_name": format!("{crate_name}_api"),
        "domain": settings.domain,
        "owner": settings.owner,
        "license": settings.license,
        "year": year(),
        "multigroup": settings.multigroup,
        "namespaced_manager": settings.namespaced,
        "kubeforge_dep": settings.kubeforge.toml("kubeforge"),
        "kubeforge_runtime_dep": settings.kubeforge.toml("kubeforge-runtime"),
        "kubeforge_xtask_dep": settings.kubeforge.toml("kubeforge-xtask"),
        "namespace": format!("{name}-system"),
        "name_prefix": format!("{name}-"),
        "image": "controller:latest",
    })
}

/// The context of an existing project, read back from its PROJECT file.
pub fn from_project(p: &Project) -> Value {
    project(&InitSettings {
        project_name: p.project_name.clone(),
        domain: p.domain.clone(),
        owner: String::new(),
        license: "none".into(),
        multigroup: p.multigroup,
        namespaced: p.namespaced,
        kubeforge: KubeforgeDep::Version(env!("CARGO_PKG_VERSION").into()),
    })
}

/// API groups of the built-in kinds `create controller` knows, by the short name users type.
pub const BUILTIN_GROUPS: &[(&str, &str, &str)] = &[
    // (flag value, API group, k8s-openapi module)
    ("core", "", "core"),
    ("apps", "apps", "apps"),
    ("batch", "batch", "batch"),
    ("autoscaling", "autoscaling", "autoscaling"),
    ("policy", "policy", "policy"),
    ("networking", "networking.k8s.io", "networking"),
    ("rbac", "rbac.authorization.k8s.io", "rbac"),
    ("storage", "storage.k8s.io", "storage"),
    ("coordination", "coordination.k8s.io", "coordination"),
    ("discovery", "discovery.k8s.io", "discovery"),
];

pub struct ResourceSpec<'a> {
    pub group: &'a str,
    pub version: &'a str,
    pub kind: &'a str,
    pub plural: Option<&'a str>,
    pub namespaced: bool,
    pub storage_version: bool,
    pub external: bool,
}

pub fn group_module(group: &str) -> String {
    group.replace(['.', '-'], "_")
}

pub fn resource(project: &Value, multigroup: bool, r: &ResourceSpec) -> Value {
    let domain = project["domain"].as_str().unwrap_or_default();
    let builtin = BUILTIN_GROUPS
        .iter()
        .find(|(g, _, _)| *g == r.group)
        .filter(|_| r.external);
    let full_group = match builtin {
        Some((_, api_group, _)) => (*api_group).to_owned(),
        None => format!("{}.{domain}", r.group),
    };
    let kind_snake = names::snake(r.kind);
    let kind_lower = r.kind.to_ascii_lowercase();
    let plural = r
        .plural
        .map(str::to_owned)
        .unwrap_or_else(|| names::pluralize(&kind_lower));
    let group_mod = group_module(r.group);
    let (api_dir, api_module) = if multigroup {
        (
            format!("{group_mod}/{}", r.version),
            format!("{group_mod}::{}", r.version),
        )
    } else {
        (r.version.to_owned(), r.version.to_owned())
    };
    let prefixed = |stem: &str| {
        if multigroup {
            format!("{group_mod}_{stem}")
        } else {
            stem.to_owned()
        }
    };
    let rust_type = match builtin {
        Some((_, _, module)) => format!("k8s_openapi::api::{module}::{}::{}", r.version, r.kind),
        None => format!(
            "{}::{api_module}::{}",
            project["api_crate_name"].as_str().unwrap_or_default(),
            r.kind
        ),
    };
    json!({
        "group": r.group,
        "group_module": group_mod,
        "full_group": full_group,
        "rbac_group": full_group,
        "version": r.version,
        "kind": r.kind,
        "kind_snake": kind_snake,
        "kind_lower": kind_lower,
        "plural": plural,
        "namespaced": r.namespaced,
        "storage_version": r.storage_version,
        "api_dir": api_dir,
        "api_module": api_module,
        "rust_type": rust_type,
        "external": r.external,
        "image": null,
        "controller_module": prefixed(&format!("{kind_snake}_controller")),
        "sample_file": format!("{}_{}_{kind_lower}.yaml", group_mod, r.version),
        "crd_file": format!("{full_group}_{plural}.yaml"),
        "role_prefix": prefixed(&kind_snake),
        "webhook_module": format!("{}_{}", prefixed(&kind_snake), r.version),
        "webhook_path_group": full_group.replace('.', "-"),
    })
}
