//! Per-object exponential backoff of failed reconciliations.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use kube::Resource;
use kube::runtime::reflector::ObjectRef;

/// Exponential backoff per object: 1 s after the first failure, doubling up to 5 minutes
/// (controller-runtime's rate limiter starts at 5 ms; a second keeps a failing API server
/// from being hammered), reset by the object's next successful reconciliation.
#[derive(Debug, Default)]
pub struct Backoff {
    failures: Mutex<HashMap<String, u32>>,
}

impl Backoff {
    pub const INITIAL: Duration = Duration::from_secs(1);
    pub const MAX: Duration = Duration::from_secs(300);

    /// The key of `obj` reconciled by `controller`.
    pub fn key<K: Resource<DynamicType = ()>>(controller: &str, obj: &K) -> String {
        format!("{controller}/{}", ObjectRef::from_obj(obj))
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doubles_per_object_up_to_the_maximum() {
        let backoff = Backoff::default();
        let delays: Vec<u64> = (0..12).map(|_| backoff.next("a").as_secs()).collect();
        assert_eq!(delays, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300, 300]);
        assert_eq!(backoff.next("b"), Backoff::INITIAL);
        backoff.reset("a");
        assert_eq!(backoff.next("a"), Backoff::INITIAL);
    }
}
