//! The Foo controller: reconciles `foo_operator_api::v1alpha1::Foo`.
//!
//! A Foo names a Pod (`spec.name`) in its own namespace; the controller sets `status.happy`
//! (and the Available condition) when that Pod exists. It watches Pods too, and maps each
//! Pod event to the Foos that name the Pod, so a Foo turns happy as soon as its Pod appears
//! (and unhappy when it goes).
//!
//! The Pod→Foo mapper looks the Foos up in the controller's own reflector store of Foos
//! (`Controller::store()`): the controller caches every watched Foo anyway, so the lookup
//! costs no API request and no extra watch. An index by pod name is not worth it for the
//! handful of Foos of a namespace; `foos_naming` scans the cached Foos.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use k8s_openapi::api::core::v1::Pod;
use kube::api::{ListParams, Patch, PatchParams};
use kube::runtime::controller::{Action, Controller};
use kube::runtime::events::{Event, EventType};
use kube::runtime::finalizer::{Event as FinalizerEvent, finalizer};
use kube::runtime::reflector::{ObjectRef, Store};
use kube::runtime::watcher;
use kube::{Api, Resource, ResourceExt};
use kubeforge::rbac;

use foo_operator_api::v1alpha1::Foo;

use super::{AVAILABLE, DEGRADED, MANAGER_NAME, PROGRESSING};
use super::{Context, Error, Result};
use super::{backoff_key, condition, is_condition_true, set_condition};

/// The name of this controller in logs and metrics.
pub const CONTROLLER: &str = "foo";

/// The finalizer this controller puts on every Foo, to clean up before it is deleted.
pub const FINALIZER: &str = "samplecontroller.example.com/finalizer";

/// Runs the controller until the manager shuts down.
pub async fn run(ctx: Arc<Context>) -> Result<()> {
    let api: Api<Foo> = ctx.watched_api();
    // Fail early, with a hint, when the CRD is not installed.
    if let Err(e) = api.list(&ListParams::default().limit(1)).await {
        tracing::error!(
            controller = CONTROLLER,
            "is the CRD installed? (`cargo xtask install`)"
        );
        return Err(e.into());
    }
    tracing::info!(controller = CONTROLLER, "starting");
    let controller = Controller::new(api, watcher::Config::default().any_semantic());
    // The Foos the controller caches: the mapper finds the Foos naming a Pod there.
    let foos = controller.store();
    let pods: Api<Pod> = ctx.watched_api();
    controller
        .watches(pods, watcher::Config::default(), move |pod: Pod| {
            foos_naming(&foos, &pod)
        })
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

/// The Foos in `foos` that name `pod` (same namespace, `spec.name` equal to the Pod's name):
/// the Foos to reconcile when the Pod changes.
pub fn foos_naming(foos: &Store<Foo>, pod: &Pod) -> Vec<ObjectRef<Foo>> {
    let name = pod.name_any();
    let namespace = pod.namespace();
    foos.state_filter(|obj| obj.spec.name == name && obj.namespace() == namespace)
        .iter()
        .map(|obj| ObjectRef::from_obj(obj.as_ref()))
        .collect()
}

/// Moves the cluster towards the state a Foo asks for, and reports it in its status.
///
/// The `#[rbac]` attributes say what the controller may do: `cargo xtask generate rbac`
/// writes them into config/rbac/role.yaml.
#[rustfmt::skip::attributes(rbac)] // one rule per line
#[rbac(groups = "samplecontroller.example.com", resources = "foos", verbs = "get;list;watch;create;update;patch;delete")]
#[rbac(groups = "samplecontroller.example.com", resources = "foos/status", verbs = "get;update;patch")]
#[rbac(groups = "samplecontroller.example.com", resources = "foos/finalizers", verbs = "update")]
#[rbac(groups = "", resources = "pods", verbs = "get;list;watch")]
#[rbac(groups = "events.k8s.io", resources = "events", verbs = "create;patch")]
pub async fn reconcile(obj: Arc<Foo>, ctx: Arc<Context>) -> Result<Action> {
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

/// Requeues a Foo whose reconciliation failed, with an exponential backoff.
pub fn error_policy(obj: Arc<Foo>, err: &Error, ctx: Arc<Context>) -> Action {
    ctx.requeue_on_error(CONTROLLER, obj.as_ref(), err)
}

/// The namespace of a Foo (they are namespaced: one without is invalid).
fn namespace_of(obj: &Foo) -> Result<String> {
    obj.namespace().ok_or(Error::InvalidObject("no namespace"))
}

/// The API of the object's namespace.
fn api_for(obj: &Foo, ctx: &Context) -> Result<Api<Foo>> {
    Ok(Api::namespaced(ctx.client.clone(), &namespace_of(obj)?))
}

/// The Foo exists and carries the finalizer: look for the Pod it names and report whether
/// it exists (`status.happy`, and the Available condition).
async fn apply(obj: &Foo, ctx: &Context) -> Result<Action> {
    let name = obj.name_any();
    let pod_name = &obj.spec.name;
    tracing::info!(controller = CONTROLLER, %name, pod = %pod_name, "reconciling");

    let pods: Api<Pod> = Api::namespaced(ctx.client.clone(), &namespace_of(obj)?);
    let happy = pods.get_opt(pod_name).await?.is_some();

    let generation = obj.meta().generation;
    let mut status = obj.status.clone().unwrap_or_default();
    let was_available = is_condition_true(&status.conditions, AVAILABLE);
    let mut changed = status.happy != happy;
    status.happy = happy;
    let (reason, message) = if happy {
        ("PodFound", format!("Pod {pod_name} exists"))
    } else {
        ("PodNotFound", format!("waiting for Pod {pod_name}"))
    };
    // Available when the Pod exists; Progressing while waiting for it. Nothing here can
    // fail for good, so never Degraded.
    for (type_, value) in [(AVAILABLE, happy), (PROGRESSING, !happy), (DEGRADED, false)] {
        let condition = condition(type_, value, reason, message.clone(), generation);
        changed |= set_condition(&mut status.conditions, condition);
    }
    if changed {
        // Server-side apply of the status subresource: this controller owns what it sets.
        let patch = serde_json::json!({
            "apiVersion": Foo::api_version(&()),
            "kind": Foo::kind(&()),
            "status": status,
        });
        let params = PatchParams::apply(MANAGER_NAME).force();
        let api = api_for(obj, ctx)?;
        api.patch_status(&name, &params, &Patch::Apply(&patch))
            .await?;
    }
    if happy != was_available {
        let event = if happy {
            Event {
                type_: EventType::Normal,
                reason: "Available".into(),
                note: Some(format!("{name} is happy: Pod {pod_name} exists")),
                action: "Reconcile".into(),
                secondary: None,
            }
        } else {
            Event {
                type_: EventType::Normal,
                reason: "WaitingForPod".into(),
                note: Some(format!("{name} is not happy: no Pod {pod_name}")),
                action: "Reconcile".into(),
                secondary: None,
            }
        };
        ctx.recorder.publish(&event, &obj.object_ref(&())).await?;
    }
    // Pod events trigger reconciliations; reconcile again in a while anyway, to correct drift.
    Ok(Action::requeue(Duration::from_secs(300)))
}

/// The Foo is being deleted: release what the finalizer guards, then it goes.
async fn cleanup(obj: &Foo, ctx: &Context) -> Result<Action> {
    let name = obj.name_any();
    tracing::info!(controller = CONTROLLER, %name, "cleaning up");

    // The Foo owns nothing (it only watches a Pod it does not own): nothing to release but
    // the finalizer, after recording the deletion.

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
    use kube::runtime::reflector::store::Writer;
    use kubeforge::types::Condition;
    use serde_json::{Value, json};
    use tokio_util::sync::CancellationToken;
    use tower_test::mock::{self, Handle};

    use foo_operator_api::v1alpha1::{FooSpec, FooStatus};

    use super::*;
    use crate::controller::Backoff;
    use crate::metrics::Metrics;

    type ApiServer = Handle<Request<Body>, Response<Body>>;

    const EVENTS: &str = "/apis/events.k8s.io/v1/namespaces/default/events";
    const POD: &str = "test-pod";

    /// A context whose client talks to a mocked API server.
    fn context() -> (Arc<Context>, ApiServer) {
        let (service, server) = mock::pair::<Request<Body>, Response<Body>>();
        let client = Client::new(service, "default");
        let metrics = Arc::new(Metrics::default());
        let ctx = Context::new(client, metrics, None, CancellationToken::new());
        (Arc::new(ctx), server)
    }

    /// A Foo named `name` in `namespace`, naming the Pod `pod`.
    fn named_foo(name: &str, namespace: &str, pod: &str) -> Foo {
        let spec = FooSpec { name: pod.into() };
        let mut obj = Foo::new(name, spec);
        obj.meta_mut().namespace = Some(namespace.into());
        obj
    }

    /// The object the tests reconcile.
    fn object() -> Foo {
        let mut obj = named_foo("test", "default", POD);
        obj.meta_mut().uid = Some("8d5a2d36-3ec6-4a53-9ed2-1d4a4f9b3c01".into());
        obj.meta_mut().generation = Some(1);
        obj
    }

    fn with_finalizer(mut obj: Foo) -> Foo {
        obj.meta_mut().finalizers = Some(vec![FINALIZER.into()]);
        obj
    }

    fn deleting(mut obj: Foo) -> Foo {
        obj.meta_mut().deletion_timestamp = Some(Time(Timestamp::now()));
        obj
    }

    /// `obj` with the status the controller sets when the Pod exists (`happy`) or not.
    fn with_status(mut obj: Foo, happy: bool) -> Foo {
        let mut status = FooStatus {
            happy,
            ..Default::default()
        };
        let (reason, message) = if happy {
            ("PodFound", format!("Pod {POD} exists"))
        } else {
            ("PodNotFound", format!("waiting for Pod {POD}"))
        };
        for (type_, value) in [(AVAILABLE, happy), (PROGRESSING, !happy), (DEGRADED, false)] {
            let condition = condition(type_, value, reason, message.clone(), Some(1));
            set_condition(&mut status.conditions, condition);
        }
        obj.status = Some(status);
        obj
    }

    fn pod(name: &str, namespace: &str) -> Pod {
        let mut pod = Pod::default();
        pod.metadata.name = Some(name.into());
        pod.metadata.namespace = Some(namespace.into());
        pod
    }

    /// The API path of the test object.
    fn object_path() -> String {
        let collection = Foo::url_path(&(), Some("default"));
        format!("{collection}/test")
    }

    /// The API path of the Pod the test object names.
    fn pod_path() -> String {
        format!("/api/v1/namespaces/default/pods/{POD}")
    }

    /// Takes the next request, checks its method and path, answers it with `response` and
    /// returns its query string and JSON body.
    async fn expect(
        server: &mut ApiServer,
        method: Method,
        path: &str,
        response: Value,
    ) -> (String, Value) {
        expect_status(server, method, path, 200, response).await
    }

    /// [`expect`], answering with the HTTP status `code`.
    async fn expect_status(
        server: &mut ApiServer,
        method: Method,
        path: &str,
        code: u16,
        response: Value,
    ) -> (String, Value) {
        let (request, send) = server.next_request().await.expect("a request");
        assert_eq!(request.method(), method);
        assert_eq!(request.uri().path(), path);
        let query = request.uri().query().unwrap_or_default().to_owned();
        let body = request.into_body().collect_bytes().await.unwrap();
        let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let response = Body::from(serde_json::to_vec(&response).unwrap());
        send.send_response(Response::builder().status(code).body(response).unwrap());
        (query, body)
    }

    /// A `Status` failure response of the API server.
    fn failure(code: u16, reason: &str) -> Value {
        json!({"kind": "Status", "apiVersion": "v1", "status": "Failure",
            "message": "test", "reason": reason, "code": code})
    }

    /// Answers the GET of the test Pod: it exists when `exists`, else 404 Not Found.
    async fn expect_pod(server: &mut ApiServer, exists: bool) {
        if exists {
            let response = serde_json::to_value(pod(POD, "default")).unwrap();
            expect(server, Method::GET, &pod_path(), response).await;
        } else {
            let response = failure(404, "NotFound");
            expect_status(server, Method::GET, &pod_path(), 404, response).await;
        }
    }

    /// Takes the server-side apply of the status; returns `status.happy` and a summary of
    /// the conditions (type, status, observedGeneration).
    async fn expect_status_patch(
        server: &mut ApiServer,
    ) -> (Value, Vec<(String, String, Option<i64>)>) {
        let path = format!("{}/status", object_path());
        let response = serde_json::to_value(with_finalizer(object())).unwrap();
        let (query, patch) = expect(server, Method::PATCH, &path, response).await;
        assert!(query.contains(&format!("fieldManager={MANAGER_NAME}")));
        assert!(query.contains("force=true"), "server-side apply: {query}");
        let api_version = Foo::api_version(&());
        let kind = Foo::kind(&());
        assert_eq!(patch["apiVersion"], api_version.as_ref());
        assert_eq!(patch["kind"], kind.as_ref());
        let conditions = patch["status"]["conditions"].clone();
        let conditions: Vec<Condition> = serde_json::from_value(conditions).unwrap();
        let summary = conditions
            .into_iter()
            .map(|c| (c.r#type, c.status, c.observed_generation))
            .collect();
        (patch["status"]["happy"].clone(), summary)
    }

    fn summary(happy: bool) -> Vec<(String, String, Option<i64>)> {
        let status = |value: bool| if value { "True" } else { "False" }.to_owned();
        [(AVAILABLE, happy), (PROGRESSING, !happy), (DEGRADED, false)]
            .into_iter()
            .map(|(type_, value)| (type_.to_owned(), status(value), Some(1)))
            .collect()
    }

    /// Runs `reconcile` on `obj` against the API server that `serve` plays.
    async fn reconcile_with<F>(
        obj: Foo,
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
    async fn a_present_pod_makes_the_foo_happy() {
        let (result, _) = reconcile_with(with_finalizer(object()), |mut server| async move {
            expect_pod(&mut server, true).await;
            let (happy, conditions) = expect_status_patch(&mut server).await;
            assert_eq!(happy, json!(true));
            assert_eq!(conditions, summary(true));
            let (_, event) = expect(&mut server, Method::POST, EVENTS, json!({})).await;
            assert_eq!(event["reason"], "Available");
            assert_eq!(event["regarding"]["name"], "test");
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
    }

    #[tokio::test]
    async fn an_absent_pod_leaves_the_foo_unhappy() {
        let (result, _) = reconcile_with(with_finalizer(object()), |mut server| async move {
            expect_pod(&mut server, false).await;
            let (happy, conditions) = expect_status_patch(&mut server).await;
            assert_eq!(happy, json!(false));
            assert_eq!(conditions, summary(false));
            // Never available before: no event. The server goes away; a request would fail.
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
    }

    #[tokio::test]
    async fn the_foo_turns_happy_when_its_pod_appears() {
        let obj = with_status(with_finalizer(object()), false);
        let (result, _) = reconcile_with(obj, |mut server| async move {
            expect_pod(&mut server, true).await;
            let (happy, conditions) = expect_status_patch(&mut server).await;
            assert_eq!(happy, json!(true));
            assert_eq!(conditions, summary(true));
            let (_, event) = expect(&mut server, Method::POST, EVENTS, json!({})).await;
            assert_eq!(event["reason"], "Available");
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
    }

    #[tokio::test]
    async fn the_foo_turns_unhappy_when_its_pod_goes() {
        let obj = with_status(with_finalizer(object()), true);
        let (result, _) = reconcile_with(obj, |mut server| async move {
            expect_pod(&mut server, false).await;
            let (happy, conditions) = expect_status_patch(&mut server).await;
            assert_eq!(happy, json!(false));
            assert_eq!(conditions, summary(false));
            let (_, event) = expect(&mut server, Method::POST, EVENTS, json!({})).await;
            assert_eq!(event["reason"], "WaitingForPod");
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
    }

    #[tokio::test]
    async fn leaves_an_up_to_date_status_alone() {
        for happy in [true, false] {
            let obj = with_status(with_finalizer(object()), happy);
            // Only the Pod lookup: no status patch, no event.
            let (result, _) = reconcile_with(obj, move |mut server| async move {
                expect_pod(&mut server, happy).await;
            })
            .await;
            assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
        }
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
    async fn a_failed_request_fails_the_reconciliation_and_requeues_it() {
        let obj = with_finalizer(object());
        let (result, ctx) = reconcile_with(obj.clone(), |mut server| async move {
            let response = failure(500, "InternalError");
            expect_status(&mut server, Method::GET, &pod_path(), 500, response).await;
        })
        .await;
        let err = result.expect_err("the failed Pod lookup fails the reconciliation");
        assert!(matches!(err, Error::Finalizer(_)), "{err:?}");
        let action = error_policy(Arc::new(obj), &err, ctx.clone());
        assert_eq!(action, Action::requeue(Backoff::INITIAL));
        assert_eq!(ctx.metrics.errors(CONTROLLER), 1);
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

    #[test]
    fn a_pod_maps_to_the_foos_that_name_it() {
        let mut writer = Writer::<Foo>::default();
        let foos = [
            named_foo("a", "default", "web"),
            named_foo("b", "default", "web"),
            named_foo("c", "default", "db"),
            named_foo("d", "other", "web"),
        ];
        for obj in foos {
            writer.apply_watcher_event(&watcher::Event::Apply(obj));
        }
        let store = writer.as_reader();
        let names = |pod: &Pod| {
            let mut refs: Vec<_> = foos_naming(&store, pod)
                .into_iter()
                .map(|r| (r.namespace.unwrap_or_default(), r.name))
                .collect();
            refs.sort();
            refs
        };
        let named = |ns: &str, name: &str| (ns.to_owned(), name.to_owned());
        assert_eq!(
            names(&pod("web", "default")),
            [named("default", "a"), named("default", "b")]
        );
        assert_eq!(names(&pod("web", "other")), [named("other", "d")]);
        assert_eq!(names(&pod("db", "default")), [named("default", "c")]);
        assert!(names(&pod("web", "elsewhere")).is_empty());
        assert!(names(&pod("cache", "default")).is_empty());
    }
}
