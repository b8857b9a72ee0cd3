//! The manager's HTTP endpoints: `/healthz` and `/readyz` on the health probe address,
//! Prometheus `/metrics` on the metrics address (plain HTTP; put TLS and authentication in
//! front of it, e.g. with a NetworkPolicy or a proxy, where the metrics are sensitive).

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::Metrics;

/// Readiness of the manager, reported by `/readyz`: ready once it has started and every
/// controller it runs has synced its watch.
#[derive(Clone, Debug, Default)]
pub struct Readiness(Arc<ReadinessState>);

#[derive(Debug, Default)]
struct ReadinessState {
    started: AtomicBool,
    unsynced: AtomicUsize,
}

impl Readiness {
    /// Marks the manager started (or stopping, with `false`).
    pub fn set_started(&self, started: bool) {
        self.0.started.store(started, Ordering::SeqCst);
    }

    /// A controller starts: the manager is not ready until the guard is dropped (when the
    /// controller's watch has synced, or the controller stopped).
    pub fn syncing(&self) -> SyncGuard {
        self.0.unsynced.fetch_add(1, Ordering::SeqCst);
        SyncGuard(self.clone())
    }

    pub fn is_ready(&self) -> bool {
        self.0.started.load(Ordering::SeqCst) && self.0.unsynced.load(Ordering::SeqCst) == 0
    }
}

/// Holds the manager's readiness back while a controller syncs.
#[derive(Debug)]
#[must_use = "the controller counts as synced when the guard is dropped"]
pub struct SyncGuard(Readiness);

impl Drop for SyncGuard {
    fn drop(&mut self) {
        self.0.0.unsynced.fetch_sub(1, Ordering::SeqCst);
    }
}

/// `/healthz` (the process is alive) and `/readyz` (see [`Readiness`]).
pub(crate) fn health_router(readiness: Readiness) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(readiness)
}

/// `/metrics` in the OpenMetrics text format.
pub(crate) fn metrics_router(metrics: Arc<Metrics>) -> Router {
    Router::new()
        .route("/metrics", get(metrics_handler))
        .with_state(metrics)
}

/// Serves `router` on `listener` until `shutdown` is cancelled.
pub(crate) async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown.cancelled_owned())
        .await
}

async fn healthz() -> &'static str {
    "ok"
}

async fn readyz(State(readiness): State<Readiness>) -> (StatusCode, &'static str) {
    if readiness.is_ready() {
        (StatusCode::OK, "ok")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "not ready")
    }
}

async fn metrics_handler(State(metrics): State<Arc<Metrics>>) -> impl IntoResponse {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        metrics.encode(),
    )
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;
    use crate::metrics::Outcome;

    #[tokio::test]
    async fn readyz_waits_for_start_and_every_controllers_sync() {
        let readiness = Readiness::default();
        let status = |r: &Readiness| {
            let r = r.clone();
            async move { readyz(State(r)).await.0 }
        };
        assert_eq!(status(&readiness).await, StatusCode::SERVICE_UNAVAILABLE);
        readiness.set_started(true);
        assert_eq!(status(&readiness).await, StatusCode::OK);
        let first = readiness.syncing();
        let second = readiness.syncing();
        drop(first);
        assert_eq!(status(&readiness).await, StatusCode::SERVICE_UNAVAILABLE);
        drop(second);
        assert_eq!(status(&readiness).await, StatusCode::OK);
        assert_eq!(healthz().await, "ok");
    }

    #[tokio::test]
    async fn metrics_are_served_over_http() {
        let metrics = Arc::new(Metrics::default());
        metrics.reconciled("test", Outcome::success, Duration::ZERO);
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let shutdown = CancellationToken::new();
        let server = tokio::spawn(serve(listener, metrics_router(metrics), shutdown.clone()));
        let text = http_get(address, "/metrics").await;
        assert!(text.starts_with("HTTP/1.0 200"), "{text}");
        assert!(text.contains("application/openmetrics-text"), "{text}");
        assert!(text.contains(
            "controller_runtime_reconcile_total{controller=\"test\",result=\"success\"} 1"
        ));
        shutdown.cancel();
        server.await.unwrap().unwrap();
    }

    /// A bare HTTP/1.0 GET: enough for a test, without an HTTP client dependency.
    async fn http_get(address: std::net::SocketAddr, path: &str) -> String {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut stream = tokio::net::TcpStream::connect(address).await.unwrap();
        let request = format!("GET {path} HTTP/1.0\r\nHost: test\r\n\r\n");
        stream.write_all(request.as_bytes()).await.unwrap();
        let mut response = String::new();
        stream.read_to_string(&mut response).await.unwrap();
        response
    }
}
