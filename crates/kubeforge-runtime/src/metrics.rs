//! Prometheus metrics of the manager, named like controller-runtime's so that kubebuilder's
//! dashboards and alerts work unchanged.

use std::time::Duration;

use prometheus_client::encoding::{EncodeLabelSet, EncodeLabelValue};
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};

/// `controller_runtime_reconcile_total{controller, result}`.
pub const RECONCILE_TOTAL: &str = "controller_runtime_reconcile_total";
/// `controller_runtime_reconcile_errors_total{controller}`.
pub const RECONCILE_ERRORS_TOTAL: &str = "controller_runtime_reconcile_errors_total";
/// `controller_runtime_reconcile_time_seconds{controller}` (a histogram).
pub const RECONCILE_TIME_SECONDS: &str = "controller_runtime_reconcile_time_seconds";
/// `leader_election_master_status{name}`: 1 while this replica leads.
pub const LEADER_ELECTION_MASTER_STATUS: &str = "leader_election_master_status";
/// `controller_runtime_active_workers{controller}`: reconciliations running now.
pub const ACTIVE_WORKERS: &str = "controller_runtime_active_workers";

/// How a reconciliation ended (the `result` label of [`RECONCILE_TOTAL`]).
#[derive(Clone, Copy, Debug, Hash, PartialEq, Eq, EncodeLabelValue)]
#[allow(non_camel_case_types)] // the label values controller-runtime writes
pub enum Outcome {
    success,
    error,
    requeue_after,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResultLabels {
    controller: &'static str,
    result: Outcome,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ControllerLabels {
    controller: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LeaseLabels {
    name: String,
}

/// The manager's metrics registry, with the reconcile metrics of every controller.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    reconciles: Family<ResultLabels, Counter>,
    errors: Family<ControllerLabels, Counter>,
    durations: Family<ControllerLabels, Histogram>,
    leader: Family<LeaseLabels, Gauge>,
    active: Family<ControllerLabels, Gauge>,
}

/// One running reconciliation, counted in [`ACTIVE_WORKERS`] until dropped.
#[derive(Debug)]
pub struct ActiveWorker(Gauge);

impl Drop for ActiveWorker {
    fn drop(&mut self) {
        self.0.dec();
    }
}

/// Registers `metric` under `name` without the suffix prometheus-client appends itself.
fn register(
    registry: &mut Registry,
    name: &str,
    help: &str,
    metric: impl prometheus_client::registry::Metric,
) {
    let name = name.strip_suffix("_total").unwrap_or(name);
    match name.strip_suffix("_seconds") {
        Some(name) => registry.register_with_unit(name, help, Unit::Seconds, metric),
        None => registry.register(name, help, metric),
    }
}

impl Default for Metrics {
    fn default() -> Self {
        let reconciles = Family::<ResultLabels, Counter>::default();
        let errors = Family::<ControllerLabels, Counter>::default();
        let durations = Family::<ControllerLabels, Histogram>::new_with_constructor(|| {
            // 5 ms to about 82 s.
            Histogram::new(exponential_buckets(0.005, 2.0, 15))
        });
        let leader = Family::<LeaseLabels, Gauge>::default();
        let active = Family::<ControllerLabels, Gauge>::default();
        let mut registry = Registry::default();
        let help = "Total number of reconciliations per controller";
        register(&mut registry, RECONCILE_TOTAL, help, reconciles.clone());
        let help = "Total number of reconciliation errors per controller";
        register(&mut registry, RECONCILE_ERRORS_TOTAL, help, errors.clone());
        let help = "Length of time per reconciliation per controller";
        register(
            &mut registry,
            RECONCILE_TIME_SECONDS,
            help,
            durations.clone(),
        );
        let help = "Gauge of if the reporting system is master of the relevant lease, 0 indicates backup, 1 indicates master";
        register(
            &mut registry,
            LEADER_ELECTION_MASTER_STATUS,
            help,
            leader.clone(),
        );
        let help = "Number of currently used workers per controller";
        register(&mut registry, ACTIVE_WORKERS, help, active.clone());
        registry.register_collector(Box::new(crate::process::ProcessCollector));
        Metrics {
            registry,
            reconciles,
            errors,
            durations,
            leader,
            active,
        }
    }
}

impl Metrics {
    /// Counts one reconciliation of `controller` that took `duration`.
    pub fn reconciled(&self, controller: &'static str, outcome: Outcome, duration: Duration) {
        let labels = ResultLabels {
            controller,
            result: outcome,
        };
        self.reconciles.get_or_create(&labels).inc();
        let labels = ControllerLabels { controller };
        self.durations
            .get_or_create(&labels)
            .observe(duration.as_secs_f64());
    }

    /// Counts a reconciliation of `controller` as running until the returned guard is dropped.
    pub fn worker_started(&self, controller: &'static str) -> ActiveWorker {
        let gauge = self
            .active
            .get_or_create(&ControllerLabels { controller })
            .clone();
        gauge.inc();
        ActiveWorker(gauge)
    }

    /// Counts a failed reconciliation of `controller`.
    pub fn reconcile_failed(&self, controller: &'static str) {
        self.errors
            .get_or_create(&ControllerLabels { controller })
            .inc();
    }

    /// Sets whether this replica leads `lease`.
    pub fn set_leader(&self, lease: &str, leader: bool) {
        let labels = LeaseLabels {
            name: lease.to_owned(),
        };
        self.leader.get_or_create(&labels).set(i64::from(leader));
    }

    /// Reconciliations of `controller` so far, of every outcome.
    pub fn reconciles(&self, controller: &'static str) -> u64 {
        [Outcome::success, Outcome::error, Outcome::requeue_after]
            .into_iter()
            .map(|result| {
                let labels = ResultLabels { controller, result };
                self.reconciles.get_or_create(&labels).get()
            })
            .sum()
    }

    /// Failed reconciliations of `controller` so far.
    pub fn errors(&self, controller: &'static str) -> u64 {
        self.errors
            .get_or_create(&ControllerLabels { controller })
            .get()
    }

    /// The registry, for metrics of your own: register them before the manager starts.
    pub fn registry_mut(&mut self) -> &mut Registry {
        &mut self.registry
    }

    /// Every metric in the OpenMetrics text format.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        // Writing to a String does not fail.
        let _ = prometheus_client::encoding::text::encode(&mut out, &self.registry);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exports_controller_runtimes_names() {
        let metrics = Metrics::default();
        let ms = Duration::from_millis(3);
        metrics.reconciled("test", Outcome::success, ms);
        metrics.reconciled("test", Outcome::error, ms);
        metrics.reconcile_failed("test");
        metrics.set_leader("demo.my.domain", true);
        let worker = metrics.worker_started("test");
        let running = metrics.encode();
        drop(worker);
        assert!(
            running
                .lines()
                .any(|l| l == "controller_runtime_active_workers{controller=\"test\"} 1"),
            "{running}"
        );
        assert_eq!(metrics.reconciles("test"), 2);
        assert_eq!(metrics.errors("test"), 1);
        let text = metrics.encode();
        for line in [
            "controller_runtime_reconcile_total{controller=\"test\",result=\"success\"} 1",
            "controller_runtime_reconcile_total{controller=\"test\",result=\"error\"} 1",
            "controller_runtime_reconcile_errors_total{controller=\"test\"} 1",
            "controller_runtime_reconcile_time_seconds_count{controller=\"test\"} 2",
            "leader_election_master_status{name=\"demo.my.domain\"} 1",
            "controller_runtime_active_workers{controller=\"test\"} 0",
        ] {
            assert!(text.lines().any(|l| l == line), "{line} not in\n{text}");
        }
        assert!(text.ends_with("# EOF\n"));
        if cfg!(target_os = "linux") {
            for name in [
                crate::process::CPU_SECONDS_TOTAL,
                crate::process::RESIDENT_MEMORY_BYTES,
                crate::process::VIRTUAL_MEMORY_BYTES,
                crate::process::OPEN_FDS,
            ] {
                let sample = text.lines().find(|l| l.starts_with(&format!("{name} ")));
                let value: f64 = sample
                    .and_then(|l| l.split(' ').nth(1)?.parse().ok())
                    .unwrap();
                assert!(
                    value > 0.0 || name == crate::process::CPU_SECONDS_TOTAL,
                    "{name}: {text}"
                );
            }
        }
    }
}
