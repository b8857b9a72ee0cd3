//! `#[csv(...)]`: OLM ClusterServiceVersion descriptors, the Rust form of operator-sdk's
//! `+operator-sdk:csv:customresourcedefinitions:` markers. The derive generates nothing from
//! them (`scaffold generate kustomize manifests` reads them from the source); it only checks
//! the keys, so a typo is a compile error at the attribute rather than a descriptor that
//! silently never appears in the CSV.

use syn::meta::ParseNestedMeta;

use crate::ctxt::Ctxt;
use crate::suggest;

pub(crate) const CSV: &str = "csv";

/// Keys of `#[csv(...)]` on a field (a spec or status descriptor).
const FIELD_KEYS: &[&str] = &["display_name", "description", "x_descriptors"];
/// Keys of `#[csv(...)]` on the spec struct (the owned CRD entry).
const TYPE_KEYS: &[&str] = &["display_name", "description", "resources"];
/// Keys of one `resources(...)` entry.
const RESOURCE_KEYS: &[&str] = &["kind", "version", "name"];

/// Checks every `#[csv(...)]` on the item and its fields; errors go to `cx`.
pub(crate) fn check(cx: &Ctxt, input: &syn::DeriveInput) {
    check_attrs(cx, &input.attrs, TYPE_KEYS);
    let fields: Vec<&syn::Field> = match &input.data {
        syn::Data::Struct(s) => s.fields.iter().collect(),
        syn::Data::Enum(e) => e.variants.iter().flat_map(|v| v.fields.iter()).collect(),
        syn::Data::Union(u) => u.fields.named.iter().collect(),
    };
    for field in fields {
        check_attrs(cx, &field.attrs, FIELD_KEYS);
    }
}

fn check_attrs(cx: &Ctxt, attrs: &[syn::Attribute], keys: &'static [&'static str]) {
    for attr in attrs.iter().filter(|a| a.path().is_ident(CSV)) {
        let result = attr.parse_nested_meta(|meta| {
            check_key(cx, &meta, keys);
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
}

fn check_key(cx: &Ctxt, meta: &ParseNestedMeta<'_>, keys: &'static [&'static str]) {
    let key = meta
        .path
        .get_ident()
        .map(ToString::to_string)
        .unwrap_or_default();
    if !keys.contains(&key.as_str()) {
        unknown(cx, meta, &key, keys);
        skip_value(meta);
        return;
    }
    let result = match key.as_str() {
        // #[csv(resources(kind = "Deployment", version = "v1", name = "memcached-deployment"))]
        "resources" => meta.parse_nested_meta(|inner| {
            let k = inner
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            if RESOURCE_KEYS.contains(&k.as_str()) {
                inner.value()?.parse::<syn::LitStr>()?;
            } else {
                unknown(cx, &inner, &k, RESOURCE_KEYS);
                skip_value(&inner);
            }
            Ok(())
        }),
        // #[csv(x_descriptors = ["urn:alm:descriptor:com.tectonic.ui:podCount"])]
        "x_descriptors" => meta.value().and_then(|v| {
            let list: syn::ExprArray = v.parse()?;
            for item in &list.elems {
                match item {
                    syn::Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(_),
                        ..
                    }) => {}
                    other => cx.error_spanned_by(other, "x_descriptors takes string literals"),
                }
            }
            Ok(())
        }),
        // #[csv(display_name = "Size")], #[csv(description = "...")]
        _ => meta
            .value()
            .and_then(|v| v.parse::<syn::LitStr>())
            .map(|_| ()),
    };
    if let Err(e) = result {
        cx.syn_error(syn::Error::new(e.span(), format!("#[csv({key} ...)]: {e}")));
    }
}

fn unknown(cx: &Ctxt, meta: &ParseNestedMeta<'_>, key: &str, keys: &[&str]) {
    let hint = match suggest::closest(key, keys.iter().copied()) {
        Some(s) => format!("did you mean `{s}`?"),
        None => format!("expected one of {}", keys.join(", ")),
    };
    cx.error_spanned_by(
        &meta.path,
        format!("unknown key `{key}` in #[csv(...)]; {hint}"),
    );
}

/// Consumes `= value` or `(...)` after an unknown key so parsing can go on to the next key.
fn skip_value(meta: &ParseNestedMeta<'_>) {
    if meta.input.peek(syn::Token![=]) {
        let _ = meta.value().and_then(|v| v.parse::<syn::Expr>());
    } else if meta.input.peek(syn::token::Paren) {
        let _ = meta.parse_nested_meta(|inner| {
            skip_value(&inner);
            Ok(())
        });
    }
}
