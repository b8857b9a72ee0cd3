//! Status conditions (`metav1.Condition`), set the way apimachinery's `meta.SetStatusCondition`
//! sets them, and kubebuilder's Available/Progressing/Degraded trio.

use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
use k8s_openapi::jiff::Timestamp;
use kubeforge::types::Condition;

/// The resource is fully functional.
pub const AVAILABLE: &str = "Available";
/// The resource is being created or changed.
pub const PROGRESSING: &str = "Progressing";
/// The resource failed to reach or keep its desired state.
pub const DEGRADED: &str = "Degraded";

/// A condition with the current time as its lastTransitionTime.
pub fn new(
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

/// Sets `new` in `conditions`, replacing the condition of the same type: lastTransitionTime
/// changes only when the status does. Returns whether anything changed.
pub fn set(conditions: &mut Vec<Condition>, mut new: Condition) -> bool {
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

/// The condition of type `type_`, if any.
pub fn find<'a>(conditions: &'a [Condition], type_: &str) -> Option<&'a Condition> {
    conditions.iter().find(|c| c.r#type == type_)
}

/// Whether `conditions` has a condition of type `type_` with status True.
pub fn is_true(conditions: &[Condition], type_: &str) -> bool {
    find(conditions, type_).is_some_and(|c| c.status == "True")
}

/// Removes the condition of type `type_`; returns whether there was one.
pub fn remove(conditions: &mut Vec<Condition>, type_: &str) -> bool {
    let before = conditions.len();
    conditions.retain(|c| c.r#type != type_);
    conditions.len() != before
}

/// What the Available/Progressing/Degraded trio says of a resource: exactly one is True.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum State {
    Available,
    Progressing,
    Degraded,
}

/// Sets the trio for `state` (its condition True, the other two False), each with `reason`,
/// `message` and `observed_generation`. Returns whether anything changed.
pub fn set_state(
    conditions: &mut Vec<Condition>,
    state: State,
    reason: &str,
    message: &str,
    observed_generation: Option<i64>,
) -> bool {
    let trio = [
        (AVAILABLE, state == State::Available),
        (PROGRESSING, state == State::Progressing),
        (DEGRADED, state == State::Degraded),
    ];
    let mut changed = false;
    for (type_, status) in trio {
        let condition = new(type_, status, reason, message, observed_generation);
        changed |= set(conditions, condition);
    }
    changed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_keeps_the_transition_time_of_an_unchanged_status() {
        let mut conditions = Vec::new();
        assert!(set(
            &mut conditions,
            new(AVAILABLE, false, "Reconciling", "", Some(1))
        ));
        conditions[0].last_transition_time = Time(Timestamp::UNIX_EPOCH);
        let earlier = conditions[0].clone();
        assert!(!set(
            &mut conditions,
            new(AVAILABLE, false, "Reconciling", "", Some(1))
        ));
        assert_eq!(conditions, std::slice::from_ref(&earlier));
        // A new generation is a change, the transition time stays.
        assert!(set(
            &mut conditions,
            new(AVAILABLE, false, "Reconciling", "", Some(2))
        ));
        assert_eq!(
            conditions[0].last_transition_time,
            earlier.last_transition_time
        );
        assert!(set(
            &mut conditions,
            new(AVAILABLE, true, "Reconciled", "", Some(2))
        ));
        assert_ne!(
            conditions[0].last_transition_time,
            earlier.last_transition_time
        );
        assert!(is_true(&conditions, AVAILABLE));
        assert!(!is_true(&conditions, DEGRADED));
        assert!(remove(&mut conditions, AVAILABLE));
        assert!(!remove(&mut conditions, AVAILABLE));
    }

    #[test]
    fn set_state_makes_exactly_one_of_the_trio_true() {
        let mut conditions = Vec::new();
        assert!(set_state(
            &mut conditions,
            State::Progressing,
            "Scaling",
            "1/3",
            Some(1)
        ));
        let summary = |conditions: &[Condition]| {
            conditions
                .iter()
                .map(|c| format!("{}={}", c.r#type, c.status))
                .collect::<Vec<_>>()
        };
        let progressing = ["Available=False", "Progressing=True", "Degraded=False"];
        assert_eq!(summary(&conditions), progressing);
        assert!(!set_state(
            &mut conditions,
            State::Progressing,
            "Scaling",
            "1/3",
            Some(1)
        ));
        assert!(set_state(
            &mut conditions,
            State::Degraded,
            "Failed",
            "boom",
            Some(1)
        ));
        let degraded = ["Available=False", "Progressing=False", "Degraded=True"];
        assert_eq!(summary(&conditions), degraded);
        assert_eq!(find(&conditions, DEGRADED).unwrap().message, "boom");
    }
}
