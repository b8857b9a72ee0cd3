//! The Hwfka controller: reconciles `kafka_operator_api::v1::Hwfka` into a Kafka cluster.
//!
//! For a Hwfka named `<name>` it applies (server-side, owned by the Hwfka):
//!
//! - `<name>-zookeeper-headless`, a headless Service, and `<name>-zookeeper`, a StatefulSet of
//!   `spec.zookeeperReplicas` ZooKeeper servers;
//! - `<name>-kafka-headless`, a headless Service, and `<name>-kafka`, a StatefulSet of
//!   `spec.replicas` brokers connected to ZooKeeper (`KAFKA_ZOOKEEPER_CONNECT`).
//!
//! Both StatefulSets keep their data in PersistentVolumeClaims of `spec.storageClass` and
//! `spec.storageSize` (volumeClaimTemplates). The status reports the phase (Creating until
//! every server and broker is ready, then Running), the brokers' endpoints and how many are
//! ready.

use std::time::Duration;

use k8s_openapi::api::apps::v1::StatefulSet;
use k8s_openapi::api::core::v1::Service;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::OwnerReference;
use kube::runtime::watcher;
use kubeforge_runtime::conditions::State;
use kubeforge_runtime::prelude::*;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use kafka_operator_api::v1::{Hwfka, HwfkaPhase, HwfkaStatus};

use super::Context;

/// The name of this controller in logs and metrics.
pub const CONTROLLER: &str = "hwfka";

/// The finalizer this controller puts on every Hwfka, to clean up before it is deleted.
pub const FINALIZER: &str = "kafka.example.com/finalizer";

/// The `app.kubernetes.io/managed-by` label of the objects this controller creates (the
/// manager's name, in `src/main.rs`); it watches only those.
const MANAGED_BY: &str = "kafka-operator";

/// The port of the brokers.
pub const KAFKA_PORT: i32 = 9092;
/// The client port of ZooKeeper.
pub const ZOOKEEPER_PORT: i32 = 2181;
/// The ports ZooKeeper servers talk to each other on (followers, leader election).
const ZOOKEEPER_PEER_PORT: i32 = 2888;
const ZOOKEEPER_ELECTION_PORT: i32 = 3888;

/// The user and group the containers run as (the `appuser` of the Confluent images).
const RUN_AS: i64 = 1000;

/// How soon to look again while the cluster is being created (the StatefulSets' changes
/// also trigger a reconciliation).
const CREATING_REQUEUE: Duration = Duration::from_secs(10);
/// How soon to look again at a running cluster, to correct drift.
const RUNNING_REQUEUE: Duration = Duration::from_secs(300);

/// Runs the controller until the manager shuts down.
pub async fn run(ctx: Arc<Context>) -> Result<()> {
    let api: Api<Hwfka> = ctx.watched_api();
    let statefulsets: Api<StatefulSet> = ctx.watched_api();
    let owned =
        watcher::Config::default().labels(&format!("app.kubernetes.io/managed-by={MANAGED_BY}"));
    let controller = controller_for(&ctx, api).await?.owns(statefulsets, owned);
    run_controller(CONTROLLER, controller, reconcile, ctx).await
}

/// Moves the cluster towards the state a Hwfka asks for, and reports it in its status.
///
/// The `#[rbac]` attributes say what the controller may do: `cargo xtask generate rbac`
/// writes them into config/rbac/role.yaml.
#[rustfmt::skip::attributes(rbac)] // one rule per line
#[rbac(groups = "kafka.example.com", resources = "hwfkas", verbs = "get;list;watch;create;update;patch;delete")]
#[rbac(groups = "kafka.example.com", resources = "hwfkas/status", verbs = "get;update;patch")]
#[rbac(groups = "kafka.example.com", resources = "hwfkas/finalizers", verbs = "update")]
#[rbac(groups = "apps", resources = "statefulsets", verbs = "get;list;watch;create;update;patch;delete")]
#[rbac(groups = "", resources = "services", verbs = "get;list;watch;create;update;patch;delete")]
#[rbac(groups = "events.k8s.io", resources = "events", verbs = "create;patch")]
pub async fn reconcile(obj: Arc<Hwfka>, ctx: Arc<Context>) -> Result<Action> {
    // Its owned objects go in its namespace: an object without one is invalid.
    let api: Api<Hwfka> = Api::namespaced(ctx.client.clone(), &namespace(&obj)?);
    let action = finalizer(&api, FINALIZER, obj, |event| async {
        match event {
            FinalizerEvent::Apply(obj) => apply(&obj, &ctx).await,
            FinalizerEvent::Cleanup(obj) => cleanup(&obj, &ctx).await,
        }
    })
    .await
    .map_err(Box::new)?;
    Ok(action)
}

fn namespace(obj: &Hwfka) -> Result<String> {
    obj.namespace().ok_or(Error::InvalidObject("no namespace"))
}

/// The names of the objects of a Hwfka named `name`.
pub fn zookeeper_name(name: &str) -> String {
    format!("{name}-zookeeper")
}

pub fn kafka_name(name: &str) -> String {
    format!("{name}-kafka")
}

/// The headless Service that gives the pods of the StatefulSet `statefulset` their DNS names.
pub fn headless_name(statefulset: &str) -> String {
    format!("{statefulset}-headless")
}

/// The DNS name of pod `ordinal` of the StatefulSet `statefulset`, behind its headless Service.
fn pod_host(statefulset: &str, ordinal: i32, namespace: &str) -> String {
    let service = headless_name(statefulset);
    format!("{statefulset}-{ordinal}.{service}.{namespace}.svc")
}

/// The bootstrap endpoints of the brokers: `<name>-kafka-<i>.<name>-kafka-headless.<ns>.svc:9092`.
pub fn broker_endpoints(obj: &Hwfka) -> Result<Vec<String>> {
    let namespace = namespace(obj)?;
    let kafka = kafka_name(&obj.name_any());
    Ok((0..obj.spec.replicas)
        .map(|i| format!("{}:{KAFKA_PORT}", pod_host(&kafka, i, &namespace)))
        .collect())
}

/// `KAFKA_ZOOKEEPER_CONNECT`: every ZooKeeper server, by its name behind the headless Service.
pub fn zookeeper_connect(obj: &Hwfka) -> Result<String> {
    let namespace = namespace(obj)?;
    let zookeeper = zookeeper_name(&obj.name_any());
    let servers: Vec<_> = (0..obj.spec.zookeeper_replicas)
        .map(|i| format!("{}:{ZOOKEEPER_PORT}", pod_host(&zookeeper, i, &namespace)))
        .collect();
    Ok(servers.join(","))
}

/// The labels that select the pods of one component (`kafka` or `zookeeper`) of a Hwfka.
fn selector(obj: &Hwfka, component: &str) -> Value {
    json!({
        "app.kubernetes.io/name": component,
        "app.kubernetes.io/instance": obj.name_any(),
    })
}

/// The labels of the objects of one component: the selector and who manages them.
fn labels(obj: &Hwfka, component: &str) -> Value {
    let mut labels = selector(obj, component);
    labels["app.kubernetes.io/part-of"] = json!("kafka-operator");
    labels["app.kubernetes.io/managed-by"] = json!(MANAGED_BY);
    labels
}

fn owner(obj: &Hwfka) -> Result<OwnerReference> {
    obj.controller_owner_ref(&())
        .ok_or(Error::InvalidObject("no uid"))
}

/// The typed object (a Service, a StatefulSet) of a manifest written as JSON.
fn typed<K: DeserializeOwned>(manifest: Value) -> Result<K> {
    serde_json::from_value(manifest).map_err(Error::other)
}

/// A headless Service (clusterIP None) in front of the pods of `component`. It publishes the
/// addresses of pods that are not ready yet: ZooKeeper servers must find each other to
/// become ready.
fn headless_service(
    obj: &Hwfka,
    component: &str,
    statefulset: &str,
    ports: &[(&str, i32)],
) -> Result<Service> {
    let ports: Vec<_> = ports
        .iter()
        .map(|(name, port)| json!({"name": name, "port": port, "targetPort": port}))
        .collect();
    typed(json!({
        "apiVersion": "v1",
        "kind": "Service",
        "metadata": {
            "name": headless_name(statefulset),
            "namespace": namespace(obj)?,
            "labels": labels(obj, component),
            "ownerReferences": [owner(obj)?],
        },
        "spec": {
            "clusterIP": "None",
            "publishNotReadyAddresses": true,
            "selector": selector(obj, component),
            "ports": ports,
        },
    }))
}

/// The ZooKeeper headless Service.
pub fn zookeeper_service(obj: &Hwfka) -> Result<Service> {
    let ports = [
        ("client", ZOOKEEPER_PORT),
        ("peer", ZOOKEEPER_PEER_PORT),
        ("election", ZOOKEEPER_ELECTION_PORT),
    ];
    headless_service(obj, "zookeeper", &zookeeper_name(&obj.name_any()), &ports)
}

/// The Kafka headless Service.
pub fn kafka_service(obj: &Hwfka) -> Result<Service> {
    let ports = [("kafka", KAFKA_PORT)];
    headless_service(obj, "kafka", &kafka_name(&obj.name_any()), &ports)
}

/// What differs between the ZooKeeper and the Kafka StatefulSet.
struct Workload<'a> {
    component: &'a str,
    name: String,
    replicas: i32,
    image: &'a str,
    /// A shell script that sets what depends on the pod's ordinal, then starts the image.
    script: &'a str,
    env: Vec<Value>,
    ports: Vec<Value>,
    /// The port the readiness probe connects to.
    probe_port: i32,
    data_dir: &'a str,
}

/// A StatefulSet of `workload`, its pods running as non-root, its data in a
/// PersistentVolumeClaim per pod (of `spec.storageClass` and `spec.storageSize`).
fn statefulset(obj: &Hwfka, workload: Workload<'_>) -> Result<StatefulSet> {
    let mut claim_spec = json!({
        "accessModes": ["ReadWriteOnce"],
        "resources": {"requests": {"storage": obj.spec.storage_size}},
    });
    if let Some(class) = &obj.spec.storage_class {
        claim_spec["storageClassName"] = json!(class);
    }
    typed(json!({
        "apiVersion": "apps/v1",
        "kind": "StatefulSet",
        "metadata": {
            "name": workload.name,
            "namespace": namespace(obj)?,
            "labels": labels(obj, workload.component),
            "ownerReferences": [owner(obj)?],
        },
        "spec": {
            "replicas": workload.replicas,
            "serviceName": headless_name(&workload.name),
            // Start every ZooKeeper server (and broker) at once: an ensemble needs a quorum.
            "podManagementPolicy": "Parallel",
            "selector": {"matchLabels": selector(obj, workload.component)},
            "template": {
                "metadata": {"labels": labels(obj, workload.component)},
                "spec": {
                    "enableServiceLinks": false,
                    "securityContext": {
                        "runAsNonRoot": true,
                        "runAsUser": RUN_AS,
                        "runAsGroup": RUN_AS,
                        "fsGroup": RUN_AS,
                        "seccompProfile": {"type": "RuntimeDefault"},
                    },
                    "containers": [{
                        "name": workload.component,
                        "image": workload.image,
                        "command": ["sh", "-c", workload.script],
                        "env": workload.env,
                        "ports": workload.ports,
                        "readinessProbe": {
                            "tcpSocket": {"port": workload.probe_port},
                            "initialDelaySeconds": 10,
                            "periodSeconds": 10,
                        },
                        "volumeMounts": [{"name": "data", "mountPath": workload.data_dir}],
                        "securityContext": {
                            "allowPrivilegeEscalation": false,
                            "capabilities": {"drop": ["ALL"]},
                        },
                    }],
                },
            },
            "volumeClaimTemplates": [{
                "metadata": {"name": "data", "labels": labels(obj, workload.component)},
                "spec": claim_spec,
            }],
        },
    }))
}

fn env(name: &str, value: impl Into<Value>) -> Value {
    json!({"name": name, "value": value.into()})
}

fn port(name: &str, port: i32) -> Value {
    json!({"name": name, "containerPort": port})
}

/// The ZooKeeper StatefulSet: `spec.zookeeperReplicas` servers of one ensemble.
pub fn zookeeper_statefulset(obj: &Hwfka) -> Result<StatefulSet> {
    let namespace = namespace(obj)?;
    let name = zookeeper_name(&obj.name_any());
    let servers: Vec<_> = (0..obj.spec.zookeeper_replicas)
        .map(|i| {
            let host = pod_host(&name, i, &namespace);
            format!("{host}:{ZOOKEEPER_PEER_PORT}:{ZOOKEEPER_ELECTION_PORT}")
        })
        .collect();
    let workload = Workload {
        component: "zookeeper",
        replicas: obj.spec.zookeeper_replicas,
        image: &obj.spec.zookeeper_image,
        // Server ids start at 1: the ordinal of the pod plus one.
        script: "export ZOOKEEPER_SERVER_ID=$((${HOSTNAME##*-}+1)) && exec /etc/confluent/docker/run",
        env: vec![
            env("ZOOKEEPER_CLIENT_PORT", ZOOKEEPER_PORT.to_string()),
            env("ZOOKEEPER_TICK_TIME", "2000"),
            env("ZOOKEEPER_INIT_LIMIT", "10"),
            env("ZOOKEEPER_SYNC_LIMIT", "5"),
            env("ZOOKEEPER_SERVERS", servers.join(";")),
        ],
        ports: vec![
            port("client", ZOOKEEPER_PORT),
            port("peer", ZOOKEEPER_PEER_PORT),
            port("election", ZOOKEEPER_ELECTION_PORT),
        ],
        probe_port: ZOOKEEPER_PORT,
        data_dir: "/var/lib/zookeeper/data",
        name,
    };
    statefulset(obj, workload)
}

/// The Kafka StatefulSet: `spec.replicas` brokers, each advertising its own DNS name.
pub fn kafka_statefulset(obj: &Hwfka) -> Result<StatefulSet> {
    let namespace = namespace(obj)?;
    let name = kafka_name(&obj.name_any());
    let service = headless_name(&name);
    // Internal topics are replicated on up to three brokers.
    let replication = obj.spec.replicas.clamp(1, 3).to_string();
    let min_isr = obj.spec.replicas.clamp(1, 2).to_string();
    let workload = Workload {
        component: "kafka",
        replicas: obj.spec.replicas,
        image: &obj.spec.image,
        // Broker ids are the ordinals of the pods.
        script: "export KAFKA_BROKER_ID=${HOSTNAME##*-} && exec /etc/confluent/docker/run",
        env: vec![
            json!({"name": "POD_NAME", "valueFrom": {"fieldRef": {"fieldPath": "metadata.name"}}}),
            env("KAFKA_ZOOKEEPER_CONNECT", zookeeper_connect(obj)?),
            env(
                "KAFKA_LISTENERS",
                format!("PLAINTEXT://0.0.0.0:{KAFKA_PORT}"),
            ),
            env(
                "KAFKA_ADVERTISED_LISTENERS",
                format!("PLAINTEXT://$(POD_NAME).{service}.{namespace}.svc:{KAFKA_PORT}"),
            ),
            env("KAFKA_LOG_DIRS", "/var/lib/kafka/data/logs"),
            env(
                "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR",
                replication.clone(),
            ),
            env(
                "KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR",
                replication,
            ),
            env("KAFKA_TRANSACTION_STATE_LOG_MIN_ISR", min_isr),
        ],
        ports: vec![port("kafka", KAFKA_PORT)],
        probe_port: KAFKA_PORT,
        data_dir: "/var/lib/kafka/data",
        name,
    };
    statefulset(obj, workload)
}

/// The StatefulSets of a Hwfka, as applied.
struct Applied {
    zookeeper: StatefulSet,
    kafka: StatefulSet,
}

/// Applies the four objects of a Hwfka (server-side apply: this controller owns the fields
/// it sets, others' stay): ZooKeeper first, the brokers need it.
async fn apply_owned_objects(obj: &Hwfka, ctx: &Context) -> Result<Applied> {
    ctx.apply(&zookeeper_service(obj)?).await?;
    let zookeeper = ctx.apply(&zookeeper_statefulset(obj)?).await?;
    ctx.apply(&kafka_service(obj)?).await?;
    let kafka = ctx.apply(&kafka_statefulset(obj)?).await?;
    Ok(Applied { zookeeper, kafka })
}

/// How many pods of a StatefulSet are ready; 0 while the StatefulSet controller has not seen
/// its latest spec yet.
fn ready_replicas(statefulset: &StatefulSet) -> i32 {
    let Some(status) = &statefulset.status else {
        return 0;
    };
    let generation = statefulset.metadata.generation;
    if generation.is_some() && status.observed_generation < generation {
        return 0;
    }
    status.ready_replicas.unwrap_or(0)
}

/// The Hwfka exists and carries the finalizer: make the cluster match its spec.
async fn apply(obj: &Hwfka, ctx: &Context) -> Result<Action> {
    let name = obj.name_any();
    tracing::info!(controller = CONTROLLER, %name, "reconciling");

    let applied = match apply_owned_objects(obj, ctx).await {
        Ok(applied) => applied,
        Err(error) => {
            report_failure(obj, ctx, &error).await;
            return Err(error);
        }
    };
    let zookeeper_ready = ready_replicas(&applied.zookeeper);
    let kafka_ready = ready_replicas(&applied.kafka);
    let running =
        zookeeper_ready >= obj.spec.zookeeper_replicas && kafka_ready >= obj.spec.replicas;

    let generation = obj.meta().generation;
    let old = obj.status.clone().unwrap_or_default();
    let was_available = conditions::is_true(&old.conditions, AVAILABLE);
    let mut status = HwfkaStatus {
        phase: Some(if running {
            HwfkaPhase::Running
        } else {
            HwfkaPhase::Creating
        }),
        brokers: broker_endpoints(obj)?,
        ready_brokers: kafka_ready,
        conditions: old.conditions.clone(),
    };
    let (reason, message) = if running {
        let message =
            format!("{kafka_ready} brokers and {zookeeper_ready} ZooKeeper servers are ready");
        ("Running", message)
    } else {
        let message = format!(
            "{kafka_ready}/{} brokers and {zookeeper_ready}/{} ZooKeeper servers are ready",
            obj.spec.replicas, obj.spec.zookeeper_replicas
        );
        ("Creating", message)
    };
    let state = if running {
        State::Available
    } else {
        State::Progressing
    };
    conditions::set_state(&mut status.conditions, state, reason, &message, generation);
    if status != old {
        ctx.apply_status(obj, &status).await?;
    }
    if running && !was_available {
        let note = format!("{name} is available: {message}");
        ctx.publish(obj, EventType::Normal, "Available", "Reconcile", note)
            .await;
    }
    if running {
        // Reconcile again in a while even without changes, to correct drift.
        Ok(Action::requeue(RUNNING_REQUEUE))
    } else {
        Ok(Action::requeue(CREATING_REQUEUE))
    }
}

/// Applying the owned objects failed: says so in the status (phase Failed, Degraded), as
/// well as it can. The error itself is returned by the caller, which retries with a backoff.
async fn report_failure(obj: &Hwfka, ctx: &Context, error: &Error) {
    let mut status = obj.status.clone().unwrap_or_default();
    status.phase = Some(HwfkaPhase::Failed);
    let generation = obj.meta().generation;
    let message = error.to_string();
    let state = State::Degraded;
    conditions::set_state(
        &mut status.conditions,
        state,
        "Failed",
        &message,
        generation,
    );
    if obj.status.as_ref() != Some(&status)
        && let Err(e) = ctx.apply_status(obj, &status).await
    {
        tracing::warn!(controller = CONTROLLER, error = %e, "could not report the failure");
    }
}

/// The Hwfka is being deleted: release what the finalizer guards, then it goes.
///
/// Kubernetes deletes the Services and StatefulSets (owner references); the
/// PersistentVolumeClaims of the StatefulSets stay, with the data, until deleted by hand.
async fn cleanup(obj: &Hwfka, ctx: &Context) -> Result<Action> {
    let name = obj.name_any();
    tracing::info!(controller = CONTROLLER, %name, "cleaning up");

    let note = format!("Cleaning up {name}");
    ctx.publish(obj, EventType::Normal, "Deleting", "Finalize", note)
        .await;
    Ok(Action::await_change())
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use k8s_openapi::jiff::Timestamp;
    use kubeforge::types::Condition;
    use kubeforge_runtime::testing::{self, ApiServer, Method};
    use serde_json::{Value, json};

    use super::*;

    /// The manager's name: the field manager of its applies.
    const MANAGER: &str = "kafka-operator";
    const EVENTS: &str = "/apis/events.k8s.io/v1/namespaces/default/events";
    const SERVICES: &str = "/api/v1/namespaces/default/services";
    const STATEFULSETS: &str = "/apis/apps/v1/namespaces/default/statefulsets";
    const UID: &str = "8d5a2d36-3ec6-4a53-9ed2-1d4a4f9b3c01";

    /// The object the tests reconcile.
    fn object() -> Hwfka {
        let mut obj = Hwfka::new("test", Default::default());
        obj.meta_mut().namespace = Some("default".into());
        obj.meta_mut().uid = Some(UID.into());
        obj.meta_mut().generation = Some(1);
        obj
    }

    fn with_finalizer(mut obj: Hwfka) -> Hwfka {
        obj.meta_mut().finalizers = Some(vec![FINALIZER.into()]);
        obj
    }

    fn deleting(mut obj: Hwfka) -> Hwfka {
        obj.meta_mut().deletion_timestamp = Some(Time(Timestamp::now()));
        obj
    }

    /// The API path of the test object.
    fn object_path() -> String {
        let collection = Hwfka::url_path(&(), Some("default"));
        format!("{collection}/test")
    }

    fn status_path() -> String {
        format!("{}/status", object_path())
    }

    /// The endpoints of the three brokers of the test object.
    fn brokers() -> Vec<String> {
        (0..3)
            .map(|i| format!("test-kafka-{i}.test-kafka-headless.default.svc:9092"))
            .collect()
    }

    /// Takes the next request, checks that it is a forced server-side apply of `path` by this
    /// manager and answers it with the object `name` of `kind`, with `status` when given;
    /// returns the patch.
    async fn expect_apply(
        server: &mut ApiServer,
        path: &str,
        kind: &str,
        status: Option<Value>,
    ) -> Value {
        let name = path.rsplit('/').next().unwrap();
        let mut response =
            json!({"kind": kind, "metadata": {"name": name, "namespace": "default"}});
        if let Some(status) = status {
            response["status"] = status;
        }
        let request = server.expect(Method::PATCH, path, response).await;
        let query = &request.query;
        assert!(request.has_query("fieldManager", MANAGER), "{query}");
        assert!(
            request.has_query("force", "true"),
            "server-side apply: {query}"
        );
        request.body
    }

    /// The four applies of a reconciliation, in order; the StatefulSets answer with
    /// `zookeeper_ready` and `kafka_ready` ready replicas. Checks what every owned object
    /// shares and returns the patches.
    async fn expect_owned_applies(
        server: &mut ApiServer,
        zookeeper_ready: i32,
        kafka_ready: i32,
    ) -> [Value; 4] {
        let zk_service = format!("{SERVICES}/test-zookeeper-headless");
        let zk_service = expect_apply(server, &zk_service, "Service", None).await;
        let zk_status = json!({"replicas": 3, "readyReplicas": zookeeper_ready});
        let zk_path = format!("{STATEFULSETS}/test-zookeeper");
        let zk = expect_apply(server, &zk_path, "StatefulSet", Some(zk_status)).await;
        let kafka_service = format!("{SERVICES}/test-kafka-headless");
        let kafka_service = expect_apply(server, &kafka_service, "Service", None).await;
        let kafka_status = json!({"replicas": 3, "readyReplicas": kafka_ready});
        let kafka_path = format!("{STATEFULSETS}/test-kafka");
        let kafka = expect_apply(server, &kafka_path, "StatefulSet", Some(kafka_status)).await;
        let patches = [zk_service, zk, kafka_service, kafka];
        for patch in &patches {
            let metadata = &patch["metadata"];
            assert_eq!(metadata["namespace"], "default");
            assert_eq!(
                metadata["labels"]["app.kubernetes.io/managed-by"],
                MANAGED_BY
            );
            assert_eq!(metadata["labels"]["app.kubernetes.io/instance"], "test");
            let owner = &metadata["ownerReferences"][0];
            assert_eq!(owner["kind"], "Hwfka");
            assert_eq!(owner["name"], "test");
            assert_eq!(owner["uid"], UID);
            assert_eq!(owner["controller"], true);
        }
        patches
    }

    /// Takes the status patch, checks that it is a forced server-side apply by this manager
    /// and returns it.
    async fn expect_status_apply(server: &mut ApiServer) -> Value {
        let response = serde_json::to_value(with_finalizer(object())).unwrap();
        let apply = server.expect(Method::PATCH, &status_path(), response).await;
        let query = &apply.query;
        assert!(apply.has_query("fieldManager", MANAGER), "{query}");
        assert!(
            apply.has_query("force", "true"),
            "server-side apply: {query}"
        );
        apply.body
    }

    /// The status conditions of a status patch, as (type, status, reason).
    fn conditions(patch: &Value) -> Vec<(String, String, String)> {
        let conditions = patch["status"]["conditions"].clone();
        let conditions: Vec<Condition> = serde_json::from_value(conditions).unwrap();
        conditions
            .into_iter()
            .map(|c| (c.r#type, c.status, c.reason))
            .collect()
    }

    fn summary(conditions: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
        conditions
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect()
    }

    /// The env var `name` of the first container of a StatefulSet patch.
    fn env_var<'a>(statefulset: &'a Value, name: &str) -> &'a Value {
        let env = statefulset["spec"]["template"]["spec"]["containers"][0]["env"]
            .as_array()
            .unwrap();
        let var = env.iter().find(|var| var["name"] == name);
        &var.unwrap_or_else(|| panic!("no env var {name}"))["value"]
    }

    /// Runs `reconcile` on `obj` against the API server that `serve` plays.
    async fn reconcile_with<S, F>(obj: Hwfka, serve: S) -> Result<Action>
    where
        S: FnOnce(ApiServer) -> F,
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let (ctx, server) = testing::context(MANAGER, Default::default());
        testing::serve_while(server, serve, reconcile(Arc::new(obj), ctx)).await
    }

    #[tokio::test]
    async fn adds_the_finalizer_first() {
        let result = reconcile_with(object(), |mut server| async move {
            let response = serde_json::to_value(with_finalizer(object())).unwrap();
            let patch = server.expect(Method::PATCH, &object_path(), response).await;
            let expected = json!([
                {"op": "test", "path": "/metadata/finalizers", "value": null},
                {"op": "add", "path": "/metadata/finalizers", "value": [FINALIZER]},
            ]);
            assert_eq!(patch.body, expected);
        })
        .await;
        assert_eq!(result.unwrap(), Action::await_change());
    }

    #[tokio::test]
    async fn applies_services_and_statefulsets_then_reports_creating() {
        let mut obj = with_finalizer(object());
        obj.spec.storage_class = Some("fast".into());
        obj.spec.replicas = 3;
        obj.spec.zookeeper_replicas = 3;
        let result = reconcile_with(obj, |mut server| async move {
            let [zk_service, zk, kafka_service, kafka] =
                expect_owned_applies(&mut server, 1, 0).await;

            // Headless Services, publishing pods before they are ready.
            for (service, component) in [(&zk_service, "zookeeper"), (&kafka_service, "kafka")] {
                assert_eq!(service["kind"], "Service");
                assert_eq!(service["spec"]["clusterIP"], "None");
                assert_eq!(service["spec"]["publishNotReadyAddresses"], true);
                let selector = &service["spec"]["selector"];
                assert_eq!(selector["app.kubernetes.io/name"], component);
                assert_eq!(selector["app.kubernetes.io/instance"], "test");
            }
            assert_eq!(zk_service["spec"]["ports"][0]["port"], 2181);
            assert_eq!(kafka_service["spec"]["ports"][0]["port"], 9092);

            // StatefulSets with their replicas, headless Service, PVCs and security context.
            for (sts, service, image) in [
                (
                    &zk,
                    "test-zookeeper-headless",
                    "confluentinc/cp-zookeeper:7.6.1",
                ),
                (&kafka, "test-kafka-headless", "confluentinc/cp-kafka:7.6.1"),
            ] {
                assert_eq!(sts["kind"], "StatefulSet");
                let spec = &sts["spec"];
                assert_eq!(spec["replicas"], 3);
                assert_eq!(spec["serviceName"], service);
                let template = &spec["template"];
                assert_eq!(
                    spec["selector"]["matchLabels"]["app.kubernetes.io/name"],
                    template["metadata"]["labels"]["app.kubernetes.io/name"]
                );
                let pod = &template["spec"];
                assert_eq!(pod["securityContext"]["runAsNonRoot"], true);
                assert_eq!(pod["securityContext"]["fsGroup"], 1000);
                let container = &pod["containers"][0];
                assert_eq!(container["image"], image);
                assert_eq!(
                    container["securityContext"]["allowPrivilegeEscalation"],
                    false
                );
                assert_eq!(container["volumeMounts"][0]["name"], "data");
                let claim = &spec["volumeClaimTemplates"][0];
                assert_eq!(claim["metadata"]["name"], "data");
                assert_eq!(claim["spec"]["storageClassName"], "fast");
                assert_eq!(claim["spec"]["resources"]["requests"]["storage"], "1Gi");
                assert_eq!(claim["spec"]["accessModes"], json!(["ReadWriteOnce"]));
            }
            let servers = (0..3)
                .map(|i| {
                    format!("test-zookeeper-{i}.test-zookeeper-headless.default.svc:2888:3888")
                })
                .collect::<Vec<_>>()
                .join(";");
            assert_eq!(*env_var(&zk, "ZOOKEEPER_SERVERS"), json!(servers));
            let connect = (0..3)
                .map(|i| format!("test-zookeeper-{i}.test-zookeeper-headless.default.svc:2181"))
                .collect::<Vec<_>>()
                .join(",");
            assert_eq!(*env_var(&kafka, "KAFKA_ZOOKEEPER_CONNECT"), json!(connect));
            assert_eq!(
                *env_var(&kafka, "KAFKA_ADVERTISED_LISTENERS"),
                "PLAINTEXT://$(POD_NAME).test-kafka-headless.default.svc:9092"
            );

            // Not every pod is ready: Creating.
            let patch = expect_status_apply(&mut server).await;
            assert_eq!(patch["apiVersion"], "kafka.example.com/v1");
            assert_eq!(patch["kind"], "Hwfka");
            let status = &patch["status"];
            assert_eq!(status["phase"], "Creating");
            assert_eq!(status["readyBrokers"], 0);
            assert_eq!(status["brokers"], json!(brokers()));
            let expected = [
                (AVAILABLE, "False", "Creating"),
                (PROGRESSING, "True", "Creating"),
                (DEGRADED, "False", "Creating"),
            ];
            assert_eq!(conditions(&patch), summary(&expected));
            let message = &status["conditions"][0]["message"];
            assert_eq!(message, "0/3 brokers and 1/3 ZooKeeper servers are ready");
            // No event until the cluster is available.
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(CREATING_REQUEUE));
    }

    #[tokio::test]
    async fn follows_the_spec_replicas_and_the_default_storage_class() {
        let mut obj = with_finalizer(object());
        obj.spec.replicas = 1;
        obj.spec.zookeeper_replicas = 5;
        let result = reconcile_with(obj, |mut server| async move {
            let [_, zk, _, kafka] = expect_owned_applies(&mut server, 0, 0).await;
            assert_eq!(zk["spec"]["replicas"], 5);
            assert_eq!(kafka["spec"]["replicas"], 1);
            for sts in [&zk, &kafka] {
                let claim = &sts["spec"]["volumeClaimTemplates"][0]["spec"];
                assert!(claim.get("storageClassName").is_none(), "{claim}");
            }
            assert_eq!(
                *env_var(&kafka, "KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR"),
                "1"
            );
            let patch = expect_status_apply(&mut server).await;
            let brokers = ["test-kafka-0.test-kafka-headless.default.svc:9092"];
            assert_eq!(patch["status"]["brokers"], json!(brokers));
            assert_eq!(patch["status"]["phase"], "Creating");
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(CREATING_REQUEUE));
    }

    #[tokio::test]
    async fn reports_running_with_the_broker_endpoints_and_records_an_event() {
        let result = reconcile_with(with_finalizer(object()), |mut server| async move {
            expect_owned_applies(&mut server, 3, 3).await;
            let patch = expect_status_apply(&mut server).await;
            let status = &patch["status"];
            assert_eq!(status["phase"], "Running");
            assert_eq!(status["readyBrokers"], 3);
            assert_eq!(status["brokers"], json!(brokers()));
            let expected = [
                (AVAILABLE, "True", "Running"),
                (PROGRESSING, "False", "Running"),
                (DEGRADED, "False", "Running"),
            ];
            assert_eq!(conditions(&patch), summary(&expected));
            let observed = &status["conditions"][0]["observedGeneration"];
            assert_eq!(*observed, 1);
            let event = server.expect(Method::POST, EVENTS, json!({})).await;
            assert_eq!(event.body["reason"], "Available");
            assert_eq!(event.body["type"], "Normal");
            assert_eq!(event.body["regarding"]["name"], "test");
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(RUNNING_REQUEUE));
    }

    #[tokio::test]
    async fn leaves_an_up_to_date_status_alone() {
        let mut obj = with_finalizer(object());
        let status = obj.status.get_or_insert_default();
        status.phase = Some(HwfkaPhase::Running);
        status.brokers = brokers();
        status.ready_brokers = 3;
        let message = "3 brokers and 3 ZooKeeper servers are ready";
        let state = State::Available;
        conditions::set_state(&mut status.conditions, state, "Running", message, Some(1));
        // Only the applies: no status patch, no event.
        let result = reconcile_with(obj, |mut server| async move {
            expect_owned_applies(&mut server, 3, 3).await;
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(RUNNING_REQUEUE));
    }

    #[test]
    fn a_statefulset_that_has_not_seen_its_spec_is_not_ready() {
        let mut sts: StatefulSet = serde_json::from_value(json!({
            "metadata": {"name": "test-kafka", "generation": 2},
            "status": {"replicas": 3, "readyReplicas": 3, "observedGeneration": 1},
        }))
        .unwrap();
        assert_eq!(ready_replicas(&sts), 0);
        sts.status.as_mut().unwrap().observed_generation = Some(2);
        assert_eq!(ready_replicas(&sts), 3);
        sts.status = None;
        assert_eq!(ready_replicas(&sts), 0);
    }

    #[tokio::test]
    async fn cleans_up_and_removes_the_finalizer_on_deletion() {
        let obj = deleting(with_finalizer(object()));
        let result = reconcile_with(obj, |mut server| async move {
            let event = server.expect(Method::POST, EVENTS, json!({})).await;
            assert_eq!(event.body["reason"], "Deleting");
            let response = serde_json::to_value(deleting(object())).unwrap();
            let patch = server.expect(Method::PATCH, &object_path(), response).await;
            let expected = json!([
                {"op": "test", "path": "/metadata/finalizers/0", "value": FINALIZER},
                {"op": "remove", "path": "/metadata/finalizers/0"},
            ]);
            assert_eq!(patch.body, expected);
        })
        .await;
        assert_eq!(result.unwrap(), Action::await_change());
    }

    #[tokio::test]
    async fn a_failed_request_reports_failed_and_fails_the_reconciliation() {
        let result = reconcile_with(with_finalizer(object()), |mut server| async move {
            let path = format!("{SERVICES}/test-zookeeper-headless");
            let mut failure = testing::status(500, "InternalError");
            failure["message"] = json!("boom");
            server
                .expect_status(Method::PATCH, &path, 500, failure)
                .await;
            // The failure goes into the status.
            let patch = expect_status_apply(&mut server).await;
            assert_eq!(patch["status"]["phase"], "Failed");
            let expected = [
                (AVAILABLE, "False", "Failed"),
                (PROGRESSING, "False", "Failed"),
                (DEGRADED, "True", "Failed"),
            ];
            assert_eq!(conditions(&patch), summary(&expected));
            let message = patch["status"]["conditions"][2]["message"]
                .as_str()
                .unwrap();
            assert!(message.contains("boom"), "{message}");
        })
        .await;
        // run_controller requeues it with a backoff.
        assert!(matches!(result, Err(Error::Finalizer(_))), "{result:?}");
    }

    #[tokio::test]
    async fn an_object_without_a_namespace_is_invalid() {
        let obj = Hwfka::new("test", Default::default());
        assert!(matches!(
            broker_endpoints(&obj),
            Err(Error::InvalidObject("no namespace"))
        ));
        // Rejected before any request.
        let result = reconcile_with(obj, |server| async move { drop(server) }).await;
        assert!(matches!(result, Err(Error::InvalidObject(_))), "{result:?}");
    }
}
