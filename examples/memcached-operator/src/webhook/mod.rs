//! The admission and conversion webhooks of the manager. `scaffold create webhook` adds a module
//! per kind and version, and registers its webhooks in [`server`].

use std::path::PathBuf;

use kubeforge::webhook::WebhookServer;

pub mod memcached_v1alpha1;
// +kubeforge:scaffold:webhook-modules

/// The webhook server with every webhook of the manager registered, reading its certificate
/// from `cert_dir`.
pub fn server(cert_dir: impl Into<PathBuf>) -> WebhookServer {
    let mut server = WebhookServer::new(cert_dir);
    server = memcached_v1alpha1::register(server);
    // +kubeforge:scaffold:webhook-registrations
    server
}
