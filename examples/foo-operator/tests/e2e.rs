//! The manager against a real API server: each sample Foo in config/samples is applied and
//! must get a finalizer and report `status.happy=false` while the Pod it names (`spec.name`)
//! is missing; the test then creates that Pod and waits until the Foo reports
//! `status.happy=true` and Available, deletes the Pod and waits until the Foo is unhappy again
//! (the Pod watch maps the Pod to its Foo). Finally the samples are deleted (their finalizers
//! must be released) and the manager must stop on SIGTERM.
//!
//! The controller only checks that the Pod exists, so the Pod need not be scheduled nor run:
//! both tests check the same, also on envtest, which has no kubelet.
//!
//! - `envtest`: etcd and kube-apiserver from `KUBEBUILDER_ASSETS` (setup-envtest's
//!   directory); skipped without them.
//! - `e2e`: the cluster of the current kubeconfig context (kind, minikube, ...); skipped unless
//!   `KUBEFORGE_E2E=1` (`KUBEFORGE_E2E=1 cargo test --test e2e -- --nocapture`).

use std::path::Path;
use std::time::Duration;

use k8s_openapi::api::core::v1::{Container, Pod, PodSpec};
use kube::api::{DeleteParams, ObjectMeta, Patch, PatchParams, PostParams};
use kube::runtime::wait::await_condition;
use kube::{Api, Client, ResourceExt};
use kubeforge_runtime::conditions::{self, AVAILABLE};
use kubeforge_runtime::testing::envtest::Environment;
use kubeforge_runtime::testing::{self, Expect, ManagerProcess, samples};

use foo_operator::controller::foo_controller::FINALIZER;
// Linking the API crate registers its CRDs.
use foo_operator_api::v1alpha1::Foo;

const MANAGER: &str = env!("CARGO_BIN_EXE_foo-operator");

/// How long a Foo may take to show what the test waits for.
const TIMEOUT: Duration = Duration::from_secs(120);

/// The field manager of the samples: the one `testing::reconcile_all` applies them with, so
/// that its apply of the same samples changes nothing.
const FIELD_MANAGER: &str = "kubeforge-test";

async fn reconcile_samples(client: &Client, kubeconfig: Option<&Path>) {
    let crds = kubeforge::crds().expect("the CRDs generate");
    let installed = testing::install_crds(client, &crds).await;
    installed.expect("the CRDs install");
    let manager = ManagerProcess::start(MANAGER, kubeconfig, &[]).expect("the manager starts");
    let samples = Path::new(env!("CARGO_MANIFEST_DIR")).join("config/samples");
    let mut pods = Vec::new();
    let happy = follow_pods(client, &samples, &mut pods).await;
    // Whatever happened, remove the Pods the test created (an e2e cluster keeps them).
    for (api, name) in &pods {
        let _ = api
            .delete(name, &DeleteParams::default().grace_period(0))
            .await;
    }
    // The Pods are gone, so the Foos are no longer Available: only reconciled. This deletes the
    // samples while the manager still runs, also after a failure above.
    let reconciled = testing::reconcile_all(client, &samples, Expect::Reconciled).await;
    let stopped = manager.stop().expect("the manager stops on SIGTERM");
    happy.expect("every sample Foo follows its Pod");
    reconciled.expect("every sample is reconciled and deleted");
    assert!(stopped.success(), "the manager exited with {stopped}");
}

/// Applies the sample Foos of `dir` and, for each, creates the Pod it names, waits until the
/// Foo is happy, deletes the Pod and waits until it is unhappy again. Pushes each Pod it
/// creates onto `pods`, for the caller to delete whatever happens.
async fn follow_pods(
    client: &Client,
    dir: &Path,
    pods: &mut Vec<(Api<Pod>, String)>,
) -> Result<(), String> {
    let params = PatchParams::apply(FIELD_MANAGER).force();
    let mut foos = Vec::new();
    for sample in samples::load(dir).map_err(|e| e.to_string())? {
        if sample["kind"] != "Foo" {
            continue;
        }
        let obj: Foo = serde_json::from_value(sample.clone())
            .map_err(|e| format!("a sample in {} is not a Foo: {e}", dir.display()))?;
        let namespace = obj
            .namespace()
            .unwrap_or_else(|| client.default_namespace().to_owned());
        let api: Api<Foo> = Api::namespaced(client.clone(), &namespace);
        let name = obj.name_any();
        api.patch(&name, &params, &Patch::Apply(&sample))
            .await
            .map_err(|e| format!("applying Foo {namespace}/{name}: {e}"))?;
        println!("applied Foo {namespace}/{name}");
        foos.push((api, namespace, obj));
    }
    if foos.is_empty() {
        return Err(format!("no sample Foo in {}", dir.display()));
    }
    for (api, namespace, obj) in &foos {
        let name = obj.name_any();
        let pod_name = obj.spec.name.clone();
        let what = format!("Foo {namespace}/{name}");

        println!("waiting for {what} to be unhappy without Pod {pod_name}");
        wait_for(api, &name, &format!("{what} unhappy"), |obj| {
            has_finalizer(obj) && happy(obj) == Some(false)
        })
        .await?;

        println!("creating Pod {pod_name}, waiting for {what} to be happy");
        let pod_api: Api<Pod> = Api::namespaced(client.clone(), namespace);
        pod_api
            .create(&PostParams::default(), &pod(&pod_name))
            .await
            .map_err(|e| format!("creating Pod {namespace}/{pod_name}: {e}"))?;
        pods.push((pod_api.clone(), pod_name.clone()));
        wait_for(api, &name, &format!("{what} happy and Available"), |obj| {
            happy(obj) == Some(true) && available(obj)
        })
        .await?;

        println!("deleting Pod {pod_name}, waiting for {what} to be unhappy again");
        pod_api
            .delete(&pod_name, &DeleteParams::default())
            .await
            .map_err(|e| format!("deleting Pod {namespace}/{pod_name}: {e}"))?;
        wait_for(api, &name, &format!("{what} unhappy again"), |obj| {
            happy(obj) == Some(false) && !available(obj)
        })
        .await?;
    }
    Ok(())
}

/// A Pod named `name`. It need not run (envtest has no kubelet; the controller only checks
/// that it exists); on a cluster that runs it, it sleeps and stops at once when deleted.
fn pod(name: &str) -> Pod {
    let container = Container {
        name: "sleep".into(),
        image: Some("busybox".into()),
        command: Some(vec!["sleep".into(), "3600".into()]),
        ..Container::default()
    };
    Pod {
        metadata: ObjectMeta {
            name: Some(name.into()),
            ..ObjectMeta::default()
        },
        spec: Some(PodSpec {
            containers: vec![container],
            restart_policy: Some("Never".into()),
            termination_grace_period_seconds: Some(0),
            ..PodSpec::default()
        }),
        ..Pod::default()
    }
}

fn has_finalizer(obj: &Foo) -> bool {
    obj.finalizers().iter().any(|f| f == FINALIZER)
}

/// `status.happy`, once the controller has written a status.
fn happy(obj: &Foo) -> Option<bool> {
    obj.status.as_ref().map(|status| status.happy)
}

fn available(obj: &Foo) -> bool {
    let status = obj.status.as_ref();
    status.is_some_and(|status| conditions::is_true(&status.conditions, AVAILABLE))
}

/// Waits until the Foo `name` shows `condition` (`what`, for the error).
async fn wait_for(
    api: &Api<Foo>,
    name: &str,
    what: &str,
    condition: impl Fn(&Foo) -> bool,
) -> Result<(), String> {
    let wait = await_condition(api.clone(), name, move |obj: Option<&Foo>| {
        obj.is_some_and(&condition)
    });
    tokio::time::timeout(TIMEOUT, wait)
        .await
        .map_err(|_| format!("not {what} within {TIMEOUT:?}: is the manager running?"))?
        .map_err(|e| format!("watching for {what}: {e}"))?;
    Ok(())
}

#[tokio::test(flavor = "multi_thread")]
async fn envtest() {
    let Some(env) = Environment::start().await.expect("envtest starts") else {
        return;
    };
    reconcile_samples(&env.client(), Some(env.kubeconfig())).await;
}

#[tokio::test(flavor = "multi_thread")]
async fn e2e() {
    if std::env::var("KUBEFORGE_E2E").as_deref() != Ok("1") {
        eprintln!("skipping e2e: set KUBEFORGE_E2E=1 to run it against the kubeconfig cluster");
        return;
    }
    let client = kube::Client::try_default().await;
    let client = client.expect("a kubeconfig cluster");
    reconcile_samples(&client, None).await;
}
