//! A kind for the runtime's tests, and a reconcile function of the shape scaffold generates.

#![allow(dead_code)] // each test file uses a part

use std::time::Duration;

use kube::CustomResource;
use kubeforge::types::Condition;
use kubeforge_runtime::conditions::State;
use kubeforge_runtime::prelude::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

pub const MANAGER: &str = "widget-operator";
pub const CONTROLLER: &str = "widget";
pub const FINALIZER: &str = "test.kubeforge.io/finalizer";

/// A widget.
#[derive(CustomResource, Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
#[kube(
    group = "test.kubeforge.io",
    version = "v1",
    kind = "Widget",
    namespaced
)]
#[kube(status = "WidgetStatus")]
pub struct WidgetSpec {
    pub size: i32,
}

#[derive(Serialize, Deserialize, Clone, Debug, Default, PartialEq, JsonSchema)]
pub struct WidgetStatus {
    #[serde(default)]
    pub conditions: Vec<Condition>,
}

/// Counts reconciliations and cleanups, as a project's own state would hold a driver.
#[derive(Debug, Default)]
pub struct Counters {
    pub reconciles: std::sync::atomic::AtomicUsize,
    pub cleanups: std::sync::atomic::AtomicUsize,
}

/// The state of the test managers: shared with the test, which reads the counters.
pub type State_ = Arc<Counters>;

pub fn state() -> State_ {
    Arc::default()
}

pub async fn reconcile(obj: Arc<Widget>, ctx: Arc<Context<State_>>) -> Result<Action> {
    ctx.reconciles
        .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
    let api = ctx.api_for(obj.as_ref());
    let action = finalizer(&api, FINALIZER, obj, |event| async {
        match event {
            FinalizerEvent::Apply(obj) => apply(&obj, &ctx).await,
            FinalizerEvent::Cleanup(obj) => {
                ctx.cleanups
                    .fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                ctx.publish(
                    obj.as_ref(),
                    EventType::Normal,
                    "Deleting",
                    "Finalize",
                    "bye",
                )
                .await;
                Ok(Action::await_change())
            }
        }
    })
    .await
    .map_err(Box::new)?;
    Ok(action)
}

async fn apply(obj: &Widget, ctx: &Context<State_>) -> Result<Action> {
    let mut status = obj.status.clone().unwrap_or_default();
    let generation = obj.meta().generation;
    let message = format!("{} widgets", obj.spec.size);
    if conditions::set_state(
        &mut status.conditions,
        State::Available,
        "Reconciled",
        &message,
        generation,
    ) {
        ctx.apply_status(obj, &status).await?;
    }
    Ok(Action::requeue(Duration::from_secs(300)))
}

/// The CRD of [`Widget`].
pub fn crd()
-> k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition {
    use kube::CustomResourceExt;
    let mut crd = Widget::crd();
    // The apiserver needs the status subresource for patch_status.
    crd.spec.versions[0].subresources =
        Some(serde_json::from_value(json!({"status": {}})).unwrap());
    crd
}

/// The body of GET /version.
pub fn version() -> Value {
    json!({"major": "1", "minor": "33", "gitVersion": "v1.33.0", "gitCommit": "", "gitTreeState": "clean",
        "buildDate": "2025-01-01T00:00:00Z", "goVersion": "go1.24", "compiler": "gc", "platform": "linux/amd64"})
}

pub fn widget(name: &str) -> Widget {
    let mut widget = Widget::new(name, WidgetSpec { size: 3 });
    widget.meta_mut().namespace = Some("default".into());
    widget.meta_mut().uid = Some("8d5a2d36-3ec6-4a53-9ed2-1d4a4f9b3c01".into());
    widget.meta_mut().generation = Some(1);
    widget
}

/// A controller's `run`, as scaffold generates it.
pub async fn run_widgets(ctx: Arc<Context<State_>>) -> Result<()> {
    let api = ctx.watched_api::<Widget>();
    let controller = controller_for(&ctx, api).await?;
    run_controller(CONTROLLER, controller, reconcile, ctx).await
}
