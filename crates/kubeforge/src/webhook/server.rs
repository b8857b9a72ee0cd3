//! The HTTPS server: axum routes at kubebuilder's paths, served over rustls.

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use hyper_util::rt::{TokioExecutor, TokioIo, TokioTimer};
use hyper_util::server::conn::auto;
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use serde_json::{Value, json};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

use super::admission::{self, DefaulterHandler, Handler, Malformed, ValidatorHandler};
use super::conversion::{self, Converter, Versioned};
use super::tls::{self, CertReloader};
use super::{
    CONVERT_PATH, Conversion, CustomDefaulter, CustomValidator, WebhookError, mutate_path,
    validate_path,
};

/// controller-runtime's limit on admission request bodies.
const ADMISSION_BODY_LIMIT: usize = 7 * 1024 * 1024;
/// ConversionReviews carry whole lists.
const CONVERSION_BODY_LIMIT: usize = 64 * 1024 * 1024;
const HANDSHAKE_TIMEOUT: Duration = Duration::from_secs(10);

/// The webhook server: defaulters, validators and conversions of any number of kinds,
/// served over HTTPS with the certificate from a cert dir.
///
/// ```no_run
/// # use kubeforge::webhook::*;
/// # async fn run(conv: Conversion<k8s_openapi::api::core::v1::Pod>) -> Result<(), WebhookError> {
/// # let shutdown = std::future::pending::<()>();
/// // e.g. `async { tokio::signal::ctrl_c().await.ok(); }`
/// WebhookServer::new(DEFAULT_CERT_DIR)
///     .conversion(conv)
///     .serve(([0, 0, 0, 0], DEFAULT_PORT).into(), shutdown)
///     .await
/// # }
/// ```
pub struct WebhookServer {
    cert_dir: PathBuf,
    cert_name: String,
    key_name: String,
    reload_interval: Duration,
    shutdown_timeout: Duration,
    handlers: Vec<(String, Arc<dyn Handler>)>,
    converters: Vec<Arc<dyn Converter>>,
}

impl std::fmt::Debug for WebhookServer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookServer")
            .field("cert_dir", &self.cert_dir)
            .field("paths", &self.paths())
            .finish_non_exhaustive()
    }
}

impl WebhookServer {
    /// A server reading `tls.crt` and `tls.key` from `cert_dir`.
    pub fn new(cert_dir: impl Into<PathBuf>) -> Self {
        WebhookServer {
            cert_dir: cert_dir.into(),
            cert_name: "tls.crt".to_owned(),
            key_name: "tls.key".to_owned(),
            reload_interval: Duration::from_secs(5),
            shutdown_timeout: Duration::from_secs(30),
            handlers: Vec::new(),
            converters: Vec::new(),
        }
    }

    /// Other file names in the cert dir than `tls.crt` and `tls.key`.
    #[must_use]
    pub fn cert_names(mut self, cert: impl Into<String>, key: impl Into<String>) -> Self {
        self.cert_name = cert.into();
        self.key_name = key.into();
        self
    }

    /// How often the certificate files are checked for changes (5 s by default).
    #[must_use]
    pub fn reload_interval(mut self, interval: Duration) -> Self {
        self.reload_interval = interval;
        self
    }

    /// How long [`WebhookServer::serve`] waits for open requests after shutdown is asked
    /// (30 s by default).
    #[must_use]
    pub fn shutdown_timeout(mut self, timeout: Duration) -> Self {
        self.shutdown_timeout = timeout;
        self
    }

    /// Serves `defaulter` for kind `K` at [`mutate_path`]`::<K>()`.
    ///
    /// # Panics
    ///
    /// When the path is already taken.
    #[must_use]
    pub fn defaulter<K, D>(self, defaulter: D) -> Self
    where
        K: Versioned + Send + Sync + 'static,
        D: CustomDefaulter<K>,
    {
        let path = mutate_path::<K>();
        self.defaulter_at::<K, D>(path, defaulter)
    }

    /// Serves `defaulter` for kind `K` at `path` (kubebuilder's `--defaulting-path`).
    ///
    /// # Panics
    ///
    /// When the path is already taken or does not start with `/`.
    #[must_use]
    pub fn defaulter_at<K, D>(self, path: impl Into<String>, defaulter: D) -> Self
    where
        K: Versioned + Send + Sync + 'static,
        D: CustomDefaulter<K>,
    {
        self.handle(
            path.into(),
            Arc::new(DefaulterHandler::<K, D>::new(defaulter)),
        )
    }

    /// Serves `validator` for kind `K` at [`validate_path`]`::<K>()`.
    ///
    /// # Panics
    ///
    /// When the path is already taken.
    #[must_use]
    pub fn validator<K, V>(self, validator: V) -> Self
    where
        K: Versioned + Send + Sync + 'static,
        V: CustomValidator<K>,
    {
        let path = validate_path::<K>();
        self.validator_at::<K, V>(path, validator)
    }

    /// Serves `validator` for kind `K` at `path` (kubebuilder's `--validation-path`).
    ///
    /// # Panics
    ///
    /// When the path is already taken or does not start with `/`.
    #[must_use]
    pub fn validator_at<K, V>(self, path: impl Into<String>, validator: V) -> Self
    where
        K: Versioned + Send + Sync + 'static,
        V: CustomValidator<K>,
    {
        self.handle(
            path.into(),
            Arc::new(ValidatorHandler::<K, V>::new(validator)),
        )
    }

    /// Serves `conversion` at [`CONVERT_PATH`]. Call once per kind with several versions.
    ///
    /// # Panics
    ///
    /// When a conversion for the same kind is already registered.
    #[must_use]
    pub fn conversion<H>(mut self, conversion: Conversion<H>) -> Self
    where
        H: Versioned + Send + Sync + 'static,
    {
        assert!(
            !self
                .converters
                .iter()
                .any(|c| c.group() == conversion.group() && c.kind() == conversion.kind()),
            "WebhookServer: a conversion for {}.{} is already registered",
            conversion.kind(),
            conversion.group()
        );
        self.converters.push(Arc::new(conversion));
        self
    }

    fn handle(mut self, path: String, handler: Arc<dyn Handler>) -> Self {
        assert!(
            path.starts_with('/'),
            "WebhookServer: webhook path `{path}` must start with `/`"
        );
        assert!(
            path != CONVERT_PATH && !self.handlers.iter().any(|(p, _)| *p == path),
            "WebhookServer: the path `{path}` is already served"
        );
        self.handlers.push((path, handler));
        self
    }

    /// Every path served, sorted.
    pub fn paths(&self) -> Vec<String> {
        let mut paths: BTreeSet<String> = self.handlers.iter().map(|(p, _)| p.clone()).collect();
        if !self.converters.is_empty() {
            paths.insert(CONVERT_PATH.to_owned());
        }
        paths.into_iter().collect()
    }

    /// The routes as an axum [`Router`], without TLS: for tests (call it with
    /// `tower::ServiceExt::oneshot`), or to serve it another way.
    pub fn router(&self) -> Router {
        let mut router = Router::new();
        for (path, handler) in &self.handlers {
            let handler = handler.clone();
            router = router.route(
                path,
                post(move |headers: HeaderMap, body: Bytes| {
                    admission_endpoint(handler.clone(), headers, body)
                })
                .layer(DefaultBodyLimit::max(ADMISSION_BODY_LIMIT)),
            );
        }
        if !self.converters.is_empty() {
            let converters: Arc<[Arc<dyn Converter>]> = self.converters.clone().into();
            router = router.route(
                CONVERT_PATH,
                post(move |headers: HeaderMap, body: Bytes| {
                    conversion_endpoint(converters.clone(), headers, body)
                })
                .layer(DefaultBodyLimit::max(CONVERSION_BODY_LIMIT)),
            );
        }
        router
    }

    /// Listens on `addr` and serves HTTPS until `shutdown` completes, then waits for open
    /// requests (up to [`WebhookServer::shutdown_timeout`]). Fails at once when the
    /// certificate cannot be loaded or the address bound.
    pub async fn serve(
        self,
        addr: SocketAddr,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), WebhookError> {
        let listener = TcpListener::bind(addr)
            .await
            .map_err(|source| WebhookError::Bind { addr, source })?;
        self.serve_on(listener, shutdown).await
    }

    /// [`WebhookServer::serve`] on a socket already bound (e.g. to port 0 in a test).
    pub async fn serve_on(
        self,
        listener: TcpListener,
        shutdown: impl Future<Output = ()> + Send,
    ) -> Result<(), WebhookError> {
        let certs = Arc::new(CertReloader::load(
            self.cert_dir.join(&self.cert_name),
            self.cert_dir.join(&self.key_name),
            tls::provider(),
        )?);
        let acceptor = TlsAcceptor::from(Arc::new(certs.server_config()?));
        let app = self.router();
        // Stops with this future, also when it is dropped before the end.
        let _reloader = AbortOnDrop(tokio::spawn(reload_loop(
            certs.clone(),
            self.reload_interval,
        )));
        let graceful = GracefulShutdown::new();
        let mut builder = auto::Builder::new(TokioExecutor::new());
        builder.http1().timer(TokioTimer::new());
        tokio::pin!(shutdown);
        tracing::info!(paths = ?self.paths(), "webhook server listening");
        loop {
            let (tcp, peer) = tokio::select! {
                accepted = listener.accept() => match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors and the like: wait instead of spinning.
                        tracing::warn!(error = %e, "webhook server: accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                },
                () = &mut shutdown => break,
            };
            let acceptor = acceptor.clone();
            let service = TowerToHyperService::new(app.clone());
            let builder = builder.clone();
            let watcher = graceful.watcher();
            tokio::spawn(async move {
                let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await
                {
                    Ok(Ok(tls)) => tls,
                    Ok(Err(e)) => {
                        tracing::debug!(%peer, error = %e, "webhook server: TLS handshake failed");
                        return;
                    }
                    Err(_) => {
                        tracing::debug!(%peer, "webhook server: TLS handshake timed out");
                        return;
                    }
                };
                let connection = builder.serve_connection(TokioIo::new(tls), service);
                if let Err(e) = watcher.watch(connection).await {
                    tracing::debug!(%peer, error = %e, "webhook server: connection error");
                }
            });
        }
        drop(listener);
        if tokio::time::timeout(self.shutdown_timeout, graceful.shutdown())
            .await
            .is_err()
        {
            tracing::warn!("webhook server: requests still open at the shutdown timeout");
        }
        Ok(())
    }
}

struct AbortOnDrop(tokio::task::JoinHandle<()>);

impl Drop for AbortOnDrop {
    fn drop(&mut self) {
        self.0.abort();
    }
}

async fn reload_loop(certs: Arc<CertReloader>, interval: Duration) {
    let mut ticks = tokio::time::interval(interval);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    ticks.tick().await;
    loop {
        ticks.tick().await;
        match certs.reload() {
            Ok(true) => tracing::info!("webhook server: serving certificate reloaded"),
            Ok(false) => {}
            Err(e) => tracing::warn!(error = %e, "webhook server: keeping the current certificate"),
        }
    }
}

/// Checks `apiVersion` and `kind` of a review (both callers' API versions start with a
/// vowel: "an admission...", "an apiextensions...").
pub(crate) fn check_type(value: &Value, api_version: &str, kind: &str) -> Result<(), Malformed> {
    let not = |what: String| {
        Malformed(format!(
            "the body is not an {api_version} {kind}: it {what}"
        ))
    };
    let Value::Object(map) = value else {
        return Err(not(format!("is {}", json_type(value))));
    };
    let field = |key: &str| map.get(key).and_then(Value::as_str).unwrap_or("");
    if field("apiVersion") != api_version || field("kind") != kind {
        return Err(not(match (field("apiVersion"), field("kind")) {
            ("", "") => "has no apiVersion and kind".to_owned(),
            (v, k) => format!("has apiVersion {v:?}, kind {k:?}"),
        }));
    }
    Ok(())
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// `Content-Type` must be JSON when given.
fn check_content_type(headers: &HeaderMap) -> Result<(), Malformed> {
    let Some(value) = headers.get(header::CONTENT_TYPE) else {
        return Ok(());
    };
    let essence = value
        .to_str()
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim();
    if essence.eq_ignore_ascii_case("application/json") {
        Ok(())
    } else {
        Err(Malformed(format!(
            "Content-Type {value:?} is not application/json"
        )))
    }
}

fn json_response(status: StatusCode, body: &Value) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

/// HTTP 400 with a `Status` body: the API server shows its message.
fn bad_request(Malformed(message): Malformed) -> Response {
    tracing::debug!(%message, "webhook server: bad request");
    json_response(
        StatusCode::BAD_REQUEST,
        &json!({
            "apiVersion": "v1",
            "kind": "Status",
            "status": "Failure",
            "message": message,
            "reason": "BadRequest",
            "code": 400,
        }),
    )
}

fn internal_error(message: String) -> Response {
    tracing::error!(%message, "webhook server: cannot write the response");
    json_response(
        StatusCode::INTERNAL_SERVER_ERROR,
        &json!({
            "apiVersion": "v1",
            "kind": "Status",
            "status": "Failure",
            "message": message,
            "reason": "InternalError",
            "code": 500,
        }),
    )
}

async fn admission_endpoint(
    handler: Arc<dyn Handler>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(e) = check_content_type(&headers) {
        return bad_request(e);
    }
    let (request, ours) = match admission::parse_review(&body) {
        Ok(parsed) => parsed,
        Err(e) => return bad_request(e),
    };
    let verdict = handler.handle(&ours).await;
    match admission::respond(&request, verdict) {
        Ok(review) => json_response(StatusCode::OK, &review),
        Err(e) => internal_error(e),
    }
}

async fn conversion_endpoint(
    converters: Arc<[Arc<dyn Converter>]>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if let Err(e) = check_content_type(&headers) {
        return bad_request(e);
    }
    match conversion::review(&converters, &body) {
        Ok(review) => match serde_json::to_value(review) {
            Ok(review) => json_response(StatusCode::OK, &review),
            Err(e) => internal_error(e.to_string()),
        },
        Err(e) => bad_request(e),
    }
}
