//! The command line, as kubebuilder spells it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Parser)]
#[command(
    name = "scaffold",
    version,
    about = "Scaffold kube-rs operators, the kubebuilder way"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Args, Clone)]
pub struct Common {
    /// Directory to work in (created by `init` if missing); default: the current directory.
    #[arg(short, long, global = true)]
    pub output: Option<PathBuf>,
    /// Print the files that would be written, and write nothing.
    #[arg(long, global = true)]
    pub dry_run: bool,
    /// Overwrite generated files that already exist.
    #[arg(long, global = true)]
    pub force: bool,
}

#[derive(Subcommand)]
pub enum Command {
    /// Initialise a new operator project (Cargo workspace, config/, xtask, Dockerfile).
    Init(InitArgs),
    /// Create an API (types + controller) or a controller for an existing kind.
    Create {
        #[command(subcommand)]
        what: Create,
    },
    /// Generate OLM packaging: `kustomize manifests` (config/manifests, config/scorecard) and
    /// `bundle` (an OLM bundle), as operator-sdk does.
    Generate {
        #[command(subcommand)]
        what: Generate,
    },
    /// Print a shell completion script.
    Completion { shell: clap_complete::Shell },
    /// Print the scaffold version.
    Version,
}

#[derive(Subcommand)]
pub enum Create {
    /// Scaffold a new API kind (types, sample, roles) and its controller.
    Api(ApiArgs),
    /// Scaffold a controller for a kind: one of this project's, or a built-in one (core/v1 Pod, apps/v1 Deployment, ...).
    Controller(ControllerArgs),
    /// Scaffold admission (defaulting, validation) and conversion webhooks for an API kind.
    Webhook(WebhookArgs),
}

#[derive(Clone, Copy, ValueEnum, PartialEq, Eq, Debug)]
pub enum License {
    Apache2,
    Mit,
    None,
}

#[derive(Args)]
pub struct InitArgs {
    #[command(flatten)]
    pub common: Common,
    /// Domain of the project's API groups.
    #[arg(long, default_value = "my.domain")]
    pub domain: String,
    /// Project name (a DNS-1123 label); default: the directory's name.
    #[arg(long)]
    pub project_name: Option<String>,
    /// Copyright owner written in the license header.
    #[arg(long, default_value = "")]
    pub owner: String,
    /// License of the generated project.
    #[arg(long, value_enum, default_value = "apache2")]
    pub license: License,
    /// Lay APIs out as api/src/<group>/<version>/.
    #[arg(long)]
    pub multigroup: bool,
    /// Depend on kubeforge at this path (default: the checkout scaffold was built from).
    #[arg(long, conflicts_with = "kubeforge_version")]
    pub kubeforge_path: Option<PathBuf>,
    /// Depend on this kubeforge version from the registry.
    #[arg(long)]
    pub kubeforge_version: Option<String>,
}

#[derive(Args)]
pub struct Gvk {
    /// API group (without the domain), e.g. `cache`.
    #[arg(long)]
    pub group: String,
    /// API version, e.g. `v1alpha1`.
    #[arg(long)]
    pub version: String,
    /// Kind, UpperCamelCase, e.g. `Memcached`.
    #[arg(long)]
    pub kind: String,
}

#[derive(Args)]
pub struct ApiArgs {
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub gvk: Gvk,
    /// Resource plural (default: the English plural of the kind, lower-case).
    #[arg(long)]
    pub plural: Option<String>,
    /// Whether the kind is namespaced.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub namespaced: bool,
    /// Scaffold the API types.
    #[arg(long, default_value_t = true, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub resource: bool,
    /// Scaffold the controller (default: yes, unless another version of the kind has one:
    /// controllers reconcile a kind, not a version).
    #[arg(long, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub controller: Option<bool>,
}

#[derive(Args)]
pub struct ControllerArgs {
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub gvk: Gvk,
}

#[derive(Args)]
pub struct WebhookArgs {
    #[command(flatten)]
    pub common: Common,
    #[command(flatten)]
    pub gvk: Gvk,
    /// Scaffold a defaulting (mutating) webhook.
    #[arg(long)]
    pub defaulting: bool,
    /// Scaffold a validating webhook.
    #[arg(long)]
    pub programmatic_validation: bool,
    /// Scaffold a conversion webhook (the storage version is the hub).
    #[arg(long)]
    pub conversion: bool,
    /// A version converted to and from the hub (repeatable; needs --conversion).
    #[arg(long)]
    pub spoke: Vec<String>,
}

#[derive(Subcommand)]
pub enum Generate {
    /// Kustomize bases for OLM.
    Kustomize {
        #[command(subcommand)]
        what: Kustomize,
    },
    /// Build an OLM bundle (bundle/manifests, bundle/metadata, bundle/tests, bundle.Dockerfile)
    /// from `kubectl kustomize config/manifests`.
    Bundle(BundleArgs),
}

#[derive(Subcommand)]
pub enum Kustomize {
    /// Write config/manifests (base ClusterServiceVersion, kustomization) and config/scorecard;
    /// re-running refreshes the owned CRDs and descriptors and keeps everything else.
    Manifests(KustomizeManifestsArgs),
}

#[derive(Args)]
pub struct KustomizeManifestsArgs {
    #[command(flatten)]
    pub common: Common,
    /// OLM package name (default: the project name).
    #[arg(long)]
    pub package: Option<String>,
}

#[derive(Args)]
pub struct BundleArgs {
    #[command(flatten)]
    pub common: Common,
    /// Version of the bundle (SemVer, e.g. 0.0.1).
    #[arg(long)]
    pub version: String,
    /// Comma-separated channels the bundle is in.
    #[arg(long, default_value = "alpha")]
    pub channels: String,
    /// The package's default channel (one of --channels).
    #[arg(long)]
    pub default_channel: Option<String>,
    /// OLM package name (default: the project name).
    #[arg(long)]
    pub package: Option<String>,
    /// Directory of the bundle, relative to the project.
    #[arg(long, default_value = "bundle")]
    pub output_dir: String,
    /// Overwrite (and prune) bundle files of an earlier run.
    #[arg(long)]
    pub overwrite: bool,
}
