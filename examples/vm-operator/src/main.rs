//! The vm-operator manager: runs every controller concurrently, serves `/healthz`,
//! `/readyz` and Prometheus `/metrics`, optionally elects a leader through a Lease, and shuts
//! down gracefully on SIGTERM.

use std::sync::Arc;

use anyhow::Context as _;
use clap::{Parser, ValueEnum};
use tokio::net::TcpListener;
use tokio::task::JoinSet;
use tokio_util::sync::CancellationToken;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use vm_operator::controller::{self, Context, Controllers};
use vm_operator::hypervisor::InMemoryHypervisor;
use vm_operator::leader;
use vm_operator::metrics::Metrics;
use vm_operator::server::{self, BindAddress, Readiness};

/// The name of the Lease that replicas compete for with `--leader-elect`.
const LEADER_ELECTION_ID: &str = "vm-operator.example.com";

/// The vm-operator manager.
#[derive(Parser, Debug)]
#[command(version, about)]
struct Args {
    /// The address the metrics endpoint binds to (host:port, :port, or 0 to disable it).
    #[arg(long, default_value = "0.0.0.0:8080")]
    metrics_bind_address: BindAddress,
    /// The address the health probe endpoints (/healthz, /readyz) bind to.
    #[arg(long, default_value = "0.0.0.0:8081")]
    health_probe_bind_address: BindAddress,
    /// Enable leader election, so that only one replica of the manager is active at a time.
    #[arg(long)]
    leader_elect: bool,
    /// Watch only this namespace (default: all namespaces).
    #[arg(long)]
    namespace: Option<String>,
    /// The format of log lines (filter them with RUST_LOG, e.g. RUST_LOG=info,kube=debug).
    #[arg(long, value_enum, default_value_t = LogFormat::Text)]
    log_format: LogFormat,
    /// Print the ClusterRole of the controllers' `#[rbac]` attributes and exit (used by
    /// `cargo xtask generate rbac`).
    #[arg(long, hide = true)]
    print_rbac: bool,
    // +kubeforge:scaffold:flags
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
enum LogFormat {
    Text,
    Json,
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    if args.print_rbac {
        let role = kubeforge::rbac_yaml(kubeforge::rbac::DEFAULT_ROLE_NAME)?;
        print!("{role}");
        return Ok(());
    }
    // +kubeforge:scaffold:print
    init_tracing(args.log_format);

    let shutdown = CancellationToken::new();
    tokio::spawn(shutdown_on_signal(shutdown.clone()));

    let client = kube::Client::try_default()
        .await
        .context("no Kubernetes configuration (KUBECONFIG, ~/.kube/config or in-cluster)")?;
    let metrics = Arc::new(Metrics::default());
    let readiness = Readiness::default();

    let mut servers = JoinSet::new();
    if let Some(address) = args.metrics_bind_address.0 {
        let listener = bind(address, "metrics").await?;
        let router = server::metrics_router(metrics.clone());
        servers.spawn(server::serve(listener, router, shutdown.clone()));
    }
    if let Some(address) = args.health_probe_bind_address.0 {
        let listener = bind(address, "health probes").await?;
        let router = server::health_router(readiness.clone());
        servers.spawn(server::serve(listener, router, shutdown.clone()));
    }
    // +kubeforge:scaffold:webhooks
    // Ready, also while waiting for leadership: a new replica must become ready for a rolling
    // update to stop the old one, which holds the lease.
    readiness.set(true);

    let leadership = if args.leader_elect {
        let namespace = client.default_namespace().to_owned();
        leader::acquire(client.clone(), &namespace, LEADER_ELECTION_ID, &shutdown)
            .await
            .context("leader election")?
    } else {
        None
    };
    let lost_leadership = leadership
        .as_ref()
        .map(|leadership| leadership.cancel_on_loss(shutdown.clone()));

    let namespace = args.namespace;
    // The hypervisor is simulated in memory: plug a real driver (an implementation of
    // `vm_operator::hypervisor::Hypervisor`) in here.
    let hypervisor = Arc::new(InMemoryHypervisor::default());
    let ctx =
        Context::new(client, metrics, namespace, shutdown.clone()).with_hypervisor(hypervisor);
    let ctx = Arc::new(ctx);
    let mut controllers = Controllers::new(ctx.clone());
    if !shutdown.is_cancelled() {
        controllers.start(controller::virtual_machine_controller::run);
        // +kubeforge:scaffold:controllers
        let namespace = ctx.namespace.as_deref().unwrap_or("all namespaces");
        tracing::info!(controllers = controllers.len(), namespace, "running");
    }

    // Run until a signal, lost leadership or a failed controller; then let every controller
    // finish its reconciliations.
    let mut failed = false;
    tokio::select! {
        () = shutdown.cancelled() => {}
        Some(result) = controllers.join_next() => {
            failed |= controller_failed(result);
            shutdown.cancel();
        }
    }
    readiness.set(false);
    while let Some(result) = controllers.join_next().await {
        failed |= controller_failed(result);
    }
    while let Some(result) = servers.join_next().await {
        if let Ok(Err(e)) = result {
            tracing::error!(error = %e, "server failed");
        }
    }
    if let Some(leadership) = leadership {
        leadership.release().await;
    }
    let lost = match lost_leadership {
        Some(task) => task.await.unwrap_or(false),
        None => false,
    };
    tracing::info!("manager stopped");
    if failed || lost {
        anyhow::bail!("the manager stopped because a controller failed or leadership was lost");
    }
    Ok(())
}

async fn bind(address: std::net::SocketAddr, what: &str) -> anyhow::Result<TcpListener> {
    let listener = TcpListener::bind(address)
        .await
        .with_context(|| format!("binding the {what} address {address}"))?;
    tracing::info!(address = %listener.local_addr()?, "serving {what}");
    Ok(listener)
}

/// Logs the end of a controller; returns whether it failed.
fn controller_failed(result: Result<controller::Result<()>, tokio::task::JoinError>) -> bool {
    match result {
        Ok(Ok(())) => false,
        Ok(Err(e)) => {
            tracing::error!(error = %e, "controller failed");
            true
        }
        Err(e) => {
            tracing::error!(error = %e, "controller panicked");
            true
        }
    }
}

fn init_tracing(format: LogFormat) {
    let filter = std::env::var("RUST_LOG")
        .ok()
        .and_then(|s| s.parse::<Targets>().ok());
    let filter = filter.unwrap_or_else(|| Targets::new().with_default(tracing::Level::INFO));
    let registry = tracing_subscriber::registry().with(filter);
    match format {
        LogFormat::Text => registry.with(tracing_subscriber::fmt::layer()).init(),
        LogFormat::Json => registry
            .with(tracing_subscriber::fmt::layer().json().flatten_event(true))
            .init(),
    }
}

/// Cancels `shutdown` on SIGTERM or Ctrl+C; a second signal exits at once.
async fn shutdown_on_signal(shutdown: CancellationToken) {
    signal().await;
    tracing::info!("shutting down gracefully (signal again to force)");
    shutdown.cancel();
    signal().await;
    tracing::warn!("forced shutdown");
    std::process::exit(130);
}

async fn signal() {
    #[cfg(unix)]
    let terminate = async {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                terminate.recv().await;
            }
            Err(_) => std::future::pending().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        () = terminate => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn flags() {
        Args::command().debug_assert();
        let args = Args::parse_from(["manager"]);
        assert_eq!(
            args.metrics_bind_address.0,
            Some(([0, 0, 0, 0], 8080).into())
        );
        assert_eq!(
            args.health_probe_bind_address.0,
            Some(([0, 0, 0, 0], 8081).into())
        );
        assert!(!args.leader_elect);
        assert_eq!(args.namespace, None);
        assert_eq!(args.log_format, LogFormat::Text);
        let args = Args::parse_from([
            "manager",
            "--metrics-bind-address=0",
            "--health-probe-bind-address=:9000",
            "--leader-elect",
            "--namespace=ns",
            "--log-format=json",
        ]);
        assert_eq!(args.metrics_bind_address.0, None);
        assert_eq!(
            args.health_probe_bind_address.0,
            Some(([0, 0, 0, 0], 9000).into())
        );
        assert!(args.leader_elect);
        assert_eq!(args.namespace.as_deref(), Some("ns"));
        assert_eq!(args.log_format, LogFormat::Json);
    }
}
