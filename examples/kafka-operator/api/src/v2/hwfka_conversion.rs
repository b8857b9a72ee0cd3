//! Conversion of `Hwfka` between v2 (this spoke) and v1 (the hub, the storage version). The
//! conversion webhook converts every other version through the hub.
//!
//! v2 groups v1's flat spec by component:
//!
//! | v1                  | v2                     |
//! |---------------------|------------------------|
//! | `replicas`          | `kafka.replicas`       |
//! | `image`             | `kafka.image`          |
//! | `storageClass`      | `kafka.storage.class`  |
//! | `storageSize`       | `kafka.storage.size`   |
//! | `zookeeperReplicas` | `zookeeper.replicas`   |
//! | `zookeeperImage`    | `zookeeper.image`      |
//!
//! Both versions hold the same information, and their statuses are the same, so the
//! conversion never fails and loses nothing.

use super::Hwfka;
use super::{HwfkaPhase, HwfkaSpec, HwfkaStatus, KafkaSpec, StorageSpec, ZookeeperSpec};
use crate::v1 as hub;

impl TryFrom<hub::Hwfka> for Hwfka {
    /// Why an object cannot be converted (never: both versions hold the same information).
    type Error = String;

    fn try_from(from: hub::Hwfka) -> Result<Self, Self::Error> {
        Ok(Hwfka {
            metadata: from.metadata,
            spec: from.spec.into(),
            status: from.status.map(Into::into),
        })
    }
}

impl TryFrom<Hwfka> for hub::Hwfka {
    /// Why an object cannot be converted (never: both versions hold the same information).
    type Error = String;

    fn try_from(from: Hwfka) -> Result<Self, Self::Error> {
        Ok(hub::Hwfka {
            metadata: from.metadata,
            spec: from.spec.into(),
            status: from.status.map(Into::into),
        })
    }
}

impl From<hub::HwfkaSpec> for HwfkaSpec {
    fn from(spec: hub::HwfkaSpec) -> Self {
        HwfkaSpec {
            kafka: KafkaSpec {
                replicas: spec.replicas,
                image: spec.image,
                storage: StorageSpec {
                    class: spec.storage_class,
                    size: spec.storage_size,
                },
            },
            zookeeper: ZookeeperSpec {
                replicas: spec.zookeeper_replicas,
                image: spec.zookeeper_image,
            },
        }
    }
}

impl From<HwfkaSpec> for hub::HwfkaSpec {
    fn from(spec: HwfkaSpec) -> Self {
        hub::HwfkaSpec {
            replicas: spec.kafka.replicas,
            zookeeper_replicas: spec.zookeeper.replicas,
            image: spec.kafka.image,
            zookeeper_image: spec.zookeeper.image,
            storage_class: spec.kafka.storage.class,
            storage_size: spec.kafka.storage.size,
        }
    }
}

impl From<hub::HwfkaPhase> for HwfkaPhase {
    fn from(phase: hub::HwfkaPhase) -> Self {
        match phase {
            hub::HwfkaPhase::Pending => HwfkaPhase::Pending,
            hub::HwfkaPhase::Creating => HwfkaPhase::Creating,
            hub::HwfkaPhase::Running => HwfkaPhase::Running,
            hub::HwfkaPhase::Failed => HwfkaPhase::Failed,
        }
    }
}

impl From<HwfkaPhase> for hub::HwfkaPhase {
    fn from(phase: HwfkaPhase) -> Self {
        match phase {
            HwfkaPhase::Pending => hub::HwfkaPhase::Pending,
            HwfkaPhase::Creating => hub::HwfkaPhase::Creating,
            HwfkaPhase::Running => hub::HwfkaPhase::Running,
            HwfkaPhase::Failed => hub::HwfkaPhase::Failed,
        }
    }
}

impl From<hub::HwfkaStatus> for HwfkaStatus {
    fn from(status: hub::HwfkaStatus) -> Self {
        HwfkaStatus {
            phase: status.phase.map(Into::into),
            brokers: status.brokers,
            ready_brokers: status.ready_brokers,
            conditions: status.conditions,
        }
    }
}

impl From<HwfkaStatus> for hub::HwfkaStatus {
    fn from(status: HwfkaStatus) -> Self {
        hub::HwfkaStatus {
            phase: status.phase.map(Into::into),
            brokers: status.brokers,
            ready_brokers: status.ready_brokers,
            conditions: status.conditions,
        }
    }
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use k8s_openapi::jiff::Timestamp;
    use kubeforge::types::Condition;
    use serde_json::json;

    use super::*;

    fn spoke() -> Hwfka {
        let mut obj = Hwfka::new(
            "sample",
            HwfkaSpec {
                kafka: KafkaSpec {
                    replicas: 5,
                    image: "kafka:test".to_owned(),
                    storage: StorageSpec {
                        class: Some("fast".to_owned()),
                        size: Quantity("10Gi".to_owned()),
                    },
                },
                zookeeper: ZookeeperSpec {
                    replicas: 1,
                    image: "zookeeper:test".to_owned(),
                },
            },
        );
        obj.metadata.namespace = Some("default".to_owned());
        obj.status = Some(HwfkaStatus {
            phase: Some(HwfkaPhase::Running),
            brokers: vec!["sample-kafka-0.sample-kafka-headless.default.svc:9092".to_owned()],
            ready_brokers: 5,
            conditions: vec![Condition {
                r#type: "Available".to_owned(),
                status: "True".to_owned(),
                observed_generation: Some(2),
                last_transition_time: Time(Timestamp::UNIX_EPOCH),
                reason: "Running".to_owned(),
                message: "ready".to_owned(),
            }],
        });
        obj
    }

    #[test]
    fn converts_the_spec_to_the_hub() {
        let hub = hub::Hwfka::try_from(spoke()).unwrap();
        let expected = hub::HwfkaSpec {
            replicas: 5,
            zookeeper_replicas: 1,
            image: "kafka:test".to_owned(),
            zookeeper_image: "zookeeper:test".to_owned(),
            storage_class: Some("fast".to_owned()),
            storage_size: Quantity("10Gi".to_owned()),
        };
        assert_eq!(hub.spec, expected);
        let status = hub.status.unwrap();
        assert_eq!(status.phase, Some(hub::HwfkaPhase::Running));
        assert_eq!(status.ready_brokers, 5);
        assert_eq!(status.brokers.len(), 1);
        assert_eq!(status.conditions.len(), 1);
    }

    #[test]
    fn round_trips_v2_through_the_hub() {
        let spoke = spoke();
        let hub = hub::Hwfka::try_from(spoke.clone()).unwrap();
        let back = Hwfka::try_from(hub).unwrap();
        assert_eq!(back, spoke);
    }

    #[test]
    fn round_trips_v1_through_the_spoke() {
        let mut hub = hub::Hwfka::new(
            "sample",
            hub::HwfkaSpec {
                replicas: 1,
                zookeeper_replicas: 5,
                storage_class: None,
                ..Default::default()
            },
        );
        hub.status = Some(hub::HwfkaStatus {
            phase: Some(hub::HwfkaPhase::Creating),
            ..Default::default()
        });
        let spoke = Hwfka::try_from(hub.clone()).unwrap();
        assert_eq!(spoke.spec.kafka.replicas, 1);
        assert_eq!(spoke.spec.zookeeper.replicas, 5);
        assert_eq!(spoke.spec.kafka.storage.class, None);
        assert_eq!(
            spoke.status.as_ref().unwrap().phase,
            Some(HwfkaPhase::Creating)
        );
        let back = hub::Hwfka::try_from(spoke).unwrap();
        assert_eq!(back, hub);
    }

    #[test]
    fn every_phase_round_trips() {
        for phase in [
            hub::HwfkaPhase::Pending,
            hub::HwfkaPhase::Creating,
            hub::HwfkaPhase::Running,
            hub::HwfkaPhase::Failed,
        ] {
            assert_eq!(hub::HwfkaPhase::from(HwfkaPhase::from(phase)), phase);
        }
    }

    #[test]
    fn an_empty_v2_spec_gets_the_v1_defaults() {
        let spec: HwfkaSpec = serde_json::from_value(json!({})).unwrap();
        let hub: hub::HwfkaSpec = spec.into();
        assert_eq!(hub, hub::HwfkaSpec::default());
        let v1: hub::HwfkaSpec = serde_json::from_value(json!({})).unwrap();
        assert_eq!(v1, hub);
        assert_eq!(v1.replicas, 3);
        assert_eq!(v1.storage_size, Quantity("1Gi".to_owned()));
    }
}
