//! Running a kube-runtime `Controller` the way every controller of a manager runs.

use std::fmt::Debug;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use kube::api::ListParams;
use kube::runtime::controller::{self, Action, Controller};
use kube::runtime::watcher;
use kube::{Api, Resource};
use serde::de::DeserializeOwned;

use crate::metrics::Outcome;
use crate::{Backoff, Context, Error, Result};

/// How often a controller's watch is asked whether it has synced.
const SYNC_POLL: Duration = Duration::from_millis(200);

/// A `Controller` for the objects of `api`, after checking that the API server serves their
/// kind, so that a missing CRD fails the manager at startup with the fix instead of an endless
/// stream of watch errors. Add `.owns(..)` and `.watches(..)` to it, then [`run_controller`].
pub async fn controller_for<K, S>(_ctx: &Context<S>, api: Api<K>) -> Result<Controller<K>>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + Sync + 'static,
{
    if let Err(source) = api.list_metadata(&ListParams::default().limit(1)).await {
        let kind = format!("{}.{}", K::plural(&()), K::group(&()));
        let kind = kind.trim_end_matches('.').to_owned();
        return Err(Error::NotInstalled { kind, source });
    }
    Ok(Controller::new(
        api,
        watcher::Config::default().any_semantic(),
    ))
}

/// Runs `controller` until the manager shuts down, calling `reconcile` for each change.
///
/// Around every reconciliation it counts controller-runtime's metrics (labelled `name`),
/// resets the object's backoff on success, and on error requeues it with a per-object
/// exponential backoff. The manager reports ready once the controller's watch has synced.
pub async fn run_controller<K, S, F, Fut>(
    name: &'static str,
    controller: Controller<K>,
    reconcile: F,
    ctx: Arc<Context<S>>,
) -> Result<()>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + Sync + 'static,
    S: Send + Sync + 'static,
    F: Fn(Arc<K>, Arc<Context<S>>) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = Result<Action>> + Send + 'static,
{
    let store = controller.store();
    let syncing = ctx.readiness.syncing();
    // Dropping the guard marks the controller synced: when its store is ready, or when the
    // task is aborted because the controller stopped first.
    let synced = tokio::spawn(async move {
        // kube-runtime's store wakes only the last of several waiters (the controller's own
        // runner waits too), so ask again until it answers.
        loop {
            let ready = tokio::time::timeout(SYNC_POLL, store.wait_until_ready()).await;
            match ready {
                Ok(Ok(())) => break tracing::debug!(controller = name, "watch synced"),
                Ok(Err(_)) => break,
                Err(_) => continue,
            }
        }
        drop(syncing);
    });
    let reconcile = Arc::new(reconcile);
    tracing::info!(controller = name, "starting");
    controller
        .graceful_shutdown_on(ctx.shutdown.clone().cancelled_owned())
        .run(
            move |obj, ctx: Arc<Context<S>>| {
                let reconcile = reconcile.clone();
                async move {
                    let start = Instant::now();
                    let key = Backoff::key(name, obj.as_ref());
                    let result = reconcile(obj, ctx.clone()).await;
                    let outcome = match &result {
                        Ok(action) if *action == Action::await_change() => Outcome::success,
                        Ok(_) => Outcome::requeue_after,
                        Err(_) => Outcome::error,
                    };
                    ctx.metrics.reconciled(name, outcome, start.elapsed());
                    if result.is_ok() {
                        ctx.backoff.reset(&key);
                    }
                    result
                }
            },
            move |obj, error, ctx| ctx.requeue_on_error(name, obj.as_ref(), error),
            ctx.clone(),
        )
        .for_each(|result| async move {
            match result {
                Ok((obj, _)) => tracing::debug!(controller = name, %obj, "reconciled"),
                // Logged by the error policy.
                Err(controller::Error::ReconcilerFailed(..)) => {}
                // A requeued object deleted meanwhile: nothing to do.
                Err(e @ controller::Error::ObjectNotFound(..)) => {
                    tracing::debug!(controller = name, error = %e, "gone")
                }
                Err(e) => tracing::warn!(controller = name, error = %e, "watch failed"),
            }
        })
        .await;
    synced.abort();
    tracing::info!(controller = name, "stopped");
    Ok(())
}
