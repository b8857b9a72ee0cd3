//! The manager against a real API server: each sample in config/samples is applied, must get a
//! finalizer and status conditions (Available too on a cluster that runs Pods), and is deleted
//! (the finalizer must be released); then the manager must stop on SIGTERM.
//!
//! - `envtest`: etcd and kube-apiserver from `KUBEBUILDER_ASSETS` (setup-envtest's
//!   directory); skipped without them.
//! - `e2e`: the cluster of the current kubeconfig context (kind, minikube, ...); skipped unless
//!   `KUBEFORGE_E2E=1` (`KUBEFORGE_E2E=1 cargo test --test e2e -- --nocapture`).

use std::path::Path;

use kubeforge_runtime::testing::envtest::Environment;
use kubeforge_runtime::testing::{self, Expect, ManagerProcess};
// Linking the API crate registers its CRDs.
use vm_operator_api as _;

const MANAGER: &str = env!("CARGO_BIN_EXE_vm-operator");

async fn reconcile_samples(client: &kube::Client, kubeconfig: Option<&Path>, expect: Expect) {
    let crds = kubeforge::crds().expect("the CRDs generate");
    let installed = testing::install_crds(client, &crds).await;
    installed.expect("the CRDs install");
    let manager = ManagerProcess::start(MANAGER, kubeconfig, &[]).expect("the manager starts");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/samples");
    let reconciled = testing::reconcile_all(client, &samples, expect).await;
    let stopped = manager.stop().expect("the manager stops on SIGTERM");
    reconciled.expect("every sample is reconciled and deleted");
    assert!(stopped.success(), "the manager exited with {stopped}");
}

#[tokio::test(flavor = "multi_thread")]
async fn envtest() {
    let Some(env) = Environment::start().await.expect("envtest starts") else {
        return;
    };
    reconcile_samples(&env.client(), Some(env.kubeconfig()), Expect::Reconciled).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn e2e() {
    if std::env::var("KUBEFORGE_E2E").as_deref() != Ok("1") {
        eprintln!("skipping e2e: set KUBEFORGE_E2E=1 to run it against the kubeconfig cluster");
        return;
    }
    let client = kube::Client::try_default().await;
    let client = client.expect("a kubeconfig cluster");
    reconcile_samples(&client, None, Expect::Available).await;
}
