//! `Hwfka` (kafka.example.com/v2): the same Kafka cluster as v1 with the spec grouped by
//! component. Served, not stored: the conversion webhook converts it to and from v1
//! (`hwfka_conversion.rs`).

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use kubeforge::prelude::*;
use kubeforge::types::Condition;

use crate::v1::{DEFAULT_IMAGE, DEFAULT_REPLICAS, DEFAULT_STORAGE_SIZE, DEFAULT_ZOOKEEPER_IMAGE};

// NOTE: run `cargo xtask generate manifests` to regenerate the CRD after editing this file.

/// HwfkaSpec defines the desired state of Hwfka: a Kafka cluster and its ZooKeeper ensemble.
// Two integer printer columns repeat `type = "integer"` inside `#[crd(...)]`, which
// clippy::duplicated_attributes mistakes for a repeated attribute.
#[allow(clippy::duplicated_attributes)]
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[kube(
    group = "kafka.example.com",
    version = "v2",
    kind = "Hwfka",
    plural = "hwfkas",
    namespaced,
    status = "HwfkaStatus",
    derive = "PartialEq",
    doc = "Hwfka is the Schema for the hwfkas API"
)]
#[crd(
    spec_description = "spec defines the desired state of Hwfka",
    status_description = "status defines the observed state of Hwfka",
    printcolumn(name = "Phase", type = "string", json_path = ".status.phase"),
    printcolumn(name = "Brokers", type = "integer", json_path = ".spec.kafka.replicas"),
    printcolumn(name = "Ready", type = "integer", json_path = ".status.readyBrokers"),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
#[serde(rename_all = "camelCase")]
pub struct HwfkaSpec {
    /// kafka describes the brokers.
    #[crd(default = json!({}))]
    #[serde(default)]
    pub kafka: KafkaSpec,
    /// zookeeper describes the ZooKeeper ensemble.
    #[crd(default = json!({}))]
    #[serde(default)]
    pub zookeeper: ZookeeperSpec,
}

/// KafkaSpec describes the Kafka brokers.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct KafkaSpec {
    /// replicas is the number of Kafka brokers.
    #[crd(minimum = 1, default = 3)]
    #[serde(default = "default_replicas")]
    pub replicas: i32,
    /// image is the Kafka broker image.
    #[crd(min_length = 1, default = "confluentinc/cp-kafka:7.6.1")]
    #[serde(default = "default_image")]
    pub image: String,
    /// storage describes the PersistentVolumeClaims. Immutable: the volumeClaimTemplates of a
    /// StatefulSet cannot change.
    #[crd(default = json!({}), validation(rule = "self == oldSelf", message = "storage is immutable"))]
    #[serde(default)]
    pub storage: StorageSpec,
}

impl Default for KafkaSpec {
    fn default() -> Self {
        KafkaSpec {
            replicas: DEFAULT_REPLICAS,
            image: default_image(),
            storage: StorageSpec::default(),
        }
    }
}

/// StorageSpec describes the PersistentVolumeClaims of the brokers and of ZooKeeper.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct StorageSpec {
    /// class is the StorageClass of the PersistentVolumeClaims; the cluster's default
    /// StorageClass when not set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// size is the size of each PersistentVolumeClaim.
    #[crd(default = "1Gi")]
    #[serde(default = "default_storage_size")]
    pub size: Quantity,
}

impl Default for StorageSpec {
    fn default() -> Self {
        StorageSpec {
            class: None,
            size: default_storage_size(),
        }
    }
}

/// ZookeeperSpec describes the ZooKeeper ensemble.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct ZookeeperSpec {
    /// replicas is the number of ZooKeeper servers (an odd number keeps a quorum).
    #[crd(minimum = 1, default = 3)]
    #[serde(default = "default_replicas")]
    pub replicas: i32,
    /// image is the ZooKeeper image.
    #[crd(min_length = 1, default = "confluentinc/cp-zookeeper:7.6.1")]
    #[serde(default = "default_zookeeper_image")]
    pub image: String,
}

impl Default for ZookeeperSpec {
    fn default() -> Self {
        ZookeeperSpec {
            replicas: DEFAULT_REPLICAS,
            image: default_zookeeper_image(),
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

/// HwfkaStatus defines the observed state of Hwfka (the same as v1's).
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
