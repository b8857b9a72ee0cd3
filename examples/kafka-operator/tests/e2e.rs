//! End-to-end test against the cluster of the current kubeconfig context (kind, minikube, ...).
//!
//! Skipped unless `KUBEFORGE_E2E=1` (`KUBEFORGE_E2E=1 cargo test --test e2e -- --nocapture`):
//! installs the CRDs, starts the manager, creates the v1 sample (a Kafka cluster of three
//! brokers and three ZooKeeper servers), waits until its phase is Running and every owned
//! object exists, deletes the sample (the finalizer must be released) and stops the manager.
//! The CRDs stay installed (`cargo xtask uninstall` removes them), and so do the
//! PersistentVolumeClaims of the StatefulSets.
//!
//! The manager runs on this machine, so the conversion webhook is not reachable from the API
//! server: only the v1 sample (v1 is the storage version) can be created, and every kubectl
//! command names the version (`hwfkas.v1.kafka.example.com`), since kubectl would otherwise
//! ask for the preferred version, v2, which needs the webhook.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output};

/// How long the CRDs may take to be established, and the sample to be deleted.
const TIMEOUT: &str = "--timeout=120s";
/// How long the Kafka cluster may take to run: images to pull, volumes to provision,
/// a ZooKeeper quorum to form, then the brokers.
const RUNNING_TIMEOUT: &str = "--timeout=600s";
/// The v1 sample and the object it creates.
const SAMPLE: &str = "config/samples/kafka_v1_hwfka.yaml";
const SAMPLE_OBJECT: &str = "hwfkas.v1.kafka.example.com/hwfka-sample";

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
        wait_for(root, "condition=Established", &crd, TIMEOUT);
    }

    let manager = Manager::start(root);
    kubectl(root, &["apply", "--server-side", "-f", SAMPLE]);
    println!("waiting for {SAMPLE_OBJECT} to be Running");
    let running = "jsonpath={.status.phase}=Running";
    wait_for(root, running, SAMPLE_OBJECT, RUNNING_TIMEOUT);
    wait_for(root, "condition=Available", SAMPLE_OBJECT, TIMEOUT);

    // The status lists the brokers' endpoints; the owned objects exist.
    let brokers = kubectl(
        root,
        &["get", SAMPLE_OBJECT, "-o", "jsonpath={.status.brokers}"],
    );
    let brokers = String::from_utf8_lossy(&brokers.stdout);
    for i in 0..3 {
        let endpoint = format!("hwfka-sample-kafka-{i}.hwfka-sample-kafka-headless.");
        assert!(brokers.contains(&endpoint), "{endpoint} not in {brokers}");
    }
    for object in [
        "service/hwfka-sample-zookeeper-headless",
        "service/hwfka-sample-kafka-headless",
        "statefulset/hwfka-sample-zookeeper",
        "statefulset/hwfka-sample-kafka",
    ] {
        kubectl(root, &["get", object]);
    }
    let cluster_ip = kubectl(
        root,
        &[
            "get",
            "service/hwfka-sample-kafka-headless",
            "-o",
            "jsonpath={.spec.clusterIP}",
        ],
    );
    assert_eq!(String::from_utf8_lossy(&cluster_ip.stdout), "None");

    kubectl(root, &["delete", "-f", SAMPLE, "--wait", TIMEOUT]);
    drop(manager);
}

/// The manager, killed when dropped (also when the test fails).
struct Manager(Child);

impl Manager {
    fn start(root: &Path) -> Manager {
        let manager = env!("CARGO_BIN_EXE_kafka-operator");
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
fn wait_for(root: &Path, condition: &str, object: &str, timeout: &str) {
    let condition = format!("--for={condition}");
    kubectl(root, &["wait", &condition, timeout, object]);
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
