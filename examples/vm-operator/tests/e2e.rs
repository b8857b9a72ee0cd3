//! The manager against a real API server: each sample in config/samples (a VirtualMachine) is
//! applied and must reach phase Running with the condition Available True (the manager's
//! in-memory hypervisor boots machines without a kubelet, so also on envtest), gets a finalizer,
//! and is deleted (the machine must be released, then the finalizer removed); then the manager
//! must stop on SIGTERM.
//!
//! - `envtest`: etcd and kube-apiserver from `KUBEBUILDER_ASSETS` (setup-envtest's
//!   directory); skipped without them.
//! - `e2e`: the cluster of the current kubeconfig context (kind, minikube, ...); skipped unless
//!   `KUBEFORGE_E2E=1` (`KUBEFORGE_E2E=1 cargo test --test e2e -- --nocapture`). The CRDs stay
//!   installed (`cargo xtask uninstall` removes them).

use std::path::Path;
use std::time::Duration;

use kube::api::{Api, Patch, PatchParams};
use kube::runtime::wait::await_condition;
use kubeforge_runtime::conditions::{self, AVAILABLE};
use kubeforge_runtime::testing::envtest::Environment;
use kubeforge_runtime::testing::{self, Expect, ManagerProcess, samples};
use serde_json::Value;
use vm_operator_api::v1alpha1::{VirtualMachine, VirtualMachinePhase};

const MANAGER: &str = env!("CARGO_BIN_EXE_vm-operator");

/// How long a sample may take to reach phase Running.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Whether `vm` is in phase Running and Available.
fn is_running(vm: Option<&VirtualMachine>) -> bool {
    let status = vm.and_then(|vm| vm.status.as_ref());
    status.is_some_and(|status| {
        status.phase == Some(VirtualMachinePhase::Running)
            && conditions::is_true(&status.conditions, AVAILABLE)
    })
}

/// Applies every VirtualMachine of config/samples and waits until each is Running.
async fn wait_until_running(client: &kube::Client, dir: &Path) -> Result<(), String> {
    // The field manager of `testing::reconcile_all`, which applies the samples again.
    let params = PatchParams::apply("kubeforge-test").force();
    let samples = samples::load(dir).map_err(|e| e.to_string())?;
    for sample in samples.iter().filter(|s| s["kind"] == "VirtualMachine") {
        let name = sample["metadata"]["name"].as_str().unwrap_or_default();
        let namespace = match &sample["metadata"]["namespace"] {
            Value::String(namespace) => namespace.as_str(),
            _ => client.default_namespace(),
        };
        let api: Api<VirtualMachine> = Api::namespaced(client.clone(), namespace);
        api.patch(name, &params, &Patch::Apply(sample))
            .await
            .map_err(|e| format!("applying VirtualMachine/{name}: {e}"))?;
        println!("applied VirtualMachine/{name}");
        let running = await_condition(api, name, is_running);
        tokio::time::timeout(TIMEOUT, running)
            .await
            .map_err(|_| format!("VirtualMachine/{name} was not Running within {TIMEOUT:?}"))?
            .map_err(|e| format!("watching VirtualMachine/{name}: {e}"))?;
        println!("VirtualMachine/{name} is Running");
    }
    Ok(())
}

async fn reconcile_samples(client: &kube::Client, kubeconfig: Option<&Path>) {
    let crds = kubeforge::crds().expect("the CRDs generate");
    let installed = testing::install_crds(client, &crds).await;
    installed.expect("the CRDs install");
    let manager = ManagerProcess::start(MANAGER, kubeconfig, &[]).expect("the manager starts");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/samples");
    let running = wait_until_running(client, &samples).await;
    // Then the generic check: a finalizer and Available, and deletion releases the finalizer.
    let reconciled = match running {
        Ok(()) => testing::reconcile_all(client, &samples, Expect::Available)
            .await
            .map_err(|e| e.to_string()),
        Err(e) => Err(e),
    };
    let stopped = manager.stop().expect("the manager stops on SIGTERM");
    reconciled.expect("every sample is Running, Available and deleted");
    assert!(stopped.success(), "the manager exited with {stopped}");
}

#[tokio::test(flavor = "multi_thread")]
async fn envtest() {
    let Some(env) = Environment::start().await.expect("envtest starts") else {
        return;
    };
    reconcile_samples(&env.client(), Some(env.kubeconfig())).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn e2e() {
    if std::env::var("KUBEFORGE_E2E").as_deref() != Ok("1") {
        eprintln!("skipping e2e: set KUBEFORGE_E2E=1 to run it against the kubeconfig cluster");
        return;
    }
    let client = kube::Client::try_default().await;
    let client = client.expect("a kubeconfig cluster");
    reconcile_samples(&client, None).await;
}
