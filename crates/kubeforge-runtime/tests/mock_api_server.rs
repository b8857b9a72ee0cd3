//! A reconcile function tested against the mocked API server of `kubeforge_runtime::testing`,
//! as a generated controller's unit tests are.

mod common;

use std::time::Duration;

use common::*;
use http::Method;
use kubeforge_runtime::prelude::*;
use kubeforge_runtime::testing::{self, ApiServer};
use serde_json::json;

fn path(name: &str) -> String {
    format!("/apis/test.kubeforge.io/v1/namespaces/default/widgets/{name}")
}

const EVENTS: &str = "/apis/events.k8s.io/v1/namespaces/default/events";

/// A widget with the finalizer, being deleted.
fn deleting_widget(name: &str) -> Widget {
    let mut obj = widget(name);
    obj.meta_mut().finalizers = Some(vec![FINALIZER.into()]);
    obj.meta_mut().deletion_timestamp = Some(k8s_openapi::apimachinery::pkg::apis::meta::v1::Time(
        k8s_openapi::jiff::Timestamp::now(),
    ));
    obj
}

#[tokio::test]
async fn adds_the_finalizer_then_applies_the_status() {
    let (ctx, server) = testing::context(MANAGER, state());
    let obj = widget("a");
    let served = |mut server: ApiServer| async move {
        let mut with_finalizer = widget("a");
        with_finalizer.meta_mut().finalizers = Some(vec![FINALIZER.into()]);
        let response = serde_json::to_value(&with_finalizer).unwrap();
        let patch = server
            .expect(Method::PATCH, &path("a"), response.clone())
            .await;
        let expected = json!([
            {"op": "test", "path": "/metadata/finalizers", "value": null},
            {"op": "add", "path": "/metadata/finalizers", "value": [FINALIZER]},
        ]);
        assert_eq!(patch.body, expected);
    };
    let result = testing::serve_while(server, served, reconcile(Arc::new(obj), ctx.clone())).await;
    assert_eq!(result.unwrap(), Action::await_change());

    let (ctx, server) = testing::context(MANAGER, state());
    let mut obj = widget("a");
    obj.meta_mut().finalizers = Some(vec![FINALIZER.into()]);
    let response = serde_json::to_value(&obj).unwrap();
    let served = |mut server: ApiServer| async move {
        let status_path = format!("{}/status", path("a"));
        let apply = server.expect(Method::PATCH, &status_path, response).await;
        assert!(apply.has_query("fieldManager", MANAGER), "{}", apply.query);
        assert!(
            apply.has_query("force", "true"),
            "server-side apply: {}",
            apply.query
        );
        assert_eq!(apply.body["apiVersion"], "test.kubeforge.io/v1");
        assert_eq!(apply.body["kind"], "Widget");
        let conditions = apply.body["status"]["conditions"].as_array().unwrap();
        let summary: Vec<_> = conditions
            .iter()
            .map(|c| {
                (
                    c["type"].as_str().unwrap(),
                    c["status"].as_str().unwrap(),
                    c["observedGeneration"].as_i64(),
                )
            })
            .collect();
        let expected = [
            (AVAILABLE, "True", Some(1)),
            (PROGRESSING, "False", Some(1)),
            (DEGRADED, "False", Some(1)),
        ];
        assert_eq!(summary, expected);
    };
    let result = testing::serve_while(server, served, reconcile(Arc::new(obj), ctx)).await;
    assert_eq!(result.unwrap(), Action::requeue(Duration::from_secs(300)));
}

#[tokio::test]
async fn cleanup_uses_the_projects_state_and_records_an_event() {
    let (ctx, server) = testing::context(MANAGER, state());
    let obj = deleting_widget("a");
    let served = |mut server: ApiServer| async move {
        let event = server.expect(Method::POST, EVENTS, json!({})).await;
        assert_eq!(event.body["reason"], "Deleting");
        assert_eq!(event.body["reportingController"], MANAGER);
        assert_eq!(event.body["regarding"]["name"], "a");
        let response = serde_json::to_value(widget("a")).unwrap();
        let removed = server.expect(Method::PATCH, &path("a"), response).await;
        assert_eq!(
            removed.body[1],
            json!({"op": "remove", "path": "/metadata/finalizers/0"})
        );
    };
    let result = testing::serve_while(server, served, reconcile(Arc::new(obj), ctx.clone())).await;
    assert_eq!(result.unwrap(), Action::await_change());
    assert_eq!(ctx.cleanups.load(std::sync::atomic::Ordering::SeqCst), 1);
}

#[tokio::test]
async fn an_event_refused_in_a_terminating_namespace_does_not_keep_the_finalizer() {
    let (ctx, server) = testing::context(MANAGER, state());
    let obj = deleting_widget("a");
    let served = |mut server: ApiServer| async move {
        // What NamespaceLifecycle answers while the namespace is being deleted.
        let forbidden = json!({"kind": "Status", "apiVersion": "v1", "status": "Failure",
            "reason": "Forbidden", "code": 403,
            "message": "events.events.k8s.io \"a.1\" is forbidden: unable to create new content in namespace default because it is being terminated"});
        server
            .expect_status(Method::POST, EVENTS, 403, forbidden)
            .await;
        let response = serde_json::to_value(widget("a")).unwrap();
        let removed = server.expect(Method::PATCH, &path("a"), response).await;
        assert_eq!(
            removed.body[1],
            json!({"op": "remove", "path": "/metadata/finalizers/0"})
        );
    };
    let result = testing::serve_while(server, served, reconcile(Arc::new(obj), ctx.clone())).await;
    assert_eq!(result.unwrap(), Action::await_change());
}

#[tokio::test]
async fn a_failed_request_fails_the_reconciliation_and_the_error_policy_backs_off() {
    let (ctx, server) = testing::context(MANAGER, state());
    let obj = Arc::new(widget("a"));
    let served = |mut server: ApiServer| async move {
        let request = server.fail_next(500, "InternalError").await;
        assert_eq!(request.method, Method::PATCH);
    };
    let result = testing::serve_while(server, served, reconcile(obj.clone(), ctx.clone())).await;
    let error = result.unwrap_err();
    assert!(matches!(error, Error::Finalizer(_)), "{error:?}");
    let delays: Vec<_> = (0..3)
        .map(|_| ctx.requeue_on_error(CONTROLLER, obj.as_ref(), &error))
        .collect();
    let expected = [1, 2, 4].map(|s| Action::requeue(Duration::from_secs(s)));
    assert_eq!(delays, expected);
    assert_eq!(ctx.metrics.errors(CONTROLLER), 3);
}

#[tokio::test]
#[should_panic(expected = "unexpected request PATCH")]
async fn an_unexpected_request_fails_the_test() {
    let (ctx, server) = testing::context(MANAGER, state());
    let served = |mut server: ApiServer| async move {
        server.expect(Method::GET, &path("a"), json!({})).await;
    };
    let _ = testing::serve_while(server, served, reconcile(Arc::new(widget("a")), ctx)).await;
}
