//! The manager against a real etcd and kube-apiserver (`KUBEBUILDER_ASSETS`, see
//! `kubeforge_runtime::testing::envtest`); each test prints why and passes when the binaries
//! are absent, as in CI.

mod common;

use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::time::Duration;

use common::*;
use kube::api::{DeleteParams, PostParams};
use kube::runtime::wait::{await_condition, conditions::is_deleted};
use kubeforge_runtime::conditions;
use kubeforge_runtime::prelude::*;
use kubeforge_runtime::testing::envtest::Environment;
use kubeforge_runtime::{BindAddress, Manager, ManagerArgs};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const TIMEOUT: Duration = Duration::from_secs(60);

async fn environment() -> Option<Environment> {
    let env = Environment::start().await.expect("envtest starts")?;
    env.install_crds(&[crd()])
        .await
        .expect("the Widget CRD installs");
    Some(env)
}

async fn available(api: &Api<Widget>, name: &str) {
    let is_available = |w: Option<&Widget>| {
        w.and_then(|w| w.status.as_ref())
            .is_some_and(|s| conditions::is_true(&s.conditions, AVAILABLE))
    };
    let wait = await_condition(api.clone(), name, is_available);
    tokio::time::timeout(TIMEOUT, wait)
        .await
        .expect("Available in time")
        .unwrap();
}

fn free_address() -> SocketAddr {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// The status code of GET `path` on `address`.
async fn http_status(address: SocketAddr, path: &str) -> Option<u16> {
    let mut stream = tokio::net::TcpStream::connect(address).await.ok()?;
    let request = format!("GET {path} HTTP/1.0\r\nHost: test\r\n\r\n");
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut response = String::new();
    stream.read_to_string(&mut response).await.ok()?;
    response.split(' ').nth(1)?.parse().ok()
}

#[tokio::test(flavor = "multi_thread")]
async fn reconciles_reports_ready_and_releases_the_finalizer_on_delete() {
    let Some(env) = environment().await else {
        return;
    };
    let health = free_address();
    let args = ManagerArgs {
        health_probe_bind_address: BindAddress(Some(health)),
        ..ManagerArgs::default()
    };
    let state = state();
    let manager = Manager::with_state(MANAGER, args, state.clone())
        .client(env.client())
        .controller(run_widgets);
    let stop = manager.shutdown_token();
    let running = tokio::spawn(manager.try_run());

    let ready = async {
        while http_status(health, "/readyz").await != Some(200) {
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    };
    tokio::time::timeout(TIMEOUT, ready)
        .await
        .expect("ready once the watch synced");

    let api: Api<Widget> = Api::namespaced(env.client(), "default");
    let widget = Widget::new("a", WidgetSpec { size: 2 });
    let created = api.create(&PostParams::default(), &widget).await.unwrap();
    available(&api, "a").await;
    let stored = api.get("a").await.unwrap();
    assert_eq!(stored.finalizers(), [FINALIZER.to_owned()]);
    let condition =
        conditions::find(&stored.status.as_ref().unwrap().conditions, AVAILABLE).unwrap();
    assert_eq!(condition.observed_generation, Some(1));
    assert_eq!(condition.message, "2 widgets");
    let managers: Vec<_> = stored
        .managed_fields()
        .iter()
        .filter_map(|f| f.manager.clone())
        .collect();
    assert!(managers.contains(&MANAGER.to_owned()), "{managers:?}");

    api.delete("a", &DeleteParams::default()).await.unwrap();
    let uid = created.uid().unwrap();
    let gone = await_condition(api.clone(), "a", is_deleted(&uid));
    tokio::time::timeout(TIMEOUT, gone)
        .await
        .expect("deleted in time")
        .unwrap();
    assert_eq!(state.cleanups.load(Ordering::SeqCst), 1);

    stop.cancel();
    let stopped = tokio::time::timeout(TIMEOUT, running)
        .await
        .expect("stops in time");
    stopped.unwrap().expect("a clean stop");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_second_manager_takes_over_when_the_leader_stops() {
    let Some(env) = environment().await else {
        return;
    };
    let args = ManagerArgs {
        leader_elect: true,
        ..ManagerArgs::default()
    };
    let start = |state: &State_| {
        let manager = Manager::with_state(MANAGER, args.clone(), state.clone())
            .client(env.client())
            .controller(run_widgets);
        let stop = manager.shutdown_token();
        (stop, tokio::spawn(manager.try_run()))
    };
    let api: Api<Widget> = Api::namespaced(env.client(), "default");

    let (first, second) = (state(), state());
    let (stop_first, first_running) = start(&first);
    api.create(
        &PostParams::default(),
        &Widget::new("a", WidgetSpec { size: 1 }),
    )
    .await
    .unwrap();
    available(&api, "a").await;
    let (stop_second, second_running) = start(&second);
    // The second replica waits for the Lease and reconciles nothing meanwhile.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert!(first.reconciles.load(Ordering::SeqCst) > 0);
    assert_eq!(second.reconciles.load(Ordering::SeqCst), 0);

    stop_first.cancel();
    tokio::time::timeout(TIMEOUT, first_running)
        .await
        .expect("the leader stops")
        .unwrap()
        .unwrap();
    api.create(
        &PostParams::default(),
        &Widget::new("b", WidgetSpec { size: 1 }),
    )
    .await
    .unwrap();
    available(&api, "b").await;
    assert!(
        second.reconciles.load(Ordering::SeqCst) > 0,
        "the second manager took over"
    );

    stop_second.cancel();
    tokio::time::timeout(TIMEOUT, second_running)
        .await
        .expect("stops")
        .unwrap()
        .unwrap();
}
