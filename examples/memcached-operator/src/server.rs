//! The manager's HTTP endpoints: `/healthz` and `/readyz` on the health probe address,
//! Prometheus `/metrics` on the metrics address (plain HTTP; put TLS and authentication in
//! front of it, e.g. with a NetworkPolicy or a proxy, where the metrics are sensitive).

use std::net::SocketAddr;
use std::str::FromStr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use crate::metrics::Metrics;

/// A bind address flag: `host:port`, `:port` (all interfaces, as controller-runtime accepts
/// it) or `0` (disabled).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BindAddress(pub Option<SocketAddr>);

impl FromStr for BindAddress {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        match value {
            "0" => Ok(None),
            _ if value.starts_with(':') => format!("0.0.0.0{value}").parse().map(Some),
            _ => value.parse().map(Some),
        }
        .map(BindAddress)
        .map_err(|e| format!("invalid bind address {value:?} ({e}): use host:port, :port or 0"))
    }
}

/// Readiness of the manager, reported by `/readyz`.
#[derive(Clone, Debug, Default)]
pub struct Readiness(Arc<AtomicBool>);

impl Readiness {
    pub fn set(&self, ready: bool) {
        self.0.store(ready, Ordering::Relaxed);
    }

    pub fn get(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }
}

/// `/healthz` (the process is alive) and `/readyz` (the manager has started).
pub fn health_router(readiness: Readiness) -> Router {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
        .with_state(readiness)
}

/// `/metrics` in the OpenMetrics text format.
pub fn metrics_router(metrics: Arc<Metrics>) -> Router {
    Router::new()
        .route("/metrics", get(metrics_handler))
        .with_state(metrics)
}

/// Serves `router` on `listener` until `shutdown` is cancelled.
pub async fn serve(
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
    if readiness.get() {
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
    use super::*;

    #[test]
    fn parses_bind_addresses() {
        let parse = |s: &str| s.parse::<BindAddress>().map(|a| a.0);
        assert_eq!(parse("0"), Ok(None));
        assert_eq!(parse(":8081"), Ok(Some(([0, 0, 0, 0], 8081).into())));
        assert_eq!(
            parse("127.0.0.1:8080"),
            Ok(Some(([127, 0, 0, 1], 8080).into()))
        );
        assert!(parse("8080").is_err());
    }

    #[tokio::test]
    async fn readyz_follows_readiness() {
        let readiness = Readiness::default();
        assert_eq!(
            readyz(State(readiness.clone())).await.0,
            StatusCode::SERVICE_UNAVAILABLE
        );
        readiness.set(true);
        assert_eq!(readyz(State(readiness)).await.0, StatusCode::OK);
        assert_eq!(healthz().await, "ok");
    }

    #[tokio::test]
    async fn metrics_are_served() {
        let metrics = Arc::new(Metrics::default());
        drop(metrics.reconcile_started("test"));
        let response = metrics_handler(State(metrics)).await.into_response();
        assert_eq!(response.status(), StatusCode::OK);
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap();
        let text = String::from_utf8(body.to_vec()).unwrap();
        assert!(text.contains("controller_runtime_reconcile_total{controller=\"test\"} 1"));
    }
}
