//! The manager's command-line flags, named as controller-runtime's managers name them.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::str::FromStr;

use clap::{Args, ValueEnum};

/// Where the webhook server reads `tls.crt` and `tls.key` (controller-runtime's default,
/// where config/default mounts cert-manager's secret).
pub const DEFAULT_WEBHOOK_CERT_DIR: &str = "/tmp/k8s-webhook-server/serving-certs";
/// `--max-concurrent-reconciles`: chosen by `cargo xtask bench reconcile` (README, "Tuning").
pub const DEFAULT_MAX_CONCURRENT_RECONCILES: u16 = 64;
/// The webhook server's port (config/webhook/service.yaml targets it).
pub const DEFAULT_WEBHOOK_PORT: u16 = 9443;

/// The manager's flags: `#[command(flatten)]` them into the project's own clap parser.
#[derive(Args, Clone, Debug, PartialEq, Eq)]
pub struct ManagerArgs {
    /// The address the metrics endpoint binds to (host:port, :port, or 0 to disable it).
    #[arg(long, default_value = "0.0.0.0:8080")]
    pub metrics_bind_address: BindAddress,
    /// The address the health probe endpoints (/healthz, /readyz) bind to.
    #[arg(long, default_value = "0.0.0.0:8081")]
    pub health_probe_bind_address: BindAddress,
    /// Enable leader election, so that only one replica of the manager is active at a time.
    #[arg(long)]
    pub leader_elect: bool,
    /// The namespace of the leader election Lease (default: the namespace of the manager's
    /// service account, or of the kubeconfig context).
    #[arg(long)]
    pub leader_election_namespace: Option<String>,
    /// Watch only this namespace (default: all namespaces).
    #[arg(long, env = "WATCH_NAMESPACE")]
    pub namespace: Option<String>,
    /// The format of log lines (filter them with RUST_LOG, e.g. RUST_LOG=info,kube=debug).
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
    /// How many reconciliations each controller runs at once (controller-runtime's
    /// MaxConcurrentReconciles). Bounding them bounds the manager's memory: an unbounded burst
    /// at start-up reconciles every object at once.
    #[arg(long, default_value_t = DEFAULT_MAX_CONCURRENT_RECONCILES, value_parser = clap::value_parser!(u16).range(1..))]
    pub max_concurrent_reconciles: u16,
    /// Keep managedFields and the last-applied-configuration annotation in the controllers'
    /// caches (dropped by default: reconcilers rarely read them, and they are often half of an
    /// object's size).
    #[arg(long)]
    pub cache_managed_fields: bool,
    /// Serve the webhooks (`ENABLE_WEBHOOKS=false`, as kubebuilder's managers read it, runs
    /// the manager without them: on your machine, where the cluster cannot call it anyway).
    #[arg(
        long,
        env = "ENABLE_WEBHOOKS",
        default_value_t = true,
        num_args = 0..=1,
        default_missing_value = "true",
        action = clap::ArgAction::Set,
        value_parser = clap::builder::BoolishValueParser::new(),
    )]
    pub enable_webhooks: bool,
    /// The directory holding the webhook server's certificate (tls.crt, tls.key).
    #[arg(long, default_value = DEFAULT_WEBHOOK_CERT_DIR)]
    pub webhook_cert_dir: PathBuf,
    /// The port the webhook server listens on.
    #[arg(long, default_value_t = DEFAULT_WEBHOOK_PORT)]
    pub webhook_port: u16,
    /// Print the ClusterRole of the controllers' `#[rbac]` attributes and exit (used by
    /// `cargo xtask generate rbac`).
    #[arg(long, hide = true)]
    pub print_rbac: bool,
    /// Print the webhook configurations of the `#[webhook]` attributes and exit (used by
    /// `cargo xtask generate webhooks`).
    #[arg(long, hide = true)]
    pub print_webhooks: bool,
}

impl Default for ManagerArgs {
    /// The defaults of the flags, with both servers disabled: for tests.
    fn default() -> Self {
        ManagerArgs {
            metrics_bind_address: BindAddress(None),
            health_probe_bind_address: BindAddress(None),
            leader_elect: false,
            leader_election_namespace: None,
            namespace: None,
            log_format: LogFormat::Text,
            max_concurrent_reconciles: DEFAULT_MAX_CONCURRENT_RECONCILES,
            cache_managed_fields: false,
            enable_webhooks: true,
            webhook_cert_dir: DEFAULT_WEBHOOK_CERT_DIR.into(),
            webhook_port: DEFAULT_WEBHOOK_PORT,
            print_rbac: false,
            print_webhooks: false,
        }
    }
}

/// `--log-format`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

/// A bind address flag: `host:port`, `:port` (all interfaces, as controller-runtime accepts
/// it) or `0` (disabled).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BindAddress(pub Option<SocketAddr>);

impl FromStr for BindAddress {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "0" => Ok(None),
            _ if value.starts_with(':') => format!("0.0.0.0{value}").parse().map(Some),
            _ => value.parse().map(Some),
        }
        .map(BindAddress)
        .map_err(|e| format!("invalid bind address {value:?} ({e}): use host:port, :port or 0"))
    }
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, Parser};

    use super::*;

    #[derive(Parser, Debug)]
    struct Cli {
        #[command(flatten)]
        manager: ManagerArgs,
    }

    #[test]
    fn defaults_are_controller_runtimes() {
        Cli::command().debug_assert();
        let args = Cli::parse_from(["manager"]).manager;
        let all = |port| Some(SocketAddr::from(([0, 0, 0, 0], port)));
        assert_eq!(args.metrics_bind_address.0, all(8080));
        assert_eq!(args.health_probe_bind_address.0, all(8081));
        assert!(!args.leader_elect);
        assert_eq!(args.log_format, LogFormat::Text);
        assert_eq!(args.webhook_port, 9443);
        assert!(args.enable_webhooks);
        assert_eq!(
            args.max_concurrent_reconciles,
            DEFAULT_MAX_CONCURRENT_RECONCILES
        );
        assert!(!args.cache_managed_fields);
    }

    #[test]
    fn parses_every_flag() {
        let args = Cli::parse_from([
            "manager",
            "--metrics-bind-address=0",
            "--health-probe-bind-address=:9000",
            "--leader-elect",
            "--leader-election-namespace=system",
            "--namespace=ns",
            "--log-format=json",
            "--enable-webhooks=false",
            "--max-concurrent-reconciles=4",
            "--cache-managed-fields",
            "--webhook-cert-dir=/certs",
            "--webhook-port=9444",
        ])
        .manager;
        assert_eq!(args.metrics_bind_address.0, None);
        let port_9000 = SocketAddr::from(([0, 0, 0, 0], 9000));
        assert_eq!(args.health_probe_bind_address.0, Some(port_9000));
        assert!(args.leader_elect);
        assert_eq!(args.leader_election_namespace.as_deref(), Some("system"));
        assert_eq!(args.namespace.as_deref(), Some("ns"));
        assert_eq!(args.log_format, LogFormat::Json);
        assert_eq!(args.webhook_cert_dir, PathBuf::from("/certs"));
        assert_eq!(args.webhook_port, 9444);
        assert!(!args.enable_webhooks);
        assert_eq!(args.max_concurrent_reconciles, 4);
        assert!(args.cache_managed_fields);
    }

    #[test]
    fn max_concurrent_reconciles_must_be_positive() {
        for bad in ["0", "-1", "many"] {
            let flag = format!("--max-concurrent-reconciles={bad}");
            let error = Cli::try_parse_from(["manager", flag.as_str()])
                .unwrap_err()
                .to_string();
            assert!(error.contains("--max-concurrent-reconciles"), "{error}");
        }
    }

    #[test]
    fn a_bad_bind_address_names_the_forms() {
        let parse = |s: &str| s.parse::<BindAddress>().map(|a| a.0);
        assert_eq!(parse("0"), Ok(None));
        let local = SocketAddr::from(([127, 0, 0, 1], 8080));
        assert_eq!(parse("127.0.0.1:8080"), Ok(Some(local)));
        let error = parse("8080").unwrap_err();
        assert!(error.contains("use host:port, :port or 0"), "{error}");
        let error = Cli::try_parse_from(["manager", "--metrics-bind-address=x"]).err();
        let error = error.expect("refused").to_string();
        assert!(error.contains("--metrics-bind-address"), "{error}");
    }
}
