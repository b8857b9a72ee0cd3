//! The VirtualMachine controller: reconciles `vm_operator_api::v1alpha1::VirtualMachine`.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use kube::api::{ListParams, Patch, PatchParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::events::{Event, EventType};
use kube::runtime::finalizer::{Event as FinalizerEvent, finalizer};
use kube::runtime::watcher;
use kube::{Api, Resource, ResourceExt};
use kubeforge::rbac;

use vm_operator_api::v1alpha1::VirtualMachine;

use super::{AVAILABLE, DEGRADED, MANAGER_NAME, PROGRESSING};
use super::{Context, Error, Result};
use super::{backoff_key, condition, is_condition_true, set_condition};

/// The name of this controller in logs and metrics.
pub const CONTROLLER: &str = "virtual_machine";

/// The finalizer this controller puts on every VirtualMachine, to clean up before it is deleted.
pub const FINALIZER: &str = "infra.example.com/finalizer";

/// Runs the controller until the manager shuts down.
pub async fn run(ctx: Arc<Context>) -> Result<()> {
    let api: Api<VirtualMachine> = ctx.watched_api();
    // Fail early, with a hint, when the CRD is not installed.
    if let Err(e) = api.list(&ListParams::default().limit(1)).await {
        tracing::error!(
            controller = CONTROLLER,
            "is the CRD installed? (`cargo xtask install`)"
        );
        return Err(e.into());
    }
    tracing::info!(controller = CONTROLLER, "starting");
    Controller::new(api, watcher::Config::default().any_semantic())
        .graceful_shutdown_on(ctx.shutdown.clone().cancelled_owned())
        .run(reconcile, error_policy, ctx)
        .for_each(|result| async move {
            match result {
                Ok((obj, _)) => tracing::debug!(controller = CONTROLLER, %obj, "reconciled"),
                Err(e) => tracing::debug!(controller = CONTROLLER, error = %e, "failed"),
            }
        })
        .await;
    tracing::info!(controller = CONTROLLER, "stopped");
    Ok(())
}

/// Moves the cluster towards the state a VirtualMachine asks for, and reports it in its status.
///
/// The `#[rbac]` attributes say what the controller may do: `cargo xtask generate rbac`
/// writes them into config/rbac/role.yaml.
#[rustfmt::skip::attributes(rbac)] // one rule per line
#[rbac(groups = "infra.example.com", resources = "virtualmachines", verbs = "get;list;watch;create;update;patch;delete")]
#[rbac(groups = "infra.example.com", resources = "virtualmachines/status", verbs = "get;update;patch")]
#[rbac(groups = "infra.example.com", resources = "virtualmachines/finalizers", verbs = "update")]
#[rbac(groups = "events.k8s.io", resources = "events", verbs = "create;patch")]
pub async fn reconcile(obj: Arc<VirtualMachine>, ctx: Arc<Context>) -> Result<Action> {
    let _timer = ctx.metrics.reconcile_started(CONTROLLER);
    let key = backoff_key(CONTROLLER, obj.as_ref());
    let api = api_for(&obj, &ctx)?;
    let action = finalizer(&api, FINALIZER, obj, |event| async {
        match event {
            FinalizerEvent::Apply(obj) => apply(&obj, &ctx).await,
            FinalizerEvent::Cleanup(obj) => cleanup(&obj, &ctx).await,
        }
    })
    .await
    .map_err(Box::new)?;
    ctx.backoff.reset(&key);
    Ok(action)
}

/// Requeues a VirtualMachine whose reconciliation failed, with an exponential backoff.
pub fn error_policy(obj: Arc<VirtualMachine>, err: &Error, ctx: Arc<Context>) -> Action {
    ctx.requeue_on_error(CONTROLLER, obj.as_ref(), err)
}

/// The API of the object's namespace.
fn api_for(obj: &VirtualMachine, ctx: &Context) -> Result<Api<VirtualMachine>> {
    let namespace = obj
        .namespace()
        .ok_or(Error::InvalidObject("no namespace"))?;
    Ok(Api::namespaced(ctx.client.clone(), &namespace))
}

/// The VirtualMachine exists and carries the finalizer: make the cluster match its spec.
async fn apply(obj: &VirtualMachine, ctx: &Context) -> Result<Action> {
    let name = obj.name_any();
    tracing::info!(controller = CONTROLLER, %name, "reconciling");

    // TODO(user): create or update what the object stands for (Deployments, Services,
    // external resources, ...) from `obj.spec`. Give the objects you create an owner
    // reference (`obj.controller_owner_ref(&())`) so that Kubernetes deletes them with it.

    let generation = obj.meta().generation;
    let mut status = obj.status.clone().unwrap_or_default();
    let was_available = is_condition_true(&status.conditions, AVAILABLE);
    let mut changed = false;
    for (type_, value) in [(AVAILABLE, true), (PROGRESSING, false), (DEGRADED, false)] {
        let message = format!("{name} is reconciled");
        let condition = condition(type_, value, "Reconciled", message, generation);
        changed |= set_condition(&mut status.conditions, condition);
    }
    if changed {
        // Server-side apply of the status subresource: this controller owns what it sets.
        let patch = serde_json::json!({
            "apiVersion": VirtualMachine::api_version(&()),
            "kind": VirtualMachine::kind(&()),
            "status": status,
        });
        let params = PatchParams::apply(MANAGER_NAME).force();
        let api = api_for(obj, ctx)?;
        api.patch_status(&name, &params, &Patch::Apply(&patch))
            .await?;
    }
    if !was_available {
        let event = Event {
            type_: EventType::Normal,
            reason: "Available".into(),
            note: Some(format!("{name} is available")),
            action: "Reconcile".into(),
            secondary: None,
        };
        ctx.recorder.publish(&event, &obj.object_ref(&())).await?;
    }
    // Reconcile again in a while even without changes, to correct drift.
    Ok(Action::requeue(Duration::from_secs(300)))
}

/// The VirtualMachine is being deleted: release what the finalizer guards, then it goes.
async fn cleanup(obj: &VirtualMachine, ctx: &Context) -> Result<Action> {
    let name = obj.name_any();
    tracing::info!(controller = CONTROLLER, %name, "cleaning up");

    // TODO(user): delete what Kubernetes does not garbage-collect for you (external
    // resources, objects without an owner reference). Return an error to retry later: the
    // object stays until cleanup succeeds.

    let event = Event {
        type_: EventType::Normal,
        reason: "Deleting".into(),
        note: Some(format!("Cleaning up {name}")),
        action: "Finalize".into(),
        secondary: None,
    };
    ctx.recorder.publish(&event, &obj.object_ref(&())).await?;
    Ok(Action::await_change())
}

#[cfg(test)]
mod tests {
    use std::future::Future;

    use http::{Method, Request, Response};
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use k8s_openapi::jiff::Timestamp;
    use kube::Client;
    use kube::client::Body;
    use kubeforge::types::Condition;
    use serde_json::{Value, json};
    use tokio_util::sync::CancellationToken;
    use tower_test::mock::{self, Handle};

    use super::*;
    use crate::metrics::Metrics;

    type ApiServer = Handle<Request<Body>, Response<Body>>;

    const EVENTS: &str = "/apis/events.k8s.io/v1/namespaces/default/events";

    /// A context whose client talks to a mocked API server.
    fn context() -> (Arc<Context>, ApiServer) {
        let (service, server) = mock::pair::<Request<Body>, Response<Body>>();
        let client = Client::new(service, "default");
        let metrics = Arc::new(Metrics::default());
        let ctx = Context::new(client, metrics, None, CancellationToken::new());
        (Arc::new(ctx), server)
    }

    /// The object the tests reconcile.
    fn object() -> VirtualMachine {
        let mut obj = VirtualMachine::new("test", Default::default());
        obj.meta_mut().namespace = Some("default".into());
        obj.meta_mut().uid = Some("8d5a2d36-3ec6-4a53-9ed2-1d4a4f9b3c01".into());
        obj.meta_mut().generation = Some(1);
        obj
    }

    fn with_finalizer(mut obj: VirtualMachine) -> VirtualMachine {
        obj.meta_mut().finalizers = Some(vec![FINALIZER.into()]);
        obj
    }

    fn deleting(mut obj: VirtualMachine) -> VirtualMachine {
        obj.meta_mut().deletion_timestamp = Some(Time(Timestamp::now()));
        obj
    }

    /// The API path of the test object.
    fn object_path() -> String {
        let collection = VirtualMachine::url_path(&(), Some("default"));
        format!("{collection}/test")
    }

    /// Takes the next request, checks its method and path, answers it with `response` and
    /// returns its query string and JSON body.
    async fn expect(
        server: &mut ApiServer,
        method: Method,
        path: &str,
        response: Value,
    ) -> (String, Value) {
        let (request, send) = server.next_request().await.expect("a request");
        assert_eq!(request.method(), method);
        assert_eq!(request.uri().path(), path);
        let query = request.uri().query().unwrap_or_default().to_owned();
        let body = request.into_body().collect_bytes().await.unwrap();
        let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let response = Body::from(serde_json::to_vec(&response).unwrap());
        send.send_response(Response::builder().body(response).unwrap());
        (query, body)
    }

    /// Runs `reconcile` on `obj` against the API server that `serve` plays.
    async fn reconcile_with<F>(
        obj: VirtualMachine,
        serve: impl FnOnce(ApiServer) -> F,
    ) -> (Result<Action>, Arc<Context>)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let (ctx, server) = context();
        let server = tokio::spawn(serve(server));
        let reconciled = reconcile(Arc::new(obj), ctx.clone());
        let timeout = Duration::from_secs(10);
        let result = tokio::time::timeout(timeout, reconciled).await;
        let served = tokio::time::timeout(timeout, server).await;
        served.expect("the API server got every request").unwrap();
        (result.expect("reconcile finished in time"), ctx)
    }

    #[tokio::test]
    async fn adds_the_finalizer_first() {
        let (result, ctx) = reconcile_with(object(), |mut server| async move {
            let response = serde_json::to_value(with_finalizer(object())).unwrap();
            let (_, patch) = expect(&mut server, Method::PATCH, &object_path(), response).await;
            let expected = json!([
                {"op": "test", "path": "/metadata/finalizers", "value": null},
                {"op": "add", "path": "/metadata/finalizers", "value": [FINALIZER]},
            ]);
            assert_eq!(patch, expected);
        })
        .await;
        assert_eq!(result.unwrap(), Action::await_change());
        assert_eq!(ctx.metrics.reconciles(CONTROLLER), 1);
    }

    #[tokio::test]
    async fn applies_status_conditions_and_records_an_event() {
        let (result, _) = reconcile_with(with_finalizer(object()), |mut server| async move {
            let path = format!("{}/status", object_path());
            let response = serde_json::to_value(with_finalizer(object())).unwrap();
            let (query, patch) = expect(&mut server, Method::PATCH, &path, response).await;
            assert!(query.contains(&format!("fieldManager={MANAGER_NAME}")));
            assert!(query.contains("force=true"), "server-side apply: {query}");
            let api_version = VirtualMachine::api_version(&());
            let kind = VirtualMachine::kind(&());
            assert_eq!(patch["apiVersion"], api_version.as_ref());
            assert_eq!(patch["kind"], kind.as_ref());
            let conditions = patch["status"]["conditions"].clone();
            let conditions: Vec<Condition> = serde_json::from_value(conditions).unwrap();
            let summary: Vec<_> = conditions
                .iter()
                .map(|c| (c.r#type.as_str(), c.status.as_str(), c.observed_generation))
                .collect();
            let expected = [
                (AVAILABLE, "True", Some(1)),
                (PROGRESSING, "False", Some(1)),
                (DEGRADED, "False", Some(1)),
            ];
            assert_eq!(summary, expected);
            let (_, event) = expect(&mut server, Method::POST, EVENTS, json!({})).await;
            assert_eq!(event["reason"], "Available");
            assert_eq!(event["regarding"]["name"], "test");
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
    }

    #[tokio::test]
    async fn leaves_an_up_to_date_status_alone() {
        let mut obj = with_finalizer(object());
        let status = obj.status.get_or_insert_default();
        for (type_, value) in [(AVAILABLE, true), (PROGRESSING, false), (DEGRADED, false)] {
            let condition = condition(type_, value, "Reconciled", "test is reconciled", Some(1));
            set_condition(&mut status.conditions, condition);
        }
        // No request: the mocked API server goes away at once.
        let (result, _) = reconcile_with(obj, |server| async move { drop(server) }).await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
    }

    #[tokio::test]
    async fn cleans_up_and_removes_the_finalizer_on_deletion() {
        let obj = deleting(with_finalizer(object()));
        let (result, _) = reconcile_with(obj, |mut server| async move {
            let (_, event) = expect(&mut server, Method::POST, EVENTS, json!({})).await;
            assert_eq!(event["reason"], "Deleting");
            let response = serde_json::to_value(deleting(object())).unwrap();
            let (_, patch) = expect(&mut server, Method::PATCH, &object_path(), response).await;
            let expected = json!([
                {"op": "test", "path": "/metadata/finalizers/0", "value": FINALIZER},
                {"op": "remove", "path": "/metadata/finalizers/0"},
            ]);
            assert_eq!(patch, expected);
        })
        .await;
        assert_eq!(result.unwrap(), Action::await_change());
    }

    #[tokio::test]
    async fn a_failed_request_fails_the_reconciliation() {
        let (result, _) = reconcile_with(with_finalizer(object()), |mut server| async move {
            let (_, send) = server.next_request().await.expect("a request");
            let status = json!({"kind": "Status", "apiVersion": "v1", "status": "Failure",
                "message": "boom", "reason": "InternalError", "code": 500});
            let body = Body::from(serde_json::to_vec(&status).unwrap());
            send.send_response(Response::builder().status(500).body(body).unwrap());
        })
        .await;
        assert!(matches!(result, Err(Error::Finalizer(_))), "{result:?}");
    }

    #[tokio::test]
    async fn error_policy_backs_off_exponentially() {
        let (ctx, _server) = context();
        let obj = Arc::new(object());
        let err = Error::InvalidObject("test");
        let actions: Vec<_> = (0..3)
            .map(|_| error_policy(obj.clone(), &err, ctx.clone()))
            .collect();
        let expected = [1, 2, 4].map(|s| Action::requeue(Duration::from_secs(s)));
        assert_eq!(actions, expected);
        assert_eq!(ctx.metrics.errors(CONTROLLER), 3);
        // A successful reconciliation resets the backoff.
        ctx.backoff.reset(&backoff_key(CONTROLLER, obj.as_ref()));
        let action = error_policy(obj, &err, ctx);
        assert_eq!(action, Action::requeue(Duration::from_secs(1)));
    }
}
