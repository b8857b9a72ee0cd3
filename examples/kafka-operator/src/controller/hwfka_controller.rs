//! The Hwfka controller: reconciles `kafka_operator_api::v1::Hwfka`.

use std::time::Duration;

use kubeforge_runtime::conditions::State;
use kubeforge_runtime::prelude::*;

use kafka_operator_api::v1::Hwfka;

use super::Context;

/// The name of this controller in logs and metrics.
pub const CONTROLLER: &str = "hwfka";

/// The finalizer this controller puts on every Hwfka, to clean up before it is deleted.
pub const FINALIZER: &str = "kafka.example.com/finalizer";

/// Runs the controller until the manager shuts down.
pub async fn run(ctx: Arc<Context>) -> Result<()> {
    let api: Api<Hwfka> = ctx.watched_api();
    let controller = controller_for(&ctx, api).await?;
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
#[rbac(groups = "events.k8s.io", resources = "events", verbs = "create;patch")]
pub async fn reconcile(obj: Arc<Hwfka>, ctx: Arc<Context>) -> Result<Action> {
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

/// The Hwfka exists and carries the finalizer: make the cluster match its spec.
async fn apply(obj: &Hwfka, ctx: &Context) -> Result<Action> {
    let name = obj.name_any();
    tracing::info!(controller = CONTROLLER, %name, "reconciling");

    // TODO(user): create or update what the object stands for (Deployments, Services,
    // external resources, ...) from `obj.spec`, with `ctx.apply(&object)` (server-side
    // apply). Give the objects you create an owner reference
    // (`obj.controller_owner_ref(&())`) so that Kubernetes deletes them with it.

    let mut status = obj.status.clone().unwrap_or_default();
    let was_available = conditions::is_true(&status.conditions, AVAILABLE);
    let message = format!("{name} is reconciled");
    let generation = obj.meta().generation;
    let state = State::Available;
    if conditions::set_state(
        &mut status.conditions,
        state,
        "Reconciled",
        &message,
        generation,
    ) {
        ctx.apply_status(obj, &status).await?;
    }
    if !was_available {
        let note = format!("{name} is available");
        ctx.publish(obj, EventType::Normal, "Available", "Reconcile", note)
            .await?;
    }
    // Reconcile again in a while even without changes, to correct drift.
    Ok(Action::requeue(Duration::from_secs(300)))
}

/// The Hwfka is being deleted: release what the finalizer guards, then it goes.
async fn cleanup(obj: &Hwfka, ctx: &Context) -> Result<Action> {
    let name = obj.name_any();
    tracing::info!(controller = CONTROLLER, %name, "cleaning up");

    // TODO(user): delete what Kubernetes does not garbage-collect for you (external
    // resources, objects without an owner reference). Return an error to retry later: the
    // object stays until cleanup succeeds.

    let note = format!("Cleaning up {name}");
    ctx.publish(obj, EventType::Normal, "Deleting", "Finalize", note)
        .await?;
    Ok(Action::await_change())
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use k8s_openapi::jiff::Timestamp;
    use kubeforge::types::Condition;
    use kubeforge_runtime::testing::{self, ApiServer, Method};
    use serde_json::json;

    use super::*;

    const EVENTS: &str = "/apis/events.k8s.io/v1/namespaces/default/events";

    /// The object the tests reconcile.
    fn object() -> Hwfka {
        let mut obj = Hwfka::new("test", Default::default());
        obj.meta_mut().namespace = Some("default".into());
        obj.meta_mut().uid = Some("8d5a2d36-3ec6-4a53-9ed2-1d4a4f9b3c01".into());
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

    /// Runs `reconcile` on `obj` against the API server that `serve` plays.
    async fn reconcile_with<S, F>(obj: Hwfka, serve: S) -> Result<Action>
    where
        S: FnOnce(ApiServer) -> F,
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let (ctx, server) = testing::context("kafka-operator", Default::default());
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
    async fn applies_status_conditions_and_records_an_event() {
        let result = reconcile_with(with_finalizer(object()), |mut server| async move {
            let path = format!("{}/status", object_path());
            let response = serde_json::to_value(with_finalizer(object())).unwrap();
            let apply = server.expect(Method::PATCH, &path, response).await;
            assert!(apply.has_query("fieldManager", "kafka-operator"), "{}", apply.query);
            let query = &apply.query;
            assert!(apply.has_query("force", "true"), "not applied: {query}");
            let conditions = apply.body["status"]["conditions"].clone();
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
            let event = server.expect(Method::POST, EVENTS, json!({})).await;
            assert_eq!(event.body["reason"], "Available");
            assert_eq!(event.body["regarding"]["name"], "test");
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
    }

    #[tokio::test]
    async fn leaves_an_up_to_date_status_alone() {
        let mut obj = with_finalizer(object());
        let status = obj.status.get_or_insert_default();
        let (state, message) = (State::Available, "test is reconciled");
        conditions::set_state(
            &mut status.conditions,
            state,
            "Reconciled",
            message,
            Some(1),
        );
        // No request: the mocked API server goes away at once.
        let result = reconcile_with(obj, |server| async move { drop(server) }).await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
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
    async fn a_failed_request_fails_the_reconciliation() {
        let result = reconcile_with(with_finalizer(object()), |mut server| async move {
            server.fail_next(500, "InternalError").await;
        })
        .await;
        assert!(matches!(result, Err(Error::Finalizer(_))), "{result:?}");
    }
}
