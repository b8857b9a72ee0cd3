//! The controllers of vm-operator, one module per reconciled kind, and what they share.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use k8s_openapi::NamespaceResourceScope;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kube::runtime::controller::Action;
use kube::runtime::events::Recorder;
use kube::runtime::reflector::ObjectRef;
use kube::{Api, Client, Resource};
use kubeforge::types::Condition;
use tokio::task::{JoinError, JoinSet};
use tokio_util::sync::CancellationToken;

use crate::hypervisor::{Hypervisor, HypervisorError, InMemoryHypervisor};
use crate::metrics::Metrics;

// The VirtualMachine controller.
pub mod virtual_machine_controller;
// +kubeforge:scaffold:controller-modules

/// The field manager of server-side apply patches and the reporter of events.
pub const MANAGER_NAME: &str = "vm-operator";

/// The condition types of kubebuilder's scaffold (Kubernetes API conventions).
pub const AVAILABLE: &str = "Available";
pub const PROGRESSING: &str = "Progressing";
pub const DEGRADED: &str = "Degraded";

/// What reconciliations can fail with.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("Kubernetes API request failed: {0}")]
    Kube(#[from] kube::Error),
    #[error(transparent)]
    Finalizer(#[from] Box<kube::runtime::finalizer::Error<Error>>),
    #[error(transparent)]
    Hypervisor(#[from] HypervisorError),
    #[error("invalid object: {0}")]
    InvalidObject(&'static str),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What every controller shares: the API client, metrics, the event recorder, the watched
/// namespace, the shutdown signal, the per-object error backoff and the hypervisor.
pub struct Context {
    pub client: Client,
    pub metrics: Arc<Metrics>,
    pub recorder: Recorder,
    /// `--namespace`: the one namespace to watch, or all when `None`.
    pub namespace: Option<String>,
    /// Cancelled on SIGTERM or lost leadership: controllers finish their reconciliations and stop.
    pub shutdown: CancellationToken,
    pub backoff: Backoff,
    /// Where virtual machines are provisioned: [`InMemoryHypervisor`] unless a real driver is
    /// given with [`Context::with_hypervisor`].
    pub hypervisor: Arc<dyn Hypervisor>,
}

impl Context {
    pub fn new(
        client: Client,
        metrics: Arc<Metrics>,
        namespace: Option<String>,
        shutdown: CancellationToken,
    ) -> Self {
        let recorder = Recorder::new(client.clone(), MANAGER_NAME.into());
        Context {
            client,
            metrics,
            recorder,
            namespace,
            shutdown,
            backoff: Backoff::default(),
            hypervisor: Arc::new(InMemoryHypervisor::default()),
        }
    }

    /// Provisions virtual machines on `hypervisor` (a real driver, or a test double).
    pub fn with_hypervisor(mut self, hypervisor: Arc<dyn Hypervisor>) -> Self {
        self.hypervisor = hypervisor;
        self
    }

    /// The `Api` of a namespaced kind in the watched namespace (all namespaces without `--namespace`).
    pub fn watched_api<K>(&self) -> Api<K>
    where
        K: Resource<Scope = NamespaceResourceScope, DynamicType = ()>,
    {
        match &self.namespace {
            Some(namespace) => Api::namespaced(self.client.clone(), namespace),
            None => Api::all(self.client.clone()),
        }
    }

    /// The error policy every controller shares: counts the error and requeues the object with
    /// a per-object exponential backoff (reset by its next successful reconciliation).
    pub fn requeue_on_error<K>(&self, controller: &'static str, obj: &K, error: &Error) -> Action
    where
        K: Resource<DynamicType = ()>,
    {
        self.metrics.reconcile_failed(controller);
        let delay = self.backoff.next(&backoff_key(controller, obj));
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

/// The controllers of the manager, each running on a task of its own.
pub struct Controllers {
    ctx: Arc<Context>,
    tasks: JoinSet<Result<()>>,
}

impl Controllers {
    pub fn new(ctx: Arc<Context>) -> Self {
        Controllers {
            ctx,
            tasks: JoinSet::new(),
        }
    }

    /// Starts a controller: `run` is the `run` function of its module.
    pub fn start<F>(&mut self, run: impl FnOnce(Arc<Context>) -> F)
    where
        F: Future<Output = Result<()>> + Send + 'static,
    {
        self.tasks.spawn(run(self.ctx.clone()));
    }

    /// How many controllers run.
    pub fn len(&self) -> usize {
        self.tasks.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tasks.is_empty()
    }

    /// Waits until a controller stops; `None` when none runs.
    pub async fn join_next(&mut self) -> Option<Result<Result<()>, JoinError>> {
        self.tasks.join_next().await
    }
}

/// The key of an object in [`Backoff`].
pub fn backoff_key<K: Resource<DynamicType = ()>>(controller: &str, obj: &K) -> String {
    format!("{controller}/{}", ObjectRef::from_obj(obj))
}

/// Exponential backoff per object: 1 s after the first failure, doubling up to 5 minutes.
#[derive(Debug, Default)]
pub struct Backoff {
    failures: Mutex<HashMap<String, u32>>,
}

impl Backoff {
    pub const INITIAL: Duration = Duration::from_secs(1);
    pub const MAX: Duration = Duration::from_secs(300);

    /// Counts a failure of `key` and returns how long to wait before retrying it.
    pub fn next(&self, key: &str) -> Duration {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let count = failures.entry(key.to_owned()).or_default();
        let delay = Self::INITIAL.saturating_mul(2u32.saturating_pow(*count));
        *count = count.saturating_add(1);
        delay.min(Self::MAX)
    }

    /// Forgets the failures of `key`.
    pub fn reset(&self, key: &str) {
        self.failures
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .remove(key);
    }
}

/// A condition with the current time as its lastTransitionTime.
pub fn condition(
    type_: &str,
    status: bool,
    reason: &str,
    message: impl Into<String>,
    observed_generation: Option<i64>,
) -> Condition {
    Condition {
        r#type: type_.to_owned(),
        status: if status { "True" } else { "False" }.to_owned(),
        observed_generation,
        last_transition_time: Time(Timestamp::now()),
        reason: reason.to_owned(),
        message: message.into(),
    }
}

/// Sets `new` in `conditions`, replacing the condition of the same type, as apimachinery's
/// `meta.SetStatusCondition` does: lastTransitionTime changes only when the status does.
/// Returns whether anything changed.
pub fn set_condition(conditions: &mut Vec<Condition>, mut new: Condition) -> bool {
    match conditions.iter_mut().find(|c| c.r#type == new.r#type) {
        Some(existing) => {
            if existing.status == new.status {
                new.last_transition_time = existing.last_transition_time.clone();
            }
            let changed = *existing != new;
            *existing = new;
            changed
        }
        None => {
            conditions.push(new);
            true
        }
    }
}

/// Whether `conditions` has a condition of type `type_` with status True.
pub fn is_condition_true(conditions: &[Condition], type_: &str) -> bool {
    conditions
        .iter()
        .any(|c| c.r#type == type_ && c.status == "True")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_per_object_up_to_the_maximum() {
        let backoff = Backoff::default();
        let delays: Vec<u64> = (0..12).map(|_| backoff.next("a").as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
        assert_eq!(backoff.next("b"), Backoff::INITIAL);
        backoff.reset("a");
        assert_eq!(backoff.next("a"), Backoff::INITIAL);
    }

    #[test]
    fn set_condition_keeps_the_transition_time_of_an_unchanged_status() {
        let mut conditions = Vec::new();
        assert!(set_condition(
            &mut conditions,
            condition(AVAILABLE, false, "Reconciling", "", Some(1))
        ));
        let mut earlier = conditions[0].clone();
        earlier.last_transition_time = Time(Timestamp::UNIX_EPOCH);
        conditions[0] = earlier.clone();
        assert!(!set_condition(
            &mut conditions,
            condition(AVAILABLE, false, "Reconciling", "", Some(1))
        ));
        assert_eq!(conditions, [earlier.clone()]);
        assert!(set_condition(
            &mut conditions,
            condition(AVAILABLE, true, "Reconciled", "", Some(2))
        ));
        assert_ne!(
            conditions[0].last_transition_time,
            earlier.last_transition_time
        );
        assert!(is_condition_true(&conditions, AVAILABLE));
        assert!(!is_condition_true(&conditions, DEGRADED));
    }
}
