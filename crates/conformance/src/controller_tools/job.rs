//! `Job` (testdata.kubebuilder.io/v1beta1), from controller-tools `pkg/crd/testdata/job/types.go`.
//!
//! The spec refers to a type of another Go package (`unserved.CronJobSpec`); here that package
//! is the [`unserved`] module. Upstream puts `+kubebuilder:subresource:status` and
//! `+kubebuilder:resource:singular=job` on `JobSpec`, not on the kind, so controller-gen
//! ignores them; they are left out here.

use kubeforge::prelude::*;

/// The `unserved` package of the upstream test data (only the type `Job` refers to).
pub mod unserved {
    use kubeforge::prelude::*;

    /// CronJobSpec defines the desired state of CronJob
    #[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
    #[serde(rename_all = "camelCase")]
    pub struct CronJobSpec {
        /// This tests that markers that are allowed on both fields and types are applied to fields
        /// +kubebuilder:validation:MinLength=4
        pub two_of_a_kind_part0: String,

        /// +kubebuilder:validation:Minimum=-2
        /// +kubebuilder:validation:Maximum=2
        /// +kubebuilder:validation:MultipleOf=2
        pub int32_with_validations: i32,
    }
}

/// JobSpec is the spec for the jobs API.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default)]
#[kube(
    group = "testdata.kubebuilder.io",
    version = "v1beta1",
    kind = "Job",
    namespaced,
    doc = "Job is the Schema for the jobs API"
)]
#[serde(rename_all = "camelCase")]
pub struct JobSpec {
    /// FriendlyName is the friendly name for the job.
    #[crd(min_length = 5)]
    pub friendly_name: String,

    /// Count is the number of times a job may be executed.
    #[crd(minimum = 0, maximum = 10)]
    pub count: i32,

    /// CronJob is the spec for the related CrongJob.
    #[serde(rename = "crongJob")]
    pub cron_job: unserved::CronJobSpec,
}
