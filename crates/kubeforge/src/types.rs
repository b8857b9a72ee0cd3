//! API types operators share, with the schemas controller-gen gives their Go counterparts.

use k8s_openapi::apimachinery::pkg::apis::meta::v1 as metav1;
use serde::{Deserialize, Serialize};

use crate::CrdSchema;

// The same wire format as `metav1.Condition` (and k8s-openapi's `Condition`, convertible both
// ways), but with the validation controller-gen writes for it, which k8s-openapi's schema lacks.
/// Condition contains details for one aspect of the current state of this API Resource.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct Condition {
    /// type of condition in CamelCase or in foo.example.com/CamelCase.
    #[crd(
        max_length = 316,
        pattern = r"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$"
    )]
    pub r#type: String,
    /// status of the condition, one of True, False, Unknown.
    #[crd(enum_values = ["True", "False", "Unknown"])]
    pub status: String,
    /// observedGeneration represents the .metadata.generation that the condition was set based upon.
    /// For instance, if .metadata.generation is currently 12, but the .status.conditions[x].observedGeneration is 9, the condition is out of date
    /// with respect to the current state of the instance.
    #[crd(minimum = 0)]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub observed_generation: Option<i64>,
    /// lastTransitionTime is the last time the condition transitioned from one status to another.
    /// This should be when the underlying condition changed.  If that is not known, then using the time when the API field changed is acceptable.
    pub last_transition_time: metav1::Time,
    /// reason contains a programmatic identifier indicating the reason for the condition's last transition.
    /// Producers of specific condition types may define expected values and meanings for this field,
    /// and whether the values are considered a guaranteed API.
    /// The value should be a CamelCase string.
    /// This field may not be empty.
    #[crd(
        min_length = 1,
        max_length = 1024,
        pattern = "^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$"
    )]
    pub reason: String,
    /// message is a human readable message indicating details about the transition.
    /// This may be an empty string.
    #[crd(max_length = 32768)]
    pub message: String,
}

impl From<metav1::Condition> for Condition {
    fn from(c: metav1::Condition) -> Self {
        Condition {
            r#type: c.type_,
            status: c.status,
            observed_generation: c.observed_generation,
            last_transition_time: c.last_transition_time,
            reason: c.reason,
            message: c.message,
        }
    }
}

impl From<Condition> for metav1::Condition {
    fn from(c: Condition) -> Self {
        metav1::Condition {
            type_: c.r#type,
            status: c.status,
            observed_generation: c.observed_generation,
            last_transition_time: c.last_transition_time,
            reason: c.reason,
            message: c.message,
        }
    }
}
