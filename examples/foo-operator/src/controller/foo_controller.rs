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

use std::time::Duration;

use k8s_openapi::api::core::v1::Pod;
use kube::runtime::reflector::{ObjectRef, Store};
use kube::runtime::watcher;
use kubeforge_runtime::conditions::State;
use kubeforge_runtime::prelude::*;

use foo_operator_api::v1alpha1::Foo;

use super::Context;

/// The name of this controller in logs and metrics.
pub const CONTROLLER: &str = "foo";

/// The finalizer this controller puts on every Foo, to clean up before it is deleted.
pub const FINALIZER: &str = "samplecontroller.example.com/finalizer";

/// Runs the controller until the manager shuts down.
pub async fn run(ctx: Arc<Context>) -> Result<()> {
    let api: Api<Foo> = ctx.watched_api();
    let controller = controller_for(&ctx, api).await?;
    // The Foos the controller caches: the mapper finds the Foos naming a Pod there.
    let foos = controller.store();
    let pods: Api<Pod> = ctx.watched_api();
    let controller = controller.watches(pods, watcher::Config::default(), move |pod: Pod| {
        foos_naming(&foos, &pod)
    });
    run_controller(CONTROLLER, controller, reconcile, ctx).await
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
    // Foos are namespaced: one without a namespace is invalid (rather than the client's
    // default namespace's).
    namespace_of(&obj)?;
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

/// The namespace of a Foo (they are namespaced: one without is invalid).
fn namespace_of(obj: &Foo) -> Result<String> {
    obj.namespace().ok_or(Error::InvalidObject("no namespace"))
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
    let was_available = conditions::is_true(&status.conditions, AVAILABLE);
    let mut changed = status.happy != happy;
    status.happy = happy;
    // Available when the Pod exists; Progressing while waiting for it. Nothing here can
    // fail for good, so never Degraded.
    let (state, reason, message) = if happy {
        (
            State::Available,
            "PodFound",
            format!("Pod {pod_name} exists"),
        )
    } else {
        let message = format!("waiting for Pod {pod_name}");
        (State::Progressing, "PodNotFound", message)
    };
    changed |= conditions::set_state(&mut status.conditions, state, reason, &message, generation);
    if changed {
        // Server-side apply of the status subresource: this controller owns what it sets.
        ctx.apply_status(obj, &status).await?;
    }
    if happy != was_available {
        let (reason, note) = if happy {
            (
                "Available",
                format!("{name} is happy: Pod {pod_name} exists"),
            )
        } else {
            (
                "WaitingForPod",
                format!("{name} is not happy: no Pod {pod_name}"),
            )
        };
        ctx.publish(obj, EventType::Normal, reason, "Reconcile", note)
            .await;
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

    let note = format!("Cleaning up {name}");
    ctx.publish(obj, EventType::Normal, "Deleting", "Finalize", note)
        .await;
    Ok(Action::await_change())
}

#[cfg(test)]
mod tests {
    use k8s_openapi::apimachinery::pkg::apis::meta::v1::Time;
    use k8s_openapi::jiff::Timestamp;
    use kube::runtime::reflector::store::Writer;
    use kubeforge::types::Condition;
    use kubeforge_runtime::testing::{self, ApiServer, Method};
    use serde_json::{Value, json};

    use foo_operator_api::v1alpha1::{FooSpec, FooStatus};

    use super::*;

    /// The manager of the tests' context: the field manager of its patches.
    const MANAGER_NAME: &str = "foo-operator";
    const EVENTS: &str = "/apis/events.k8s.io/v1/namespaces/default/events";
    const POD: &str = "test-pod";

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
        let (state, reason, message) = if happy {
            (State::Available, "PodFound", format!("Pod {POD} exists"))
        } else {
            (
                State::Progressing,
                "PodNotFound",
                format!("waiting for Pod {POD}"),
            )
        };
        conditions::set_state(&mut status.conditions, state, reason, &message, Some(1));
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

    /// Answers the GET of the test Pod: it exists when `exists`, else 404 Not Found.
    async fn expect_pod(server: &mut ApiServer, exists: bool) {
        if exists {
            let response = serde_json::to_value(pod(POD, "default")).unwrap();
            server.expect(Method::GET, &pod_path(), response).await;
        } else {
            let response = testing::status(404, "NotFound");
            server
                .expect_status(Method::GET, &pod_path(), 404, response)
                .await;
        }
    }

    /// Takes the server-side apply of the status; returns `status.happy` and a summary of
    /// the conditions (type, status, observedGeneration).
    async fn expect_status_patch(
        server: &mut ApiServer,
    ) -> (Value, Vec<(String, String, Option<i64>)>) {
        let path = format!("{}/status", object_path());
        let response = serde_json::to_value(with_finalizer(object())).unwrap();
        let apply = server.expect(Method::PATCH, &path, response).await;
        let query = &apply.query;
        assert!(apply.has_query("fieldManager", MANAGER_NAME), "{query}");
        assert!(
            apply.has_query("force", "true"),
            "server-side apply: {query}"
        );
        let api_version = Foo::api_version(&());
        let kind = Foo::kind(&());
        assert_eq!(apply.body["apiVersion"], api_version.as_ref());
        assert_eq!(apply.body["kind"], kind.as_ref());
        let conditions = apply.body["status"]["conditions"].clone();
        let conditions: Vec<Condition> = serde_json::from_value(conditions).unwrap();
        let summary = conditions
            .into_iter()
            .map(|c| (c.r#type, c.status, c.observed_generation))
            .collect();
        (apply.body["status"]["happy"].clone(), summary)
    }

    fn summary(happy: bool) -> Vec<(String, String, Option<i64>)> {
        let status = |value: bool| if value { "True" } else { "False" }.to_owned();
        [(AVAILABLE, happy), (PROGRESSING, !happy), (DEGRADED, false)]
            .into_iter()
            .map(|(type_, value)| (type_.to_owned(), status(value), Some(1)))
            .collect()
    }

    /// Runs `reconcile` on `obj` against the API server that `serve` plays.
    async fn reconcile_with<S, F>(obj: Foo, serve: S) -> Result<Action>
    where
        S: FnOnce(ApiServer) -> F,
        F: std::future::Future<Output = ()> + Send + 'static,
    {
        let (ctx, server) = testing::context(MANAGER_NAME, Default::default());
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
    async fn a_present_pod_makes_the_foo_happy() {
        let result = reconcile_with(with_finalizer(object()), |mut server| async move {
            expect_pod(&mut server, true).await;
            let (happy, conditions) = expect_status_patch(&mut server).await;
            assert_eq!(happy, json!(true));
            assert_eq!(conditions, summary(true));
            let event = server.expect(Method::POST, EVENTS, json!({})).await;
            assert_eq!(event.body["reason"], "Available");
            assert_eq!(event.body["regarding"]["name"], "test");
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
    }

    #[tokio::test]
    async fn an_absent_pod_leaves_the_foo_unhappy() {
        let result = reconcile_with(with_finalizer(object()), |mut server| async move {
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
        let result = reconcile_with(obj, |mut server| async move {
            expect_pod(&mut server, true).await;
            let (happy, conditions) = expect_status_patch(&mut server).await;
            assert_eq!(happy, json!(true));
            assert_eq!(conditions, summary(true));
            let event = server.expect(Method::POST, EVENTS, json!({})).await;
            assert_eq!(event.body["reason"], "Available");
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
    }

    #[tokio::test]
    async fn the_foo_turns_unhappy_when_its_pod_goes() {
        let obj = with_status(with_finalizer(object()), true);
        let result = reconcile_with(obj, |mut server| async move {
            expect_pod(&mut server, false).await;
            let (happy, conditions) = expect_status_patch(&mut server).await;
            assert_eq!(happy, json!(false));
            assert_eq!(conditions, summary(false));
            let event = server.expect(Method::POST, EVENTS, json!({})).await;
            assert_eq!(event.body["reason"], "WaitingForPod");
        })
        .await;
        assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
    }

    #[tokio::test]
    async fn leaves_an_up_to_date_status_alone() {
        for happy in [true, false] {
            let obj = with_status(with_finalizer(object()), happy);
            // Only the Pod lookup: no status patch, no event.
            let result = reconcile_with(obj, move |mut server| async move {
                expect_pod(&mut server, happy).await;
            })
            .await;
            assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
        }
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
            let response = testing::status(500, "InternalError");
            server
                .expect_status(Method::GET, &pod_path(), 500, response)
                .await;
        })
        .await;
        let err = result.expect_err("the failed Pod lookup fails the reconciliation");
        assert!(matches!(err, Error::Finalizer(_)), "{err:?}");
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
