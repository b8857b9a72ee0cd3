//! Each way a manager can fail to start is one line naming what to fix, never a panic or a
//! hang. The API server is mocked; the envtest tests run the same manager against a real one.

mod common;

use std::net::TcpListener;

use common::*;
use http::Method;
use kubeforge_runtime::testing::ApiServer;
use kubeforge_runtime::{BindAddress, Manager, ManagerArgs, ManagerError};
use serde_json::json;

/// A manager talking to the mocked API server, with both servers disabled.
fn manager(args: ManagerArgs) -> (Manager<State_>, ApiServer) {
    let (client, server) = ApiServer::new();
    let manager = Manager::with_state(MANAGER, args, state()).client(client);
    (manager, server)
}

async fn run(
    manager: Manager<State_>,
    serve: impl AsyncFnOnce(&mut ApiServer),
    mut server: ApiServer,
) -> String {
    let manager = tokio::spawn(manager.try_run());
    server.expect(Method::GET, "/version", version()).await;
    serve(&mut server).await;
    let result = tokio::time::timeout(std::time::Duration::from_secs(10), manager).await;
    let error: ManagerError = result
        .expect("the manager stopped in time")
        .unwrap()
        .unwrap_err();
    let message = error.to_string();
    assert!(!message.contains('\n'), "one line: {message}");
    message
}

#[tokio::test]
async fn a_namespace_that_does_not_exist() {
    let args = ManagerArgs {
        namespace: Some("nope".into()),
        ..ManagerArgs::default()
    };
    let (manager, server) = manager(args);
    let message = run(
        manager,
        async |server| {
            server
                .expect_status(
                    Method::GET,
                    "/api/v1/namespaces/nope",
                    404,
                    kubeforge_runtime::testing::status(404, "NotFound"),
                )
                .await;
        },
        server,
    )
    .await;
    assert_eq!(
        message,
        "namespace \"nope\" (--namespace) does not exist: create it or pass another one"
    );
}

#[tokio::test]
async fn a_bind_address_in_use() {
    let taken = TcpListener::bind("127.0.0.1:0").unwrap();
    let args = ManagerArgs {
        health_probe_bind_address: BindAddress(Some(taken.local_addr().unwrap())),
        ..ManagerArgs::default()
    };
    let (manager, server) = manager(args);
    let message = run(manager, async |_| {}, server).await;
    assert!(
        message.starts_with("cannot bind the health probe address 127.0.0.1:"),
        "{message}"
    );
    assert!(
        message.ends_with("free the port or pass another --health-probe-bind-address"),
        "{message}"
    );
}

#[tokio::test]
async fn a_webhook_server_without_a_certificate() {
    let empty = tempfile::tempdir().unwrap();
    let args = ManagerArgs {
        webhook_cert_dir: empty.path().to_owned(),
        webhook_port: 0,
        ..ManagerArgs::default()
    };
    let (manager, server) = manager(args);
    let manager = manager.webhooks(|server| server);
    let message = run(manager, async |_| {}, server).await;
    let missing = empty.path().join("tls.crt");
    assert!(
        message.starts_with(&format!(
            "the webhook server has no certificate: {} is missing",
            missing.display()
        )),
        "{message}"
    );
    assert!(message.contains("--webhook-cert-dir"), "{message}");
    assert!(message.contains("ENABLE_WEBHOOKS=false"), "{message}");
}

#[tokio::test]
async fn webhooks_disabled_need_no_certificate() {
    let empty = tempfile::tempdir().unwrap();
    let args = ManagerArgs {
        enable_webhooks: false,
        webhook_cert_dir: empty.path().to_owned(),
        webhook_port: 0,
        ..ManagerArgs::default()
    };
    let (manager, mut server) = manager(args);
    let token = manager.shutdown_token();
    let manager = tokio::spawn(manager.webhooks(|server| server).try_run());
    server.expect(Method::GET, "/version", version()).await;
    // With webhooks enabled the missing certificate stops the manager right after /version.
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(!manager.is_finished(), "the manager stopped by itself");
    token.cancel();
    let result = tokio::time::timeout(std::time::Duration::from_secs(10), manager).await;
    result
        .expect("the manager stopped in time")
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn leader_election_without_permission_to_the_lease() {
    let args = ManagerArgs {
        leader_elect: true,
        ..ManagerArgs::default()
    };
    let (manager, server) = manager(args);
    let message = run(
        manager,
        async |server| {
            let request = server.fail_next(403, "Forbidden").await;
            assert!(
                request
                    .path
                    .starts_with("/apis/coordination.k8s.io/v1/namespaces/default/leases"),
                "{}",
                request.path
            );
        },
        server,
    )
    .await;
    assert!(message.starts_with("leader election (--leader-elect) on Lease default/widget-operator: the manager may not get, create or update Leases in namespace default"), "{message}");
}

#[tokio::test]
async fn a_missing_crd() {
    let (manager, server) = manager(ManagerArgs::default());
    let manager = manager.controller(run_widgets);
    let message = run(manager, async |server| {
        server.expect_status(Method::GET, "/apis/test.kubeforge.io/v1/widgets", 404,
            json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": "the server could not find the requested resource", "reason": "NotFound", "code": 404})).await;
    }, server).await;
    assert!(
        message.starts_with(
            "a controller failed: widgets.test.kubeforge.io is not served by the API server"
        ),
        "{message}"
    );
    assert!(
        message.ends_with("is its CRD installed? (`cargo xtask install`)"),
        "{message}"
    );
}

#[tokio::test]
async fn an_unreachable_api_server() {
    let (client, server) = ApiServer::new();
    drop(server);
    let manager = Manager::new(MANAGER, ManagerArgs::default()).client(client);
    let error = manager.try_run().await.unwrap_err().to_string();
    assert!(
        error.starts_with("cannot reach the API server at the given client"),
        "{error}"
    );
}
