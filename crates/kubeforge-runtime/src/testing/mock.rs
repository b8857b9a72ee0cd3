//! The mocked API server of unit tests.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use http::{Method, Response};
use kube::Client;
use kube::client::Body;
use serde_json::{Value, json};
use tower_test::mock::{self, Handle, SendResponse};

use crate::Context;

/// How long a test waits for a request, and for the code under test to finish.
const TIMEOUT: Duration = Duration::from_secs(10);

/// A request the code under test sent.
#[derive(Debug)]
pub struct Request {
    pub method: Method,
    pub path: String,
    pub query: String,
    /// The JSON body (`Null` when there is none or it is not JSON).
    pub body: Value,
}

impl Request {
    /// Whether the query string has `key=value` (e.g. `fieldManager=my-operator`).
    pub fn has_query(&self, key: &str, value: &str) -> bool {
        self.query
            .split('&')
            .any(|pair| pair.split_once('=') == Some((key, value)))
    }
}

/// The API server side of a mocked client: take each request the controller sends, check it,
/// answer it. Dropping it makes every later request fail, as a vanished API server would.
pub struct ApiServer {
    handle: Handle<http::Request<Body>, Response<Body>>,
}

impl ApiServer {
    /// A client (default namespace `default`) and the server it talks to.
    pub fn new() -> (Client, ApiServer) {
        let (service, handle) = mock::pair::<http::Request<Body>, Response<Body>>();
        (Client::new(service, "default"), ApiServer { handle })
    }

    /// The next request and the means to answer it.
    ///
    /// # Panics
    ///
    /// When no request comes within 10 s (a test helper: a panic is the test failing).
    pub async fn next(&mut self) -> (Request, SendResponse<Response<Body>>) {
        let next = tokio::time::timeout(TIMEOUT, self.handle.next_request()).await;
        let (request, send) = next
            .expect("the code under test sent no request within 10 s")
            .expect("the client was dropped before sending the expected request");
        let method = request.method().clone();
        let path = request.uri().path().to_owned();
        let query = request.uri().query().unwrap_or_default().to_owned();
        let body = request
            .into_body()
            .collect_bytes()
            .await
            .unwrap_or_default();
        let body = serde_json::from_slice(&body).unwrap_or(Value::Null);
        let request = Request {
            method,
            path,
            query,
            body,
        };
        (request, send)
    }

    /// Takes the next request, asserts its method and path, answers `response` with 200.
    ///
    /// # Panics
    ///
    /// When the request is another one than expected.
    pub async fn expect(&mut self, method: Method, path: &str, response: Value) -> Request {
        self.expect_status(method, path, 200, response).await
    }

    /// [`ApiServer::expect`], answering with HTTP status `code`.
    ///
    /// # Panics
    ///
    /// When the request is another one than expected.
    pub async fn expect_status(
        &mut self,
        method: Method,
        path: &str,
        code: u16,
        response: Value,
    ) -> Request {
        let (request, send) = self.next().await;
        assert_eq!(
            (&request.method, request.path.as_str()),
            (&method, path),
            "unexpected request {} {}?{} {}",
            request.method,
            request.path,
            request.query,
            request.body
        );
        send.send_response(json_response(code, &response));
        request
    }

    /// Takes the next request, whatever it is, and fails it with a Kubernetes `Status` of
    /// `code` and `reason` (e.g. 500, "InternalError"; 409, "Conflict"; 404, "NotFound").
    pub async fn fail_next(&mut self, code: u16, reason: &str) -> Request {
        let (request, send) = self.next().await;
        send.send_response(json_response(code, &status(code, reason)));
        request
    }
}

/// A Kubernetes `Status` failure body.
pub fn status(code: u16, reason: &str) -> Value {
    json!({"kind": "Status", "apiVersion": "v1", "status": "Failure",
        "message": format!("{reason} (mocked)"), "reason": reason, "code": code})
}

fn json_response(code: u16, body: &Value) -> Response<Body> {
    let body = Body::from(serde_json::to_vec(body).unwrap_or_default());
    Response::builder()
        .status(code)
        .header("content-type", "application/json")
        .body(body)
        .unwrap_or_else(|_| Response::new(Body::empty()))
}

/// A context for `manager_name` with `state`, whose client talks to the returned [`ApiServer`].
pub fn context<S>(manager_name: &str, state: S) -> (Arc<Context<S>>, ApiServer) {
    let (client, server) = ApiServer::new();
    (Arc::new(Context::new(client, manager_name, state)), server)
}

/// Runs `work` (a reconciliation, say) while `serve` plays the API server; returns what `work`
/// returned once both are done.
///
/// # Panics
///
/// When `work` or `serve` takes more than 10 s, or `serve` panics (a failed assertion on a
/// request).
pub async fn serve_while<T, F>(
    server: ApiServer,
    serve: impl FnOnce(ApiServer) -> F,
    work: impl Future<Output = T>,
) -> T
where
    F: Future<Output = ()> + Send + 'static,
{
    let served = tokio::spawn(serve(server));
    let result = tokio::time::timeout(TIMEOUT, work).await;
    let served = tokio::time::timeout(TIMEOUT, served).await;
    match served.expect("the mocked API server did not finish within 10 s") {
        Err(e) if e.is_panic() => std::panic::resume_unwind(e.into_panic()),
        _ => {}
    }
    result.expect("the code under test did not finish within 10 s")
}
