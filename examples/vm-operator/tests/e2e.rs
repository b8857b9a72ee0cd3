//! End-to-end test against the cluster of the current kubeconfig context (kind, minikube, ...).
//!
//! Skipped unless `KUBEFORGE_E2E=1` (`KUBEFORGE_E2E=1 cargo test --test e2e -- --nocapture`):
//! installs the CRDs, starts the manager, applies config/samples, waits until every sample
//! (a VirtualMachine) is in phase Running and Available, deletes the samples, waits until they
//! are gone (the machines must be released, then the finalizers removed) and stops the
//! manager. The CRDs stay installed (`cargo xtask uninstall` removes them).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

/// How long the samples may take to become Running, and to be deleted.
const TIMEOUT: &str = "--timeout=120s";

#[test]
fn e2e() {
    if std::env::var("KUBEFORGE_E2E").as_deref() != Ok("1") {
        println!("skipping e2e: set KUBEFORGE_E2E=1 to run it against the kubeconfig cluster");
        return;
    }
    if !has_kubeconfig() {
        println!("skipping e2e: no kubeconfig (KUBECONFIG, ~/.kube/config or in-cluster)");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));

    for crd in apply(root, "config/crd") {
        wait_for(root, "condition=Established", &crd);
    }

    let manager = Manager::start(root);
    let samples = apply(root, "config/samples");
    for sample in &samples {
        println!("waiting for {sample} to be Running");
        wait_for(root, "jsonpath={.status.phase}=Running", sample);
        wait_for(root, "condition=Available", sample);
    }
    if !samples.is_empty() {
        // `--wait` waits until the objects are gone, i.e. the finalizers were removed.
        println!("deleting the samples");
        kubectl(root, &["delete", "-k", "config/samples", "--wait", TIMEOUT]);
        for sample in &samples {
            let left = kubectl(root, &["get", sample, "--ignore-not-found", "-o", "name"]);
            let left = String::from_utf8_lossy(&left.stdout);
            assert!(
                left.trim().is_empty(),
                "{sample} is still there after deletion"
            );
        }
    }
    drop(manager);
}

/// The manager, killed when dropped (also when the test fails).
struct Manager(Child);

impl Manager {
    fn start(root: &Path) -> Manager {
        let manager = env!("CARGO_BIN_EXE_vm-operator");
        let child = Command::new(manager)
            .args(["--metrics-bind-address=0", "--health-probe-bind-address=0"])
            .current_dir(root)
            .spawn()
            .expect("starting the manager");
        Manager(child)
    }
}

impl Drop for Manager {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn has_kubeconfig() -> bool {
    let in_cluster = std::env::var_os("KUBERNETES_SERVICE_HOST").is_some();
    let from_env = std::env::var_os("KUBECONFIG")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|p| p.is_file()));
    let home = std::env::var_os("HOME")
        .map(|home| PathBuf::from(home).join(".kube/config"))
        .is_some_and(|p| p.is_file());
    in_cluster || from_env || home
}

/// Runs kubectl in `root`; fails the test with its output when kubectl fails.
fn kubectl(root: &Path, args: &[&str]) -> Output {
    let output = Command::new("kubectl")
        .args(args)
        .current_dir(root)
        .output()
        .expect("running kubectl");
    assert!(
        output.status.success(),
        "kubectl {} failed:\n{}{}",
        args.join(" "),
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    output
}

/// Waits until `object` (`kind/name`) meets `condition` (`kubectl wait --for`).
fn wait_for(root: &Path, condition: &str, object: &str) {
    let condition = format!("--for={condition}");
    kubectl(root, &["wait", &condition, TIMEOUT, object]);
}

/// Applies the kustomization in `dir` (server-side); returns the `kind/name` of each object.
fn apply(root: &Path, dir: &str) -> Vec<String> {
    let rendered = kubectl(root, &["kustomize", dir]);
    if rendered.stdout.trim_ascii().is_empty() {
        return Vec::new();
    }
    let applied = kubectl(root, &["apply", "--server-side", "-k", dir, "-o", "name"]);
    let stdout = String::from_utf8_lossy(&applied.stdout);
    stdout
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}
