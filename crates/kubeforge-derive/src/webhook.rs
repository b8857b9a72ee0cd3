//! `#[webhook(...)]`: controller-gen's `+kubebuilder:webhook` marker as an attribute.
//!
//! Like `#[rbac(...)]`, the attribute leaves the item as written and registers one static
//! webhook with `inventory`; `kubeforge::webhook_manifests` turns the registrations into
//! the `{Mutating,Validating}WebhookConfiguration`s controller-gen writes. Values are checked
//! and normalised here (`fail` → `Fail`, `create` → `CREATE`, `core` → `""`), so the runtime
//! only lays them out. Every problem is reported at the key or value that has it.
//!
//! The registration goes through `::kubeforge::__webhook_submit!`, which is a
//! `compile_error!` when kubeforge's `webhook` feature is off: the one place that can say
//! which feature is missing.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{LitStr, Token};

use crate::ctxt::Ctxt;

const KEYS: &[&str] = &[
    "name",
    "mutating",
    "path",
    "url",
    "failure_policy",
    "match_policy",
    "side_effects",
    "timeout_seconds",
    "groups",
    "resources",
    "verbs",
    "versions",
    "admission_review_versions",
    "reinvocation_policy",
    "service_name",
    "service_namespace",
    "service_port",
    "configuration_name",
    "webhook_versions",
];

/// controller-gen's spellings, and other likely slips, with the key they mean.
const ALIASES: &[(&str, &str)] = &[
    ("failurePolicy", "failure_policy"),
    ("matchPolicy", "match_policy"),
    ("sideEffects", "side_effects"),
    ("timeoutSeconds", "timeout_seconds"),
    ("timeout", "timeout_seconds"),
    ("admissionReviewVersions", "admission_review_versions"),
    ("reinvocationPolicy", "reinvocation_policy"),
    ("serviceName", "service_name"),
    ("serviceNamespace", "service_namespace"),
    ("servicePort", "service_port"),
    ("webhookVersions", "webhook_versions"),
    ("webhookconfiguration", "configuration_name"),
    ("group", "groups"),
    ("api_groups", "groups"),
    ("apiGroups", "groups"),
    ("resource", "resources"),
    ("verb", "verbs"),
    ("operations", "verbs"),
    ("version", "versions"),
    ("api_versions", "versions"),
    ("apiVersions", "versions"),
];

const EXAMPLE: &str = "#[webhook(path = \"/mutate-webapp-my-domain-v1-guestbook\", mutating = true, failure_policy = \"fail\", side_effects = \"None\", groups = \"webapp.my.domain\", resources = \"guestbooks\", verbs = \"create;update\", versions = \"v1\", name = \"mguestbook-v1.kb.io\", admission_review_versions = \"v1\")]";

/// One value as written: each item with the span of the literal it came from.
type Items = Vec<(String, Span)>;

/// A string value: the text, the key's span, the value's span.
type Single = (String, Span, Span);

#[derive(Default)]
struct Config {
    name: Option<Single>,
    mutating: Option<(bool, Span)>,
    path: Option<Single>,
    url: Option<Single>,
    failure_policy: Option<Single>,
    match_policy: Option<Single>,
    side_effects: Option<Single>,
    timeout_seconds: Option<(i64, Span, Span)>,
    groups: Option<(Items, Span)>,
    resources: Option<(Items, Span)>,
    verbs: Option<(Items, Span)>,
    versions: Option<(Items, Span)>,
    admission_review_versions: Option<(Items, Span)>,
    reinvocation_policy: Option<Single>,
    service_name: Option<Single>,
    service_namespace: Option<Single>,
    service_port: Option<(i64, Span, Span)>,
    /// controller-gen's `+kubebuilder:webhookconfiguration:name=`: an attribute of its own,
    /// with `mutating`, naming the configuration rather than a webhook.
    configuration_name: Option<Single>,
    /// Only `v1` is valid, and it changes nothing: accepted so a ported marker compiles.
    webhook_versions: Option<(Items, Span)>,
    /// Every known key as written, with its span.
    given: Vec<(String, Span)>,
    /// An unknown key was reported: checks for missing keys would only repeat it.
    unknown_key: bool,
    /// Keys given with an invalid value (reported there, so not missing).
    invalid: Vec<String>,
}

/// What a checked attribute registers.
enum Checked {
    Webhook(Normalized),
    /// `mutating` + `configuration_name`: the name of one configuration.
    Configuration,
}

/// The values the registration carries, normalised.
struct Normalized {
    failure_policy: &'static str,
    match_policy: Option<&'static str>,
    side_effects: &'static str,
    reinvocation_policy: Option<&'static str>,
    operations: Vec<&'static str>,
}

/// The attribute's expansion: the item, plus the registration (or, on error, the
/// diagnostics and the item untouched so nothing else fails because of it).
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let config = parse_args(&cx, attr);
    let checked = config.as_ref().and_then(|c| check(&cx, c));
    let placed = place(&cx, item.clone(), config.as_ref().zip(checked.as_ref()));
    match (cx.check(), placed) {
        (Ok(()), Some(out)) => out,
        (Err(e), _) => {
            let mut out = e.to_compile_error();
            out.extend(item);
            out
        }
        (Ok(()), None) => item,
    }
}

fn parse_args(cx: &Ctxt, attr: TokenStream) -> Option<Config> {
    if attr.is_empty() {
        cx.error_at(Span::call_site(), format!("expected `{EXAMPLE}`"));
        return None;
    }
    let mut config = Config::default();
    let parser = |input: ParseStream| -> syn::Result<()> {
        let args = Punctuated::<Arg, Token![,]>::parse_terminated(input)?;
        for arg in args {
            arg.apply(cx, &mut config);
        }
        Ok(())
    };
    match parser.parse2(attr) {
        Ok(()) => Some(config),
        Err(e) => {
            cx.syn_error(e);
            None
        }
    }
}

/// `key = "a;b"`, `key = ["a", "b"]`, `key = true` or `key = 10`.
struct Arg {
    key: syn::Path,
    value: Value,
}

enum Value {
    Str(LitStr),
    Array(Vec<LitStr>, Span),
    Bool(syn::LitBool),
    Int(syn::LitInt),
}

impl syn::parse::Parse for Arg {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key: syn::Path = input.call(syn::Path::parse_mod_style)?;
        if !input.peek(Token![=]) {
            let name = key.to_token_stream().to_string();
            let hint = if name == "mutating" {
                format!("expected `{name} = true` or `{name} = false`")
            } else {
                format!("expected `{name} = \"...\"`")
            };
            return Err(syn::Error::new_spanned(&key, hint));
        }
        input.parse::<Token![=]>()?;
        let value = if input.peek(syn::token::Bracket) {
            let content;
            let bracket = syn::bracketed!(content in input);
            let items = Punctuated::<syn::Expr, Token![,]>::parse_terminated(&content)?;
            let mut lits = Vec::new();
            for item in items {
                match lit(&item) {
                    Some(syn::Lit::Str(s)) => lits.push(s.clone()),
                    _ => {
                        return Err(syn::Error::new_spanned(
                            &item,
                            "expected a string literal such as \"create\"",
                        ));
                    }
                }
            }
            Value::Array(lits, bracket.span.join())
        } else {
            let expr: syn::Expr = input.parse()?;
            match lit(&expr) {
                Some(syn::Lit::Str(s)) => Value::Str(s.clone()),
                Some(syn::Lit::Bool(b)) => Value::Bool(b.clone()),
                Some(syn::Lit::Int(i)) => Value::Int(i.clone()),
                _ => {
                    return Err(syn::Error::new_spanned(
                        &expr,
                        "expected a literal: a string such as \"create;update\", `true`/`false` or a number",
                    ));
                }
            }
        };
        Ok(Arg { key, value })
    }
}

fn lit(expr: &syn::Expr) -> Option<&syn::Lit> {
    match expr {
        syn::Expr::Lit(syn::ExprLit { lit, .. }) => Some(lit),
        _ => None,
    }
}

impl Value {
    fn span(&self) -> Span {
        match self {
            Value::Str(s) => s.span(),
            Value::Array(_, span) => *span,
            Value::Bool(b) => b.span,
            Value::Int(i) => i.span(),
        }
    }
}

impl Arg {
    fn apply(self, cx: &Ctxt, config: &mut Config) {
        let Some(ident) = self.key.get_ident() else {
            cx.error_spanned_by(
                &self.key,
                "expected a key such as `verbs = \"create;update\"`",
            );
            return;
        };
        let key = ident.to_string();
        let key_span = ident.span();
        if KEYS.contains(&key.as_str()) {
            config.given.push((key.clone(), key_span));
        }
        let duplicate = || {
            cx.error_at(
                key_span,
                format!("duplicate key `{key}` in #[webhook(...)]"),
            )
        };
        match key.as_str() {
            "groups"
            | "resources"
            | "verbs"
            | "versions"
            | "admission_review_versions"
            | "webhook_versions" => {
                let slot = match key.as_str() {
                    "groups" => &mut config.groups,
                    "resources" => &mut config.resources,
                    "verbs" => &mut config.verbs,
                    "versions" => &mut config.versions,
                    "webhook_versions" => &mut config.webhook_versions,
                    _ => &mut config.admission_review_versions,
                };
                if slot.is_some() {
                    duplicate();
                    return;
                }
                match list(cx, &key, &self.value) {
                    Some(items) => *slot = Some((items, key_span)),
                    None => config.invalid.push(key),
                }
            }
            "mutating" => {
                if config.mutating.is_some() {
                    duplicate();
                    return;
                }
                match &self.value {
                    Value::Bool(b) => config.mutating = Some((b.value, key_span)),
                    other => {
                        cx.error_at(
                            other.span(),
                            "`mutating` takes `true` (a mutating webhook, one with a defaulter) or `false` (a validating one), without quotes",
                        );
                        config.invalid.push(key);
                    }
                }
            }
            "timeout_seconds" | "service_port" => {
                let slot = if key == "timeout_seconds" {
                    &mut config.timeout_seconds
                } else {
                    &mut config.service_port
                };
                if slot.is_some() {
                    duplicate();
                    return;
                }
                let parsed = match &self.value {
                    Value::Int(i) => i.base10_parse::<i64>().ok(),
                    _ => None,
                };
                match parsed {
                    Some(n) => *slot = Some((n, key_span, self.value.span())),
                    None => {
                        cx.error_at(
                            self.value.span(),
                            format!("`{key}` takes a whole number, without quotes"),
                        );
                        config.invalid.push(key);
                    }
                }
            }
            "name"
            | "path"
            | "url"
            | "failure_policy"
            | "match_policy"
            | "side_effects"
            | "reinvocation_policy"
            | "service_name"
            | "service_namespace"
            | "configuration_name" => {
                let slot = match key.as_str() {
                    "name" => &mut config.name,
                    "path" => &mut config.path,
                    "url" => &mut config.url,
                    "failure_policy" => &mut config.failure_policy,
                    "match_policy" => &mut config.match_policy,
                    "side_effects" => &mut config.side_effects,
                    "reinvocation_policy" => &mut config.reinvocation_policy,
                    "service_name" => &mut config.service_name,
                    "configuration_name" => &mut config.configuration_name,
                    _ => &mut config.service_namespace,
                };
                if slot.is_some() {
                    duplicate();
                    return;
                }
                match &self.value {
                    Value::Str(s) => *slot = Some((s.value(), key_span, s.span())),
                    other => {
                        cx.error_at(
                            other.span(),
                            format!("`{key}` takes one string, such as `{key} = \"...\"`"),
                        );
                        config.invalid.push(key);
                    }
                }
            }
            _ => {
                cx.error_at(key_span, unknown_key_message(&key));
                config.unknown_key = true;
            }
        }
    }
}

fn unknown_key_message(key: &str) -> String {
    let expected = KEYS
        .iter()
        .map(|k| format!("`{k}`"))
        .collect::<Vec<_>>()
        .join(", ");
    let suggestion = ALIASES
        .iter()
        .find(|(alias, _)| *alias == key)
        .map(|(_, k)| *k)
        .or_else(|| crate::suggest::closest(key, KEYS.iter().copied()));
    match suggestion {
        Some(k) => format!("unknown key `{key}` in #[webhook(...)]; did you mean `{k}`?"),
        None => format!("unknown key `{key}` in #[webhook(...)]; expected one of {expected}"),
    }
}

/// A `;`-separated list (or an array of them). An empty string, alone, is the core group
/// in `groups`; anywhere else an empty item is an error.
fn list(cx: &Ctxt, key: &str, value: &Value) -> Option<Items> {
    let lits: Vec<&LitStr> = match value {
        Value::Str(s) => vec![s],
        Value::Array(lits, span) => {
            if lits.is_empty() {
                cx.error_at(*span, format!("`{key}` needs at least one value"));
            }
            lits.iter().collect()
        }
        Value::Bool(_) | Value::Int(_) => {
            cx.error_at(
                value.span(),
                format!("`{key}` takes a string of `;`-separated items, such as \"a;b\""),
            );
            return None;
        }
    };
    let mut out = Vec::new();
    for lit in lits {
        let text = lit.value();
        if text.is_empty() && key == "groups" {
            out.push((String::new(), lit.span()));
            continue;
        }
        for item in text.split(';') {
            if item.is_empty() {
                let hint = if key == "groups" {
                    "; write `core` (or a lone \"\") for the core API group"
                } else {
                    ""
                };
                cx.error_at(lit.span(), format!("empty item in `{key}`{hint}"));
            } else if item.chars().any(char::is_whitespace) {
                cx.error_at(
                    lit.span(),
                    format!(
                        "`{key}` item `{item}` contains whitespace; separate items with `;` and nothing else"
                    ),
                );
            } else {
                out.push((item.to_owned(), lit.span()));
            }
        }
    }
    Some(out)
}

/// One of `allowed` (compared case-insensitively, as controller-gen does), in the API's
/// spelling.
fn one_of(
    cx: &Ctxt,
    key: &str,
    value: &Single,
    allowed: &[&'static str],
    extra: &str,
) -> Option<&'static str> {
    let found = allowed
        .iter()
        .find(|a| a.eq_ignore_ascii_case(&value.0))
        .copied();
    if found.is_none() {
        let list = allowed
            .iter()
            .map(|a| format!("\"{a}\""))
            .collect::<Vec<_>>()
            .join(" or ");
        cx.error_at(
            value.2,
            format!("invalid `{key}` \"{}\"; expected {list}{extra}", value.0),
        );
    }
    found
}

fn check(cx: &Ctxt, c: &Config) -> Option<Checked> {
    if let Some(name) = &c.configuration_name {
        return check_configuration(cx, c, name).then_some(Checked::Configuration);
    }
    check_webhook(cx, c).map(Checked::Webhook)
}

/// `#[webhook(mutating = .., configuration_name = "..")]` stands alone, as controller-gen's
/// `+kubebuilder:webhookconfiguration` marker does: webhook keys are errors here.
fn check_configuration(cx: &Ctxt, c: &Config, (name, _, span): &Single) -> bool {
    let mut ok = !c.unknown_key;
    for (key, at) in &c.given {
        if key != "mutating" && key != "configuration_name" {
            cx.error_at(
                *at,
                format!(
                    "`{key}` does not go with `configuration_name`: `#[webhook(mutating = true, configuration_name = \"...\")]` names a whole webhook configuration (controller-gen's +kubebuilder:webhookconfiguration) and is an attribute of its own"
                ),
            );
            ok = false;
        }
    }
    if c.mutating.is_none() && !c.invalid.iter().any(|k| k == "mutating") {
        cx.error_at(
            Span::call_site(),
            "`configuration_name` needs `mutating = true` (it names the MutatingWebhookConfiguration) or `mutating = false` (the ValidatingWebhookConfiguration)",
        );
        ok = false;
    }
    if !is_subdomain(name) {
        cx.error_at(
            *span,
            format!(
                "configuration name `{name}` must be a DNS subdomain (lower-case letters, digits, `-` and `.`, at most 253 characters)"
            ),
        );
        ok = false;
    }
    ok && c.mutating.is_some()
}

/// controller-gen's `webhookVersions`: `v1` is its default and the only version it writes.
fn check_webhook_versions(cx: &Ctxt, c: &Config) {
    for (version, span) in c.webhook_versions.iter().flat_map(|(items, _)| items) {
        if version != "v1" {
            cx.error_at(
                *span,
                format!(
                    "unsupported webhook version `{version}`: only admissionregistration.k8s.io/v1 configurations are written (v1beta1 was removed in Kubernetes 1.22); write `webhook_versions = \"v1\"` or leave the key out"
                ),
            );
        }
    }
}

fn check_webhook(cx: &Ctxt, c: &Config) -> Option<Normalized> {
    check_webhook_versions(cx, c);
    let complete = !c.unknown_key;
    let mut missing = Vec::new();
    if c.name.is_none() {
        missing.push("name");
    }
    if c.mutating.is_none() {
        missing.push("mutating");
    }
    if c.path.is_none() && c.url.is_none() {
        missing.push("path");
    }
    if c.failure_policy.is_none() {
        missing.push("failure_policy");
    }
    if c.side_effects.is_none() {
        missing.push("side_effects");
    }
    if c.groups.is_none() {
        missing.push("groups");
    }
    if c.resources.is_none() {
        missing.push("resources");
    }
    if c.verbs.is_none() {
        missing.push("verbs");
    }
    if c.versions.is_none() {
        missing.push("versions");
    }
    if c.admission_review_versions.is_none() {
        missing.push("admission_review_versions");
    }
    missing.retain(|k| !c.invalid.iter().any(|i| i == k));
    if complete && !missing.is_empty() {
        let keys = missing
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        let s = if missing.len() == 1 { "" } else { "s" };
        cx.error_at(
            Span::call_site(),
            format!(
                "#[webhook(...)] is missing the key{s} {keys}; a complete one reads `{EXAMPLE}`"
            ),
        );
    }

    if let Some((name, _, span)) = &c.name
        && !is_qualified_name(name)
    {
        cx.error_at(
            *span,
            format!(
                "webhook name `{name}` must be a fully qualified domain name with at least three segments, such as \"mguestbook-v1.kb.io\" (lower-case letters, digits, `-` and `.`)"
            ),
        );
    }

    match (&c.path, &c.url) {
        (Some(_), Some((_, key, _))) => cx.error_at(
            *key,
            "`url` cannot be combined with `path`: the webhook is reached either through the webhook Service at `path` or at `url`",
        ),
        (Some((path, _, span)), None) => {
            if !path.starts_with('/') {
                cx.error_at(*span, format!("path `{path}` must start with `/`"));
            } else if path.chars().any(char::is_whitespace) {
                cx.error_at(*span, format!("path `{path}` contains whitespace"));
            }
        }
        (None, Some((url, _, span))) => {
            if !url.starts_with("https://") {
                cx.error_at(
                    *span,
                    format!("url `{url}` must start with `https://`: Kubernetes only calls webhooks over TLS"),
                );
            }
            for (_, key_span, _) in [&c.service_name, &c.service_namespace].into_iter().flatten() {
                cx.error_at(
                    *key_span,
                    "`service_name` and `service_namespace` go with `path`, not `url`",
                );
            }
            if let Some((_, key_span, _)) = &c.service_port {
                cx.error_at(*key_span, "`service_port` goes with `path`, not `url`");
            }
        }
        (None, None) => {}
    }
    for value in [&c.service_name, &c.service_namespace]
        .into_iter()
        .flatten()
    {
        if !is_dns_label(&value.0) {
            cx.error_at(
                value.2,
                format!(
                    "`{}` is not a valid Service or namespace name (lower-case letters, digits and `-`, at most 63 characters, starting and ending with a letter or digit)",
                    value.0
                ),
            );
        }
    }
    if let Some((port, _, span)) = c.service_port
        && !(1..=65535).contains(&port)
    {
        cx.error_at(
            span,
            format!("service_port {port} is not a port (1 to 65535)"),
        );
    }
    if let Some((timeout, _, span)) = c.timeout_seconds
        && !(1..=30).contains(&timeout)
    {
        cx.error_at(
            span,
            format!("timeout_seconds {timeout} is out of range: Kubernetes allows 1 to 30 seconds"),
        );
    }

    let failure_policy = c
        .failure_policy
        .as_ref()
        .and_then(|v| one_of(cx, "failure_policy", v, &["Fail", "Ignore"], ""));
    let match_policy = c
        .match_policy
        .as_ref()
        .map(|v| one_of(cx, "match_policy", v, &["Exact", "Equivalent"], ""));
    let side_effects = c.side_effects.as_ref().and_then(|v| {
        if ["Some", "Unknown"].iter().any(|s| s.eq_ignore_ascii_case(&v.0)) {
            cx.error_at(
                v.2,
                format!(
                    "side_effects \"{}\" is not allowed in admissionregistration.k8s.io/v1; use \"None\", or \"NoneOnDryRun\" when the webhook skips its side effects on dry runs",
                    v.0
                ),
            );
            return None;
        }
        one_of(cx, "side_effects", v, &["None", "NoneOnDryRun"], "")
    });
    let reinvocation_policy = match (&c.reinvocation_policy, c.mutating) {
        (Some((_, key, _)), Some((false, _))) => {
            cx.error_at(
                *key,
                "`reinvocation_policy` only applies to mutating webhooks (`mutating = true`)",
            );
            None
        }
        (Some(v), _) => Some(one_of(
            cx,
            "reinvocation_policy",
            v,
            &["Never", "IfNeeded"],
            "",
        )),
        (None, _) => None,
    };

    let mut operations = Vec::new();
    if let Some((verbs, _)) = &c.verbs {
        for (verb, span) in verbs {
            match ["CREATE", "UPDATE", "DELETE", "CONNECT", "*"]
                .into_iter()
                .find(|op| op.eq_ignore_ascii_case(verb))
            {
                Some(op) => operations.push(op),
                None => {
                    let hint = if verb.contains(',') {
                        "; separate verbs with `;`, as in \"create;update\"".to_owned()
                    } else if ["get", "list", "watch"].contains(&verb.as_str()) {
                        "; admission webhooks are only called for writes (reads are never admitted)"
                            .to_owned()
                    } else if verb == "patch" {
                        "; a patch is admitted as an UPDATE (or a CREATE when it creates the object): write `update`"
                            .to_owned()
                    } else if verb == "deletecollection" {
                        "; a deletecollection is admitted as one DELETE per object: write `delete`"
                            .to_owned()
                    } else {
                        String::new()
                    };
                    cx.error_at(
                        *span,
                        format!(
                            "invalid verb `{verb}`; expected create, update, delete, connect or `*`{hint}"
                        ),
                    );
                }
            }
        }
    }
    if let Some((groups, _)) = &c.groups {
        for (group, span) in groups {
            if group != "core" && group != "*" && !group.is_empty() && !is_subdomain(group) {
                cx.error_at(
                    *span,
                    format!("`{group}` is not an API group (a DNS subdomain such as \"apps\" or \"webapp.my.domain\"; `core` or \"\" for the core group)"),
                );
            }
        }
    }
    if let Some((resources, _)) = &c.resources {
        for (resource, span) in resources {
            if resource.chars().any(|ch| ch.is_ascii_uppercase()) {
                cx.error_at(
                    *span,
                    format!(
                        "resource `{resource}` must be lower-case: rules name the resource (the kind's lower-case plural, as `kubectl api-resources` lists it), not the kind"
                    ),
                );
            }
        }
    }
    if let Some((versions, key)) = &c.admission_review_versions {
        for (version, span) in versions {
            if version != "v1" && version != "v1beta1" {
                cx.error_at(
                    *span,
                    format!("unknown AdmissionReview version `{version}`; expected \"v1\" (or \"v1beta1\")"),
                );
            }
        }
        if !versions.is_empty() && !versions.iter().any(|(v, _)| v == "v1") {
            cx.error_at(
                *key,
                "`admission_review_versions` must include \"v1\": kubeforge's webhook server speaks admission.k8s.io/v1",
            );
        }
    }

    Some(Normalized {
        failure_policy: failure_policy?,
        match_policy: match match_policy {
            Some(found) => Some(found?),
            None => None,
        },
        side_effects: side_effects?,
        reinvocation_policy: match reinvocation_policy {
            Some(found) => Some(found?),
            None => None,
        },
        operations,
    })
}

fn is_dns_label(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 63
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
        && b[0] != b'-'
        && b[b.len() - 1] != b'-'
}

fn is_subdomain(s: &str) -> bool {
    s.len() <= 253 && s.split('.').all(is_dns_label)
}

/// Kubernetes' `IsFullyQualifiedName`: a DNS subdomain with at least three segments.
fn is_qualified_name(s: &str) -> bool {
    is_subdomain(s) && s.split('.').count() >= 3
}

/// The item with the registration placed in or next to it.
fn place(cx: &Ctxt, item: TokenStream, config: Option<(&Config, &Checked)>) -> Option<TokenStream> {
    if let Ok(mut f) = syn::parse2::<syn::ItemFn>(item.clone()) {
        let (config, checked) = config?;
        let registration = registration(config, checked, &f.sig.ident.to_string())?;
        let stmt: syn::Stmt = syn::parse_quote!(#registration);
        f.block.stmts.insert(0, stmt);
        return Some(f.into_token_stream());
    }
    let parsed = match syn::parse2::<syn::Item>(item) {
        Ok(parsed) => parsed,
        Err(e) => {
            cx.syn_error(e);
            return None;
        }
    };
    let name = match &parsed {
        syn::Item::Struct(i) => i.ident.to_string(),
        syn::Item::Enum(i) => i.ident.to_string(),
        syn::Item::Union(i) => i.ident.to_string(),
        syn::Item::Const(i) => i.ident.to_string(),
        syn::Item::Static(i) => i.ident.to_string(),
        syn::Item::Type(i) => i.ident.to_string(),
        syn::Item::Trait(i) => i.ident.to_string(),
        syn::Item::Mod(i) => i.ident.to_string(),
        syn::Item::Impl(i) => compact(&i.self_ty),
        _ => {
            cx.error_at(
                Span::call_site(),
                "#[webhook(...)] goes on the defaulter or validator type (a struct), its impl, a function with a body, or an item such as a const or mod",
            );
            return None;
        }
    };
    let (config, checked) = config?;
    let registration = registration(config, checked, &name)?;
    Some(quote!(#parsed #registration))
}

fn compact(ty: &syn::Type) -> String {
    ty.to_token_stream()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn registration(c: &Config, checked: &Checked, name: &str) -> Option<TokenStream> {
    match checked {
        Checked::Webhook(n) => webhook_registration(c, n, name),
        Checked::Configuration => configuration_registration(c, name),
    }
}

fn configuration_registration(c: &Config, name: &str) -> Option<TokenStream> {
    let configuration = &c.configuration_name.as_ref()?.0;
    let mutating = c.mutating?.0;
    Some(quote! {
        const _: () = {
            ::kubeforge::__webhook_submit! {
                ::kubeforge::webhook::ConfigurationName {
                    source: ::core::concat!(::core::module_path!(), "::", #name),
                    mutating: #mutating,
                    name: #configuration,
                }
            }
        };
    })
}

fn webhook_registration(c: &Config, n: &Normalized, name: &str) -> Option<TokenStream> {
    let strs = |v: &Option<(Items, Span)>, core: bool| {
        let items = v.iter().flat_map(|(items, _)| {
            items.iter().map(move |(s, _)| {
                if core && s == "core" {
                    String::new()
                } else {
                    s.clone()
                }
            })
        });
        quote!(&[#(#items),*])
    };
    let opt_str = |v: Option<&str>| match v {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };
    let opt_int = |v: Option<i64>| match v.and_then(|v| i32::try_from(v).ok()) {
        Some(i) => quote!(::core::option::Option::Some(#i)),
        None => quote!(::core::option::Option::None),
    };
    let webhook_name = &c.name.as_ref()?.0;
    let mutating = c.mutating?.0;
    let client = match (&c.path, &c.url) {
        (Some((path, _, _)), _) => {
            let service_name = opt_str(c.service_name.as_ref().map(|v| v.0.as_str()));
            let service_namespace = opt_str(c.service_namespace.as_ref().map(|v| v.0.as_str()));
            let port = opt_int(c.service_port.map(|v| v.0));
            quote! {
                ::kubeforge::webhook::ClientConfig::Service {
                    name: #service_name,
                    namespace: #service_namespace,
                    path: #path,
                    port: #port,
                }
            }
        }
        (None, Some((url, _, _))) => quote!(::kubeforge::webhook::ClientConfig::Url(#url)),
        (None, None) => return None,
    };
    let failure_policy = n.failure_policy;
    let match_policy = opt_str(n.match_policy);
    let side_effects = n.side_effects;
    let reinvocation_policy = opt_str(n.reinvocation_policy);
    let timeout_seconds = opt_int(c.timeout_seconds.map(|v| v.0));
    let groups = strs(&c.groups, true);
    let resources = strs(&c.resources, false);
    let operations = &n.operations;
    let versions = strs(&c.versions, false);
    let admission_review_versions = strs(&c.admission_review_versions, false);
    Some(quote! {
        const _: () = {
            ::kubeforge::__webhook_submit! {
                ::kubeforge::webhook::WebhookRegistration {
                    source: ::core::concat!(::core::module_path!(), "::", #name),
                    name: #webhook_name,
                    mutating: #mutating,
                    client: #client,
                    failure_policy: #failure_policy,
                    match_policy: #match_policy,
                    side_effects: #side_effects,
                    timeout_seconds: #timeout_seconds,
                    groups: #groups,
                    resources: #resources,
                    operations: &[#(#operations),*],
                    versions: #versions,
                    admission_review_versions: #admission_review_versions,
                    reinvocation_policy: #reinvocation_policy,
                }
            }
        };
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn qualified_names() {
        assert!(is_qualified_name("mguestbook-v1.kb.io"));
        assert!(!is_qualified_name("kb.io"));
        assert!(!is_qualified_name("M.kb.io"));
        assert!(!is_qualified_name("a..kb.io"));
    }

    #[test]
    fn aliases_and_typos() {
        assert_eq!(
            unknown_key_message("failurePolicy"),
            "unknown key `failurePolicy` in #[webhook(...)]; did you mean `failure_policy`?"
        );
        assert_eq!(
            unknown_key_message("mutatin"),
            "unknown key `mutatin` in #[webhook(...)]; did you mean `mutating`?"
        );
    }
}
