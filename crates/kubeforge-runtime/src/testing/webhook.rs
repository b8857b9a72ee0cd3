//! Webhooks answering an AdmissionReview or ConversionReview in-process, without TLS.

use axum::body::Body;
use kubeforge::webhook::WebhookServer;
use serde_json::Value;
use tower::ServiceExt as _;

/// POSTs `review` to `path` of `server` (a project's `webhook::register(WebhookServer::new(..))`)
/// and returns the HTTP status and the JSON answer.
///
/// # Panics
///
/// When the answer is not JSON (a test helper: a panic is the test failing).
pub async fn review(server: WebhookServer, path: &str, review: &Value) -> (u16, Value) {
    let request = http::Request::post(path)
        .header("content-type", "application/json")
        .body(Body::from(review.to_string()))
        .expect("a valid request");
    let response = server
        .router()
        .oneshot(request)
        .await
        .unwrap_or_else(|e| match e {});
    let status = response.status().as_u16();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .expect("the whole answer");
    let answer = serde_json::from_slice(&body).expect("a JSON answer");
    (status, answer)
}
