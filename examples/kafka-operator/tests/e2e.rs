//! The manager against a real API server: each sample in config/samples is applied, must get a
//! finalizer and status conditions (Available too on a cluster that runs Pods), and is deleted
//! (the finalizer must be released); then the manager must stop on SIGTERM.
//!
//! Before that, the Kafka cluster of each sample is checked: its headless Services and its
//! StatefulSets exist, owned by it, with the replicas and volume claims of its spec, and its
//! status lists the brokers' endpoints, in phase Creating (envtest: no Pod ever runs) or
//! Running. Then the samples are deleted, for the generic check to create them afresh.
//!
//! - `envtest`: etcd and kube-apiserver from `KUBEBUILDER_ASSETS` (setup-envtest's
//!   directory); skipped without them.
//! - `e2e`: the cluster of the current kubeconfig context (kind, minikube, ...); skipped unless
//!   `KUBEFORGE_E2E=1` (`KUBEFORGE_E2E=1 cargo test --test e2e -- --nocapture`). It needs a
//!   default StorageClass (kind has one).
//!
//! The CRDs are installed from the API types (`kubeforge::crds()`), without the conversion
//! webhook (the API server does not reach a manager running on this machine): the API server
//! converts v2 to v1 by rewriting `apiVersion`, so the v2 sample is stored with v1's defaults,
//! which are also what it asks for.

use std::path::Path;
use std::time::Duration;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Service;
use kube::api::{Api, DeleteParams, Patch, PatchParams};
use kube::runtime::wait::{await_condition, conditions};
use kube::{Client, Resource, ResourceExt};
use kubeforge_runtime::testing::envtest::Environment;
use kubeforge_runtime::testing::{self, Expect, ManagerProcess};
// Linking the API crate registers its CRDs.
use kafka_operator_api::v1::{self, HwfkaPhase};
use kafka_operator_api::v2;

const MANAGER: &str = env!("CARGO_BIN_EXE_kafka-operator");

/// How long the Kafka cluster of a sample may take to be Creating (envtest).
const CREATING_TIMEOUT: Duration = Duration::from_secs(120);
/// How long it may take to be Running: images to pull, volumes to provision, a ZooKeeper
/// quorum to form, then the brokers.
const RUNNING_TIMEOUT: Duration = Duration::from_secs(600);

async fn reconcile_samples(
    client: &Client,
    kubeconfig: Option<&Path>,
    expect: Expect,
    phase: HwfkaPhase,
) {
    let crds = kubeforge::crds().expect("the CRDs generate");
    let installed = testing::install_crds(client, &crds).await;
    installed.expect("the CRDs install");
    let manager = ManagerProcess::start(MANAGER, kubeconfig, &[]).expect("the manager starts");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/samples");
    check_kafka_clusters(client, &samples, phase).await;
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
    let kubeconfig = Some(env.kubeconfig());
    let (expect, phase) = (Expect::Reconciled, HwfkaPhase::Creating);
    reconcile_samples(&env.client(), kubeconfig, expect, phase).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn e2e() {
    if std::env::var("KUBEFORGE_E2E").as_deref() != Ok("1") {
        eprintln!("skipping e2e: set KUBEFORGE_E2E=1 to run it against the kubeconfig cluster");
        return;
    }
    let client = kube::Client::try_default().await;
    let client = client.expect("a kubeconfig cluster");
    let (expect, phase) = (Expect::Available, HwfkaPhase::Running);
    reconcile_samples(&client, None, expect, phase).await;
}

/// Applies the samples, waits until the status of each says `phase`, checks the objects of
/// its Kafka cluster and deletes the samples again (`testing::reconcile_all` creates them
/// afresh: the API server would not apply the v2 sample over the stored one, since it cannot
/// convert it without the webhook).
async fn check_kafka_clusters(client: &Client, samples: &Path, phase: HwfkaPhase) {
    let namespace = client.default_namespace().to_owned();
    let hwfkas: Api<v1::Hwfka> = Api::namespaced(client.clone(), &namespace);
    let hwfkas_v2: Api<v2::Hwfka> = Api::namespaced(client.clone(), &namespace);
    let params = PatchParams::apply("kubeforge-test").force();
    let mut names = Vec::new();
    let mut uids = Vec::new();
    for sample in testing::samples::load(samples).expect("the samples load") {
        let name = sample["metadata"]["name"].as_str().expect("a named sample");
        let name = name.to_owned();
        let patch = Patch::Apply(&sample);
        let applied = match sample["apiVersion"].as_str() {
            Some("kafka.example.com/v1") => hwfkas.patch(&name, &params, &patch).await.map(drop),
            Some("kafka.example.com/v2") => hwfkas_v2.patch(&name, &params, &patch).await.map(drop),
            other => panic!("a sample of an unknown version: {other:?}"),
        };
        applied.unwrap_or_else(|e| panic!("applying {name}: {e}"));
        names.push(name);
    }
    assert_eq!(names, ["hwfka-sample", "hwfka-v2-sample"]);

    let timeout = match phase {
        HwfkaPhase::Running => RUNNING_TIMEOUT,
        _ => CREATING_TIMEOUT,
    };
    for name in &names {
        println!("waiting for {name} to be {phase:?}");
        let shows_phase = move |hwfka: Option<&v1::Hwfka>| {
            let status = hwfka.and_then(|hwfka| hwfka.status.as_ref());
            status.is_some_and(|status| status.phase == Some(phase))
        };
        let wait = await_condition(hwfkas.clone(), name, shows_phase);
        let shown = tokio::time::timeout(timeout, wait).await;
        let shown = shown.unwrap_or_else(|_| panic!("{name} is not {phase:?} within {timeout:?}"));
        let hwfka = shown.expect("watching the sample").expect("the sample");
        check_kafka_cluster(client, &hwfka, phase).await;
        uids.push(hwfka.uid().expect("a stored sample"));
    }

    // The v2 sample is served as v2 too.
    let v2_sample = hwfkas_v2
        .get("hwfka-v2-sample")
        .await
        .expect("the v2 sample");
    assert_eq!(v2_sample.spec.kafka.replicas, 3);
    assert_eq!(v2_sample.spec.zookeeper.replicas, 3);
    let status = v2_sample.status.expect("the status of the v2 sample");
    assert_eq!(status.brokers.len(), 3);

    for (name, uid) in names.iter().zip(uids) {
        let deleted = hwfkas.delete(name, &DeleteParams::default()).await;
        deleted.unwrap_or_else(|e| panic!("deleting {name}: {e}"));
        let gone = await_condition(hwfkas.clone(), name, conditions::is_deleted(&uid));
        let gone = tokio::time::timeout(CREATING_TIMEOUT, gone).await;
        let gone = gone.unwrap_or_else(|_| panic!("{name} is not deleted: its finalizer stays"));
        gone.expect("watching the sample");
    }
}

/// Checks the Services and StatefulSets of `hwfka` and its status.
async fn check_kafka_cluster(client: &Client, hwfka: &v1::Hwfka, phase: HwfkaPhase) {
    let name = hwfka.name_any();
    let namespace = hwfka.namespace().expect("a namespaced sample");
    // Every sample asks for the defaults: three brokers, three ZooKeeper servers, 1Gi volumes.
    assert_eq!(hwfka.spec, v1::HwfkaSpec::default(), "{name}");
    let uid = hwfka.uid().expect("a stored sample");

    let status = hwfka.status.as_ref().expect("a status");
    let brokers: Vec<_> = (0..3)
        .map(|i| format!("{name}-kafka-{i}.{name}-kafka-headless.{namespace}.svc:9092"))
        .collect();
    assert_eq!(status.brokers, brokers);
    let expected_ready = if phase == HwfkaPhase::Running { 3 } else { 0 };
    assert_eq!(status.ready_brokers, expected_ready, "{name}");
    assert!(!hwfka.finalizers().is_empty(), "{name} has no finalizer");

    let services: Api<Service> = Api::namespaced(client.clone(), &namespace);
    for component in ["zookeeper", "kafka"] {
        let service_name = format!("{name}-{component}-headless");
        let service = services.get(&service_name).await;
        let service = service.unwrap_or_else(|e| panic!("Service {service_name}: {e}"));
        assert_eq!(controllers(&service), [uid.as_str()], "{service_name}");
        let spec = service.spec.expect("a Service spec");
        assert_eq!(spec.cluster_ip.as_deref(), Some("None"), "{service_name}");
        assert_eq!(
            spec.publish_not_ready_addresses,
            Some(true),
            "{service_name}"
        );
    }

    let statefulsets: Api<StatefulSet> = Api::namespaced(client.clone(), &namespace);
    for component in ["zookeeper", "kafka"] {
        let sts_name = format!("{name}-{component}");
        let sts = statefulsets.get(&sts_name).await;
        let sts = sts.unwrap_or_else(|e| panic!("StatefulSet {sts_name}: {e}"));
        assert_eq!(controllers(&sts), [uid.as_str()], "{sts_name}");
        let spec = sts.spec.expect("a StatefulSet spec");
        assert_eq!(spec.replicas, Some(3), "{sts_name}");
        let headless = format!("{sts_name}-headless");
        assert_eq!(spec.service_name.as_deref(), Some(headless.as_str()));
        let claims = spec.volume_claim_templates.unwrap_or_default();
        let claim = claims.first().expect("a volume claim template");
        assert_eq!(claim.metadata.name.as_deref(), Some("data"), "{sts_name}");
        let requests = claim.spec.as_ref().and_then(|s| s.resources.as_ref());
        let requests = requests.and_then(|r| r.requests.as_ref());
        let storage = requests.and_then(|r| r.get("storage"));
        assert_eq!(storage.map(|q| q.0.as_str()), Some("1Gi"), "{sts_name}");
    }
}

/// The uids of the controllers of `object` (its owner references with `controller: true`).
fn controllers<K: Resource>(object: &K) -> Vec<&str> {
    let owners = object.meta().owner_references.iter().flatten();
    owners
        .filter(|owner| owner.controller == Some(true))
        .map(|owner| owner.uid.as_str())
        .collect()
}
