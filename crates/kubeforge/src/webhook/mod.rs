//! Admission (defaulting, validation) and conversion webhooks, the way kubebuilder's
//! `create webhook` lays them out. Needs kubeforge's `webhook` feature.
//!
//! `kubeforge::webhook` names two things: this module (the runtime) and the attribute
//! `#[webhook(...)]` (a macro, in the macro namespace). `use kubeforge::webhook;` brings in
//! both.
//!
//! # Defaulting and validation
//!
//! controller-runtime's `CustomDefaulter` and `CustomValidator`, as traits generic over the
//! kind. The methods are `async` (write `async fn` in the impl; the futures must be `Send`).
//!
//! ```
//! use kubeforge::webhook; // the attribute and the module
//! use kubeforge::webhook::{CustomDefaulter, CustomValidator, Denied, Warnings};
//! # use kube::CustomResource; use schemars::JsonSchema; use serde::{Deserialize, Serialize};
//! # #[derive(CustomResource, Clone, Debug, Default, Deserialize, Serialize, JsonSchema)]
//! # #[kube(group = "cache.example.com", version = "v1alpha1", kind = "Memcached", namespaced)]
//! # pub struct MemcachedSpec { pub size: Option<i32> }
//!
//! #[webhook(path = "/mutate-cache-example-com-v1alpha1-memcached", mutating = true,
//!     failure_policy = "fail", side_effects = "None", groups = "cache.example.com",
//!     resources = "memcacheds", verbs = "create;update", versions = "v1alpha1",
//!     name = "mmemcached-v1alpha1.kb.io", admission_review_versions = "v1")]
//! pub struct MemcachedDefaulter;
//!
//! impl CustomDefaulter<Memcached> for MemcachedDefaulter {
//!     async fn default(&self, obj: &mut Memcached) -> Result<(), Denied> {
//!         obj.spec.size.get_or_insert(1);
//!         Ok(())
//!     }
//! }
//!
//! #[webhook(path = "/validate-cache-example-com-v1alpha1-memcached", mutating = false,
//!     failure_policy = "fail", side_effects = "None", groups = "cache.example.com",
//!     resources = "memcacheds", verbs = "create;update", versions = "v1alpha1",
//!     name = "vmemcached-v1alpha1.kb.io", admission_review_versions = "v1")]
//! pub struct MemcachedValidator;
//!
//! impl CustomValidator<Memcached> for MemcachedValidator {
//!     async fn validate_create(&self, obj: &Memcached) -> Result<Warnings, Denied> {
//!         match obj.spec.size {
//!             Some(n) if n < 1 => Err(Denied::field("spec.size", "must be at least 1")),
//!             Some(n) if n > 10 => Ok(vec![format!("spec.size {n} is more than 10")]),
//!             _ => Ok(Warnings::new()),
//!         }
//!     }
//!     async fn validate_update(&self, _old: &Memcached, new: &Memcached) -> Result<Warnings, Denied> {
//!         self.validate_create(new).await
//!     }
//! }
//!
//! # async fn run() -> Result<(), webhook::WebhookError> {
//! let server = webhook::WebhookServer::new(webhook::DEFAULT_CERT_DIR)
//!     .defaulter::<Memcached, _>(MemcachedDefaulter)
//!     .validator::<Memcached, _>(MemcachedValidator);
//! server.serve(([0, 0, 0, 0], webhook::DEFAULT_PORT).into(), std::future::pending()).await
//! # }
//! # fn main() {
//! # let yaml = kubeforge::webhook_yaml().unwrap();
//! # assert!(yaml.contains("name: mutating-webhook-configuration"));
//! # }
//! ```
//!
//! The server mounts a defaulter at kubebuilder's `/mutate-<group>-<version>-<kind>` (dots
//! of the group turned into `-`, kind lower-cased, [`mutate_path`]) and a validator at
//! `/validate-...` ([`validate_path`]); [`WebhookServer::defaulter_at`] and
//! [`WebhookServer::validator_at`] take another path (kubebuilder's `--defaulting-path`).
//!
//! What the server does with a request, as controller-runtime does:
//!
//! - defaulter: CREATE and UPDATE decode `request.object`, run [`CustomDefaulter::default`]
//!   and answer with a JSON Patch (RFC 6902, base64 in `response.patch`,
//!   `patchType: JSONPatch`) from the object as sent to the object as defaulted; no patch
//!   when nothing changed. Fields the Rust type does not know are not removed: `remove`
//!   operations that come from decoding and re-encoding alone are dropped (controller-runtime's
//!   default). DELETE and CONNECT are allowed untouched. An object that does not decode as
//!   the Rust type (a required field missing, a string where a number goes) is allowed
//!   unchanged: the apiserver validates it against the CRD schema after the mutating webhooks
//!   and refuses it in its own words (`spec.containerPort: Required value`).
//! - validator: CREATE calls `validate_create(object)`, UPDATE
//!   `validate_update(oldObject, object)`, DELETE `validate_delete(oldObject)`; CONNECT is
//!   refused with code 400. An object that does not decode is refused as the apiserver refuses
//!   an invalid object: code 422, reason `Invalid`, the message and the cause naming the field
//!   path (`Memcached "m" is invalid: spec.containerPort: Required value`).
//! - `Ok(warnings)` allows, with `response.warnings`; `Err(`[`Denied`]`)` refuses with
//!   `status.code` 403 (or the code given), `status.reason`, `status.message`, the field
//!   paths in `status.details.causes`, and its warnings.
//! - an object that does not decode into the Rust type is refused with code 400 (the
//!   review itself was fine, so the HTTP status is 200).
//! - a body that is not an `admission.k8s.io/v1` `AdmissionReview` with a `request` (not
//!   JSON, another kind or version, no request, a request missing required fields) gets
//!   HTTP 400 with a `Status` body whose message says what is wrong.
//!
//! # Conversion
//!
//! The hub is the storage version; every other version (a spoke) converts to and from it
//! with `TryFrom`, in both directions: `impl TryFrom<V2> for V1` and `impl TryFrom<V1> for
//! V2` (kubebuilder's `ConvertTo`/`ConvertFrom`). [`Conversion`] gathers the versions of one
//! kind and converts any object between any two of them through the hub; the server serves
//! every registered [`Conversion`] at [`CONVERT_PATH`]:
//! `WebhookServer::new(cert_dir).conversion(Conversion::<v1::CronJob>::new().spoke::<v2::CronJob>())`.
//!
//! # TLS
//!
//! The server reads `tls.crt` and `tls.key` (PEM) from the cert dir (kubebuilder mounts the
//! cert-manager secret at [`DEFAULT_CERT_DIR`]), and reloads them when they change (checked
//! every [`WebhookServer::reload_interval`], 5 s by default): cert-manager renews the secret
//! in place and the kubelet swaps the files, and new connections get the new certificate
//! without a restart. A pair that does not load (a half-written rotation, a key that does
//! not match) is logged and the previous one kept. TLS is rustls with the *ring* provider,
//! the one kube's default TLS stack uses, so no second crypto library is linked.
//!
//! # Markers
//!
//! `#[webhook(...)]` is controller-gen's `+kubebuilder:webhook` marker. It goes on the
//! defaulter or validator type (or its impl, or a function), is repeatable, and registers
//! one webhook; [`webhook_manifests`] turns them into
//! `config/webhook/manifests.yaml`.
//!
//! | key | controller-gen | value |
//! |---|---|---|
//! | `name` | `name` | required; the webhook's name, a domain with at least three segments (`mguestbook-v1.kb.io`) |
//! | `mutating` | `mutating` | required; `true` (MutatingWebhookConfiguration) or `false` (Validating...) |
//! | `path` | `path` | the path on the webhook Service (`/mutate-...`); one of `path` and `url` is required |
//! | `url` | `url` | `https://...`: call this URL instead of the Service |
//! | `failure_policy` | `failurePolicy` | required; `fail` or `ignore` (any case) |
//! | `side_effects` | `sideEffects` | required; `None` or `NoneOnDryRun` (`Some`/`Unknown` are not allowed in v1) |
//! | `groups` | `groups` | required; API groups, `core` or `""` for the core group |
//! | `resources` | `resources` | required; plural resources |
//! | `verbs` | `verbs` | required; `create`, `update`, `delete`, `connect` or `*` (written upper-case) |
//! | `versions` | `versions` | required; API versions |
//! | `admission_review_versions` | `admissionReviewVersions` | required; must include `v1` |
//! | `match_policy` | `matchPolicy` | `Exact` or `Equivalent` |
//! | `timeout_seconds` | `timeoutSeconds` | 1 to 30 |
//! | `reinvocation_policy` | `reinvocationPolicy` | `Never` or `IfNeeded`; mutating webhooks only |
//! | `service_name`, `service_namespace`, `service_port` | `serviceName`, ... | instead of `webhook-service`, `system` and the default port |
//! | `webhook_versions` | `webhookVersions` | `v1`, controller-gen's default and the only version written; accepted so a ported marker compiles |
//!
//! controller-gen's `+kubebuilder:webhookconfiguration:mutating=true,name=NAME` is an
//! attribute of its own, on any item: `#[webhook(mutating = true, configuration_name = "NAME")]`
//! names the MutatingWebhookConfiguration (`mutating = false`: the Validating one) instead of
//! `mutating-webhook-configuration` / `validating-webhook-configuration`. Naming one twice is
//! an error of [`webhook_yaml`]. The kustomize patches in a scaffolded `config/` refer to the
//! default names, so rename them there too.
//!
//! Lists are `;`-separated strings or arrays of strings, as in `#[rbac(...)]`. Problems are
//! compile errors at the key or value concerned.

mod admission;
mod conversion;
mod manifests;
mod server;
mod tls;

use std::fmt;
use std::path::PathBuf;

use kube::core::response::{StatusCause, StatusDetails};
use kube::core::{Resource, Status};

pub use conversion::{Conversion, ConversionError, Versioned};
pub use manifests::{
    ClientConfig, ConfigurationName, DEFAULT_MUTATING_CONFIGURATION, DEFAULT_SERVICE_NAME,
    DEFAULT_SERVICE_NAMESPACE, DEFAULT_VALIDATING_CONFIGURATION, WebhookRegistration,
    check_configuration_names, configuration_names, configurations_from, configurations_named,
    registrations, webhook_manifests, webhook_yaml, write_webhooks,
};
pub use server::WebhookServer;

/// What a webhook file needs: `use kubeforge::webhook::prelude::*;` brings the `#[webhook]`
/// attribute, the defaulter and validator traits with their answers, the conversion and the
/// server. One import for every webhook type is what lets `scaffold create webhook` add a
/// defaulter, a validator or a conversion to a file the user owns without editing its imports.
pub mod prelude {
    pub use super::{
        Conversion, CustomDefaulter, CustomValidator, Denied, Warnings, WebhookServer,
    };
    pub use crate::webhook;
}

/// Where kubebuilder's manager patch mounts the webhook certificate
/// (`--webhook-cert-path`).
pub const DEFAULT_CERT_DIR: &str = "/tmp/k8s-webhook-server/serving-certs";

/// The port kubebuilder's webhook Service targets (`webhook-server`, 9443).
pub const DEFAULT_PORT: u16 = 9443;

/// The path conversion webhooks are served at (kubebuilder's CRD patch points there).
pub const CONVERT_PATH: &str = "/convert";

/// Warnings returned to the client (`kubectl` prints them). Keep each under 120
/// characters.
pub type Warnings = Vec<String>;

/// Sets defaults on objects of kind `K` before they are stored: controller-runtime's
/// `CustomDefaulter`. Changes become a JSON Patch in the admission response.
pub trait CustomDefaulter<K>: Send + Sync + 'static {
    /// Changes `obj` in place. `Err` refuses the request.
    fn default(&self, obj: &mut K) -> impl Future<Output = Result<(), Denied>> + Send;
}

/// Validates objects of kind `K`: controller-runtime's `CustomValidator`.
pub trait CustomValidator<K>: Send + Sync + 'static {
    /// Called for CREATE with the new object.
    fn validate_create(&self, obj: &K) -> impl Future<Output = Result<Warnings, Denied>> + Send;

    /// Called for UPDATE with the stored object and the new one.
    fn validate_update(
        &self,
        old: &K,
        new: &K,
    ) -> impl Future<Output = Result<Warnings, Denied>> + Send;

    /// Called for DELETE with the object being deleted (only when the webhook's verbs
    /// include `delete`). Allows by default.
    fn validate_delete(&self, obj: &K) -> impl Future<Output = Result<Warnings, Denied>> + Send {
        let _ = obj;
        async { Ok(Warnings::new()) }
    }
}

/// A refusal: the admission response's `status` (controller-runtime's `admission.Denied`,
/// or an `apierrors` error with causes).
///
/// By default `code` 403 and `reason` `Forbidden`. [`Denied::field`] names the offending
/// field: its path goes into `status.details.causes` (reason `FieldValueInvalid`) and the
/// message is prefixed with it, as Kubernetes writes field errors, because the API server
/// shows the client only the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Denied {
    /// `status.message`.
    pub message: String,
    /// `status.reason`, a Kubernetes `StatusReason` such as `Forbidden` or `Invalid`.
    pub reason: String,
    /// `status.code`, an HTTP status code.
    pub code: u16,
    /// `status.details.causes`.
    pub causes: Vec<Cause>,
    /// Returned with the refusal in `response.warnings`.
    pub warnings: Warnings,
}

/// One entry of `status.details.causes`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// The field path, as Kubernetes writes it: `spec.containers[0].image`.
    pub field: String,
    /// What is wrong with it.
    pub message: String,
    /// A `CauseType` such as `FieldValueInvalid`, `FieldValueRequired`,
    /// `FieldValueNotSupported`.
    pub reason: String,
}

impl Denied {
    /// A refusal with a message: code 403, reason `Forbidden`.
    pub fn new(message: impl Into<String>) -> Self {
        Denied {
            message: message.into(),
            reason: "Forbidden".to_owned(),
            code: 403,
            causes: Vec::new(),
            warnings: Warnings::new(),
        }
    }

    /// A refusal because of one field: message `"<field>: <message>"`, and the field in
    /// `status.details.causes` with reason `FieldValueInvalid`.
    pub fn field(field: impl Into<String>, message: impl Into<String>) -> Self {
        let (field, message) = (field.into(), message.into());
        Denied::new(format!("{field}: {message}")).with_cause(field, message)
    }

    /// Adds a cause (reason `FieldValueInvalid`) without changing the message.
    #[must_use]
    pub fn with_cause(mut self, field: impl Into<String>, message: impl Into<String>) -> Self {
        self.causes.push(Cause {
            field: field.into(),
            message: message.into(),
            reason: "FieldValueInvalid".to_owned(),
        });
        self
    }

    /// Sets `status.code` (e.g. 422 with reason `Invalid`, as `apierrors.NewInvalid`).
    #[must_use]
    pub fn with_code(mut self, code: u16) -> Self {
        self.code = code;
        self
    }

    /// Sets `status.reason`.
    #[must_use]
    pub fn with_reason(mut self, reason: impl Into<String>) -> Self {
        self.reason = reason.into();
        self
    }

    /// Adds warnings returned with the refusal.
    #[must_use]
    pub fn with_warnings<I, S>(mut self, warnings: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.warnings.extend(warnings.into_iter().map(Into::into));
        self
    }

    /// A refusal for a request the webhook cannot handle: code 400, reason `BadRequest`.
    pub(crate) fn bad_request(message: impl Into<String>) -> Self {
        Denied::new(message)
            .with_code(400)
            .with_reason("BadRequest")
    }

    /// The admission response's `status`.
    pub fn to_status(&self) -> Status {
        let mut status = Status::failure(&self.message, &self.reason).with_code(self.code);
        if !self.causes.is_empty() {
            status = status.with_details(StatusDetails {
                name: String::new(),
                group: String::new(),
                kind: String::new(),
                uid: String::new(),
                causes: self
                    .causes
                    .iter()
                    .map(|c| StatusCause {
                        reason: c.reason.clone(),
                        message: c.message.clone(),
                        field: c.field.clone(),
                    })
                    .collect(),
                retry_after_seconds: 0,
            });
        }
        status
    }
}

impl fmt::Display for Denied {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Denied {}

/// Errors starting or running the webhook server.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum WebhookError {
    /// A certificate or key file could not be read.
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The certificate or key is not usable.
    #[error("TLS: {}: {message}", path.display())]
    Tls { path: PathBuf, message: String },
    /// The listening socket could not be opened.
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
}

/// kubebuilder's webhook path: `/<prefix>-<group with . as ->-<version>-<kind lower-cased>`;
/// the core group gives `/mutate--v1-pod`.
pub fn webhook_path(prefix: &str, group: &str, version: &str, kind: &str) -> String {
    format!(
        "/{prefix}-{}-{version}-{}",
        group.replace('.', "-"),
        kind.to_ascii_lowercase()
    )
}

/// The defaulting path kubebuilder gives kind `K`: `/mutate-...`.
pub fn mutate_path<K: Resource<DynamicType = ()>>() -> String {
    webhook_path("mutate", &K::group(&()), &K::version(&()), &K::kind(&()))
}

/// The validation path kubebuilder gives kind `K`: `/validate-...`.
pub fn validate_path<K: Resource<DynamicType = ()>>() -> String {
    webhook_path("validate", &K::group(&()), &K::version(&()), &K::kind(&()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_as_kubebuilder_writes_them() {
        assert_eq!(
            webhook_path("mutate", "crew.testproject.org", "v1", "Captain"),
            "/mutate-crew-testproject-org-v1-captain"
        );
        assert_eq!(webhook_path("mutate", "", "v1", "Pod"), "/mutate--v1-pod");
        assert_eq!(
            mutate_path::<k8s_openapi::api::apps::v1::Deployment>(),
            "/mutate-apps-v1-deployment"
        );
        assert_eq!(
            validate_path::<k8s_openapi::api::core::v1::Pod>(),
            "/validate--v1-pod"
        );
    }

    #[test]
    fn denied_status() {
        let status = Denied::field("spec.size", "must be at least 1").to_status();
        let value = serde_json::to_value(status).unwrap();
        assert_eq!(
            value,
            serde_json::json!({
                "status": "Failure",
                "code": 403,
                "reason": "Forbidden",
                "message": "spec.size: must be at least 1",
                "details": {"causes": [{
                    "reason": "FieldValueInvalid",
                    "message": "must be at least 1",
                    "field": "spec.size",
                }]},
            })
        );
    }
}
