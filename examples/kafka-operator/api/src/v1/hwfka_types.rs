//! `Hwfka` (kafka.example.com/v1, the storage version and the conversion hub): a Kafka cluster
//! backed by a ZooKeeper ensemble.

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use kubeforge::prelude::*;
use kubeforge::types::Condition;

// NOTE: run `cargo xtask generate manifests` to regenerate the CRD after editing this file.

/// The Kafka image used when `image` is not set.
pub const DEFAULT_IMAGE: &str = "confluentinc/cp-kafka:7.6.1";
/// The ZooKeeper image used when `zookeeperImage` is not set.
pub const DEFAULT_ZOOKEEPER_IMAGE: &str = "confluentinc/cp-zookeeper:7.6.1";
/// The number of brokers, and of ZooKeeper servers, when not set.
pub const DEFAULT_REPLICAS: i32 = 3;
/// The size of each broker's volume when not set.
pub const DEFAULT_STORAGE_SIZE: &str = "1Gi";

/// HwfkaSpec defines the desired state of Hwfka: a Kafka cluster and its ZooKeeper ensemble.
// Two integer printer columns repeat `type = "integer"` inside `#[crd(...)]`, which
// clippy::duplicated_attributes mistakes for a repeated attribute.
#[allow(clippy::duplicated_attributes)]
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[kube(
    group = "kafka.example.com",
    version = "v1",
    kind = "Hwfka",
    plural = "hwfkas",
    namespaced,
    status = "HwfkaStatus",
    derive = "PartialEq",
    doc = "Hwfka is the Schema for the hwfkas API"
)]
#[crd(
    storage_version,
    spec_description = "spec defines the desired state of Hwfka",
    status_description = "status defines the observed state of Hwfka",
    printcolumn(name = "Phase", type = "string", json_path = ".status.phase"),
    printcolumn(name = "Brokers", type = "integer", json_path = ".spec.replicas"),
    printcolumn(name = "Ready", type = "integer", json_path = ".status.readyBrokers"),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
#[serde(rename_all = "camelCase")]
pub struct HwfkaSpec {
    /// replicas is the number of Kafka brokers.
    #[crd(minimum = 1, default = 3)]
    #[serde(default = "default_replicas")]
    pub replicas: i32,
    /// zookeeperReplicas is the number of ZooKeeper servers (an odd number keeps a quorum).
    #[crd(minimum = 1, default = 3)]
    #[serde(default = "default_replicas")]
    pub zookeeper_replicas: i32,
    /// image is the Kafka broker image.
    #[crd(min_length = 1, default = "confluentinc/cp-kafka:7.6.1")]
    #[serde(default = "default_image")]
    pub image: String,
    /// zookeeperImage is the ZooKeeper image.
    #[crd(min_length = 1, default = "confluentinc/cp-zookeeper:7.6.1")]
    #[serde(default = "default_zookeeper_image")]
    pub zookeeper_image: String,
    /// storageClass is the StorageClass of the PersistentVolumeClaims of the brokers and of
    /// ZooKeeper; the cluster's default StorageClass when not set. Immutable: the
    /// volumeClaimTemplates of a StatefulSet cannot change.
    #[crd(validation(rule = "self == oldSelf", message = "storageClass is immutable"))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub storage_class: Option<String>,
    /// storageSize is the size of each PersistentVolumeClaim. Immutable, as storageClass.
    #[crd(
        default = "1Gi",
        validation(rule = "self == oldSelf", message = "storageSize is immutable")
    )]
    #[serde(default = "default_storage_size")]
    pub storage_size: Quantity,
}

impl Default for HwfkaSpec {
    fn default() -> Self {
        HwfkaSpec {
            replicas: DEFAULT_REPLICAS,
            zookeeper_replicas: DEFAULT_REPLICAS,
            image: default_image(),
            zookeeper_image: default_zookeeper_image(),
            storage_class: None,
            storage_size: default_storage_size(),
        }
    }
}

fn default_replicas() -> i32 {
    DEFAULT_REPLICAS
}

fn default_image() -> String {
    DEFAULT_IMAGE.to_owned()
}

fn default_zookeeper_image() -> String {
    DEFAULT_ZOOKEEPER_IMAGE.to_owned()
}

fn default_storage_size() -> Quantity {
    Quantity(DEFAULT_STORAGE_SIZE.to_owned())
}

/// HwfkaPhase is where a Hwfka is in its life.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum HwfkaPhase {
    /// Nothing was created yet.
    #[default]
    Pending,
    /// The StatefulSets exist; not every ZooKeeper server or broker is ready yet.
    Creating,
    /// Every ZooKeeper server and every broker is ready.
    Running,
    /// The objects of the cluster could not be created or updated.
    Failed,
}

/// HwfkaStatus defines the observed state of Hwfka.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct HwfkaStatus {
    /// phase is where the cluster is in its life: Pending, Creating, Running or Failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<HwfkaPhase>,
    /// brokers are the bootstrap endpoints of the brokers (`host:port`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub brokers: Vec<String>,
    /// readyBrokers is the number of ready brokers.
    #[serde(default)]
    pub ready_brokers: i32,
    /// conditions represent the current state of the Hwfka resource.
    /// Each condition has a unique type and reflects the status of a specific aspect of the resource.
    ///
    /// Standard condition types include:
    /// - "Available": the resource is fully functional
    /// - "Progressing": the resource is being created or updated
    /// - "Degraded": the resource failed to reach or maintain its desired state
    ///
    /// The status of each condition is one of True, False, or Unknown.
    #[crd(list_type = "map", list_map_keys = ["type"])]
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub conditions: Vec<Condition>,
}
