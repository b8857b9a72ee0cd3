//! The VirtualMachine controller: reconciles `vm_operator_api::v1alpha1::VirtualMachine`.
//!
//! Each VirtualMachine stands for a machine on the hypervisor of the [`Context`]
//! ([`crate::hypervisor`]). The controller first puts its finalizer on the object, then makes
//! sure the machine exists: while the hypervisor provisions it, the phase is `Creating` and the
//! object is requeued after [`PROVISIONING_REQUEUE`]; once it runs, the phase is `Running` and
//! the condition `Available` is True. On deletion the phase is `Deleting`, the machine is
//! released, and only then is the finalizer removed (a failed release keeps the object and is
//! retried with backoff).

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

use vm_operator_api::v1alpha1::{VirtualMachine, VirtualMachinePhase, VirtualMachineStatus};

use super::{AVAILABLE, DEGRADED, MANAGER_NAME, PROGRESSING};
use super::{Context, Error, Result};
use super::{backoff_key, condition, is_condition_true, set_condition};
use crate::hypervisor::{MachineState, machine_key};

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

/// Provisions (or releases) the machine of a VirtualMachine, and reports it in its status.
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

/// How soon to look again at a machine that the hypervisor is still provisioning.
pub const PROVISIONING_REQUEUE: Duration = Duration::from_secs(2);

/// How often to look at a running machine, to correct drift.
pub const RUNNING_REQUEUE: Duration = Duration::from_secs(300);

/// The VirtualMachine exists and carries the finalizer: make sure its machine exists on the
/// hypervisor, and report its phase. While the machine provisions, the phase is Creating and
/// the object is requeued soon; once it runs, the phase is Running and the VM is Available.
async fn apply(obj: &VirtualMachine, ctx: &Context) -> Result<Action> {
    let name = obj.name_any();
    tracing::info!(controller = CONTROLLER, %name, "reconciling");

    let state = ctx.hypervisor.ensure(obj).await?;
    let generation = obj.meta().generation;
    let mut status = obj.status.clone().unwrap_or_default();
    let was_available = is_condition_true(&status.conditions, AVAILABLE);
    let (phase, conditions, action) = match state {
        MachineState::Provisioning => (
            VirtualMachinePhase::Creating,
            [(AVAILABLE, false), (PROGRESSING, true), (DEGRADED, false)],
            Action::requeue(PROVISIONING_REQUEUE),
        ),
        MachineState::Running => (
            VirtualMachinePhase::Running,
            [(AVAILABLE, true), (PROGRESSING, false), (DEGRADED, false)],
            Action::requeue(RUNNING_REQUEUE),
        ),
    };
    let (reason, message) = match state {
        MachineState::Provisioning => ("Provisioning", format!("{name} is being provisioned")),
        MachineState::Running => ("Running", format!("{name} is running")),
    };
    let mut changed = status.phase != Some(phase);
    status.phase = Some(phase);
    for (type_, value) in conditions {
        let condition = condition(type_, value, reason, message.clone(), generation);
        changed |= set_condition(&mut status.conditions, condition);
    }
    if changed {
        patch_status(obj, &status, ctx).await?;
    }
    if state == MachineState::Running && !was_available {
        let event = Event {
            type_: EventType::Normal,
            reason: "Available".into(),
            note: Some(format!("{name} is running")),
            action: "Reconcile".into(),
            secondary: None,
        };
        ctx.recorder.publish(&event, &obj.object_ref(&())).await?;
    }
    Ok(action)
}

/// The VirtualMachine is being deleted: set its phase to Deleting and release its machine
/// from the hypervisor. Only when the release succeeds does the finalizer go; an error keeps
/// the object, and the reconciliation is retried with backoff.
async fn cleanup(obj: &VirtualMachine, ctx: &Context) -> Result<Action> {
    let name = obj.name_any();
    tracing::info!(controller = CONTROLLER, %name, "cleaning up");

    let mut status = obj.status.clone().unwrap_or_default();
    if status.phase != Some(VirtualMachinePhase::Deleting) {
        status.phase = Some(VirtualMachinePhase::Deleting);
        let message = format!("{name} is being released");
        let generation = obj.meta().generation;
        let available = condition(AVAILABLE, false, "Deleting", message, generation);
        set_condition(&mut status.conditions, available);
        patch_status(obj, &status, ctx).await?;
    }
    ctx.hypervisor.release(&machine_key(obj)).await?;

    let event = Event {
        type_: EventType::Normal,
        reason: "Released".into(),
        note: Some(format!("Released the machine of {name}")),
        action: "Finalize".into(),
        secondary: None,
    };
    ctx.recorder.publish(&event, &obj.object_ref(&())).await?;
    Ok(Action::await_change())
}

/// Server-side applies `status` to the status subresource: this controller owns what it sets.
async fn patch_status(
    obj: &VirtualMachine,
    status: &VirtualMachineStatus,
    ctx: &Context,
) -> Result<()> {
    let patch = serde_json::json!({
        "apiVersion": VirtualMachine::api_version(&()),
        "kind": VirtualMachine::kind(&()),
        "status": status,
    });
    let params = PatchParams::apply(MANAGER_NAME).force();
    let api = api_for(obj, ctx)?;
    api.patch_status(&obj.name_any(), &params, &Patch::Apply(&patch))
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::future::Future;

    use http::{Method, Request, Response};
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use k8s_openapi::jiff::Timestamp;
    use kube::Client;
    use kube::client::Body;
    use kube::runtime::finalizer::Error as FinalizerError;
    use kubeforge::types::Condition;
    use serde_json::{Value, json};
    use tokio_util::sync::CancellationToken;
    use tower_test::mock::{self, Handle};
    use vm_operator_api::v1alpha1::VirtualMachineSpec;

    use super::*;
    use crate::hypervisor::{Hypervisor, InMemoryHypervisor};
    use crate::metrics::Metrics;

    type ApiServer = Handle<Request<Body>, Response<Body>>;

    const EVENTS: &str = "/apis/events.k8s.io/v1/namespaces/default/events";

    /// The key of the test object's machine on the hypervisor.
    const MACHINE: &str = "default/test";

    /// A hypervisor whose machines run at once.
    fn instant() -> Arc<InMemoryHypervisor> {
        Arc::new(InMemoryHypervisor::new(Duration::ZERO))
    }

    /// A hypervisor whose machines never finish provisioning during a test.
    fn slow() -> Arc<InMemoryHypervisor> {
        Arc::new(InMemoryHypervisor::new(Duration::from_secs(3600)))
    }

    /// A context whose client talks to a mocked API server, with `hypervisor`.
    fn context(hypervisor: Arc<InMemoryHypervisor>) -> (Arc<Context>, ApiServer) {
        let (service, server) = mock::pair::<Request<Body>, Response<Body>>();
        let client = Client::new(service, "default");
        let metrics = Arc::new(Metrics::default());
        let ctx = Context::new(client, metrics, None, CancellationToken::new())
            .with_hypervisor(hypervisor);
        (Arc::new(ctx), server)
    }

    /// The object the tests reconcile.
    fn object() -> VirtualMachine {
        let spec = VirtualMachineSpec {
            cpu: Quantity("2".into()),
            memory: Quantity("4Gi".into()),
        };
        let mut obj = VirtualMachine::new("test", spec);
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

    fn status_path() -> String {
        format!("{}/status", object_path())
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

    /// Takes a server-side apply of the status; returns the applied status.
    async fn expect_status_apply(server: &mut ApiServer, response: &VirtualMachine) -> Value {
        let response = serde_json::to_value(response).unwrap();
        let (query, patch) = expect(server, Method::PATCH, &status_path(), response).await;
        assert!(query.contains(&format!("fieldManager={MANAGER_NAME}")));
        assert!(query.contains("force=true"), "server-side apply: {query}");
        let api_version = VirtualMachine::api_version(&());
        let kind = VirtualMachine::kind(&());
        assert_eq!(patch["apiVersion"], api_version.as_ref());
        assert_eq!(patch["kind"], kind.as_ref());
        patch["status"].clone()
    }

    /// The (type, status, reason) of each condition of an applied status.
    fn conditions(status: &Value) -> Vec<(String, String, String)> {
        let conditions: Vec<Condition> =
            serde_json::from_value(status["conditions"].clone()).unwrap();
        conditions
            .into_iter()
            .map(|c| (c.r#type, c.status, c.reason))
            .collect()
    }

    fn summary(expected: &[(&str, &str, &str)]) -> Vec<(String, String, String)> {
        expected
            .iter()
            .map(|(t, s, r)| (t.to_string(), s.to_string(), r.to_string()))
            .collect()
    }

    /// Runs `reconcile` on `obj` against the API server that `serve` plays.
    async fn reconcile_with<F>(
        obj: VirtualMachine,
        hypervisor: Arc<InMemoryHypervisor>,
        serve: impl FnOnce(ApiServer) -> F,
    ) -> (Result<Action>, Arc<Context>)
    where
        F: Future<Output = ()> + Send + 'static,
    {
        let (ctx, server) = context(hypervisor);
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
        let hypervisor = instant();
        let (result, ctx) = reconcile_with(object(), hypervisor.clone(), |mut server| async move {
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
        // Nothing is provisioned before the finalizer guards it.
        assert_eq!(hypervisor.machine(MACHINE), None);
    }

    #[tokio::test]
    async fn creates_the_machine_and_requeues_while_it_provisions() {
        let hypervisor = slow();
        let obj = with_finalizer(object());
        let (result, _) = reconcile_with(obj, hypervisor.clone(), |mut server| async move {
            let status = expect_status_apply(&mut server, &with_finalizer(object())).await;
            assert_eq!(status["phase"], "Creating");
            let expected = [
                (AVAILABLE, "False", "Provisioning"),
                (PROGRESSING, "True", "Provisioning"),
                (DEGRADED, "False", "Provisioning"),
            ];
            assert_eq!(conditions(&status), summary(&expected));
            // No event until the machine runs: the mocked API server goes away.
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(PROVISIONING_REQUEUE));
        let machine = hypervisor.machine(MACHINE).expect("the machine is created");
        assert_eq!(machine.cpu, Quantity("2".into()));
        assert_eq!(machine.memory, Quantity("4Gi".into()));
    }

    #[tokio::test]
    async fn a_running_machine_sets_phase_running_and_records_an_event() {
        let mut obj = with_finalizer(object());
        obj.status.get_or_insert_default().phase = Some(VirtualMachinePhase::Creating);
        let (result, _) = reconcile_with(obj, instant(), |mut server| async move {
            let status = expect_status_apply(&mut server, &with_finalizer(object())).await;
            assert_eq!(status["phase"], "Running");
            let expected = [
                (AVAILABLE, "True", "Running"),
                (PROGRESSING, "False", "Running"),
                (DEGRADED, "False", "Running"),
            ];
            assert_eq!(conditions(&status), summary(&expected));
            let (_, event) = expect(&mut server, Method::POST, EVENTS, json!({})).await;
            assert_eq!(event["reason"], "Available");
            assert_eq!(event["regarding"]["name"], "test");
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(RUNNING_REQUEUE));
    }

    #[tokio::test]
    async fn leaves_an_up_to_date_status_alone() {
        let mut obj = with_finalizer(object());
        let status = obj.status.get_or_insert_default();
        status.phase = Some(VirtualMachinePhase::Running);
        for (type_, value) in [(AVAILABLE, true), (PROGRESSING, false), (DEGRADED, false)] {
            let condition = condition(type_, value, "Running", "test is running", Some(1));
            set_condition(&mut status.conditions, condition);
        }
        // No request: the mocked API server goes away at once.
        let (result, _) =
            reconcile_with(obj, instant(), |server| async move { drop(server) }).await;
        assert_eq!(result.unwrap(), Action::requeue(RUNNING_REQUEUE));
    }

    #[tokio::test]
    async fn releases_the_machine_then_removes_the_finalizer_on_deletion() {
        let hypervisor = instant();
        hypervisor.ensure(&object()).await.unwrap();
        let obj = deleting(with_finalizer(object()));
        let (result, _) = reconcile_with(obj, hypervisor.clone(), |mut server| async move {
            let status =
                expect_status_apply(&mut server, &deleting(with_finalizer(object()))).await;
            assert_eq!(status["phase"], "Deleting");
            let (_, event) = expect(&mut server, Method::POST, EVENTS, json!({})).await;
            assert_eq!(event["reason"], "Released");
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
        assert_eq!(hypervisor.releases(), [MACHINE]);
        assert_eq!(hypervisor.machine(MACHINE), None);
    }

    #[tokio::test]
    async fn a_failed_release_keeps_the_finalizer_and_fails() {
        let hypervisor = Arc::new(InMemoryHypervisor::new(Duration::ZERO).failing_release());
        hypervisor.ensure(&object()).await.unwrap();
        let mut obj = deleting(with_finalizer(object()));
        // Already Deleting (from an earlier attempt): no status patch, only the release.
        obj.status.get_or_insert_default().phase = Some(VirtualMachinePhase::Deleting);
        // No request: in particular the finalizer is not removed.
        let (result, _) = reconcile_with(
            obj,
            hypervisor.clone(),
            |server| async move { drop(server) },
        )
        .await;
        match result {
            Err(Error::Finalizer(e)) => match *e {
                FinalizerError::CleanupFailed(Error::Hypervisor(_)) => {}
                e => panic!("expected a failed cleanup, got {e:?}"),
            },
            other => panic!("expected an error, got {other:?}"),
        }
        assert_eq!(hypervisor.releases(), [MACHINE]);
        assert!(hypervisor.machine(MACHINE).is_some(), "the machine stays");
    }

    #[tokio::test]
    async fn a_failed_request_fails_the_reconciliation() {
        let (result, _) =
            reconcile_with(with_finalizer(object()), slow(), |mut server| async move {
                let (request, send) = server.next_request().await.expect("a request");
                assert_eq!(request.uri().path(), status_path());
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
        let (ctx, _server) = context(instant());
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
