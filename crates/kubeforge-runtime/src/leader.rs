//! Lease-based leader election (`--leader-elect`), so that only one replica of the manager
//! runs its controllers at a time; built on kube-lease-manager.

use std::sync::atomic::{AtomicU32, Ordering};

use kube::Client;
use kube_lease_manager::{LeaseManager, LeaseManagerBuilder, LeaseManagerError};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

use crate::ManagerError;

/// Seconds a lease is valid without renewal; the leader renews it `GRACE_SECONDS` earlier.
/// controller-runtime's defaults are 15 s and a 10 s renew deadline.
const LEASE_DURATION_SECONDS: u64 = 15;
const GRACE_SECONDS: u64 = 5;

/// The Lease replicas compete for.
#[derive(Clone, Debug)]
pub(crate) struct Lease {
    pub name: String,
    pub namespace: String,
}

/// Leadership of this manager, held until it is released or lost.
pub(crate) struct Leadership {
    state: watch::Receiver<bool>,
    task: JoinHandle<Result<LeaseManager, LeaseManagerError>>,
}

/// This replica's identity in the lease: the pod name (`POD_NAME`, else `HOSTNAME`) and the
/// process id, unique also for two managers on one machine.
fn identity() -> String {
    // Two managers in one process (a test) are two candidates.
    static MANAGERS: AtomicU32 = AtomicU32::new(0);
    let host = std::env::var("POD_NAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_else(|_| "manager".to_owned());
    let pid = std::process::id();
    match MANAGERS.fetch_add(1, Ordering::Relaxed) {
        0 => format!("{host}_{pid}"),
        n => format!("{host}_{pid}_{n}"),
    }
}

fn error(lease: &Lease, e: LeaseManagerError) -> ManagerError {
    let message = match &e {
        LeaseManagerError::KubeError(kube::Error::Api(status)) if status.code == 403 => format!(
            "the manager may not get, create or update Leases in namespace {}: apply config/rbac/leader_election_role.yaml and its binding, or run without --leader-elect ({})",
            lease.namespace, status.message
        ),
        LeaseManagerError::KubeError(kube::Error::Api(status)) if status.code == 404 => format!(
            "namespace {} not found: create it or pass --leader-election-namespace",
            lease.namespace
        ),
        _ => e.to_string(),
    };
    ManagerError::LeaderElection {
        namespace: lease.namespace.clone(),
        name: lease.name.clone(),
        message,
    }
}

/// Waits until this replica holds `lease`; `None` when `shutdown` is cancelled first.
pub(crate) async fn acquire(
    client: Client,
    lease: &Lease,
    shutdown: &CancellationToken,
) -> Result<Option<Leadership>, ManagerError> {
    let identity = identity();
    let manager = LeaseManagerBuilder::new(client, &lease.name)
        .with_namespace(&lease.namespace)
        .with_identity(&identity)
        .with_duration(LEASE_DURATION_SECONDS)
        .with_grace(GRACE_SECONDS)
        .build()
        .await
        .map_err(|e| error(lease, e))?;
    let (mut state, task) = manager.watch().await;
    tracing::info!(
        lease = lease.name,
        namespace = lease.namespace,
        identity,
        "waiting for leadership"
    );
    let acquired = tokio::select! {
        acquired = state.wait_for(|leader| *leader) => acquired.is_ok(),
        () = shutdown.cancelled() => false,
    };
    if !acquired {
        // Shutting down, or the lease manager stopped (its error is returned).
        drop(state);
        return match task.await {
            Ok(Err(e)) if !shutdown.is_cancelled() => Err(error(lease, e)),
            _ => Ok(None),
        };
    }
    tracing::info!(lease = lease.name, identity, "acquired leadership");
    Ok(Some(Leadership { state, task }))
}

impl Leadership {
    /// Cancels `shutdown` when the lease is lost (another replica took over, or it could not
    /// be renewed in time); the task returns whether it was lost.
    pub(crate) fn cancel_on_loss(&self, shutdown: CancellationToken) -> JoinHandle<bool> {
        let mut state = self.state.clone();
        tokio::spawn(async move {
            tokio::select! {
                _ = state.wait_for(|leader| !*leader) => {
                    tracing::error!("lost leadership, shutting down");
                    shutdown.cancel();
                    true
                }
                () = shutdown.cancelled() => false,
            }
        })
    }

    /// Gives the lease up, so that another replica takes over without waiting for it to expire.
    pub(crate) async fn release(self) {
        drop(self.state);
        match self.task.await {
            Ok(Ok(_)) => tracing::info!("released leadership"),
            Ok(Err(e)) => tracing::warn!(error = %e, "releasing leadership failed"),
            Err(e) => tracing::warn!(error = %e, "lease manager task failed"),
        }
    }
}
