//! The Memcached controller (deploy-image): runs `memcached:1.6.26-alpine` as a Deployment of
//! `spec.size` pods for every Memcached, and reports how that goes in its status conditions.

use std::collections::BTreeMap;
use std::time::Duration;

use k8s_openapi::api::apps::v1::{Deployment, DeploymentSpec};
use k8s_openapi::api::core::v1::Pod;
use k8s_openapi::api::core::v1::{Capabilities, Container, PodSecurityContext, PodSpec};
use k8s_openapi::api::core::v1::{ContainerPort, PodTemplateSpec, SeccompProfile, SecurityContext};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{LabelSelector, ObjectMeta};
use kube::api::ListParams;
use kube::runtime::watcher;
use kubeforge_runtime::conditions::State;
use kubeforge_runtime::prelude::*;

use memcached_operator_api::v1alpha1::Memcached;

use super::Context;

/// The name of this controller in logs and metrics.
pub const CONTROLLER: &str = "memcached";

/// The finalizer this controller puts on every Memcached, to clean up before it is deleted.
pub const FINALIZER: &str = "cache.example.com/finalizer";

/// The image the Deployments run, unless the manager's environment variable [`IMAGE_ENV`] names
/// another (config/manager/manager.yaml sets it, so the image changes without a rebuild).
pub const DEFAULT_IMAGE: &str = "memcached:1.6.26-alpine";

/// The environment variable that overrides [`DEFAULT_IMAGE`].
pub const IMAGE_ENV: &str = "MEMCACHED_IMAGE";

/// The command of the container (`--image-container-command`).
#[rustfmt::skip] // one argument per line, as given on the command line
const COMMAND: &[&str] = &[
    "memcached",
    "--memory-limit=64",
    "-o",
    "modern",
    "-v",
];

/// The `app.kubernetes.io/name` of the pods.
const APP: &str = "memcached";

/// The `app.kubernetes.io/part-of` of the Deployments.
const PART_OF: &str = "memcached-operator";

/// Marks the Deployments this controller manages; it watches only those.
const MANAGED_BY: &str = "MemcachedController";

/// Runs the controller until the manager shuts down.
pub async fn run(ctx: Arc<Context>) -> Result<()> {
    let api: Api<Memcached> = ctx.watched_api();
    let deployments: Api<Deployment> = ctx.watched_api();
    let owned =
        watcher::Config::default().labels(&format!("app.kubernetes.io/managed-by={MANAGED_BY}"));
    tracing::info!(controller = CONTROLLER, image = %image(), "starting");
    let controller = controller_for(&ctx, api).await?.owns(deployments, owned);
    run_controller(CONTROLLER, controller, reconcile, ctx).await
}

/// The image to run: [`IMAGE_ENV`] when set, else [`DEFAULT_IMAGE`].
pub fn image() -> String {
    std::env::var(IMAGE_ENV)
        .ok()
        .filter(|image| !image.is_empty())
        .unwrap_or_else(|| DEFAULT_IMAGE.to_owned())
}

/// Keeps a Deployment of `spec.size` pods running for the Memcached, and reports it in its status.
///
/// The `#[rbac]` attributes say what the controller may do: `cargo xtask generate rbac`
/// writes them into config/rbac/role.yaml.
#[rustfmt::skip::attributes(rbac)] // one rule per line
#[rbac(groups = "cache.example.com", resources = "memcacheds", verbs = "get;list;watch;create;update;patch;delete")]
#[rbac(groups = "cache.example.com", resources = "memcacheds/status", verbs = "get;update;patch")]
#[rbac(groups = "cache.example.com", resources = "memcacheds/finalizers", verbs = "update")]
#[rbac(groups = "apps", resources = "deployments", verbs = "get;list;watch;create;update;patch;delete")]
#[rbac(groups = "", resources = "pods", verbs = "get;list;watch")] // status.nodes
#[rbac(groups = "events.k8s.io", resources = "events", verbs = "create;patch")]
pub async fn reconcile(obj: Arc<Memcached>, ctx: Arc<Context>) -> Result<Action> {
    let api = ctx.api_for(obj.as_ref());
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

/// The labels that select the pods of a Memcached's Deployment (immutable once created).
fn selector_labels(name: &str) -> BTreeMap<String, String> {
    BTreeMap::from([
        ("app.kubernetes.io/name".to_owned(), APP.to_owned()),
        ("app.kubernetes.io/instance".to_owned(), name.to_owned()),
    ])
}

/// The label selector of a Memcached's pods, in `kubectl --selector` form.
fn selector(name: &str) -> String {
    let labels = selector_labels(name).into_iter();
    let pairs: Vec<String> = labels.map(|(k, v)| format!("{k}={v}")).collect();
    pairs.join(",")
}

/// The Deployment a Memcached asks for: `spec.size` replicas of `image`, owned by the
/// Memcached (so Kubernetes deletes it with it), under the restricted Pod Security Standard.
pub fn deployment_for(obj: &Memcached, image: &str) -> Result<Deployment> {
    let name = obj.name_any();
    let owner = obj
        .controller_owner_ref(&())
        .ok_or(Error::InvalidObject("no uid"))?;
    let selector = selector_labels(&name);
    let mut labels = selector.clone();
    labels.insert("app.kubernetes.io/managed-by".into(), MANAGED_BY.into());
    labels.insert("app.kubernetes.io/part-of".into(), PART_OF.into());
    let container = Container {
        name: "memcached".into(),
        image: Some(image.into()),
        image_pull_policy: Some("IfNotPresent".into()),
        command: Some(COMMAND.iter().map(|arg| arg.to_string()).collect()),
        ports: Some(vec![ContainerPort {
            container_port: obj.spec.container_port,
            name: Some("memcached".into()),
            protocol: Some("TCP".into()),
            ..Default::default()
        }]),
        security_context: Some(SecurityContext {
            run_as_non_root: Some(true),
            run_as_user: Some(1001),
            allow_privilege_escalation: Some(false),
            capabilities: Some(Capabilities {
                drop: Some(vec!["ALL".into()]),
                ..Default::default()
            }),
            ..Default::default()
        }),
        ..Default::default()
    };
    Ok(Deployment {
        metadata: ObjectMeta {
            name: Some(name),
            namespace: obj.namespace(),
            labels: Some(labels.clone()),
            owner_references: Some(vec![owner]),
            ..Default::default()
        },
        spec: Some(DeploymentSpec {
            replicas: Some(obj.spec.size),
            selector: LabelSelector {
                match_labels: Some(selector),
                ..Default::default()
            },
            template: PodTemplateSpec {
                metadata: Some(ObjectMeta {
                    labels: Some(labels),
                    ..Default::default()
                }),
                spec: Some(PodSpec {
                    security_context: Some(PodSecurityContext {
                        run_as_non_root: Some(true),
                        seccomp_profile: Some(SeccompProfile {
                            type_: "RuntimeDefault".into(),
                            ..Default::default()
                        }),
                        ..Default::default()
                    }),
                    containers: vec![container],
                    ..Default::default()
                }),
            },
            ..Default::default()
        }),
        ..Default::default()
    })
}

/// What `ensure_deployment` did: the Deployment, and the event to publish when it changed it.
type Ensured = (Deployment, Option<(&'static str, String)>);

/// Why `ensure_deployment` failed: the reason of the Degraded condition, and the error.
type Failure = (&'static str, Error);

/// The Memcached exists and carries the finalizer: create or resize its Deployment and
/// report how far it got in the status conditions.
async fn apply(obj: &Memcached, ctx: &Context) -> Result<Action> {
    let name = obj.name_any();
    let size = obj.spec.size;
    tracing::info!(controller = CONTROLLER, %name, size, "reconciling");
    let generation = obj.meta().generation;
    let mut status = obj.status.clone().unwrap_or_default();
    let (deployment, change) = match ensure_deployment(obj, ctx).await {
        Ok(ensured) => ensured,
        Err((reason, error)) => {
            let message = error.to_string();
            tracing::warn!(controller = CONTROLLER, %name, %message, "degraded");
            let state = State::Degraded;
            conditions::set_state(&mut status.conditions, state, reason, &message, generation);
            ctx.apply_status(obj, &status).await?;
            return Err(error);
        }
    };
    if let Some((reason, note)) = change {
        ctx.publish(obj, EventType::Normal, reason, "Reconcile", note)
            .await;
    }

    let ready = deployment
        .status
        .as_ref()
        .and_then(|s| s.ready_replicas)
        .unwrap_or(0);
    let available = ready >= size;
    let was_available = conditions::is_true(&status.conditions, AVAILABLE);
    let message = format!("Deployment {name} has {ready} of {size} replicas ready");
    // The pods' names, and what the scale subresource reads (`kubectl scale`, autoscalers).
    let namespace = obj.namespace().unwrap_or_default();
    let pods: Api<Pod> = Api::namespaced(ctx.client.clone(), &namespace);
    let selector = selector(&name);
    let listed = pods.list(&ListParams::default().labels(&selector)).await?;
    let mut nodes: Vec<String> = listed.items.iter().map(|pod| pod.name_any()).collect();
    nodes.sort();
    let replicas = deployment
        .status
        .as_ref()
        .and_then(|s| s.replicas)
        .unwrap_or(0);
    let observed = (nodes, replicas, ready, selector);
    let current = (
        std::mem::take(&mut status.nodes),
        status.replicas,
        status.ready_replicas,
        std::mem::take(&mut status.selector),
    );
    let mut changed = observed != current;
    (
        status.nodes,
        status.replicas,
        status.ready_replicas,
        status.selector,
    ) = observed;
    let (state, reason) = match available {
        true => (State::Available, "Reconciled"),
        false => (State::Progressing, "Scaling"),
    };
    changed |= conditions::set_state(&mut status.conditions, state, reason, &message, generation);
    if changed {
        ctx.apply_status(obj, &status).await?;
    }
    if available && !was_available {
        ctx.publish(obj, EventType::Normal, "Available", "Reconcile", message)
            .await;
    }
    // The owned Deployment's changes wake this controller; requeue anyway to correct drift.
    let requeue = if available { 300 } else { 60 };
    Ok(Action::requeue(Duration::from_secs(requeue)))
}

/// Applies the Memcached's Deployment (server-side apply: this controller owns the
/// fields it sets, others' stay), refusing one another owner controls.
async fn ensure_deployment(obj: &Memcached, ctx: &Context) -> Result<Ensured, Failure> {
    let name = obj.name_any();
    let size = obj.spec.size;
    let no_namespace = || ("InvalidObject", Error::InvalidObject("no namespace"));
    let namespace = obj.namespace().ok_or_else(no_namespace)?;
    let deployments: Api<Deployment> = Api::namespaced(ctx.client.clone(), &namespace);
    let failed = |e: kube::Error| ("DeploymentFailed", Error::from(e));
    let existing = deployments.get_opt(&name).await.map_err(failed)?;
    if let Some(existing) = &existing
        && !owned_by(existing, obj)
    {
        let error = Error::InvalidObject("its Deployment is controlled by another owner");
        return Err(("DeploymentConflict", error));
    }
    let desired = deployment_for(obj, &image());
    let desired = desired.map_err(|e| ("InvalidObject", e))?;
    let applied = ctx.apply(&desired).await;
    let applied = applied.map_err(|e| ("DeploymentFailed", e))?;
    let change = match existing.map(|existing| replicas(&existing)) {
        None => {
            let note = format!("Created Deployment {name} with {size} replicas");
            Some(("Created", note))
        }
        Some(from) if from != size => {
            let note = format!("Resized Deployment {name} from {from} to {size} replicas");
            Some(("Resized", note))
        }
        Some(_) => None,
    };
    Ok((applied, change))
}

/// Whether `deployment` is controlled by `obj`.
fn owned_by(deployment: &Deployment, obj: &Memcached) -> bool {
    let uid = obj.meta().uid.as_deref();
    deployment
        .owner_references()
        .iter()
        .any(|o| o.controller == Some(true) && Some(o.uid.as_str()) == uid)
}

fn replicas(deployment: &Deployment) -> i32 {
    deployment
        .spec
        .as_ref()
        .and_then(|s| s.replicas)
        .unwrap_or(1)
}

/// The Memcached is being deleted. Its Deployment goes with it (owner reference); the
/// finalizer is where to release what Kubernetes does not garbage-collect.
async fn cleanup(obj: &Memcached, ctx: &Context) -> Result<Action> {
    let name = obj.name_any();
    tracing::info!(controller = CONTROLLER, %name, "cleaning up");

    // TODO(user): release what is not garbage-collected (external resources, objects without
    // an owner reference). Return an error to retry later: the object stays until cleanup succeeds.

    let note = format!("Custom resource {name} is being deleted");
    ctx.publish(obj, EventType::Warning, "Deleting", "Finalize", note)
        .await;
    Ok(Action::await_change())
}

#[cfg(test)]
mod tests {
    use k8s_openapi::api::apps::v1::DeploymentStatus;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use k8s_openapi::jiff::Timestamp;
    use kubeforge::types::Condition;
    use kubeforge_runtime::testing::{self, ApiServer, Method, Request};
    use serde_json::{Value, json};

    use super::*;

    const MANAGER: &str = "memcached-operator";
    const EVENTS: &str = "/apis/events.k8s.io/v1/namespaces/default/events";
    const DEPLOYMENT: &str = "/apis/apps/v1/namespaces/default/deployments/test";
    const UID: &str = "8d5a2d36-3ec6-4a53-9ed2-1d4a4f9b3c01";

    /// The object the tests reconcile: size 2, carrying the finalizer.
    fn object() -> Memcached {
        let mut obj = Memcached::new("test", Default::default());
        obj.spec.size = 2;
        obj.meta_mut().namespace = Some("default".into());
        obj.meta_mut().uid = Some(UID.into());
        obj.meta_mut().generation = Some(1);
        obj.meta_mut().finalizers = Some(vec![FINALIZER.into()]);
        obj
    }

    fn deleting(mut obj: Memcached) -> Memcached {
        obj.meta_mut().deletion_timestamp = Some(Time(Timestamp::now()));
        obj
    }

    /// The Deployment of `object()` as the API server would return it.
    fn deployment(replicas: i32, ready: i32) -> Value {
        let mut deployment = deployment_for(&object(), DEFAULT_IMAGE).unwrap();
        if let Some(spec) = deployment.spec.as_mut() {
            spec.replicas = Some(replicas);
        }
        deployment.status = Some(DeploymentStatus {
            replicas: Some(replicas),
            ready_replicas: Some(ready),
            ..Default::default()
        });
        serde_json::to_value(deployment).unwrap()
    }

    fn object_path() -> String {
        let collection = Memcached::url_path(&(), Some("default"));
        format!("{collection}/test")
    }

    fn not_found() -> Value {
        testing::status(404, "NotFound")
    }

    /// Checks a server-side apply by this manager.
    fn assert_applied(request: &Request) {
        let query = &request.query;
        assert!(request.has_query("fieldManager", MANAGER), "{query}");
        assert!(request.has_query("force", "true"), "not applied: {query}");
    }

    const PODS: &str = "/api/v1/namespaces/default/pods";

    /// Answers the list of the object's pods with pods of these names.
    async fn expect_pods(server: &mut ApiServer, names: &[&str]) {
        let items: Vec<Value> = names
            .iter()
            .map(|name| json!({"apiVersion": "v1", "kind": "Pod", "metadata": {"name": name}}))
            .collect();
        let list = json!({"apiVersion": "v1", "kind": "PodList", "metadata": {}, "items": items});
        let request = server.expect(Method::GET, PODS, list).await;
        let query = &request.query;
        let selector = query
            .replace("%3D", "=")
            .replace("%2C", ",")
            .replace("%2F", "/");
        assert!(selector.contains(&selector_in_query()), "{query}");
    }

    fn selector_in_query() -> String {
        format!("labelSelector={}", selector("test"))
    }

    /// Takes a status patch and returns its conditions as (type, status, reason).
    async fn expect_status(server: &mut ApiServer) -> Vec<(String, String, String)> {
        let path = format!("{}/status", object_path());
        let response = serde_json::to_value(object()).unwrap();
        let patch = server.expect(Method::PATCH, &path, response).await;
        assert_applied(&patch);
        let conditions = patch.body["status"]["conditions"].clone();
        let conditions: Vec<Condition> = serde_json::from_value(conditions).unwrap();
        conditions
            .into_iter()
            .map(|c| {
                assert_eq!(c.observed_generation, Some(1));
                (c.r#type, c.status, c.reason)
            })
            .collect()
    }

    fn conditions(
        available: &str,
        progressing: &str,
        degraded: &str,
        reason: &str,
    ) -> Vec<(String, String, String)> {
        [
            (AVAILABLE, available),
            (PROGRESSING, progressing),
            (DEGRADED, degraded),
        ]
        .map(|(t, s)| (t.to_owned(), s.to_owned(), reason.to_owned()))
        .to_vec()
    }

    /// Runs `reconcile` on `obj` against the API server that `serve` plays.
    async fn reconcile_with<S, F>(obj: Memcached, serve: S) -> Result<Action>
    where
        S: FnOnce(ApiServer) -> F,
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let (ctx, server) = testing::context(MANAGER, Default::default());
        testing::serve_while(server, serve, reconcile(Arc::new(obj), ctx)).await
    }

    #[test]
    fn the_deployment_runs_the_image_as_non_root_and_is_owned() {
        let deployment = deployment_for(&object(), "example/image:1").unwrap();
        let owner = &deployment.metadata.owner_references.as_ref().unwrap()[0];
        assert_eq!((owner.uid.as_str(), owner.controller), (UID, Some(true)));
        let spec = deployment.spec.unwrap();
        assert_eq!(spec.replicas, Some(2));
        let pod = spec.template.spec.unwrap();
        let pod_security = pod.security_context.unwrap();
        assert_eq!(pod_security.run_as_non_root, Some(true));
        let container = &pod.containers[0];
        assert_eq!(container.image.as_deref(), Some("example/image:1"));
        let security = container.security_context.as_ref().unwrap();
        assert_eq!(security.allow_privilege_escalation, Some(false));
        assert_eq!(security.run_as_user, Some(1001));
        let port = &container.ports.as_ref().unwrap()[0];
        assert_eq!(port.container_port, object().spec.container_port);
        assert_eq!(container.command.as_deref().unwrap(), COMMAND);
        let selector = spec.selector.match_labels.unwrap();
        let labels = spec.template.metadata.unwrap().labels.unwrap();
        assert!(selector.iter().all(|(k, v)| labels.get(k) == Some(v)));
    }

    #[tokio::test]
    async fn adds_the_finalizer_first() {
        let mut obj = object();
        obj.meta_mut().finalizers = None;
        let result = reconcile_with(obj, |mut server| async move {
            let response = serde_json::to_value(object()).unwrap();
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
    async fn applies_the_deployment_and_reports_progress() {
        let result = reconcile_with(object(), |mut server| async move {
            let (get, patch) = (Method::GET, Method::PATCH);
            let missing = not_found();
            server.expect_status(get, DEPLOYMENT, 404, missing).await;
            let applied = server.expect(patch, DEPLOYMENT, deployment(2, 0)).await;
            assert_applied(&applied);
            assert_eq!(applied.body["spec"]["replicas"], 2);
            let image = &applied.body["spec"]["template"]["spec"]["containers"][0]["image"];
            assert_eq!(image, DEFAULT_IMAGE);
            assert_eq!(applied.body["metadata"]["ownerReferences"][0]["uid"], UID);
            let event = server.expect(Method::POST, EVENTS, json!({})).await;
            assert_eq!(event.body["reason"], "Created");
            expect_pods(&mut server, &[]).await;
            let expected = conditions("False", "True", "False", "Scaling");
            assert_eq!(expect_status(&mut server).await, expected);
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(60)));
    }

    #[tokio::test]
    async fn resizes_the_deployment_to_spec_size() {
        let result = reconcile_with(object(), |mut server| async move {
            let (get, patch) = (Method::GET, Method::PATCH);
            server.expect(get, DEPLOYMENT, deployment(1, 1)).await;
            let applied = server.expect(patch, DEPLOYMENT, deployment(2, 1)).await;
            assert_eq!(applied.body["spec"]["replicas"], 2);
            let event = server.expect(Method::POST, EVENTS, json!({})).await;
            assert_eq!(event.body["reason"], "Resized");
            expect_pods(&mut server, &["test-a"]).await;
            let expected = conditions("False", "True", "False", "Scaling");
            assert_eq!(expect_status(&mut server).await, expected);
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(60)));
    }

    #[tokio::test]
    async fn reports_available_once_every_replica_is_ready() {
        let result = reconcile_with(object(), |mut server| async move {
            let (get, patch) = (Method::GET, Method::PATCH);
            server.expect(get, DEPLOYMENT, deployment(2, 2)).await;
            server.expect(patch, DEPLOYMENT, deployment(2, 2)).await;
            expect_pods(&mut server, &["test-b", "test-a"]).await;
            let expected = conditions("True", "False", "False", "Reconciled");
            assert_eq!(expect_status(&mut server).await, expected);
            let event = server.expect(Method::POST, EVENTS, json!({})).await;
            assert_eq!(event.body["reason"], "Available");
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
    }

    #[tokio::test]
    async fn the_status_lists_pod_names_and_the_scale_fields() {
        let result = reconcile_with(object(), |mut server| async move {
            let (get, patch) = (Method::GET, Method::PATCH);
            server.expect(get, DEPLOYMENT, deployment(2, 2)).await;
            server.expect(patch, DEPLOYMENT, deployment(2, 2)).await;
            expect_pods(&mut server, &["test-b", "test-a"]).await;
            let path = format!("{}/status", object_path());
            let response = serde_json::to_value(object()).unwrap();
            let applied = server.expect(Method::PATCH, &path, response).await;
            assert_applied(&applied);
            let status = &applied.body["status"];
            assert_eq!(status["nodes"], json!(["test-a", "test-b"]));
            let replicas = (
                status["replicas"].as_i64(),
                status["readyReplicas"].as_i64(),
            );
            assert_eq!(replicas, (Some(2), Some(2)));
            assert_eq!(status["selector"], selector("test"));
            server.expect(Method::POST, EVENTS, json!({})).await;
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
    }

    #[tokio::test]
    async fn leaves_an_up_to_date_status_alone() {
        let mut obj = object();
        let status = obj.status.get_or_insert_default();
        let message = "Deployment test has 2 of 2 replicas ready";
        let state = State::Available;
        conditions::set_state(
            &mut status.conditions,
            state,
            "Reconciled",
            message,
            Some(1),
        );
        status.nodes = vec!["test-a".into(), "test-b".into()];
        (status.replicas, status.ready_replicas) = (2, 2);
        status.selector = selector("test");
        let result = reconcile_with(obj, |mut server| async move {
            let (get, patch) = (Method::GET, Method::PATCH);
            server.expect(get, DEPLOYMENT, deployment(2, 2)).await;
            server.expect(patch, DEPLOYMENT, deployment(2, 2)).await;
            expect_pods(&mut server, &["test-b", "test-a"]).await;
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
    }

    #[tokio::test]
    async fn a_failed_apply_degrades_the_status_and_fails() {
        let result = reconcile_with(object(), |mut server| async move {
            let get = Method::GET;
            let missing = not_found();
            server.expect_status(get, DEPLOYMENT, 404, missing).await;
            server.fail_next(500, "InternalError").await;
            let expected = conditions("False", "False", "True", "DeploymentFailed");
            assert_eq!(expect_status(&mut server).await, expected);
        })
        .await;
        assert!(matches!(result, Err(Error::Finalizer(_))), "{result:?}");
    }

    #[tokio::test]
    async fn refuses_a_deployment_it_does_not_own() {
        let result = reconcile_with(object(), |mut server| async move {
            let mut foreign = deployment(2, 2);
            foreign["metadata"]["ownerReferences"] = Value::Null;
            server.expect(Method::GET, DEPLOYMENT, foreign).await;
            let expected = conditions("False", "False", "True", "DeploymentConflict");
            assert_eq!(expect_status(&mut server).await, expected);
        })
        .await;
        assert!(matches!(result, Err(Error::Finalizer(_))), "{result:?}");
    }

    #[tokio::test]
    async fn removes_the_finalizer_on_deletion() {
        let result = reconcile_with(deleting(object()), |mut server| async move {
            let event = server.expect(Method::POST, EVENTS, json!({})).await;
            let reason = (event.body["reason"].as_str(), event.body["type"].as_str());
            assert_eq!(reason, (Some("Deleting"), Some("Warning")));
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
}
