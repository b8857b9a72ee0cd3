//! The webhook server's routes, called directly (no TLS): AdmissionReview JSON in,
//! AdmissionReview out; ConversionReview round trips; malformed bodies.
#![cfg(feature = "webhook")]

use axum::body::Body;
use axum::http::{Request, StatusCode};
use kube::CustomResource;
use kubeforge::webhook::{
    Conversion, ConversionError, CustomDefaulter, CustomValidator, Denied, Warnings, WebhookServer,
};
use pretty_assertions::assert_eq;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};
use tower::ServiceExt;

// ---------------------------------------------------------------------------------------
// An admission example: Memcached with a defaulter and a validator.

#[derive(CustomResource, Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
#[kube(
    group = "cache.example.com",
    version = "v1alpha1",
    kind = "Memcached",
    namespaced
)]
#[serde(rename_all = "camelCase")]
pub struct MemcachedSpec {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub size: Option<i32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub image: Option<String>,
}

struct MemcachedDefaulter;

impl CustomDefaulter<Memcached> for MemcachedDefaulter {
    async fn default(&self, obj: &mut Memcached) -> Result<(), Denied> {
        if obj.spec.image.as_deref() == Some("forbidden") {
            return Err(Denied::field("spec.image", "this image may not be used"));
        }
        obj.spec.size.get_or_insert(1);
        obj.spec
            .image
            .get_or_insert_with(|| "memcached:1.6.26-alpine3.19".to_owned());
        Ok(())
    }
}

struct MemcachedValidator;

impl MemcachedValidator {
    fn check(obj: &Memcached) -> Result<Warnings, Denied> {
        match obj.spec.size {
            Some(size) if size < 1 => Err(Denied::field("spec.size", "must be at least 1")),
            Some(size) if size > 5 => Ok(vec![format!(
                "spec.size {size} is more than 5: memcached does not need that many replicas"
            )]),
            _ => Ok(Warnings::new()),
        }
    }
}

impl CustomValidator<Memcached> for MemcachedValidator {
    async fn validate_create(&self, obj: &Memcached) -> Result<Warnings, Denied> {
        Self::check(obj)
    }

    async fn validate_update(&self, old: &Memcached, new: &Memcached) -> Result<Warnings, Denied> {
        if old.spec.image != new.spec.image {
            return Err(Denied::field("spec.image", "field is immutable")
                .with_code(422)
                .with_reason("Invalid")
                .with_warnings(["the image cannot change; create a new Memcached"]));
        }
        Self::check(new)
    }

    async fn validate_delete(&self, obj: &Memcached) -> Result<Warnings, Denied> {
        let protected = obj
            .metadata
            .labels
            .as_ref()
            .is_some_and(|l| l.contains_key("protected"));
        if protected {
            return Err(Denied::new("this Memcached is protected"));
        }
        Ok(Warnings::new())
    }
}

// ---------------------------------------------------------------------------------------
// A conversion example: CronJob v1 (the hub) keeps its schedule as a cron string, v2 (a
// spoke) as a structure, as in kubebuilder's multi-version tutorial.

pub mod v1 {
    use super::*;

    #[derive(CustomResource, Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
    #[kube(
        group = "batch.tutorial.kubebuilder.io",
        version = "v1",
        kind = "CronJob",
        namespaced,
        status = "CronJobStatus"
    )]
    #[serde(rename_all = "camelCase")]
    pub struct CronJobSpec {
        pub schedule: String,
        pub image: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub suspend: Option<bool>,
    }

    #[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
    #[serde(rename_all = "camelCase")]
    pub struct CronJobStatus {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub last_schedule_time: Option<String>,
    }
}

pub mod v2 {
    use super::*;

    #[derive(CustomResource, Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
    #[kube(
        group = "batch.tutorial.kubebuilder.io",
        version = "v2",
        kind = "CronJob",
        namespaced,
        status = "CronJobStatus"
    )]
    #[serde(rename_all = "camelCase")]
    pub struct CronJobSpec {
        pub schedule: CronSchedule,
        pub job_template: JobTemplate,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub suspend: Option<bool>,
    }

    #[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
    #[serde(rename_all = "camelCase")]
    pub struct CronSchedule {
        pub minute: String,
        pub hour: String,
        pub day_of_month: String,
        pub month: String,
        pub day_of_week: String,
    }

    #[derive(Clone, Debug, Default, Deserialize, Serialize, JsonSchema, PartialEq)]
    #[serde(rename_all = "camelCase")]
    pub struct JobTemplate {
        pub image: String,
    }

    pub use super::v1::CronJobStatus;
}

/// v2 → v1 (kubebuilder's `ConvertTo`).
impl From<v2::CronJob> for v1::CronJob {
    fn from(src: v2::CronJob) -> Self {
        let s = src.spec.schedule;
        v1::CronJob {
            metadata: src.metadata,
            spec: v1::CronJobSpec {
                schedule: [s.minute, s.hour, s.day_of_month, s.month, s.day_of_week].join(" "),
                image: src.spec.job_template.image,
                suspend: src.spec.suspend,
            },
            status: src.status,
        }
    }
}

/// v1 → v2 (kubebuilder's `ConvertFrom`): fails on a schedule without five fields.
impl TryFrom<v1::CronJob> for v2::CronJob {
    type Error = String;

    fn try_from(src: v1::CronJob) -> Result<Self, String> {
        let fields: Vec<&str> = src.spec.schedule.split_whitespace().collect();
        let [minute, hour, day_of_month, month, day_of_week] = fields[..] else {
            return Err(format!(
                "spec.schedule {:?} does not have five fields",
                src.spec.schedule
            ));
        };
        Ok(v2::CronJob {
            metadata: src.metadata,
            spec: v2::CronJobSpec {
                schedule: v2::CronSchedule {
                    minute: minute.to_owned(),
                    hour: hour.to_owned(),
                    day_of_month: day_of_month.to_owned(),
                    month: month.to_owned(),
                    day_of_week: day_of_week.to_owned(),
                },
                job_template: v2::JobTemplate {
                    image: src.spec.image,
                },
                suspend: src.spec.suspend,
            },
            status: src.status,
        })
    }
}

fn conversion() -> Conversion<v1::CronJob> {
    Conversion::<v1::CronJob>::new().spoke::<v2::CronJob>()
}

fn server() -> WebhookServer {
    WebhookServer::new("/nonexistent")
        .defaulter::<Memcached, _>(MemcachedDefaulter)
        .validator::<Memcached, _>(MemcachedValidator)
        .conversion(conversion())
}

// ---------------------------------------------------------------------------------------
// Helpers.

const MUTATE: &str = "/mutate-cache-example-com-v1alpha1-memcached";
const VALIDATE: &str = "/validate-cache-example-com-v1alpha1-memcached";
const CONVERT: &str = "/convert";
const UID: &str = "705ab4f5-6393-11e8-b7cc-42010a800002";

async fn post_raw(path: &str, content_type: Option<&str>, body: Vec<u8>) -> (StatusCode, Value) {
    let mut request = Request::post(path);
    if let Some(content_type) = content_type {
        request = request.header("content-type", content_type);
    }
    let response = server()
        .router()
        .oneshot(request.body(Body::from(body)).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    let body = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("response is not JSON ({e}): {bytes:?}"));
    (status, body)
}

async fn post(path: &str, body: &Value) -> (StatusCode, Value) {
    post_raw(
        path,
        Some("application/json"),
        serde_json::to_vec(body).unwrap(),
    )
    .await
}

fn memcached(spec: Value) -> Value {
    json!({
        "apiVersion": "cache.example.com/v1alpha1",
        "kind": "Memcached",
        "metadata": {"name": "sample", "namespace": "default", "uid": "8c3b0a3e"},
        "spec": spec,
    })
}

fn admission_review(operation: &str, object: Option<Value>, old_object: Option<Value>) -> Value {
    json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": UID,
            "kind": {"group": "cache.example.com", "version": "v1alpha1", "kind": "Memcached"},
            "resource": {"group": "cache.example.com", "version": "v1alpha1", "resource": "memcacheds"},
            "requestKind": {"group": "cache.example.com", "version": "v1alpha1", "kind": "Memcached"},
            "requestResource": {"group": "cache.example.com", "version": "v1alpha1", "resource": "memcacheds"},
            "name": "sample",
            "namespace": "default",
            "operation": operation,
            "userInfo": {"username": "kubernetes-admin", "groups": ["system:masters", "system:authenticated"]},
            "object": object,
            "oldObject": old_object,
            "dryRun": false,
            "options": {"kind": "CreateOptions", "apiVersion": "meta.k8s.io/v1"},
        }
    })
}

fn decode_patch(response: &Value) -> Value {
    use k8s_openapi::ByteString;
    let bytes: ByteString = serde_json::from_value(response["response"]["patch"].clone())
        .expect("response.patch is a base64 string");
    serde_json::from_slice(&bytes.0).unwrap()
}

fn allowed_review(response: Value) -> Value {
    json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "response": response,
    })
}

// ---------------------------------------------------------------------------------------
// Defaulting.

#[tokio::test]
async fn defaulting_answers_with_the_exact_json_patch() {
    let review = admission_review("CREATE", Some(memcached(json!({}))), None);
    let (status, body) = post(MUTATE, &review).await;
    assert_eq!(status, StatusCode::OK);
    let patch = json!([
        {"op": "add", "path": "/spec/image", "value": "memcached:1.6.26-alpine3.19"},
        {"op": "add", "path": "/spec/size", "value": 1},
    ]);
    assert_eq!(decode_patch(&body), patch);
    // The whole review, with the patch as the base64 of its JSON, as controller-runtime
    // sends it.
    let encoded =
        serde_json::to_value(k8s_openapi::ByteString(serde_json::to_vec(&patch).unwrap())).unwrap();
    assert_eq!(
        body,
        allowed_review(json!({
            "uid": UID,
            "allowed": true,
            "status": {"code": 200},
            "patch": encoded,
            "patchType": "JSONPatch",
        }))
    );
    // Applied to the object sent, the patch gives the defaulted object.
    let mut object = memcached(json!({}));
    let patch: json_patch::Patch = serde_json::from_value(patch).unwrap();
    json_patch::patch(&mut object, &patch).unwrap();
    assert_eq!(
        object["spec"],
        json!({"image": "memcached:1.6.26-alpine3.19", "size": 1})
    );
}

#[tokio::test]
async fn defaulting_only_patches_what_the_defaulter_changed() {
    // `replicas` and `metadata.creationTimestamp: null` mean nothing to the Rust type; the
    // patch must not remove them, only add what the defaulter set.
    let mut object = memcached(json!({"image": "custom:1", "replicas": 3}));
    object["metadata"]["creationTimestamp"] = Value::Null;
    let review = admission_review("UPDATE", Some(object.clone()), Some(object));
    let (status, body) = post(MUTATE, &review).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        decode_patch(&body),
        json!([{"op": "add", "path": "/spec/size", "value": 1}])
    );
}

#[tokio::test]
async fn defaulting_without_changes_sends_no_patch() {
    let object = memcached(json!({"image": "custom:1", "size": 2}));
    let (status, body) = post(MUTATE, &admission_review("CREATE", Some(object), None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        allowed_review(json!({"uid": UID, "allowed": true, "status": {"code": 200}}))
    );
}

#[tokio::test]
async fn defaulting_skips_delete() {
    let object = memcached(json!({}));
    let (_, body) = post(MUTATE, &admission_review("DELETE", None, Some(object))).await;
    assert_eq!(
        body,
        allowed_review(json!({"uid": UID, "allowed": true, "status": {"code": 200}}))
    );
}

#[tokio::test]
async fn a_defaulter_can_refuse() {
    let object = memcached(json!({"image": "forbidden"}));
    let (status, body) = post(MUTATE, &admission_review("CREATE", Some(object), None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["response"]["allowed"], false);
    assert_eq!(
        body["response"]["status"]["message"],
        "spec.image: this image may not be used"
    );
    assert!(body["response"].get("patch").is_none());
}

// ---------------------------------------------------------------------------------------
// Validation.

#[tokio::test]
async fn validation_allows() {
    let object = memcached(json!({"size": 3}));
    let (status, body) = post(VALIDATE, &admission_review("CREATE", Some(object), None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        allowed_review(json!({"uid": UID, "allowed": true, "status": {"code": 200}}))
    );
}

#[tokio::test]
async fn validation_denies_with_message_and_field_path() {
    let object = memcached(json!({"size": 0}));
    let (status, body) = post(VALIDATE, &admission_review("CREATE", Some(object), None)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        body,
        allowed_review(json!({
            "uid": UID,
            "allowed": false,
            "status": {
                "status": "Failure",
                "code": 403,
                "reason": "Forbidden",
                "message": "spec.size: must be at least 1",
                "details": {"causes": [{
                    "reason": "FieldValueInvalid",
                    "message": "must be at least 1",
                    "field": "spec.size",
                }]},
            },
        }))
    );
}

#[tokio::test]
async fn validation_returns_warnings() {
    let object = memcached(json!({"size": 9}));
    let (_, body) = post(VALIDATE, &admission_review("CREATE", Some(object), None)).await;
    assert_eq!(
        body,
        allowed_review(json!({
            "uid": UID,
            "allowed": true,
            "status": {"code": 200},
            "warnings": ["spec.size 9 is more than 5: memcached does not need that many replicas"],
        }))
    );
}

#[tokio::test]
async fn validation_of_an_update_sees_old_and_new() {
    let old = memcached(json!({"size": 1, "image": "a"}));
    let new = memcached(json!({"size": 1, "image": "b"}));
    let (_, body) = post(VALIDATE, &admission_review("UPDATE", Some(new), Some(old))).await;
    assert_eq!(
        body["response"],
        json!({
            "uid": UID,
            "allowed": false,
            "status": {
                "status": "Failure",
                "code": 422,
                "reason": "Invalid",
                "message": "spec.image: field is immutable",
                "details": {"causes": [{
                    "reason": "FieldValueInvalid",
                    "message": "field is immutable",
                    "field": "spec.image",
                }]},
            },
            "warnings": ["the image cannot change; create a new Memcached"],
        })
    );
    // Same image: allowed.
    let old = memcached(json!({"size": 1, "image": "a"}));
    let new = memcached(json!({"size": 2, "image": "a"}));
    let (_, body) = post(VALIDATE, &admission_review("UPDATE", Some(new), Some(old))).await;
    assert_eq!(body["response"]["allowed"], true);
}

#[tokio::test]
async fn a_defaulter_lets_an_object_that_does_not_decode_through_unchanged() {
    // The apiserver's own validation, which runs after the mutating webhooks, reports it.
    let object = memcached(json!({"size": "three"}));
    let review = admission_review("CREATE", Some(object), None);
    let (status, body) = post(MUTATE, &review).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["response"]["allowed"], true);
    assert!(body["response"].get("patch").is_none(), "{body}");
}

#[tokio::test]
async fn validation_of_a_delete_sees_the_old_object() {
    let mut object = memcached(json!({}));
    object["metadata"]["labels"] = json!({"protected": "true"});
    let (_, body) = post(VALIDATE, &admission_review("DELETE", None, Some(object))).await;
    assert_eq!(body["response"]["allowed"], false);
    assert_eq!(
        body["response"]["status"]["message"],
        "this Memcached is protected"
    );
    assert!(body["response"]["status"].get("details").is_none());
}

#[tokio::test]
async fn an_object_that_does_not_decode_is_refused_naming_the_field_as_the_apiserver_does() {
    let object = memcached(json!({"size": "three"}));
    let (status, body) = post(VALIDATE, &admission_review("CREATE", Some(object), None)).await;
    assert_eq!(status, StatusCode::OK);
    let response = &body["response"];
    assert_eq!(response["allowed"], false);
    assert_eq!(response["status"]["code"], 422);
    assert_eq!(response["status"]["reason"], "Invalid");
    let message = response["status"]["message"].as_str().unwrap();
    assert!(
        message.starts_with("Memcached \"sample\" is invalid: spec.size: Invalid value: invalid type: string \"three\""),
        "{message}"
    );
    assert_eq!(
        response["status"]["details"]["causes"][0]["field"],
        "spec.size"
    );
    // A missing required field: the apiserver's "Required value".
    let mut object = memcached(json!({}));
    object.as_object_mut().unwrap().remove("spec");
    let (_, body) = post(VALIDATE, &admission_review("CREATE", Some(object), None)).await;
    assert_eq!(
        body["response"]["status"]["message"],
        "Memcached \"sample\" is invalid: spec: Required value"
    );
    // An UPDATE without the old object.
    let object = memcached(json!({}));
    let (_, body) = post(VALIDATE, &admission_review("UPDATE", Some(object), None)).await;
    assert_eq!(
        body["response"]["status"]["message"],
        "the AdmissionReview has no request.oldObject"
    );
}

#[tokio::test]
async fn connect_is_refused_by_a_validator() {
    let (_, body) = post(VALIDATE, &admission_review("CONNECT", None, None)).await;
    assert_eq!(body["response"]["allowed"], false);
    assert_eq!(body["response"]["status"]["code"], 400);
}

// ---------------------------------------------------------------------------------------
// Conversion.

fn conversion_review(desired: &str, objects: Vec<Value>) -> Value {
    json!({
        "apiVersion": "apiextensions.k8s.io/v1",
        "kind": "ConversionReview",
        "request": {
            "uid": UID,
            "desiredAPIVersion": desired,
            "objects": objects,
        }
    })
}

fn cronjob_v1() -> Value {
    json!({
        "apiVersion": "batch.tutorial.kubebuilder.io/v1",
        "kind": "CronJob",
        "metadata": {
            "name": "nightly",
            "namespace": "default",
            "uid": "0d2a4c41-0000-4000-8000-000000000001",
            "resourceVersion": "4242",
            "generation": 3,
            "creationTimestamp": "2024-05-01T10:00:00Z",
            "labels": {"app": "nightly"},
            "annotations": {"note": "keep me"},
            "finalizers": ["batch.tutorial.kubebuilder.io/finalizer"],
            "managedFields": [{"manager": "kubectl", "operation": "Update", "apiVersion": "batch.tutorial.kubebuilder.io/v1"}],
        },
        "spec": {"schedule": "*/5 1 * * 1-5", "image": "busybox:1.36", "suspend": false},
        "status": {"lastScheduleTime": "2024-05-01T10:05:00Z"},
    })
}

fn cronjob_v2() -> Value {
    let mut object = cronjob_v1();
    object["apiVersion"] = json!("batch.tutorial.kubebuilder.io/v2");
    object["spec"] = json!({
        "schedule": {"minute": "*/5", "hour": "1", "dayOfMonth": "*", "month": "*", "dayOfWeek": "1-5"},
        "jobTemplate": {"image": "busybox:1.36"},
        "suspend": false,
    });
    object
}

async fn convert(desired: &str, objects: Vec<Value>) -> Value {
    let (status, body) = post(CONVERT, &conversion_review(desired, objects)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["apiVersion"], "apiextensions.k8s.io/v1");
    assert_eq!(body["kind"], "ConversionReview");
    assert_eq!(body["response"]["uid"], UID);
    body
}

#[tokio::test]
async fn conversion_round_trip_v1_v2_v1_is_lossless() {
    let body = convert("batch.tutorial.kubebuilder.io/v2", vec![cronjob_v1()]).await;
    assert_eq!(body["response"]["result"], json!({"status": "Success"}));
    let v2 = body["response"]["convertedObjects"][0].clone();
    assert_eq!(v2, cronjob_v2());

    let body = convert("batch.tutorial.kubebuilder.io/v1", vec![v2]).await;
    assert_eq!(body["response"]["convertedObjects"], json!([cronjob_v1()]));
}

#[tokio::test]
async fn conversion_round_trip_v2_v1_v2_is_lossless() {
    let body = convert("batch.tutorial.kubebuilder.io/v1", vec![cronjob_v2()]).await;
    let v1 = body["response"]["convertedObjects"][0].clone();
    let body = convert("batch.tutorial.kubebuilder.io/v2", vec![v1]).await;
    assert_eq!(body["response"]["convertedObjects"], json!([cronjob_v2()]));
}

#[tokio::test]
async fn conversion_of_a_list_in_mixed_versions_keeps_the_order() {
    let mut other = cronjob_v1();
    other["metadata"]["name"] = json!("other");
    let body = convert(
        "batch.tutorial.kubebuilder.io/v1",
        vec![cronjob_v2(), other.clone()],
    )
    .await;
    // Already in the desired version: returned as it is.
    assert_eq!(
        body["response"]["convertedObjects"],
        json!([cronjob_v1(), other])
    );
}

#[tokio::test]
async fn a_failed_conversion_is_a_failure_result() {
    let mut object = cronjob_v1();
    object["spec"]["schedule"] = json!("@daily");
    let body = convert("batch.tutorial.kubebuilder.io/v2", vec![object]).await;
    assert_eq!(
        body["response"],
        json!({
            "uid": UID,
            "result": {
                "status": "Failure",
                "message": "cannot convert CronJob from v1 to v2: spec.schedule \"@daily\" does not have five fields",
            },
            "convertedObjects": [],
        })
    );
}

/// Widget: a kind whose conversions treat metadata carelessly, to show what the converter
/// keeps of it.
pub mod widget {
    use super::*;

    pub mod v1 {
        use super::*;
        #[derive(CustomResource, Clone, Debug, Deserialize, Serialize, JsonSchema)]
        #[kube(group = "example.com", version = "v1", kind = "Widget")]
        pub struct WidgetSpec {
            pub size: i32,
        }
    }

    pub mod v2 {
        use super::*;
        #[derive(CustomResource, Clone, Debug, Deserialize, Serialize, JsonSchema)]
        #[kube(group = "example.com", version = "v2", kind = "Widget")]
        pub struct WidgetSpec {
            pub replicas: i32,
        }
    }

    /// Does not copy metadata.
    impl From<v2::Widget> for v1::Widget {
        fn from(src: v2::Widget) -> Self {
            v1::Widget::new(
                "ignored",
                v1::WidgetSpec {
                    size: src.spec.replicas,
                },
            )
        }
    }

    /// Copies metadata, but changes labels and annotations, and tries to change the name.
    impl From<v1::Widget> for v2::Widget {
        fn from(src: v1::Widget) -> Self {
            let mut metadata = src.metadata;
            metadata.name = Some("renamed".to_owned());
            metadata
                .annotations
                .get_or_insert_with(Default::default)
                .insert("example.com/converted".to_owned(), "true".to_owned());
            if let Some(labels) = &mut metadata.labels {
                labels.remove("drop-me");
            }
            v2::Widget {
                metadata,
                spec: v2::WidgetSpec {
                    replicas: src.spec.size,
                },
            }
        }
    }
}

#[test]
fn conversion_keeps_the_metadata_the_api_server_requires() {
    let conversion = Conversion::<widget::v1::Widget>::new().spoke::<widget::v2::Widget>();
    let metadata = json!({
        "name": "w", "namespace": "ns", "uid": "u-1", "resourceVersion": "7",
        "labels": {"keep": "1", "drop-me": "2"},
    });
    let v1 = json!({
        "apiVersion": "example.com/v1", "kind": "Widget", "metadata": metadata, "spec": {"size": 2},
    });
    // v1 → v2: labels and annotations from the conversion, the rest (the name) original.
    let v2 = conversion.convert(v1, "example.com/v2").unwrap();
    assert_eq!(
        v2,
        json!({
            "apiVersion": "example.com/v2", "kind": "Widget",
            "metadata": {
                "name": "w", "namespace": "ns", "uid": "u-1", "resourceVersion": "7",
                "labels": {"keep": "1"},
                "annotations": {"example.com/converted": "true"},
            },
            "spec": {"replicas": 2},
        })
    );
    // v2 → v1 with a conversion that drops metadata: all of the original's is kept.
    let v1 = conversion.convert(v2.clone(), "example.com/v1").unwrap();
    assert_eq!(v1["metadata"], v2["metadata"]);
    assert_eq!(v1["apiVersion"], "example.com/v1");
    assert_eq!(v1["spec"], json!({"size": 2}));
    // And through DynamicObject.
    let dynamic: kube::core::DynamicObject = serde_json::from_value(v2).unwrap();
    let converted = conversion
        .convert_dynamic(dynamic, "example.com/v1")
        .unwrap();
    assert_eq!(converted.metadata.name.as_deref(), Some("w"));
    assert_eq!(converted.data["spec"], json!({"size": 2}));
}

#[test]
fn conversion_errors_say_what_is_wrong() {
    let conversion = conversion();
    assert_eq!(conversion.hub(), "v1");
    assert_eq!(conversion.versions().collect::<Vec<_>>(), ["v1", "v2"]);
    let err = conversion
        .convert(cronjob_v1(), "batch.tutorial.kubebuilder.io/v3")
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "CronJob.batch.tutorial.kubebuilder.io has no version v3; the conversion knows v1, v2"
    );
    assert!(err.is_bad_request());
    let mut object = cronjob_v1();
    object["spec"]["schedule"] = json!(5);
    let err = conversion
        .convert(object, "batch.tutorial.kubebuilder.io/v2")
        .unwrap_err();
    assert!(matches!(err, ConversionError::Decode { .. }), "{err}");
    assert!(!err.is_bad_request());
}

// ---------------------------------------------------------------------------------------
// Malformed bodies: HTTP 400 with a Status whose message says what is wrong.

async fn assert_bad_request(path: &str, content_type: Option<&str>, body: Vec<u8>, message: &str) {
    let (status, response) = post_raw(path, content_type, body).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{response}");
    assert_eq!(response["kind"], "Status");
    assert_eq!(response["code"], 400);
    assert_eq!(response["reason"], "BadRequest");
    let got = response["message"].as_str().unwrap();
    assert!(
        got.starts_with(message),
        "message {got:?} does not start with {message:?}"
    );
}

#[tokio::test]
async fn malformed_admission_reviews_get_400() {
    let json = Some("application/json");
    for path in [MUTATE, VALIDATE] {
        assert_bad_request(
            path,
            json,
            b"{not json".to_vec(),
            "the request body is not JSON: key must be a string",
        )
        .await;
        assert_bad_request(path, json, b"".to_vec(), "the request body is not JSON").await;
        assert_bad_request(
            path,
            json,
            b"[1, 2]".to_vec(),
            "the body is not an admission.k8s.io/v1 AdmissionReview: it is an array",
        )
        .await;
        let mut review = admission_review("CREATE", Some(memcached(json!({}))), None);
        review["kind"] = json!("ConversionReview");
        assert_bad_request(
            path,
            json,
            serde_json::to_vec(&review).unwrap(),
            "the body is not an admission.k8s.io/v1 AdmissionReview: it has apiVersion \"admission.k8s.io/v1\", kind \"ConversionReview\"",
        )
        .await;
        let mut review = admission_review("CREATE", Some(memcached(json!({}))), None);
        review["apiVersion"] = json!("admission.k8s.io/v1beta1");
        assert_bad_request(
            path,
            json,
            serde_json::to_vec(&review).unwrap(),
            "the body is not an admission.k8s.io/v1 AdmissionReview: it has apiVersion \"admission.k8s.io/v1beta1\"",
        )
        .await;
        assert_bad_request(
            path,
            json,
            br#"{"apiVersion": "admission.k8s.io/v1", "kind": "AdmissionReview"}"#.to_vec(),
            "the AdmissionReview has no request",
        )
        .await;
        let mut review = admission_review("CREATE", Some(memcached(json!({}))), None);
        review["request"].as_object_mut().unwrap().remove("uid");
        assert_bad_request(
            path,
            json,
            serde_json::to_vec(&review).unwrap(),
            "invalid AdmissionReview: missing field `uid`",
        )
        .await;
        let review = admission_review("EXPLODE", Some(memcached(json!({}))), None);
        assert_bad_request(
            path,
            json,
            serde_json::to_vec(&review).unwrap(),
            "invalid AdmissionReview: unknown variant `EXPLODE`",
        )
        .await;
        let review = admission_review("CREATE", Some(memcached(json!({}))), None);
        assert_bad_request(
            path,
            Some("text/plain"),
            serde_json::to_vec(&review).unwrap(),
            "Content-Type \"text/plain\" is not application/json",
        )
        .await;
    }
}

#[tokio::test]
async fn malformed_conversion_reviews_get_400() {
    let json = Some("application/json");
    assert_bad_request(
        CONVERT,
        json,
        b"nope".to_vec(),
        "the request body is not JSON",
    )
    .await;
    let review = admission_review("CREATE", Some(memcached(json!({}))), None);
    assert_bad_request(
        CONVERT,
        json,
        serde_json::to_vec(&review).unwrap(),
        "the body is not an apiextensions.k8s.io/v1 ConversionReview: it has apiVersion \"admission.k8s.io/v1\", kind \"AdmissionReview\"",
    )
    .await;
    assert_bad_request(
        CONVERT,
        json,
        br#"{"apiVersion": "apiextensions.k8s.io/v1", "kind": "ConversionReview", "request": null}"#
            .to_vec(),
        "the ConversionReview has no request",
    )
    .await;
    let mut review = conversion_review("batch.tutorial.kubebuilder.io/v2", vec![cronjob_v1()]);
    review["request"]
        .as_object_mut()
        .unwrap()
        .remove("desiredAPIVersion");
    assert_bad_request(
        CONVERT,
        json,
        serde_json::to_vec(&review).unwrap(),
        "invalid ConversionReview: missing field `desiredAPIVersion`",
    )
    .await;
    // An unknown desired version.
    let review = conversion_review("batch.tutorial.kubebuilder.io/v3", vec![cronjob_v1()]);
    assert_bad_request(
        CONVERT,
        json,
        serde_json::to_vec(&review).unwrap(),
        "CronJob.batch.tutorial.kubebuilder.io has no version v3; the conversion knows v1, v2",
    )
    .await;
    // An object in an unknown version.
    let mut object = cronjob_v1();
    object["apiVersion"] = json!("batch.tutorial.kubebuilder.io/v1beta1");
    let review = conversion_review("batch.tutorial.kubebuilder.io/v2", vec![object]);
    assert_bad_request(
        CONVERT,
        json,
        serde_json::to_vec(&review).unwrap(),
        "CronJob.batch.tutorial.kubebuilder.io has no version v1beta1",
    )
    .await;
    // A kind without a conversion.
    let review = conversion_review("cache.example.com/v1beta1", vec![memcached(json!({}))]);
    assert_bad_request(
        CONVERT,
        json,
        serde_json::to_vec(&review).unwrap(),
        "no conversion is registered for Memcached.cache.example.com",
    )
    .await;
    // An object without apiVersion.
    let mut object = cronjob_v1();
    object.as_object_mut().unwrap().remove("apiVersion");
    let review = conversion_review("batch.tutorial.kubebuilder.io/v2", vec![object]);
    assert_bad_request(
        CONVERT,
        json,
        serde_json::to_vec(&review).unwrap(),
        "an object to convert has no apiVersion",
    )
    .await;
    // Another group asked for.
    let review = conversion_review("other.example.com/v2", vec![cronjob_v1()]);
    assert_bad_request(
        CONVERT,
        json,
        serde_json::to_vec(&review).unwrap(),
        "cannot convert CronJob.batch.tutorial.kubebuilder.io to other.example.com/v2",
    )
    .await;
}

#[tokio::test]
async fn routes_and_methods() {
    let server = server();
    assert_eq!(server.paths(), [CONVERT, MUTATE, VALIDATE]);
    let response = server
        .router()
        .oneshot(Request::get(MUTATE).body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    let response = server
        .router()
        .oneshot(Request::post("/mutate-other").body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // Without conversions there is no /convert.
    let plain = WebhookServer::new("/nonexistent").validator::<Memcached, _>(MemcachedValidator);
    assert_eq!(plain.paths(), [VALIDATE]);
    let custom = WebhookServer::new("/nonexistent")
        .defaulter_at::<Memcached, _>("/custom-mutate-memcached", MemcachedDefaulter);
    let response = custom
        .router()
        .oneshot(
            Request::post("/custom-mutate-memcached")
                .header("content-type", "application/json")
                .body(Body::from(
                    serde_json::to_vec(&admission_review(
                        "CREATE",
                        Some(memcached(json!({}))),
                        None,
                    ))
                    .unwrap(),
                ))
                .unwrap(),
        )
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

#[test]
#[should_panic(expected = "is already served")]
fn a_path_can_be_served_once() {
    let _ = WebhookServer::new("/nonexistent")
        .validator::<Memcached, _>(MemcachedValidator)
        .validator::<Memcached, _>(MemcachedValidator);
}
