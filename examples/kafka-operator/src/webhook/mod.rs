//! The admission and conversion webhooks of the manager. `scaffold create webhook` adds a module
//! per kind and version, and registers its webhooks in [`register`].

use kubeforge::webhook::WebhookServer;

pub mod hwfka_v1;
// +kubeforge:scaffold:webhook-modules

/// Registers every webhook of the manager on `server`, which the manager serves on
/// `--webhook-port` with the certificate in `--webhook-cert-dir`.
pub fn register(mut server: WebhookServer) -> WebhookServer {
    server = hwfka_v1::register(server);
    // +kubeforge:scaffold:webhook-registrations
    server
}
