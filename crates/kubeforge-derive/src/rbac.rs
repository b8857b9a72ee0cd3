//! `#[rbac(...)]`: controller-gen's `+kubebuilder:rbac` marker as an attribute.
//!
//! The attribute leaves the item as written and registers one static rule with
//! `inventory`; `kubeforge::rbac_roles` merges every registered rule the way controller-gen
//! does. Every problem is reported at the key or value that has it.
//!
//! Where the registration goes: on a function or method it is an item at the start of the
//! body (an item inside a function is compiled like any other, and works in `impl` blocks,
//! where `const _` is not allowed); on anything else it is a `const _: () = { ... };` next
//! to the item.

use proc_macro2::{Span, TokenStream};
use quote::{ToTokens, quote};
use syn::parse::{ParseStream, Parser};
use syn::punctuated::Punctuated;
use syn::{LitStr, Token};

use crate::ctxt::Ctxt;

const KEYS: &[&str] = &[
    "groups",
    "resources",
    "resource_names",
    "verbs",
    "urls",
    "namespace",
    "role_name",
];

/// controller-gen's spellings, and other likely slips, with the key they mean.
const ALIASES: &[(&str, &str)] = &[
    ("resourceNames", "resource_names"),
    ("roleName", "role_name"),
    ("group", "groups"),
    ("api_groups", "groups"),
    ("apiGroups", "groups"),
    ("resource", "resources"),
    ("verb", "verbs"),
    ("url", "urls"),
    ("non_resource_urls", "urls"),
    ("nonResourceURLs", "urls"),
];

/// One value as written: each item with the span of the literal it came from.
type Items = Vec<(String, Span)>;

#[derive(Default)]
struct Rule {
    groups: Option<(Items, Span)>,
    resources: Option<(Items, Span)>,
    resource_names: Option<(Items, Span)>,
    verbs: Option<(Items, Span)>,
    urls: Option<(Items, Span)>,
    /// The value, the key's span, the value's span.
    namespace: Option<(String, Span, Span)>,
    role_name: Option<(String, Span, Span)>,
    /// An unknown key was reported: checks for missing keys would only repeat it.
    unknown_key: bool,
}

/// The attribute's expansion: the item, plus the registration (or, on error, the
/// diagnostics and the item untouched so nothing else fails because of it).
pub(crate) fn expand(attr: TokenStream, item: TokenStream) -> TokenStream {
    let cx = Ctxt::new();
    let rule = parse_args(&cx, attr);
    if let Some(rule) = &rule {
        check(&cx, rule);
    }
    let placed = place(&cx, item.clone(), rule.as_ref());
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

fn parse_args(cx: &Ctxt, attr: TokenStream) -> Option<Rule> {
    if attr.is_empty() {
        cx.error_at(
            Span::call_site(),
            "expected `#[rbac(groups = \"apps\", resources = \"deployments\", verbs = \"get;list;watch\")]`",
        );
        return None;
    }
    let mut rule = Rule::default();
    let parser = |input: ParseStream| -> syn::Result<()> {
        let args = Punctuated::<Arg, Token![,]>::parse_terminated(input)?;
        for arg in args {
            arg.apply(cx, &mut rule);
        }
        Ok(())
    };
    match parser.parse2(attr) {
        Ok(()) => Some(rule),
        Err(e) => {
            cx.syn_error(e);
            None
        }
    }
}

/// `key = "a;b"` or `key = ["a", "b"]`.
struct Arg {
    key: syn::Path,
    value: Value,
}

enum Value {
    Str(LitStr),
    Array(Vec<LitStr>, Span),
}

impl syn::parse::Parse for Arg {
    fn parse(input: ParseStream) -> syn::Result<Self> {
        let key: syn::Path = input.call(syn::Path::parse_mod_style)?;
        if !input.peek(Token![=]) {
            let name = key.to_token_stream().to_string();
            return Err(syn::Error::new_spanned(
                &key,
                format!("expected `{name} = \"...\"`"),
            ));
        }
        input.parse::<Token![=]>()?;
        let value = if input.peek(syn::token::Bracket) {
            let content;
            let bracket = syn::bracketed!(content in input);
            let items = Punctuated::<syn::Expr, Token![,]>::parse_terminated(&content)?;
            let mut lits = Vec::new();
            for item in items {
                lits.push(expect_str(&item)?);
            }
            Value::Array(lits, bracket.span.join())
        } else {
            let expr: syn::Expr = input.parse()?;
            Value::Str(expect_str(&expr)?)
        };
        Ok(Arg { key, value })
    }
}

fn expect_str(expr: &syn::Expr) -> syn::Result<LitStr> {
    match expr {
        syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Ok(s.clone()),
        _ => Err(syn::Error::new_spanned(
            expr,
            "expected a string literal such as \"get;list;watch\"",
        )),
    }
}

impl Value {
    fn span(&self) -> Span {
        match self {
            Value::Str(s) => s.span(),
            Value::Array(_, span) => *span,
        }
    }
}

impl Arg {
    fn apply(self, cx: &Ctxt, rule: &mut Rule) {
        let Some(ident) = self.key.get_ident() else {
            cx.error_spanned_by(&self.key, "expected a key such as `verbs = \"get\"`");
            return;
        };
        let key = ident.to_string();
        let key_span = ident.span();
        let slot = match key.as_str() {
            "groups" => &mut rule.groups,
            "resources" => &mut rule.resources,
            "resource_names" => &mut rule.resource_names,
            "verbs" => &mut rule.verbs,
            "urls" => &mut rule.urls,
            "namespace" | "role_name" => {
                let slot = if key == "namespace" {
                    &mut rule.namespace
                } else {
                    &mut rule.role_name
                };
                if slot.is_some() {
                    cx.error_at(key_span, format!("duplicate key `{key}` in #[rbac(...)]"));
                    return;
                }
                if let Some(s) = single(cx, &key, &self.value) {
                    *slot = Some((s, key_span, self.value.span()));
                }
                return;
            }
            _ => {
                cx.error_at(key_span, unknown_key_message(&key));
                rule.unknown_key = true;
                return;
            }
        };
        if slot.is_some() {
            cx.error_at(
                key_span,
                format!(
                    "duplicate key `{key}` in #[rbac(...)]; put every value in one `;`-separated list, or write another #[rbac(...)]"
                ),
            );
            return;
        }
        let items = list(cx, &key, &self.value);
        *slot = Some((items, key_span));
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
        Some(k) => format!("unknown key `{key}` in #[rbac(...)]; did you mean `{k}`?"),
        None => format!("unknown key `{key}` in #[rbac(...)]; expected one of {expected}"),
    }
}

/// A `;`-separated list (or an array of them). An empty string, alone, is the core group
/// in `groups`; anywhere else an empty item is an error.
fn list(cx: &Ctxt, key: &str, value: &Value) -> Items {
    let lits: Vec<&LitStr> = match value {
        Value::Str(s) => vec![s],
        Value::Array(lits, span) => {
            if lits.is_empty() {
                cx.error_at(*span, format!("`{key}` needs at least one value"));
            }
            lits.iter().collect()
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
    out
}

fn single(cx: &Ctxt, key: &str, value: &Value) -> Option<String> {
    match value {
        Value::Str(s) => Some(s.value()),
        Value::Array(..) => {
            cx.error_at(
                value.span(),
                format!("`{key}` takes one string, not a list; write another #[rbac(...)] for another {key}"),
            );
            None
        }
    }
}

fn check(cx: &Ctxt, rule: &Rule) {
    let complete = !rule.unknown_key;
    match &rule.verbs {
        None if complete => cx.error_at(
            Span::call_site(),
            "#[rbac(...)] is missing `verbs`, e.g. `verbs = \"get;list;watch\"`",
        ),
        None => {}
        Some((verbs, _)) => {
            for (verb, span) in verbs {
                check_verb(cx, verb, *span);
            }
        }
    }
    match (&rule.resources, &rule.urls) {
        (None, None) if complete => cx.error_at(
            Span::call_site(),
            "#[rbac(...)] needs `resources` (with `groups`) or `urls` (non-resource URLs such as \"/metrics\")",
        ),
        (None, None) => {}
        (Some(_), None) => {
            if complete && rule.groups.is_none() {
                cx.error_at(
                    rule.resources.as_ref().map_or_else(Span::call_site, |r| r.1),
                    "`resources` needs `groups`: Kubernetes rejects resource rules without API groups; write `groups = \"core\"` (or \"\") for the core group",
                );
            }
        }
        (_, Some((urls, _))) => {
            for (key, value) in [
                ("groups", &rule.groups),
                ("resources", &rule.resources),
                ("resource_names", &rule.resource_names),
            ] {
                if let Some((_, span)) = value {
                    cx.error_at(
                        *span,
                        format!(
                            "`{key}` cannot be combined with `urls`: a rule covers either resources or non-resource URLs; write two #[rbac(...)] attributes"
                        ),
                    );
                }
            }
            if let Some((_, span, _)) = &rule.namespace {
                cx.error_at(
                    *span,
                    "`urls` cannot be combined with `namespace`: non-resource URLs are cluster-wide and only a ClusterRole can grant them",
                );
            }
            for (url, span) in urls {
                if !url.starts_with('/') {
                    cx.error_at(
                        *span,
                        format!("non-resource URL `{url}` must start with `/`"),
                    );
                }
            }
        }
    }
    if let Some((ns, _, span)) = &rule.namespace
        && !is_dns_label(ns)
    {
        cx.error_at(
            *span,
            format!(
                "namespace `{ns}` is not a valid namespace name (lower-case letters, digits and `-`, at most 63 characters, starting and ending with a letter or digit)"
            ),
        );
    }
    if let Some((name, _, span)) = &rule.role_name
        && (name.is_empty() || name == "." || name == ".." || name.contains(['/', '%']))
    {
        cx.error_at(
            *span,
            format!(
                "role name `{name}` is not a valid Role name (non-empty, not `.` or `..`, no `/` or `%`)"
            ),
        );
    }
}

fn check_verb(cx: &Ctxt, verb: &str, span: Span) {
    if verb == "*" || (!verb.is_empty() && verb.bytes().all(|b| b.is_ascii_lowercase())) {
        return;
    }
    let message = if verb.contains(',') {
        format!("invalid verb `{verb}`; separate verbs with `;`, as in \"get;list;watch\"")
    } else if verb.bytes().all(|b| b.is_ascii_alphabetic()) {
        format!(
            "invalid verb `{verb}`; Kubernetes verbs are lower-case (did you mean `{}`?)",
            verb.to_ascii_lowercase()
        )
    } else {
        format!(
            "invalid verb `{verb}`; expected a lower-case verb such as get, list, watch, create, update, patch, delete, deletecollection, or `*`"
        )
    };
    cx.error_at(span, message);
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

/// The item with the registration placed in or next to it.
fn place(cx: &Ctxt, item: TokenStream, rule: Option<&Rule>) -> Option<TokenStream> {
    // A function or method (`syn::ItemFn` also parses methods with a receiver).
    if let Ok(mut f) = syn::parse2::<syn::ItemFn>(item.clone()) {
        let rule = rule?;
        let registration = registration(rule, &f.sig.ident.to_string());
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
                "#[rbac(...)] goes on a function with a body, a method, or an item such as a struct, impl, const or mod",
            );
            return None;
        }
    };
    let rule = rule?;
    let registration = registration(rule, &name);
    Some(quote!(#parsed #registration))
}

fn compact(ty: &syn::Type) -> String {
    ty.to_token_stream()
        .to_string()
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

fn registration(rule: &Rule, name: &str) -> TokenStream {
    let strs = |v: &Option<(Items, Span)>| {
        let items = v.iter().flat_map(|(items, _)| items.iter().map(|(s, _)| s));
        quote!(&[#(#items),*])
    };
    let opt = |v: &Option<(String, Span, Span)>| match v {
        Some((s, _, _)) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    };
    let groups = strs(&rule.groups);
    let resources = strs(&rule.resources);
    let resource_names = strs(&rule.resource_names);
    let verbs = strs(&rule.verbs);
    let urls = strs(&rule.urls);
    let namespace = opt(&rule.namespace);
    let role_name = opt(&rule.role_name);
    let registration = quote! {
        ::kubeforge::rbac::RuleRegistration {
            source: ::core::concat!(::core::module_path!(), "::", #name),
            groups: #groups,
            resources: #resources,
            resource_names: #resource_names,
            verbs: #verbs,
            urls: #urls,
            namespace: #namespace,
            role_name: #role_name,
        }
    };
    quote! {
        const _: () = {
            ::kubeforge::__private::inventory::submit! {
                #registration
            }
        };
    }
}
