//! Prometheus metrics of the manager, named like controller-runtime's so that kubebuilder's
//! dashboards and alerts work unchanged: reconcile counts, errors and durations per controller.

use std::time::Instant;

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::{Registry, Unit};

/// The `controller` label of every reconcile metric.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ControllerLabels {
    pub controller: &'static str,
}

/// The manager's metrics registry and the reconcile metrics of every controller.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    reconciles: Family<ControllerLabels, Counter>,
    errors: Family<ControllerLabels, Counter>,
    durations: Family<ControllerLabels, Histogram>,
}

impl Default for Metrics {
    fn default() -> Self {
        let reconciles = Family::<ControllerLabels, Counter>::default();
        let errors = Family::<ControllerLabels, Counter>::default();
        let durations = Family::<ControllerLabels, Histogram>::new_with_constructor(|| {
            // 5 ms to about 82 s.
            Histogram::new(exponential_buckets(0.005, 2.0, 15))
        });
        let mut registry = Registry::default();
        registry.register(
            "controller_runtime_reconcile",
            "Total number of reconciliations per controller",
            reconciles.clone(),
        );
        registry.register(
            "controller_runtime_reconcile_errors",
            "Total number of reconciliation errors per controller",
            errors.clone(),
        );
        registry.register_with_unit(
            "controller_runtime_reconcile_time",
            "Length of time per reconciliation per controller",
            Unit::Seconds,
            durations.clone(),
        );
        Metrics {
            registry,
            reconciles,
            errors,
            durations,
        }
    }
}

impl Metrics {
    /// Counts a reconciliation of `controller` and measures it until the guard is dropped.
    pub fn reconcile_started(&self, controller: &'static str) -> ReconcileTimer {
        let labels = ControllerLabels { controller };
        self.reconciles.get_or_create(&labels).inc();
        ReconcileTimer {
            histogram: self.durations.get_or_create_owned(&labels),
            start: Instant::now(),
        }
    }

    /// Counts a failed reconciliation of `controller`.
    pub fn reconcile_failed(&self, controller: &'static str) {
        self.errors
            .get_or_create(&ControllerLabels { controller })
            .inc();
    }

    /// Reconciliations of `controller` so far.
    pub fn reconciles(&self, controller: &'static str) -> u64 {
        self.reconciles
            .get_or_create(&ControllerLabels { controller })
            .get()
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

/// Records the duration of one reconciliation when dropped.
#[must_use = "the reconciliation is measured until the timer is dropped"]
pub struct ReconcileTimer {
    histogram: Histogram,
    start: Instant,
}

impl Drop for ReconcileTimer {
    fn drop(&mut self) {
        self.histogram.observe(self.start.elapsed().as_secs_f64());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_measures_reconciliations() {
        let metrics = Metrics::default();
        drop(metrics.reconcile_started("test"));
        drop(metrics.reconcile_started("test"));
        metrics.reconcile_failed("test");
        assert_eq!(metrics.reconciles("test"), 2);
        assert_eq!(metrics.errors("test"), 1);
        let text = metrics.encode();
        assert!(text.contains("controller_runtime_reconcile_total{controller=\"test\"} 2"));
        assert!(text.contains("controller_runtime_reconcile_errors_total{controller=\"test\"} 1"));
        assert!(
            text.contains("controller_runtime_reconcile_time_seconds_count{controller=\"test\"} 2")
        );
        assert!(text.ends_with("# EOF\n"));
    }
}
