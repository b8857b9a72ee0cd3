//! A project's samples (config/samples) reconciled by its manager against a real API server:
//! the check of a generated project's envtest and e2e tests.

use std::path::{Path, PathBuf};
use std::time::Duration;

use k8s_openapi::apiextensions_apiserver::pkg::apis::apiextensions::v1::CustomResourceDefinition;
use kube::api::{Api, DeleteParams, DynamicObject, GroupVersionKind, Patch, PatchParams};
use kube::discovery::{Scope, pinned_kind};
use kube::runtime::wait::{Condition, await_condition, conditions};
use kube::{Client, ResourceExt};
use serde_json::Value;

/// How long a sample may take to be reconciled, and to be deleted.
const TIMEOUT: Duration = Duration::from_secs(120);

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
pub async fn reconcile_all(client: &Client, dir: &Path, expect: Expect) -> Result<(), SampleError> {
    let params = PatchParams::apply("kubeforge-test").force();
    let mut applied = Vec::new();
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
        let api = match capabilities.scope {
            Scope::Namespaced => {
                let namespace = object
                    .namespace()
                    .unwrap_or_else(|| client.default_namespace().to_owned());
                Api::<DynamicObject>::namespaced_with(client.clone(), &namespace, &resource)
            }
            Scope::Cluster => Api::<DynamicObject>::all_with(client.clone(), &resource),
        };
        let name = object.name_any();
        let what = format!("{}/{name}", resource.kind);
        let created = api
            .patch(&name, &params, &Patch::Apply(&object))
            .await
            .map_err(|e| fail(format!("applying {what}: {e}")))?;
        println!("applied {what}");
        applied.push((api, name, what, created.uid().unwrap_or_default()));
    }
    for (api, name, what, _) in &applied {
        let shown = move |o: Option<&DynamicObject>| o.is_some_and(|o| shows(o, expect));
        let timed_out = format!(
            "{what} did not show {expect:?} within {TIMEOUT:?}: is the manager running its controller?"
        );
        wait_for(api, name, shown, what, timed_out).await?;
        println!("{what} is {expect:?}");
    }
    for (api, name, what, uid) in &applied {
        api.delete(name, &DeleteParams::default())
            .await
            .map_err(|e| fail(format!("deleting {what}: {e}")))?;
        let timed_out =
            format!("{what} was not deleted within {TIMEOUT:?}: is its finalizer released?");
        wait_for(api, name, conditions::is_deleted(uid), what, timed_out).await?;
        println!("deleted {what}");
    }
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
