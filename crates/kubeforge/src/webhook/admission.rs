//! AdmissionReview handling: decoding the review, running a defaulter or validator, and
//! writing the response the way controller-runtime does.

use std::collections::HashSet;
use std::marker::PhantomData;
use std::pin::Pin;

use json_patch::{Patch, PatchOperation};
use k8s_openapi::ByteString;
use kube::core::admission::{AdmissionRequest, AdmissionResponse, AdmissionReview, Operation};
use kube::core::{DynamicObject, Resource, Status};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::{CustomDefaulter, CustomValidator, Denied, Warnings};

pub(crate) type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// What a handler sees of the request.
pub(crate) struct Request {
    pub operation: Operation,
    /// `request.object` as sent (not re-encoded), for the patch.
    pub object: Option<Value>,
    /// `request.oldObject` as sent.
    pub old_object: Option<Value>,
}

/// A handler's answer.
pub(crate) enum Verdict {
    Allowed { warnings: Warnings, patch: Patch },
    Denied(Denied),
}

impl Verdict {
    fn allowed() -> Self {
        Verdict::Allowed {
            warnings: Warnings::new(),
            patch: Patch::default(),
        }
    }

    fn from_validation(result: Result<Warnings, Denied>) -> Self {
        match result {
            Ok(warnings) => Verdict::Allowed {
                warnings,
                patch: Patch::default(),
            },
            Err(denied) => Verdict::Denied(denied),
        }
    }
}

/// A defaulter or validator for one kind, with the kind erased.
pub(crate) trait Handler: Send + Sync + 'static {
    fn handle<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Verdict>;
}

/// The bounds a kind needs to be admitted.
pub(crate) trait Kind:
    Resource<DynamicType = ()> + DeserializeOwned + Serialize + Send + Sync + 'static
{
}

impl<K> Kind for K where
    K: Resource<DynamicType = ()> + DeserializeOwned + Serialize + Send + Sync + 'static
{
}

/// Why `request.object` (or `oldObject`) did not decode.
enum Undecodable {
    /// The review has no such object: a malformed review (HTTP 400).
    Absent(Denied),
    /// The object does not fit the Rust type: denied as the apiserver denies an invalid
    /// object (422 Invalid, the cause naming the field path).
    Invalid(Denied),
}

impl From<Undecodable> for Denied {
    fn from(error: Undecodable) -> Denied {
        match error {
            Undecodable::Absent(denied) | Undecodable::Invalid(denied) => denied,
        }
    }
}

fn decode<K: Kind>(value: Option<&Value>, field: &str) -> Result<K, Undecodable> {
    let Some(value) = value.filter(|v| !v.is_null()) else {
        return Err(Undecodable::Absent(Denied::bad_request(format!(
            "the AdmissionReview has no request.{field}"
        ))));
    };
    serde_path_to_error::deserialize(value.clone()).map_err(|e| {
        let (path, message) = field_error(&e);
        let name = value["metadata"]["name"].as_str().unwrap_or_default();
        let mut denied = Denied::field(path.clone(), message.clone())
            .with_code(422)
            .with_reason("Invalid");
        denied.message = format!("{} {name:?} is invalid: {path}: {message}", K::kind(&()));
        Undecodable::Invalid(denied)
    })
}

/// The field path and the apiserver-style message of a decoding error: a missing field is
/// `spec.containerPort: Required value`, anything else `spec.size: Invalid value: ...`.
fn field_error(error: &serde_path_to_error::Error<serde_json::Error>) -> (String, String) {
    let path = error.path().to_string();
    let path = if path == "." { String::new() } else { path };
    let inner = error.inner().to_string();
    // serde's wording: "missing field `name` at line .."; the path points at its parent.
    let message = inner.split(" at line ").next().unwrap_or(&inner);
    if let Some(missing) = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.strip_suffix('`'))
    {
        let path = if path.is_empty() {
            missing.to_owned()
        } else {
            format!("{path}.{missing}")
        };
        return (path, "Required value".to_owned());
    }
    (path, format!("Invalid value: {message}"))
}

fn encode<K: Kind>(obj: &K) -> Result<Value, Denied> {
    serde_json::to_value(obj).map_err(|e| {
        Denied::new(format!("cannot encode {}: {e}", K::kind(&())))
            .with_code(500)
            .with_reason("InternalError")
    })
}

pub(crate) struct DefaulterHandler<K, D> {
    defaulter: D,
    kind: PhantomData<fn() -> K>,
}

impl<K, D> DefaulterHandler<K, D> {
    pub(crate) fn new(defaulter: D) -> Self {
        DefaulterHandler {
            defaulter,
            kind: PhantomData,
        }
    }
}

impl<K: Kind, D: CustomDefaulter<K>> Handler for DefaulterHandler<K, D> {
    fn handle<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Verdict> {
        Box::pin(async move {
            if !matches!(request.operation, Operation::Create | Operation::Update) {
                // controller-runtime skips DELETE; CONNECT carries no object to default.
                return Verdict::allowed();
            }
            match self.run(request).await {
                Ok(patch) => Verdict::Allowed {
                    warnings: Warnings::new(),
                    patch,
                },
                Err(denied) => Verdict::Denied(denied),
            }
        })
    }
}

impl<K: Kind, D: CustomDefaulter<K>> DefaulterHandler<K, D> {
    async fn run(&self, request: &Request) -> Result<Patch, Denied> {
        let mut obj: K = match decode(request.object.as_ref(), "object") {
            Ok(obj) => obj,
            // Let it through unchanged: the apiserver's schema validation, after the
            // mutating webhooks, reports what is wrong in its own words.
            Err(Undecodable::Invalid(denied)) => {
                tracing::debug!(reason = %denied.message, "not defaulting an object that does not decode");
                return Ok(Patch(Vec::new()));
            }
            Err(absent) => return Err(absent.into()),
        };
        let raw = request.object.as_ref().unwrap_or(&Value::Null);
        let before = encode(&obj)?;
        self.defaulter.default(&mut obj).await?;
        let after = encode(&obj)?;
        Ok(defaulting_patch(raw, &before, &after))
    }
}

/// The patch from the object as sent (`raw`) to the defaulted one (`after`), without the
/// `remove` operations decoding and re-encoding alone cause (`raw` → `before`): a field the
/// Rust type does not know is not the defaulter's to drop (controller-runtime's
/// `dropSchemeRemovals`).
pub(crate) fn defaulting_patch(raw: &Value, before: &Value, after: &Value) -> Patch {
    let scheme_removals: HashSet<String> = json_patch::diff(raw, before)
        .0
        .into_iter()
        .filter_map(|op| match op {
            PatchOperation::Remove(remove) => Some(remove.path.to_string()),
            _ => None,
        })
        .collect();
    let mut patch = json_patch::diff(raw, after);
    patch.0.retain(|op| match op {
        PatchOperation::Remove(remove) => !scheme_removals.contains(&remove.path.to_string()),
        _ => true,
    });
    patch
}

pub(crate) struct ValidatorHandler<K, V> {
    validator: V,
    kind: PhantomData<fn() -> K>,
}

impl<K, V> ValidatorHandler<K, V> {
    pub(crate) fn new(validator: V) -> Self {
        ValidatorHandler {
            validator,
            kind: PhantomData,
        }
    }
}

impl<K: Kind, V: CustomValidator<K>> Handler for ValidatorHandler<K, V> {
    fn handle<'a>(&'a self, request: &'a Request) -> BoxFuture<'a, Verdict> {
        Box::pin(async move {
            let result = match request.operation {
                Operation::Create => match decode::<K>(request.object.as_ref(), "object") {
                    Ok(obj) => self.validator.validate_create(&obj).await,
                    Err(undecodable) => Err(undecodable.into()),
                },
                Operation::Update => {
                    let new = decode::<K>(request.object.as_ref(), "object");
                    let old = decode::<K>(request.old_object.as_ref(), "oldObject");
                    match (old, new) {
                        (Ok(old), Ok(new)) => self.validator.validate_update(&old, &new).await,
                        (Err(undecodable), _) | (_, Err(undecodable)) => Err(undecodable.into()),
                    }
                }
                Operation::Delete => match decode::<K>(request.old_object.as_ref(), "oldObject") {
                    Ok(obj) => self.validator.validate_delete(&obj).await,
                    Err(undecodable) => Err(undecodable.into()),
                },
                Operation::Connect => Err(Denied::bad_request(
                    "unsupported operation CONNECT: a validator handles CREATE, UPDATE and DELETE",
                )),
            };
            Verdict::from_validation(result)
        })
    }
}

/// Why a body is not a review this server can answer (HTTP 400).
#[derive(Debug)]
pub(crate) struct Malformed(pub String);

/// The review a body holds, checked: an `admission.k8s.io/v1` `AdmissionReview` with a
/// request.
pub(crate) fn parse_review(
    body: &[u8],
) -> Result<(AdmissionRequest<DynamicObject>, Request), Malformed> {
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Malformed(format!("the request body is not JSON: {e}")))?;
    super::server::check_type(&value, "admission.k8s.io/v1", "AdmissionReview")?;
    let Some(request) = value.get("request").filter(|r| !r.is_null()) else {
        return Err(Malformed("the AdmissionReview has no request".to_owned()));
    };
    let raw = |key: &str| request.get(key).filter(|v| !v.is_null()).cloned();
    let (object, old_object) = (raw("object"), raw("oldObject"));
    let review: AdmissionReview<DynamicObject> = serde_json::from_value(value)
        .map_err(|e| Malformed(format!("invalid AdmissionReview: {e}")))?;
    let request: AdmissionRequest<DynamicObject> = review
        .try_into()
        .map_err(|_| Malformed("the AdmissionReview has no request".to_owned()))?;
    let ours = Request {
        operation: request.operation.clone(),
        object,
        old_object,
    };
    Ok((request, ours))
}

/// The `AdmissionReview` answering `request`, as JSON. The patch is base64 in
/// `response.patch`, as Go's `[]byte` is, which kube's `Vec<u8>` field is not.
pub(crate) fn respond(
    request: &AdmissionRequest<DynamicObject>,
    verdict: Verdict,
) -> Result<Value, String> {
    let mut response = AdmissionResponse::from(request);
    let mut patch_bytes = None;
    match verdict {
        Verdict::Allowed { warnings, patch } => {
            response.result = Status {
                code: 200,
                ..Status::default()
            };
            if !warnings.is_empty() {
                response.warnings = Some(warnings);
            }
            if !patch.0.is_empty() {
                response = response.with_patch(patch).map_err(|e| e.to_string())?;
                patch_bytes = response.patch.clone();
            }
        }
        Verdict::Denied(denied) => {
            response.allowed = false;
            response.result = denied.to_status();
            if !denied.warnings.is_empty() {
                response.warnings = Some(denied.warnings);
            }
        }
    }
    let mut value = serde_json::to_value(response.into_review()).map_err(|e| e.to_string())?;
    if let (Some(bytes), Some(slot)) = (patch_bytes, value.pointer_mut("/response/patch")) {
        *slot = serde_json::to_value(ByteString(bytes)).map_err(|e| e.to_string())?;
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn scheme_removals_are_dropped_the_defaulters_kept() {
        let raw = json!({"spec": {"unknown": 1, "size": null, "drop": 2}});
        // The Rust type knows neither `unknown` nor `drop`, and skips a `None` size.
        let before = json!({"spec": {}});
        // The defaulter sets the size.
        let after = json!({"spec": {"size": 3}});
        let patch = defaulting_patch(&raw, &before, &after);
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!([{"op": "replace", "path": "/spec/size", "value": 3}])
        );
        // A field the type knows and the defaulter clears is removed.
        let raw = json!({"spec": {"size": 3, "image": "x"}});
        let before = raw.clone();
        let after = json!({"spec": {"size": 3}});
        let patch = defaulting_patch(&raw, &before, &after);
        assert_eq!(
            serde_json::to_value(&patch).unwrap(),
            json!([{"op": "remove", "path": "/spec/image"}])
        );
    }
}
