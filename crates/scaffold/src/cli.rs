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
    /// Work with an OLM bundle (operator-sdk's registry+v1 format).
    Bundle {
        #[command(subcommand)]
        what: BundleCmd,
    },
    /// Package the operator for a marketplace.
    Package {
        #[command(subcommand)]
        what: PackageCmd,
    },
    /// Turn on an optional plugin for the project (kubebuilder's `edit --plugins`), or make the
    /// manager namespace- or cluster-scoped (`edit --namespaced[=false]`).
    Edit(EditArgs),
    /// Remove what `create api`, `create webhook` or `edit --plugins` wrote (kubebuilder's
    /// `delete`); refuses files you edited unless `--force`.
    Delete(DeleteArgs),
    /// Generate from the project: a Helm chart, OLM kustomize bases, an OLM bundle.
    Generate {
        #[command(subcommand)]
        what: Generate,
    },
    /// Run operator-sdk's scorecard tests (basic-check-spec, olm-*) on the OLM bundle; exit 1
    /// when one does not pass.
    Scorecard(ScorecardArgs),
    /// Alpha commands (kubebuilder's `alpha`).
    Alpha {
        #[command(subcommand)]
        what: AlphaCmd,
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
    /// A manager that watches only its own namespace (WATCH_NAMESPACE), with a Role and
    /// RoleBinding instead of a ClusterRole and ClusterRoleBinding.
    #[arg(long)]
    pub namespaced: bool,
    /// Depend on kubeforge at this path (default: the checkout scaffold was built from); a
    /// relative path is written relative to the project, so a project in a checkout builds anywhere.
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
    #[command(flatten)]
    pub image: ImageArgs,
}

/// kubebuilder's deploy-image plugin: a controller that runs an image as a Deployment.
#[derive(Args, Default)]
pub struct ImageArgs {
    /// Scaffold a complete controller running this image as a Deployment of `spec.size` pods.
    #[arg(long)]
    pub image: Option<String>,
    /// The container port of the image (adds `spec.containerPort`; needs --image).
    #[arg(long)]
    pub image_container_port: Option<String>,
    /// The container command, comma-separated, e.g. "memcached,-m=64,-v" (needs --image).
    #[arg(long)]
    pub image_container_command: Option<String>,
    /// The user id the container runs as (needs --image).
    #[arg(long)]
    pub run_as_user: Option<String>,
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
pub enum BundleCmd {
    /// Check a bundle as `operator-sdk bundle validate` does (exit 1 on errors, 0 with warnings only).
    Validate(BundleValidateArgs),
}

#[derive(Args)]
pub struct BundleValidateArgs {
    /// The bundle directory (holding manifests/ and metadata/); bundle.Dockerfile is looked for
    /// beside it, then in it.
    pub dir: PathBuf,
}

#[derive(Subcommand)]
pub enum PackageCmd {
    /// Write the Huawei OSC service package (metadata.yaml, manifests/, lifecycle.yaml, raw/) from
    /// the project's OLM bundle.
    Osc(PackageOscArgs),
}

/// Not `Common`: here `-o/--output` is the package directory, and the project is `--project-dir`.
#[derive(Args)]
pub struct PackageOscArgs {
    /// The package directory to write (created if missing).
    #[arg(short, long)]
    pub output: PathBuf,
    /// The project directory; default: the current directory.
    #[arg(long)]
    pub project_dir: Option<PathBuf>,
    /// The OLM bundle, relative to the project directory.
    #[arg(long, default_value = "bundle")]
    pub bundle_dir: PathBuf,
    /// Service name; default: the project name, with `-operator` appended unless it ends so.
    #[arg(long)]
    pub name: Option<String>,
    /// Package version (SemVer without +build); default: the CSV's spec.version.
    #[arg(long)]
    pub version: Option<String>,
    /// The package version this one upgrades from (lifecycle.yaml upgrade.replaces).
    #[arg(long)]
    pub replaces: Option<String>,
    /// A version this one skips (lifecycle.yaml upgrade.skips; repeatable).
    #[arg(long = "skip")]
    pub skips: Vec<String>,
    /// The operator's log file path (lifecycle.yaml operations.logpath).
    #[arg(long)]
    pub log_path: Option<String>,
    /// Also write `<name>-<version>.zip` beside the package directory.
    #[arg(long)]
    pub zip: bool,
    /// Print the files that would be written, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite package files that would change, and remove stale ones.
    #[arg(long)]
    pub force: bool,
    /// Write nothing; fail, naming each file, when the package is not what this command
    /// generates from the bundle (for CI).
    #[arg(long, conflicts_with_all = ["dry_run", "force"])]
    pub check: bool,
}

#[derive(Args)]
pub struct EditArgs {
    #[command(flatten)]
    pub common: Common,
    /// Plugins to turn on, comma-separated: `helm` (also `helm/v2-alpha`) writes a Helm chart
    /// of the install to dist/chart; `grafana` (also `grafana/v1-alpha`) writes Grafana
    /// dashboards of the manager's metrics to grafana/.
    #[arg(long, value_delimiter = ',', required_unless_present = "namespaced")]
    pub plugins: Vec<String>,
    /// Turn the manager namespace-scoped (`--namespaced=false`: back to cluster-scoped): its
    /// Role/RoleBinding, WATCH_NAMESPACE and the `namespace` of the controllers' `#[rbac]` rules.
    #[arg(long, action = clap::ArgAction::Set, num_args = 0..=1, default_missing_value = "true")]
    pub namespaced: Option<bool>,
}

#[derive(Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct DeleteArgs {
    #[command(subcommand)]
    pub what: Option<Delete>,
    #[command(flatten)]
    pub common: Common,
    /// Optional plugins to remove, comma-separated: `helm` (dist/chart and its PROJECT entry),
    /// `grafana` (grafana/ and its PROJECT entry).
    #[arg(long, value_delimiter = ',')]
    pub plugins: Vec<String>,
}

#[derive(Subcommand)]
pub enum Delete {
    /// Remove an API version: its types, sample, registrations, controller, and the kind's
    /// roles and CRD entry with its last version.
    Api(DeleteApiArgs),
    /// Remove webhooks of an API version: the given types, or all of them without a type flag.
    Webhook(DeleteWebhookArgs),
}

#[derive(Args)]
pub struct DeleteApiArgs {
    #[command(flatten)]
    pub gvk: Gvk,
}

#[derive(Args)]
pub struct DeleteWebhookArgs {
    #[command(flatten)]
    pub gvk: Gvk,
    /// Remove the defaulting (mutating) webhook.
    #[arg(long)]
    pub defaulting: bool,
    /// Remove the validating webhook.
    #[arg(long)]
    pub programmatic_validation: bool,
    /// Remove the conversion webhook and its spokes' conversions.
    #[arg(long)]
    pub conversion: bool,
}

#[derive(Subcommand)]
pub enum Generate {
    /// Regenerate the Helm chart (dist/chart) from `kubectl kustomize config/default`.
    Helm(HelmArgs),
    /// Kustomize bases for OLM.
    Kustomize {
        #[command(subcommand)]
        what: Kustomize,
    },
    /// Build an OLM bundle (bundle/manifests, bundle/metadata, bundle/tests, bundle.Dockerfile)
    /// from `kubectl kustomize config/manifests`.
    Bundle(BundleArgs),
}

#[derive(Args)]
pub struct HelmArgs {
    #[command(flatten)]
    pub common: Common,
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
    /// Write nothing; fail, naming each file, when config/manifests, config/scorecard or PROJECT
    /// would change (for CI).
    #[arg(long, conflicts_with_all = ["dry_run", "force"])]
    pub check: bool,
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
    /// Comma-separated service accounts, besides the manager's, whose bound roles go into the
    /// CSV's permissions (names as rendered, with the kustomize namePrefix).
    #[arg(long, value_delimiter = ',')]
    pub extra_service_accounts: Vec<String>,
    /// Rewrite the bundle files of an earlier run and remove its manifests this run no longer
    /// writes (operator-sdk's default); `--overwrite=false` refuses to change them.
    #[arg(long, default_value_t = true, num_args = 0..=1, default_missing_value = "true", action = clap::ArgAction::Set)]
    pub overwrite: bool,
    /// Write nothing; fail, naming each file, when the bundle is not what this command generates
    /// (for CI). createdAt is taken from the bundle's CSV unless SOURCE_DATE_EPOCH is set.
    #[arg(long, conflicts_with_all = ["dry_run", "force", "overwrite"])]
    pub check: bool,
}

#[derive(Clone, Copy, ValueEnum)]
pub enum ScorecardOutput {
    Text,
    Json,
}

/// Not `Common`: scorecard writes nothing.
#[derive(Args)]
pub struct ScorecardArgs {
    /// The project directory; default: the current directory.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// The bundle directory, relative to the project.
    #[arg(long, default_value = "bundle")]
    pub bundle: PathBuf,
    /// The scorecard config; default: config.yaml in the bundle's
    /// operators.operatorframework.io.test.config.v1 directory (tests/scorecard/).
    #[arg(short, long)]
    pub config: Option<PathBuf>,
    /// Run only the tests whose labels match, e.g. `suite=olm` or `test!=basic-check-spec-test`.
    #[arg(short = 'l', long)]
    pub selector: Option<String>,
    /// Output format (operator-sdk's `--output`).
    #[arg(long, value_enum, default_value = "text")]
    pub output_format: ScorecardOutput,
    /// List the selected tests without running them.
    #[arg(short = 'L', long)]
    pub list: bool,
    /// Run basic-check-spec against the cluster: each CR of alm-examples is created there with
    /// a server-side dry run (needs the CRDs installed), with kubectl's kubeconfig.
    #[arg(long)]
    pub cluster: bool,
    /// The kubeconfig of the cluster for basic-check-spec (implies --cluster).
    #[arg(long)]
    pub kubeconfig: Option<PathBuf>,
    /// Namespace in which basic-check-spec dry-runs the CRs (default: the kubeconfig's).
    #[arg(short, long)]
    pub namespace: Option<String>,
}

#[derive(Subcommand)]
pub enum AlphaCmd {
    /// Re-scaffold the whole project from its PROJECT file with this scaffold's templates into
    /// another directory, to diff against the project and carry code over (the input is only read).
    Generate(AlphaGenerateArgs),
}

#[derive(Args)]
pub struct AlphaGenerateArgs {
    /// The project to re-scaffold; default: the current directory.
    #[arg(long)]
    pub input_dir: Option<PathBuf>,
    /// Where to write the new scaffold: outside the input project; created if missing.
    #[arg(long)]
    pub output_dir: PathBuf,
    /// Write into an --output-dir that is not empty (files of the same path are overwritten).
    #[arg(long)]
    pub force: bool,
    /// Generate, list the files, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
}
