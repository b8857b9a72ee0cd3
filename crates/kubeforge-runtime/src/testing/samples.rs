//! A project's samples (config/samples) reconciled by its manager against a real API server:
//! the check of a generated project's envtest and e2e tests.

use std::path::{Path, PathBuf};
use std::time::Duration;

use k8s_openapi::api::core::v1::Namespace;
use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{
    Api, ApiResource, DeleteParams, DynamicObject, GroupVersionKind, Patch, PatchParams, PostParams,
};
use kube::discovery::{Scope, pinned_kind};
use kube::runtime::wait::{Condition, await_condition, conditions};
use kube::{Client, ResourceExt};
use serde_json::Value;

/// How long a sample may take to be reconciled, and to be deleted.
const TIMEOUT: Duration = Duration::from_secs(120);
/// How long a namespace controller may take to remove a deleted, empty namespace.
const NAMESPACE_CONTROLLER: Duration = Duration::from_secs(15);

/// What a sample must show before it counts as reconciled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// A finalizer and at least one status condition: what any cluster shows, also one
    /// without a kubelet (envtest), where Pods never run.
    Reconciled,
    /// The `Available` condition True: a cluster that runs Pods.
    Available,
}

/// Why the samples were not reconciled; the message names the sample.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SampleError(String);

fn fail(message: impl Into<String>) -> SampleError {
    SampleError(message.into())
}

/// The objects of the kustomization in `dir` (its `resources:` files, in order).
pub fn load(dir: &Path) -> Result<Vec<Value>, SampleError> {
    let read = |path: &PathBuf| {
        std::fs::read_to_string(path).map_err(|e| fail(format!("reading {}: {e}", path.display())))
    };
    let parse = |path: &PathBuf, text: &str| {
        kubeforge::yaml::from_str_multi(text)
            .map_err(|e| fail(format!("parsing {}: {e}", path.display())))
    };
    let kustomization = dir.join("kustomization.yaml");
    let documents = parse(&kustomization, &read(&kustomization)?)?;
    let resources = documents
        .first()
        .and_then(|k| k["resources"].as_array().cloned())
        .unwrap_or_default();
    let mut objects = Vec::new();
    for resource in resources.iter().filter_map(Value::as_str) {
        let path = dir.join(resource);
        objects.extend(
            parse(&path, &read(&path)?)?
                .into_iter()
                .filter(|o| o.is_object()),
        );
    }
    Ok(objects)
}

/// Creates or updates `crds` (server-side apply) and waits until each is established.
pub async fn install_crds(
    client: &Client,
    crds: &[CustomResourceDefinition],
) -> Result<(), SampleError> {
    let api: Api<CustomResourceDefinition> = Api::all(client.clone());
    let params = PatchParams::apply("kubeforge-test").force();
    for crd in crds {
        let name = crd.name_any();
        let mut crd = crd.clone();
        crd.metadata.managed_fields = None;
        api.patch(&name, &params, &Patch::Apply(&crd))
            .await
            .map_err(|e| fail(format!("installing CRD {name}: {e}")))?;
        let what = format!("CRD {name}");
        let timed_out = format!("{what} not established within {TIMEOUT:?}");
        let established = conditions::is_crd_established();
        wait_for(&api, &name, established, &what, timed_out).await?;
    }
    Ok(())
}

/// Applies every sample in `dir` (config/samples), waits until each shows `expect`, deletes
/// them and waits until they are gone (so finalizers were released).
///
/// Then it does the same in a namespace of its own that it deletes with the samples still in
/// it: there the API server refuses new content (events among it), and a cleanup that fails on
/// that keeps its finalizer, and the namespace, forever. Where no namespace controller runs
/// (envtest), it deletes the samples and finalizes the namespace itself, as that controller
/// would.
pub async fn reconcile_all(client: &Client, dir: &Path, expect: Expect) -> Result<(), SampleError> {
    let mut samples = Vec::new();
    for sample in load(dir)? {
        let object: DynamicObject = serde_json::from_value(sample).map_err(|e| {
            fail(format!(
                "a sample in {} is not an object: {e}",
                dir.display()
            ))
        })?;
        let types = object.types.clone().unwrap_or_default();
        let gvk = GroupVersionKind::try_from(&types).map_err(|e| fail(e.to_string()))?;
        let (resource, capabilities) = pinned_kind(client, &gvk)
            .await
            .map_err(|e| fail(format!("{} is not served: {e}", types.kind)))?;
        samples.push((object, resource, capabilities.scope));
    }
    let in_place = samples.iter().map(|(object, resource, scope)| {
        let namespace = match scope {
            Scope::Namespaced => Some(
                object
                    .namespace()
                    .unwrap_or_else(|| client.default_namespace().to_owned()),
            ),
            Scope::Cluster => None,
        };
        (object.clone(), resource.clone(), namespace)
    });
    let applied = apply_all(client, in_place.collect()).await?;
    wait_all(&applied, expect).await?;
    for sample in &applied {
        delete(sample).await?;
    }

    let namespace = format!("kubeforge-e2e-{}", std::process::id());
    let namespaced: Vec<_> = samples
        .into_iter()
        .filter(|(_, _, scope)| *scope == Scope::Namespaced)
        .map(|(object, resource, _)| (object, resource, Some(namespace.clone())))
        .collect();
    if namespaced.is_empty() {
        return Ok(());
    }
    let namespaces: Api<Namespace> = Api::all(client.clone());
    let created = serde_json::from_value(serde_json::json!({"metadata": {"name": namespace}}))
        .map_err(|e| fail(e.to_string()))?;
    namespaces
        .create(&PostParams::default(), &created)
        .await
        .map_err(|e| fail(format!("creating namespace {namespace}: {e}")))?;
    let outcome = async {
        let applied = apply_all(client, namespaced).await?;
        wait_all(&applied, expect).await?;
        namespaces
            .delete(&namespace, &DeleteParams::default())
            .await
            .map_err(|e| fail(format!("deleting namespace {namespace}: {e}")))?;
        println!("deleting namespace {namespace}");
        for sample in &applied {
            // What the namespace controller does; on a cluster that runs one, it may be first.
            delete(sample).await?;
        }
        Ok(())
    }
    .await;
    match outcome {
        Ok(()) => delete_namespace(client, &namespace).await,
        // Left for the user to see (deleted: a cluster's namespace controller retries).
        Err(e) => {
            let _ = namespaces
                .delete(&namespace, &DeleteParams::default())
                .await;
            Err(e)
        }
    }
}

/// A sample as applied: where it is, what to call it, and its uid.
struct Applied {
    api: Api<DynamicObject>,
    name: String,
    what: String,
    uid: String,
}

async fn apply_all(
    client: &Client,
    samples: Vec<(DynamicObject, ApiResource, Option<String>)>,
) -> Result<Vec<Applied>, SampleError> {
    let params = PatchParams::apply("kubeforge-test").force();
    let mut applied = Vec::new();
    for (mut object, resource, namespace) in samples {
        let api = match &namespace {
            Some(namespace) => {
                object.metadata.namespace = Some(namespace.clone());
                Api::<DynamicObject>::namespaced_with(client.clone(), namespace, &resource)
            }
            None => Api::<DynamicObject>::all_with(client.clone(), &resource),
        };
        let name = object.name_any();
        let what = match &namespace {
            Some(namespace) => format!("{}/{name} in {namespace}", resource.kind),
            None => format!("{}/{name}", resource.kind),
        };
        let created = api
            .patch(&name, &params, &Patch::Apply(&object))
            .await
            .map_err(|e| fail(format!("applying {what}: {e}")))?;
        println!("applied {what}");
        let uid = created.uid().unwrap_or_default();
        applied.push(Applied {
            api,
            name,
            what,
            uid,
        });
    }
    Ok(applied)
}

async fn wait_all(applied: &[Applied], expect: Expect) -> Result<(), SampleError> {
    for sample in applied {
        let shown = move |o: Option<&DynamicObject>| o.is_some_and(|o| shows(o, expect));
        let timed_out = format!(
            "{} did not show {expect:?} within {TIMEOUT:?}: is the manager running its controller?",
            sample.what
        );
        wait_for(&sample.api, &sample.name, shown, &sample.what, timed_out).await?;
        println!("{} is {expect:?}", sample.what);
    }
    Ok(())
}

/// Deletes `sample` and waits until it is gone. Gone already is fine: two samples may be one
/// object in two versions, and a namespace controller may have been first.
async fn delete(sample: &Applied) -> Result<(), SampleError> {
    match sample
        .api
        .delete(&sample.name, &DeleteParams::default())
        .await
    {
        Ok(_) => {}
        Err(kube::Error::Api(status)) if status.is_not_found() => {}
        Err(e) => return Err(fail(format!("deleting {}: {e}", sample.what))),
    }
    let timed_out = format!(
        "{} was not deleted within {TIMEOUT:?}: is its finalizer released?",
        sample.what
    );
    let deleted = conditions::is_deleted(&sample.uid);
    wait_for(&sample.api, &sample.name, deleted, &sample.what, timed_out).await?;
    println!("deleted {}", sample.what);
    Ok(())
}

/// Deletes namespace `name` (nothing when it is gone) and, when no namespace controller
/// finishes the deletion within a few seconds (envtest runs none), empties its finalizers
/// through the `finalize` subresource, as that controller does once the namespace is empty.
pub async fn delete_namespace(client: &Client, name: &str) -> Result<(), SampleError> {
    let namespaces: Api<Namespace> = Api::all(client.clone());
    match namespaces.delete(name, &DeleteParams::default()).await {
        Ok(_) => {}
        Err(kube::Error::Api(status)) if status.is_not_found() => return Ok(()),
        Err(e) => return Err(fail(format!("deleting namespace {name}: {e}"))),
    }
    let gone = await_condition(namespaces.clone(), name, |ns: Option<&Namespace>| {
        ns.is_none()
    });
    if tokio::time::timeout(NAMESPACE_CONTROLLER, gone)
        .await
        .is_ok()
    {
        return Ok(());
    }
    let mut namespace = match namespaces.get_opt(name).await {
        Ok(Some(namespace)) => namespace,
        Ok(None) => return Ok(()),
        Err(e) => return Err(fail(format!("reading namespace {name}: {e}"))),
    };
    if let Some(spec) = namespace.spec.as_mut() {
        spec.finalizers = None;
    }
    namespaces
        .replace_subresource("finalize", name, &PostParams::default(), &namespace)
        .await
        .map_err(|e| fail(format!("finalizing namespace {name}: {e}")))?;
    Ok(())
}

/// Waits up to [`TIMEOUT`] until `name` meets `condition`; fails with `timed_out`, or naming
/// `what` when the watch fails.
async fn wait_for<K>(
    api: &Api<K>,
    name: &str,
    condition: impl Condition<K>,
    what: &str,
    timed_out: String,
) -> Result<(), SampleError>
where
    K: Clone + std::fmt::Debug + Send + serde::de::DeserializeOwned + kube::Resource + 'static,
{
    let wait = await_condition(api.clone(), name, condition);
    tokio::time::timeout(TIMEOUT, wait)
        .await
        .map_err(|_| fail(timed_out))?
        .map_err(|e| fail(format!("watching {what}: {e}")))?;
    Ok(())
}

fn shows(object: &DynamicObject, expect: Expect) -> bool {
    let conditions = object.data["status"]["conditions"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    match expect {
        Expect::Reconciled => !object.finalizers().is_empty() && !conditions.is_empty(),
        Expect::Available => conditions
            .iter()
            .any(|c| c["type"] == "Available" && c["status"] == "True"),
    }
}
