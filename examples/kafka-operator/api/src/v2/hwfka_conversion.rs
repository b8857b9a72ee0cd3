//! Conversion of `Hwfka` between v2 (this spoke) and
//! v1 (the hub, the storage version). The conversion webhook converts every other
//! version through the hub.

// EDIT THIS FILE!  THIS IS SCAFFOLDING FOR YOU TO OWN!
// TODO(user): convert the fields that differ between the versions; return `Err` for an object
// the other version cannot represent.

use super::{Hwfka, HwfkaSpec, HwfkaStatus};
use crate::v1 as hub;

impl TryFrom<hub::Hwfka> for Hwfka {
    /// Why an object cannot be converted (e.g. a value the other version cannot hold).
    type Error = String;

    fn try_from(from: hub::Hwfka) -> Result<Self, Self::Error> {
        Ok(Hwfka {
            metadata: from.metadata,
            spec: HwfkaSpec { foo: from.spec.foo },
            status: from.status.map(|status| HwfkaStatus {
                conditions: status.conditions,
            }),
        })
    }
}

impl TryFrom<Hwfka> for hub::Hwfka {
    /// Why an object cannot be converted (e.g. a value the other version cannot hold).
    type Error = String;

    fn try_from(from: Hwfka) -> Result<Self, Self::Error> {
        Ok(hub::Hwfka {
            metadata: from.metadata,
            spec: hub::HwfkaSpec { foo: from.spec.foo },
            status: from.status.map(|status| hub::HwfkaStatus {
                conditions: status.conditions,
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_hub() {
        let spoke = Hwfka::new(
            "sample",
            HwfkaSpec {
                foo: Some("bar".to_owned()),
            },
        );
        let hub = hub::Hwfka::try_from(spoke.clone()).unwrap();
        assert_eq!(hub.spec.foo.as_deref(), Some("bar"));
        let back = Hwfka::try_from(hub).unwrap();
        assert_eq!(back.spec, spoke.spec);
        assert_eq!(back.metadata, spoke.metadata);
    }
}
