//! How `controller_with` watches: the lean cache (managedFields and last-applied dropped
//! before the store, the whole object still read from the API), the bound on concurrent
//! reconciliations, and streaming lists where the API server offers them. The API server is
//! mocked; it answers each request by what it is, since the watch and the reconciliations
//! send theirs concurrently.

mod common;

use std::collections::BTreeMap;
use std::time::Duration;

use common::*;
use http::{Method, Response};
use kube::client::Body;
use kube::core::ObjectMeta;
use kubeforge_runtime::prelude::*;
use kubeforge_runtime::testing::{self, ApiServer, Request};
use serde_json::{Value, json};
use tokio::sync::mpsc;
use tower_test::mock::SendResponse;

/// The collection the controller watches (all namespaces), and where its objects live.
const WIDGETS: &str = "/apis/test.kubeforge.io/v1/widgets";
const IN_DEFAULT: &str = "/apis/test.kubeforge.io/v1/namespaces/default/widgets";

type Responder = SendResponse<Response<Body>>;

fn respond(send: Responder, code: u16, body: &Value) {
    let body = Body::from(serde_json::to_vec(body).unwrap());
    let response = Response::builder()
        .status(code)
        .header("content-type", "application/json")
        .body(body)
        .unwrap();
    send.send_response(response);
}

fn is_watch(request: &Request) -> bool {
    request.has_query("watch", "true")
}

fn streaming(request: &Request) -> bool {
    request.has_query("sendInitialEvents", "true")
}

/// A widget as the API server stores it after `kubectl apply` and a server-side apply.
fn applied_widget(name: &str) -> Value {
    let mut obj = serde_json::to_value(widget(name)).unwrap();
    obj["metadata"]["uid"] = format!("uid-{name}").into();
    obj["metadata"]["resourceVersion"] = "7".into();
    obj["metadata"]["annotations"] = json!({
        "kubectl.kubernetes.io/last-applied-configuration": "{\"spec\":{\"size\":3}}",
        "team": "storage",
    });
    obj["metadata"]["managedFields"] = json!([{
        "manager": "kubectl", "operation": "Apply", "apiVersion": "test.kubeforge.io/v1",
        "fieldsType": "FieldsV1", "fieldsV1": {"f:spec": {"f:size": {}}},
    }]);
    obj
}

fn list(items: Vec<Value>) -> Value {
    json!({"apiVersion": "test.kubeforge.io/v1", "kind": "WidgetList",
        "metadata": {"resourceVersion": "7"}, "items": items})
}

fn metadata_list() -> Value {
    json!({"apiVersion": "meta.k8s.io/v1", "kind": "PartialObjectMetadataList",
        "metadata": {"resourceVersion": "7"}, "items": []})
}

/// Plays an API server without streaming lists that holds `items`: the CRD check, a refused
/// streaming probe, a paginated list, and a watch left open. Every other request goes to
/// `other`, which answers it or keeps it pending (returns it).
async fn serve(
    mut server: ApiServer,
    items: Vec<Value>,
    mut other: impl FnMut(Request, Responder) -> Option<Responder>,
    mut stop: mpsc::Receiver<()>,
) -> Vec<Request> {
    let mut open = Vec::new();
    let mut seen = Vec::new();
    loop {
        let (request, send) = tokio::select! {
            next = server.next() => next,
            _ = stop.recv() => return seen,
        };
        let collection = request.path == WIDGETS;
        if collection && request.has_query("limit", "1") && !is_watch(&request) {
            respond(send, 200, &metadata_list());
        } else if collection && is_watch(&request) && streaming(&request) {
            let refused = testing::status(422, "Invalid");
            respond(send, 422, &refused);
        } else if collection && is_watch(&request) {
            open.push(send);
        } else if collection {
            respond(send, 200, &list(items.clone()));
        } else if let Some(pending) = other(
            Request {
                method: request.method.clone(),
                path: request.path.clone(),
                query: request.query.clone(),
                body: request.body.clone(),
            },
            send,
        ) {
            open.push(pending);
        }
        seen.push(request);
    }
}

#[tokio::test]
async fn the_cache_drops_managed_fields_and_a_reconcile_reads_them_from_the_api() {
    let (ctx, server) = testing::context(MANAGER, state());
    let (seen_tx, mut seen_rx) = mpsc::channel::<(ObjectMeta, ObjectMeta)>(1);
    let (stop_tx, stop_rx) = mpsc::channel(1);
    let full = applied_widget("a");
    let fetched = full.clone();
    let serving = tokio::spawn(serve(
        server,
        vec![full],
        move |request, send| {
            assert_eq!(
                (&request.method, request.path.as_str()),
                (&Method::GET, format!("{IN_DEFAULT}/a").as_str())
            );
            respond(send, 200, &fetched);
            None
        },
        stop_rx,
    ));
    let api = ctx.watched_api::<Widget>();
    let controller = kubeforge_runtime::controller_for(&ctx, api).await.unwrap();
    let reconcile = move |obj: Arc<Widget>, ctx: Arc<Context<State_>>| {
        let seen = seen_tx.clone();
        async move {
            let whole = ctx.api_for(obj.as_ref()).get(&obj.name_any()).await?;
            let _ = seen.send((obj.metadata.clone(), whole.metadata)).await;
            Ok(Action::await_change())
        }
    };
    let run = tokio::spawn(kubeforge_runtime::run_controller(
        CONTROLLER,
        controller,
        reconcile,
        ctx.clone(),
    ));
    let (cached, whole) = tokio::time::timeout(Duration::from_secs(10), seen_rx.recv())
        .await
        .expect("reconciled within 10 s")
        .unwrap();
    assert_eq!(
        cached.managed_fields, None,
        "the cache keeps no managedFields"
    );
    let annotations = BTreeMap::from([("team".to_owned(), "storage".to_owned())]);
    assert_eq!(
        cached.annotations,
        Some(annotations),
        "last-applied dropped, the rest kept"
    );
    assert_eq!(whole.managed_fields.map(|m| m.len()), Some(1));
    let last_applied = "kubectl.kubernetes.io/last-applied-configuration";
    assert!(whole.annotations.unwrap().contains_key(last_applied));
    ctx.shutdown.cancel();
    run.await.unwrap().unwrap();
    stop_tx.send(()).await.unwrap();
    let seen = serving.await.unwrap();
    let listed = seen
        .iter()
        .find(|r| r.path == WIDGETS && !is_watch(r) && !r.has_query("limit", "1"))
        .expect("a list");
    assert!(
        listed.has_query("limit", "500"),
        "without streaming lists the cache is filled page by page: {}",
        listed.query
    );
}

#[tokio::test]
async fn reconciles_at_most_max_concurrent_reconciles_at_once() {
    let (ctx, server) = testing::context(MANAGER, state());
    let (held_tx, mut held_rx) = mpsc::unbounded_channel::<Responder>();
    let (stop_tx, stop_rx) = mpsc::channel(1);
    let items: Vec<Value> = (0..6).map(|i| applied_widget(&format!("w{i}"))).collect();
    let by_name: BTreeMap<String, Value> = items
        .iter()
        .map(|o| {
            (
                format!("{IN_DEFAULT}/{}", o["metadata"]["name"].as_str().unwrap()),
                o.clone(),
            )
        })
        .collect();
    let bodies = by_name.clone();
    let serving = tokio::spawn(serve(
        server,
        items,
        move |request, send| {
            assert!(bodies.contains_key(&request.path), "{}", request.path);
            // Held: the reconciliation that sent it stays in flight until the test answers.
            held_tx.send(send).unwrap();
            None
        },
        stop_rx,
    ));
    let options = WatchOptions {
        max_concurrent_reconciles: 2,
        ..ctx.watch.clone()
    };
    let api = ctx.watched_api::<Widget>();
    let controller = kubeforge_runtime::controller_with(api, &options)
        .await
        .unwrap();
    let reconcile = |obj: Arc<Widget>, ctx: Arc<Context<State_>>| async move {
        ctx.api_for(obj.as_ref()).get(&obj.name_any()).await?;
        Ok(Action::await_change())
    };
    let run = tokio::spawn(kubeforge_runtime::run_controller(
        CONTROLLER,
        controller,
        reconcile,
        ctx.clone(),
    ));
    let mut answered = 0;
    let mut most_in_flight = 0;
    let mut in_flight = Vec::new();
    while answered < 6 {
        // Gather every request sent before the API server answers any.
        while let Ok(Some(send)) =
            tokio::time::timeout(Duration::from_millis(300), held_rx.recv()).await
        {
            in_flight.push(send);
        }
        most_in_flight = most_in_flight.max(in_flight.len());
        assert!(
            !in_flight.is_empty(),
            "no reconciliation running, {answered} answered"
        );
        let send = in_flight.remove(0);
        // Any widget's body does: the reconcile only waits for the answer.
        respond(send, 200, by_name.values().next().unwrap());
        answered += 1;
    }
    assert_eq!(most_in_flight, 2, "two reconciliations at once, not six");
    ctx.shutdown.cancel();
    run.await.unwrap().unwrap();
    stop_tx.send(()).await.unwrap();
    serving.await.unwrap();
}

#[tokio::test]
async fn a_server_with_streaming_lists_fills_the_cache_from_one_watch() {
    let (ctx, mut server) = testing::context(MANAGER, state());
    let (fill_tx, mut fill_rx) = mpsc::channel::<Request>(1);
    let serving = tokio::spawn(async move {
        let mut watches = 0;
        loop {
            let (request, send) = server.next().await;
            if request.has_query("limit", "1") && !is_watch(&request) {
                respond(send, 200, &metadata_list());
                continue;
            }
            assert!(
                is_watch(&request),
                "{} {}?{}",
                request.method,
                request.path,
                request.query
            );
            watches += 1;
            let end = json!({"type": "BOOKMARK", "object": {
                "apiVersion": "test.kubeforge.io/v1", "kind": "Widget",
                "metadata": {"resourceVersion": "7",
                    "annotations": {"k8s.io/initial-events-end": "true"}}}});
            if watches == 1 {
                // The probe: this server answers a streaming list.
                respond(send, 200, &end);
            } else {
                // The cache's fill: one widget, then the end of the initial events; the
                // watch stays open.
                let added = json!({"type": "ADDED", "object": applied_widget("a")});
                let body = format!("{added}\n{end}\n");
                let response = Response::builder()
                    .status(200)
                    .header("content-type", "application/json")
                    .body(Body::from(body.into_bytes()))
                    .unwrap();
                send.send_response(response);
                fill_tx.send(request).await.unwrap();
            }
        }
    });
    let api = ctx.watched_api::<Widget>();
    let controller = kubeforge_runtime::controller_for(&ctx, api).await.unwrap();
    let (reconciled_tx, mut reconciled_rx) = mpsc::channel::<String>(1);
    let reconcile = move |obj: Arc<Widget>, _ctx: Arc<Context<State_>>| {
        let reconciled = reconciled_tx.clone();
        async move {
            let _ = reconciled.send(obj.name_any()).await;
            Ok(Action::await_change())
        }
    };
    let run = tokio::spawn(kubeforge_runtime::run_controller(
        CONTROLLER,
        controller,
        reconcile,
        ctx.clone(),
    ));
    let fill = tokio::time::timeout(Duration::from_secs(10), fill_rx.recv())
        .await
        .expect("the cache is filled within 10 s")
        .unwrap();
    assert!(
        streaming(&fill) && !fill.has_query("limit", "500"),
        "the cache is filled by a streaming list: {}?{}",
        fill.path,
        fill.query
    );
    let name = tokio::time::timeout(Duration::from_secs(10), reconciled_rx.recv())
        .await
        .expect("reconciled within 10 s");
    assert_eq!(name.as_deref(), Some("a"));
    ctx.shutdown.cancel();
    run.await.unwrap().unwrap();
    serving.abort();
}
