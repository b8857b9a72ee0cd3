//! What every reconciliation gets: [`Context`].

use std::fmt::{Debug, Display};
use std::ops::Deref;
use std::sync::Arc;

use k8s_openapi::NamespaceResourceScope;
use kube::api::{Patch, PatchParams};
use kube::runtime::controller::Action;
use kube::runtime::events::{Event, EventType, Recorder, Reporter};
use kube::runtime::reflector::ObjectRef;
use kube::{Api, Client, Resource, ResourceExt};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio_util::sync::CancellationToken;

use crate::health::Readiness;
use crate::{Backoff, Metrics, ObjectScope, Result, WatchOptions};

/// What every controller of a manager shares: the API client, the event recorder, metrics,
/// the per-object error backoff, the watched namespace, the shutdown signal, and `state`, the
/// project's own (a driver, a cache, settings: whatever its reconcile functions need).
///
/// `Context<S>` dereferences to `S`, so `ctx.driver` reads a field of the state.
pub struct Context<S = ()> {
    pub client: Client,
    pub recorder: Recorder,
    pub metrics: Arc<Metrics>,
    pub backoff: Backoff,
    /// `--namespace`: the one namespace to watch, or all when `None`.
    pub namespace: Option<String>,
    /// Cancelled on SIGTERM or lost leadership: controllers finish their reconciliations and stop.
    pub shutdown: CancellationToken,
    /// The project's own state, given to [`Manager::with_state`](crate::Manager::with_state).
    pub state: S,
    /// How [`controller_for`](crate::controller_for) watches and runs a controller: the
    /// manager's flags, which a controller may change for itself with
    /// [`controller_with`](crate::controller_with).
    pub watch: WatchOptions,
    manager_name: String,
    pub(crate) readiness: Readiness,
}

impl<S> Deref for Context<S> {
    type Target = S;

    fn deref(&self) -> &S {
        &self.state
    }
}

impl<S> Debug for Context<S> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Context")
            .field("manager", &self.manager_name)
            .field("namespace", &self.namespace)
            .finish_non_exhaustive()
    }
}

impl<S> Context<S> {
    /// A context for the manager `manager_name` (the field manager of its patches and the
    /// reporter of its events), watching every namespace, with metrics of its own.
    pub fn new(client: Client, manager_name: &str, state: S) -> Self {
        let reporter = Reporter {
            controller: manager_name.to_owned(),
            instance: std::env::var("POD_NAME").ok(),
        };
        Context {
            recorder: Recorder::new(client.clone(), reporter),
            client,
            metrics: Arc::new(Metrics::default()),
            backoff: Backoff::default(),
            namespace: None,
            shutdown: CancellationToken::new(),
            state,
            watch: WatchOptions::default(),
            manager_name: manager_name.to_owned(),
            readiness: Readiness::default(),
        }
    }

    /// Watches and runs controllers with `watch` (the manager's flags).
    #[must_use]
    pub fn with_watch_options(mut self, watch: WatchOptions) -> Self {
        self.watch = watch;
        self
    }

    /// Watches only `namespace` (`None`: all namespaces).
    #[must_use]
    pub fn with_namespace(mut self, namespace: Option<String>) -> Self {
        self.namespace = namespace;
        self
    }

    #[must_use]
    pub(crate) fn with_manager_parts(
        mut self,
        metrics: Arc<Metrics>,
        shutdown: CancellationToken,
        readiness: Readiness,
    ) -> Self {
        self.metrics = metrics;
        self.shutdown = shutdown;
        self.readiness = readiness;
        self
    }

    /// The field manager of server-side apply patches and the reporter of events.
    pub fn manager_name(&self) -> &str {
        &self.manager_name
    }

    /// The `Api` of a namespaced kind in the watched namespace (all namespaces without
    /// `--namespace`).
    pub fn watched_api<K>(&self) -> Api<K>
    where
        K: Resource<Scope = NamespaceResourceScope, DynamicType = ()>,
    {
        match &self.namespace {
            Some(namespace) => Api::namespaced(self.client.clone(), namespace),
            None => Api::all(self.client.clone()),
        }
    }

    /// The `Api` that reads and writes `obj`: its namespace's, or the cluster's.
    pub fn api_for<K>(&self, obj: &K) -> Api<K>
    where
        K: Resource<DynamicType = ()>,
        K::Scope: ObjectScope,
    {
        <K::Scope as ObjectScope>::api(self.client.clone(), obj.meta().namespace.as_deref())
    }

    /// Writes `status` into `obj`'s status subresource by server-side apply: the manager owns
    /// the fields it sets, and nobody else's are touched.
    pub async fn apply_status<K, T>(&self, obj: &K, status: &T) -> Result<K>
    where
        K: Resource<DynamicType = ()> + Clone + Debug + DeserializeOwned,
        K::Scope: ObjectScope,
        T: Serialize,
    {
        let patch = serde_json::json!({
            "apiVersion": K::api_version(&()),
            "kind": K::kind(&()),
            "status": status,
        });
        let params = PatchParams::apply(&self.manager_name).force();
        let api = self.api_for(obj);
        Ok(api
            .patch_status(&obj.name_any(), &params, &Patch::Apply(&patch))
            .await?)
    }

    /// Creates or updates `obj` (a Deployment, a Service, ...) by server-side apply, forcing
    /// ownership of the fields it sets; returns the object as the API server stored it.
    pub async fn apply<T>(&self, obj: &T) -> Result<T>
    where
        T: Resource<DynamicType = ()> + Clone + Debug + Serialize + DeserializeOwned,
        T::Scope: ObjectScope,
    {
        let params = PatchParams::apply(&self.manager_name).force();
        let api = self.api_for(obj);
        Ok(api
            .patch(&obj.name_any(), &params, &Patch::Apply(obj))
            .await?)
    }

    /// Records an event about `obj` (events.k8s.io/v1, reported by the manager).
    ///
    /// Best effort, as controller-runtime's recorder: an event that cannot be written is
    /// logged, never an error of the reconcile. In a namespace being deleted the API server
    /// refuses new events, and a cleanup that failed on its event would keep its finalizer,
    /// and the namespace, forever.
    pub async fn publish<K>(
        &self,
        obj: &K,
        type_: EventType,
        reason: &str,
        action: &str,
        note: impl Into<String>,
    ) where
        K: Resource<DynamicType = ()>,
    {
        let event = Event {
            type_,
            reason: reason.to_owned(),
            note: Some(note.into()),
            action: action.to_owned(),
            secondary: None,
        };
        let about = obj.object_ref(&());
        if let Err(error) = self.recorder.publish(&event, &about).await {
            let name = about.name.as_deref().unwrap_or_default();
            tracing::warn!(%name, reason, %error, "event not recorded");
        }
    }

    /// The error policy [`run_controller`](crate::run_controller) gives every controller:
    /// counts the error and requeues the object after its next backoff delay.
    pub fn requeue_on_error<K>(
        &self,
        controller: &'static str,
        obj: &K,
        error: &dyn Display,
    ) -> Action
    where
        K: Resource<DynamicType = ()>,
    {
        self.metrics.reconcile_failed(controller);
        let delay = self.backoff.next(&Backoff::key(controller, obj));
        tracing::warn!(
            controller,
            object = %ObjectRef::from_obj(obj),
            error = %error,
            retry_in = ?delay,
            "reconcile failed"
        );
        Action::requeue(delay)
    }
}
