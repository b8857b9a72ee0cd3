//! `VirtualMachine` (infra.example.com/v1alpha1): a virtual machine that the operator
//! provisions on a hypervisor, with its CPU and memory.

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use kubeforge::prelude::*;
use kubeforge::types::Condition;

// NOTE: run `cargo xtask generate manifests` to regenerate the CRD after editing this file.

/// VirtualMachineSpec defines the desired state of VirtualMachine: its size.
#[derive(CustomResource, CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[kube(
    group = "infra.example.com",
    version = "v1alpha1",
    kind = "VirtualMachine",
    plural = "virtualmachines",
    shortname = "vm",
    namespaced,
    status = "VirtualMachineStatus",
    doc = "VirtualMachine is the Schema for the virtualmachines API"
)]
#[crd(
    storage_version,
    spec_description = "spec defines the desired state of VirtualMachine",
    status_description = "status defines the observed state of VirtualMachine",
    printcolumn(name = "CPU", type = "string", json_path = ".spec.cpu"),
    printcolumn(name = "Memory", type = "string", json_path = ".spec.memory"),
    printcolumn(name = "Phase", type = "string", json_path = ".status.phase"),
    printcolumn(name = "Age", type = "date", json_path = ".metadata.creationTimestamp")
)]
// The printer columns repeat `type = "string"`, which clippy takes for duplicated attributes.
#[allow(clippy::duplicated_attributes)]
#[serde(rename_all = "camelCase")]
pub struct VirtualMachineSpec {
    /// cpu is the number of virtual CPUs, as a Kubernetes quantity: whole CPUs ("2") or
    /// millicores ("500m").
    #[crd(
        required,
        pattern = r"^([1-9][0-9]*|[0-9]+\.[0-9]+|[1-9][0-9]*m)$",
        validation(
            rule = "type(self) == string || self > 0",
            message = "cpu must be positive"
        )
    )]
    pub cpu: Quantity,
    /// memory is the memory of the virtual machine, as a Kubernetes quantity in bytes with a
    /// decimal or binary suffix, e.g. "512Mi" or "4Gi".
    #[crd(
        required,
        pattern = r"^[1-9][0-9]*(\.[0-9]+)?(k|M|G|T|P|E|Ki|Mi|Gi|Ti|Pi|Ei)?$",
        validation(
            rule = "type(self) == string || self > 0",
            message = "memory must be positive"
        )
    )]
    pub memory: Quantity,
}

/// VirtualMachinePhase is where a VirtualMachine is in its lifecycle.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum VirtualMachinePhase {
    /// The hypervisor is provisioning the virtual machine.
    Creating,
    /// The virtual machine runs.
    Running,
    /// The virtual machine is being released from the hypervisor before the object goes.
    Deleting,
}

/// VirtualMachineStatus defines the observed state of VirtualMachine.
#[derive(CrdSchema, Serialize, Deserialize, Clone, Debug, Default, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct VirtualMachineStatus {
    /// phase is where the virtual machine is in its lifecycle: Creating, Running or Deleting.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phase: Option<VirtualMachinePhase>,
    /// conditions represent the current state of the VirtualMachine resource.
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
