//! The controllers of vm-operator, one module per reconciled kind, and the state they share.

use std::sync::Arc;

use hypervisor::{Hypervisor, InMemoryHypervisor};

// The hypervisor the VirtualMachine controller provisions machines on.
pub mod hypervisor;

// The VirtualMachine controller.
pub mod virtual_machine_controller;
// +kubeforge:scaffold:controller-modules

/// What every reconcile function finds in its context besides the client, recorder, metrics
/// and backoff: put drivers, caches and settings here (`ctx.field` reads them).
pub struct State {
    /// Where virtual machines are provisioned (`ctx.hypervisor`).
    pub hypervisor: Arc<dyn Hypervisor>,
}

/// The state `src/main.rs` gives the manager (`State::default()`): machines on an
/// [`InMemoryHypervisor`]. To provision them somewhere real, implement [`Hypervisor`] for a
/// driver (libvirt, a cloud API, ...) and return it here.
impl Default for State {
    fn default() -> Self {
        State {
            hypervisor: Arc::new(InMemoryHypervisor::default()),
        }
    }
}

impl std::fmt::Debug for State {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("State").finish_non_exhaustive()
    }
}

/// The context of this project's reconcile functions.
pub type Context = kubeforge_runtime::Context<State>;
