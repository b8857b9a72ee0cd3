//! Derive macros for Kubeforge. The macros are thin shims; the work is in the modules below so it
//! can be unit-tested. Users depend on `kubeforge`, which re-exports these with full docs.

mod attr;
mod check;
mod csv_attr;
mod ctxt;
mod doc;
mod emit;
mod kube_attr;
mod marker_value;
mod markers;
mod model;
mod rbac;
mod serde_attr;
mod shape;
mod suggest;
mod symbol;
mod webhook;

use proc_macro::TokenStream;

/// See `kubeforge::CrdSchema` for the attribute language.
#[proc_macro_derive(CrdSchema, attributes(crd, csv))]
pub fn derive_crd_schema(input: TokenStream) -> TokenStream {
    crd_schema(input.into()).into()
}

/// See `kubeforge::rbac` for the attribute language.
#[proc_macro_attribute]
pub fn rbac(attr: TokenStream, item: TokenStream) -> TokenStream {
    rbac::expand(attr.into(), item.into()).into()
}

/// See `kubeforge::webhook` for the attribute language.
#[proc_macro_attribute]
pub fn webhook(attr: TokenStream, item: TokenStream) -> TokenStream {
    webhook::expand(attr.into(), item.into()).into()
}

fn crd_schema(input: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    let input: syn::DeriveInput = match syn::parse2(input) {
        Ok(input) => input,
        Err(e) => return e.to_compile_error(),
    };
    let cx = ctxt::Ctxt::new();
    csv_attr::check(&cx, &input);
    let container = model::Container::from_ast(&cx, &input);
    if let Some(c) = &container {
        check::check(&cx, c);
    }
    match (cx.check(), container) {
        (Ok(()), Some(c)) => emit::emit(&c),
        (Err(e), _) => {
            let mut out = e.to_compile_error();
            out.extend(emit::dummy(&input));
            out
        }
        (Ok(()), None) => emit::dummy(&input),
    }
}
