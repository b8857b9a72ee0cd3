//! The external resource behind a VirtualMachine: a virtual machine on a hypervisor.
//!
//! The controller talks to the hypervisor only through the [`Hypervisor`] trait, which it finds
//! in the project's [`State`](super::State) (`ctx.hypervisor`). The manager uses
//! [`InMemoryHypervisor`] (a simulation that boots a machine after a delay) by default, and so
//! do the unit tests. A real driver (libvirt, a cloud API, ...) plugs in by implementing
//! [`Hypervisor`] and returning it from `State::default()` in `src/controller/mod.rs` (which
//! `src/main.rs` gives the manager).

use std::collections::HashMap;
use std::future::Future;
use std::pin::Pin;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
use kube::ResourceExt;

use vm_operator_api::v1alpha1::VirtualMachine;

/// A boxed future, so that `Hypervisor` can be used as `dyn Hypervisor`.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a hypervisor reports about a virtual machine.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MachineState {
    /// Created, not running yet: ask again later.
    Provisioning,
    /// Running.
    Running,
}

/// A failed hypervisor call. The controller returns it as
/// [`kubeforge_runtime::Error::Other`], so that the reconciliation is retried with backoff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HypervisorError(pub String);

impl std::fmt::Display for HypervisorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "hypervisor: {}", self.0)
    }
}

impl std::error::Error for HypervisorError {}

impl From<HypervisorError> for kubeforge_runtime::Error {
    fn from(error: HypervisorError) -> Self {
        kubeforge_runtime::Error::other(error)
    }
}

/// The hypervisor the controller provisions virtual machines on.
///
/// A machine is known by its key, `<namespace>/<name>` of its VirtualMachine ([`machine_key`]).
/// Both calls must be idempotent: the controller calls them again after any failure.
pub trait Hypervisor: Send + Sync {
    /// Creates the machine of `vm` when it does not exist (and updates its size when it
    /// does); returns its state.
    fn ensure<'a>(
        &'a self,
        vm: &'a VirtualMachine,
    ) -> BoxFuture<'a, Result<MachineState, HypervisorError>>;

    /// Releases the machine `key`: stops and deletes it. Releasing a machine that does not
    /// exist succeeds.
    fn release<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), HypervisorError>>;
}

/// The key of the machine of `vm` on the hypervisor: `<namespace>/<name>`.
pub fn machine_key(vm: &VirtualMachine) -> String {
    format!("{}/{}", vm.namespace().unwrap_or_default(), vm.name_any())
}

/// A machine of [`InMemoryHypervisor`].
#[derive(Clone, Debug, PartialEq)]
pub struct Machine {
    pub cpu: Quantity,
    pub memory: Quantity,
    created: Instant,
}

/// A simulated hypervisor in memory: a machine is Provisioning for `boot_time` after its
/// creation, then Running. Used by the manager until a real driver is plugged in, and by tests.
#[derive(Debug)]
pub struct InMemoryHypervisor {
    boot_time: Duration,
    fail_release: bool,
    machines: Mutex<HashMap<String, Machine>>,
    releases: Mutex<Vec<String>>,
}

impl Default for InMemoryHypervisor {
    fn default() -> Self {
        Self::new(Self::DEFAULT_BOOT_TIME)
    }
}

impl InMemoryHypervisor {
    /// How long a machine takes to boot by default.
    pub const DEFAULT_BOOT_TIME: Duration = Duration::from_secs(3);

    /// A hypervisor whose machines take `boot_time` to boot.
    pub fn new(boot_time: Duration) -> Self {
        InMemoryHypervisor {
            boot_time,
            fail_release: false,
            machines: Mutex::default(),
            releases: Mutex::default(),
        }
    }

    /// A hypervisor on which every release fails (to test retries).
    pub fn failing_release(mut self) -> Self {
        self.fail_release = true;
        self
    }

    /// The machine `key`, if it exists.
    pub fn machine(&self, key: &str) -> Option<Machine> {
        lock(&self.machines).get(key).cloned()
    }

    /// The keys passed to `release`, in order (also the failed calls).
    pub fn releases(&self) -> Vec<String> {
        lock(&self.releases).clone()
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(|e| e.into_inner())
}

impl Hypervisor for InMemoryHypervisor {
    fn ensure<'a>(
        &'a self,
        vm: &'a VirtualMachine,
    ) -> BoxFuture<'a, Result<MachineState, HypervisorError>> {
        Box::pin(async move {
            let mut machines = lock(&self.machines);
            let machine = machines.entry(machine_key(vm)).or_insert_with(|| Machine {
                cpu: vm.spec.cpu.clone(),
                memory: vm.spec.memory.clone(),
                created: Instant::now(),
            });
            machine.cpu = vm.spec.cpu.clone();
            machine.memory = vm.spec.memory.clone();
            if machine.created.elapsed() >= self.boot_time {
                Ok(MachineState::Running)
            } else {
                Ok(MachineState::Provisioning)
            }
        })
    }

    fn release<'a>(&'a self, key: &'a str) -> BoxFuture<'a, Result<(), HypervisorError>> {
        Box::pin(async move {
            lock(&self.releases).push(key.to_owned());
            if self.fail_release {
                return Err(HypervisorError(format!("cannot release {key}")));
            }
            lock(&self.machines).remove(key);
            Ok(())
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use vm_operator_api::v1alpha1::VirtualMachineSpec;

    fn vm() -> VirtualMachine {
        let spec = VirtualMachineSpec {
            cpu: Quantity("2".into()),
            memory: Quantity("4Gi".into()),
        };
        let mut vm = VirtualMachine::new("vm", spec);
        vm.metadata.namespace = Some("ns".into());
        vm
    }

    #[tokio::test]
    async fn a_machine_provisions_then_runs_and_is_released() {
        let hypervisor = InMemoryHypervisor::new(Duration::from_millis(50));
        let vm = vm();
        assert_eq!(hypervisor.ensure(&vm).await, Ok(MachineState::Provisioning));
        let machine = hypervisor.machine("ns/vm").expect("created");
        assert_eq!(
            (machine.cpu.0.as_str(), machine.memory.0.as_str()),
            ("2", "4Gi")
        );
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(hypervisor.ensure(&vm).await, Ok(MachineState::Running));
        assert_eq!(hypervisor.release("ns/vm").await, Ok(()));
        assert_eq!(hypervisor.machine("ns/vm"), None);
        // Idempotent.
        assert_eq!(hypervisor.release("ns/vm").await, Ok(()));
        assert_eq!(hypervisor.releases(), ["ns/vm", "ns/vm"]);
    }

    #[tokio::test]
    async fn a_failing_release_keeps_the_machine() {
        let hypervisor = InMemoryHypervisor::new(Duration::ZERO).failing_release();
        assert_eq!(hypervisor.ensure(&vm()).await, Ok(MachineState::Running));
        assert!(hypervisor.release("ns/vm").await.is_err());
        assert!(hypervisor.machine("ns/vm").is_some());
    }
}
