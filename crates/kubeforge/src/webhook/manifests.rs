//! `config/webhook/manifests.yaml` from `#[webhook(...)]` registrations, as controller-gen's
//! webhook generator writes it.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::{Map, Value, json};

use crate::error::Error;

/// The Service kubebuilder's `config/webhook/service.yaml` defines.
pub const DEFAULT_SERVICE_NAME: &str = "webhook-service";

/// The namespace controller-gen writes (kustomize's `namespace:` replaces it).
pub const DEFAULT_SERVICE_NAMESPACE: &str = "system";

/// How the API server reaches the webhook (`clientConfig`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ClientConfig {
    /// Through a Service: `None` name and namespace are [`DEFAULT_SERVICE_NAME`] and
    /// [`DEFAULT_SERVICE_NAMESPACE`]; `None` port is the API's default (443).
    Service {
        name: Option<&'static str>,
        namespace: Option<&'static str>,
        path: &'static str,
        port: Option<i32>,
    },
    /// At a URL (`https://...`).
    Url(&'static str),
}

/// One `#[webhook(...)]` attribute, as the macro registers it (values already in the API's
/// spelling: `Fail`, `None`, `CREATE`, `""` for the core group). Plain data:
/// [`configurations_from`] accepts hand-made ones.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WebhookRegistration {
    /// `module::item` the attribute is on, for ordering and messages.
    pub source: &'static str,
    pub name: &'static str,
    /// `true`: a MutatingWebhookConfiguration entry; `false`: a Validating one.
    pub mutating: bool,
    pub client: ClientConfig,
    pub failure_policy: &'static str,
    pub match_policy: Option<&'static str>,
    pub side_effects: &'static str,
    pub timeout_seconds: Option<i32>,
    pub groups: &'static [&'static str],
    pub resources: &'static [&'static str],
    pub operations: &'static [&'static str],
    pub versions: &'static [&'static str],
    pub admission_review_versions: &'static [&'static str],
    /// Mutating webhooks only.
    pub reinvocation_policy: Option<&'static str>,
}

inventory::collect!(WebhookRegistration);

/// controller-gen's default names of the two configurations.
pub const DEFAULT_MUTATING_CONFIGURATION: &str = "mutating-webhook-configuration";
pub const DEFAULT_VALIDATING_CONFIGURATION: &str = "validating-webhook-configuration";

/// `#[webhook(mutating = true, configuration_name = "...")]` (controller-gen's
/// `+kubebuilder:webhookconfiguration:mutating=true,name=...`): the name of the
/// MutatingWebhookConfiguration (or, with `mutating: false`, the Validating one) instead of
/// [`DEFAULT_MUTATING_CONFIGURATION`] / [`DEFAULT_VALIDATING_CONFIGURATION`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfigurationName {
    /// `module::item` the attribute is on, for messages.
    pub source: &'static str,
    pub mutating: bool,
    pub name: &'static str,
}

inventory::collect!(ConfigurationName);

/// Every registered [`ConfigurationName`], ordered by source (link order is not fixed).
pub fn configuration_names() -> Vec<&'static ConfigurationName> {
    let mut all: Vec<_> = inventory::iter::<ConfigurationName>.into_iter().collect();
    all.sort_by_key(|c| (c.mutating, c.source, c.name));
    all
}

/// Every registered webhook, in a fixed order (link order is not): by name, then source.
pub fn registrations() -> Vec<&'static WebhookRegistration> {
    let mut all: Vec<_> = inventory::iter::<WebhookRegistration>.into_iter().collect();
    all.sort_by(|a, b| (a.name, a.source, a.client).cmp(&(b.name, b.source, b.client)));
    all
}

impl WebhookRegistration {
    /// The webhook as Kubernetes JSON (a `MutatingWebhook` or `ValidatingWebhook`).
    pub fn to_value(&self) -> Value {
        let strings = |list: &[&str]| json!(list);
        let client = match self.client {
            ClientConfig::Service {
                name,
                namespace,
                path,
                port,
            } => {
                let mut service = Map::new();
                service.insert(
                    "name".to_owned(),
                    json!(name.unwrap_or(DEFAULT_SERVICE_NAME)),
                );
                service.insert(
                    "namespace".to_owned(),
                    json!(namespace.unwrap_or(DEFAULT_SERVICE_NAMESPACE)),
                );
                service.insert("path".to_owned(), json!(path));
                if let Some(port) = port {
                    service.insert("port".to_owned(), json!(port));
                }
                json!({ "service": service })
            }
            ClientConfig::Url(url) => json!({ "url": url }),
        };
        let mut webhook = Map::new();
        webhook.insert(
            "admissionReviewVersions".to_owned(),
            strings(self.admission_review_versions),
        );
        webhook.insert("clientConfig".to_owned(), client);
        webhook.insert("failurePolicy".to_owned(), json!(self.failure_policy));
        if let Some(policy) = self.match_policy {
            webhook.insert("matchPolicy".to_owned(), json!(policy));
        }
        webhook.insert("name".to_owned(), json!(self.name));
        if self.mutating
            && let Some(policy) = self.reinvocation_policy
        {
            webhook.insert("reinvocationPolicy".to_owned(), json!(policy));
        }
        webhook.insert(
            "rules".to_owned(),
            json!([{
                "apiGroups": strings(self.groups),
                "apiVersions": strings(self.versions),
                "operations": strings(self.operations),
                "resources": strings(self.resources),
            }]),
        );
        webhook.insert("sideEffects".to_owned(), json!(self.side_effects));
        if let Some(timeout) = self.timeout_seconds {
            webhook.insert("timeoutSeconds".to_owned(), json!(timeout));
        }
        Value::Object(webhook)
    }
}

/// The MutatingWebhookConfiguration `mutating-webhook-configuration` and the
/// ValidatingWebhookConfiguration `validating-webhook-configuration` for `registrations`,
/// each left out when it would have no webhook; webhooks sorted by name (stable).
pub fn configurations_from<'a>(
    registrations: impl IntoIterator<Item = &'a WebhookRegistration>,
) -> Vec<Value> {
    configurations_named(registrations, [])
}

/// [`configurations_from`], with the configurations named by `names` where one is given
/// (the first for each kind; [`check_configuration_names`] refuses two).
pub fn configurations_named<'a>(
    registrations: impl IntoIterator<Item = &'a WebhookRegistration>,
    names: impl IntoIterator<Item = &'a ConfigurationName>,
) -> Vec<Value> {
    let names: Vec<&ConfigurationName> = names.into_iter().collect();
    let name_for = |mutating: bool, default: &'static str| {
        names
            .iter()
            .find(|n| n.mutating == mutating)
            .map_or(default, |n| n.name)
    };
    let (mut mutating, mut validating): (Vec<&WebhookRegistration>, Vec<_>) =
        registrations.into_iter().partition(|r| r.mutating);
    mutating.sort_by_key(|r| r.name);
    validating.sort_by_key(|r| r.name);
    let mut out = Vec::new();
    for (kind, name, webhooks) in [
        (
            "MutatingWebhookConfiguration",
            name_for(true, DEFAULT_MUTATING_CONFIGURATION),
            mutating,
        ),
        (
            "ValidatingWebhookConfiguration",
            name_for(false, DEFAULT_VALIDATING_CONFIGURATION),
            validating,
        ),
    ] {
        if webhooks.is_empty() {
            continue;
        }
        let webhooks: Vec<Value> = webhooks.iter().map(|r| r.to_value()).collect();
        out.push(json!({
            "apiVersion": "admissionregistration.k8s.io/v1",
            "kind": kind,
            "metadata": { "name": name },
            "webhooks": webhooks,
        }));
    }
    out
}

/// Two registrations with the same name in one configuration: the API server rejects that.
pub(crate) fn check_unique<'a>(
    registrations: impl IntoIterator<Item = &'a WebhookRegistration>,
) -> Result<(), Error> {
    let mut seen: BTreeMap<(bool, &str), &str> = BTreeMap::new();
    for registration in registrations {
        if let Some(first) = seen.insert(
            (registration.mutating, registration.name),
            registration.source,
        ) {
            return Err(Error::InvalidMarker {
                source_type: registration.source.to_owned(),
                path: format!("#[webhook(name = \"{}\")]", registration.name),
                message: format!(
                    "{} is also named so by {first}; names must be unique within a {}WebhookConfiguration",
                    if registration.mutating {
                        "a mutating webhook"
                    } else {
                        "a validating webhook"
                    },
                    if registration.mutating {
                        "Mutating"
                    } else {
                        "Validating"
                    },
                ),
            });
        }
    }
    Ok(())
}

/// Two names for one configuration: controller-gen refuses that ("duplicate mutating
/// ...").
pub fn check_configuration_names<'a>(
    names: impl IntoIterator<Item = &'a ConfigurationName>,
) -> Result<(), Error> {
    let mut seen: BTreeMap<bool, &ConfigurationName> = BTreeMap::new();
    for name in names {
        if let Some(first) = seen.insert(name.mutating, name) {
            let kind = if name.mutating {
                "Mutating"
            } else {
                "Validating"
            };
            return Err(Error::InvalidMarker {
                source_type: name.source.to_owned(),
                path: format!("#[webhook(configuration_name = \"{}\")]", name.name),
                message: format!(
                    "the {kind}WebhookConfiguration is already named `{}` by {}; name it once",
                    first.name, first.source
                ),
            });
        }
    }
    Ok(())
}

/// The webhook configurations for every registered `#[webhook(...)]`, as controller-gen
/// writes them to `config/webhook/manifests.yaml` (see [`configurations_named`]).
pub fn webhook_manifests() -> Vec<Value> {
    configurations_named(registrations(), configuration_names())
}

/// [`webhook_manifests`] as YAML: one document per configuration, each led by `---`.
/// Empty when no webhook is registered. Fails when two webhooks of one configuration share
/// a name.
pub fn webhook_yaml() -> Result<String, Error> {
    let registrations = registrations();
    check_unique(registrations.iter().copied())?;
    let names = configuration_names();
    check_configuration_names(names.iter().copied())?;
    Ok(crate::yaml::to_documents(&configurations_named(
        registrations,
        names,
    ))?)
}

/// Writes [`webhook_yaml`] to `path` (usually `config/webhook/manifests.yaml`) atomically,
/// creating the directory. Like controller-gen, writes nothing when no webhook is
/// registered; returns whether the file was written.
pub fn write_webhooks(path: impl AsRef<Path>) -> Result<bool, Error> {
    let path = path.as_ref();
    let yaml = webhook_yaml()?;
    if yaml.is_empty() {
        return Ok(false);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|source| Error::Io {
            path: dir.to_owned(),
            source,
        })?;
    }
    crate::fs::write_atomic(path, yaml.as_bytes())?;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    const fn reg(name: &'static str, mutating: bool) -> WebhookRegistration {
        WebhookRegistration {
            source: "test",
            name,
            mutating,
            client: ClientConfig::Service {
                name: None,
                namespace: None,
                path: "/p",
                port: None,
            },
            failure_policy: "Fail",
            match_policy: None,
            side_effects: "None",
            timeout_seconds: None,
            groups: &[""],
            resources: &["pods"],
            operations: &["CREATE"],
            versions: &["v1"],
            admission_review_versions: &["v1"],
            reinvocation_policy: Some("IfNeeded"),
        }
    }

    #[test]
    fn only_non_empty_configurations_sorted_by_name() {
        let regs = [reg("b.x.io", true), reg("a.x.io", true)];
        let out = configurations_from(&regs);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0]["kind"], "MutatingWebhookConfiguration");
        assert_eq!(out[0]["webhooks"][0]["name"], "a.x.io");
        assert_eq!(out[0]["webhooks"][0]["reinvocationPolicy"], "IfNeeded");
        let regs = [reg("v.x.io", false)];
        let out = configurations_from(&regs);
        assert_eq!(out[0]["kind"], "ValidatingWebhookConfiguration");
        // Validating webhooks have no reinvocationPolicy.
        assert!(out[0]["webhooks"][0].get("reinvocationPolicy").is_none());
        assert!(configurations_from([]).is_empty());
    }

    #[test]
    fn url_and_custom_service() {
        let mut r = reg("a.x.io", false);
        r.client = ClientConfig::Url("https://example.com/v");
        assert_eq!(
            r.to_value()["clientConfig"],
            json!({"url": "https://example.com/v"})
        );
        r.client = ClientConfig::Service {
            name: Some("svc"),
            namespace: Some("ns"),
            path: "/v",
            port: Some(8443),
        };
        r.timeout_seconds = Some(10);
        r.match_policy = Some("Equivalent");
        let v = r.to_value();
        assert_eq!(
            v["clientConfig"],
            json!({"service": {"name": "svc", "namespace": "ns", "path": "/v", "port": 8443}})
        );
        assert_eq!(v["timeoutSeconds"], 10);
        assert_eq!(v["matchPolicy"], "Equivalent");
    }

    #[test]
    fn duplicate_names_are_an_error() {
        let regs = [reg("a.x.io", true), reg("a.x.io", false)];
        assert!(check_unique(&regs).is_ok());
        let regs = [reg("a.x.io", true), reg("a.x.io", true)];
        let err = check_unique(&regs).unwrap_err().to_string();
        assert!(err.contains("names must be unique"), "{err}");
    }

    const fn named(mutating: bool, name: &'static str, source: &'static str) -> ConfigurationName {
        ConfigurationName {
            source,
            mutating,
            name,
        }
    }

    #[test]
    fn a_configuration_named_twice_is_refused_naming_both() {
        let names = [
            named(true, "first", "a::Names"),
            named(false, "validating", "a::Names"),
            named(true, "second", "b::Names"),
        ];
        let error = check_configuration_names(&names).unwrap_err().to_string();
        assert!(error.contains("b::Names"), "{error}");
        assert!(
            error.contains("already named `first` by a::Names"),
            "{error}"
        );
        assert!(check_configuration_names(&names[..2]).is_ok());
    }

    #[test]
    fn names_apply_to_their_own_kind_of_configuration() {
        let webhooks = [reg("m.kb.io.x", true), reg("v.kb.io.x", false)];
        let names = [named(false, "custom-validating", "a::Names")];
        let out = configurations_named(&webhooks, &names);
        assert_eq!(out[0]["metadata"]["name"], DEFAULT_MUTATING_CONFIGURATION);
        assert_eq!(out[1]["metadata"]["name"], "custom-validating");
    }
}
