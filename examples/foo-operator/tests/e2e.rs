//! End-to-end test against the cluster of the current kubeconfig context (kind, minikube, ...).
//!
//! Skipped unless `KUBEFORGE_E2E=1` (`KUBEFORGE_E2E=1 cargo test --test e2e -- --nocapture`):
//! installs the CRDs, starts the manager and applies config/samples. For every sample Foo it
//! checks that the Foo is not happy while the Pod it names (`spec.name`) is missing, creates
//! that Pod and waits until the Foo reports `status.happy=true` and Available, then deletes
//! the Pod and waits until the Foo is unhappy again (the Pod watch maps the Pod to its Foo).
//! Finally it deletes the samples (the finalizers must be released) and stops the manager.
//! The CRDs stay installed (`cargo xtask uninstall` removes them).

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

/// How long the samples may take to become Available, and to be deleted.
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
        let pod = spec_name(root, sample);
        println!("waiting for {sample} to be unhappy without Pod {pod}");
        wait_for(root, "jsonpath={.status.happy}=false", sample);

        println!("creating Pod {pod}, waiting for {sample} to be happy");
        let created = TestPod::create(root, &pod);
        wait_for(root, "jsonpath={.status.happy}=true", sample);
        wait_for(root, "condition=Available", sample);

        println!("deleting Pod {pod}, waiting for {sample} to be unhappy again");
        drop(created);
        wait_for(root, "jsonpath={.status.happy}=false", sample);
        wait_for(root, "condition=Available=false", sample);
    }
    if !samples.is_empty() {
        kubectl(root, &["delete", "-k", "config/samples", "--wait", TIMEOUT]);
    }
    drop(manager);
}

/// The manager, killed when dropped (also when the test fails).
struct Manager(Child);

impl Manager {
    fn start(root: &Path) -> Manager {
        let manager = env!("CARGO_BIN_EXE_foo-operator");
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

/// A Pod named like a Foo's `spec.name`, deleted when dropped (also when the test fails).
///
/// The controller only checks that the Pod exists: it need not be scheduled nor run.
struct TestPod<'a> {
    root: &'a Path,
    name: String,
}

impl<'a> TestPod<'a> {
    fn create(root: &'a Path, name: &str) -> TestPod<'a> {
        kubectl(
            root,
            &[
                "run",
                name,
                "--image=busybox",
                "--restart=Never",
                "--",
                "sleep",
                "3600",
            ],
        );
        TestPod {
            root,
            name: name.to_owned(),
        }
    }
}

impl Drop for TestPod<'_> {
    fn drop(&mut self) {
        let pod = format!("pod/{}", self.name);
        let _ = Command::new("kubectl")
            .args(["delete", &pod, "--ignore-not-found", "--wait", TIMEOUT])
            .current_dir(self.root)
            .output();
    }
}

/// The `spec.name` of the Foo `object` (`kind/name`): the Pod it waits for.
fn spec_name(root: &Path, object: &str) -> String {
    let output = kubectl(root, &["get", object, "-o", "jsonpath={.spec.name}"]);
    let name = String::from_utf8_lossy(&output.stdout).trim().to_owned();
    assert!(!name.is_empty(), "{object} names no Pod");
    name
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
