//! Running a kube-runtime `Controller` the way every controller of a manager runs.

use std::fmt::Debug;
use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::StreamExt;
use kube::api::{ListParams, WatchEvent, WatchParams};
use kube::runtime::controller::{self, Action, Controller};
use kube::runtime::{WatchStreamExt, reflector, watcher};
use kube::{Api, Resource};
use serde::de::DeserializeOwned;

use crate::metrics::Outcome;
use crate::{Backoff, Context, Error, Result};

/// How often a controller's watch is asked whether it has synced.
const SYNC_POLL: Duration = Duration::from_millis(200);

/// How a controller watches its objects and how many it reconciles at once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WatchOptions {
    /// Reconciliations running at once (`--max-concurrent-reconciles`).
    pub max_concurrent_reconciles: u16,
    /// Drop `metadata.managedFields` and the `kubectl.kubernetes.io/last-applied-configuration`
    /// annotation before objects reach the cache (`--cache-managed-fields` keeps them). A
    /// reconciler that needs them reads the object from the API (`ctx.api_for(&obj).get(..)`).
    pub lean_cache: bool,
    /// Fill the cache from a streaming list (`sendInitialEvents`, objects one by one) where the
    /// API server offers it, instead of one list response that holds every object at once;
    /// where it does not, from paginated lists.
    pub streaming_lists: bool,
}

impl Default for WatchOptions {
    fn default() -> Self {
        WatchOptions {
            max_concurrent_reconciles: crate::args::DEFAULT_MAX_CONCURRENT_RECONCILES,
            lean_cache: true,
            streaming_lists: true,
        }
    }
}

/// The annotation `kubectl apply` keeps a copy of the whole object in.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// Objects in a list page when the API server has no streaming lists (kube's default).
const PAGE_SIZE: u32 = 500;

/// A `Controller` for the objects of `api`, watched and run as the manager's flags say
/// (`ctx.watch`); see [`controller_with`].
pub async fn controller_for<K, S>(ctx: &Context<S>, api: Api<K>) -> Result<Controller<K>>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + Sync + 'static,
{
    controller_with(api, &ctx.watch).await
}

/// A `Controller` for the objects of `api`, after checking that the API server serves their
/// kind, so that a missing CRD fails the manager at startup with the fix instead of an endless
/// stream of watch errors. Add `.owns(..)` and `.watches(..)` to it, then [`run_controller`].
///
/// `options` is usually the manager's (`controller_for` passes `ctx.watch`); a controller
/// that wants other settings passes its own, e.g.
/// `WatchOptions { max_concurrent_reconciles: 4, ..ctx.watch.clone() }`.
pub async fn controller_with<K>(api: Api<K>, options: &WatchOptions) -> Result<Controller<K>>
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug + Send + Sync + 'static,
{
    if let Err(source) = api.list_metadata(&ListParams::default().limit(1)).await {
        let kind = format!("{}.{}", K::plural(&()), K::group(&()));
        let kind = kind.trim_end_matches('.').to_owned();
        return Err(Error::NotInstalled { kind, source });
    }
    let config = if options.streaming_lists && offers_streaming_lists(&api).await {
        watcher::Config::default().streaming_lists()
    } else {
        watcher::Config::default().page_size(PAGE_SIZE)
    };
    let (reader, writer) = reflector::store();
    let lean = options.lean_cache;
    let objects = watcher(api, config)
        .default_backoff()
        .modify(move |obj| {
            if lean {
                strip(obj);
            }
        })
        .reflect(writer)
        .applied_objects();
    let config = controller::Config::default().concurrency(options.max_concurrent_reconciles);
    Ok(Controller::for_stream(objects, reader).with_config(config))
}

/// Drops what the lean cache does not keep (see [`WatchOptions::lean_cache`]).
fn strip<K: Resource>(obj: &mut K) {
    let meta = obj.meta_mut();
    meta.managed_fields = None;
    if let Some(annotations) = meta.annotations.as_mut() {
        annotations.remove(LAST_APPLIED);
        if annotations.is_empty() {
            meta.annotations = None;
        }
    }
}

/// Whether the API server answers a streaming list (`sendInitialEvents`, the WatchList
/// feature): asked with a one-second watch of `api`'s metadata; a server without the feature
/// refuses the parameters.
async fn offers_streaming_lists<K>(api: &Api<K>) -> bool
where
    K: Resource<DynamicType = ()> + Clone + DeserializeOwned + Debug,
{
    let params = WatchParams::streaming_lists().timeout(1);
    let Ok(events) = api.watch_metadata(&params, "").await else {
        return false;
    };
    let mut events = std::pin::pin!(events);
    let first = tokio::time::timeout(Duration::from_secs(5), events.next()).await;
    let offered = matches!(
        first,
        Ok(Some(Ok(WatchEvent::Added(_)
            | WatchEvent::Bookmark(_)
            | WatchEvent::Modified(_))))
    );
    tracing::debug!(kind = K::kind(&()).as_ref(), offered, "streaming lists");
    offered
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
                    let _worker = ctx.metrics.worker_started(name);
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
