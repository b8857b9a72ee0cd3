//! Lease-based leader election (`--leader-elect`), so that only one replica of the manager
//! reconciles at a time; built on kube-lease-manager.

use kube::Client;
use kube_lease_manager::{LeaseManager, LeaseManagerBuilder, LeaseManagerError};
use tokio::sync::watch;
use tokio::task::JoinHandle;
use tokio_util::sync::CancellationToken;

/// Seconds a lease is valid without renewal; the leader renews it `GRACE_SECONDS` earlier.
const LEASE_DURATION_SECONDS: u64 = 15;
const GRACE_SECONDS: u64 = 5;

/// Leadership of this manager, held until it is released or lost.
pub struct Leadership {
    state: watch::Receiver<bool>,
    task: JoinHandle<Result<LeaseManager, LeaseManagerError>>,
}

/// This replica's identity in the lease: the pod name (`HOSTNAME` in a pod) and the process id.
pub fn identity() -> String {
    let host = std::env::var("POD_NAME")
        .or_else(|_| std::env::var("HOSTNAME"))
        .unwrap_or_else(|_| "manager".to_owned());
    format!("{host}_{}", std::process::id())
}

/// Waits until this replica holds the Lease `name` in `namespace`; `None` when `shutdown` is
/// cancelled first.
pub async fn acquire(
    client: Client,
    namespace: &str,
    name: &str,
    shutdown: &CancellationToken,
) -> Result<Option<Leadership>, LeaseManagerError> {
    let identity = identity();
    let manager = LeaseManagerBuilder::new(client, name)
        .with_namespace(namespace)
        .with_identity(&identity)
        .with_duration(LEASE_DURATION_SECONDS)
        .with_grace(GRACE_SECONDS)
        .build()
        .await?;
    let (mut state, task) = manager.watch().await;
    tracing::info!(lease = name, namespace, identity, "waiting for leadership");
    let acquired = tokio::select! {
        acquired = state.wait_for(|leader| *leader) => acquired.is_ok(),
        () = shutdown.cancelled() => false,
    };
    if !acquired {
        // Shutting down, or the lease manager stopped (its error is returned).
        drop(state);
        return match task.await {
            Ok(Err(e)) if !shutdown.is_cancelled() => Err(e),
            _ => Ok(None),
        };
    }
    tracing::info!(lease = name, identity, "acquired leadership");
    Ok(Some(Leadership { state, task }))
}

impl Leadership {
    /// Cancels `shutdown` when the lease is lost (another replica took over, or it could not
    /// be renewed in time); returns whether it was lost.
    pub fn cancel_on_loss(&self, shutdown: CancellationToken) -> JoinHandle<bool> {
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
    pub async fn release(self) {
        drop(self.state);
        match self.task.await {
            Ok(Ok(_)) => tracing::info!("released leadership"),
            Ok(Err(e)) => tracing::warn!(error = %e, "releasing leadership failed"),
            Err(e) => tracing::warn!(error = %e, "lease manager task failed"),
        }
    }
}
