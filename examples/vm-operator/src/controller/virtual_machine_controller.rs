//! The VirtualMachine controller: reconciles `vm_operator_api::v1alpha1::VirtualMachine`.
//!
//! Each VirtualMachine stands for a machine on the hypervisor of the project's
//! [`State`](super::State) ([`super::hypervisor`]). The controller first puts its finalizer on
//! the object, then makes sure the machine exists: while the hypervisor provisions it, the phase
//! is `Creating` and the object is requeued after [`PROVISIONING_REQUEUE`]; once it runs, the
//! phase is `Running` and the condition `Available` is True. On deletion the phase is
//! `Deleting`, the machine is released, and only then is the finalizer removed (a failed
//! release keeps the object and is retried with backoff).

use std::time::Duration;

use kubeforge_runtime::prelude::*;

use vm_operator_api::v1alpha1::{VirtualMachine, VirtualMachinePhase};

use super::Context;
use super::hypervisor::{MachineState, machine_key};

/// The name of this controller in logs and metrics.
pub const CONTROLLER: &str = "virtual_machine";

/// The finalizer this controller puts on every VirtualMachine, to clean up before it is deleted.
pub const FINALIZER: &str = "infra.example.com/finalizer";

/// Runs the controller until the manager shuts down.
pub async fn run(ctx: Arc<Context>) -> Result<()> {
    let api: Api<VirtualMachine> = ctx.watched_api();
    let controller = controller_for(&ctx, api).await?;
    run_controller(CONTROLLER, controller, reconcile, ctx).await
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

    let machine = ctx.hypervisor.ensure(obj).await?;
    let generation = obj.meta().generation;
    let mut status = obj.status.clone().unwrap_or_default();
    let was_available = conditions::is_true(&status.conditions, AVAILABLE);
    let (phase, state, reason, message, action) = match machine {
        MachineState::Provisioning => (
            VirtualMachinePhase::Creating,
            conditions::State::Progressing,
            "Provisioning",
            format!("{name} is being provisioned"),
            Action::requeue(PROVISIONING_REQUEUE),
        ),
        MachineState::Running => (
            VirtualMachinePhase::Running,
            conditions::State::Available,
            "Running",
            format!("{name} is running"),
            Action::requeue(RUNNING_REQUEUE),
        ),
    };
    let mut changed = status.phase != Some(phase);
    status.phase = Some(phase);
    changed |= conditions::set_state(&mut status.conditions, state, reason, &message, generation);
    if changed {
        ctx.apply_status(obj, &status).await?;
    }
    if machine == MachineState::Running && !was_available {
        let note = format!("{name} is running");
        ctx.publish(obj, EventType::Normal, "Available", "Reconcile", note)
            .await;
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
        let available = conditions::new(AVAILABLE, false, "Deleting", message, generation);
        conditions::set(&mut status.conditions, available);
        ctx.apply_status(obj, &status).await?;
    }
    ctx.hypervisor.release(&machine_key(obj)).await?;

    let note = format!("Released the machine of {name}");
    ctx.publish(obj, EventType::Normal, "Released", "Finalize", note)
        .await;
    Ok(Action::await_change())
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::api::resource::Quantity;
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use k8s_openapi::jiff::Timestamp;
    use kube::runtime::finalizer::Error as FinalizerError;
    use kubeforge::types::Condition;
    use kubeforge_runtime::Backoff;
    use kubeforge_runtime::testing::{self, ApiServer, Method};
    use serde_json::{Value, json};
    use vm_operator_api::v1alpha1::VirtualMachineSpec;

    use super::*;
    use crate::controller::State;
    use crate::controller::hypervisor::{Hypervisor, HypervisorError, InMemoryHypervisor};

    /// The manager name of `src/main.rs`: the field manager of patches, the reporter of events.
    const MANAGER: &str = "vm-operator";

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

    /// A context whose client talks to a mocked API server, with `hypervisor` in its state.
    fn context(hypervisor: Arc<InMemoryHypervisor>) -> (Arc<Context>, ApiServer) {
        testing::context(MANAGER, State { hypervisor })
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

    /// Takes a server-side apply of the status; returns the applied status.
    async fn expect_status_apply(server: &mut ApiServer, response: &VirtualMachine) -> Value {
        let response = serde_json::to_value(response).unwrap();
        let apply = server.expect(Method::PATCH, &status_path(), response).await;
        let query = &apply.query;
        assert!(apply.has_query("fieldManager", MANAGER), "{query}");
        assert!(apply.has_query("force", "true"), "not applied: {query}");
        let api_version = VirtualMachine::api_version(&());
        let kind = VirtualMachine::kind(&());
        assert_eq!(apply.body["apiVersion"], api_version.as_ref());
        assert_eq!(apply.body["kind"], kind.as_ref());
        apply.body["status"].clone()
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

    /// Runs `reconcile` on `obj`, with `hypervisor`, against the API server that `serve` plays.
    async fn reconcile_with<S, F>(
        obj: VirtualMachine,
        hypervisor: Arc<InMemoryHypervisor>,
        serve: S,
    ) -> (Result<Action>, Arc<Context>)
    where
        S: FnOnce(ApiServer) -> F,
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let (ctx, server) = context(hypervisor);
        let reconciled = reconcile(Arc::new(obj), ctx.clone());
        let result = testing::serve_while(server, serve, reconciled).await;
        (result, ctx)
    }

    #[tokio::test]
    async fn adds_the_finalizer_first() {
        let hypervisor = instant();
        let (result, _) = reconcile_with(object(), hypervisor.clone(), |mut server| async move {
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
            let event = server.expect(Method::POST, EVENTS, json!({})).await;
            assert_eq!(event.body["reason"], "Available");
            assert_eq!(event.body["regarding"]["name"], "test");
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(RUNNING_REQUEUE));
    }

    #[tokio::test]
    async fn leaves_an_up_to_date_status_alone() {
        let mut obj = with_finalizer(object());
        let status = obj.status.get_or_insert_default();
        status.phase = Some(VirtualMachinePhase::Running);
        let state = conditions::State::Available;
        let message = "test is running";
        conditions::set_state(&mut status.conditions, state, "Running", message, Some(1));
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
            let event = server.expect(Method::POST, EVENTS, json!({})).await;
            assert_eq!(event.body["reason"], "Released");
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
                FinalizerError::CleanupFailed(Error::Other(e)) => {
                    let e = e.downcast_ref::<HypervisorError>();
                    let expected = HypervisorError(format!("cannot release {MACHINE}"));
                    assert_eq!(e, Some(&expected), "expected a hypervisor error");
                }
                e => panic!("expected a failed cleanup, got {e:?}"),
            },
            other => panic!("expected an error, got {other:?}"),
        }
        assert_eq!(hypervisor.releases(), [MACHINE]);
        assert!(hypervisor.machine(MACHINE).is_some(), "the machine stays");
    }

    #[tokio::test]
    async fn a_failed_request_fails_the_reconciliation() {
        let obj = with_finalizer(object());
        let (result, _) = reconcile_with(obj, slow(), |mut server| async move {
            let status = testing::status(500, "InternalError");
            let path = status_path();
            server
                .expect_status(Method::PATCH, &path, 500, status)
                .await;
        })
        .await;
        assert!(matches!(result, Err(Error::Finalizer(_))), "{result:?}");
    }

    #[tokio::test]
    async fn a_failed_reconciliation_backs_off_exponentially() {
        // What `run_controller` does with an error of `reconcile`.
        let (ctx, _server) = context(instant());
        let obj = object();
        let err = Error::InvalidObject("test");
        let actions: Vec<_> = (0..3)
            .map(|_| ctx.requeue_on_error(CONTROLLER, &obj, &err))
            .collect();
        let expected = [1, 2, 4].map(|s| Action::requeue(Duration::from_secs(s)));
        assert_eq!(actions, expected);
        assert_eq!(ctx.metrics.errors(CONTROLLER), 3);
        // A successful reconciliation resets the backoff.
        ctx.backoff.reset(&Backoff::key(CONTROLLER, &obj));
        let action = ctx.requeue_on_error(CONTROLLER, &obj, &err);
        assert_eq!(action, Action::requeue(Duration::from_secs(1)));
    }
}
