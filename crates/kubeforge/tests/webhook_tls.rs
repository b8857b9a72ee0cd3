//! The webhook server over TLS on 127.0.0.1: it serves the certificate from the cert dir,
//! picks up a rotated one without a restart, keeps the current one when the new files do
//! not load, and stops when asked.
#![cfg(feature = "webhook")]

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use k8s_openapi::api::core::v1::Pod;
use kubeforge::webhook::{CustomValidator, Denied, Warnings, WebhookError, WebhookServer};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsConnector;
use tokio_rustls::rustls::pki_types::{CertificateDer, ServerName};
use tokio_rustls::rustls::{self, ClientConfig, RootCertStore};

struct PodValidator;

impl CustomValidator<Pod> for PodValidator {
    async fn validate_create(&self, _obj: &Pod) -> Result<Warnings, Denied> {
        Ok(vec!["checked over TLS".to_owned()])
    }
    async fn validate_update(&self, _old: &Pod, _new: &Pod) -> Result<Warnings, Denied> {
        Ok(Warnings::new())
    }
}

/// A self-signed certificate for `localhost`: (PEM cert, PEM key, DER cert).
fn certificate() -> (String, String, CertificateDer<'static>) {
    let rcgen::CertifiedKey { cert, signing_key } =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).unwrap();
    (cert.pem(), signing_key.serialize_pem(), cert.der().clone())
}

fn write_pair(dir: &Path, cert: &str, key: &str) {
    std::fs::write(dir.join("tls.crt"), cert).unwrap();
    std::fs::write(dir.join("tls.key"), key).unwrap();
}

fn review() -> Value {
    json!({
        "apiVersion": "admission.k8s.io/v1",
        "kind": "AdmissionReview",
        "request": {
            "uid": "uid-1",
            "kind": {"group": "", "version": "v1", "kind": "Pod"},
            "resource": {"group": "", "version": "v1", "resource": "pods"},
            "operation": "CREATE",
            "userInfo": {"username": "admin"},
            "object": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}},
            "oldObject": null,
        }
    })
}

/// POSTs a review over TLS trusting only `trusted`; the HTTP status and body.
async fn call(addr: SocketAddr, trusted: &CertificateDer<'static>) -> Result<(u16, Value), String> {
    let mut roots = RootCertStore::empty();
    roots.add(trusted.clone()).unwrap();
    let config =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_root_certificates(roots)
            .with_no_client_auth();
    let connector = TlsConnector::from(Arc::new(config));
    let tcp = TcpStream::connect(addr).await.map_err(|e| e.to_string())?;
    let name = ServerName::try_from("localhost").unwrap();
    let mut tls = connector
        .connect(name, tcp)
        .await
        .map_err(|e| e.to_string())?;
    let body = review().to_string();
    let request = format!(
        "POST /validate--v1-pod HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    tls.write_all(request.as_bytes())
        .await
        .map_err(|e| e.to_string())?;
    let mut response = Vec::new();
    tls.read_to_end(&mut response)
        .await
        .map_err(|e| e.to_string())?;
    let response = String::from_utf8(response).map_err(|e| e.to_string())?;
    let (head, body) = response.split_once("\r\n\r\n").ok_or("no HTTP response")?;
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or("no status")?;
    Ok((
        status,
        serde_json::from_str(body).map_err(|e| e.to_string())?,
    ))
}

#[tokio::test]
async fn serves_over_tls_and_reloads_a_rotated_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let (cert_a, key_a, der_a) = certificate();
    let (cert_b, key_b, der_b) = certificate();
    write_pair(dir.path(), &cert_a, &key_a);

    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = WebhookServer::new(dir.path())
        .validator::<Pod, _>(PodValidator)
        .reload_interval(Duration::from_millis(50))
        .shutdown_timeout(Duration::from_secs(5));
    let running = tokio::spawn(server.serve_on(listener, async {
        stopped.await.ok();
    }));

    // Certificate A is served.
    let (status, body) = call(addr, &der_a).await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(body["response"]["uid"], "uid-1");
    assert_eq!(body["response"]["allowed"], true);
    assert_eq!(body["response"]["warnings"], json!(["checked over TLS"]));
    assert!(call(addr, &der_b).await.is_err(), "B is not served yet");

    // Rotate to B: picked up without a restart.
    write_pair(dir.path(), &cert_b, &key_b);
    let deadline = Instant::now() + Duration::from_secs(10);
    while call(addr, &der_b).await.is_err() {
        assert!(
            Instant::now() < deadline,
            "the rotated certificate was not loaded"
        );
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    assert!(call(addr, &der_a).await.is_err(), "A is no longer served");

    // A broken rotation (A's certificate with B's key) is not loaded: B stays.
    write_pair(dir.path(), &cert_a, &key_b);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(call(addr, &der_b).await.unwrap().0, 200);

    stop.send(()).unwrap();
    tokio::time::timeout(Duration::from_secs(10), running)
        .await
        .expect("the server stops")
        .unwrap()
        .unwrap();
}

#[tokio::test]
async fn fails_at_once_without_a_usable_certificate() {
    let dir = tempfile::tempdir().unwrap();
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = WebhookServer::new(dir.path())
        .serve_on(listener, std::future::pending())
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::Io { .. }), "{err}");
    assert!(err.to_string().contains("tls.crt"), "{err}");

    let (_, key_a, _) = certificate();
    let (cert_b, _, _) = certificate();
    write_pair(dir.path(), &cert_b, &key_a);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = WebhookServer::new(dir.path())
        .serve_on(listener, std::future::pending())
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::Tls { .. }), "{err}");

    write_pair(dir.path(), "not a certificate", &key_a);
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let err = WebhookServer::new(dir.path())
        .serve_on(listener, std::future::pending())
        .await
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        format!(
            "TLS: {}: no certificate in the file",
            dir.path().join("tls.crt").display()
        )
    );
}
